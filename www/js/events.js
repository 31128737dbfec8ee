// Unpacking a run's events. The coordinator takes them from the core packed (takePackedEvents:
// flat arrays, handed from thread to thread without a copy) and the page unpacks them here, a
// slice at a time, into the event objects README's event table describes. This is the one place
// packed events become objects; nothing here knows an event's shape (the core packed each event's
// fields in order, keys and texts by index).

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
