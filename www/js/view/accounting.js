// Where every job ended up (report.accounting): counts, with the job numbers one click away.

import { jobRanges } from './jobs.js';
import { accountOf } from '../account.js';

const KINDS = [
  ['done', 'done', 'its value reached the consumer'],
  ['failed', 'failed', 'its error reached the consumer'],
  ['notStarted', 'not started', 'no worker took it'],
  ['undelivered', 'undelivered', 'a worker took it, but its result never reached the consumer'],
];

/** Builds the accounting view in `root`; returns `{ clear(text), show(report) }`. */
export function createAccountingView(root) {
  root.classList.add('accounting');
  const list = document.createElement('div');
  list.className = 'accounting-kinds';
  const note = document.createElement('p');
  note.className = 'figure-note';
  root.replaceChildren(list, note);

  const clear = (text) => {
    list.replaceChildren();
    note.textContent = text;
  };
  clear('After a run: what became of each job.');

  return {
    clear,
    /** Shows `report.accounting`, and how many results never reached the consumer (from it, too). */
    show(report) {
      const accounting = report.accounting;
      if (!accounting) return clear('This run reported no accounting.');
      list.replaceChildren(
        ...KINDS.map(([key, name, meaning]) => {
          const jobs = accounting[key] ?? [];
          const item = document.createElement('details');
          item.className = `kind ${key}`;
          item.dataset.kind = key;
          item.dataset.count = String(jobs.length);
          const summary = document.createElement('summary');
          const count = document.createElement('strong');
          count.textContent = String(jobs.length);
          summary.append(count, ` ${name}`);
          const body = document.createElement('p');
          body.textContent = jobs.length ? `${jobs.length === 1 ? 'Job' : 'Jobs'} ${jobRanges(jobs)}: ${meaning}.` : `None (${meaning}).`;
          item.append(summary, body);
          return item;
        }),
      );
      const total = KINDS.reduce((sum, [key]) => sum + (accounting[key]?.length ?? 0), 0);
      const { undelivered, notStarted } = accountOf(report);
      const lost = [];
      if (undelivered) lost.push(`${undelivered} taken but never delivered`);
      if (notStarted) lost.push(`${notStarted} never started`);
      note.textContent =
        `${total} of ${report.config?.jobs ?? total} jobs accounted for. ` +
        (lost.length ? `${undelivered + notStarted} results never reached the consumer (${lost.join(', ')}).` : 'No result went missing.');
    },
  };
}
