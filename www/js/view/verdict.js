// How the run ended, in a highlighted box: Go's words for a deadlock or a panic, the wait-for
// picture of a deadlock (who waits for whom, and the circle or the dead end that keeps them there),
// both sides of a comparison, and what happened to the threads.

import { accountOf } from '../account.js';
import { namesOnScreen } from '../model.js';
import { drawWaitFor, waitGraph, waitSummary } from './waitfor.js';

/** "0.35 s" or "820 ms". */
const time = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** One side of a comparison in a sentence: who sent, what came back, how long it took. */
function sideWords(name, side) {
  const refused = side.service?.rejections ?? 0;
  const failed = side.failed ?? 0;
  const bad = refused ? `${refused} refused with a 429` : failed ? `${failed} failed` : 'none refused';
  return `${name}: ${side.succeeded} succeeded, ${bad}, in ${time(side.wallMs)}.`;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Builds the verdict box in `root`; returns `{ clear(), show(report, poolThreads), redraw() }`. */
export function createVerdictView(root) {
  root.classList.add('verdict');
  root.setAttribute('aria-live', 'polite');
  root.hidden = true;
  let picture = null;
  let shown = null;

  return {
    /** Hides the box (a new run is starting). */
    clear() {
      root.hidden = true;
      root.replaceChildren();
      root.dataset.outcome = '';
      picture = null;
    },
    /** Shows how `report` ended; `poolThreads` is the size of the whole thread pool. */
    show(report, poolThreads) {
      const { outcome, stats = {}, config = {} } = report;
      root.hidden = false;
      root.dataset.outcome = outcome;
      root.className = `verdict ${outcome}`;
      const parts = [];
      const released = `Poolplay released the ${stats.threads ?? 'few'} threads this run held, so the next run starts with all ${poolThreads} threads of the pool.`;
      shown = report;
      if (outcome === 'deadlock') {
        const blocked = report.blocked ?? [];
        parts.push(
          el('h3', 'Deadlock'),
          el('pre', report.message ?? 'fatal error: all goroutines are asleep - deadlock!', 'go-message'),
          el(
            'p',
            `${blocked.length} actors still run, and each waits for something only another actor could do. ` +
              'Solid arrows: what each waits on; red dashes: who alone could end that wait.',
          ),
        );
        picture = el('div', undefined, 'waitfor-view');
        parts.push(picture, el('p', waitSummary(waitGraph(report)), 'waitfor-summary'));
        parts.push(el('p', `Go would stop the program here. ${released}`, 'released'));
      } else if (outcome === 'panic') {
        const { actor: who = 'an actor', error = report.message ?? '' } = report.panic ?? {};
        const actor = namesOnScreen(who);
        parts.push(
          el('h3', `Panic in ${actor}`),
          el('pre', namesOnScreen(report.message ?? `panic: ${error}`), 'go-message'),
          el('p', `${actor} broke one of Go’s channel rules: ${error}. In Go the whole program would crash. ${released}`, 'released'),
        );
      } else if (outcome === 'cancelled') {
        const mode = config.shutdown ? `${config.shutdown} shutdown` : 'shutdown';
        // The core's message ("cancelled (graceful shutdown)") is the heading already: not twice.
        const own = report.message && !/^cancelled\b/i.test(report.message) ? report.message : null;
        parts.push(el('h3', `Cancelled (${mode})`), el('p', own ?? 'The run was stopped before every job was done.'));
      } else if (report.comparison) {
        const { unbounded, pool } = report.comparison;
        const refused = unbounded?.service?.rejections ?? unbounded?.failed ?? 0;
        parts.push(el('h3', refused ? `Completed: no pool, ${refused} refused; a pool, ${pool?.service?.rejections ?? pool?.failed ?? 0} refused` : 'Completed, both sides'));
        if (unbounded) parts.push(el('p', sideWords(`No pool (${unbounded.workers} tasks at once)`, unbounded), 'side unbounded'));
        if (pool) parts.push(el('p', sideWords(`A pool of ${pool.workers} workers`, pool), 'side pool'));
        if (refused) root.classList.add('missing');
      } else {
        // A run that completed with failed jobs, or with results missing, says so in its heading
        // and is not drawn as a clean success; the counts are the report's accounting.
        const { total, succeeded, failed, undelivered, notStarted } = accountOf(report);
        const missed = undelivered + notStarted;
        const troubles = [];
        if (failed) troubles.push(`${failed} of ${total} jobs failed`);
        if (missed) troubles.push(`${missed} of ${total} results missing`);
        const done = `${succeeded} succeeded, ${failed} failed`;
        parts.push(el('h3', troubles.length ? `Completed, but ${troubles.join(' and ')}` : 'Completed'));
        parts.push(el('p', missed ? `${done}; ${missed} results never reached the consumer.` : `${done}.`));
        if (failed) root.classList.add('failures');
        if (missed) root.classList.add('missing');
      }
      if (outcome !== 'completed' && report.accounting) {
        const a = report.accounting;
        const total = a.done.length + a.failed.length + a.notStarted.length + a.undelivered.length;
        parts.push(
          el(
            'p',
            `Of ${total} jobs: ${a.done.length} done, ${a.failed.length} failed, ${a.notStarted.length} never started, ` +
              `${a.undelivered.length} taken but never delivered.`,
            'tally-line',
          ),
        );
      }
      root.replaceChildren(...parts);
      this.redraw();
    },
    /** Redraws the wait-for picture at the current width. */
    redraw() {
      if (picture && !root.hidden) drawWaitFor(picture, shown);
    },
  };
}
