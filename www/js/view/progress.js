// The progress reporter: a bar and one line of figures that agree with the rest of the page.
//
// While a run goes on, the figures come from the model the streamed events build, on the trace's
// own clock: results the consumer got (succeeded, failed), jobs in flight and queued, the rate of
// deliveries and the time left. A job a worker finished counts only once its result reaches the
// consumer, as in the report's accounting. When the run is over, every figure comes from the
// report's `accounting` and the line names the outcome. In a comparison it follows the side that
// runs now.

import { accountOf } from '../account.js';

const WINDOW_MS = 1000;
// Below this many deliveries, or this much of the run, a rate says too little to promise a time left.
const ETA_MIN_DELIVERED = 5;
const ETA_MIN_MS = 200;

/** How many of the sorted times `times` fall in (from, to]. */
function countBetween(times, from, to) {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i] > from; i--) if (times[i] <= to) n++;
  return n;
}

/** "66 ms", "0.4 s", "12 s", "2 min 5 s". */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "12.5", "1,234": a rate as people read it. */
const rate = (perSecond) => (perSecond < 100 ? perSecond.toFixed(1) : WHOLE.format(perSecond));

/**
 * The live figures at `now` ms of the trace: `{ total, delivered, succeeded, failed, inFlight,
 * queued, perSecond, windowMs, etaMs }`. The rate counts deliveries over the last second, or over
 * the run so far when it is younger (`windowMs` says which); `etaMs` is null while too little has
 * been delivered to tell.
 */
export function progressOf(model, now) {
  const { progress } = model;
  const total = model.config.jobs;
  const delivered = progress.delivered;
  const windowMs = Math.min(WINDOW_MS, now - progress.since);
  const perSecond = windowMs > 0 ? (countBetween(progress.deliveredAt, now - windowMs, now) * 1000) / windowMs : 0;
  const left = total - delivered;
  const known = delivered >= ETA_MIN_DELIVERED && now - progress.since >= ETA_MIN_MS && perSecond > 0;
  return {
    total,
    delivered,
    succeeded: delivered - progress.deliveredFailed,
    failed: progress.deliveredFailed,
    inFlight: progress.started - progress.finished,
    queued: model.channels.jobs.items.length,
    perSecond,
    windowMs,
    etaMs: left === 0 ? 0 : known ? (left / perSecond) * 1000 : null,
  };
}

/**
 * While a comparison's pool side runs, how its finished side without a pool went (`side`, the
 * first of `model.phases`), from the same counts the line showed for it.
 */
function unboundedWords(side) {
  if (side?.phase !== 'unbounded') return '';
  const { delivered, deliveredFailed } = side.progress;
  return `No pool: ${delivered - deliveredFailed} succeeded · ${deliveredFailed} failed · `;
}

/** Builds the reporter in `root`; returns `{ reset(), update(model, now, running), finish(report) }`. */
export function createProgressView(root) {
  root.classList.add('progress-report');
  const bar = document.createElement('progress');
  bar.setAttribute('aria-label', 'Results delivered');
  const figures = document.createElement('p');
  figures.className = 'progress-figures';
  figures.setAttribute('aria-live', 'off');
  root.replaceChildren(bar, figures);

  const show = (text, data) => {
    if (figures.textContent === text) return;
    figures.textContent = text;
    bar.max = Math.max(data.total, 1);
    bar.value = data.delivered;
    for (const key of Object.keys(root.dataset)) if (!(key in data)) delete root.dataset[key];
    for (const [key, value] of Object.entries(data)) if (root.dataset[key] !== String(value)) root.dataset[key] = String(value);
  };

  let finished = false; // whether the line shows a finished run's report

  return {
    /** A new run, or the knobs' pool before one, is about to be shown. */
    reset() {
      finished = false;
    },
    /**
     * Shows the figures of `model` at `now` ms of its trace while `running`; otherwise, unless a
     * finished run is shown, the knobs' pool before any run.
     */
    update(model, now, running) {
      if (finished && !running) return;
      finished = false;
      const p = progressOf(model, now);
      const side = model.phases.at(-1);
      const lead = side ? (side.phase === 'pool' ? `${unboundedWords(model.phases[0])}Pool side: ` : 'No pool: ') : '';
      if (!running) {
        show(`0 of ${p.total} delivered · not run yet`, { total: p.total, delivered: 0, status: 'not run yet' });
        return;
      }
      const over = p.windowMs >= WINDOW_MS ? 'over the last second' : `over the first ${duration(p.windowMs)}`;
      const left = p.etaMs === 0 ? 'all delivered' : p.etaMs === null ? 'time left: estimating…' : `about ${duration(p.etaMs)} left`;
      show(
        `${lead}${p.delivered} of ${p.total} delivered · ${p.succeeded} succeeded · ${p.failed} failed · ` +
          `${p.inFlight} in flight · ${p.queued} queued · ${rate(p.perSecond)} jobs/s ${over} · ${left} · running`,
        { total: p.total, delivered: p.delivered, succeeded: p.succeeded, failed: p.failed, inFlight: p.inFlight, queued: p.queued, status: 'running' },
      );
    },
    /** Shows the finished run `report`: its accounting, how long it took and how it ended. */
    finish(report) {
      finished = true;
      const a = accountOf(report);
      const parts = [`${a.delivered} of ${a.total} delivered`, `${a.succeeded} succeeded`, `${a.failed} failed`];
      if (a.undelivered) parts.push(`${a.undelivered} taken but never delivered`);
      if (a.notStarted) parts.push(`${a.notStarted} never started`);
      if (a.delivered && a.wallMs > 0) parts.push(`${rate((a.delivered * 1000) / a.wallMs)} jobs/s over the whole run`);
      parts.push(`${duration(a.wallMs)}`, a.outcome);
      // A comparison's report is its last side's; the side without a pool is told first.
      const { unbounded, pool } = report.comparison ?? {};
      const first = unbounded && pool ? `No pool: ${unbounded.succeeded} succeeded · ${unbounded.failed} failed · ${duration(unbounded.wallMs)} · ` : '';
      const lead = report.comparison ? `${first}${pool ? 'Pool side: ' : 'No pool: '}` : '';
      const { outcome, wallMs, ...counts } = a;
      show(lead + parts.join(' · '), { ...counts, status: outcome });
    },
  };
}
