// Results as the consumer got them (a failed job shows its error), and the run's summary figures.

import { namesOnScreen } from '../model.js';
import { workerColor } from './palette.js';

/**
 * How the run ended, in words: the outcome and the core's message, once ("cancelled (graceful
 * shutdown: …)", not "cancelled (cancelled (…))"), actors named as on the page.
 */
export function outcomeWords({ outcome, message }) {
  if (!message) return outcome;
  const words = namesOnScreen(message);
  return words.startsWith(outcome) ? words : `${outcome} (${words})`;
}

/** Builds the results list inside `root`; returns `{ reset(), update(model), finish(report) }`. */
export function createResultsView(root) {
  const list = document.createElement('ol');
  list.className = 'results';
  root.replaceChildren(list);
  let shown = 0;

  const item = ({ job, worker, failed, value, error, attempts = 1 }) => {
    const li = document.createElement('li');
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

  return {
    reset() {
      list.replaceChildren();
      shown = 0;
    },
    /** Appends what the consumer got since the last call (in ordered runs: what it delivered). */
    update(model) {
      const got = model.config.ordered ? model.delivered : model.results;
      const fresh = got.slice(shown).map((r) => item(r));
      shown = got.length;
      if (fresh.length) list.append(...fresh);
    },
    finish(report) {
      list.replaceChildren(...report.results.map((r) => item(r)));
      shown = report.results.length;
    },
  };
}

/** Fills the summary `<dl>` from a report (the first row is the outcome). */
export function showSummary(root, report) {
  const ms = (v) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : '—');
  const { stats, config } = report;
  const rows = [
    ['outcome', outcomeWords(report)],
    ['results', String(report.results.length)],
  ];
  if (stats.succeeded !== undefined) rows.push(['succeeded / failed', `${stats.succeeded} / ${stats.failed}`]);
  if (stats.missed !== undefined) rows.push(['missed', String(stats.missed)]);
  rows.push(
    ['wall time', ms(stats.wallMs)],
    ['producer blocked', ms(stats.producerBlockedMs)],
  );
  if (stats.workersBlockedMs !== undefined) rows.push(['workers blocked (sum)', ms(stats.workersBlockedMs)]);
  rows.push(['deepest jobs queue', `${stats.maxJobsQueued} of ${config.jobsBuffer}`]);
  if (stats.maxResultsQueued !== undefined) rows.push(['deepest results queue', `${stats.maxResultsQueued} of ${config.resultsBuffer}`]);
  if (config.ordered) rows.push(['reorder buffer peak', String(stats.reorderPeak ?? '—')], ['mean reorder wait', ms(stats.reorderDelayMs)]);
  rows.push(['threads used', String(stats.threads)]);
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
