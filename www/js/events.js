// A run's events on the page. The coordinator takes them from the core packed (takePackedEvents:
// flat arrays, handed from thread to thread without a copy) and the page keeps them that way: a
// trace (`createTrace`) is the list of a run's packed batches, unpacked on demand into the event
// objects README's event table describes. So a 10,000-job run's 100,000 events are objects only
// while something reads them (the live view, a replay moving through them) and are not held as
// objects by the page, which keeps the garbage collector's pauses short. This is the one place
// packed events become objects; nothing here knows an event's shape (the core packed each event's
// fields in order, keys and texts by index). A recording, whose events are already objects, is a
// trace too (`traceOf`).

/**
 * A reader of a packed batch `{ widths, fields, values, keys, words }`. Returns `{ left, take(n) }`:
 * `take` unpacks the next `n` events (fewer at the end) as objects; `left` says how many remain.
 */
export function unpacker({ widths, fields, values, keys, words }) {
  const names = keys.map(([name]) => name);
  const texts = keys.map(([, kind]) => kind === 'text');
  const flags = keys.map(([, kind]) => kind === 'flag');
  let event = 0; // the next event to unpack
  let field = 0; // its first field
  return {
    get left() {
      return widths.length - event;
    },
    take(n) {
      const out = [];
      for (const end = Math.min(widths.length, event + n); event < end; event++) {
        const unpacked = {};
        for (const stop = field + widths[event]; field < stop; field++) {
          const key = fields[field];
          const value = values[field];
          unpacked[names[key]] = texts[key] ? words[value] : flags[key] ? value !== 0 : value;
        }
        out.push(unpacked);
      }
      return out;
    },
  };
}

/** The buffers of a packed batch, to transfer rather than copy. */
export const packedBuffers = ({ widths, fields, values }) => [widths.buffer, fields.buffer, values.buffer];

/**
 * A trace, read the same way whatever it is kept as: `count` events, `cursor()` reading them
 * from the first (`{ left, take(n) }`, as `unpacker`), `times()` every event's `t` in order (a
 * Float64Array, made once), `lastTime()` the last event's (undefined if none), and `objects()`
 * them all as objects (made once, on the first call).
 */
function traceFrom({ count, cursor, times, lastTime, objects = null }) {
  let all = objects;
  let moments = null;
  return {
    count,
    cursor,
    times: () => (moments ??= times()),
    lastTime,
    objects() {
      if (!all) {
        const reader = cursor();
        all = reader.take(reader.left);
      }
      return all;
    },
  };
}

/** A cursor over the events of `batches` (packed), one after the other. */
function batchCursor(batches) {
  const readers = batches.map(unpacker);
  let at = 0;
  return {
    get left() {
      return readers.slice(at).reduce((sum, reader) => sum + reader.left, 0);
    },
    take(n) {
      const out = [];
      while (out.length < n && at < readers.length) {
        for (const event of readers[at].take(n - out.length)) out.push(event);
        if (readers[at].left === 0) at++;
      }
      return out;
    },
  };
}

/** The `t` of every event of the packed `batches`, in order, read without making objects. */
function packedTimes(batches) {
  const out = new Float64Array(batches.reduce((sum, batch) => sum + batch.widths.length, 0));
  let next = 0;
  for (const { widths, fields, values, keys } of batches) {
    const time = keys.findIndex(([name]) => name === 't');
    let field = 0;
    for (const width of widths) {
      const stop = field + width;
      let t = 0;
      for (; field < stop; field++) if (fields[field] === time) t = values[field];
      out[next++] = t;
    }
  }
  return out;
}

/** The trace of a run whose events came packed in `batches` (in order). */
export function packedTrace(batches) {
  const count = batches.reduce((sum, batch) => sum + batch.widths.length, 0);
  const lastTime = () => {
    const batch = batches.findLast(({ widths }) => widths.length > 0);
    return batch && packedTimes([batch]).at(-1);
  };
  return traceFrom({ count, cursor: () => batchCursor(batches), times: () => packedTimes(batches), lastTime });
}

/** The trace of `events`, a list of event objects (a recording's). */
function listTrace(events) {
  const cursor = () => {
    let at = 0;
    return {
      get left() {
        return events.length - at;
      },
      take(n) {
        const out = events.slice(at, at + n);
        at += out.length;
        return out;
      },
    };
  };
  const times = () => Float64Array.from(events, (e) => e.t);
  return traceFrom({ count: events.length, cursor, times, lastTime: () => events.at(-1)?.t, objects: events });
}

const traces = new WeakMap(); // report → its packed trace

/**
 * Gives `report` the packed trace `trace`: its `events` become a property that unpacks them all
 * the first time it is read (a script's or an export's), while the page's picture reads the
 * trace through `traceOf` without making them all at once.
 */
export function withTrace(report, trace) {
  Object.defineProperty(report, 'events', { enumerable: true, configurable: true, get: trace.objects });
  traces.set(report, trace);
  return report;
}

/** The trace of `report`: the packed one it came with, or its list of events. */
export const traceOf = (report) => traces.get(report) ?? listTrace(report.events ?? []);
