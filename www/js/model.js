// The trace model: events in, the state of the picture out.
//
// Pure data, no DOM: the live view feeds it event batches as they stream in, and anything that
// replays a trace can feed it the same events. Event shapes are documented in README.md.

const numbers = new Map(); // actor → its number: a run asks once per event, about a few actors

/** The number of a worker ("worker-3") or of a task of its own per job ("task-3"), or null. */
export function workerNumber(actor) {
  let number = numbers.get(actor);
  if (number === undefined) {
    const match = /^(?:worker|task)-(\d+)$/.exec(actor);
    number = match ? Number(match[1]) : null;
    numbers.set(actor, number);
  }
  return number;
}

/** How an actor is named on the page: "worker 3", "task 3", "producer". */
export function actorLabel(actor) {
  return actor.replace('-', ' ');
}

/** The core's words with every actor named as on the page ("… (in worker-2)" → "… (in worker 2)"). */
export function namesOnScreen(text) {
  return text.replace(/\b(worker|task)-(\d+)\b/g, '$1 $2');
}

/** Sort key that keeps tasks by number (a comparison runs them first), producer, workers by number, closer, consumer. */
function rank(actor) {
  if (actor === 'producer') return 0;
  const k = workerNumber(actor);
  if (k) return actor.startsWith('task') ? k - 1e5 : k;
  return { closer: 1e6, consumer: 1e6 + 1 }[actor] ?? 2e6;
}

/** Actors that act without a lane of their own: the run itself, and an autoscaling pool's scaler. */
const LANELESS = new Set(['main', 'scaler']);

/**
 * Counts for the progress reporter, from `t` on (a comparison starts them again for its second
 * side): jobs started and finished by workers (and failed), when each finished, the jobs being
 * worked on over time (`busy`: [t, n] after each change; a backoff wait is not work), and the
 * results the consumer got (`delivered`, of which `deliveredFailed` were errors, at `deliveredAt`).
 */
function progressFrom(t) {
  return {
    since: t,
    started: 0,
    finished: 0,
    failed: 0,
    finishedAt: [],
    busy: [[t, 0]],
    delivered: 0,
    deliveredFailed: 0,
    deliveredAt: [],
  };
}

/** Counts a result the consumer got (in an ordered run: one the reorder buffer released). */
function deliver(model, job, t) {
  const { progress } = model;
  progress.delivered++;
  if (model.failedJobs.has(job)) progress.deliveredFailed++;
  progress.deliveredAt.push(t);
}

function busy(model, t, change) {
  const { busy } = model.progress;
  busy.push([t, busy.at(-1)[1] + change]);
}

function addActor(model, name) {
  // `since` and `exitedAt`: the actor's first event and its thread's return, in ms.
  model.actors[name] = { state: 'idle', block: null, job: null, since: null, exitedAt: null };
  model.spans[name] = [];
  model.actorNames = [...model.actorNames, name].sort((a, b) => rank(a) - rank(b));
}

/**
 * An empty model for a run with the given (effective) config, whose lanes start as `actors`: the
 * actors the core says such a run starts (checkConfig's, the run's or the report's `actors`). The
 * model adds any other actor the trace names, and `pruneIdle` drops the ones that never showed up.
 */
