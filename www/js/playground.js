// The playground widget: knobs, the live picture (actors, channels, swimlanes), results and a
// summary. Self-contained: give it an element and a PoolClient.

import { applyEvents, createModel } from './model.js';
import { createControls } from './controls.js';
import { createActorView } from './view/actors.js';
import { createChannelView } from './view/channels.js';
import { drawLanes } from './view/lanes.js';
import { createResultsView, showSummary } from './view/results.js';
import { REASON_COLORS } from './view/palette.js';

const TEMPLATE = `
  <form class="controls" onsubmit="return false"></form>
  <p class="message" role="alert" hidden></p>
  <section class="picture" aria-label="The pool, live">
    <div class="flow">
      <div class="channel-view" data-channel="jobs"></div>
      <div class="channel-view" data-channel="results"></div>
    </div>
    <ul class="actors" aria-live="off"></ul>
    <canvas class="lanes" aria-label="Swimlanes: one row per actor, jobs as blocks, waits as bars"></canvas>
    <ul class="legend"></ul>
  </section>
  <section class="outcome">
    <div><h3>Results, in arrival order</h3><div class="results-view"></div></div>
    <div><h3>Summary</h3><dl class="summary"><dt>no run yet</dt></dl></div>
  </section>`;

/** Mounts a playground in `root`, driven by `client`. Returns `{ run(config), cancel() }`. */
export function mountPlayground(root, client) {
  root.classList.add('playground');
  root.innerHTML = TEMPLATE;
  const $ = (selector) => root.querySelector(selector);
  const message = $('.message');
  const canvas = $('.lanes');
  const showJobs = createChannelView($('[data-channel="jobs"]'), 'jobs channel');
  const showResults = createChannelView($('[data-channel="results"]'), 'results channel');
  const showActors = createActorView($('.actors'));
  const results = createResultsView($('.results-view'));
  const summary = $('.summary');
  $('.legend').replaceChildren(
    ...Object.entries({ full: 'send blocked: buffer full', empty: 'receive blocked: buffer empty', rendezvous: 'blocked: unbuffered hand-off', counter: 'waiting on the WaitGroup' }).map(
      ([reason, text]) => {
        const li = document.createElement('li');
        li.style.setProperty('--accent', REASON_COLORS[reason]);
        li.textContent = text;
        return li;
      },
    ),
  );

  let model = null;
  let startedAt = 0;
  let finalUntil = null;
  let available = true;

  const draw = () => {
    if (!model) return;
    const until = finalUntil ?? Math.max(model.now, performance.now() - startedAt);
    showJobs(model.channels.jobs);
    showResults(model.channels.results);
    showActors(model);
    results.update(model);
    drawLanes(canvas, model, until);
  };
  const animate = () => {
    draw();
    if (finalUntil === null) requestAnimationFrame(animate);
  };
  window.addEventListener('resize', draw);

  const controls = createControls($('.controls'), {
    onRun: () => run(controls.read()).catch(() => {}),
    onCancel: () => client.cancel(),
    onChange: (config) => preview(config),
  });

  /** Before the first run, the picture shows the empty pool the knobs describe. */
  function preview(config) {
    if (model && model.now > 0) return;
    model = createModel(config);
    finalUntil = 1000;
    draw();
  }
  preview(controls.read());

  async function run(config) {
    message.hidden = true;
    controls.setRunning(true, available);
    summary.replaceChildren(Object.assign(document.createElement('dt'), { textContent: 'running…' }));
    try {
      const report = await client.submit(
        { type: 'run', config },
        {
          onStarted(effective) {
            controls.set(effective);
            model = createModel(effective);
            startedAt = performance.now();
            finalUntil = null;
            results.reset();
            requestAnimationFrame(animate);
          },
          onEvents: (events) => applyEvents(model, events),
        },
      );
      finalUntil = report.stats.wallMs;
      draw();
      results.finish(report);
      showSummary(summary, report);
      return report;
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      controls.setRunning(false, available);
    }
  }

  return {
    run,
    cancel: () => client.cancel(),
    /** Disables running, with a reason shown in the widget. */
    disable(reason) {
      available = false;
      controls.setRunning(false, false);
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
