// The embedded playground's picture: the two channels, the actors, the swimlanes, the verdict and
// the results, drawn by the page's own view modules from a model (model.js) at some moment. A live
// run, a replay and a recording all go through `show`.

import { createActorView } from '../view/actors.js';
import { createChannelView } from '../view/channels.js';
import { drawLanes } from '../view/lanes.js';
import { showLegend } from '../view/palette.js';
import { createResultsView } from '../view/results.js';
import { createVerdictView } from '../view/verdict.js';

const TEMPLATE = `
  <section class="verdict" hidden></section>
  <div class="flow">
    <div class="channel-view" data-channel="jobs"></div>
    <div class="channel-view" data-channel="results"></div>
  </div>
  <ul class="actors"></ul>
  <canvas class="lanes" role="img" aria-label="Swimlanes: one row per actor, jobs as blocks, waits as bars"></canvas>
  <ul class="legend"></ul>
  <details class="results-panel">
    <summary>Results, as the consumer got them (<span class="result-count">0</span>)</summary>
    <div class="results-view"></div>
  </details>`;

/** Builds the picture in `root`; returns `{ show(model, until, span), verdict(report, threads), clear(), redraw() }`. */
export function createPicture(root) {
  root.classList.add('picture');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const showJobs = createChannelView($('[data-channel="jobs"]'), 'jobs channel');
  const showResults = createChannelView($('[data-channel="results"]'), 'results channel');
  const showActors = createActorView($('.actors'));
  const results = createResultsView($('.results-view'));
  const verdict = createVerdictView($('.verdict'));
  const canvas = $('.lanes');
  const count = $('.result-count');
  showLegend($('.legend'));

  let last = null; // { model, until, span }

  function show(model, until, span = until) {
    if (last?.model !== model) results.reset();
    last = { model, until, span };
    showJobs(model.channels.jobs);
    showResults(model.channels.results);
    showActors(model);
    results.update(model);
    count.textContent = String((model.config.ordered ? model.delivered : model.results).length);
    drawLanes(canvas, model, until, span);
  }

  return {
    show,
    /** Shows how `report` ended (Go's words, the wait-for picture); `threads` is the pool's size. */
    verdict: (report, threads) => verdict.show(report, threads),
    /** Hides the verdict (a run or a replay is before its end). */
    clearVerdict: () => verdict.clear(),
    /** Draws the last picture again at the current width. */
    redraw() {
      if (last) drawLanes(canvas, last.model, last.until, last.span);
      verdict.redraw();
    },
  };
}
