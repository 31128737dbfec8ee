// `./build.sh bench`: the benchmarks, natively and in headless Chromium on real threads. Prints the
// figures and writes them to BENCHMARKS.md with the date and the machine.
//   doubling  the doubling pool with tiny jobs (1,000,000 jobs, 2 workers, both buffers 100),
//             tracing off and on, beside its anchors (natively a crossbeam-channel pool; in the
//             browser a plain-JS shared-memory ring); unbuffered too (100,000 jobs; in the browser
//             beside a plain-JS rendezvous); one job's round trip on an idle pool, natively and in
//             the browser beside an Atomics.wait/notify floor
//   image     an image batch (the samples 8 times over, 320-px JPEG thumbnails) with 1 and 2
//             workers: megapixels per second and the speedup
//   load      the first load: each wasm module's size (raw and gzipped), and the time from
//             navigation to a ready playground (threads started), cold and warm, with dist/
//             served as a static host serves it
//   page      the playground's main thread with a 10,000-job run (16 workers, 0 ms of work, both
//             buffers 0, then 100): the longest task the page ran, and the time from the Run click
//             to the report
// `node tools/bench.mjs doubling` (or `image`, `load`, `page`) runs one and rewrites only its section
// of the file; every other section, and the notes at the end, stay as they are. `load` needs dist/.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS, openPlayground, openSite } from './browser.mjs';

const REPO = resolve(fileURLToPath(import.meta.url), '../..');
const JOBS = 1_000_000;
const WORKERS = 2;
const BUFFER = 100;
const TARGET = { minimum: 1_000_000, aim: 3_000_000, tracingCost: 0.1, latencyOverFloor: 2 };
const ROUNDS = 10;
const UNBUFFERED_JOBS = 100_000;
const LATENCY = { trips: 2000, pauseUs: 500 };
/** Poolplay's native pool against a crossbeam-channel pool of the same shape (tracing off). */
const NATIVE_TARGET = 0.5;
const IMAGE = { repeats: 8, targetWidth: 320, rounds: 3, speedup: 1.8 };
const PAGE = { jobs: 10_000, workers: 16, buffers: [0, 100], rounds: Number(process.env.ROUNDS ?? 5), tracedRounds: 3, longTaskMs: 50 };

