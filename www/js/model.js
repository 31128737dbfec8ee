// The trace model: events in, the state of the picture out.
//
// Pure data, no DOM: the live view feeds it event batches as they stream in, and anything that
// replays a trace can feed it the same events. Event shapes are documented in README.md.

/** The actors of a run with `workers` workers, in drawing order. */
export function actorsOf(workers) {
  const names = ['producer'];
  for (let k = 1; k <= workers; k++) names.push(`worker-${k}`);
  return [...names, 'closer', 'consumer'];
}

/** The worker number of an actor name such as "worker-3", or null. */
export function workerNumber(actor) {
  const match = /^worker-(\d+)$/.exec(actor);
  return match ? Number(match[1]) : null;
}

/** An empty model for a run with the given (effective) config. */
export function createModel(config) {
  const actors = {};
  const spans = {};
  for (const name of actorsOf(config.workers)) {
    actors[name] = { state: 'idle', block: null, job: null };
    spans[name] = [];
  }
  const channel = (cap) => ({ cap, items: [], closed: false, version: 0 });
  return {
    config,
    now: 0,
    actors,
    spans, // actor → [{ kind: 'job' | 'blocked', start, end, job?, channel?, op?, reason? }]
    channels: { jobs: channel(config.jobsBuffer), results: channel(config.resultsBuffer) },
    takenBy: new Map(), // job → worker number
    results: [], // { job, worker, t } in arrival order
    outcome: null,
  };
}

function closeLast(list, kind, t) {
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].kind === kind && list[i].end === null) {
      list[i].end = t;
      return;
    }
  }
}

/** Applies one event to the model. */
export function applyEvent(model, event) {
  const { t, actor, kind } = event;
  model.now = Math.max(model.now, t);
  const who = model.actors[actor];
  const spans = model.spans[actor];
  if (who?.state === 'idle') who.state = 'running';
  switch (kind) {
    case 'sent': {
      const channel = model.channels[event.channel];
      // The length grows unless the value went straight into a waiting receiver's hands.
      if (event.len === channel.items.length + 1) {
        channel.items.push(event.job);
        channel.version++;
      }
      break;
    }
    case 'received': {
      const channel = model.channels[event.channel];
      if (event.len === channel.items.length - 1 && channel.items[0] === event.job) {
        channel.items.shift();
        channel.version++;
      }
      if (event.channel === 'jobs') model.takenBy.set(event.job, workerNumber(actor));
      else model.results.push({ job: event.job, worker: model.takenBy.get(event.job), t });
      break;
    }
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
      spans.push({ kind: 'job', job: event.job, start: t, end: null });
      break;
    case 'finished':
      who.job = null;
      closeLast(spans, 'job', t);
      break;
    case 'closed':
      model.channels[event.channel].closed = true;
      model.channels[event.channel].version++;
      break;
    case 'exited':
      who.state = 'exited';
      who.block = null;
      break;
    case 'ended':
      model.outcome = event.outcome;
      break;
  }
}

/** Applies a batch of events in order. */
export function applyEvents(model, events) {
  for (const event of events) applyEvent(model, event);
}
