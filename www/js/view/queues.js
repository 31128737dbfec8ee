// Queue depth over time: one strip per channel with its capacity as a dashed line. Behind the jobs
// strip, the time the producer spent blocked is shaded; behind the results strip, the time workers
// spent blocked sending (darker where more of them wait). Totals are written underneath.

import { blockedMs, workerNumber } from '../model.js';
import { REASON_COLORS } from './palette.js';
import { prepareCanvas, timeAxis, widthOf } from './canvas.js';
import { thinned } from './thin.js';

const STRIP = 70;
const GAP = 18;
const LABEL = 86;
const AXIS = 20;
const FONT = '11px system-ui, sans-serif';

/** Shades, behind a strip, the intervals in which `actor` waited on `channel`. */
function shadeWaits(ctx, spans, channel, x, until, top, alpha, msPerPixel) {
  const waits = spans.filter((s) => s.kind === 'blocked' && s.channel === channel && s.op === 'send');
  for (const s of thinned(waits, msPerPixel)) {
    ctx.globalAlpha = alpha;
    ctx.fillStyle = REASON_COLORS[s.reason];
    const x0 = x(s.start);
    ctx.fillRect(x0, top, Math.max(x(s.end ?? until) - x0, 1), STRIP);
  }
  ctx.globalAlpha = 1;
}

function strip(ctx, label, { title, channel, top, x, until, plot }) {
  const peak = Math.max(channel.cap, channel.peak, 1);
  const y = (len) => top + STRIP - (len / peak) * (STRIP - 6);
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(LABEL, top, plot, STRIP);
  ctx.fillStyle = '#343a40';
  ctx.textAlign = 'right';
  label(title, LABEL - 8, top + STRIP / 2 - 7);
  ctx.fillStyle = '#868e96';
  label(channel.cap === 0 ? 'unbuffered' : `capacity ${channel.cap}`, LABEL - 8, top + STRIP / 2 + 8);
  // Capacity line.
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = '#e03131';
  ctx.beginPath();
  ctx.moveTo(LABEL, y(channel.cap));
  ctx.lineTo(LABEL + plot, y(channel.cap));
  ctx.stroke();
  ctx.setLineDash([]);
  // Depth as a step line two pixels thick, drawn as bars: the changes within one pixel column
  // become one upright bar over the range they cover, then a level bar to the next change, so a
  // big run costs a few bars per pixel, not a path point per change.
  ctx.fillStyle = '#1971c2';
  let last = 0;
  let column = Math.floor(x(0));
  let low = 0;
  let high = 0;
  const flush = (next) => {
    ctx.fillRect(column, y(high) - 1, 2, y(low) - y(high) + 2);
    ctx.fillRect(column, y(last) - 1, Math.max(next - column, 0), 2);
  };
  const { depth } = channel;
  for (let i = 0; i < depth.length; i++) {
    const t = depth[i][0];
    const len = depth[i][1];
    const px = Math.floor(x(t));
    if (px !== column) {
      flush(px);
      column = px;
      low = high = last;
    }
    low = Math.min(low, len);
    high = Math.max(high, len);
    last = len;
  }
  flush(x(until));
}

/** Draws the queue strips of `model` on `canvas` up to `until` ms, on an axis of `span` ms. */
export function drawQueues(canvas, model, until, span = until) {
  if (!widthOf(canvas)) return;
  const height = 2 * STRIP + GAP + AXIS;
  const { ctx, width, label } = prepareCanvas(canvas, height, FONT);
  const axis = Math.max(span, until, 1);
  const plot = width - LABEL - 12;
  const x = (t) => LABEL + (Math.min(Math.max(t, 0), axis) / axis) * plot;

  const resultsTop = STRIP + GAP;
  const workers = model.actorNames.filter((name) => workerNumber(name));
  const msPerPixel = axis / plot;
  if (model.spans.producer) shadeWaits(ctx, model.spans.producer, 'jobs', x, until, 0, 0.25, msPerPixel);
  for (const w of workers) shadeWaits(ctx, model.spans[w], 'results', x, until, resultsTop, 0.5 / Math.max(workers.length, 1), msPerPixel);
  strip(ctx, label, { title: 'jobs queue', channel: model.channels.jobs, top: 0, x, until, plot });
  strip(ctx, label, { title: 'results queue', channel: model.channels.results, top: resultsTop, x, until, plot });

  ctx.fillStyle = '#495057';
  const axisTop = 2 * STRIP + GAP + 4;
  timeAxis(ctx, label, { x, axis, plot, y: axisTop + 8 });
}

/** Totals of blocked time, from the report's stats when there is one, else from the model. */
export function blockedTotals(model, until, stats) {
  const workers = model.actorNames.filter((name) => workerNumber(name));
  const producer = stats?.producerBlockedMs ?? blockedMs(model, 'producer', until);
  const workersMs = stats?.workersBlockedMs ?? workers.reduce((sum, w) => sum + blockedMs(model, w, until), 0);
  return (
    `Producer blocked ${producer.toFixed(0)} ms; workers blocked ${workersMs.toFixed(0)} ms, added over ` +
    'all workers. Shaded: the producer waiting to send a job, and workers waiting to send a result ' +
    '(darker when more of them wait).'
  );
}
