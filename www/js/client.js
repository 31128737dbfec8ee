// The page's side of the coordinator protocol (see coordinator.js): one worker, runs one at a time.
//
// The coordinator starts with the core module (the doubling example), so the first load fetches no
// image codecs. The first image run, or `loadImaging()`, replaces it with a coordinator that loads
// the image module (core plus images) once the queued runs are done: one thread pool at a time.

import { packedTrace, unpacker, withTrace } from './events.js';
import { nextTask } from './tasks.js';

// The longest the page works at once on a run's streamed events (unpacking them, feeding the live
// view) before it gives the main thread back for drawing and input; events are unpacked this many
// at a time between looks at the clock. A 10,000-job run streams about 100,000 events.
const SLICE_MS = 6;
const EVENTS_PER_LOOK = 64;

/** Whether this page's workers can share memory (checked on the page: WebKitGTK and others cannot). */
const sharedMemory = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';

/**
 * Starts the coordinator, with the image module when `imaging`. A worker script must have the
 * page's origin, so when this module was loaded from another origin (an embed in someone's blog) a
 * same-origin blob imports it.
 */
function startCoordinator(imaging) {
  const url = new URL('./coordinator.js', import.meta.url);
  if (imaging) url.searchParams.set('imaging', '');
  if (!sharedMemory) url.searchParams.set('threads', 'off');
  if (url.origin === self.location.origin) return new Worker(url, { type: 'module' });
  const shim = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(shim), { type: 'module' });
}

/** Talks to the coordinator worker; never blocks the main thread. */
export class PoolClient {
  constructor() {
    this.nextId = 1;
    // id → { resolve, reject, onStarted, onEvents, onResults, batches, inbox, message? }: `batches`
    // keeps the run's packed event batches; `inbox` holds those (and then the report) not yet
    // worked through.
    this.pending = new Map();
    this.queue = Promise.resolve();
    /** Resolves with the presets `[{ name, config }]`, threads or not (empty if the module did not load). */
    this.scenarios = new Promise((resolve) => {
      this.settleScenarios = resolve;
    });
    /**
     * Resolves with the core's fields of each example, `{ doubling, image }` (see fieldSchema in
     * README), threads or not; with null if the module did not load.
     */
    this.fields = new Promise((resolve) => {
      this.settleFields = resolve;
    });
    this.imaging = null; // loadImaging()'s promise, once asked
    this.start(false);
  }

