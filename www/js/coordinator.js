// The coordinator: a dedicated module worker that owns the wasm instance.
//
// The page's main thread must never block, and runs block threads, so everything wasm happens here
// and on the thread pool this worker starts. Protocol (all messages are plain objects):
//   page → worker  { type: 'run', id, config, files? } | { type: 'cancel', id }
//                  { type: 'bench', id, jobs, workers, buffer, tracing } | { type: 'check', id, config }
//                  { type: 'latency', id, trips, pauseUs } (one job's round trip through an idle worker)
//                  { type: 'problems', id, config }
//   worker → page  { type: 'ready', threads, scenarios, samples, fields }
//                  { type: 'unavailable', message, scenarios, fields }
//                  { type: 'threads', threads } (every thread of the pool has started; runs wait for it)
//                  { type: 'started', id, config, actors } | { type: 'events', id, events, now }
//                  { type: 'results', id, results } (image runs: cards as they are delivered)
//                  { type: 'report', id, report } | { type: 'rejected', id, message }
//                  (a latency request's report is { trips, pauseUs, p50Us, p99Us })
//                  { type: 'checked', id, config } (with the actors a run starts) | { type: 'problems', id, problems }
// `fields` is the core's table of fields for each example, `{ doubling, image, pipeline }` (fieldSchema()),
// from which the page builds its knobs; `problems` is checkFields(config): every problem, by label.
// `actors` (doubling and pipeline runs) are the actors the run starts, in drawing order.
// `events` are packed (the core's takePackedEvents; events.js unpacks them) and their arrays
// transferred, not copied, however big the batch. `now` is the run's clock when they were taken:
// ms since the run started, on the clock the trace's `t` uses (a batch may be empty, to say that
// time has passed with nothing to report).
// `config.example` picks the example ("doubling" by default, or "image"); `files` are the reader's
// images as [{ name, bytes: Uint8Array }]. Image bytes travel both ways as transferred buffers.
// Once the pool's threads have started, two small unseen runs warm the core up (see WARM_UPS);
// runs and latency requests wait for them.
// Without cross-origin isolation the module still loads (without threads) when the browser allows
// it, so presets and config checks work on any page; only runs need threads.
//
// Which module: the core (pkg/poolplay.js: the doubling example, small, for a fast first load) or,
// when this script's URL has `?imaging`, the image module (pkg/poolplay_imaging.js: the core plus
// the image example). client.js starts the second only when the image example is wanted. With
// `?threads=off` (the page found no SharedArrayBuffer) the module loads but no pool starts.

import { packedBuffers } from './events.js';

const flags = new URL(import.meta.url).searchParams;
const MODULE = flags.has('imaging') ? '../pkg/poolplay_imaging.js' : '../pkg/poolplay.js';
const NO_THREADS = 'This browser does not give Web Workers shared memory (SharedArrayBuffer), so the pool cannot run here.';

// How often a run's trace is emptied. Often, so its entries stay in the cores' caches while a busy
// run writes them (at 16 ms, a million-job benchmark runs about 10% slower with tracing on than
// at 4 ms); 4 ms is also the shortest a worker's repeated setTimeout waits.
const POLL_MS = 4;
// With nothing recorded, the page still hears the run's clock this often, so a long job's bar grows.
const CLOCK_MS = 50;
const runs = new Map(); // id → handle of a run in progress

let loadProblem = null; // why the wasm module did not load; null once it has
let wasm = null; // the module's exports once loaded
let pool = null; // resolves once every thread of the pool has started; null without threads
const waiting = new Set(); // ids of runs waiting for the pool
const cancelled = new Set(); // those of them cancelled meanwhile

async function boot() {
  try {
    wasm = await import(MODULE);
    await wasm.default();
  } catch (error) {
    loadProblem = `The Poolplay module did not load: ${error.message ?? error}`;
  }
  const scenarios = () => (loadProblem ? [] : wasm.scenarios());
  const fields = loadProblem
    ? null
    : { doubling: wasm.fieldSchema(), image: wasm.fieldSchema('image'), pipeline: wasm.fieldSchema('pipeline') };
  if (!self.crossOriginIsolated) {
    postMessage({
      type: 'unavailable',
      message: 'The page is not cross-origin isolated, so SharedArrayBuffer (needed for threads) is off.',
      scenarios: scenarios(),
      fields,
    });
    return;
  }
  if (flags.get('threads') === 'off' || typeof SharedArrayBuffer !== 'function') {
    postMessage({ type: 'unavailable', message: NO_THREADS, scenarios: scenarios(), fields });
    return;
  }
  if (loadProblem) {
    postMessage({ type: 'unavailable', message: loadProblem, scenarios: [], fields });
    return;
  }
  try {
    // Workers that cannot share memory fail here at once (WebKitGTK: "The object can not be cloned").
    structuredClone(wasm.memory);
  } catch (error) {
    postMessage({ type: 'unavailable', message: `${NO_THREADS} (${error.message ?? error})`, scenarios: scenarios(), fields });
    return;
  }
  // The page is ready as soon as the module is: starting the pool's Web Workers takes longer, and
  // a run that comes in meanwhile waits for them (its actors need every thread of a full pool).
  // Runs also wait for the warm-up, which starts as soon as the threads have.
  pool = wasm.initThreadPool(wasm.threadsNeeded()).then(() => {
    postMessage({ type: 'threads', threads: wasm.poolThreads() });
    return warmUp();
  });
  pool.catch((error) => postMessage({ type: 'unavailable', message: poolProblem(error), scenarios: scenarios() }));
  const samples = wasm.imageSamples?.() ?? [];
  postMessage({ type: 'ready', threads: wasm.threadsNeeded(), scenarios: scenarios(), samples, fields });
}

