// The benchmark page's anchors, in plain JavaScript on the same page as Poolplay's runs, so each
// of Poolplay's figures has a floor measured in the same sitting:
//   anchorJobsPerSecond  the doubling pool's shape on plain-JS channels (bench-channels.js): a
//                      producer, `workers` workers and a consumer, each a Web Worker, the jobs and
//                      results channels `buffer` slots each (shared-memory rings; at buffer 0,
//                      rendezvous channels)
//   pingPongFloor      one round trip between two Web Workers that sleep in Atomics.wait and wake
//                      each other with Atomics.notify, after a pause (so the other has gone to
//                      sleep): the least a round trip through an idle pool's threads can cost
// The threads are bench-anchor-worker.js; each figure's workers are started, told their role,
// released together, and ended afterwards.

import { channelMemory } from './bench-channels.js';

const WORKER_URL = new URL('./bench-anchor-worker.js', import.meta.url);

/** Starts one anchor thread per message, releases them together; resolves with their posts. */
async function runThreads(messages) {
  const start = new SharedArrayBuffer(4);
  const threads = messages.map(() => new Worker(WORKER_URL, { type: 'module' }));
  try {
    const posts = threads.map(
      (thread) =>
        new Promise((resolve, reject) => {
          const got = [];
          thread.onerror = (event) => reject(new Error(`an anchor thread failed: ${event.message}`));
          thread.onmessage = ({ data }) => {
            if (data.ready) return;
            if (data.exited) resolve(got);
            else got.push(data);
          };
        }),
    );
    const ready = threads.map((thread) => new Promise((resolve) => thread.addEventListener('message', resolve, { once: true })));
    threads.forEach((thread, i) => thread.postMessage({ ...messages[i], start }));
    await Promise.all(ready);
    const startedAt = performance.timeOrigin + performance.now();
    const flag = new Int32Array(start);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return { startedAt, posts: (await Promise.all(posts)).flat() };
  } finally {
    threads.forEach((thread) => thread.terminate());
  }
}

/**
 * Jobs per second of the doubling pool's shape on plain-JavaScript channels of `buffer` slots
 * (shared-memory rings; at buffer 0, rendezvous channels).
 */
export async function anchorJobsPerSecond({ jobs, workers, buffer }) {
  const channels = { jobs: channelMemory(buffer), results: channelMemory(buffer) };
  const shared = { jobs, workers, buffer, channels };
  const roles = ['producer', ...Array(workers).fill('worker'), 'consumer'];
  const { startedAt, posts } = await runThreads(roles.map((role) => ({ role, ...shared })));
  const { doneAt, sum } = posts.find((post) => post.doneAt !== undefined);
  if (sum !== jobs * (jobs + 1)) throw new Error(`the ring anchor lost results (sum ${sum})`);
  return (jobs / (doneAt - startedAt)) * 1000;
}

/** The median and 99th percentile (µs) of `trips` idle round trips by Atomics.wait/notify. */
export async function pingPongFloor({ trips, pauseUs }) {
  const flag = new SharedArrayBuffer(4);
  const { posts } = await runThreads([
    { role: 'ping', trips, pauseUs, flag },
    { role: 'pong', flag },
  ]);
  const micros = posts.find((post) => post.micros).micros.sort((a, b) => a - b);
  const quantile = (q) => micros[Math.round((micros.length - 1) * q)];
  return { p50Us: quantile(0.5), p99Us: quantile(0.99) };
}
