// The pipeline's picture on one canvas, top to bottom as the values flow: the source's lane, the
// jobs channel's queue over time, then for each stage a lane group (its workers, its closer) and
// its output channel's queue, and the consumer's lane. Jobs are blocks in their worker's colour
// (outlined in red when a cancel cut them short), waits thin bars coloured by why; the bottleneck's group is tinted amber and says so. A cancel is
// a dashed line across everything.

import { stageOf } from './model.js';
import { prepareCanvas, timeAxis } from '../view/canvas.js';
import { FAILURE, REASON_COLORS, workerColor } from '../view/palette.js';

const LANE = 16;
const STRIP = 30;
const HEADER = 18;
const GAP = 6;
const AXIS = 20;
const FONT = '11px system-ui, sans-serif';
const BOTTLENECK_TINT = 'rgba(250, 176, 5, 0.16)';
const STAGE_TINT = 'rgba(134, 142, 150, 0.07)';

/** The label column's width: narrower on a phone. */
const labelWidth = (width) => (width < 520 ? 74 : 104);

/** The rows to draw, top to bottom, with their heights. */
function rows(model) {
  const list = [{ kind: 'lane', actor: 'producer', title: 'source' }, { kind: 'strip', channel: 'jobs' }];
  model.config.stages.forEach((stage, i) => {
    const k = i + 1;
    list.push({ kind: 'header', stage: k });
    for (let w = 1; w <= stage.workers; w++) list.push({ kind: 'lane', actor: `s${k}-worker-${w}`, title: `worker ${w}`, stage: k });
    list.push({ kind: 'lane', actor: `s${k}-closer`, title: 'closer', stage: k });
    list.push({ kind: 'strip', channel: `c${k}` });
  });
  list.push({ kind: 'lane', actor: 'consumer', title: 'consumer' });
  const height = { lane: LANE, strip: STRIP + GAP, header: HEADER };
  let y = 4;
  for (const row of list) {
    row.top = y;
    y += height[row.kind];
  }
  return { list, height: y + AXIS };
}

/** The height the canvas takes for `model`. */
export const pictureHeight = (model) => rows(model).height;

/**
 * Draws `model` up to `until` ms on an axis of `span` ms. `bottleneck` is the index (from 0) of
 * the stage to mark, or null (a live run: not known yet).
 */
export function drawPipeline(canvas, model, until, span, bottleneck = null) {
  const layout = rows(model);
  const { ctx, width, label } = prepareCanvas(canvas, layout.height, FONT);
  const left = labelWidth(width);
  const plot = Math.max(width - left - 8, 10);
  const axis = Math.max(span, 1);
  const x = (t) => left + (Math.min(t, axis) / axis) * plot;

  // Stage groups' backgrounds first, the bottleneck's amber.
  for (const [i] of model.config.stages.entries()) {
    const k = i + 1;
    const members = layout.list.filter((r) => r.stage === k || (r.kind === 'header' && r.stage === k));
    const top = members[0].top;
    const bottom = members.at(-1).top + LANE;
    ctx.fillStyle = i === bottleneck ? BOTTLENECK_TINT : STAGE_TINT;
    ctx.fillRect(0, top - 2, width, bottom - top + 4);
  }

  for (const row of layout.list) {
    if (row.kind === 'header') header(ctx, label, model, row, left, bottleneck);
    else if (row.kind === 'lane') lane(ctx, label, model, row, { x, until, left, plot });
    else strip(ctx, label, model, row, { x, until, left, plot });
  }

  if (model.shutdownAt !== null && model.shutdownAt <= until) {
    const at = x(model.shutdownAt);
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#c92a2a';
    ctx.beginPath();
    ctx.moveTo(at, 2);
    ctx.lineTo(at, layout.height - AXIS);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#c92a2a';
    ctx.textAlign = at > width - 60 ? 'right' : 'left';
    label('cancel', at + (ctx.textAlign === 'left' ? 3 : -3), 9, { avoid: true, pill: true });
  }
  ctx.fillStyle = '#495057';
  timeAxis(ctx, label, { x, axis, plot, y: layout.height - AXIS / 2, ticks: layout.height - AXIS });
}

