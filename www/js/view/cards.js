// The batch as cards, one per image in batch order: queued, then framed in the colour of the worker
// working on it, then its thumbnail (or its error) with its arrival rank, sizes and time per stage.

import { workerColor } from './palette.js';
import { formatBytes } from '../files.js';

/** The stages of a job in the order they happen, with their colours. */
export const STAGES = [
  ['fetch', 'wait (I/O)', '#adb5bd'],
  ['memory', 'memory gate', '#f08c00'],
  ['generate', 'draw sample', '#12b886'],
  ['decode', 'decode file', '#0ca678'],
  ['resize', 'resize (Lanczos3)', '#1c7ed6'],
  ['encode', 'encode', '#9c36b5'],
];

const ms = (v) => (v >= 100 ? `${Math.round(v)}` : v >= 0.05 ? v.toFixed(1) : '<0.1');

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A legend for the stage bars, built into `root`. */
export function showStageLegend(root) {
  root.replaceChildren(
    ...STAGES.map(([, label, color]) => {
      const li = element('li', '', label);
      li.style.setProperty('--accent', color);
      return li;
    }),
  );
}

/** The stage bar and the line of stage times of one result. */
function stageParts(stages, total) {
  const bar = element('div', 'stage-bar');
  const words = [];
  for (const [key, label, color] of STAGES) {
    const value = stages?.[key];
    if (value === undefined) continue;
    const part = element('span');
    part.style.background = color;
    part.style.flexGrow = String(Math.max(value, total / 200));
    part.title = `${label}: ${ms(value)} ms`;
    bar.append(part);
    words.push(`${label.split(' ')[0]} ${ms(value)}`);
  }
  return words.length ? [bar, element('p', 'card-stages', `${words.join(' · ')} ms`)] : [];
}

/** 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st. */
function ordinal(n) {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/**
 * Builds the card grid in `root`. Returns `{ plan(batch, format), working(job, worker),
 * show(results), clear(message) }`: `plan` lays out the queued images (`config.batch`), `working`
 * frames one in its worker's colour, `show` fills in results as they arrive (a card is filled
 * once, so the report's full list may follow the live ones).
 */
export function createCardsView(root) {
  const grid = element('ol', 'image-cards');
  grid.setAttribute('aria-label', 'Images of the batch');
  root.replaceChildren(grid);
  let cards = new Map(); // job → li
  let urls = [];
  let mime = 'image/jpeg';

  function card(planned) {
    const li = element('li', 'image-card');
    li.dataset.job = planned.job;
    li.dataset.state = 'queued';
    const thumb = element('div', 'thumb', 'queued');
    const head = element('div', 'card-head');
    head.append(element('strong', 'card-name', planned.image), element('span', 'card-badge', `job ${planned.job}`));
    const sizes = element('p', 'card-sizes', planned.width ? `${planned.width}×${planned.height}` : 'size unknown until read');
    li.append(thumb, head, sizes, element('p', 'card-bytes', formatBytes(planned.bytesIn)));
    return li;
  }

  function fill(li, r) {
    li.dataset.state = r.error === undefined ? 'done' : 'failed';
    li.dataset.worker = r.worker;
    li.style.setProperty('--accent', workerColor(r.worker));
    const thumb = element('div', 'thumb');
    if (r.thumbnail) {
      const url = URL.createObjectURL(new Blob([r.thumbnail], { type: mime }));
      urls.push(url);
      const img = element('img');
      Object.assign(img, { src: url, alt: `Thumbnail of ${r.image}`, width: r.width, height: r.height });
      thumb.append(img);
    } else {
      thumb.textContent = 'no thumbnail';
    }
    const head = element('div', 'card-head');
    const name = element('strong', 'card-name', r.image);
    name.title = r.image;
    head.append(name, element('span', 'card-badge', `arrived ${ordinal(r.arrival)} · worker ${r.worker}`));
    const source = r.sourceWidth ? `${r.sourceWidth}×${r.sourceHeight}` : 'size unknown';
    const sizes = element('p', 'card-sizes', r.error === undefined ? `${source} → ${r.width}×${r.height}` : source);
    const bytes = element('p', 'card-bytes', `${formatBytes(r.bytesIn)} → ${r.error === undefined ? formatBytes(r.bytesOut) : 'nothing'} · ${ms(r.ms)} ms`);
    const parts = [thumb, head, sizes, bytes, ...stageParts(r.stages, r.ms)];
    if (r.error !== undefined) parts.push(element('p', 'card-error', r.error));
    li.replaceChildren(...parts);
  }

  return {
    plan(batch, format) {
      for (const url of urls) URL.revokeObjectURL(url);
      urls = [];
      mime = format === 'png' ? 'image/png' : 'image/jpeg';
      cards = new Map(batch.map((planned) => [planned.job, card(planned)]));
      grid.replaceChildren(...cards.values());
    },
    working(job, worker) {
      const li = cards.get(job);
      if (!li || li.dataset.state !== 'queued') return;
      li.dataset.state = 'working';
      li.style.setProperty('--accent', workerColor(worker));
      li.querySelector('.thumb').textContent = `worker ${worker} working…`;
    },
    show(results) {
      for (const r of results) {
        const li = cards.get(r.job);
        const shown = li?.dataset.state === 'done' || li?.dataset.state === 'failed';
        if (li && !shown) fill(li, r);
      }
    },
    clear(message) {
      cards = new Map();
      grid.replaceChildren(element('li', 'image-cards-empty', message));
    },
  };
}
