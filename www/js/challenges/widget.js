// One challenge (list.js) as a self-contained widget: it shows the question and the setup, takes
// the reader's answer (a prediction, a value, or one changed setting), runs the setup for real on
// the pool's threads, grades the answer from the reports (grade.js), keeps the progress
// (progress.js) and explains the answer beside the picture of the runs (picture/picture.js; a
// pipeline's setup, `example: "pipeline"`, is pictured by the pipeline's own view,
// pipeline/picture.js, whose runs the client gives the image module).
// The tutorial's lessons, the challenges page and `<pool-playground challenge=…>` all mount it.
//
// It lives in a shadow root. Text that comes from an attribute or from the core goes in as
// textContent; the markup below is static.

import { applyEvents, createModel } from '../model.js';
import { createPicture } from '../picture/picture.js';
import { applyPipelineEvents, createPipelineModel } from '../pipeline/model.js';
import { createPipelinePicture } from '../pipeline/picture.js';
import { createAnswer } from './answer.js';
import { grade, runWords } from './grade.js';
import { CHALLENGES, KIND_WORDS, challengeById } from './list.js';
import { onProgress, readProgress, recordGrade, statusWords } from './progress.js';

const SITE = new URL('../../', import.meta.url);
const PAGE = new URL('challenges.html', SITE);

const TEMPLATE = `
  <div class="embed challenge">
    <div class="embed-head">
      <h2 class="embed-title"><span class="challenge-kind"></span><span class="challenge-title"></span></h2>
      <span class="challenge-status"></span>
    </div>
    <p class="challenge-question"></p>
    <p class="challenge-setup"></p>
    <p class="challenge-off" hidden></p>
    <form class="challenge-answer">
      <div class="answer-fields"></div>
      <div class="buttons">
        <button type="submit" class="run">Run and check</button>
        <button type="button" class="stop" disabled>Stop</button>
      </div>
    </form>
    <p class="message" role="alert" hidden></p>
    <div class="challenge-grade" role="status" aria-live="polite">
      <p class="grade-line"></p>
      <p class="grade-hint" hidden></p>
      <p class="grade-explain" hidden></p>
      <ul class="grade-runs" aria-label="The runs that graded it" hidden></ul>
      <button type="button" class="again" hidden>Try again</button>
    </div>
    <section class="embed-picture" aria-label="The run"></section>
    <p class="challenge-more"><a class="all-challenges">All challenges and your progress</a></p>
  </div>`;

const NOT_FOUND = `
  <div class="embed challenge">
    <p class="challenge-missing" role="alert"></p>
    <p><a class="all-challenges">See the list of challenges</a></p>
  </div>`;

