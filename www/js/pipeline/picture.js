// The pipeline's picture: the canvas of its lanes (draw.js) with a legend, followed live on the
// run's clock, and the finished run in words and figures below it (report-view.js), the
// bottleneck marked once a run went through. The pipeline widget (widget.js) and a challenge on a
// pipeline (challenges/widget.js) both show a run with it. The caller feeds the live model
// (model.js); nothing here runs anything.

import { createPipelineModel, modelOfReport } from './model.js';
import { drawPipeline } from './draw.js';
import { showPipelineReport } from './report-view.js';

const TEMPLATE = `
  <section class="pipeline-picture" aria-label="The pipeline">
    <canvas class="pipeline-lanes" role="img" aria-label="The pipeline over time: the source, each stage's workers and closer with the queue of its output channel, and the consumer"></canvas>
    <ul class="legend pipeline-legend" aria-label="What the picture's marks mean">
      <li><span class="swatch work"></span>a job being worked on (its number)</li>
      <li><span class="swatch dropped"></span>a job a cancel cut short (dropped)</li>
      <li><span class="swatch wait-empty"></span>waiting to receive</li>
      <li><span class="swatch wait-full"></span>waiting to send (buffer full)</li>
      <li><span class="swatch wait-rendezvous"></span>waiting for a partner (unbuffered)</li>
      <li><span class="swatch queue"></span>a channel's queue, capacity dashed</li>
    </ul>
  </section>
  <section class="pipeline-report" aria-live="polite"><p></p></section>`;

const line = (text) => Object.assign(document.createElement('p'), { textContent: text });

/**
 * Builds the picture at the end of `root`; `idle` is what the report's place says before any run.
 * Returns `{ preview(config, actors), start(model), finish(report), stop(note), report(), redraw() }`.
 */
export function createPipelinePicture(root, { idle = 'No run yet.' } = {}) {
  const box = document.createElement('div');
  box.innerHTML = TEMPLATE; // static markup only
  const canvas = box.querySelector('.pipeline-lanes');
  const words = box.querySelector('.pipeline-report');
  words.replaceChildren(line(idle));
  root.append(...box.children);

  let shown = null; // { model, span, bottleneck }
  let live = null; // the model a live run streams into
  let timer = 0; // the next live draw
  let last = null; // the finished report on show

  function draw() {
    if (!shown) return;
    const { model, span, bottleneck } = shown;
    drawPipeline(canvas, model, Math.min(model.now || span, span), span, bottleneck);
  }

  function show(model, span, bottleneck) {
    shown = { model, span, bottleneck };
    draw();
  }

  function stopLive() {
    live = null;
    clearTimeout(timer);
  }

  /** Draws the live run about 20 times a second, its axis a little ahead of its clock. */
  function step() {
    if (!live) return;
    show(live, Math.max(live.now * 1.15, 1000), null);
    timer = setTimeout(step, 50);
  }

  return {
    /** Shows the empty pipeline `config` describes, with the `actors` the core says it starts. */
    preview(config, actors) {
      if (live) return;
      show(createPipelineModel(config, actors), 1000, null);
    },
    /** A live run starts with `model` (fed by the caller): followed until `finish` or `stop`. */
    start(model) {
      stopLive();
      words.replaceChildren(line('Running…'));
      live = model;
      step();
    },
    /** The run is over: its whole picture, the bottleneck marked if it went through, and its report. */
    finish(report) {
      stopLive();
      // The bottleneck is marked where it limited a run that went through (not a frozen one).
      const marked = report.outcome === 'completed' ? report.bottleneck : null;
      show(modelOfReport(report), report.stats.wallMs, marked);
      showPipelineReport(words, report);
      last = report;
    },
    /** A live run ended without a report: the picture stays as it was, `note` says so. */
    stop(note = 'Not run.') {
      stopLive();
      words.replaceChildren(line(note));
    },
    /** The finished report on show, or null. */
    report: () => last,
    /** Draws again at the current width. */
    redraw: draw,
  };
}
