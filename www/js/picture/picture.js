// The one picture of a run, shared by the playground, the tutorial's lessons and the embeds: the
// progress line, the two channels, the actors, the swimlanes with their legend, the verdict, the
// scenario's panels (panels.js), the replay scrubber, and the results with the summary.
//
// Everything is drawn from a model (model.js) at some moment, in three parts: the lanes, the
// panels and the words. A live run is given to `start`: the caller feeds the model as events
// stream in, and the picture follows it on the trace's own clock (`model.now`), drawing only what
// is on the screen, at most 30 times a second and never more than half the time (the lanes, the
// words and the panels' charts in turns; the lanes a few at a time, off the page, shown when
// done), so a big run's events are taken in between and no task holds the page long. `finish`
// takes the report and draws the end a part per task; from then on the scrubber replays the run
// (replay.js) through the same drawing, catching up over several tasks when a big run's replay
// moves back, and the verdict shows when the replay is at its end. A recording is just a report given to `finish`.
//
// Every count a finished run shows (the progress line, the summary, the accounting panel, the
// results' count) is read from the report's `accounting` (account.js), so they cannot disagree.

import { createModel } from '../model.js';
import { createReplay, finishModel } from '../replay.js';
import { createScrubber } from './scrubber.js';
import { createActorView } from '../view/actors.js';
import { createChannelView } from '../view/channels.js';
import { drawLanes, drawLanesInSteps } from '../view/lanes.js';
import { showLegend } from '../view/palette.js';
import { createProgressView } from '../view/progress.js';
import { createResultsView, showSummary } from '../view/results.js';
import { createVerdictView } from '../view/verdict.js';
import { PANELS } from './panels.js';
import { nextTask } from '../tasks.js';

const TEMPLATE = `
  <section class="verdict" hidden></section>
  <section class="picture-live" aria-label="The pool">
    <div class="progress-slot"></div>
    <div class="flow">
      <div class="channel-view" data-channel="jobs"></div>
      <div class="channel-view" data-channel="results"></div>
    </div>
    <ul class="actors" aria-live="off"></ul>
    <canvas class="lanes" role="img" aria-label="Swimlanes: one row per actor, jobs as blocks, waits as bars, failures cross-hatched, closes and panics where they happened"></canvas>
    <ul class="legend" aria-label="What the swimlanes' marks mean"></ul>
  </section>
  <section class="replay" aria-label="Replay" hidden>
    <h3 class="replay-title">Replay</h3>
    <div class="replay-controls"></div>
  </section>
  <div class="panels"></div>
  <section class="outcome">
    <details class="results-panel">
      <summary><span class="results-side"></span><span class="results-title">Results, in arrival order</span> (<span class="result-count">0</span>)</summary>
      <div class="results-view"></div>
    </details>
    <div class="summary-box"><h3>Summary</h3><dl class="summary" aria-label="Summary of the run"><dt>outcome</dt><dd>no run yet</dd></dl></div>
  </section>`;

/** The longest the lanes (a live frame's, a run's end) are drawn in one task at a time. */
const LANE_STEPS_MS = 4;

/** The most events a replay applies in one task before it lets the page draw and take input. */
const REPLAY_BUDGET = 5000;

