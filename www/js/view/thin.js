// Thinning a lane for drawing: a big run has far more spans than a lane has pixels, so the spans
// too thin to see one by one are drawn as the runs they form. Drawing then costs about what the
// lane's width allows, however long the trace.
//
// A live run's lane only grows (new spans at its end; a span, once closed, never changes), so on
// an axis that stays put (the live lanes' axis moves in steps: lanes.js) `thinnedGrowing` keeps
// how far it got and thins only the spans added since.

/** Spans narrower than this many pixels are merged with their neighbours of the same kind. */
const THIN_PX = 2;

/** A thinning in progress at `msPerPixel`: spans are added in order, the result read at any time. */
class Thinning {
  constructor(msPerPixel) {
    this.msPerPixel = msPerPixel;
    this.thin = THIN_PX * msPerPixel;
    this.out = []; // the spans and runs that are settled
    this.open = new Map(); // kind → the run being merged
  }

  flush(key) {
    const run = this.open.get(key);
    if (!run) return;
    this.out.push(run.merged > 1 ? run : run.first);
    this.open.delete(key);
  }

  add(s) {
    if (s.end === null || s.failed || s.end - s.start >= this.thin) {
      this.out.push(s);
      return;
    }
    const key = s.reason ?? s.kind;
    const run = this.open.get(key);
    if (run && s.start - run.end <= this.msPerPixel) {
      run.end = Math.max(run.end, s.end);
      run.merged++;
      return;
    }
    this.flush(key);
    this.open.set(key, { kind: s.kind, reason: s.reason, channel: s.channel, op: s.op, start: s.start, end: s.end, merged: 1, first: s });
  }

  /** A thinning that goes on from where this one is, leaving this one as it is. */
  copy() {
    const copy = new Thinning(this.msPerPixel);
    copy.out = this.out.slice();
    for (const [key, run] of this.open) copy.open.set(key, { ...run });
    return copy;
  }

  /** What is there so far: the settled spans, then the runs still being merged. */
  result() {
    const out = this.out.slice();
    for (const run of this.open.values()) out.push(run.merged > 1 ? run : run.first);
    return out;
  }
}

/**
 * The spans of one lane worth drawing at `msPerPixel`: consecutive closed spans of one kind (and
 * wait reason), each under THIN_PX pixels wide and at most a pixel apart, become one span over
 * their extent (the first's kind, reason, channel and op, with `merged`: how many it stands for,
 * and `first`: the first of them); every other span — wide, failed or still open — is kept as it
 * is, the same object.
 */
export function thinned(spans, msPerPixel) {
  const thinning = new Thinning(msPerPixel);
  for (const s of spans) thinning.add(s);
  return thinning.result();
}

const growing = new WeakMap(); // a lane's spans → { thinning, used: how many of them it has taken }

/**
 * `thinned(spans, msPerPixel)` for a lane that only grows, drawn again and again: the closed spans
 * before the first open one are thinned once and kept (while `msPerPixel` stays); the rest, which
 * may still change, are thinned on from there on each call without keeping them.
 */
export function thinnedGrowing(spans, msPerPixel) {
  let state = growing.get(spans);
  if (!state || state.thinning.msPerPixel !== msPerPixel || state.used > spans.length) {
    state = { thinning: new Thinning(msPerPixel), used: 0 };
    growing.set(spans, state);
  }
  while (state.used < spans.length && spans[state.used].end !== null) state.thinning.add(spans[state.used++]);
  if (state.used === spans.length) return state.thinning.result();
  const rest = state.thinning.copy();
  for (let i = state.used; i < spans.length; i++) rest.add(spans[i]);
  return rest.result();
}
