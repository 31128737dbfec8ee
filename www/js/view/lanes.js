// Swimlanes on a canvas: one row per actor, time left to right, each lane drawn over the time its
// actor lived (an autoscaling pool's lanes come and go with its workers).
//
// Jobs are blocks in the worker's colour, labelled with the job number (and the attempt, from the
// second on). Failure is a mark of its own: a failed job or attempt is cross-hatched in dark ink
// inside a red outline, so it shows on any worker colour. A wait before a retry is the pale,
// striped stretch after a failed attempt. Waits shade the lane with a bar coloured by their reason.
// The producer's lane ticks at every job it puts on the jobs channel (a burst is a dense run of
// ticks). The causes of a run's end are drawn where they happened: each close of a channel on the
// lane of whoever closed it, a panic as a red ✗ with Go's words on the lane that panicked, and,
// after a deadlock, a stretch past the moment it was detected in which every stuck actor's wait
// goes on, so "everyone waits" reads at a glance. Shutdowns and a comparison's sides are dashed
// lines across all lanes.
//
// Besides `canvas.textBoxes` (canvas.js), a draw leaves `canvas.marks`: the failure and cause marks
// it drew ({ kind: 'failed' | 'close' | 'panic' | 'stuck', actor, t, … }; failed and stuck ones
// with their box: x, top, width in CSS pixels), for tests and tools.

import { actorLabel, workerNumber } from '../model.js';
import { FAILURE, FAILURE_INK, REASON_COLORS, workerColor } from './palette.js';
import { prepareCanvas, timeAxis } from './canvas.js';
import { thinned, thinnedGrowing } from './thin.js';

const ROW = 24;
const GAP = 4;
const LABEL = 86;
const AXIS = 22;
const MARKS = 16;
const RIGHT = 12;
const FONT = '11px system-ui, sans-serif';
const INK = '#212529';
const MARKER = '#495057';
// No job number fits a block narrower than MIN_LABELLED_PX; a lane numbers at most
// LABELS_PER_LANE blocks (a big run's early frames have hundreds of wide ones), so a draw's text
// costs what a lane can show, not what the run did.
const MIN_LABELLED_PX = 12;
const LABELS_PER_LANE = 40;
/**
 * Less than any digit's width in FONT: a label whose digits alone (all its characters but one,
 * which may be the attempt's '·') need more than the block has is not measured.
 */
const DIGIT_PX = 5;

/** The steps of a live run's time axis within each power of ten, in ms. */
const LIVE_STEPS = [1, 1.5, 2, 3, 5, 7.5];

/**
 * The time axis of a live run at `until` ms: the next step at or above it (at least 10 ms), so the
 * lanes keep their scale for a while as the run goes on, and a frame thins only the spans added
 * since the last (thin.js), rather than all of them on an axis that moved.
 */
function liveAxis(until) {
  const t = Math.max(until, 10);
  const power = 10 ** Math.floor(Math.log10(t));
  return [...LIVE_STEPS, 10].map((step) => step * power).find((step) => step >= t);
}

/** How many of `spans` (in start order) start at or before `t`. */
function startsBy(spans, t) {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (spans[mid].start <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The lane's clip: everything a lane draws stays inside its row. */
function clipped(ctx, x0, top, w, h, draw) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, top, w, h);
  ctx.clip();
  draw();
  ctx.restore();
}

/** Diagonal lines over a rectangle, `step` px apart, one way or both. */
function hatch(ctx, x0, top, w, h, step, both) {
  clipped(ctx, x0, top, w, h, () => {
    ctx.beginPath();
    for (let hx = x0 - h; hx < x0 + w; hx += step) {
      ctx.moveTo(hx, top + h);
      ctx.lineTo(hx + h, top);
      if (both) {
        ctx.moveTo(hx, top);
        ctx.lineTo(hx + h, top + h);
      }
    }
    ctx.stroke();
  });
}

/** A failed job or attempt: dark cross-hatch inside a red outline, whatever the colour under it. */
function drawFailure(ctx, x0, top, w) {
  ctx.strokeStyle = FAILURE_INK;
  ctx.lineWidth = 1.2;
  hatch(ctx, x0, top + 1, w, ROW - 2, 5, true);
  ctx.strokeStyle = FAILURE;
  ctx.lineWidth = 2;
  ctx.strokeRect(x0 + 1, top + 2, Math.max(w - 2, 1), ROW - 4);
  ctx.lineWidth = 1;
}

