// Results in arrival order, and the run's summary figures.

import { workerColor } from './palette.js';

/** Builds the results list inside `root`; returns `{ update(model), finish(report) }`. */
export function createResultsView(root) {
  const list = document.createElement('ol');
  list.className = 'results';
  root.replaceChildren(list);
  let shown = 0;

  const item = ({ job, worker }, value) => {
    const li = document.createElement('li');
    li.style.setProperty('--accent', workerColor(worker));
    li.textContent = value === undefined ? `job ${job} · worker ${worker}` : `job ${job} → ${value} · worker ${worker}`;
    return li;
  };

  return {
    reset() {
      list.replaceChildren();
      shown = 0;
    },
    update(model) {
      const fresh = model.results.slice(shown).map((r) => item(r));
      shown = model.results.length;
      if (fresh.length) list.append(...fresh);
    },
    finish(report) {
      list.replaceChildren(...report.results.map((r) => item(r, r.value)));
      shown = report.results.length;
    },
  };
}

/** Fills the summary `<dl>` from a report. */
export function showSummary(root, report) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const rows = [
    ['outcome', report.outcome + (report.message ? ` (${report.message})` : '')],
    ['results', String(report.results.length)],
    ['wall time', ms(report.stats.wallMs)],
    ['producer blocked', ms(report.stats.producerBlockedMs)],
    ['deepest jobs queue', `${report.stats.maxJobsQueued} of ${report.config.jobsBuffer}`],
    ['threads used', String(report.stats.threads)],
  ];
  root.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}
