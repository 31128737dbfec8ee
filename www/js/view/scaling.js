// An autoscaling pool over time: the worker count between its minimum and maximum, and under it
// the queue depth against the scale-up threshold (scaleUpPerWorker × workers, which moves with
// the count). A worker joins where the queue rises above the threshold; in the quiet they retire
// after their idle timeout. Drawn from the model (scaled/retired events, the jobs channel's
// depth), live and after the run; the report's figures are written underneath.

import { prepareCanvas, timeAxis, widthOf } from './canvas.js';

const STRIP = 90;
const GAP = 22;
const LABEL = 86;
const AXIS = 20;
const FONT = '11px system-ui, sans-serif';

function stepLine(ctx, series, x, y, until, color, dash = []) {
  ctx.setLineDash(dash);
  ctx.strokeStyle = color;
  ctx.beginPath();
  let last = series[0]?.[1] ?? 0;
  ctx.moveTo(x(0), y(last));
  for (const [t, v] of series) {
    if (t > until) break;
    ctx.lineTo(x(t), y(last));
    ctx.lineTo(x(t), y(v));
    last = v;
  }
  ctx.lineTo(x(until), y(last));
  ctx.stroke();
  ctx.setLineDash([]);
}

/** A strip's frame and its title lines, right-aligned in the label column. */
function frame(ctx, label, top, plot, lines) {
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(LABEL, top, plot, STRIP);
  ctx.textAlign = 'right';
  const first = top + STRIP / 2 - ((lines.length - 1) * 14) / 2;
  lines.forEach((text, i) => {
    ctx.fillStyle = i === 0 ? '#343a40' : '#868e96';
    label(text, LABEL - 8, first + i * 14);
  });
}

/** A bound's words beside its dashed line: above it when there is room, else below. */
function boundLabel(ctx, label, text, y, top) {
  ctx.fillStyle = '#868e96';
  ctx.textAlign = 'left';
  for (const at of [y - 7, y + 8]) {
    if (at - 6 >= top && at + 6 <= top + STRIP && label(text, LABEL + 4, at, { avoid: true })) return;
  }
}

/** Draws the two strips of `model` on `canvas` up to `until` ms, on an axis of `span` ms. */
export function drawScaling(canvas, model, until, span = until) {
  if (!widthOf(canvas)) return;
  const { minWorkers: min = 1, maxWorkers: max = 1, scaleUpPerWorker: per = 5 } = model.config;
  const height = 2 * STRIP + GAP + AXIS;
  const { ctx, width, label } = prepareCanvas(canvas, height, FONT);
  const axis = Math.max(span, until, 1);
  const plot = width - LABEL - 12;
  const x = (t) => LABEL + (Math.min(Math.max(t, 0), axis) / axis) * plot;

  const workers = model.workerCount;
  const yWorkers = (n) => STRIP - 6 - (n / Math.max(max, 1)) * (STRIP - 14);
  frame(ctx, label, 0, plot, ['workers', `from ${min} to ${max}`]);
  for (const [bound, text] of [[max, 'max'], [min, 'min']]) {
    stepLine(ctx, [[0, bound]], x, yWorkers, axis, '#adb5bd', [3, 3]);
    boundLabel(ctx, label, `${text} ${bound}`, yWorkers(bound), 0);
  }
  ctx.lineWidth = 2;
  stepLine(ctx, workers, x, yWorkers, until, '#2f9e44');
  ctx.lineWidth = 1;

  const top = STRIP + GAP;
  const depth = model.channels.jobs.depth;
  const threshold = workers.map(([t, n]) => [t, per * n]);
  const peak = Math.max(1, ...depth.map(([, n]) => n), ...threshold.map(([, n]) => n));
  const yQueue = (n) => top + STRIP - 4 - (n / peak) * (STRIP - 10);
  frame(ctx, label, top, plot, ['queue depth', 'grow above', `${per} × workers`]);
  stepLine(ctx, threshold, x, yQueue, until, '#e03131', [5, 4]);
  ctx.lineWidth = 2;
  stepLine(ctx, depth, x, yQueue, until, '#1971c2');
  ctx.lineWidth = 1;

  ctx.fillStyle = '#495057';
  const axisTop = 2 * STRIP + GAP + 4;
  timeAxis(ctx, label, { x, axis, plot, y: axisTop + 8 });
}

/** The figures under the plot: from the report when there is one, else from the model so far. */
export function scalingSummary(model, report) {
  const scaling = report?.scaling;
  const counts = model.workerCount.map(([, n]) => n);
  const peak = scaling?.peakWorkers ?? Math.max(0, ...counts);
  const added = scaling?.scaledUp ?? counts.filter((n, i) => i > 0 && n > counts[i - 1]).length;
  const retired = scaling?.retired ?? counts.filter((n, i) => i > 0 && n < counts[i - 1]).length;
  return (
    `At most ${peak} workers; ${added} added by the scaler, ${retired} retired after idling. ` +
    'Green: workers (dashed: the bounds). Blue: jobs waiting; red dashes: the depth above which a worker is added.'
  );
}
