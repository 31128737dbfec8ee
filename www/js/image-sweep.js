// The sizing sweep: the same batch with 1, 2, … N workers, timed on this machine. A batch that
// only computes stops speeding up once every core is busy; a batch whose jobs mostly wait keeps
// speeding up, because a waiting worker leaves its core to the others.

import { buildKnob } from './controls.js';
import { submitImageRun } from './image-run.js';
import { createSpeedupChart } from './view/speedup.js';

/** The two batches, each run with every worker count. */
const SERIES = [
  {
    key: 'cpu',
    label: 'CPU-bound: 16 images of 1280×720, each drawn and resized',
    color: '#1c7ed6',
    config: { images: Array(16).fill('1280x720'), targetWidth: 160, fetchMs: 0 },
  },
  {
    key: 'io',
    label: 'I/O-like: 16 images of 320×240, each waiting 150 ms first',
    color: '#e8590c',
    config: { images: Array(16).fill('320x240'), targetWidth: 160, fetchMs: 150 },
  },
];

const TEMPLATE = `
  <p class="sweep-text">How many workers should a pool have? Measure it. Each batch below runs once
    with every worker count; speedup is the time with one worker divided by the time with N.</p>
  <form class="controls image-controls" onsubmit="return false">
    <div class="knobs"></div>
    <div class="image-buttons">
      <button type="button" class="run">Run sweep</button>
      <button type="button" class="cancel" disabled>Stop</button>
    </div>
  </form>
  <p class="image-message" role="alert" hidden></p>
  <p class="sweep-status" aria-live="polite"></p>
  <div class="speedup-view"></div>
  <table class="sweep-table">
    <caption>Wall time of each batch, and speedup over one worker</caption>
    <thead><tr><th scope="col">workers</th><th scope="col">CPU-bound</th><th scope="col">I/O-like</th></tr></thead>
    <tbody></tbody>
  </table>`;

/**
 * Builds the sweep in `root`, driven by `client`. Returns `{ run(most), setAvailable(flag) }`;
 * `run` resolves with `{ cpu: [{ workers, wallMs, speedup }], io: [...] }`.
 */
export function createSweepWidget(root, client) {
  root.classList.add('image-sweep');
  root.innerHTML = TEMPLATE;
  const $ = (selector) => root.querySelector(selector);
  const cores = navigator.hardwareConcurrency || null;
  const most = buildKnob(
    { name: 'mostWorkers', label: 'Workers, from 1 up to', min: 1, max: 16, step: 1, value: Math.min(16, Math.max(8, (cores ?? 2) + 4)) },
    () => {},
  );
  $('.knobs').replaceChildren(most.label);
  const chart = createSpeedupChart($('.speedup-view'));
  const message = $('.image-message');
  const status = $('.sweep-status');
  const rows = $('.sweep-table tbody');
  const runButton = $('.run');
  const stopButton = $('.cancel');
  let available = true;
  let sweeping = false;
  let stop = false;
  const setRunning = () => {
    runButton.disabled = sweeping || !available;
    stopButton.disabled = !sweeping;
  };
  window.addEventListener('resize', () => chart.redraw());

  function showTable(measured, count) {
    const cell = (entry) => (entry ? `${(entry.wallMs / 1000).toFixed(2)} s · ${entry.speedup.toFixed(2)}×` : '');
    rows.replaceChildren(
      ...Array.from({ length: count }, (_, i) => {
        const tr = document.createElement('tr');
        for (const text of [String(i + 1), cell(measured.cpu[i]), cell(measured.io[i])]) {
          tr.append(Object.assign(document.createElement('td'), { textContent: text }));
        }
        return tr;
      }),
    );
  }

  async function run(count) {
    sweeping = true;
    stop = false;
    setRunning();
    message.hidden = true;
    chart.reset(count, cores, SERIES);
    const measured = { cpu: [], io: [] };
    showTable(measured, count);
    try {
      for (const { key, label, config } of SERIES) {
        for (let workers = 1; workers <= count && !stop; workers++) {
          status.textContent = `${label.split(':')[0]} batch with ${workers} ${workers === 1 ? 'worker' : 'workers'}…`;
          const report = await submitImageRun(client, { example: 'image', ...config, workers, jobsBuffer: 16, resultsBuffer: 16 }, [], {});
          if (report.outcome !== 'completed') break;
          const wallMs = report.stats.wallMs;
          const speedup = workers === 1 ? 1 : measured[key][0].wallMs / wallMs;
          measured[key].push({ workers, wallMs, speedup });
          chart.add(key, workers, speedup);
          showTable(measured, count);
        }
      }
      const best = (key) => Math.max(...measured[key].map((m) => m.speedup));
      status.textContent = stop
        ? 'Stopped.'
        : `Best speedup: ${best('cpu').toFixed(2)}× for the CPU-bound batch, ${best('io').toFixed(2)}× for the I/O-like one` +
          (cores ? `, on ${cores} cores.` : '.');
      return measured;
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      sweeping = false;
      setRunning();
    }
  }

  runButton.addEventListener('click', () => run(Number(most.get())).catch(() => {}));
  stopButton.addEventListener('click', () => {
    stop = true;
    client.cancel();
  });
  chart.reset(Number(most.get()), cores, SERIES);
  showTable({ cpu: [], io: [] }, 0);

  return {
    run,
    setAvailable(flag) {
      available = flag;
      setRunning();
    },
  };
}
