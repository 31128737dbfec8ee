// A finished pipeline run in words and figures: the verdict (with who waits on what across the
// stages after a deadlock), where every job went, and a table of the stages with the bottleneck
// marked. Every number is the report's.

import { nameOnScreen } from './model.js';

const OUTCOME = {
  completed: 'Completed',
  cancelled: 'Cancelled',
  deadlock: 'Deadlock',
  panic: 'Panic',
};

/** Plain words for one stuck wait: "stage 3 worker 1 waits to receive from c2". */
export function waitWords({ actor, op, channel }) {
  const who = nameOnScreen(actor);
  if (op === 'wait') return `${who} waits on ${channel} until its stage's workers are done`;
  return op === 'recv' ? `${who} waits to receive from ${channel}` : `${who} waits to send on ${channel}`;
}

/** Why the channels the stuck actors wait on will never close: whose closer returned without closing. */
function causes(report) {
  const waitedOn = new Set(report.blocked.filter((w) => w.op === 'recv').map((w) => w.channel));
  return report.config.stages
    .map((stage, i) => ({ stage, k: i + 1 }))
    .filter(({ stage, k }) => !stage.closeOutput && waitedOn.has(`c${k}`))
    .map(({ k }) => `c${k} is never closed: stage ${k}'s closer waited for its workers, then returned without close(c${k}).`);
}

const cell = (tag, text) => Object.assign(document.createElement(tag), { textContent: text });
// Clock readings on different threads can differ by a hair: a wait never shows below zero.
const ms = (value) => `${Math.round(Math.max(value, 0)).toLocaleString('en')} ms`;

/** Shows `report` in `root` (verdict, accounting, stage table). */
export function showPipelineReport(root, report) {
  root.replaceChildren();
  const heading = cell('h3', OUTCOME[report.outcome] ?? report.outcome);
  heading.className = `pipeline-outcome ${report.outcome}`;
  root.append(heading);
  if (report.message) root.append(cell('p', report.message));
  if (report.blocked?.length) {
    const list = document.createElement('ul');
    list.className = 'pipeline-waits';
    list.setAttribute('aria-label', 'Who waits on what');
    for (const wait of report.blocked) list.append(cell('li', waitWords(wait)));
    root.append(list);
    for (const words of causes(report)) root.append(cell('p', words));
  }
  const { done, notStarted, undelivered } = report.accounting;
  const account = cell(
    'p',
    `${done.length} of ${report.config.jobs} jobs delivered · ${notStarted.length} never taken by stage 1 · ` +
      `${undelivered.length} taken but not delivered`,
  );
  account.className = 'pipeline-accounting';
  root.append(account);
  root.append(stageTable(report));
}

function stageTable(report) {
  const table = document.createElement('table');
  table.className = 'pipeline-stages';
  table.append(cell('caption', `Stages (throughput ${report.stats.throughputPerS.toFixed(1)} jobs/s)`));
  const titles = ['stage', 'workers × work', 'processed', 'busy per worker', 'waited to receive', 'waited to send', 'most queued after'];
  const head = document.createElement('tr');
  for (const title of titles) head.append(Object.assign(cell('th', title), { scope: 'col' }));
  table.append(head);
  // Each cell carries its column's title, for the stacked layout of a narrow screen.
  const labelled = (cells) =>
    cells.map((c, i) => {
      c.dataset.label = titles[i];
      return c;
    });
  const wall = Math.max(report.stats.wallMs, 1);
  const marked = report.outcome === 'completed' ? report.bottleneck : null;
  report.stages.forEach((stage, i) => {
    const row = document.createElement('tr');
    const name = cell('th', i === marked ? `${i + 1} (bottleneck)` : String(i + 1));
    name.scope = 'row';
    if (i === marked) row.className = 'bottleneck';
    const busyShare = stage.busyMs / stage.workers / wall;
    row.append(
      ...labelled([
        name,
        cell('td', `${stage.workers} × ${stage.workMs} ms`),
        cell('td', String(stage.processed)),
        cell('td', `${Math.round(busyShare * 100)}%`),
        cell('td', ms(stage.blockedRecvMs)),
        cell('td', ms(stage.blockedSendMs)),
        cell('td', `${stage.maxQueued} of ${stage.buffer}`),
      ]),
    );
    table.append(row);
  });
  return table;
}
