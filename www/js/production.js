// The production patterns' pictures in the playground: a progress reporter for every run, and a
// panel each for a comparison (no pool against a pool), the dead-letter queue of a run that
// retries, and an autoscaling pool's workers and queue over time. Self-contained: it adds its
// elements to a mounted playground and is told about the model, the time and the report.

import { createComparisonView } from './view/comparison.js';
import { createDeadLetterView } from './view/deadletters.js';
import { createProgressView } from './view/progress.js';
import { drawScaling, scalingSummary } from './view/scaling.js';

const PANELS = `
  <details class="panel" data-panel="comparison">
    <summary>No pool against a pool: requests in progress, side by side</summary>
    <div class="comparison"></div>
  </details>
  <details class="panel" data-panel="retry">
    <summary>Retries: the dead-letter queue</summary>
    <div class="dead-letter-view"></div>
  </details>
  <details class="panel" data-panel="scaling">
    <summary>Autoscaling: workers and queue depth over time</summary>
    <canvas class="scaling" aria-label="Worker count and queue depth over time, with the bounds and the scale-up threshold"></canvas>
    <p class="figure-note scaling-totals"></p>
  </details>`;

/**
 * Adds the reporter and the panels to the playground mounted in `root` (before it collects its
 * panels). Returns `{ reset(), update(model, until, running), finish(model, report) }`.
 */
export function mountProduction(root) {
  const $ = (selector) => root.querySelector(selector);
  $('.panels').insertAdjacentHTML('beforeend', PANELS);
  const reporter = document.createElement('div');
  $('.picture').prepend(reporter);
  const progress = createProgressView(reporter);
  const comparison = createComparisonView($('.comparison'));
  const deadLetters = createDeadLetterView($('.dead-letter-view'));
  const scalingCanvas = $('.scaling');
  const scalingTotals = $('.scaling-totals');
  const panel = (name) => $(`.panel[data-panel="${name}"]`);

  let last = null; // { model, until, report }
  let compared = false; // whether the comparison shows a finished report

  function drawPanels() {
    if (!last) return;
    const { model, until, report } = last;
    if (panel('comparison').open && model.phases.length && !compared) comparison.update(model, until);
    if (panel('comparison').open && compared) comparison.redraw();
    if (panel('retry').open) deadLetters.update(model);
    if (panel('scaling').open && model.config.pool === 'autoscale') {
      drawScaling(scalingCanvas, model, until);
      scalingTotals.textContent = scalingSummary(model, report);
    }
  }
  for (const name of ['comparison', 'retry', 'scaling']) panel(name).addEventListener('toggle', drawPanels);
  window.addEventListener('resize', drawPanels);

  return {
    /** A new run (or an empty preview) is about to be drawn. */
    reset() {
      last = null;
      compared = false;
      progress.reset();
      deadLetters.clear('Runs that retry (maxAttempts above 1) list here the jobs that failed every attempt.');
      scalingTotals.textContent = 'Runs with pool "autoscale" draw their worker count and queue here.';
      scalingCanvas.getContext('2d').clearRect(0, 0, scalingCanvas.width, scalingCanvas.height);
    },
    /** Follows the run: the model at `until` ms; `running` while it goes on. */
    update(model, until, running) {
      last = { model, until, report: last?.report };
      progress.update(model, until, running);
      drawPanels();
    },
    /** The run is over: the figures only the report has. */
    finish(model, report) {
      last = { model, until: last?.until ?? model.now, report };
      progress.finish(report);
      if (report.comparison) {
        comparison.finish(report);
        compared = true;
      }
      deadLetters.finish(report);
      drawPanels();
    },
  };
}
