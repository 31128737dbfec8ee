// `./build.sh bench`: the doubling pool with tiny jobs (1,000,000 jobs, 2 workers, both buffers
// 100), natively and in headless Chromium on real threads, tracing off and on. Prints the figures
// and writes them to BENCHMARKS.md with the date and the machine.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSite } from './browser.mjs';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const JOBS = 1_000_000;
const WORKERS = 2;
const BUFFER = 100;
const TARGET = { minimum: 1_000_000, aim: 3_000_000, tracingCost: 0.1 };

function native() {
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '--release', '--example', 'bench', '--', String(JOBS), String(WORKERS), String(BUFFER)],
    { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1));
}

async function browser() {
  const site = await openSite();
  try {
    const page = await site.newPage();
    await page.goto(`${site.url}bench.html?jobs=${JOBS}&workers=${WORKERS}&buffer=${BUFFER}`);
    await page.waitForFunction(() => window.benchmark, null, { timeout: 600_000 });
    const result = await page.evaluate(() => window.benchmark);
    if (result.error) throw new Error(`browser benchmark failed: ${result.error}`);
    return { ...result, browser: site.browser.version() };
  } finally {
    await site.close();
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const cost = ({ tracingOff, tracingOn }) => 1 - tracingOn / tracingOff;
const pct = (x) => `${(x * 100).toFixed(0)}%`;

console.log('native…');
const nat = native();
console.log(nat);
console.log('headless Chromium…');
const web = await browser();
console.log(web);

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const date = new Date().toISOString().slice(0, 10);
const rustc = execFileSync('rustc', ['--version'], { cwd: REPO, encoding: 'utf8' }).trim();
const verdict = (ok) => (ok ? 'met' : '**not met**');
const report = `# Benchmarks

Recorded by \`./build.sh bench\` (tools/bench.mjs); run it again to refresh. Throughput, not timed
tests: the figures move with the machine's load, so nothing asserts on them.

## Doubling pool, tiny jobs

${JOBS.toLocaleString('en-US')} jobs of work 0 ms, ${WORKERS} workers, jobs and results buffers ${BUFFER}.
Best of 3 runs; jobs/s = jobs ÷ the run's wall time (start to the last actor's exit, results collected).

Measured ${date} on ${cpus().length} × ${cpu}; ${rustc}; Chromium ${web.browser}.

| where | tracing off (jobs/s) | tracing on (jobs/s) | cost of tracing |
| --- | ---: | ---: | ---: |
| native (OS threads) | ${fmt(nat.tracingOff)} | ${fmt(nat.tracingOn)} | ${pct(cost(nat))} |
| headless Chromium (Web Workers, wasm threads) | ${fmt(web.tracingOff)} | ${fmt(web.tracingOn)} | ${pct(cost(web))} |

Targets in the browser: at least ${fmt(TARGET.minimum)} jobs/s with tracing off
(${verdict(web.tracingOff >= TARGET.minimum)}; the aim of ${fmt(TARGET.aim)} is
${verdict(web.tracingOff >= TARGET.aim)}), tracing costing under ${pct(TARGET.tracingCost)}
(${verdict(cost(web) < TARGET.tracingCost)}).

For reference, measured on this kind of machine: a JavaScript pool posting one message per job
about 19,000 jobs/s, the \`workerpool\` package about 11,000, a shared-memory ring in plain
JavaScript 2-3 million, native Rust crossbeam-channel about 5 million; Go 1.19 with the same
buffers 8.5 million.
`;
const path = resolve(REPO, 'BENCHMARKS.md');
const previous = (() => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
})();
// Keep any notes below the generated part.
const notes = previous.split('\n## Notes\n')[1];
writeFileSync(path, notes ? `${report}\n## Notes\n${notes}` : report);
console.log(`wrote ${path}`);