export function createModel(config, actors = []) {
  // `depth`: [t, length] after each change; `peak`: the longest it has been.
  const channel = (cap) => ({ cap, items: [], closed: false, dropped: 0, version: 0, depth: [[0, 0]], peak: 0 });
  const model = {
    config,
    now: 0, // how far the trace has got, in its ms: the last event's time, or the run's clock
    actorNames: [],
    actors: {},
    // actor → [{ kind: 'job' | 'blocked' | 'rest' | 'backoff', start, end, job?, attempt?, failed?, channel?, op?, reason? }];
    // a retried job is one 'job' span per attempt, a failed attempt's with `failed: 'attempt'`
    spans: {},
    channels: { jobs: channel(config.jobsBuffer), results: channel(config.resultsBuffer) },
    takenBy: new Map(), // job → worker number
    failedJobs: new Set(), // jobs whose worker finished them with an error
    results: [], // { job, worker, t, failed } in arrival order (rank = index + 1)
    delivered: [], // ordered runs: { job, held, t, worker, failed } in delivery order
    held: 0, // results the reorder buffer holds right now
    heldPeak: 0,
    closes: [], // { t, actor, channel }: who closed what, when (a second close of a channel panics)
    feeds: [], // times the producer put a job on the jobs channel
    markers: [], // shutdown events: { t, mode, stage }; a comparison's sides: { t, label }
    outcome: null,
    progress: progressFrom(0),
    phases: [], // a comparison's sides: { t, phase, workers, progress, resultsFrom }: its results are model.results from resultsFrom on
    attempts: new Map(), // retrying runs: job → attempts begun so far
    workerCount: config.pool === 'autoscale' ? [[0, config.minWorkers]] : [], // autoscaling: [t, n]
  };
  for (const name of actors) addActor(model, name);
  return model;
}

function closeLast(list, kind, t) {
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].kind === kind && list[i].end === null) {
      list[i].end = t;
      return list[i];
    }
  }
  return null;
}

/** Applies one event to the model. */
export function applyEvent(model, event) {
  const { t, actor, kind } = event;
  model.now = Math.max(model.now, t);
  if (!LANELESS.has(actor) && !model.actors[actor]) addActor(model, actor);
  const who = model.actors[actor];
  const spans = model.spans[actor];
  if (who?.state === 'idle') {
    who.state = 'running';
    who.since = t;
  }
  switch (kind) {
    case 'sent': {
      const channel = model.channels[event.channel];
      // The length grows unless the value went straight into a waiting receiver's hands.
      if (event.len === channel.items.length + 1) {
        channel.items.push(event.job);
        channel.version++;
      }
      channel.depth.push([t, event.len]);
      channel.peak = Math.max(channel.peak, event.len);
      if (event.channel === 'jobs' && actor === 'producer') model.feeds.push(t);
      break;
    }
    case 'received': {
      const channel = model.channels[event.channel];
      if (event.len === channel.items.length - 1 && channel.items[0] === event.job) {
        channel.items.shift();
        channel.version++;
      }
      channel.depth.push([t, event.len]);
      if (event.channel === 'jobs') model.takenBy.set(event.job, workerNumber(actor));
      else {
        const failed = model.failedJobs.has(event.job);
        model.results.push({ job: event.job, worker: model.takenBy.get(event.job), t, failed });
        if (!model.config.ordered) deliver(model, event.job, t);
        // A slow consumer rests after each result; its lane shows the rest as a block.
        const rest = model.config.consumerMs ?? 0;
        if (rest > 0 && actor === 'consumer') spans.push({ kind: 'rest', job: event.job, start: t, end: t + rest });
      }
      break;
    }
    case 'delivered':
      model.delivered.push({
        job: event.job,
        held: event.held,
        t,
        worker: model.takenBy.get(event.job),
        failed: model.failedJobs.has(event.job),
      });
      deliver(model, event.job, t);
      model.held = event.held;
      model.heldPeak = Math.max(model.heldPeak, event.held);
      break;
    case 'blocked':
      who.state = 'blocked';
      who.block = { channel: event.channel, op: event.op, reason: event.reason, since: t };
      spans.push({ kind: 'blocked', start: t, end: null, channel: event.channel, op: event.op, reason: event.reason });
      break;
    case 'unblocked':
      who.state = 'running';
      who.block = null;
      closeLast(spans, 'blocked', t);
      break;
    case 'started':
      who.job = event.job;
      spans.push({ kind: 'job', job: event.job, start: t, end: null, failed: false });
      model.progress.started++;
      busy(model, t, 1);
      if (actor.startsWith('task')) model.takenBy.set(event.job, workerNumber(actor));
      break;
    case 'finished': {
      who.job = null;
      const span = closeLast(spans, 'job', t);
      if (event.failed) {
        model.failedJobs.add(event.job);
        if (span) span.failed = true;
        model.progress.failed++;
      }
      model.progress.finished++;
      model.progress.finishedAt.push(t);
      busy(model, t, -1);
      break;
    }
    case 'backoff': {
      const attempt = closeLast(spans, 'job', t);
      if (attempt) attempt.failed = 'attempt';
      spans.push({ kind: 'backoff', job: event.job, attempt: event.attempt, start: t, end: null });
      who.backoff = { job: event.job, ms: event.ms };
      model.attempts.set(event.job, event.attempt);
      busy(model, t, -1);
      break;
    }
    case 'attempt':
      closeLast(spans, 'backoff', t);
      spans.push({ kind: 'job', job: event.job, attempt: event.attempt, start: t, end: null, failed: false });
      who.backoff = null;
      model.attempts.set(event.job, event.attempt);
      busy(model, t, 1);
      break;
    case 'retired':
      who.retired = true;
      model.workerCount.push([t, event.workers]);
      break;
    case 'scaled':
      model.workerCount.push([t, event.workers]);
      break;
    case 'phase': {
      // A comparison's next side starts from empty channels, with its own progress.
      model.progress = progressFrom(t);
      model.phases.push({ t, phase: event.phase, workers: event.workers, progress: model.progress, resultsFrom: model.results.length });
      const label = event.phase === 'pool' ? `a pool of ${event.workers} workers` : `${event.workers} tasks, no pool`;
      model.markers.push({ t, label });
      for (const channel of Object.values(model.channels)) {
        Object.assign(channel, { items: [], closed: false, version: channel.version + 1 });
        channel.depth.push([t, 0]);
      }
      break;
    }
    case 'closed':
      model.closes.push({ t, actor, channel: event.channel });
      model.channels[event.channel].closed = true;
      model.channels[event.channel].version++;
      break;
    case 'shutdown': {
      model.markers.push({ t, mode: event.mode, stage: event.stage });
      // Graceful drops the queued jobs at once; force drops them when its grace period ends.
      const jobs = model.channels.jobs;
      if ((event.mode === 'graceful' && event.stage === 'requested') || event.stage === 'forced') {
        jobs.dropped += jobs.items.length;
        jobs.items = [];
        jobs.version++;
      }
      break;
    }
    case 'exited':
      // An actor that leaves mid-wait was released by the run's end (deadlock, panic, cancel).
      who.state = who.block ? 'released' : 'exited';
      who.exitedAt = t;
      break;
    case 'ended':
      model.outcome = event.outcome;
      break;
  }
}

