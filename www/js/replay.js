// Replaying a finished run: the picture's model at any moment of the trace.
//
// A report carries its whole trace (events in time order), so the state at time t is the model
// (model.js) fed with the events up to t. Moving forward applies only the new events; moving back
// starts again from the empty model. At the end, the report's verdict marks are applied (stuck
// actors after a deadlock, the actor that panicked), exactly as after a live run.

import { applyEvent, createModel, markPanic, markStuck, pruneIdle } from './model.js';

/** The last moment of a report's trace, in ms since the run started. */
function endOf(report) {
  return Math.max(report.stats?.wallMs ?? 0, report.events.at(-1)?.t ?? 0);
}

/** Applies what only the finished run knows: idle actors dropped, stuck and panicked ones marked. */
export function finishModel(model, report) {
  pruneIdle(model);
  if (report.outcome === 'deadlock') markStuck(model, report.blocked);
  if (report.outcome === 'panic') markPanic(model, report.panic);
}

/**
 * A replay of `report`. Returns `{ end, modelAt(t), nextTime(t), previousTime(t) }`; `modelAt`
 * may return the same model object again, updated, when t moves forward.
 */
export function createReplay(report) {
  const { events } = report;
  const end = endOf(report);
  // The moments something happened, for stepping: found on the first step, not for every run.
  let found = null;
  const times = () => (found ??= [...new Set(events.map((e) => e.t))]);
  let model = null;
  let applied = 0;
  let at = -Infinity;

  function modelAt(t) {
    if (!model || t < at) {
      model = createModel(report.config, report.actors);
      applied = 0;
    }
    at = t;
    while (applied < events.length && events[applied].t <= t) applyEvent(model, events[applied++]);
    if (applied === events.length && t >= end && !model.finished) {
      finishModel(model, report);
      model.finished = true;
    }
    return model;
  }

  return {
    end,
    modelAt,
    /** The next moment after `t` at which something happened (or the end). */
    nextTime: (t) => times().find((time) => time > t) ?? end,
    /** The last moment before `t` at which something happened (or 0). */
    previousTime: (t) => times().findLast((time) => time < t) ?? 0,
  };
}
