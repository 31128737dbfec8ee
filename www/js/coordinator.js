// The coordinator: a dedicated module worker that owns the wasm instance.
//
// The page's main thread must never block, and runs block threads, so everything wasm happens here
// and on the thread pool this worker starts. Protocol (all messages are plain objects):
//   page → worker  { type: 'run', id, config, files? } | { type: 'cancel', id }
//                  { type: 'bench', id, jobs, workers, buffer, tracing } | { type: 'check', id, config }
//                  { type: 'problems', id, config }
//   worker → page  { type: 'ready', threads, scenarios, samples, fields }
//                  { type: 'unavailable', message, scenarios, fields }
//                  { type: 'started', id, config, actors } | { type: 'events', id, events, now }
//                  { type: 'results', id, results } (image runs: cards as they are delivered)
//                  { type: 'report', id, report } | { type: 'rejected', id, message }
//                  { type: 'checked', id, config } (with the actors a run starts) | { type: 'problems', id, problems }
// `fields` is the core's table of fields for each example, `{ doubling, image }` (fieldSchema()),
// from which the page builds its knobs; `problems` is checkFields(config): every problem, by label.
// `actors` (doubling runs) are the actors the run starts, in drawing order.
// `now` is the run's clock when the events were taken: ms since the run started, on the clock the
// trace's `t` uses (a batch may be empty, to say that time has passed with nothing to report; a
// big batch comes in several messages, and only the last has `now`).
// `config.example` picks the example ("doubling" by default, or "image"); `files` are the reader's
// images as [{ name, bytes: Uint8Array }]. Image bytes travel both ways as transferred buffers.
// Without cross-origin isolation the module still loads (without threads) when the browser allows
// it, so presets and config checks work on any page; only runs need threads.

import init, {
  checkConfig,
  checkFields,
  fieldSchema,
  imageSamples,
  initThreadPool,
  poolThreads,
  scenarios,
  startDoublingBenchmark,
  startRun,
  threadsNeeded,
} from '../pkg/poolplay.js';

// How often a run's trace is emptied. Often, so its entries stay in the cores' caches while a busy
// run writes them (at 16 ms, a million-job benchmark runs about 10% slower with tracing on than
// at 4 ms); 4 ms is also the shortest a worker's repeated setTimeout waits.
const POLL_MS = 4;
// With nothing recorded, the page still hears the run's clock this often, so a long job's bar grows.
const CLOCK_MS = 50;
// The most events in one message: the page unpacks each message in one go, so a busy run's
// batch goes in pieces that each take the page's main thread a few ms.
const EVENTS_PER_MESSAGE = 2000;
const runs = new Map(); // id → handle of a run in progress

let loadProblem = null; // why the wasm module did not load; null once it has

async function boot() {
  try {
    await init();
  } catch (error) {
    loadProblem = `The Poolplay module did not load: ${error.message ?? error}`;
  }
  const fields = loadProblem ? null : { doubling: fieldSchema(), image: fieldSchema('image') };
  if (!self.crossOriginIsolated) {
    postMessage({
      type: 'unavailable',
      message: 'The page is not cross-origin isolated, so SharedArrayBuffer (needed for threads) is off.',
      scenarios: loadProblem ? [] : scenarios(),
      fields,
    });
    return;
  }
  if (loadProblem) {
    postMessage({ type: 'unavailable', message: loadProblem, scenarios: [], fields });
    return;
  }
  try {
    await initThreadPool(threadsNeeded());
    postMessage({ type: 'ready', threads: poolThreads(), scenarios: scenarios(), samples: imageSamples(), fields });
  } catch (error) {
    postMessage({ type: 'unavailable', message: `The thread pool did not start: ${error.message ?? error}`, fields });
  }
}

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

/** Posts `events` in pieces of at most EVENTS_PER_MESSAGE; the last carries the run's clock `now`. */
function postEvents(id, events, now) {
  for (let start = 0; ; start += EVENTS_PER_MESSAGE) {
    const end = start + EVENTS_PER_MESSAGE;
    if (end >= events.length) return postMessage({ type: 'events', id, events: events.slice(start), now });
    postMessage({ type: 'events', id, events: events.slice(start, end) });
  }
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
    const events = handle.takeEvents();
    if (events.length || now - clock.posted >= CLOCK_MS) {
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
  const rest = stream ? handle.takeEvents() : [];
  if (rest.length) postEvents(id, rest, clockMs() - clock.origin);
  const report = handle.takeReport();
  runs.delete(id);
  handle.free();
  postMessage({ type: 'report', id, report }, pixelBuffers(report.results));
}

/** The actors a doubling run of `config` starts (the core's rule); none for the image example. */
const actorsOf = (config) => (config.example === 'image' ? [] : checkConfig(config).actors);

function start(id, makeHandle, options) {
  let handle;
  try {
    handle = makeHandle();
  } catch (error) {
    postMessage({ type: 'rejected', id, message: error.message ?? String(error) });
    return;
  }
  const clock = { origin: clockMs(), posted: 0 };
  runs.set(id, handle);
  const config = handle.config();
  postMessage({ type: 'started', id, config, actors: options.stream ? actorsOf(config) : [] });
  pump(id, handle, { ...options, clock });
}

const ready = boot();

self.onmessage = async ({ data }) => {
  await ready;
  switch (data.type) {
    case 'run':
      start(data.id, () => startRun(data.config, data.files ?? []), { stream: true });
      break;
    case 'bench':
      start(
        data.id,
        () => startDoublingBenchmark(data.jobs, data.workers, data.buffer, data.tracing),
        { stream: false },
      );
      break;
    case 'cancel':
      runs.get(data.id)?.cancel();
      break;
    case 'check':
    case 'problems':
      try {
        if (loadProblem) throw new Error(loadProblem);
        if (data.type === 'check') postMessage({ type: 'checked', id: data.id, config: checkConfig(data.config) });
        else postMessage({ type: 'problems', id: data.id, problems: checkFields(data.config) });
      } catch (error) {
        postMessage({ type: 'rejected', id: data.id, message: error.message ?? String(error) });
      }
      break;
  }
};