// Small runs made once the pool's threads have started, before any reader's run: the browser
// compiles the core's busiest code (the channels, the trace, its packing) to its top tier while they
// run, rather than on a core the reader's first run needs. Unbuffered and buffered, traced and packed.
const WARM_UPS = [0, 8].map((buffer) => ({ workers: 2, jobs: 10000, workMs: 0, jobsBuffer: buffer, resultsBuffer: buffer }));

/** Runs the warm-ups, dropping what they report; a warm-up that fails only leaves a warning. */
async function warmUp() {
  try {
    for (const config of WARM_UPS) {
      const handle = wasm.startRun(config, []);
      while (!handle.isFinished()) {
        handle.takePackedEvents();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      handle.takePackedEvents();
      handle.takeReport();
      handle.free();
    }
  } catch (error) {
    console.warn(`Poolplay's warm-up run failed: ${error.message ?? error}`);
  }
}

const poolProblem = (error) => `The thread pool did not start: ${error.message ?? error}`;

/** The buffers of the pixels in `results` (thumbnails, tiles), to transfer instead of copying. */
function pixelBuffers(results) {
  const buffers = [];
  for (const { thumbnail, rgba } of results) {
    for (const bytes of [thumbnail, rgba]) if (bytes) buffers.push(bytes.buffer);
  }
  return buffers;
}

/** Posts what an image run delivered since the last call. */
function postResults(id, handle) {
  const results = handle.takeResults();
  if (results?.length) postMessage({ type: 'results', id, results }, pixelBuffers(results));
}

/** Posts packed `events` with the run's clock `now`, handing their arrays over. */
function postEvents(id, events, now) {
  postMessage({ type: 'events', id, events, now }, packedBuffers(events));
}

/** The shared clock (the one the trace reads, the same on every thread), in ms. */
const clockMs = () => performance.timeOrigin + performance.now();

/**
 * Streams a run's events (and image results) every few ms with the run's clock; posts the report
 * when its last actor has exited. `clock` is `{ origin, posted }`: when the run started (read just
 * after it did, so the page's clock never runs ahead of the trace's) and when the page last heard it.
 */
function pump(id, handle, { stream, clock }) {
  if (stream) {
    const now = clockMs() - clock.origin;
    const events = handle.takePackedEvents();
    if (events.widths.length || now - clock.posted >= CLOCK_MS) {
      postEvents(id, events, now);
      clock.posted = now;
    }
    postResults(id, handle);
  } else {
    handle.discardEvents();
  }
  if (!handle.isFinished()) {
    setTimeout(pump, POLL_MS, id, handle, { stream, clock });
    return;
  }
  const rest = stream ? handle.takePackedEvents() : null;
  if (rest?.widths.length) postEvents(id, rest, clockMs() - clock.origin);
  const report = handle.takeReport();
  runs.delete(id);
  handle.free();
  postMessage({ type: 'report', id, report }, pixelBuffers(report.results));
}

/** The actors a doubling run of `config` starts (the core's rule); none for the image example. */
const actorsOf = (config) => (config.example === 'image' ? [] : wasm.checkConfig(config).actors);

async function start(id, makeHandle, options) {
  let handle;
  try {
    waiting.add(id);
    await pool?.catch((error) => {
      throw new Error(poolProblem(error));
    });
    handle = makeHandle();
  } catch (error) {
    cancelled.delete(id);
    postMessage({ type: 'rejected', id, message: error.message ?? String(error) });
    return;
  } finally {
    waiting.delete(id);
  }
  const clock = { origin: clockMs(), posted: 0 };
  runs.set(id, handle);
  const config = handle.config();
  postMessage({ type: 'started', id, config, actors: options.stream ? actorsOf(config) : [] });
  if (cancelled.delete(id)) handle.cancel();
  pump(id, handle, { ...options, clock });
}

const ready = boot();

self.onmessage = async ({ data }) => {
  await ready;
  switch (data.type) {
    case 'run':
      start(data.id, () => wasm.startRun(data.config, data.files ?? []), { stream: true });
      break;
    case 'bench':
      start(
        data.id,
        () => wasm.startDoublingBenchmark(data.jobs, data.workers, data.buffer, data.tracing),
        { stream: false },
      );
      break;
    case 'latency':
      try {
        await pool;
        postMessage({ type: 'report', id: data.id, report: wasm.roundTripLatency(data.trips, data.pauseUs) });
      } catch (error) {
        postMessage({ type: 'rejected', id: data.id, message: error.message ?? String(error) });
      }
      break;
    case 'cancel':
      if (waiting.has(data.id)) cancelled.add(data.id);
      else runs.get(data.id)?.cancel();
      break;
    case 'check':
    case 'problems':
      try {
        if (loadProblem) throw new Error(loadProblem);
        if (data.type === 'check') postMessage({ type: 'checked', id: data.id, config: wasm.checkConfig(data.config) });
        else postMessage({ type: 'problems', id: data.id, problems: wasm.checkFields(data.config) });
      } catch (error) {
        postMessage({ type: 'rejected', id: data.id, message: error.message ?? String(error) });
      }
      break;
  }
};