/** Runs a native benchmark example and returns the JSON of its last line. */
function native(example, args) {
  const out = execFileSync('cargo', ['run', '--quiet', '--release', '--example', example, '--', ...args.map(String)], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** Opens bench.html with `query` in headless Chromium and returns its figures. */
async function browser(query) {
  const site = await openSite();
  try {
    const page = await site.newPage();
    await page.goto(`${site.url}bench.html?${query}`);
    await page.waitForFunction(() => window.benchmark, null, { timeout: 600_000 });
    const result = await page.evaluate(() => window.benchmark);
    if (result.error) throw new Error(`browser benchmark failed: ${result.error}`);
    return { ...result, browser: site.browser.version() };
  } finally {
    await site.close();
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const verdict = (ok) => (ok ? 'met' : '**not met**');
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const us = (x) => x.toFixed(1);

/** The line saying when and where a section was measured. */
function measured(chromium) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  const rustc = execFileSync('rustc', ['--version'], { cwd: REPO, encoding: 'utf8' }).trim();
  return `Measured ${date} on ${cpus().length} × ${cpu}; ${rustc}; Chromium ${chromium}.`;
}

/** The 1-minute load average, which says how quiet the machine was. */
const load1 = () => loadavg()[0].toFixed(2);

async function doubling() {
  const loadBefore = load1();
  console.log('doubling, native…');
  const nat = native('bench', [JOBS, WORKERS, BUFFER, ROUNDS]);
  console.log(nat);
  console.log('doubling, native, unbuffered channels…');
  const rendezvous = native('bench', [UNBUFFERED_JOBS, WORKERS, 0, ROUNDS]);
  console.log(rendezvous);
  console.log('one job on an idle pool, native…');
  const latency = native('latency', [LATENCY.trips, LATENCY.pauseUs]);
  console.log(latency);
  console.log('doubling, headless Chromium…');
  const web = await browser(
    `jobs=${JOBS}&workers=${WORKERS}&buffer=${BUFFER}&rounds=${ROUNDS}&unbuffered=${UNBUFFERED_JOBS}&trips=${LATENCY.trips}&pause=${LATENCY.pauseUs}`,
  );
  console.log(web);
  const loadAfter = load1();
  const cost = ({ tracingOff, tracingOn }) => 1 - tracingOn / tracingOff;
  const medianCost = ({ medianOff, medianOn }) => 1 - medianOn / medianOff;
  return `## Doubling pool, tiny jobs

${JOBS.toLocaleString('en-US')} jobs of work 0 ms, ${WORKERS} workers, jobs and results buffers ${BUFFER}.
${ROUNDS} runs each, tracing off and on taking turns; jobs/s = jobs ÷ the run's wall time
(start to the last actor's exit, results collected); the best run of each, and the median run's
cost beside it. With tracing on, the trace is emptied every 4 ms as the page's coordinator does,
but its events are counted and dropped rather than built: a million jobs' events cannot be drawn
anyway (see the notes for what building them costs).

${measured(web.browser)}
Load average (1 minute) ${loadBefore} before, ${loadAfter} after: the pool's throughput swings with
how busy the two cores are, so compare tracing off and on within one row.

| where | tracing off (jobs/s) | tracing on (jobs/s) | cost of tracing | median runs' cost |
| --- | ---: | ---: | ---: | ---: |
| native (OS threads) | ${fmt(nat.tracingOff)} | ${fmt(nat.tracingOn)} | ${pct(cost(nat))} | ${pct(medianCost(nat))} |
| headless Chromium (Web Workers, wasm threads) | ${fmt(web.tracingOff)} | ${fmt(web.tracingOn)} | ${pct(cost(web))} | ${pct(medianCost(web))} |

Natively, an anchor ran in the same process, taking turns with the runs above: the same pool
(a producer, ${WORKERS} workers, a consumer, the same buffers) built on \`crossbeam-channel\`.

| channels | Poolplay, tracing off (jobs/s) | crossbeam-channel (jobs/s) | Poolplay ÷ crossbeam (best) | (median runs) |
| --- | ---: | ---: | ---: | ---: |
| buffers ${BUFFER}, ${JOBS.toLocaleString('en-US')} jobs | ${fmt(nat.tracingOff)} | ${fmt(nat.crossbeam)} | ${ratio(nat.tracingOff, nat.crossbeam)} | ${ratio(nat.medianOff, nat.medianCrossbeam)} |

In the browser the anchor ran on the same page, taking turns with the runs above: the same pool's
shape in plain JavaScript (\`www/js/bench-ring.js\`): a producer, ${WORKERS} workers and a consumer,
each a Web Worker, on two shared-memory rings of ${BUFFER} slots (per-slot sequence numbers, a short
spin, then \`Atomics.wait\`); jobs/s from the release of its threads to the last result received.

| channels | Poolplay, tracing off (jobs/s) | plain-JS ring (jobs/s) | Poolplay ÷ ring (best) | (median runs) |
| --- | ---: | ---: | ---: | ---: |
| buffers ${BUFFER}, ${JOBS.toLocaleString('en-US')} jobs | ${fmt(web.tracingOff)} | ${fmt(web.ring)} | ${ratio(web.tracingOff, web.ring)} | ${ratio(web.medianOff, web.medianRing)} |

Unbuffered channels (a rendezvous at every send), ${UNBUFFERED_JOBS.toLocaleString('en-US')} jobs, tracing off, each beside
its anchor: natively the crossbeam-channel pool, taking turns with it; in the browser, taking turns
with the runs above, the same shape on plain-JS rendezvous channels (\`www/js/bench-rendezvous.js\`:
one offer at a time, a sender waits until a receiver has taken its value; a short spin, then
\`Atomics.wait\`). Go makes 3.8 million here.

| where | Poolplay, tracing off (jobs/s) | anchor (jobs/s) | Poolplay ÷ anchor (best) | (median runs) |
| --- | ---: | ---: | ---: | ---: |
| native (OS threads), crossbeam-channel | ${fmt(rendezvous.tracingOff)} | ${fmt(rendezvous.crossbeam)} | ${ratio(rendezvous.tracingOff, rendezvous.crossbeam)} | ${ratio(rendezvous.medianOff, rendezvous.medianCrossbeam)} |
| headless Chromium (Web Workers, wasm threads), plain-JS rendezvous | ${fmt(web.unbuffered)} | ${fmt(web.unbufferedAnchor)} | ${ratio(web.unbuffered, web.unbufferedAnchor)} | ${ratio(web.medianUnbuffered, web.medianUnbufferedAnchor)} |

One job's round trip on an idle pool (\`src/demo/latency.rs\`): a worker waiting on an empty jobs
channel, one job sent and its result received, ${LATENCY.trips.toLocaleString('en-US')} times with ${LATENCY.pauseUs} µs
between them (so the worker has parked). Its floor, on the same page after it: two Web Workers
that sleep in \`Atomics.wait\` and wake each other with \`Atomics.notify\`, one round trip after
the same pause (the browser's clock has a 5 µs grain). Natively there is no such anchor in the
same process; the floor is the browser's.

| where | median (µs) | 99th percentile (µs) | median ÷ floor |
| --- | ---: | ---: | ---: |
| Poolplay, native (OS threads) | ${us(latency.p50Us)} | ${us(latency.p99Us)} | |
| Poolplay, headless Chromium | ${us(web.latencyP50)} | ${us(web.latencyP99)} | ${ratio(web.latencyP50, web.floorP50)} |
| floor: \`Atomics.wait\`/\`notify\` ping-pong, headless Chromium | ${us(web.floorP50)} | ${us(web.floorP99)} | 1.00× |

Target natively: Poolplay at least ${NATIVE_TARGET}× crossbeam-channel with buffers ${BUFFER}
(${verdict(nat.tracingOff / nat.crossbeam >= NATIVE_TARGET)}).

Targets in the browser: at least ${fmt(TARGET.minimum)} jobs/s with tracing off
(${verdict(web.tracingOff >= TARGET.minimum)}; the aim of ${fmt(TARGET.aim)} is
${verdict(web.tracingOff >= TARGET.aim)}), at least as fast as the plain-JS ring
(${verdict(web.tracingOff >= web.ring)}), tracing costing under ${pct(TARGET.tracingCost)}
(best runs: ${verdict(cost(web) < TARGET.tracingCost)}; median runs: ${verdict(medianCost(web) < TARGET.tracingCost)});
a round trip's median at most ${TARGET.latencyOverFloor}× the floor
(${verdict(web.latencyP50 <= TARGET.latencyOverFloor * web.floorP50)}).

For reference, measured on this kind of machine: a JavaScript pool posting one message per job
about 19,000 jobs/s, the \`workerpool\` package about 11,000; Go 1.19 with the same buffers
8.5 million (unbuffered 3.8 million).
`;
}

async function image() {
  const loadBefore = load1();
  console.log('image batch, native…');
  const nat = native('image_bench', [IMAGE.repeats, IMAGE.targetWidth]);
  console.log(nat);
  console.log('image batch, headless Chromium…');
  const web = await browser(`bench=image&repeats=${IMAGE.repeats}&width=${IMAGE.targetWidth}&rounds=${IMAGE.rounds}`);
  console.log(web);
  const loadAfter = load1();
  const mp = (x) => x.toFixed(1);
  const row = (where, f) => `| ${where} | ${mp(f.oneWorker)} | ${mp(f.twoWorkers)} | ${f.speedup.toFixed(2)}× |`;
  return `## Image batch

The eight samples ${IMAGE.repeats} times over (${web.images} images; the 5000-px one is refused each time,
as in the service) drawn, resized with Lanczos3 and encoded as JPEG thumbnails ${IMAGE.targetWidth} px wide:
${mp(web.megapixels)} megapixels of source per batch. Best of ${IMAGE.rounds} runs per worker count;
megapixels/s = source megapixels resized ÷ the run's wall time. In the browser the batch runs
through \`startRun\` as the page runs it (tracing on, thumbnails streamed to the page), with rounds
alternating between 1 and 2 workers; natively, \`cargo run --release --example image_bench\`.

${measured(web.browser)}
Load average (1 minute) ${loadBefore} before, ${loadAfter} after: the speedup needs both cores, so
anything else running lowers it.

| where | 1 worker (MP/s) | 2 workers (MP/s) | speedup |
| --- | ---: | ---: | ---: |
${row('native (OS threads)', nat)}
${row('headless Chromium (Web Workers, wasm threads)', web)}

Target in the browser: 2 workers at least ${IMAGE.speedup}× as fast as 1
(${verdict(web.speedup >= IMAGE.speedup)}). One browser worker does ${pct(web.oneWorker / nat.oneWorker)} of
a native thread's work.
`;
}

/** Raw and gzipped KiB of a module in dist/pkg/. */
function moduleSize(name) {
  const bytes = readFileSync(resolve(REPO, 'dist', 'pkg', name));
  return { raw: bytes.length / 1024, gzip: gzipSync(bytes, { level: 9 }).length / 1024 };
}

/**
 * Navigation-to-ready times (ms, from the page's own `poolplay-ready` mark) of `visits` visits to
 * dist/ served with `headers`: each cold visit in a fresh browser context (empty caches), each
 * warm one a second visit in the context of a first.
 */
async function readyTimes(headers, visits) {
  const site = await openSite({ server: { site: resolve(REPO, 'dist'), headers } });
  /** The page's marks: ready, and all threads started. */
  // Measured from the moment the visit starts (a reload on the way included), on the clock the
  // page's marks are on: performance.timeOrigin is epoch milliseconds, as Date.now() is here.
  const visit = async (page) => {
    const start = Date.now();
    await page.goto(site.url);
    await page.waitForFunction(() => performance.getEntriesByName('poolplay-threads').length > 0, null, {
      timeout: 600_000,
    });
    const marks = await page.evaluate(() => {
      const at = (name) => performance.timeOrigin + performance.getEntriesByName(`poolplay-${name}`)[0].startTime;
      return { ready: at('ready'), threads: at('threads') };
    });
    return { ready: marks.ready - start, threads: marks.threads - start };
  };
  const times = { cold: [], warm: [], coldLoads: [] };
  try {
    for (let round = 0; round < visits; round++) {
      const context = await site.browser.newContext();
      const page = await context.newPage();
      let loads = 0;
      page.on('framenavigated', (frame) => frame === page.mainFrame() && loads++);
      times.cold.push(await visit(page));
      times.coldLoads.push(loads);
      await page.goto('about:blank');
      times.warm.push(await visit(page));
      await context.close();
    }
    return { ...times, browser: site.browser.version() };
  } finally {
    await site.close();
  }
}

const LOAD = { visits: 5, gzipLimit: 150, warmAim: 500 };

async function load() {
  const loadBefore = load1();
  const core = moduleSize('poolplay_bg.wasm');
  const imaging = moduleSize('poolplay_imaging_bg.wasm');
  console.log('first load, a host that sends the headers (_headers)…');
  const headed = await readyTimes('file', LOAD.visits);
  console.log(headed);
  console.log('first load, a host without headers (the service worker isolates the page)…');
  const plain = await readyTimes('plain', LOAD.visits);
  console.log(plain);
  const loadAfter = load1();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (visits, mark) => {
    const xs = visits.map((times) => times[mark]);
    return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  };
  const row = (host, t) => `| ${host} | ${ms(t.cold, 'ready')} | ${ms(t.cold, 'threads')} | ${ms(t.warm, 'ready')} | ${ms(t.warm, 'threads')} |`;
  const kib = (x) => x.toFixed(0);
  return `## First load

What a reader's browser fetches before the playground can run, and how long until it is ready:
\`dist/\` (\`./build.sh dist\`) served from 127.0.0.1 as static hosts serve it (\`tools/serve.mjs
--site dist\`, files cacheable for ten minutes), headless Chromium. *Ready* is the page's
\`poolplay-ready\` mark: the core module loaded, the page accepting runs. *Threads* is the
\`poolplay-threads\` mark: every one of the pool's Web Workers started (a run asked for before then
waits for it). Cold: a fresh browser profile (empty HTTP and code caches); warm: the next visit in
the same one. ${LOAD.visits} visits each; median (fastest–slowest), in ms from the start of the visit
(the service worker's reload included).

${measured(headed.browser)}
Load average (1 minute) ${loadBefore} before, ${loadAfter} after.

| wasm module | loaded | KiB | KiB gzipped |
| --- | --- | ---: | ---: |
| \`pkg/poolplay_bg.wasm\` (core: the pool, the doubling example) | on every page | ${kib(core.raw)} | ${kib(core.gzip)} |
| \`pkg/poolplay_imaging_bg.wasm\` (core + image example) | when the image example opens | ${kib(imaging.raw)} | ${kib(imaging.gzip)} |

| host | cold: ready | cold: threads | warm: ready | warm: threads |
| --- | ---: | ---: | ---: | ---: |
${row('sends the headers (\`_headers\`: Netlify, Cloudflare Pages)', headed)}
${row('sends none (GitHub Pages: the service worker isolates, reloading once on the first visit)', plain)}

Targets: the first load's wasm at most ${LOAD.gzipLimit} KiB gzipped (${verdict(core.gzip <= LOAD.gzipLimit)}; an
end-to-end test checks it too); ready within ${LOAD.warmAim} ms on a warm visit (${verdict(median(headed.warm.map((t) => t.ready)) < LOAD.warmAim)}).
`;
}


/**
 * One run from the playground's Run button with `config` in the knobs: the longest main-thread
 * task while it ran (PerformanceObserver 'longtask': only tasks over 50 ms are reported, so 0
 * means none), the time from the click to the `poolplay-report` event, and the pool's wall time.
 */
async function clickToReport(page, config) {
  for (const [name, value] of Object.entries(config)) await page.locator(`input[name=${name}]`).fill(String(value));
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const tasks = [];
        const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
        observer.observe({ type: 'longtask' });
        const playground = document.querySelector('#playground');
        const clicked = performance.now();
        playground.addEventListener(
          'poolplay-report',
          ({ detail }) => {
            const reported = performance.now();
            // Let the tasks that drew the report finish and be observed too.
            setTimeout(() => {
              observer.takeRecords().forEach((e) => tasks.push(e.duration));
              observer.disconnect();
              resolve({ longest: Math.max(0, ...tasks), longTasks: tasks.length, clickToReport: reported - clicked, wallMs: detail.stats.wallMs });
            }, 500);
          },
          { once: true },
        );
        [...document.querySelectorAll('#playground button')].find((b) => b.textContent === 'Run').click();
      }),
  );
}

