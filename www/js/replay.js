// Replaying a finished run: the picture's model at any moment of the trace.
//
// A report carries its whole trace (events in time order, kept packed: events.js), so the state at
// time t is the model (model.js) fed with the events up to t. Moving forward applies only the new
// events; moving back starts again from the empty model. A big run's trace holds 100,000 events,
// so a move may be asked to stop after a number of them and be continued later (`budget`): the
// picture then catches up over several tasks instead of holding the page. At the end, the report's
// verdict marks are applied (stuck actors after a deadlock, the actor that panicked), exactly as
// after a live run.

import { traceOf } from './events.js';
import { applyEvent, createModel, markPanic, markStuck, pruneIdle } from './model.js';

/** How many events the replay unpacks at a time. */
const CHUNK = 1024;

/** Applies what only the finished run knows: idle actors dropped, stuck and panicked ones marked. */
export function finishModel(model, report) {
  pruneIdle(model);
  if (report.outcome === 'deadlock') markStuck(model, report.blocked);
  if (report.outcome === 'panic') markPanic(model, report.panic);
}

/** The first index of the sorted `times` whose time is above `t` (times.length if none). */
function firstAfter(times, t) {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle] > t) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A replay of `report`. Returns `{ end, modelAt(t, budget), nextTime(t), previousTime(t) }`.
 * `modelAt` returns the model at `t`, or null when reaching it would apply more than `budget`
 * events (call again to go on); it may return the same model object again, updated, when t moves
 * forward.
 */
export function createReplay(report) {
  const trace = traceOf(report);
  const end = Math.max(report.stats?.wallMs ?? 0, trace.lastTime() ?? 0);
  let model = null;
  let cursor = null;
  let held = []; // events unpacked and not yet applied, from `next` on
  let next = 0;
  let latest = -Infinity; // the time of the last event applied

  function modelAt(t, budget = Infinity) {
    if (!model || t < latest || (model.finished && t < end)) {
      model = createModel(report.config, report.actors);
      cursor = trace.cursor();
      held = [];
      next = 0;
      latest = -Infinity;
    }
    for (let spent = 0; ; spent++) {
      if (next === held.length) {
        if (cursor.left === 0) break;
        held = cursor.take(CHUNK);
        next = 0;
      }
      const event = held[next];
      if (event.t > t) break;
      if (spent === budget) return null;
      applyEvent(model, event);
      latest = event.t;
      next++;
    }
    if (t >= end && next === held.length && cursor.left === 0 && !model.finished) {
      finishModel(model, report);
      model.finished = true;
    }
    return model;
  }

  return {
    end,
    modelAt,
    /** The next moment after `t` at which something happened (or the end). */
    nextTime(t) {
      const times = trace.times();
      return times[firstAfter(times, t)] ?? end;
    },
    /** The last moment before `t` at which something happened (or 0). */
    previousTime(t) {
      const times = trace.times();
      let i = firstAfter(times, t) - 1;
      while (i >= 0 && times[i] >= t) i--;
      return i >= 0 ? times[i] : 0;
    },
  };
}
