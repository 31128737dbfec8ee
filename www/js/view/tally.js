// Who did how much: one chip per worker in its colour, with a count that grows as results arrive.

import { workerColor } from './palette.js';

/** Builds the chips in `root`; returns `{ reset(workers), add(results) }`. `noun` names what is counted. */
export function createWorkerTally(root, noun) {
  root.classList.add('worker-tally');
  let counts = [];
  const draw = () => {
    root.replaceChildren(
      ...counts.map((count, i) => {
        const li = document.createElement('li');
        li.style.setProperty('--accent', workerColor(i + 1));
        li.textContent = `worker ${i + 1} · ${count} ${count === 1 ? noun : `${noun}s`}`;
        return li;
      }),
    );
  };
  return {
    reset(workers) {
      counts = Array.from({ length: workers }, () => 0);
      draw();
    },
    add(results) {
      for (const { worker } of results) if (worker >= 1 && worker <= counts.length) counts[worker - 1]++;
      draw();
    },
  };
}
