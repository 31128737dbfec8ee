// The playground widget: scenario picker, knobs, how the run ended, the live picture (channels,
// actors, swimlanes), the pictures for each scenario (ordering, queues, accounting, repeat),
// results and a summary. Self-contained: give it an element and a PoolClient.

import { applyEvents, createModel } from './model.js';
import { endOf, finishModel } from './replay.js';
import { mountProduction } from './production.js';
import { createControls } from './controls.js';
import { createPicker } from './picker.js';
import { scenarioText } from './scenarios.js';
import { createActorView } from './view/actors.js';
import { createChannelView } from './view/channels.js';
import { drawLanes } from './view/lanes.js';
import { createResultsView, showSummary } from './view/results.js';
import { createOrderingView } from './view/ordering.js';
import { blockedTotals, drawQueues } from './view/queues.js';
import { createVerdictView } from './view/verdict.js';
import { createAccountingView } from './view/accounting.js';
import { createRepeatView } from './view/repeat.js';
import { showLegend } from './view/palette.js';

/** Resolves in a later task, so the page can draw and take messages in between. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

const TEMPLATE = `
  <section class="scenario-picker" aria-label="Scenarios"></section>
  <form class="controls" onsubmit="return false"></form>
  <p class="message" role="alert" hidden></p>
  <section class="verdict" hidden></section>
  <section class="picture" aria-label="The pool, live">
    <div class="flow">
      <div class="channel-view" data-channel="jobs"></div>
      <div class="channel-view" data-channel="results"></div>
    </div>
    <ul class="actors" aria-live="off"></ul>
    <canvas class="lanes" aria-label="Swimlanes: one row per actor, jobs as blocks, waits as bars"></canvas>
    <ul class="legend"></ul>
  </section>
  <div class="panels">
    <details class="panel" data-panel="ordering">
      <summary>Ordering: job number against arrival</summary>
      <div class="ordering-view"></div>
    </details>
    <details class="panel" data-panel="queues">
      <summary>Queues over time, and who was blocked</summary>
      <canvas class="queues" aria-label="Queue depth of the jobs and results channels over time, with their capacities"></canvas>
      <p class="figure-note queue-totals"></p>
    </details>
    <details class="panel" data-panel="accounting">
      <summary>Where every job went</summary>
      <div class="accounting-view"></div>
    </details>
    <details class="panel" data-panel="repeat">
      <summary>Many tries: is it a race?</summary>
      <div class="repeat-view"></div>
    </details>
  </div>
  <section class="outcome">
    <div><h3 class="results-title">Results, in arrival order</h3><div class="results-view"></div></div>
    <div><h3>Summary</h3><dl class="summary"><dt>outcome</dt><dd>no run yet</dd></dl></div>
  </section>`;

/**
 * Mounts a playground in `root`, driven by `client`. Returns `{ run(config), cancel(), disable(reason) }`.
 * Every finished run, from the page or by script, is also announced on `root` as a
 * `poolplay-report` event whose `detail` is the report.
 */