/** The wait before a retry: pale, striped in the worker's colour, thinner than a job. */
function drawBackoff(ctx, x0, top, w, color) {
  ctx.fillStyle = '#f8f9fa';
  ctx.fillRect(x0, top + 4, w, ROW - 8);
  ctx.strokeStyle = color;
  hatch(ctx, x0, top + 4, w, ROW - 8, 4, false);
}

/** A red ✗, `r` px from its centre to a tip. */
function cross(ctx, cx, cy, r) {
  ctx.strokeStyle = FAILURE;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(cx - r, cy - r);
  ctx.lineTo(cx + r, cy + r);
  ctx.moveTo(cx + r, cy - r);
  ctx.lineTo(cx - r, cy + r);
  ctx.stroke();
  ctx.lineWidth = 1;
}

/**
 * Writes `text` beside x in the lane whose middle is y: right of it, else left of it, on the
 * lane's middle line, else on its upper or lower half; false when nothing fits.
 */
function besideMark(label, ctx, text, x, y, gap = 6) {
  for (const at of [y, y - 6, y + 6]) {
    ctx.textAlign = 'left';
    if (label(text, x + gap, at, { avoid: true, pill: true })) return true;
    ctx.textAlign = 'right';
    if (label(text, x - gap, at, { avoid: true, pill: true })) return true;
  }
  return false;
}

/**
 * The jobs the producer put on the channel, as ticks along the foot of its lane: one per pixel
 * column, taller where more jobs went in at once, so a burst stands out from a trickle; in a run
 * set up with a burst (`bursty`) the biggest is counted in words.
 */
function drawFeeds(ctx, label, feeds, until, x, top, bursty) {
  // Jobs put in, by pixel column (none on a canvas too narrow to have any).
  const columns = new Uint32Array(Math.max(Math.ceil(x(until)) + 2, 0));
  for (const t of feeds) {
    if (t > until) break;
    columns[Math.round(x(t))]++;
  }
  ctx.fillStyle = MARKER;
  let burst = null;
  for (const [column, n] of columns.entries()) {
    if (!n) continue;
    const h = Math.min(ROW - 4, 4 + 3 * Math.log2(n));
    ctx.fillRect(column, top + ROW - h, 1.5, h);
    if (n >= 5 && (!burst || n > burst.n)) burst = { column, n };
  }
  if (burst && bursty) {
    ctx.textAlign = 'left';
    ctx.fillStyle = INK;
    label(`${burst.n} jobs at once`, burst.column + 5, top + ROW / 2, { avoid: true, pill: true });
  }
}

/**
 * Draws `model` on `canvas` as it was at `until` ms, on a time axis running to `span` ms (a replay
 * keeps the whole run's axis while it moves through it); `live` for a run still going, whose axis
 * moves in steps (`liveAxis`), a line marking its present moment.
 */
export function drawLanes(canvas, model, until, span = until, { live = false } = {}) {
  for (const _ of lanesDrawing(canvas, model, until, span, { live, offscreen: false }));
}

/**
 * The same drawing made a lane at a time, off the page: each step of the returned iterator draws
 * one lane's spans, and the last step shows the whole on `canvas` at once. For a live run's
 * frames, spread over tasks so none holds the page long.
 */
export function drawLanesInSteps(canvas, model, until, span = until, { live = false } = {}) {
  return lanesDrawing(canvas, model, until, span, { live, offscreen: true });
}

