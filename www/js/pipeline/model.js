// A pipeline run's model: its events in, what the picture draws out (no DOM).
//
// Each actor gets spans: `work` (a job from `started` to `finished`; `dropped` when a cancel cut it
// short) and `wait` (from `blocked` to
// `unblocked`, with the channel and why); each channel its depth over time and when it was
// closed. Event shapes are in README ("The pipeline example").

/** `{ stage, worker }` of a stage's actor ("s2-worker-3" → 2, 3; "s2-closer" → 2, 0), or null. */
export function stageOf(actor) {
  const match = /^s(\d+)-(?:worker-(\d+)|closer)$/.exec(actor);
  return match ? { stage: Number(match[1]), worker: Number(match[2] ?? 0) } : null;
}

/** How the page names an actor or a channel: "stage 2 worker 3", "stage 2 closer", "c2". */
export function nameOnScreen(actor) {
  const at = stageOf(actor);
  if (!at) return actor;
  return at.worker ? `stage ${at.stage} worker ${at.worker}` : `stage ${at.stage} closer`;
}

/** The channel stage `k` (from 1) reads: "jobs" for the first, else the previous stage's output. */
export const inputOf = (k) => (k === 1 ? 'jobs' : `c${k - 1}`);

/** An empty model of a run of `config` (the effective config), with lanes for `actors`. */
export function createPipelineModel(config, actors = []) {
  const channels = { jobs: channel(config.jobsBuffer) };
  config.stages.forEach((stage, i) => {
    channels[`c${i + 1}`] = channel(stage.buffer);
  });
  const model = { config, actors: {}, order: [], channels, now: 0, shutdownAt: null, delivered: 0, outcome: null };
  for (const name of actors) actorOf(model, name);
  return model;
}

function channel(cap) {
  return { cap, depth: [[0, 0]], peak: 0, closedAt: null };
}

function actorOf(model, name) {
  if (!model.actors[name]) {
    model.actors[name] = { spans: [], open: null, exitedAt: null, closes: [] };
    model.order.push(name);
  }
  return model.actors[name];
}

/** Feeds `events` (in time order) into `model`; `now` is the run's clock when they were taken. */
export function applyPipelineEvents(model, events, now) {
  for (const event of events) apply(model, event);
  if (now !== undefined) model.now = Math.max(model.now, now);
}

function depth(model, name, t, len) {
  const ch = model.channels[name];
  if (!ch) return;
  ch.depth.push([t, len]);
  ch.peak = Math.max(ch.peak, len);
}

function apply(model, e) {
  model.now = Math.max(model.now, e.t);
  if (e.actor === 'main') {
    if (e.kind === 'shutdown') model.shutdownAt = e.t;
    if (e.kind === 'ended') model.outcome = e.outcome;
    return;
  }
  const actor = actorOf(model, e.actor);
  switch (e.kind) {
    case 'started':
      actor.open = { kind: 'work', job: e.job, start: e.t, end: null };
      actor.spans.push(actor.open);
      break;
    case 'finished':
      if (actor.open?.kind === 'work') Object.assign(actor.open, { end: e.t, dropped: e.failed === true });
      actor.open = null;
      break;
    case 'blocked':
      actor.open = { kind: 'wait', channel: e.channel, op: e.op, reason: e.reason, start: e.t, end: null };
      actor.spans.push(actor.open);
      break;
    case 'unblocked':
      if (actor.open?.kind === 'wait') actor.open.end = e.t;
      actor.open = null;
      break;
    case 'sent':
    case 'received':
      depth(model, e.channel, e.t, e.len);
      if (e.kind === 'received' && e.actor === 'consumer') model.delivered++;
      break;
    case 'closed':
      if (model.channels[e.channel]) model.channels[e.channel].closedAt = e.t;
      actor.closes.push({ t: e.t, channel: e.channel });
      break;
    case 'exited':
      actor.exitedAt = e.t;
      break;
  }
}

/** A model of the whole of a finished run, from its report. */
export function modelOfReport(report) {
  const model = createPipelineModel(report.config, report.actors);
  applyPipelineEvents(model, report.events, report.stats.wallMs);
  return model;
}
