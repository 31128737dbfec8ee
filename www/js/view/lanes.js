// Swimlanes on a canvas: one row per actor, time left to right. Jobs are blocks in the worker's
// colour labelled with the job number (a failed job is struck through in red); waits shade the
// lane and are a thinner bar coloured by their reason; a wait before a retry is the job's block
// hatched, after a red edge for the failed attempt; shutdown steps (and a comparison's sides) are
// dashed markers.

import { actorLabel, workerNumber } from '../model.js';
import { REASON_COLORS, workerColor } from './palette.js';
import { prepareCanvas } from './canvas.js';
import { thinned } from './thin.js';

const ROW = 24;
const GAP = 4;
const LABEL = 86;
const AXIS = 22;
const MARKS = 16;
const FAILED = '#c92a2a';
const FONT = '11px system-ui, sans-serif';

/** A wait before a retry, over its job's block: faded and hatched, with a red edge for the failure. */
function drawBackoff(ctx, x0, top, w, color) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, top + 1, w, ROW - 2);
  ctx.clip();
  ctx.fillStyle = '#fff';
  ctx.globalAlpha = 0.7;
  ctx.fillRect(x0, top + 1, w, ROW - 2);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = color;
  for (let hx = x0 - ROW; hx < x0 + w; hx += 6) {
    ctx.beginPath();
    ctx.moveTo(hx, top + ROW);
    ctx.lineTo(hx + ROW, top);
    ctx.stroke();
  }
  ctx.restore();
  ctx.fillStyle = '#fa5252';
  ctx.fillRect(x0, top + 1, 2, ROW - 2);
}

/** A tick step of 1, 2 or 5 × 10^n ms giving about `count` ticks over `span` ms. */
function tickStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

/**
 * Draws `model` on `canvas` as it was at `until` ms, on a time axis running to `span` ms (a replay
 * keeps the whole run's axis while it moves through it).
 */
export function drawLanes(canvas, model, until, span = until) {
  const actors = model.actorNames;
  const head = model.markers.length ? MARKS : 0;
  const height = head + actors.length * (ROW + GAP) + AXIS;
  const { ctx, width } = prepareCanvas(canvas, height, FONT);

  const axis = Math.max(span, until, 1);
  const plot = width - LABEL - 24;
  const x = (t) => LABEL + (Math.min(t, axis) / axis) * plot;

  actors.forEach((actor, row) => {
    const top = head + row * (ROW + GAP);
    const k = workerNumber(actor);
    ctx.fillStyle = '#f1f3f5';
    ctx.fillRect(LABEL, top, plot, ROW);
    const panicked = model.actors[actor].state === 'panicked';
    ctx.fillStyle = panicked ? FAILED : '#343a40';
    ctx.textAlign = 'right';
    ctx.fillText(`${panicked ? '✗ ' : ''}${actorLabel(actor)}`, LABEL - 8, top + ROW / 2);
    for (const s of thinned(model.spans[actor], axis / plot)) {
      const x0 = x(s.start);
      const w = Math.max(x(Math.min(s.end ?? until, until)) - x0, 1);
      if (s.kind === 'blocked') {
        ctx.fillStyle = REASON_COLORS[s.reason];
        ctx.globalAlpha = 0.16;
        ctx.fillRect(x0, top, w, ROW);
        ctx.globalAlpha = 0.6;
        ctx.fillRect(x0, top + ROW * 0.3, w, ROW * 0.4);
        ctx.globalAlpha = 1;
      } else if (s.kind === 'backoff') {
        drawBackoff(ctx, x0, top, w, workerColor(k));
      } else if (s.kind === 'rest') {
        ctx.fillStyle = '#ced4da';
        ctx.fillRect(x0, top + 4, w, ROW - 8);
      } else {
        ctx.fillStyle = workerColor(k);
        ctx.fillRect(x0, top + 1, w, ROW - 2);
        if (s.failed) {
          ctx.strokeStyle = FAILED;
          ctx.lineWidth = 2;
          ctx.strokeRect(x0 + 1, top + 2, Math.max(w - 2, 1), ROW - 4);
          ctx.beginPath();
          ctx.moveTo(x0 + 1, top + ROW - 3);
          ctx.lineTo(x0 + w - 1, top + 3);
          ctx.stroke();
          ctx.lineWidth = 1;
        }
        const label = String(s.job);
        // A merged run of thin jobs (see thin.js) is many jobs: it carries no one job's number.
        if (!s.merged && w > 8 && w > ctx.measureText(label).width + 4) {
          ctx.fillStyle = '#fff';
          ctx.textAlign = 'center';
          ctx.fillText(label, x0 + w / 2, top + ROW / 2);
        }
      }
    }
  });

  const axisTop = head + actors.length * (ROW + GAP);
  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = FAILED;
  ctx.fillStyle = FAILED;
  ctx.textAlign = 'left';
  let lastLabelEnd = -Infinity;
  for (const { t, mode, stage, label: given } of model.markers) {
    const mx = x(t);
    ctx.beginPath();
    ctx.moveTo(mx, head - 2);
    ctx.lineTo(mx, axisTop);
    ctx.stroke();
    const label = given ?? (stage === 'forced' ? 'context cancelled' : `${mode} shutdown`);
    const lw = ctx.measureText(label).width;
    const lx = Math.min(Math.max(mx - lw / 2, Math.max(LABEL, lastLabelEnd + 6)), width - lw - 2);
    ctx.fillText(label, lx, head / 2);
    lastLabelEnd = lx + lw;
  }
  ctx.setLineDash([]);
  if (until < axis) {
    // The replay's playhead.
    ctx.fillStyle = '#1971c2';
    ctx.fillRect(x(until) - 1, head, 2, axisTop - head);
  }
  ctx.strokeStyle = '#adb5bd';
  ctx.beginPath();
  ctx.moveTo(LABEL, axisTop + 2);
  ctx.lineTo(LABEL + plot, axisTop + 2);
  ctx.stroke();
  ctx.fillStyle = '#495057';
  ctx.textAlign = 'center';
  const step = tickStep(axis, Math.max(2, Math.floor(plot / 90)));
  for (let t = 0; t <= axis; t += step) {
    ctx.fillRect(x(t), axisTop + 2, 1, 4);
    ctx.fillText(t >= 1000 ? `${t / 1000} s` : `${t} ms`, x(t), axisTop + 14);
  }
}
