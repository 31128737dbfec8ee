// Results as the consumer got them (a failed job shows its error), and the run's summary figures.
//
// The list stays small at any size: it shows the first results (a page at a time, on request),
// and a line under it says how many there are in all, so a 10,000-job run does not build 10,000
// list items.

import { namesOnScreen } from '../model.js';
import { workerColor } from './palette.js';
import { accountOf } from '../account.js';

/**
 * How the run ended, in words: the outcome and the core's message, once ("cancelled (graceful
 * shutdown: …)", not "cancelled (cancelled (…))"), actors named as on the page.
 */
export function outcomeWords({ outcome, message }) {
  if (!message) return outcome;
  const words = namesOnScreen(message);
  return words.startsWith(outcome) ? words : `${outcome} (${words})`;
}

/** Results shown at first, and added by each "show more". */
export const RESULTS_PAGE = 100;

/**
 * Builds the results list inside `root`; returns `{ reset(), update(model), finish(report) }`.
 * Items carry `data-job`; the list's `data-total` is the number of results in all.
 */
export function createResultsView(root) {
  const list = document.createElement('ol');
  list.className = 'results';
  // The list scrolls, so it takes the keyboard focus to be scrolled with the arrow keys.
  list.tabIndex = 0;
  list.setAttribute('aria-label', 'Results');
  const note = document.createElement('p');
  note.className = 'figure-note results-note';
  const more = Object.assign(document.createElement('button'), { type: 'button', className: 'results-more', hidden: true });
  root.replaceChildren(list, note, more);
  let got = []; // the results to list: the model's while running, the report's after
  let limit = RESULTS_PAGE;
  let shown = 0;
  let finished = false; // whether the list shows a finished run's report

  const item = ({ job, worker, failed, value, error, attempts = 1 }) => {
    const li = document.createElement('li');
    li.dataset.job = String(job);
    li.style.setProperty('--accent', workerColor(worker ?? 1));
    const bad = error !== undefined || failed;
    li.classList.toggle('failed', Boolean(bad));
    // The core's error starts "job 3 failed: …": the line names the job once.
    if (error !== undefined) li.textContent = `job ${job} ✗ ${error.replace(`job ${job} `, '')} · worker ${worker}`;
    else if (failed) li.textContent = `job ${job} ✗ failed · worker ${worker}`;
    else if (value === undefined) li.textContent = `job ${job} · worker ${worker}`;
    else li.textContent = `job ${job} → ${value} · worker ${worker}`;
    if (attempts > 1) li.append(` · ${attempts} attempts`);
    li.dataset.attempts = attempts;
    return li;
  };

  /** Appends the items of `got` up to the limit, and says how many there are in all. */
  const fill = () => {
    const end = Math.min(got.length, limit);
    if (end > shown) list.append(...got.slice(shown, end).map(item));
    shown = Math.max(shown, end);
    list.dataset.total = String(got.length);
    const hidden = got.length - shown;
    note.hidden = hidden === 0 && !(finished && got.length === 0);
    note.textContent = hidden ? `The first ${shown} of ${got.length} results; ${hidden} more not listed.` : 'No result reached the consumer.';
    more.hidden = hidden === 0;
    more.textContent = `Show ${Math.min(RESULTS_PAGE, hidden)} more`;
  };
  more.addEventListener('click', () => {
    limit += RESULTS_PAGE;
    fill();
  });

  return {
    reset() {
      list.replaceChildren();
      finished = false;
      got = [];
      limit = RESULTS_PAGE;
      shown = 0;
      fill();
    },
    /**
     * Lists what the consumer got so far (in ordered runs: what it delivered); in a comparison,
     * what it got on the side that runs now.
     */
    update(model) {
      const from = model.phases.at(-1)?.resultsFrom ?? 0;
      got = model.config.ordered ? model.delivered : from ? model.results.slice(from) : model.results;
      if (got.length < shown) {
        list.replaceChildren();
        shown = 0;
      }
      fill();
    },
    /** Lists the report's results (a finished run: values and errors as delivered). */
    finish(report) {
      list.replaceChildren();
      finished = true;
      got = report.results;
      shown = 0;
      fill();
    },
  };
}

/**
 * Fills the summary `<dl>` from a report (the first row is the outcome; the counts are its
 * accounting). A comparison's report is its pool side's: the side without a pool comes first in
 * rows of its own, and the pool side's rows say whose they are.
 */
export function showSummary(root, report) {
  const ms = (v) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : '—');
  const { stats, config, comparison } = report;
  const account = accountOf(report);
  const rows = [['outcome', outcomeWords(report)]];
  if (comparison?.unbounded) {
    const { unbounded } = comparison;
    rows.push(
      ['no pool: tasks at once', String(unbounded.workers)],
      ['no pool: succeeded / failed', `${unbounded.succeeded} / ${unbounded.failed}`],
      ['no pool: wall time', ms(unbounded.wallMs)],
    );
  }
  const side = [
    ['results delivered', `${account.delivered} of ${account.total}`],
    ['succeeded / failed', `${account.succeeded} / ${account.failed}`],
  ];
  if (account.undelivered) side.push(['taken but never delivered', String(account.undelivered)]);
  if (account.notStarted) side.push(['never started', String(account.notStarted)]);
  side.push(
    ['wall time', ms(stats.wallMs)],
    ['producer blocked', ms(stats.producerBlockedMs)],
  );
  if (stats.workersBlockedMs !== undefined) side.push(['workers blocked (sum)', ms(stats.workersBlockedMs)]);
  side.push(['deepest jobs queue', `${stats.maxJobsQueued} of ${config.jobsBuffer}`]);
  if (stats.maxResultsQueued !== undefined) side.push(['deepest results queue', `${stats.maxResultsQueued} of ${config.resultsBuffer}`]);
  if (config.ordered) side.push(['reorder buffer peak', String(stats.reorderPeak ?? '—')], ['mean reorder wait', ms(stats.reorderDelayMs)]);
  side.push(['threads used', String(stats.threads)]);
  rows.push(...(comparison ? side.map(([term, value]) => [`pool: ${term}`, value]) : side));
  root.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      dd.dataset.term = term;
      return [dt, dd];
    }),
  );
}
