// The browser benchmark: the doubling pool with tiny jobs, best of a few rounds, tracing off and
// on. Parameters come from the query string (jobs, workers, buffer, rounds); the result is shown
// and published as `window.benchmark`.

import { PoolClient } from './client.js';

const query = new URLSearchParams(location.search);
const param = (name, fallback) => {
  const value = Number(query.get(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const jobs = param('jobs', 1_000_000);
const workers = param('workers', 2);
const buffer = param('buffer', 100);
const rounds = param('rounds', 3);

async function bestJobsPerSecond(client, tracing) {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const report = await client.submit({ type: 'bench', jobs, workers, buffer, tracing });
    if (report.outcome !== 'completed' || report.results.length !== jobs) {
      throw new Error(`benchmark run ended ${report.outcome} with ${report.results.length} results`);
    }
    best = Math.max(best, (jobs / report.stats.wallMs) * 1000);
  }
  return Math.round(best);
}

const out = document.querySelector('#out');
try {
  const client = new PoolClient();
  await client.ready;
  const tracingOff = await bestJobsPerSecond(client, false);
  const tracingOn = await bestJobsPerSecond(client, true);
  window.benchmark = { jobs, workers, buffer, tracingOff, tracingOn, userAgent: navigator.userAgent };
} catch (error) {
  window.benchmark = { error: error.message };
}
out.textContent = JSON.stringify(window.benchmark, null, 2);
