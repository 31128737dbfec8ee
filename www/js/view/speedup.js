// The sizing sweep's chart: speedup against the number of workers, one line per kind of batch,
// next to the ideal line (twice the workers, twice as fast) and a marker at this machine's cores.

import { svg } from './svg.js';
import { widthOf } from './canvas.js';

const HEIGHT = 260;
const PAD = { left: 44, right: 16, top: 14, bottom: 36 };

/**
 * Builds the chart in `root`. Returns `{ reset(most, cores, series), add(key, workers, speedup),
 * redraw() }`: `series` is `[{ key, label, color }]`; `cores` (may be absent) gets the marker.
 */
export function createSpeedupChart(root) {
  root.classList.add('speedup');
  const chart = svg('svg', { class: 'speedup-chart', role: 'img', 'aria-label': 'Speedup against workers' });
  const key = document.createElement('ul');
  key.className = 'legend speedup-key';
  root.replaceChildren(chart, key);
  let most = 1;
  let cores = null;
  let series = [];
  let points = new Map(); // key → [[workers, speedup]]

  function draw() {
    const width = Math.max(widthOf(root), 280);
    chart.setAttribute('width', width);
    chart.setAttribute('height', HEIGHT);
    chart.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const top = Math.max(most, ...[...points.values()].flat().map(([, s]) => Math.ceil(s)));
    const x = (w) => PAD.left + (most === 1 ? plotW / 2 : ((w - 1) / (most - 1)) * plotW);
    const y = (s) => PAD.top + plotH - (s / top) * plotH;
    const parts = [svg('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH, fill: '#f8f9fa', stroke: '#dee2e6' })];
    const step = top > 10 ? 2 : 1;
    for (let s = 0; s <= top; s += step) {
      parts.push(
        svg('line', { x1: PAD.left, x2: PAD.left + plotW, y1: y(s), y2: y(s), stroke: '#e9ecef' }),
        svg('text', { x: PAD.left - 6, y: y(s), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'tick' }, `${s}×`),
      );
    }
    for (let w = 1; w <= most; w++) {
      parts.push(svg('text', { x: x(w), y: PAD.top + plotH + 14, 'text-anchor': 'middle', class: 'tick' }, String(w)));
    }
    parts.push(
      svg('text', { x: PAD.left + plotW / 2, y: HEIGHT - 4, 'text-anchor': 'middle', class: 'axis' }, 'workers →'),
      svg('line', { x1: x(1), y1: y(1), x2: x(most), y2: y(most), stroke: '#868e96', 'stroke-dasharray': '5 4', class: 'ideal' }),
      svg('text', { x: x(most) - 4, y: y(most) + 14, 'text-anchor': 'end', class: 'tick' }, 'ideal'),
    );
    if (cores && cores <= most) {
      parts.push(
        svg('line', { x1: x(cores), x2: x(cores), y1: PAD.top, y2: PAD.top + plotH, stroke: '#e03131', 'stroke-width': 1.5, class: 'cores' }),
        svg('text', { x: x(cores) + 5, y: PAD.top + 12, class: 'cores-label' }, `${cores} cores here`),
      );
    }
    for (const { key: name, color } of series) {
      const line = points.get(name) ?? [];
      if (!line.length) continue;
      parts.push(
        svg('polyline', {
          points: line.map(([w, s]) => `${x(w)},${y(s)}`).join(' '),
          fill: 'none',
          stroke: color,
          'stroke-width': 2.5,
          'data-series': name,
        }),
        ...line.map(([w, s]) => svg('circle', { cx: x(w), cy: y(s), r: 4, fill: color, 'data-series': name, 'data-workers': w })),
      );
    }
    chart.replaceChildren(...parts);
    chart.setAttribute('aria-label', `Speedup against workers, 1 to ${most}${cores ? `; this machine has ${cores} cores` : ''}`);
  }

  return {
    reset(mostWorkers, coreCount, list) {
      most = mostWorkers;
      cores = coreCount;
      series = list;
      points = new Map(list.map(({ key: name }) => [name, []]));
      key.replaceChildren(
        ...list.map(({ label, color }) => {
          const li = document.createElement('li');
          li.style.setProperty('--accent', color);
          li.textContent = label;
          return li;
        }),
      );
      draw();
    },
    add(name, workers, speedup) {
      points.get(name)?.push([workers, speedup]);
      draw();
    },
    redraw: draw,
  };
}
