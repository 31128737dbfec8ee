// The browser benchmarks. `?bench=doubling` (the default): the doubling pool with tiny jobs, best
// of a few rounds, tracing off and on and the plain-JavaScript ring anchor taking turns
// (parameters jobs, workers, buffer, rounds), and with unbuffered channels beside a plain-JS
// rendezvous anchor (unbuffered: its job count, tracing off); then one job's round trip through an idle worker
// beside the Atomics.wait/notify ping-pong floor (trips, pause in µs; bench-anchors.js).
// `?bench=image`: an image batch with 1 and 2 workers (repeats, width, rounds; see
// bench-image.js). The result is shown and published as `window.benchmark`.

import { PoolClient } from './client.js';
import { imageBenchmark } from './bench-image.js';
import { anchorJobsPerSecond, pingPongFloor } from './bench-anchors.js';

const query = new URLSearchParams(location.search);
const param = (name, fallback) => {
  const value = Number(query.get(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const jobs = param('jobs', 1_000_000);
const workers = param('workers', 2);
const buffer = param('buffer', 100);
const rounds = param('rounds', 3);
const unbufferedJobs = param('unbuffered', 100_000);
const trips = param('trips', 2000);
const pauseUs = param('pause', 500);

/** Jobs per second of one run of the doubling pool (`jobs` and `buffer` as the page's, unless given). */
async function jobsPerSecond(client, tracing, run = { jobs, buffer }) {
  const report = await client.submit({ type: 'bench', workers, tracing, ...run });
  if (report.outcome !== 'completed' || report.results.length !== run.jobs) {
    throw new Error(`benchmark run ended ${report.outcome} with ${report.results.length} results`);
  }
  return (run.jobs / report.stats.wallMs) * 1000;
}

const median = (rates) => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];

/**
 * The best and the median of a few rounds each, tracing off, tracing on, the ring anchor and
 * unbuffered channels taking turns so all four see the same load.
 */
async function doublingFigures(client) {
  const rates = { off: [], on: [], ring: [], unbuffered: [], unbufferedAnchor: [] };
  for (let round = 0; round < rounds; round++) {
    rates.off.push(await jobsPerSecond(client, false));
    rates.on.push(await jobsPerSecond(client, true));
    rates.ring.push(await anchorJobsPerSecond({ jobs, workers, buffer }));
    rates.unbuffered.push(await jobsPerSecond(client, false, { jobs: unbufferedJobs, buffer: 0 }));
    rates.unbufferedAnchor.push(await anchorJobsPerSecond({ jobs: unbufferedJobs, workers, buffer: 0 }));
  }
  return {
    tracingOff: Math.round(Math.max(...rates.off)),
    tracingOn: Math.round(Math.max(...rates.on)),
    ring: Math.round(Math.max(...rates.ring)),
    medianOff: Math.round(median(rates.off)),
    medianOn: Math.round(median(rates.on)),
    medianRing: Math.round(median(rates.ring)),
    unbufferedJobs,
    unbuffered: Math.round(Math.max(...rates.unbuffered)),
    medianUnbuffered: Math.round(median(rates.unbuffered)),
    unbufferedAnchor: Math.round(Math.max(...rates.unbufferedAnchor)),
    medianUnbufferedAnchor: Math.round(median(rates.unbufferedAnchor)),
  };
}

/** One job's round trip through an idle Poolplay worker, then the ping-pong floor (µs). */
async function latencyFigures(client) {
  const pool = await client.submit({ type: 'latency', trips, pauseUs });
  const floor = await pingPongFloor({ trips, pauseUs });
  return { trips, pauseUs, latencyP50: pool.p50Us, latencyP99: pool.p99Us, floorP50: floor.p50Us, floorP99: floor.p99Us };
}

/** Each figure's words and unit, for the table on the page (window.benchmark keeps the raw names). */
const FIGURES = {
  jobs: ['jobs per run', ''],
  workers: ['workers', ''],
  buffer: ['jobs buffer', 'slots'],
  tracingOff: ['tracing off, best round', 'jobs/s'],
  tracingOn: ['tracing on, best round', 'jobs/s'],
  medianOff: ['tracing off, median round', 'jobs/s'],
  medianOn: ['tracing on, median round', 'jobs/s'],
  ring: ['plain-JS ring anchor, best round', 'jobs/s'],
  medianRing: ['plain-JS ring anchor, median round', 'jobs/s'],
  unbufferedJobs: ['jobs per unbuffered run', ''],
  unbuffered: ['unbuffered channels, tracing off, best round', 'jobs/s'],
  medianUnbuffered: ['unbuffered channels, tracing off, median round', 'jobs/s'],
  unbufferedAnchor: ['plain-JS rendezvous anchor, best round', 'jobs/s'],
  medianUnbufferedAnchor: ['plain-JS rendezvous anchor, median round', 'jobs/s'],
  trips: ['round trips timed', ''],
  pauseUs: ['pause before each', 'µs'],
  latencyP50: ['one job round trip, median', 'µs'],
  latencyP99: ['one job round trip, 99th percentile', 'µs'],
  floorP50: ['Atomics ping-pong floor, median', 'µs'],
  floorP99: ['Atomics ping-pong floor, 99th percentile', 'µs'],
  images: ['images per batch', ''],
  targetWidth: ['thumbnail width', 'px'],
  megapixels: ['source pixels per batch', 'MP'],
  oneWorker: ['1 worker, best round', 'MP/s'],
  twoWorkers: ['2 workers, best round', 'MP/s'],
  speedup: ['speed-up with 2 workers', '×'],
  userAgent: ['browser', ''],
  error: ['error', ''],
};

/** Fills the table `root` with `figures`, a row each, numbers with their units. */
function showFigures(root, figures) {
  root.replaceChildren(
    ...Object.entries(figures).map(([name, value]) => {
      const [words, unit] = FIGURES[name] ?? [name, ''];
      const row = document.createElement('tr');
      const head = Object.assign(document.createElement('th'), { scope: 'row', textContent: words });
      const text = typeof value === 'number' ? value.toLocaleString('en') : String(value);
      row.append(head, Object.assign(document.createElement('td'), { textContent: unit ? `${text} ${unit}` : text }));
      return row;
    }),
  );
}

const out = document.querySelector('#out');
try {
  const client = new PoolClient();
  await client.ready;
  if (query.get('bench') === 'image') {
    const figures = await imageBenchmark(client, { repeats: param('repeats', 8), targetWidth: param('width', 320), rounds });
    window.benchmark = { ...figures, userAgent: navigator.userAgent };
  } else {
    const figures = await doublingFigures(client);
    const latency = await latencyFigures(client);
    window.benchmark = { jobs, workers, buffer, ...figures, ...latency, userAgent: navigator.userAgent };
  }
} catch (error) {
  window.benchmark = { error: error.message };
}
showFigures(out, window.benchmark);