/**
 * Applies a batch of events in order; `now`, when given, is the run's clock when they were taken
 * (ms of the trace), which moves the model's time on even when nothing happened.
 */
export function applyEvents(model, events, now) {
  for (const event of events) applyEvent(model, event);
  if (now !== undefined) model.now = Math.max(model.now, now);
}

/** After the run: drops actors that never did anything (the config may not have started them). */
export function pruneIdle(model) {
  model.actorNames = model.actorNames.filter((name) => model.actors[name].state !== 'idle');
}

/** After a deadlock: marks the actors of `report.blocked` as stuck on what they waited for. */
export function markStuck(model, blocked = []) {
  for (const { actor, channel, op, reason } of blocked) {
    const who = model.actors[actor];
    if (who) Object.assign(who, { state: 'stuck', block: { channel, op, reason } });
  }
}

/** After a panic: marks the actor that panicked, with Go's words. */
export function markPanic(model, panic) {
  const who = panic && model.actors[panic.actor];
  if (who) Object.assign(who, { state: 'panicked', panic: panic.error });
}

/** Time `actor` spent blocked up to `until` ms, from its spans. */
export function blockedMs(model, actor, until) {
  let total = 0;
  for (const s of model.spans[actor] ?? []) if (s.kind === 'blocked') total += (s.end ?? until) - s.start;
  return total;
}