  /**
   * Starts a coordinator (the image module's when `imaging`) in place of the current one, and a new
   * `ready` and `threadsStarted`. `ready` resolves once the module has loaded where threads can
   * run (the pool's workers are still starting: runs wait for them), with `{ threads, scenarios,
   * samples }` (the image example's built-in samples as `[{ image, width, height }]`, empty with
   * the core module), or rejects with an Error saying why threads are unavailable. Checks still
   * waiting are asked again of the new coordinator.
   */
  start(imaging) {
    this.worker?.terminate(); // its thread pool's workers go with it
    this.worker = startCoordinator(imaging);
    this.ready = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    /** Resolves with the pool's size once all its threads have started (runs wait for that). */
    this.threadsStarted = new Promise((resolve) => {
      this.settleThreads = resolve;
    });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      this.settleReady.reject(new Error(`The coordinator worker failed: ${event.message}`));
      this.settleScenarios([]);
      this.settleFields(null);
    };
    for (const [id, { message }] of this.pending) if (message) this.worker.postMessage({ ...message, id });
  }

  /**
   * Makes the image example available: after the runs already queued, the coordinator is replaced
   * by one with the image module. Resolves as `ready` does (with the samples), once; rejects where
   * threads are unavailable, leaving the core coordinator in place.
   */
  loadImaging() {
    if (!this.imaging) {
      this.imaging = this.queue.then(async () => {
        await this.ready;
        this.start(true);
        try {
          return await this.ready;
        } catch (error) {
          this.start(false); // keep the doubling example going without the image module
          throw error;
        }
      });
      this.queue = this.imaging.catch(() => {});
    }
    return this.imaging;
  }

  receive(data) {
    if (data.type === 'ready' || data.type === 'unavailable') {
      this.settleFields(data.fields ?? null);
      this.settleScenarios(data.scenarios ?? []);
    }
    if (data.type === 'ready') {
      const { threads, scenarios = [], samples = [] } = data;
      return this.settleReady.resolve({ threads, scenarios, samples });
    }
    if (data.type === 'unavailable') return this.settleReady.reject(new Error(data.message));
    if (data.type === 'threads') return this.settleThreads(data.threads);
    const run = this.pending.get(data.id);
    if (!run) return;
    switch (data.type) {
      case 'started':
        run.onStarted?.(data.config, data.actors);
        break;
      case 'events':
        run.batches.push(data.events);
        // Unpacked only for a live view; the report keeps them packed either way.
        if (!run.onEvents) break;
        run.inbox.push({ events: unpacker(data.events), now: data.now });
        this.drain(data.id, run);
        break;
      case 'results':
        run.onResults?.(data.results);
        break;
      case 'report':
        run.inbox.push({ report: data.report });
        this.drain(data.id, run);
        break;
      case 'checked':
        this.pending.delete(data.id);
        run.resolve(data.config);
        break;
      case 'problems':
        this.pending.delete(data.id);
        run.resolve(data.problems);
        break;
      case 'rejected':
        this.pending.delete(data.id);
        run.reject(new Error(data.message));
        break;
    }
  }

  /**
   * Works through run `id`'s inbox in order, a slice of at most SLICE_MS at a time: unpacks its
   * events and hands them to `onEvents` (a batch's clock `now` with its last piece), then resolves
   * the run with its report, its events the packed batches (events.js), once every event before
   * it has been handed on. (Without `onEvents` the inbox holds only the report.)
   */
  drain(id, run) {
    if (run.draining) return;
    run.draining = true;
    const slice = () => {
      const stop = performance.now() + SLICE_MS;
      while (run.inbox.length && performance.now() < stop) {
        const { events, now, report } = run.inbox[0];
        if (report) {
          run.inbox.shift();
          this.pending.delete(id);
          run.resolve(withTrace(report, packedTrace(run.batches)));
          continue;
        }
        const piece = events.take(EVENTS_PER_LOOK);
        const last = events.left === 0;
        if (last) run.inbox.shift();
        try {
          run.onEvents(piece, last ? now : undefined);
        } catch (error) {
          reportError(error); // a view's failure is logged, and the run still gets its report
        }
      }
      if (run.inbox.length) nextTask(slice);
      else run.draining = false;
    };
    slice();
  }

  /**
   * Checks `config` in the core without running it (no threads needed, not queued behind runs).
   * Resolves with the config a run would use and `actors`, the actors it starts in drawing order;
   * rejects with the core's message naming the field.
   */
  check(config) {
    return this.ask('check', config);
  }

  /**
   * Every problem of `config`, as the core words them with the fields' labels (checkFields):
   * resolves with `[{ field, label, message }]`, empty when a run could start with it.
   */
  problems(config) {
    return this.ask('problems', config);
  }

  /** Sends a request that needs no threads and is not queued behind runs (asked again of a new coordinator). */
  ask(type, config) {
    const id = this.nextId++;
    const message = { type, config };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, message });
      this.post(id, message, reject);
    });
  }

  /** Posts request `id` (handing over `transfer`); a config that cannot be copied rejects it. */
  post(id, message, reject, transfer = []) {
    try {
      this.worker.postMessage({ ...message, id }, transfer);
    } catch (error) {
      this.pending.delete(id);
      reject(new Error(`config must hold only numbers, strings, booleans and lists (${error.message})`));
    }
  }

  /**
   * Runs once runs queued before it have finished. `message` is the coordinator request without
   * its id; `onStarted(config, actors)`, `onEvents(events, now)` (`now`: the run's clock when they
   * were taken, in the trace's ms) and (image runs) `onResults(results)` follow the run live. `transfer` lists buffers to hand over rather than copy (the reader's files).
   * An image or pipeline run loads the image module first (`loadImaging`). Resolves with the report (events
   * included).
   */
  submit(message, { onStarted, onEvents, onResults } = {}, transfer = []) {
    // The image module also runs the pipeline example (the core module only checks its configs).
    const imaging = ['image', 'pipeline'].includes(message.config?.example) ? this.loadImaging() : null;
    const run = this.queue.then(async () => {
      await imaging;
      await this.ready;
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onStarted, onEvents, onResults, batches: [], inbox: [] });
        this.current = id;
        this.post(id, message, reject, transfer);
      });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Cancels the run in progress, if any. */
  cancel() {
    if (this.pending.has(this.current)) this.worker.postMessage({ type: 'cancel', id: this.current });
  }
}
