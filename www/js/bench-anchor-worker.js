// One thread of the benchmark page's plain-JavaScript anchors (bench-anchors.js starts them).
// Message { role, ... } with shared memory, then the thread waits for the start signal:
//   producer  sends the jobs 1..jobs into the jobs channel, then one 0 per worker (go home)
//   worker    doubles each job from the jobs channel into the results channel until it gets a 0
//             (rings of `buffer` slots, or rendezvous channels at 0: bench-channels.js)
//   consumer  receives jobs results, checks their sum, and posts { doneAt, sum }
//   ping      `trips` times: pauses, flips the flag to 1 and sleeps until it is 2; posts the times
//   pong      sleeps until the flag is 1, sets it to 2; until the flag is -1
// Times are on the shared clock (performance.timeOrigin + performance.now()), in ms.

import { openChannel } from './bench-channels.js';

const now = () => performance.timeOrigin + performance.now();

/** Waits for the start signal: the int at `start` becomes 1. */
function waitForStart(start) {
  while (Atomics.load(start, 0) === 0) Atomics.wait(start, 0, 0);
}

const ROLES = {
  producer({ jobs, workers, channels }) {
    for (let job = 1; job <= jobs; job++) channels.jobs.send(job);
    for (let i = 0; i < workers; i++) channels.jobs.send(0);
  },
  worker({ channels }) {
    for (let job = channels.jobs.recv(); job !== 0; job = channels.jobs.recv()) channels.results.send(job * 2);
  },
  consumer({ jobs, channels }) {
    let sum = 0;
    for (let i = 0; i < jobs; i++) sum += channels.results.recv();
    postMessage({ doneAt: now(), sum });
  },
  ping({ trips, pauseUs, flag, pause }) {
    const micros = [];
    for (let trip = 0; trip < trips; trip++) {
      Atomics.wait(pause, 0, 0, pauseUs / 1000);
      const start = now();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      while (Atomics.load(flag, 0) !== 2) Atomics.wait(flag, 0, 1);
      micros.push((now() - start) * 1000);
    }
    Atomics.store(flag, 0, -1);
    Atomics.notify(flag, 0);
    postMessage({ micros });
  },
  pong({ flag }) {
    for (;;) {
      const state = Atomics.load(flag, 0);
      if (state === -1) return;
      if (state === 1) {
        Atomics.store(flag, 0, 2);
        Atomics.notify(flag, 0);
      } else {
        Atomics.wait(flag, 0, state);
      }
    }
  },
};

self.onmessage = ({ data }) => {
  const start = new Int32Array(data.start);
  const channels = data.channels && {
    jobs: openChannel(data.channels.jobs, data.buffer),
    results: openChannel(data.channels.results, data.buffer),
  };
  const flag = data.flag && new Int32Array(data.flag);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  postMessage({ ready: true });
  waitForStart(start);
  ROLES[data.role]({ ...data, channels, flag, pause });
  postMessage({ exited: true });
};
