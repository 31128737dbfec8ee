// The ordering chart: one dot per result at (arrival rank, job number). Dots on the diagonal came
// back in job order; dots below it arrived early, dots above it late. A run of more than
// MAX_DOTS jobs gathers its results into squares of CELL px instead (darker: more results), so the
// chart's size does not grow with the run. In ordered runs a row of slots shows the reorder buffer
// holding results back, with its peak and the delay it added.

import { svg } from './svg.js';
import { widthOf } from './canvas.js';
import { workerColor } from './palette.js';

const HEIGHT = 220;
const PAD = { left: 40, right: 10, top: 10, bottom: 32 };
const FAILED = '#c92a2a';
const MAX_DOTS = 400;
const CELL = 8;
const CELL_COLOR = '#1c7ed6';

/** Builds the chart in `root`; returns `{ reset(config), update(model), finish(report), redraw() }`. */
export function createOrderingView(root) {
  root.classList.add('ordering');
  const caption = document.createElement('p');
  caption.className = 'figure-note';
  // Labelled from the start: the chart is drawn (and its label made precise) only once it is shown.
  const chart = svg('svg', { class: 'ordering-chart', role: 'img', 'aria-label': 'Ordering chart: job number against arrival order' });
  const reorder = document.createElement('div');
  reorder.className = 'reorder';
  const reorderText = document.createElement('p');
  reorderText.className = 'figure-note';
  const held = document.createElement('div');
  held.className = 'slots held';
  reorder.append(reorderText, held);
  root.replaceChildren(chart, caption, reorder);

  let jobs = 1;
  let ordered = false;
  let points = []; // { arrival, job, worker, failed }
  let drawn = 0;
  let dotLayer = null;
  let scale = null;
  let cells = null; // a big run's squares: key → { rect, count, failed }
  let final = null; // the report's reorder figures once the run is over

  function frame() {
    const width = Math.max(widthOf(root), 260);
    chart.setAttribute('width', width);
    chart.setAttribute('height', HEIGHT);
    chart.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const x = (rank) => PAD.left + ((rank - 0.5) / jobs) * plotW;
    const y = (job) => PAD.top + plotH - ((job - 0.5) / jobs) * plotH;
    const r = Math.min(5, Math.max(1.5, Math.min(plotW, plotH) / jobs / 2.2));
    scale = { x, y, r, plotW, plotH };
    cells = jobs > MAX_DOTS ? new Map() : null;
    dotLayer = svg('g');
    chart.replaceChildren(
      svg('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH, fill: '#f8f9fa', stroke: '#dee2e6' }),
      svg('line', { x1: x(0.5), y1: y(0.5), x2: x(jobs + 0.5), y2: y(jobs + 0.5), stroke: '#adb5bd', 'stroke-dasharray': '4 3' }),
      svg('text', { x: PAD.left + plotW / 2, y: HEIGHT - 6, 'text-anchor': 'middle', class: 'axis' }, 'arrival rank at the consumer →'),
      svg('text', { x: 12, y: PAD.top + plotH / 2, 'text-anchor': 'middle', class: 'axis', transform: `rotate(-90 12 ${PAD.top + plotH / 2})` }, 'job number →'),
      svg('text', { x: PAD.left - 4, y: y(1), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'tick' }, '1'),
      svg('text', { x: PAD.left - 4, y: y(jobs), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'tick' }, String(jobs)),
      svg('text', { x: x(1), y: PAD.top + plotH + 12, 'text-anchor': 'middle', class: 'tick' }, '1'),
      svg('text', { x: x(jobs), y: PAD.top + plotH + 12, 'text-anchor': 'middle', class: 'tick' }, String(jobs)),
      dotLayer,
    );
    drawn = 0;
  }

  /** A big run: adds the new results to their squares and shades each by how many it holds. */
  function addToCells() {
    const { x, y } = scale;
    const touched = new Set();
    for (; drawn < points.length; drawn++) {
      const p = points[drawn];
      const cx = Math.floor((x(p.arrival) - PAD.left) / CELL);
      const cy = Math.floor((y(p.job) - PAD.top) / CELL);
      const key = `${cx},${cy}`;
      let cell = cells.get(key);
      if (!cell) {
        const rect = svg('rect', { x: PAD.left + cx * CELL, y: PAD.top + cy * CELL, width: CELL, height: CELL, fill: CELL_COLOR });
        cell = { rect, count: 0, failed: 0 };
        cells.set(key, cell);
        dotLayer.append(rect);
      }
      cell.count++;
      if (p.failed) cell.failed++;
      touched.add(cell);
    }
    let most = 1;
    for (const cell of cells.values()) most = Math.max(most, cell.count);
    // Four shades, so a square's shade changes seldom as the counts grow.
    for (const cell of cells.values()) {
      const shade = (0.25 + 0.75 * (Math.ceil((4 * cell.count) / most) / 4)).toFixed(2);
      if (shade !== cell.shade) cell.rect.setAttribute('fill-opacity', (cell.shade = shade));
      if (cell.failed && touched.has(cell)) cell.rect.setAttribute('stroke', FAILED);
    }
  }

  function addDots() {
    if (!scale) frame();
    const { x, y, r } = scale;
    if (cells) addToCells();
    for (; drawn < points.length; drawn++) {
      const p = points[drawn];
      const dot = svg('circle', {
        cx: x(p.arrival),
        cy: y(p.job),
        r,
        fill: p.failed ? '#fff' : workerColor(p.worker ?? 1),
        stroke: p.failed ? FAILED : 'none',
        'stroke-width': p.failed ? 2 : 0,
        'data-job': p.job,
        'data-arrival': p.arrival,
      });
      dot.append(svg('title', {}, `job ${p.job} arrived ${p.arrival}${p.arrival === 1 ? 'st' : p.arrival === 2 ? 'nd' : p.arrival === 3 ? 'rd' : 'th'}`));
      dotLayer.append(dot);
    }
    describe();
  }

  /** The caption (and the chart's label) for the points drawn. */
  function describe() {
    const misplaced = points.filter((p) => p.arrival !== p.job).length;
    const gathered = cells ? ` Each square gathers about ${Math.ceil((CELL / scale.plotW) * jobs)} arrivals by ${Math.ceil((CELL / scale.plotH) * jobs)} job numbers; darker ones hold more, red-edged ones a failure.` : '';
    caption.textContent = points.length
      ? `${misplaced} of ${points.length} results arrived out of job order (off the dashed diagonal).${gathered}`
      : 'No results yet. On the dashed diagonal, a result arrives in job order.';
    chart.setAttribute('aria-label', `Ordering chart: ${caption.textContent}`);
    chart.dataset.outOfOrder = String(misplaced);
  }

  function showHeld(now, peak, delayMs) {
    reorder.hidden = !ordered;
    if (!ordered) return;
    const delay = delayMs === undefined ? '' : ` · results waited ${delayMs.toFixed(1)} ms on average for their turn`;
    reorderText.textContent = `Reorder buffer: holding ${now} now · peak ${peak}${delay}`;
    const count = Math.min(peak, 60);
    while (held.children.length < count) held.append(document.createElement('span'));
    while (held.children.length > count) held.lastChild.remove();
    [...held.children].forEach((slot, i) => (slot.className = i < now ? 'slot full' : 'slot'));
  }

  return {
    /**
     * Clears the chart for a run of `config`. It is framed on its first draw, at the width it is
     * shown at (reading a width here would lay the page out in the middle of a run's setup).
     */
    reset(config) {
      jobs = Math.max(config.jobs ?? 1, 1);
      ordered = Boolean(config.ordered);
      points = [];
      final = null;
      scale = null;
      cells = null;
      drawn = 0;
      chart.replaceChildren();
      describe();
      showHeld(0, 0);
    },
    /** Adds the results the model received since the last call (live). */
    update(model) {
      if (final) return;
      for (let i = points.length; i < model.results.length; i++) {
        const { job, worker, failed } = model.results[i];
        points.push({ arrival: i + 1, job, worker, failed });
      }
      addDots();
      showHeld(model.held, model.heldPeak);
    },
    /** Redraws from the report: every result at its `arrival` rank, and the reorder figures. */
    finish(report) {
      points = report.results
        .map((r, i) => ({ arrival: r.arrival ?? i + 1, job: r.job, worker: r.worker, failed: r.error !== undefined }))
        .sort((a, b) => a.arrival - b.arrival);
      frame();
      addDots();
      const { reorderPeak = 0, reorderDelayMs } = report.stats;
      final = { reorderPeak, reorderDelayMs };
      showHeld(0, reorderPeak, reorderDelayMs);
    },
    /** Redraws at the current width (after a resize or when its panel opens). */
    redraw() {
      frame();
      addDots();
      if (final) showHeld(0, final.reorderPeak, final.reorderDelayMs);
    },
  };
}