/** Resolves in a later task, so the page can draw and take messages in between. */
const laterTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Builds the picture in `root`. Options: `only` ('focus': only the focused panels are there, as in
 * an embed; else all, the others closed; a panel marked `everywhere` is always there),
 * `runOnce` (lets the repeat panel run), `edit(fields)` (lets a panel change the host's knobs, as
 * the Go program's toggles do), `resultsOpen`.
 * Returns `{ focus(names), follow(config), preview(config, actors), start(model), finish(report,
 * threads), stop(), scrubber, panel(name), report(), setResultsTitle(text), redraw() }`.
 */
export function createPicture(root, { only = 'all', runOnce = null, edit = null, resultsOpen = false } = {}) {
  root.classList.add('picture');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const showJobs = createChannelView($('[data-channel="jobs"]'), 'jobs channel');
  const showResults = createChannelView($('[data-channel="results"]'), 'results channel');
  const showActors = createActorView($('.actors'));
  const progress = createProgressView($('.progress-slot'));
  const results = createResultsView($('.results-view'));
  const verdict = createVerdictView($('.verdict'));
  const lanes = $('.lanes');
  const list = $('.results');
  const count = $('.result-count');
  const resultsSide = $('.results-side');
  const summary = $('.summary');
  $('.results-panel').open = resultsOpen;
  showLegend($('.legend'));

  const panels = new Map();
  for (const panel of PANELS) {
    if (panel.needs && !{ runOnce }[panel.needs]) continue;
    const element = document.createElement('details');
    element.className = 'panel';
    element.dataset.panel = panel.name;
    element.innerHTML = `<summary>${panel.title}</summary>${panel.markup}`; // static markup only
    $('.panels').append(element);
    panels.set(panel.name, {
      element,
      view: panel.mount(element, { runOnce, edit }),
      always: panel.always === true,
      everywhere: panel.everywhere === true,
    });
  }
  /** Tells the panels the knobs' setup: the program the next run will be. */
  const follow = (config) => {
    for (const { view } of panels.values()) view.follow?.(config);
  };
  const shown = ({ element }) => !element.hidden && element.open;
  const drawn = (entry) => entry.always || shown(entry);

  let last = null; // { model, until, span, report, running }
  let finished = null; // { report, model, threads, replay }
  let listed = null; // the report whose results the list shows
  let verdictFor = null;

  // What is on the screen. A live run draws only that (a big run's frames are short of the main
  // thread); what was left out is the next frame's part once it scrolls into view (`due`), and the
  // run's end draws it all.
  const onScreen = new Set();
  const due = new Set(); // parts that came into sight during a live run and are not drawn yet
  const sight = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (isIntersecting) {
        onScreen.add(target);
        if (live) due.add(target === lanes ? 'lanes' : 'panels');
      } else onScreen.delete(target);
    }
    if (live) nextDraw = 0;
  });
  sight.observe(lanes);
  for (const { element } of panels.values()) sight.observe(element);
  const inSight = (element) => !last?.running || onScreen.has(element);

  // A live frame's lanes, and those of a run's end, are drawn off the page a lane at a time, at
  // most LANE_STEPS_MS per task, and shown at once when done; any newer drawing drops an older one.
  let laneSteps = null; // the drawing in progress
  let lanesDone = Promise.resolve(); // resolves once the latest drawing is shown or dropped
  const stepLanes = (steps) => {
    laneSteps = steps;
    lanesDone = new Promise((resolve) => {
      const step = () => {
        const stop = performance.now() + LANE_STEPS_MS;
        while (laneSteps === steps) {
          if (steps.next().done) laneSteps = null;
          else if (performance.now() >= stop) return nextTask(step);
        }
        resolve();
      };
      step();
    });
  };

  // The picture's three parts: the lanes, the panels, and the words (channels, actors, progress
  // line, results). A live frame draws one of them; a run's end draws the lanes in steps, then the
  // words and each panel in a task of its own. The canvases first (the words change the DOM).
  const ALL = ['lanes', 'panels', 'words'];
  /** Draws one of the panels, if it is drawn at all and in sight. */
  function drawPanel(entry) {
    const { model, until, span, report } = last;
    if (drawn(entry) && inSight(entry.element)) entry.view.draw(model, until, report, span);
  }
  function draw(parts = ALL) {
    if (!last) return;
    const { model, until, span, report, running } = last;
    if (parts.includes('lanes') && inSight(lanes)) {
      if (running || loading) stepLanes(drawLanesInSteps(lanes, model, until, span, { live: running }));
      else {
        laneSteps = null;
        drawLanes(lanes, model, until, span);
      }
    }
    if (parts.includes('panels')) for (const entry of panels.values()) drawPanel(entry);
    if (!parts.includes('words')) return;
    showJobs(model.channels.jobs);
    showResults(model.channels.results);
    showActors(model);
    progress.update(model, until, running);
    if (!report) results.update(model);
    else if (listed !== report) results.finish(report);
    listed = report;
    count.textContent = list.dataset.total ?? '0';
    // A comparison lists one side's results at a time (the pool side's once it is over).
    const side = report ? report.comparison && 'pool' : model.phases.at(-1)?.phase;
    resultsSide.textContent = side ? (side === 'pool' ? 'Pool side: ' : 'No pool: ') : '';
  }

  /** A new model is on show: the panels and lists that accumulate start again. */
  function reset(model) {
    results.reset();
    listed = null;
    for (const { view } of panels.values()) view.reset?.(model);
  }

  /** The summary before a run's end: one line saying where things stand. */
  function summaryNote(text) {
    summary.replaceChildren(
      Object.assign(document.createElement('dt'), { textContent: 'outcome' }),
      Object.assign(document.createElement('dd'), { textContent: text }),
    );
  }

  function clearVerdict() {
    if (!verdictFor) return;
    verdictFor = null;
    verdict.clear();
    summaryNote(finished ? 'replaying…' : 'running…');
  }

  /**
   * Draws `parts` of `model` at `until` on an axis of `span`; `report` when this is the run's end.
   */
  function show(model, until, { span = until, report = null, running = false, parts = ALL } = {}) {
    const fresh = last?.model !== model;
    if (fresh) reset(model);
    last = { model, until, span, report, running };
    root.dataset.shown = String(until); // the moment on show (tests wait for it)
    draw(parts);
  }

  /** The verdict and the summary of the finished run on show. */
  function showVerdict() {
    const { report, threads } = finished;
    if (verdictFor === report) return;
    verdictFor = report;
    verdict.show(report, threads);
    showSummary(summary, report);
  }

  // While `finish` loads the replay, a seek draws the lanes only: the panels and then the verdict
  // follow in tasks of their own. A seek that needs more than REPLAY_BUDGET events replayed (a big
  // run's, moving back) takes that many per task, and draws once it has caught up with the latest.
  let loading = false;
  let wanted = null; // the moment a replay is catching up with, if it is
  let chasing = false; // whether the next step of catching up is scheduled
  const catchUp = () => {
    chasing = false;
    if (!finished || wanted === null) return;
    const t = wanted;
    const model = finished.replay.modelAt(t, REPLAY_BUDGET);
    if (model) {
      wanted = null;
      show(model, t, { span: finished.replay.end });
    } else {
      chasing = true;
      setTimeout(catchUp, 0);
    }
  };
  const scrubber = createScrubber($('.replay-controls'), {
    onSeek(t) {
      if (!finished) return;
      const { replay, report, model } = finished;
      const atEnd = t >= replay.end;
      if (atEnd) {
        wanted = null;
        show(model, t, { span: replay.end, report, parts: loading ? ['lanes'] : ALL });
        if (!loading) showVerdict();
        return;
      }
      clearVerdict();
      wanted = t;
      if (!chasing) catchUp();
    },
  });

  // A live run: drawn at most 30 times a second, one part per frame (the lanes, the words, the
  // open panels' charts, in turns). A frame's part is drawn in a task of its own after the
  // browser's frame, so the drawing and the browser's layout and paint of it are two tasks, each
  // shorter than both: on a machine whose cores the run's workers fill, every task the page runs
  // takes several times its CPU time on the clock. A frame's cost is the time from its drawing
  // to the next frame, and after a frame that cost d ms the next waits max(2d, 33) ms, so the
  // main thread is free at least half of the time for the streamed events.
  const LIVE_PARTS = ['lanes', 'words', 'panels'];
  let live = null; // the model a live run streams into
  let frame = 0;
  let nextDraw = 0;
  let drawnAt = 0; // when the last frame was drawn, until the next frame has measured its cost
  let turn = 0;
  const drawLive = (model) => {
    if (live !== model) return;
    drawnAt = performance.now();
    const [part = LIVE_PARTS[turn++ % LIVE_PARTS.length]] = due;
    due.delete(part);
    show(model, model.now, { running: true, parts: [part] });
  };
  const animate = (now) => {
    frame = 0;
    if (!live) return;
    if (drawnAt && !laneSteps) {
      nextDraw = drawnAt + Math.max(2 * (performance.now() - drawnAt), 33);
      drawnAt = 0;
    }
    if (now >= nextDraw) {
      nextDraw = Infinity; // until the drawing has been measured
      const model = live;
      nextTask(() => drawLive(model));
    }
    frame = requestAnimationFrame(animate);
  };
  let ticket = 0; // the latest start, preview or finish; an older finish stops where it is
  function stopLive() {
    live = null;
    laneSteps = null;
    wanted = null;
    cancelAnimationFrame(frame);
    frame = 0;
    ticket++;
  }

  for (const { element, view } of panels.values()) {
    element.addEventListener('toggle', () => {
      if (!element.open || !last) return;
      view.draw(last.model, last.until, last.report, last.span);
      view.redraw?.();
    });
  }

  return {
    /** Puts the panels named in `names` first and open; with `only: 'focus'` the others go. */
    focus(names) {
      for (const [name, { element, everywhere }] of panels) {
        const focused = names.includes(name);
        element.open = focused || everywhere;
        element.classList.toggle('focus', focused);
        const order = everywhere ? -1 - names.length : focused ? names.indexOf(name) - names.length : null;
        element.style.order = order === null ? '' : String(order);
        if (only === 'focus') element.hidden = !focused && !everywhere;
      }
    },
    /** The knobs now describe `config` (the next run's setup): panels that show it follow. */
    follow,
    /** Shows the empty pool `config` describes, with the `actors` the core says it starts (before any run). */
    preview(config, actors) {
      stopLive();
      finished = null;
      $('.replay').hidden = true;
      scrubber.pause();
      clearVerdict();
      summaryNote('no run yet');
      progress.reset();
      follow(config);
      show(createModel(config, actors), 1000);
    },
    /** A live run starts with `model` (fed by the caller): followed on its clock until `finish`. */
    start(model) {
      stopLive();
      finished = null;
      $('.replay').hidden = true;
      scrubber.pause();
      clearVerdict();
      summaryNote('running…');
      progress.reset();
      follow(model.config);
      show(model, 0, { running: true, parts: ['lanes', 'words'] });
      live = model;
      due.clear();
      nextDraw = 0;
      drawnAt = 0;
      turn = 2; // the panels' turn comes first
      frame = requestAnimationFrame(animate);
    },
    /**
     * The run is over (or a recording is loaded): its end with the verdict, drawn over a few
     * tasks so a big run's never holds the page long; then the scrubber replays it. `model` is
     * the live run's model, when there was one; `at: 'start'` puts the replay at its beginning.
     * Resolves once all is drawn.
     */
    async finish(report, threads, { model = null, at = 'end' } = {}) {
      stopLive();
      const mine = ticket;
      await laterTask();
      if (mine !== ticket) return;
      const replay = createReplay(report);
      let end = model;
      // The replay starts a model of its own whenever it moves back, so its end model stays as is.
      if (end) finishModel(end, report);
      else end = replay.modelAt(replay.end);
      finished = { report, model: end, threads, replay };
      progress.finish(report);
      $('.replay').hidden = false;
      loading = true;
      scrubber.load(replay); // draws the end's lanes, in steps
      loading = false;
      await lanesDone;
      if (mine !== ticket) return;
      const parts = [() => draw(['words']), ...[...panels.values()].map((entry) => () => drawPanel(entry)), showVerdict];
      for (const then of parts) {
        await laterTask();
        if (mine !== ticket) return;
        if (scrubber.time() >= replay.end) then();
      }
      if (at === 'start') scrubber.seek(0);
    },
    /** Stops following a live run that ended without a report (it failed): it stays as it was. */
    stop: stopLive,
    scrubber,
    /** The mounted panel `name` (its view), or undefined. */
    panel: (name) => panels.get(name)?.view,
    /** The finished report on show, or null. */
    report: () => finished?.report ?? null,
    /** Sets the results' heading (the order they are listed in). */
    setResultsTitle(text) {
      $('.results-title').textContent = text;
    },
    /** Draws everything again at the current width. */
    redraw() {
      draw();
      verdict.redraw();
      for (const entry of panels.values()) if (shown(entry)) entry.view.redraw?.();
    },
  };
}
