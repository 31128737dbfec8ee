// Batch mode: the built-in samples the reader ticks and the reader's own files, each image a job;
// cards fill in as results arrive, framed in the colour of the worker that made them.

import { createKnobGroup } from './image-knobs.js';
import { createFilePicker } from './files.js';
import { submitImageRun } from './image-run.js';
import { createRunControls } from './run-controls.js';
import { createCardsView, showStageLegend } from './view/cards.js';
import { createWorkerTally } from './view/tally.js';

const TEMPLATE = `
  <form class="controls image-controls" onsubmit="return false">
    <div class="knobs"></div>
    <div class="image-buttons">
      <button type="button" class="run">Run batch</button>
      <button type="button" class="cancel" disabled>Cancel</button>
    </div>
    <details class="image-more">
      <summary>More knobs: waiting, pixel budget, buffers</summary>
      <div class="more-knobs"></div>
    </details>
  </form>
  <div class="sources">
    <fieldset class="samples">
      <legend>Samples, drawn in wasm</legend>
      <div class="sample-toggles"></div>
    </fieldset>
    <fieldset class="own-files">
      <legend>Your images</legend>
      <div class="files"></div>
    </fieldset>
  </div>
  <p class="image-message" role="alert" hidden></p>
  <p class="batch-status" aria-live="polite">Press Run batch: each image is one job for the pool.</p>
  <ul class="worker-tally"></ul>
  <div class="image-cards-view"></div>
  <ul class="legend stage-legend" aria-label="Stages"></ul>`;

/** Megapixels of the source images that became thumbnails. */
function megapixels(results) {
  return results.reduce((sum, r) => (r.error === undefined && r.sourceWidth ? sum + (r.sourceWidth * r.sourceHeight) / 1e6 : sum), 0);
}

/** One line about a finished batch. */
function describe(report) {
  const { results, stats, config } = report;
  const failed = results.filter((r) => r.error !== undefined).length;
  const mp = megapixels(results);
  const seconds = stats.wallMs / 1000;
  const parts = [
    `${results.length} ${results.length === 1 ? 'image' : 'images'}: ${results.length - failed} resized, ${failed} failed`,
    `${seconds.toFixed(2)} s with ${config.workers} ${config.workers === 1 ? 'worker' : 'workers'}`,
    `${(mp / seconds).toFixed(1)} megapixels/s`,
  ];
  if (report.outcome !== 'completed') parts.unshift(report.message ?? report.outcome);
  return parts.join(' · ');
}

/**
 * Builds the batch widget in `root`, driven by `client`. Returns `{ run(config, files?),
 * setSamples(list), setAvailable(flag) }`; `run` resolves with the report, `onReport(report)`
 * hears every finished batch.
 */
export function createBatchWidget(root, client, { onReport }) {
  root.classList.add('image-batch');
  root.innerHTML = TEMPLATE;
  const $ = (selector) => root.querySelector(selector);
  const knobs = createKnobGroup($('.knobs'), client.fields, ['workers', 'targetWidth', 'format', 'quality']);
  const more = createKnobGroup($('.more-knobs'), client.fields, ['fetchMs', 'maxMegapixels', 'jobsBuffer', 'resultsBuffer']);
  const files = createFilePicker($('.files'));
  const cards = createCardsView($('.image-cards-view'));
  const tally = createWorkerTally($('.worker-tally'), 'image');
  const message = $('.image-message');
  const status = $('.batch-status');
  const runButton = $('.run');
  const cancelButton = $('.cancel');
  showStageLegend($('.stage-legend'));

  function setSamples(list) {
    $('.sample-toggles').replaceChildren(
      ...list.map(({ width, height }) => {
        const label = document.createElement('label');
        const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: true, value: `${width}x${height}` });
        label.append(box, `${width}×${height}`);
        return label;
      }),
    );
  }

  /** The config and files the widget's knobs and choices describe. */
  async function fromPage() {
    const images = [...root.querySelectorAll('.sample-toggles input:checked')].map((box) => box.value);
    return [{ example: 'image', mode: 'batch', images, ...knobs.read(), ...more.read() }, await files.read()];
  }

  async function perform(config, chosen) {
    let total = 0;
    let done = 0;
    const report = await submitImageRun(client, config, chosen, {
      onStarted(effective) {
        knobs.set(effective);
        more.set(effective);
        total = effective.batch.length;
        cards.plan(effective.batch, effective.format);
        tally.reset(effective.workers);
        status.textContent = `0 of ${total} done…`;
      },
      onWorking: (job, worker) => cards.working(job, worker),
      onResults(results) {
        cards.show(results);
        tally.add(results);
        done += results.length;
        status.textContent = `${done} of ${total} done…`;
      },
    });
    cards.show(report.results);
    tally.reset(report.config.workers);
    tally.add(report.results);
    status.textContent = describe(report);
    onReport(report);
    return report;
  }

  const controls = createRunControls({
    runButton,
    cancelButton,
    message,
    status,
    client,
    notStarted: 'The batch did not start.',
    fromPage,
    perform,
  });
  cards.clear('No batch yet.');

  return { run: controls.run, setSamples, setAvailable: controls.setAvailable };
}
