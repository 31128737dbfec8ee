// One embedded playground: a preset, its knobs, the live picture, and around it what an embed
// needs: its settings checked by the core, a link that reproduces it, replay and export after a
// run, and, on a page without threads, a recording of a real run in the same picture.
//
// It lives in a shadow root, so a host page's styles and ours stay apart. Every piece of text that
// comes from settings or from the core goes in as textContent; the markup below is static.

import { createControls } from '../controls.js';
import { applyEvents, createModel } from '../model.js';
import { SCENARIOS, watchText } from '../scenarios.js';
import { downloadTrace } from '../trace-export.js';
import { checkSettings } from './check.js';
import { createPicture } from '../picture/picture.js';
import { tryEdit } from '../picture/edit.js';
import { loadRecording, recordingNames } from './recordings.js';
import { readSettings, settingsParams } from './settings.js';

const SITE = new URL('../../', import.meta.url);
const EMBED_PAGE = new URL('embed.html', SITE);
const SERVICE_WORKER = new URL('poolplay-coi.js', SITE);

const TEMPLATE = `
  <div class="embed">
    <div class="embed-head">
      <h2 class="embed-title">Poolplay</h2>
      <span class="embed-mode" role="status">starting…</span>
    </div>
    <p class="embed-watch"></p>
    <div class="embed-problems" role="status" hidden>
      <p>Some settings of this embed were left out:</p>
      <ul></ul>
    </div>
    <section class="embed-isolation" hidden>
      <p><strong>Threads are off on this page.</strong> Real threads need <code>SharedArrayBuffer</code>,
        which browsers only allow on cross-origin isolated pages, and this one is not.
        <span class="recording-note">Below is a <strong>recording</strong> of a real run of this preset on
        real threads, replayed through the same picture.</span></p>
      <p><span class="own-window-way">To run it live: <a class="open-window" target="_blank" rel="noopener">open it in its own window</a>.</span>
        If this is your site, send the headers <code>Cross-Origin-Opener-Policy: same-origin</code> and
        <code>Cross-Origin-Embedder-Policy: require-corp</code>, or, on a static host, drop in the
        one-file service worker <a class="service-worker" target="_blank" rel="noopener">poolplay-coi.js</a>
        that adds them.</p>
    </section>
    <form class="controls" onsubmit="return false"></form>
    <p class="message" role="alert" hidden></p>
    <section class="embed-picture" aria-label="The pool"></section>
    <div class="embed-actions">
      <button type="button" class="share">Share this run</button>
      <a class="open-window" target="_blank" rel="noopener">Open in its own window</a>
      <button type="button" class="export" disabled>Export trace</button>
    </div>
    <p class="share-box" hidden>
      <label>Link to this setup <input type="text" class="share-link" readonly></label>
      <span class="share-note" role="status"></span>
    </p>
  </div>`;

/** A stylesheet link for the shadow root. */
function stylesheet(href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(href, SITE).href;
  return link;
}

/**
 * The settings an embed takes: the core's fields (its table, `fieldSchema()`), each with a sample
 * value that says what an empty setting means (a bare flag is true, an empty list is empty), and
 * the scenario.
 */
function settingsOf(fields) {
  const samples = { scenario: 'basic' };
  for (const field of fields) samples[field.name] = field.kind === 'flag' ? false : field.kind === 'wholes' ? [] : field.default;
  return samples;
}

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

/**
 * Mounts a playground in `shadow` (a shadow root of `host`), driven by the shared `client`.
 * `pairs` are its settings as `[name, text]`; with `syncUrl` the page's address follows the
 * setup (the embed page). Returns `{ run(), report() }`.
 */