export function mountPlayground(root, client) {
  root.classList.add('playground');
  root.innerHTML = TEMPLATE;
  const production = mountProduction(root);
  const $ = (selector) => root.querySelector(selector);
  const message = $('.message');
  const canvas = $('.lanes');
  const queuesCanvas = $('.queues');
  const queueTotals = $('.queue-totals');
  const resultsTitle = $('.results-title');
  const panels = new Map([...root.querySelectorAll('.panel')].map((p) => [p.dataset.panel, p]));
  const showJobs = createChannelView($('[data-channel="jobs"]'), 'jobs channel');
  const showResults = createChannelView($('[data-channel="results"]'), 'results channel');
  const showActors = createActorView($('.actors'));
  const results = createResultsView($('.results-view'));
  const ordering = createOrderingView($('.ordering-view'));
  const verdict = createVerdictView($('.verdict'));
  const accounting = createAccountingView($('.accounting-view'));
  const repeat = createRepeatView($('.repeat-view'), { runOnce: () => runFromKnobs() });
  const summary = $('.summary');
  showLegend($('.legend'));

  let model = null;
  let report = null;
  let finalUntil = null;
  let available = true;
  let running = 0; // runs submitted and not yet settled
  let poolThreads = 0;

  // Live, the picture is as far as the trace has got (its own clock), never the page's time.
  const until = () => finalUntil ?? model.now;
  const drawQueuePanel = () => {
    if (!model || !panels.get('queues').open) return;
    drawQueues(queuesCanvas, model, until());
    queueTotals.textContent = blockedTotals(model, until(), report?.stats);
  };
  // The canvases first: they read their width, which is free before anything else has changed.
  const draw = () => {
    if (!model) return;
    drawLanes(canvas, model, until());
    drawQueuePanel();
    showJobs(model.channels.jobs);
    showResults(model.channels.results);
    showActors(model);
    results.update(model);
    if (panels.get('ordering').open) ordering.update(model);
    production.update(model, until(), finalUntil === null);
  };
  // Live drawing leaves the main thread at least half of the time, and draws at most 30 times a
  // second: after a draw that took d ms the next waits max(2d, 33) ms, so streamed events are
  // taken in between.
  let nextDraw = 0;
  const animate = (now) => {
    if (now >= nextDraw) {
      const start = performance.now();
      draw();
      nextDraw = start + Math.max(2 * (performance.now() - start), 33);
    }
    if (finalUntil === null) requestAnimationFrame(animate);
  };
  window.addEventListener('resize', () => {
    draw();
    ordering.redraw();
    verdict.redraw();
  });
  panels.get('queues').addEventListener('toggle', drawQueuePanel);
  // The ordering chart is kept up to date only while its panel is open.
  panels.get('ordering').addEventListener('toggle', () => {
    if (!panels.get('ordering').open) return;
    if (report) ordering.finish(report);
    else if (model) ordering.update(model);
    ordering.redraw();
  });

  /** Opens and highlights the pictures that matter for a scenario; the others stay one click away. */
  function focusPanels(names) {
    for (const [name, panel] of panels) {
      const focus = names.includes(name);
      panel.open = focus;
      panel.classList.toggle('focus', focus);
    }
  }

  let problemsShown = false; // whether the message lists the knobs' problems
  let controls = null; // built once the core's table of fields arrives
  client.fields.then((fields) => {
    if (!fields) return;
    controls = createControls($('.controls'), fields.doubling, {
      onRun: () => runFromKnobs().catch(() => {}),
      onCancel: () => client.cancel(),
      onChange(config) {
        if (problemsShown) message.hidden = true;
        problemsShown = false;
        preview(config);
      },
      check: (config) => client.problems({ ...config, scenario: picker.current() }),
    });
    controls.setRunning(running > 0, available);
    preview(controls.read());
  });

  const picker = createPicker($('.scenario-picker'), {
    onPick(name, preset) {
      controls.reset();
      controls.set(preset);
      controls.openMore();
      focusPanels(scenarioText(name).focus);
      message.hidden = true;
      if (!running) preview(controls.read(), { fresh: true });
    },
  });
  focusPanels(scenarioText('basic').focus);

  client.ready.then(
    ({ threads, scenarios }) => {
      poolThreads = threads;
      picker.setPresets(scenarios);
    },
    () => {},
  );

  let previewed = 0; // the latest preview; older answers are dropped
  /**
   * Until a run happens (or when a scenario is picked), the picture shows the empty pool the knobs
   * describe, with the actors the core says it starts.
   */
  function preview(config, { fresh = false } = {}) {
    const stale = () => running || (!fresh && model && model.now > 0);
    if (stale()) return;
    const ticket = ++previewed;
    client.check({ ...config, scenario: picker.current() }).then(
      (checked) => {
        if (ticket !== previewed || stale()) return;
        model = createModel(checked, checked.actors);
        report = null;
        finalUntil = 1000;
        production.reset();
        results.reset();
        ordering.reset(checked);
        verdict.clear();
        accounting.clear('After a run: what became of each job.');
        draw();
      },
      () => {},
    );
  }

  /** Runs what the knobs say, plus the chosen scenario, once the core finds no problem in it. */
  async function runFromKnobs() {
    const problems = await controls.validate();
    if (problems.length) {
      message.textContent = `Not run: ${problems.map((p) => p.message).join(' · ')}`;
      message.hidden = false;
      problemsShown = true;
      throw new Error(problems[0].message);
    }
    return run({ ...controls.read(), scenario: picker.current() });
  }

  async function run(config) {
    message.hidden = true;
    problemsShown = false;
    running++;
    controls?.setRunning(true, available);
    picker.setLocked(true);
    summary.replaceChildren(
      Object.assign(document.createElement('dt'), { textContent: 'outcome' }),
      Object.assign(document.createElement('dd'), { textContent: 'running…' }),
    );
    try {
      const finished = await client.submit(
        { type: 'run', config },
        {
          onStarted(effective, actors) {
            controls?.set(effective, { complete: true });
            if (effective.scenario && effective.scenario !== picker.current()) {
              picker.select(effective.scenario);
              focusPanels(scenarioText(effective.scenario).focus);
            }
            model = createModel(effective, actors);
            report = null;
            production.reset();
            finalUntil = null;
            results.reset();
            ordering.reset(effective);
            verdict.clear();
            accounting.clear('Running…');
            resultsTitle.textContent = effective.ordered
              ? 'Results, in job order (released by the reorder buffer)'
              : 'Results, in arrival order';
            requestAnimationFrame(animate);
          },
          onEvents: (events, now) => applyEvents(model, events, now),
        },
      );
      // The finished picture is drawn in a few tasks (the report's message is one already), so a
      // big run's never holds the page long.
      await nextTask();
      report = finished;
      finalUntil = endOf(report);
      finishModel(model, report);
      draw();
      await nextTask();
      production.finish(model, report);
      results.finish(report);
      showSummary(summary, report);
      accounting.show(report);
      await nextTask();
      verdict.show(report, poolThreads);
      drawQueuePanel();
      if (panels.get('ordering').open) {
        await nextTask();
        ordering.finish(report);
      }
      root.dispatchEvent(new CustomEvent('poolplay-report', { detail: report }));
      return report;
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      running--;
      controls?.setRunning(running > 0, available);
      picker.setLocked(running > 0);
    }
  }

  return {
    run,
    cancel: () => client.cancel(),
    /** Disables running, with a reason shown in the widget. */
    disable(reason) {
      available = false;
      controls?.setRunning(false, false);
      repeat.setAvailable(false);
      message.textContent = reason;
      message.hidden = false;
    },
  };
}
