// Thinning a lane for drawing: a big run has far more spans than a lane has pixels, so the spans
// too thin to see one by one are drawn as the runs they form. Drawing then costs about what the
// lane's width allows, however long the trace.

/** Spans narrower than this many pixels are merged with their neighbours of the same kind. */
const THIN_PX = 2;

/**
 * The spans of one lane worth drawing at `msPerPixel`: consecutive closed spans of one kind (and
 * wait reason), each under THIN_PX pixels wide and at most a pixel apart, become one span over
 * their extent (the first's kind, reason, channel and op, with `merged`: how many it stands for,
 * and `first`: the first of them); every other span — wide, failed or still open — is kept as it
 * is, the same object. (A big run's live frames thin every lane each time: nothing here copies a
 * span it does not merge.)
 */
export function thinned(spans, msPerPixel) {
  const thin = THIN_PX * msPerPixel;
  const out = [];
  const open = new Map(); // kind → the run being merged
  const flush = (key) => {
    const run = open.get(key);
    if (!run) return;
    out.push(run.merged > 1 ? run : run.first);
    open.delete(key);
  };
  for (const s of spans) {
    if (s.end === null || s.failed || s.end - s.start >= thin) {
      out.push(s);
      continue;
    }
    const key = s.reason ?? s.kind;
    const run = open.get(key);
    if (run && s.start - run.end <= msPerPixel) {
      run.end = Math.max(run.end, s.end);
      run.merged++;
      continue;
    }
    flush(key);
    open.set(key, { kind: s.kind, reason: s.reason, channel: s.channel, op: s.op, start: s.start, end: s.end, merged: 1, first: s });
  }
  for (const key of [...open.keys()]) flush(key);
  return out;
}