export function mountEmbed(shadow, client, { host, pairs, syncUrl = false }) {
  const root = document.createElement('div');
  root.innerHTML = TEMPLATE; // static markup only
  shadow.replaceChildren(stylesheet('style.css'), stylesheet('embed.css'), ...root.children);
  const $ = (selector) => shadow.querySelector(selector);
  const $$ = (selector) => [...shadow.querySelectorAll(selector)];
  const modeLabel = $('.embed-mode');
  const message = $('.message');
  const exportButton = $('.export');
  for (const link of $$('.service-worker')) link.href = SERVICE_WORKER.href;
  // The embed page is its own window already: no link to open it again.
  if (syncUrl) for (const way of $$('.embed-actions .open-window, .own-window-way')) way.hidden = true;

  // The Go program's toggles edit the knobs, as if the reader had changed them.
  const edit = (fields) => {
    if (!controls || !available) return;
    tryEdit(controls, fields, (problems) => {
      message.textContent = problems;
      message.hidden = false;
    }).then((ok) => {
      if (!ok) return;
      message.hidden = true;
      knobsChanged();
    });
  };
  const picture = createPicture($('.embed-picture'), { only: 'focus', edit });
  let scenario = 'basic';
  let text = null; // the scenario's words (scenarios.js)
  let presets = new Map();
  let threads = 0;
  let available = false;
  let running = false;
  let started = false;

  const setState = (state) => (host.dataset.state = state);
  const setMode = (mode, words) => {
    host.dataset.mode = mode;
    modeLabel.textContent = words;
  };

  let controls = null; // built from the core's table of fields, once it has arrived

  /** What to watch, in the words of the setup on show. */
  function showWatch() {
    $('.embed-watch').textContent = text ? watchText(text, setup()) : '';
    $('.embed-watch').hidden = !text;
  }

  /** The setup the knobs describe, with the scenario. */
  const setup = () => ({ ...controls?.read(), scenario });
  function linkFor(config) {
    const url = new URL(EMBED_PAGE);
    url.search = settingsParams(config, presets.get(config.scenario)).toString();
    return url.href;
  }
  function updateLinks() {
    const href = linkFor(setup());
    for (const link of $$('.open-window')) link.href = href;
    if (syncUrl) history.replaceState(null, '', `?${new URL(href).search.slice(1)}`);
  }

  /** The knobs changed: the link, the words and the Go program follow; before any run, the pool too. */
  function knobsChanged() {
    updateLinks();
    showWatch();
    picture.follow(setup());
    if (!running && !picture.report()) preview();
  }

  let previewed = 0; // the latest preview; older answers are dropped
  /** Before a run: the empty pool the knobs describe, with the actors the core says it starts. */
  function preview() {
    const ticket = ++previewed;
    client.check(setup()).then(
      (checked) => {
        if (ticket !== previewed || running || picture.report()) return;
        picture.preview(checked, checked.actors);
      },
      () => {},
    );
  }

  /** Shows `report` (finished; `model` is its live run's) and makes it replayable and exportable. */
  async function showFinished(report, { at = 'end', model = null } = {}) {
    exportButton.disabled = false;
    await picture.finish(report, threads || report.recorded?.poolThreads || 0, { model, at });
  }

  async function run() {
    const problems = await controls.validate();
    if (problems.length) {
      message.textContent = `Not run: ${problems.map((p) => p.message).join(' · ')}`;
      message.hidden = false;
      throw new Error(problems[0].message);
    }
    message.hidden = true;
    picture.scrubber.pause();
    running = true;
    started = false;
    setState('running');
    controls.setRunning(true, available);
    let model = null;
    try {
      const report = await client.submit(
        { type: 'run', config: setup() },
        {
          onStarted(effective, actors) {
            started = true;
            controls.set(effective, { complete: true });
            model = createModel(effective, actors);
            picture.start(model);
          },
          onEvents: (events, now) => applyEvents(model, events, now),
        },
      );
      running = false;
      await showFinished(report, { model });
      host.dispatchEvent(new CustomEvent('poolplay-report', { detail: report, bubbles: true, composed: true }));
      return report;
    } catch (error) {
      picture.stop();
      message.textContent = error.message;
      message.hidden = false;
      throw error;
    } finally {
      running = false;
      started = false;
      setState('ready');
      controls.setRunning(false, available);
    }
  }

  /** No threads here: say so, and play the recording of this preset. */
  async function fallBack(reason) {
    setMode('recording', 'recording · threads are off on this page');
    picture.panel('go')?.setEditable(false);
    if (self.crossOriginIsolated) {
      // Isolated, yet the pool did not start (a browser whose workers cannot share memory): the
      // isolation advice does not apply, the browser's reason is the useful part.
      message.textContent = reason;
      message.hidden = false;
    } else {
      $('.embed-isolation').hidden = false;
    }
    const recording = await loadRecording(scenario).catch(() => null);
    if (!recording) {
      $('.recording-note').textContent = 'No recording of this preset ships with this site yet.';
      return;
    }
    $('.replay-title').textContent = `Recording of a real run on ${recording.stats.threads} threads`;
    // Nothing can run here, so the knobs give way to what the recording ran.
    $('.controls').hidden = true;
    const { config } = recording;
    if (text) $('.embed-watch').textContent = watchText(text, config);
    const shape = `${config.workers} workers, ${config.jobs} jobs, jobs buffer ${config.jobsBuffer}, results buffer ${config.resultsBuffer}`;
    $('.recording-note').append(` It ran ${shape}.`);
    if (settingsParams(setup(), config).size > 1) {
      $('.recording-note').append(' This embed’s own settings apply when it runs live.');
    }
    await showFinished(recording, { at: reducedMotion() ? 'end' : 'start' });
    autoplayWhenSeen();
  }

  /** Plays the recording once the reader can see it, unless they asked for less motion. */
  function autoplayWhenSeen() {
    if (reducedMotion()) return; // the recording stays at its end, verdict and all
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      seen.disconnect();
      picture.scrubber.play();
    });
    seen.observe(host);
  }

  $('.share').addEventListener('click', async () => {
    const box = $('.share-box');
    const input = $('.share-link');
    input.value = linkFor(setup());
    box.hidden = false;
    input.select();
    const note = $('.share-note');
    try {
      await navigator.clipboard.writeText(input.value);
      note.textContent = 'Copied.';
    } catch {
      note.textContent = 'Copy the link above.';
    }
  });
  exportButton.addEventListener('click', () => picture.report() && downloadTrace(picture.report()));
  window.addEventListener('resize', () => picture.redraw());

  async function start() {
    setState('checking');
    const list = await client.scenarios;
    const fields = await client.fields;
    presets = new Map(list.map(({ name, config }) => [name, config]));
    const problems = [];
    let config = { scenario: 'basic' };
    if (list.length && fields) {
      const { given, unknown } = readSettings(pairs, settingsOf(fields.doubling));
      for (const name of unknown) problems.push(`“${name}” is not a setting (ignored)`);
      const checked = await checkSettings(client, given);
      problems.push(...checked.problems);
      config = checked.config;
    } else {
      // The module could not load here, so only the scenario name can be read (against the recordings).
      const wanted = pairs.find(([name]) => name === 'scenario')?.[1];
      const names = await recordingNames().catch(() => []);
      if (names.includes(wanted)) config = { scenario: wanted };
      problems.push('This browser cannot load Poolplay’s module on this page, so the settings could not be checked.');
    }
    scenario = config.scenario;
    if (fields) {
      controls = createControls($('.controls'), fields.doubling, {
        onRun: () => run().catch(() => {}),
        onCancel: () => started && client.cancel(),
        onChange: knobsChanged,
        check: (knobs) => client.problems({ ...knobs, scenario }),
      });
      controls.setRunning(false, false);
      controls.set(config, { complete: true });
    }
    text = SCENARIOS.find((s) => s.name === scenario);
    picture.focus(text?.focus ?? []);
    $('.embed-title').textContent = text ? text.title : `Scenario: ${scenario}`;
    showWatch();
    const box = $('.embed-problems');
    box.querySelector('ul').replaceChildren(
      ...problems.map((problem) => Object.assign(document.createElement('li'), { textContent: problem })),
    );
    box.hidden = problems.length === 0;
    updateLinks();
    preview();
    try {
      ({ threads } = await client.ready);
      available = true;
      setMode('threads', `live · real threads (${threads} in the pool)`);
      controls?.setRunning(false, true);
      setState('ready');
    } catch (error) {
      await fallBack(error.message);
      setState('recording');
    }
  }
  const ready = start();

  return {
    /** Runs the knobs' setup on real threads; resolves with the report. */
    run: async () => {
      await ready;
      return run();
    },
    /** The report on show: the last live run's, or the recording's; null before either. */
    report: () => picture.report(),
  };
}
