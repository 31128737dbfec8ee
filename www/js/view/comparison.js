// No pool against a pool, side by side: for each side of a comparison, the requests in progress
// over time against the service's limit, with how many were refused, how long the side took and
// how many requests got through per second (the pool's rate matches what the service allows).
// Both plots share their scales, so the eye compares like with like. While the run goes on the
// plots follow the model (jobs being worked on, which here are requests); once it is over they
// show what the service itself recorded (report.comparison).

import { prepareCanvas, widthOf } from './canvas.js';

const HEIGHT = 150;
const LEFT = 30;
const BOTTOM = 20;
const TOP = 8;
const FONT = '11px system-ui, sans-serif';
const SIDES = [
  ['unbounded', 'No pool: one task per request'],
  ['pool', 'A pool of workers'],
];

/** "0.35 s" or "820 ms". */
function time(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** A side as the plot needs it: `{ series: [[t, n]], rejections, succeeded, workers, wallMs }`. */
function liveSide(model, phase, now) {
  const { progress, t, workers } = phase;
  const end = progress.finished === model.config.jobs ? progress.finishedAt.at(-1) ?? now : now;
  return {
    series: progress.busy.map(([at, n]) => [at - t, n]),
    rejections: null,
    failed: progress.failed,
    succeeded: progress.finished - progress.failed,
    workers,
    wallMs: Math.max(end - t, 0),
  };
}

function reportedSide(side) {
  return {
    series: side.service?.concurrent ?? [],
    rejections: side.service?.rejections ?? 0,
    failed: side.failed,
    succeeded: side.succeeded,
    workers: side.workers,
    wallMs: side.wallMs,
  };
}

function plot(canvas, side, { span, top, limit }) {
  const { ctx, width, label } = prepareCanvas(canvas, HEIGHT, FONT);
  const plotW = width - LEFT - 8;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (t) => LEFT + (Math.min(Math.max(t, 0), span) / span) * plotW;
  const y = (n) => TOP + plotH - (n / top) * plotH;
  ctx.strokeStyle = '#dee2e6';
  ctx.strokeRect(LEFT, TOP, plotW, plotH);
  ctx.fillStyle = '#868e96';
  ctx.textAlign = 'right';
  for (const n of new Set([0, Math.round(top / 2), top])) label(String(n), LEFT - 4, y(n), { avoid: true });
  ctx.textAlign = 'left';
  label('0', LEFT, HEIGHT - BOTTOM / 2);
  ctx.textAlign = 'right';
  label(time(span), LEFT + plotW, HEIGHT - BOTTOM / 2);
  if (limit) {
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = '#e03131';
    ctx.beginPath();
    ctx.moveTo(LEFT, y(limit));
    ctx.lineTo(LEFT + plotW, y(limit));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#e03131';
    ctx.textAlign = 'right';
    // Above the line when there is room under the frame's top, else below it.
    const words = `service limit ${limit}`;
    if (!label(words, LEFT + plotW - 4, y(limit) - 8, { avoid: true, halo: true })) {
      label(words, LEFT + plotW - 4, y(limit) + 9, { avoid: true, halo: true });
    }
  }
  if (!side) return;
  ctx.strokeStyle = '#1971c2';
  ctx.lineWidth = 2;
  ctx.beginPath();
  let last = 0;
  ctx.moveTo(x(0), y(0));
  for (const [t, n] of side.series) {
    ctx.lineTo(x(t), y(last));
    ctx.lineTo(x(t), y(n));
    last = n;
  }
  ctx.lineTo(x(side.wallMs), y(last));
  ctx.stroke();
  ctx.lineWidth = 1;
}

function caption(key, side, limit) {
  if (!side) return key === 'pool' ? 'Starts when the first side is over.' : 'Not run yet: runs with “no pool, then a pool” draw both sides here.';
  const who = key === 'pool' ? `${side.workers} workers` : `${side.workers} tasks`;
  const refused =
    side.rejections === null ? `${side.failed} failed so far` : `${side.rejections} refused with a 429`;
  const peak = Math.max(0, ...side.series.map(([, n]) => n));
  const over = limit && peak > limit ? ` · up to ${peak} at once, over the limit` : ` · at most ${peak} at once`;
  const goodput = side.wallMs > 0 ? ` (${((side.succeeded * 1000) / side.wallMs).toFixed(1)} per second)` : '';
  return `${who} · ${refused} · ${side.succeeded} succeeded in ${time(side.wallMs)}${goodput}${over}`;
}

/** Builds the comparison in `root`; returns `{ clear(config), update(model, now), finish(report), redraw() }`. */
export function createComparisonView(root) {
  root.classList.add('comparison-view');
  const figures = new Map(
    SIDES.map(([key, title]) => {
      const figure = document.createElement('figure');
      figure.dataset.side = key;
      const heading = document.createElement('figcaption');
      heading.textContent = title;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-label', `${title}: requests in progress over time, against the service's limit`);
      const note = document.createElement('p');
      note.className = 'figure-note';
      figure.append(heading, canvas, note);
      return [key, { figure, canvas, note }];
    }),
  );
  root.replaceChildren(...[...figures.values()].map(({ figure }) => figure));

  let sides = { unbounded: null, pool: null };
  let limit = null;

  /** The words of each side, which follow the run on show even while the panel is closed. */
  function describe() {
    for (const [key, { figure, note }] of figures) {
      note.textContent = caption(key, sides[key], limit);
      const side = sides[key];
      if (side?.rejections !== null && side?.rejections !== undefined) figure.dataset.rejections = side.rejections;
      else delete figure.dataset.rejections;
    }
  }

  /** The words, and the charts when the panel has a width to draw them at. */
  function draw() {
    describe();
    if (!widthOf(root)) return;
    const shown = Object.values(sides).filter(Boolean);
    const span = Math.max(1, ...shown.map((s) => s.wallMs));
    const peak = Math.max(1, limit ?? 0, ...shown.flatMap((s) => s.series.map(([, n]) => n)));
    for (const [key, { canvas }] of figures) plot(canvas, sides[key], { span, top: peak, limit });
  }

  return {
    /**
     * Empties both sides: a new run (or none) with `config` is on show. Only the words change
     * here; the charts are drawn when next shown (reading a width now would lay the page out in
     * the middle of a run's setup).
     */
    clear(config) {
      limit = config.serviceConcurrency ?? null;
      sides = { unbounded: null, pool: null };
      describe();
    },
    /** Follows a live comparison (`model.phases`) up to `now` ms. */
    update(model, now) {
      limit = model.config.serviceConcurrency ?? null;
      const [unbounded, pool] = model.phases;
      sides = {
        unbounded: unbounded && liveSide(model, unbounded, pool ? pool.t : now),
        pool: pool && liveSide(model, pool, now),
      };
      draw();
    },
    /** Shows what the service recorded on each side. */
    finish(report) {
      limit = report.config.serviceConcurrency ?? null;
      const { unbounded, pool } = report.comparison ?? {};
      sides = { unbounded: unbounded && reportedSide(unbounded), pool: pool && reportedSide(pool) };
      draw();
    },
    redraw: draw,
  };
}