/**
 * One run as `clickToReport`, with Chromium tracing the main thread: each task's time on the
 * clock and on the CPU (the thread's own time, which a task waiting for a core does not add to).
 * Returns the most CPU any task took, and the longest task with its CPU time. Tracing slows the
 * page, so these rounds are apart from the untraced ones above.
 */
async function tracedRun(page, config) {
  const cdp = await page.context().newCDPSession(page);
  const trace = [];
  cdp.on('Tracing.dataCollected', ({ value }) => trace.push(...value));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline'] } });
  await clickToReport(page, config);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const main = trace.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && trace.some((t) => t.pid === e.pid && t.tid === e.tid && t.name === 'RunTask'));
  const tasks = trace.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask' && e.tdur !== undefined);
  const longest = tasks.reduce((a, b) => (b.dur > a.dur ? b : a));
  return { mostCpu: Math.max(...tasks.map((t) => t.tdur)) / 1000, longest: longest.dur / 1000, longestCpu: longest.tdur / 1000 };
}

async function page() {
  const loadBefore = load1();
  const site = await openSite();
  const rows = [];
  try {
    const page = await openPlayground(site);
    // Run as a reader would: once the status line says the pool's threads have started, after a
    // second's reading (the coordinator's warm-up runs meanwhile), with the picture on the screen
    // (the page draws what is in sight).
    await page.waitForFunction(() => performance.getEntriesByName('poolplay-threads').length > 0, null, { timeout: HANG_GUARD_MS });
    await page.waitForTimeout(1000);
    await page.evaluate(() => document.querySelector('#playground .picture-live').scrollIntoView());
    for (const buffer of PAGE.buffers) {
      const config = { workers: PAGE.workers, jobs: PAGE.jobs, workMs: 0, jobsBuffer: buffer, resultsBuffer: buffer };
      const rounds = [];
      for (let i = 0; i < PAGE.rounds; i++) rounds.push(await clickToReport(page, config));
      const traced = [];
      for (let i = 0; i < PAGE.tracedRounds; i++) traced.push(await tracedRun(page, config));
      console.log(buffer, rounds, traced);
      rows.push({ buffer, rounds, traced });
    }
    if (site.consoleErrors.length) throw new Error(`the page logged errors: ${site.consoleErrors.join('; ')}`);
  } finally {
    await site.close();
  }
  const loadAfter = load1();
  const ms = (x) => `${Math.round(x)} ms`;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const worst = rows.flatMap(({ rounds }) => rounds.map((r) => r.longest));
  const table = rows
    .map(({ buffer, rounds }) => {
      const get = (key) => rounds.map((r) => r[key]);
      const after = rounds.map((r) => r.clickToReport - r.wallMs);
      return `| ${buffer} | ${ms(median(get('wallMs')))} | ${ms(median(get('clickToReport')))} (${ms(Math.max(...get('clickToReport')))}) | ${ms(median(after))} (${ms(Math.max(...after))}) | ${ms(median(get('longest')))} (${ms(Math.max(...get('longest')))}) | ${Math.max(...get('longTasks'))} |`;
    })
    .join('\n');
  const cpuTable = rows
    .map(({ buffer, traced }) => {
      const cells = traced.map((r) => `${ms(r.longest)} (${ms(r.longestCpu)} on the CPU)`).join('; ');
      return `| ${buffer} | ${ms(Math.max(...traced.map((r) => r.mostCpu)))} | ${cells} |`;
    })
    .join('\n');
  return `## Playground main thread, big runs

${PAGE.jobs.toLocaleString('en-US')} jobs of work 0 ms through ${PAGE.workers} workers, started with the playground's Run button
(the knobs filled in first, a second after the pool's threads have started, as a reader would) with
the picture on the screen, ${PAGE.rounds} runs per buffer size, both buffers the same. The longest task is
the longest the page's main thread ran without a break while the run streamed and its report
was drawn (PerformanceObserver \`longtask\`, which reports only tasks over 50 ms: 0 ms means none);
click to report is from the click to the \`poolplay-report\` event, after everything is drawn, and
the report came at most *click to report − wall time* after the pool's end (that also holds the
time from the click to the run's start). The median run, with the worst in brackets.

${measured(site.browser.version())}
Load average (1 minute) ${loadBefore} before, ${loadAfter} after.

| buffers | the pool's wall time | click to report | click to report − wall time | longest main-thread task | long tasks in a run (most) |
| --- | ---: | ---: | ---: | ---: | ---: |
${table}

Target: no main-thread task over ${PAGE.longTaskMs} ms (${verdict(Math.max(...worst) <= PAGE.longTaskMs)}).

Where a long task's time goes: ${PAGE.tracedRounds} more runs per buffer size with Chromium tracing the main thread
(which slows it), each task's time on the clock against its time on the CPU. A task that took
longer on the clock than on the CPU was waiting for a core: on 2 cores the run's ${PAGE.workers} workers,
the coordinator and the browser's own threads take turns with the page.

| buffers | the most CPU any task took | the longest task of each traced run |
| --- | ---: | --- |
${cpuTable}
`;
}

