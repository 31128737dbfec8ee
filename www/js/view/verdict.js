// How the run ended, in a highlighted box: Go's words for a deadlock or a panic, the wait-for
// picture of a deadlock, and what happened to the threads.

import { drawWaitFor } from './waitfor.js';

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
  let blocked = [];

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
      if (outcome === 'deadlock') {
        blocked = report.blocked ?? [];
        parts.push(
          el('h3', 'Deadlock'),
          el('pre', report.message ?? 'fatal error: all goroutines are asleep - deadlock!', 'go-message'),
          el('p', `Every actor still running waits for something that only another waiting actor could do. ${blocked.length} of them, and what each waits on:`),
        );
        picture = el('div', undefined, 'waitfor-view');
        parts.push(picture, el('p', `Go would stop the program here. ${released}`, 'released'));
      } else if (outcome === 'panic') {
        const { actor = 'an actor', error = report.message ?? '' } = report.panic ?? {};
        parts.push(
          el('h3', `Panic in ${actor}`),
          el('pre', report.message ?? `panic: ${error}`, 'go-message'),
          el('p', `${actor} broke one of Go’s channel rules: ${error}. In Go the whole program would crash. ${released}`, 'released'),
        );
      } else if (outcome === 'cancelled') {
        const mode = config.shutdown ? `${config.shutdown} shutdown` : 'shutdown';
        parts.push(el('h3', `Cancelled (${mode})`), el('p', report.message ?? 'The run was cancelled.'));
      } else {
        const { succeeded, failed = 0, missed = 0 } = stats;
        const done = succeeded === undefined ? `${report.results.length} results delivered` : `${succeeded} succeeded, ${failed} failed`;
        parts.push(el('h3', missed ? 'Completed, with results missing' : 'Completed'));
        parts.push(el('p', missed ? `${done}; ${missed} results never reached the consumer.` : `${done}.`));
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
      if (picture && !root.hidden) drawWaitFor(picture, blocked);
    },
  };
}
