// The embedded playground's picture: the two channels, the actors, the swimlanes, the verdict,
// the figures and the results, plus the pictures the scenario is about (ordering chart, queues over
// time, where every job went, and the production patterns': no pool against a pool, the
// dead-letter queue, an autoscaling pool over time), all drawn by the page's own view modules from a model (model.js)
// at some moment. A live run, a replay and a recording all go through `show` and `verdict`.

import { createAccountingView } from '../view/accounting.js';
import { createActorView } from '../view/actors.js';
import { createChannelView } from '../view/channels.js';
import { createComparisonView } from '../view/comparison.js';
import { createDeadLetterView } from '../view/deadletters.js';
import { drawLanes } from '../view/lanes.js';
import { createOrderingView } from '../view/ordering.js';
import { showLegend } from '../view/palette.js';
import { blockedTotals, drawQueues } from '../view/queues.js';
import { createResultsView, showSummary } from '../view/results.js';
import { drawScaling, scalingSummary } from '../view/scaling.js';
import { createVerdictView } from '../view/verdict.js';

const TEMPLATE = `
  <section class="verdict" hidden></section>
  <dl class="summary" aria-label="Summary of the run" hidden></dl>
  <div class="flow">
    <div class="channel-view" data-channel="jobs"></div>
    <div class="channel-view" data-channel="results"></div>
  </div>
  <ul class="actors"></ul>
  <canvas class="lanes" role="img" aria-label="Swimlanes: one row per actor, jobs as blocks, waits as bars"></canvas>
  <ul class="legend"></ul>
  <section class="embed-panel" data-panel="ordering" hidden>
    <h3>Ordering: job number against arrival</h3>
    <div class="ordering-view"></div>
  </section>
  <section class="embed-panel" data-panel="queues" hidden>
    <h3>Queues over time, and who was blocked</h3>
    <canvas class="queues" role="img" aria-label="Queue depth of the jobs and results channels over time, with their capacities"></canvas>
    <p class="figure-note queue-totals"></p>
  </section>
  <section class="embed-panel" data-panel="accounting" hidden>
    <h3>Where every job went</h3>
    <div class="accounting-view"></div>
  </section>
  <section class="embed-panel" data-panel="comparison" hidden>
    <h3>No pool against a pool: requests in progress, side by side</h3>
    <div class="comparison"></div>
  </section>
  <section class="embed-panel" data-panel="retry" hidden>
    <h3>Retries: the dead-letter queue</h3>
    <div class="dead-letter-view"></div>
  </section>
  <section class="embed-panel" data-panel="scaling" hidden>
    <h3>Autoscaling: workers and queue depth over time</h3>
    <canvas class="scaling" role="img" aria-label="Worker count and queue depth over time, with the bounds and the scale-up threshold"></canvas>
    <p class="figure-note scaling-totals"></p>
  </section>
  <details class="results-panel">
    <summary>Results, as the consumer got them (<span class="result-count">0</span>)</summary>
    <div class="results-view"></div>
  </details>`;

/**
 * Builds the picture in `root`. Returns `{ focus(panels), show(model, until, span),
 * verdict(report, threads), clearVerdict(), redraw() }`; `focus` picks which of the scenario
 * pictures ('ordering', 'queues', 'accounting') to show.
 */
export function createPicture(root) {
  root.classList.add('picture');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const showJobs = createChannelView($('[data-channel="jobs"]'), 'jobs channel');
  const showResults = createChannelView($('[data-channel="results"]'), 'results channel');
  const showActors = createActorView($('.actors'));
  const results = createResultsView($('.results-view'));
  const verdict = createVerdictView($('.verdict'));
  const ordering = createOrderingView($('.ordering-view'));
  const accounting = createAccountingView($('.accounting-view'));
  const comparison = createComparisonView($('.comparison'));
  const deadLetters = createDeadLetterView($('.dead-letter-view'));
  const scaling = $('.scaling');
  const scalingTotals = $('.scaling-totals');
  const canvas = $('.lanes');
  const queues = $('.queues');
  const queueTotals = $('.queue-totals');
  const count = $('.result-count');
  const summary = $('.summary');
  const panels = new Map([...root.querySelectorAll('.embed-panel')].map((panel) => [panel.dataset.panel, panel]));
  const shown = (name) => !panels.get(name).hidden;
  showLegend($('.legend'));

  let last = null; // { model, until, span, report }

  function draw() {
    const { model, until, span, report } = last;
    drawLanes(canvas, model, until, span);
    if (shown('queues')) {
      drawQueues(queues, model, until, span);
      queueTotals.textContent = blockedTotals(model, until, report?.stats);
    }
    if (shown('comparison')) {
      if (report?.comparison) comparison.finish(report);
      else comparison.update(model, until);
    }
    if (shown('retry')) {
      if (report) deadLetters.finish(report);
      else deadLetters.update(model);
    }
    if (shown('scaling') && model.config.pool === 'autoscale') {
      drawScaling(scaling, model, until);
      scalingTotals.textContent = scalingSummary(model, report);
    }
  }

  return {
    focus(names) {
      for (const [name, panel] of panels) panel.hidden = !names.includes(name);
    },
    /** Draws `model` as it was at `until` ms, on a time axis of `span` ms. */
    show(model, until, span = until) {
      if (last?.model !== model) {
        results.reset();
        ordering.reset(model.config);
      }
      last = { model, until, span, report: null };
      showJobs(model.channels.jobs);
      showResults(model.channels.results);
      showActors(model);
      results.update(model);
      if (shown('ordering')) ordering.update(model);
      count.textContent = String((model.config.ordered ? model.delivered : model.results).length);
      draw();
    },
    /** Shows how `report` ended (Go's words, the wait-for picture, the figures); `threads` is the pool's size. */
    verdict(report, threads) {
      verdict.show(report, threads);
      showSummary(summary, report);
      summary.hidden = false;
      if (shown('ordering')) ordering.finish(report);
      accounting.show(report);
      if (last) {
        last.report = report;
        draw();
      }
    },
    /** Hides the verdict and figures (a run or a replay is before its end). */
    clearVerdict() {
      verdict.clear();
      summary.hidden = true;
      accounting.clear('After the run: what became of each job.');
      deadLetters.clear('Jobs that fail every attempt are listed here.');
    },
    /** Draws the last picture again at the current width. */
    redraw() {
      if (last) draw();
      verdict.redraw();
      ordering.redraw();
    },
  };
}