/** The drawing of `drawLanes`, yielding after each lane's spans; `offscreen`: see prepareCanvas. */
function* lanesDrawing(canvas, model, until, span, { live, offscreen }) {
  const actors = model.actorNames;
  const stuck = actors.filter((actor) => model.actors[actor].state === 'stuck');
  // Markers, a deadlock's and a panic's words go in a row above the lanes, two when there are several.
  const panicked = actors.filter((actor) => model.actors[actor].state === 'panicked');
  const headRows = model.markers.length + (stuck.length || panicked.length ? 1 : 0);
  const head = Math.min(headRows, 2) * MARKS;
  const height = head + actors.length * (ROW + GAP) + AXIS;
  const { ctx, width, label, present } = prepareCanvas(canvas, height, FONT, { offscreen });
  const marks = [];

  const axis = live ? liveAxis(until) : Math.max(span, until, 1);
  // After a deadlock the lanes go on past its detection, so every stuck wait is plain to see.
  const tail = stuck.length ? Math.max(56, (width - LABEL - RIGHT) * 0.14) : 0;
  const plot = width - LABEL - RIGHT - tail;
  const x = (t) => LABEL + (Math.min(t, axis) / axis) * plot;
  const end = LABEL + plot;
  const topOf = (row) => head + row * (ROW + GAP);
  const axisTop = topOf(actors.length);

  if (tail) {
    ctx.fillStyle = '#fff5f5';
    ctx.fillRect(end, head, tail, axisTop - head);
  }

  // The lanes and their names first, so the names are never covered.
  actors.forEach((actor, row) => {
    const top = topOf(row);
    const who = model.actors[actor];
    const from = x(who.since ?? 0);
    const to = who.exitedAt !== null && who.exitedAt <= until ? x(who.exitedAt) : x(until);
    // A faint row for the whole run, the actor's lifetime darker on it.
    ctx.fillStyle = '#f8f9fa';
    ctx.fillRect(LABEL, top, plot, ROW);
    ctx.fillStyle = '#e9ecef';
    ctx.fillRect(from, top, Math.max(to - from, 1), ROW);
    const panicked = who.state === 'panicked';
    ctx.fillStyle = panicked ? FAILURE : '#343a40';
    ctx.textAlign = 'right';
    label(`${panicked ? '✗ ' : ''}${actorLabel(actor)}`, LABEL - 8, top + ROW / 2);
  });

  for (const [row, actor] of actors.entries()) {
    const top = topOf(row);
    const who = model.actors[actor];
    const color = workerColor(workerNumber(actor) ?? 1);
    const spans = model.spans[actor];
    const lastWait = who.state === 'stuck' ? spans.findLast((s) => s.kind === 'blocked') : null;
    // Only what has begun by `until` (spans are in start order), so a replay's early moment of a
    // big run thins a few spans, not the whole trace. Spans too thin to see one by one are drawn
    // as the runs they form (thin.js); a stuck wait is always drawn as itself.
    const begun = spans.length && spans.at(-1).start > until ? spans.slice(0, startsBy(spans, until)) : spans;
    const drawn = live && begun === spans ? thinnedGrowing(spans, axis / plot) : thinned(begun, axis / plot);
    if (lastWait && lastWait.start <= until && !drawn.includes(lastWait)) drawn.push(lastWait);
    let labels = 0;
    for (const s of drawn) {
      const x0 = x(s.start);
      let x1 = x(Math.min(s.end ?? until, until));
      if (s === lastWait) x1 = end + tail;
      const w = Math.max(x1 - x0, 1);
      if (s.kind === 'blocked') {
        ctx.fillStyle = REASON_COLORS[s.reason];
        ctx.globalAlpha = s === lastWait ? 0.3 : 0.16;
        ctx.fillRect(x0, top, w, ROW);
        ctx.globalAlpha = s === lastWait ? 0.9 : 0.6;
        ctx.fillRect(x0, top + ROW * 0.3, w, ROW * 0.4);
        ctx.globalAlpha = 1;
        if (s === lastWait) marks.push({ kind: 'stuck', actor, t: s.start, channel: s.channel, op: s.op, x: x0, top, width: w });
      } else if (s.kind === 'backoff') {
        drawBackoff(ctx, x0, top, w, color);
      } else if (s.kind === 'rest') {
        ctx.fillStyle = '#ced4da';
        ctx.fillRect(x0, top + 4, w, ROW - 8);
      } else {
        const failed = Boolean(s.failed) && s.end !== null && s.end <= until;
        // A failure is never thinner than its mark.
        const bw = failed ? Math.max(w, 5) : w;
        ctx.fillStyle = color;
        ctx.fillRect(x0, top + 1, bw, ROW - 2);
        if (failed) {
          drawFailure(ctx, x0, top, bw);
          marks.push({ kind: 'failed', actor, t: s.end, job: s.job, attempt: s.attempt ?? 1, final: s.failed === true, x: x0, top, width: bw });
        }
        ctx.fillStyle = INK;
        ctx.textAlign = 'center';
        // A merged run of thin jobs (see thin.js) is many jobs: it carries no one job's number.
        const words = s.merged ? [] : s.attempt > 1 ? [`${s.job}·${s.attempt}`, String(s.job)] : [String(s.job)];
        for (const text of words) {
          if (labels >= LABELS_PER_LANE || bw < Math.max(MIN_LABELLED_PX, (text.length - 1) * DIGIT_PX + 6)) continue;
          if (ctx.measureText(text).width + 6 > bw) continue;
          if (label(text, x0 + bw / 2, top + ROW / 2, { avoid: true, halo: true })) {
            labels++;
            break;
          }
        }
      }
    }
    if (actor === 'producer') drawFeeds(ctx, label, model.feeds, until, x, top, model.config.burstJobs !== undefined);
    yield;
  }

  // Causes: closes where they happened, then panics; their words go where no other label is.
  const rowOf = new Map(actors.map((actor, row) => [actor, row]));
  const closedBefore = new Set();
  for (const { t, actor, channel } of model.closes) {
    if (t > until || !rowOf.has(actor)) continue;
    const top = topOf(rowOf.get(actor));
    const cx = x(t);
    ctx.fillStyle = INK;
    ctx.fillRect(cx - 1.5, top - 1, 3, ROW + 2);
    ctx.beginPath();
    ctx.moveTo(cx - 5, top - 1);
    ctx.lineTo(cx + 5, top - 1);
    ctx.lineTo(cx, top + 5);
    ctx.fill();
    const again = closedBefore.has(channel);
    closedBefore.add(channel);
    ctx.fillStyle = INK;
    besideMark(label, ctx, `close(${channel})`, cx, top + ROW / 2);
    marks.push({ kind: 'close', actor, t, channel, again });
  }
  for (const actor of actors) {
    const who = model.actors[actor];
    if (who.state !== 'panicked') continue;
    const t = Math.min(who.exitedAt ?? model.now, until);
    const top = topOf(rowOf.get(actor));
    const cx = Math.max(x(t), LABEL + 6);
    cross(ctx, cx, top + ROW / 2, 6);
    ctx.fillStyle = FAILURE;
    // Go's words beside the ✗, else above the lanes over it.
    const text = `panic: ${who.panic}`;
    if (!besideMark(label, ctx, text, cx, top + ROW / 2, 10)) {
      ctx.fillStyle = FAILURE;
      [MARKS / 2, MARKS * 1.5].some((y) => {
        ctx.textAlign = 'right';
        if (y < head && label(`${text} ✗`, cx + 5, y, { avoid: true })) return true;
        ctx.textAlign = 'left';
        return y < head && label(`✗ ${text}`, cx - 5, y, { avoid: true });
      });
    }
    marks.push({ kind: 'panic', actor, t, error: who.panic });
  }

  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = MARKER;
  ctx.fillStyle = MARKER;
  for (const { t, mode, stage, label: given } of model.markers) {
    const mx = x(t);
    ctx.beginPath();
    ctx.moveTo(mx, head - 2);
    ctx.lineTo(mx, axisTop);
    ctx.stroke();
    const text = given ?? (stage === 'forced' ? 'context cancelled' : `${mode} shutdown`);
    const placed = [MARKS / 2, MARKS * 1.5].filter((y) => y < head).some((y) => {
      ctx.textAlign = 'left';
      if (label(text, Math.max(mx + 3, LABEL), y, { avoid: true })) return true;
      ctx.textAlign = 'right';
      return label(text, mx - 3, y, { avoid: true });
    });
    if (!placed) marks.push({ kind: 'unlabelled', t, text });
  }
  ctx.setLineDash([]);
  if (tail) {
    ctx.fillStyle = FAILURE;
    ctx.fillRect(end, head - 2, 2, axisTop - head + 2);
    ctx.textAlign = 'right';
    const words = ['deadlock: everyone waits', 'deadlock'];
    for (const text of words) if (label(text, end + tail - 2, MARKS / 2, { avoid: true })) break;
  }
  if (until < axis) {
    // The replay's playhead (a live run's present moment).
    ctx.fillStyle = '#1971c2';
    ctx.fillRect(x(until) - 1, head, 2, axisTop - head);
  }
  ctx.strokeStyle = '#adb5bd';
  ctx.beginPath();
  ctx.moveTo(LABEL, axisTop + 2);
  ctx.lineTo(end, axisTop + 2);
  ctx.stroke();
  ctx.fillStyle = '#495057';
  timeAxis(ctx, label, { x, axis, plot, y: axisTop + 14, ticks: axisTop + 2 });
  present();
  canvas.marks = marks;
}
