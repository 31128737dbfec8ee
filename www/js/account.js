// One account per run: the counts every view shows once a run is over (the progress line, the
// summary, the accounting panel), all read from the report's `accounting`, so they cannot disagree.

/**
 * The final figures of a finished run, from `report.accounting`: `{ total, delivered, succeeded,
 * failed, undelivered, notStarted, outcome, wallMs }`.
 */
export function accountOf(report) {
  const a = report.accounting ?? {};
  const count = (key) => a[key]?.length ?? 0;
  return {
    total: report.config?.jobs ?? 0,
    delivered: count('done') + count('failed'),
    succeeded: count('done'),
    failed: count('failed'),
    undelivered: count('undelivered'),
    notStarted: count('notStarted'),
    outcome: report.outcome,
    wallMs: report.stats?.wallMs ?? 0,
  };
}
