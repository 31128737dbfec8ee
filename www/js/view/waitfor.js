// The wait-for picture of a deadlock: blocked actors on the left, the channels and the WaitGroup on
// the right, one arrow per actor saying in plain words what it waits for.

import { svg } from './svg.js';
import { REASON_COLORS, workerColor } from './palette.js';
import { actorLabel, workerNumber } from '../model.js';

const ROW = 34;
const BOX_H = 22;
const OBJECT_ORDER = ['jobs', 'results', 'waitGroup'];

/** What a blocked operation waits for, in a few words ("send: buffer full"). */
export function waitLabel({ op, reason }) {
  const verb = { send: 'send', recv: 'receive', wait: 'wait' }[op] ?? op;
  const why = {
    full: 'buffer full',
    empty: 'buffer empty',
    rendezvous: op === 'send' ? 'no receiver' : 'no sender',
    counter: 'counter above zero',
  }[reason] ?? reason;
  return `${verb}: ${why}`;
}

function objectName(channel, short = false) {
  return channel === 'waitGroup' ? 'WaitGroup' : short ? channel : `${channel} channel`;
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** Draws `blocked` ([{ actor, op, channel, reason }]) into `root` as an SVG at the root's width. */
export function drawWaitFor(root, blocked) {
  const width = Math.min(Math.max(root.clientWidth, 240), 640);
  const LEFT_W = clamp(width * 0.24, 64, 92);
  const RIGHT_W = clamp(width * 0.26, 72, 110);
  const short = width < 420;
  const objects = OBJECT_ORDER.filter((o) => blocked.some((b) => b.channel === o));
  for (const b of blocked) if (!objects.includes(b.channel)) objects.push(b.channel);
  const rows = Math.max(blocked.length, objects.length, 1);
  const height = rows * ROW + 8;
  const picture = svg('svg', { class: 'waitfor', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  picture.setAttribute(
    'aria-label',
    `Who waits for what: ${blocked.map((b) => `${b.actor}, ${waitLabel(b)} on the ${objectName(b.channel)}`).join('; ')}`,
  );
  const defs = svg('defs');
  const marker = svg('marker', { id: 'waitfor-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#495057' }));
  defs.append(marker);
  picture.append(defs);

  const objectY = new Map();
  const objectTop = (height - objects.length * ROW) / 2;
  objects.forEach((o, i) => objectY.set(o, objectTop + i * ROW + ROW / 2));
  const actorTop = (height - blocked.length * ROW) / 2;
  const rightX = width - RIGHT_W;

  const arrows = svg('g');
  const labels = svg('g');
  const boxes = svg('g');
  blocked.forEach((b, i) => {
    const y = actorTop + i * ROW + ROW / 2;
    const k = workerNumber(b.actor);
    const group = svg('g', { class: 'waitfor-actor', 'data-actor': b.actor });
    group.append(
      svg('rect', { x: 1, y: y - BOX_H / 2, width: LEFT_W, height: BOX_H, rx: 4, fill: '#fff', stroke: k ? workerColor(k) : '#495057', 'stroke-width': 2 }),
      svg('text', { x: 1 + LEFT_W / 2, y, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, actorLabel(b.actor)),
    );
    boxes.append(group);
    const ty = objectY.get(b.channel);
    const x1 = LEFT_W + 2;
    const x2 = rightX - 2;
    arrows.append(
      svg('line', { x1, y1: y, x2, y2: ty, stroke: REASON_COLORS[b.reason] ?? '#495057', 'stroke-width': 2, 'marker-end': 'url(#waitfor-arrow)' }),
    );
    // The label sits just above where the arrow leaves its actor, where arrows are still apart.
    labels.append(svg('text', { x: x1 + 6, y: y - 7, class: 'waitfor-label' }, waitLabel(b)));
  });
  for (const o of objects) {
    const y = objectY.get(o);
    boxes.append(
      svg('rect', { x: rightX, y: y - BOX_H / 2, width: RIGHT_W - 1, height: BOX_H, rx: 4, fill: '#fff4e6', stroke: '#e8590c' }),
      svg('text', { x: rightX + RIGHT_W / 2, y, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, objectName(o, short)),
    );
  }
  picture.append(arrows, boxes, labels);
  root.replaceChildren(picture);
}
