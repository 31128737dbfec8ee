// The coordinator: a dedicated module worker that owns the wasm instance.
//
// The page's main thread must never block, and runs block threads, so everything wasm happens here
// and on the thread pool this worker starts. Protocol (all messages are plain objects):
//   page → worker  { type: 'run', id, config } | { type: 'bench', id, jobs, workers, buffer, tracing }
//                  { type: 'cancel', id }
//   worker → page  { type: 'ready', threads, scenarios } | { type: 'unavailable', message }
//                  { type: 'started', id, config } | { type: 'events', id, events }
//                  { type: 'report', id, report } | { type: 'rejected', id, message }

import init, {
  initThreadPool,
  poolThreads,
  scenarios,
  startDoubling,
  startDoublingBenchmark,
  threadsNeeded,
} from '../pkg/poolplay.js';

const POLL_MS = 16;
const runs = new Map(); // id → handle of a run in progress

async function boot() {
  if (!self.crossOriginIsolated) {
    postMessage({
      type: 'unavailable',
      message: 'The page is not cross-origin isolated, so SharedArrayBuffer (needed for threads) is off.',
    });
    return;
  }
  try {
    await init();
    await initThreadPool(threadsNeeded());
    postMessage({ type: 'ready', threads: poolThreads(), scenarios: scenarios() });
  } catch (error) {
    postMessage({ type: 'unavailable', message: `The thread pool did not start: ${error.message ?? error}` });
  }
}

/** Streams a run's events every frame; posts the report when its last actor has exited. */
function pump(id, handle, { stream }) {
  if (stream) {
    const events = handle.takeEvents();
    if (events.length) postMessage({ type: 'events', id, events });
  } else {
    handle.discardEvents();
  }
  if (!handle.isFinished()) {
    setTimeout(pump, POLL_MS, id, handle, { stream });
    return;
  }
  const rest = stream ? handle.takeEvents() : [];
  if (rest.length) postMessage({ type: 'events', id, events: rest });
  const report = handle.takeReport();
  runs.delete(id);
  handle.free();
  postMessage({ type: 'report', id, report });
}

function start(id, makeHandle, options) {
  let handle;
  try {
    handle = makeHandle();
  } catch (error) {
    postMessage({ type: 'rejected', id, message: error.message ?? String(error) });
    return;
  }
  runs.set(id, handle);
  postMessage({ type: 'started', id, config: handle.config() });
  pump(id, handle, options);
}

const ready = boot();

self.onmessage = async ({ data }) => {
  await ready;
  switch (data.type) {
    case 'run':
      start(data.id, () => startDoubling(data.config), { stream: true });
      break;
    case 'bench':
      start(
        data.id,
        () => startDoublingBenchmark(data.jobs, data.workers, data.buffer, data.tracing),
        { stream: false },
      );
      break;
    case 'cancel':
      runs.get(data.id)?.cancel();
      break;
  }
};