function header(ctx, label, model, row, left, bottleneck) {
  const stage = model.config.stages[row.stage - 1];
  const y = row.top + HEADER / 2;
  ctx.fillStyle = '#212529';
  ctx.textAlign = 'left';
  ctx.font = `600 ${FONT}`;
  const words = `Stage ${row.stage}: ${stage.workers} × ${stage.workMs} ms`;
  label(words, 4, y);
  const after = 4 + ctx.measureText(words).width + 12;
  ctx.font = FONT;
  if (row.stage - 1 === bottleneck) {
    ctx.fillStyle = '#8f5b00';
    const x = Math.max(after, left);
    label('the bottleneck: its workers were the busiest', x, y, { avoid: true }) || label('bottleneck', x, y, { avoid: true });
  }
}

function lane(ctx, label, model, row, { x, until, left, plot }) {
  const actor = model.actors[row.actor];
  const mid = row.top + LANE / 2;
  ctx.fillStyle = '#495057';
  ctx.textAlign = 'right';
  label(row.title, left - 6, mid);
  ctx.fillStyle = '#f1f3f5';
  ctx.fillRect(left, row.top + 2, plot, LANE - 4);
  if (!actor) return;
  const worker = stageOf(row.actor)?.worker ?? 0;
  for (const span of actor.spans) {
    if (span.start > until) break;
    const x0 = x(span.start);
    const x1 = Math.max(x(span.end ?? until), x0 + 1);
    if (span.kind === 'work') {
      ctx.fillStyle = workerColor(worker || 1);
      ctx.fillRect(x0, row.top + 2, x1 - x0, LANE - 4);
      if (span.dropped) {
        // Cut short by a cancel: outlined in failure's red.
        ctx.strokeStyle = FAILURE;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 + 1, row.top + 3, Math.max(x1 - x0 - 2, 1), LANE - 6);
        ctx.lineWidth = 1;
      }
      if (x1 - x0 > 18) {
        ctx.fillStyle = '#fff';
        ctx.textAlign = 'center';
        label(String(span.job), (x0 + x1) / 2, mid, { avoid: true });
      }
    } else {
      ctx.fillStyle = REASON_COLORS[span.reason] ?? '#868e96';
      ctx.fillRect(x0, mid - 2, x1 - x0, 4);
    }
  }
  for (const close of actor.closes) {
    if (close.t > until) continue;
    ctx.fillStyle = '#212529';
    ctx.fillRect(x(close.t) - 1, row.top, 2, LANE);
    ctx.textAlign = x(close.t) > left + plot - 70 ? 'right' : 'left';
    const dx = ctx.textAlign === 'left' ? 4 : -4;
    label(`close(${close.channel})`, x(close.t) + dx, mid, { avoid: true, pill: true });
  }
}

function strip(ctx, label, model, row, { x, until, left, plot }) {
  const ch = model.channels[row.channel];
  const top = row.top + 2;
  const peak = Math.max(ch.cap, ch.peak, 1);
  const y = (len) => top + STRIP - 2 - (len / peak) * (STRIP - 6);
  ctx.fillStyle = '#343a40';
  ctx.textAlign = 'right';
  label(row.channel, left - 6, top + STRIP / 2 - 6);
  ctx.fillStyle = '#868e96';
  label(ch.cap === 0 ? 'unbuffered' : `cap ${ch.cap}`, left - 6, top + STRIP / 2 + 7);
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(left, top, plot, STRIP);
  if (ch.cap > 0) {
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#e03131';
    ctx.beginPath();
    ctx.moveTo(left, y(ch.cap));
    ctx.lineTo(left + plot, y(ch.cap));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  // The queue as a step area.
  ctx.fillStyle = 'rgba(25, 113, 194, 0.35)';
  ctx.strokeStyle = '#1971c2';
  ctx.beginPath();
  ctx.moveTo(left, y(0));
  let len = 0;
  for (const [t, n] of ch.depth) {
    if (t > until) break;
    ctx.lineTo(x(t), y(len));
    ctx.lineTo(x(t), y(n));
    len = n;
  }
  ctx.lineTo(x(until), y(len));
  ctx.lineTo(x(until), y(0));
  ctx.closePath();
  ctx.fill();
  if (ch.closedAt !== null && ch.closedAt <= until) {
    ctx.fillStyle = '#212529';
    ctx.fillRect(x(ch.closedAt) - 1, top, 2, STRIP);
  }
}