/** A stylesheet link for the shadow root. */
function stylesheet(href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(href, SITE).href;
  return link;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * How a setup's runs are pictured and followed live: a pool's picture (only the challenge's
 * panels), or a pipeline's lanes and stage table.
 */
const VIEWS = {
  pool: {
    picture: (root) => createPicture(root, { only: 'focus' }),
    createModel,
    applyEvents,
  },
  pipeline: {
    picture: (root) => createPipelinePicture(root, { idle: 'No run yet: answer, then run it.' }),
    createModel: createPipelineModel,
    applyEvents: applyPipelineEvents,
  },
};

/** A pipeline's setup in a few words: its jobs, then each stage as workers × ms. */
function pipelineWords(config) {
  const stages = config.stages.map((stage, i) => `stage ${i + 1}: ${plural(stage.workers, 'worker')} × ${stage.workMs} ms`);
  return `The setup: ${plural(config.jobs, 'job')} · ${stages.join(' · ')}.`;
}

/** The setup in a few words; the field the reader is asked for shows as "?". */
function setupWords(config, asked) {
  if (config.example === 'pipeline') return pipelineWords(config);
  const value = (field, words) => words(field === asked ? '?' : config[field]);
  const parts = [];
  if (config.pool === 'autoscale') parts.push(`autoscaling, ${config.minWorkers} to ${config.maxWorkers} workers`);
  else parts.push(value('workers', (n) => plural(n, 'worker')));
  const costs = [config.jobCostMs ?? []].flat();
  const cost = `${costs.length ? costs.join(', ') : config.workMs} ms`;
  parts.push(asked === 'jobs' ? `? jobs of ${cost}` : `${plural(config.jobs, 'job')} of ${cost}`);
  parts.push(value('jobsBuffer', (n) => `jobs buffer ${n}`), value('resultsBuffer', (n) => `results buffer ${n}`));
  if (config.consumerMs) parts.push(`consumer pauses ${config.consumerMs} ms per result`);
  if (config.closeJobs === false) parts.push('jobs never closed');
  if (config.collect === 'after-wait') parts.push('results read after wg.Wait()');
  if (config.collect === 'after-send') parts.push('results read by the producer, after sending');
  if (config.mistake === 'close-results-early') parts.push('results closed without waiting');
  if (config.serviceConcurrency) parts.push(`a service serving ${config.serviceConcurrency} at once`);
  if (config.cancelAfterMs !== undefined && config.cancelAfterMs !== null) parts.push(`cancelled at ${config.cancelAfterMs} ms (${config.shutdown})`);
  if (config.maxAttempts > 1 || asked === 'maxAttempts') parts.push(value('maxAttempts', (n) => `${n} attempts per job`));
  return `The setup: ${parts.join(' · ')}.`;
}

/**
 * Mounts challenge `id` in `shadow` (a shadow root of `host`), run through the shared `client`.
 * `ignored` lists settings given beside the challenge, which do not apply to it. An unknown id
 * shows a plain message. Without `titled` its title and status are left to the page around it
 * (the challenges page's list has them). Returns `{ report(), ready, check() }`.
 */
export function mountChallenge(shadow, client, { host, id, ignored = [], titled = true }) {
  const challenge = challengeById(id);
  const root = document.createElement('div');
  root.innerHTML = challenge ? TEMPLATE : NOT_FOUND; // static markup only
  shadow.replaceChildren(stylesheet('style.css'), stylesheet('embed.css'), stylesheet('challenges.css'), ...root.children);
  const $ = (selector) => shadow.querySelector(selector);
  for (const link of shadow.querySelectorAll('.all-challenges')) link.href = PAGE.href;
  const setState = (state) => (host.dataset.state = state);
  if (!challenge) {
    const shown = String(id ?? '').slice(0, 40);
    $('.challenge-missing').textContent = shown.trim()
      ? `There is no challenge called “${shown}”. Its name is one of: ${CHALLENGES.map((c) => c.id).join(', ')}.`
      : 'This challenge has no name: give it one, as in challenge="send-first-most".';
    setState('unknown');
    return { report: () => null, ready: Promise.resolve(), check: () => Promise.resolve(null) };
  }
  host.dataset.challenge = challenge.id;

  const form = $('.challenge-answer');
  const runButton = $('.run');
  const stopButton = $('.stop');
  const message = $('.message');
  const again = $('.again');
  const view = VIEWS[challenge.setup.example === 'pipeline' ? 'pipeline' : 'pool'];
  const picture = view.picture($('.embed-picture'));
  picture.focus?.(challenge.panels ?? []);
  $('.challenge-kind').textContent = `${KIND_WORDS[challenge.kind]}: `;
  $('.challenge-title').textContent = challenge.title;
  $('.embed-head').hidden = !titled;
  $('.challenge-question').textContent = challenge.question;
  if (ignored.length) {
    $('.challenge-setup').after(
      Object.assign(document.createElement('p'), {
        className: 'challenge-ignored',
        textContent: `A challenge sets its own pool, so these settings were ignored: ${ignored.map((n) => n.slice(0, 40)).join(', ')}.`,
      }),
    );
  }

  const showStatus = () => {
    const status = readProgress()[challenge.id]?.status;
    $('.challenge-status').textContent = statusWords(status);
    $('.challenge-status').dataset.status = status ?? 'open';
  };
  showStatus();
  onProgress(showStatus);

  let setup = null; // the setup as the core checked it
  let answer = { read: async () => ({ problem: 'Not ready yet.' }), reset() {} }; // answer.js's, once the setup is known
  let threads = 0;
  let stopped = false;
  let started = false; // whether the run in progress has started (not waiting behind another widget's)
  let running = false;

  /** Runs `config` live in the picture; resolves with its report. */
  async function runLive(config) {
    if (stopped) throw new Error('stopped');
    started = false;
    let model = null;
    const report = await client.submit(
      { type: 'run', config },
      {
        onStarted(effective, actors) {
          started = true;
          if (stopped) client.cancel(); // Stop was pressed while it waited its turn
          model = view.createModel(effective, actors);
          picture.start(model);
        },
        onEvents: (events, now) => view.applyEvents(model, events, now),
      },
    );
    await picture.finish(report, threads, { model });
    if (stopped) throw new Error('stopped');
    return report;
  }

  const answerInputs = () => [...form.querySelectorAll('input, select')];
  function lock(locked) {
    for (const input of answerInputs()) input.disabled = locked;
  }

  function showRuns(runs) {
    const list = $('.grade-runs');
    list.replaceChildren(
      ...runs.map(({ label, report, met }) => {
        const item = document.createElement('li');
        const show = Object.assign(document.createElement('button'), { type: 'button', className: 'show-run', textContent: 'Show' });
        show.setAttribute('aria-label', `Show the run with ${label}`);
        show.setAttribute('aria-pressed', String(report === picture.report()));
        show.addEventListener('click', () => {
          for (const other of list.querySelectorAll('.show-run')) other.setAttribute('aria-pressed', String(other === show));
          picture.finish(report, threads);
        });
        const mark = met === null ? '' : met ? '✓ ' : '✗ ';
        item.append(` ${mark}${label[0].toUpperCase()}${label.slice(1)}: ${runWords(report)}`);
        // With two runs, either can be put in the picture; one run is in it already.
        if (runs.length > 1) item.prepend(show);
        return item;
      }),
    );
    list.hidden = runs.length === 0;
  }

  function clearGrade() {
    $('.grade-line').textContent = '';
    for (const selector of ['.grade-hint', '.grade-explain', '.grade-runs']) $(selector).hidden = true;
    again.hidden = true;
    delete host.dataset.grade;
  }

  async function check() {
    message.hidden = true;
    const given = await answer.read();
    if (given.problem) {
      message.textContent = given.problem;
      message.hidden = false;
      return null;
    }
    clearGrade();
    running = true;
    stopped = false;
    setState('running');
    lock(true);
    runButton.disabled = true;
    stopButton.disabled = false;
    try {
      const result = await grade(challenge, given.value, (config, label) => {
        $('.grade-line').textContent = `Running with ${label}…`;
        return runLive(config);
      });
      const status = recordGrade(challenge.id, challenge.kind, result.right);
      host.dataset.grade = result.right ? 'right' : 'wrong';
      $('.grade-line').textContent = result.line;
      $('.grade-line').dataset.grade = host.dataset.grade;
      // The answer is out once it is right, once the reader has solved it before (a wrong value
      // tried later gives nothing away), or once a prediction has met the run.
      const revealed = result.right || status === 'solved' || challenge.kind === 'predict';
      $('.grade-explain').textContent = challenge.explain;
      $('.grade-explain').hidden = !revealed;
      $('.grade-hint').textContent = challenge.hint ? `Hint: ${challenge.hint}` : '';
      $('.grade-hint').hidden = revealed || !challenge.hint;
      if (challenge.kind === 'predict' && result.right && status === 'missed') {
        $('.grade-line').textContent += ' You had seen the answer, so this one stays missed until you reset your progress.';
      }
      showRuns(result.runs);
      host.dispatchEvent(
        new CustomEvent('poolplay-challenge', {
          detail: { id: challenge.id, right: result.right, status, line: result.line, runs: result.runs.map(({ label, met, report }) => ({ label, met, report })) },
          bubbles: true,
          composed: true,
        }),
      );
      setState('graded');
      return result;
    } catch (error) {
      picture.stop();
      clearGrade();
      $('.grade-line').textContent = stopped ? 'Stopped: not graded. Run it again when you are ready.' : `The run failed: ${error.message}`;
      setState('ready');
      return null;
    } finally {
      running = false;
      stopButton.disabled = true;
      runButton.disabled = false;
      lock(false);
      again.hidden = host.dataset.grade === undefined;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running) check();
  });
  stopButton.addEventListener('click', () => {
    stopped = true;
    // Only our own run: one still waiting its turn is cancelled when it starts.
    if (started) client.cancel();
  });
  again.addEventListener('click', () => {
    clearGrade();
    answer.reset();
    setState('ready');
    form.querySelector('input, select')?.focus();
  });
  window.addEventListener('resize', () => picture.redraw());

  async function start() {
    setState('checking');
    lock(true);
    runButton.disabled = true;
    const fields = await client.fields;
    try {
      setup = await client.check(challenge.setup);
    } catch (error) {
      message.textContent = `This challenge’s setup was refused by the core: ${error.message}`;
      message.hidden = false;
      setState('broken');
      return;
    }
    $('.challenge-setup').textContent = setupWords(setup, challenge.field);
    answer = createAnswer($('.answer-fields'), challenge, { setup, fields: fields?.doubling ?? [], client });
    picture.preview(setup, setup.actors);
    try {
      ({ threads } = await client.ready);
    } catch {
      // Graded only by real runs: without threads, say so instead of grading.
      $('.challenge-off').textContent =
        'Threads are off on this page, so this challenge cannot be checked here: its grade comes from a real run of the pool on threads. ' +
        'Open the challenges where the page is cross-origin isolated (the Poolplay site is) to play it.';
      $('.challenge-off').hidden = false;
      runButton.textContent = 'Needs threads';
      setState('unavailable');
      return;
    }
    lock(false);
    runButton.disabled = false;
    setState('ready');
  }
  const ready = start();

  return {
    /** The report on show (the last run's), or null. */
    report: () => picture.report(),
    /** Resolves once the widget is ready, or knows it cannot run. */
    ready,
    /** Checks the answer as entered (the Run and check button); resolves with the grade, or null. */
    check: () => (running ? Promise.resolve(null) : check()),
  };
}
