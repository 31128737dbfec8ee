// A run's trace as Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing
// open: one thread lane per actor, a complete ("X") event per job and per wait, instant ("i")
// events for closes, shutdown steps and the end, and counters ("C") for the two queues.
// Timestamps are microseconds since the run started. Built from the same model the picture draws.

import { createReplay } from './replay.js';
import { actorLabel } from './model.js';
import { describeBlock } from './view/palette.js';

const PID = 1;
const MAIN_TID = 0;

/** Milliseconds → microseconds, kept to nanoseconds. */
const us = (ms) => Math.round(ms * 1e6) / 1e3;


/** The trace-event object of `report` (a live run's or a recording's). */
export function toTraceEvents(report) {
  const replay = createReplay(report);
  const model = replay.modelAt(replay.end);
  const end = replay.end;
  const tids = new Map(model.actorNames.map((actor, i) => [actor, i + 1]));
  const events = [
    { name: 'process_name', ph: 'M', pid: PID, tid: MAIN_TID, args: { name: `Poolplay: ${report.config.scenario ?? 'run'}` } },
    { name: 'thread_name', ph: 'M', pid: PID, tid: MAIN_TID, args: { name: 'main' } },
  ];
  // After a deadlock, each waiting actor's last wait is the one it was stuck in.
  const stuck = new Set((report.outcome === 'deadlock' ? report.blocked ?? [] : []).map(({ actor }) => actor));
  for (const [actor, tid] of tids) {
    const lastWait = model.spans[actor].findLast((span) => span.kind === 'blocked');
    events.push(
      { name: 'thread_name', ph: 'M', pid: PID, tid, args: { name: actorLabel(actor) } },
      { name: 'thread_sort_index', ph: 'M', pid: PID, tid, args: { sort_index: tid } },
    );
    for (const span of model.spans[actor]) {
      const start = us(span.start);
      const dur = Math.max(us(Math.min(span.end ?? end, end)) - start, 0);
      const base = { ph: 'X', ts: start, dur, pid: PID, tid };
      if (span.kind === 'job') {
        // A retried job is a span per attempt; an attempt that failed and was retried has failed: 'attempt'.
        const args = { job: span.job, attempt: span.attempt ?? 1, failed: span.failed };
        events.push({ ...base, name: span.attempt > 1 ? `job ${span.job} (attempt ${span.attempt})` : `job ${span.job}`, cat: span.failed ? 'job,failed' : 'job', args });
      } else if (span.kind === 'blocked') {
        const { channel, op, reason } = span;
        const args = { channel, op, reason, stuck: span === lastWait && stuck.has(actor) };
        events.push({ ...base, name: describeBlock(span), cat: 'wait', args });
      } else if (span.kind === 'backoff') {
        events.push({ ...base, name: `wait to retry job ${span.job}`, cat: 'backoff', args: { job: span.job, attempt: span.attempt } });
      } else {
        events.push({ ...base, name: `rest after job ${span.job}`, cat: 'rest', args: { job: span.job } });
      }
    }
  }
  for (const event of report.events) {
    const tid = tids.get(event.actor) ?? MAIN_TID;
    if (event.kind === 'closed') {
      events.push({ name: `close ${event.channel}`, cat: 'channel', ph: 'i', s: 't', ts: us(event.t), pid: PID, tid });
    } else if (event.kind === 'shutdown') {
      events.push({ name: `${event.mode} shutdown ${event.stage}`, cat: 'shutdown', ph: 'i', s: 'g', ts: us(event.t), pid: PID, tid });
    }
  }
  for (const [channel, state] of Object.entries(model.channels)) {
    for (const [t, length] of state.depth) {
      events.push({ name: `${channel} queue`, cat: 'queue', ph: 'C', ts: us(t), pid: PID, tid: MAIN_TID, args: { length } });
    }
  }
  events.push({ name: report.message ?? report.outcome, cat: 'outcome', ph: 'i', s: 'g', ts: us(end), pid: PID, tid: MAIN_TID, args: { outcome: report.outcome } });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { source: 'Poolplay', outcome: report.outcome, config: report.config },
  };
}

/** Offers the trace of `report` as a download named after its scenario. */
export function downloadTrace(report) {
  const json = JSON.stringify(toTraceEvents(report));
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `poolplay-${report.config.scenario ?? 'run'}.trace.json`;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