const BENCHMARKS = { doubling, image, load, page };
const only = process.argv[2];
if (only !== undefined && !(only in BENCHMARKS)) {
  console.error(`usage: node tools/bench.mjs [${Object.keys(BENCHMARKS).join(' | ')}]`);
  process.exit(2);
}

const HEADER = `# Benchmarks

Recorded by \`./build.sh bench\` (tools/bench.mjs); run it again to refresh. Throughput, not timed
tests: the figures move with the machine's load, so nothing asserts on them.
`;

/** The file's sections by heading (`## …`), in order; the text before the first is the header. */
function sections(text) {
  const parts = text.split(/^(?=## )/m);
  return parts.slice(1).map((part) => [part.split('\n')[0], part.trimEnd()]);
}

const path = resolve(REPO, 'BENCHMARKS.md');
const fresh = [];
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (only === undefined || only === name) fresh.push(await run());
}
const previous = (() => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
})();
const kept = new Map(sections(previous));
for (const section of fresh) kept.set(section.split('\n')[0], section.trimEnd());
// New sections go after the ones the file has; the notes stay last.
const headings = [...kept.keys()].filter((heading) => heading !== '## Notes');
if (kept.has('## Notes')) headings.push('## Notes');
writeFileSync(path, `${HEADER}\n${headings.map((heading) => kept.get(heading)).join('\n\n')}\n`);
console.log(`wrote ${path}`);
