// The wait-for picture of a deadlock: who waits on what, and who alone could end each wait.
//
// The stuck actors are grouped (workers stuck on the same thing are one box); each group points at
// the channel or WaitGroup it waits on, and each of those points at the actors that could complete
// the wait: the receivers of a full channel, the senders (or closer) of an empty one, the workers
// for a WaitGroup. Those come from the pool's wiring (config.collect), not from who happened to act.
// Laid out as a chain, top to bottom, in the order the waits lead; an arrow that leads back up
// closes a circle and runs up the left side. A chain that ends at an actor which has finished says
// that nobody is left to wake the rest; a circle says that everyone in it waits on someone in it.

import { svg } from './svg.js';
import { widthOf } from './canvas.js';
import { FAILURE, REASON_COLORS } from './palette.js';
import { actorLabel, workerNumber } from '../model.js';

const PITCH = 58;
const BOX_H = 24;
const CHAR = 6.3; // a generous width of one 11–12 px character, for wrapping before measuring

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

/** "worker 1", "workers 1–3", "workers 1, 3", "producer": a group of actors in few words. */
export function groupName(actors) {
  const numbers = actors.map(workerNumber);
  if (actors.length === 1 || numbers.some((k) => k === null)) return actors.map(actorLabel).join(', ');
  const run = numbers.every((k, i) => i === 0 || k === numbers[i - 1] + 1);
  return `workers ${run ? `${numbers[0]}–${numbers.at(-1)}` : numbers.join(', ')}`;
}

/**
 * Who alone could end a wait, from the pool's wiring: for `channel` and `op`, a list of
 * `[actors, deed]` ("only workers 1–3 can take from it").
 */
function wakersOf(config, actors, { channel, op }) {
  const workers = actors.filter((a) => workerNumber(a) !== null);
  const reader = config.collect === 'after-send' ? 'producer' : 'consumer';
  const closer = config.collect === 'after-wait' ? 'consumer' : 'closer';
  if (channel === 'waitGroup') return [[workers, 'can call Done']];
  if (channel === 'jobs') return op === 'send' ? [[workers, 'can take from it']] : [[['producer'], 'can send on it or close it']];
  if (channel === 'results') {
    return op === 'send' ? [[[reader], 'can read it']] : [[workers, 'can send on it'], [[closer], 'can close it']];
  }
  return [];
}

/**
 * The graph of a deadlock: nodes (groups of stuck actors, the objects they wait on, actors that
 * finished) and edges (waits, and who could end them), in chain order, plus the circle of waits
 * when there is one (its nodes' ids).
 */
export function waitGraph(report) {
  const blocked = report.blocked ?? [];
  const actors = [...new Set([...(report.events ?? []).map((e) => e.actor), ...blocked.map((b) => b.actor)])].sort(
    (a, b) => (workerNumber(a) ?? 0) - (workerNumber(b) ?? 0),
  );
  const nodes = new Map();
  const edges = [];
  const node = (id, fields) => (nodes.has(id) ? nodes.get(id) : nodes.set(id, { id, ...fields }).get(id));
  const groupOf = new Map();
  for (const b of blocked) {
    const id = `wait:${b.channel}:${b.op}:${b.reason}`;
    const group = node(id, { kind: 'stuck', actors: [], wait: b });
    group.actors.push(b.actor);
    groupOf.set(b.actor, id);
  }
  for (const group of [...nodes.values()]) {
    group.name = groupName(group.actors);
    const { channel } = group.wait;
    const object = node(`object:${channel}`, { kind: 'object', name: channel === 'waitGroup' ? 'WaitGroup' : `${channel} channel` });
    edges.push({ from: group.id, to: object.id, kind: 'waits', text: waitLabel(group.wait), color: REASON_COLORS[group.wait.reason] });
    let any = false;
    for (const [wakers, deed] of wakersOf(report.config ?? {}, actors, group.wait)) {
      // Each waker is either stuck itself (its group) or gone (a finished actor's node).
      const targets = new Map();
      for (const actor of wakers) {
        const id = groupOf.get(actor) ?? `gone:${actor}`;
        if (!groupOf.has(actor)) node(id, { kind: 'gone', actors: [actor], name: `${actorLabel(actor)} · finished` });
        targets.set(id, [...(targets.get(id) ?? []), actor]);
      }
      for (const [id, who] of targets) {
        any = true;
        if (!edges.some((e) => e.from === object.id && e.to === id)) {
          edges.push({ from: object.id, to: id, kind: 'wakes', text: `only ${groupName(who)} ${deed}` });
        }
      }
    }
    if (!any) object.orphan = true;
  }
  // Chain order: depth first along the arrows, from the groups nobody leads to; an arrow back to a
  // node still on the path closes a circle.
  const order = [];
  const seen = new Set();
  const path = [];
  let circle = null;
  const leadsTo = new Set(edges.map((e) => e.to));
  const starts = [...nodes.values()].filter((n) => n.kind === 'stuck').sort((a, b) => leadsTo.has(a.id) - leadsTo.has(b.id));
  /** How many nodes `id` leads to, itself included. */
  const reach = (id, found = new Set()) => {
    if (found.has(id)) return found.size;
    found.add(id);
    for (const e of edges) if (e.from === id) reach(e.to, found);
    return found.size;
  };
  const visit = (id) => {
    if (path.includes(id)) {
      circle ??= path.slice(path.indexOf(id));
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    order.push(nodes.get(id));
    path.push(id);
    // The child that leads on to more goes first, so the chain runs through it to the others.
    const next = edges.filter((e) => e.from === id).map((e) => e.to);
    next.sort((a, b) => reach(b) - reach(a));
    for (const to of next) visit(to);
    path.pop();
  };
  for (const start of starts) visit(start.id);
  return { nodes: order, edges, circle };
}

/** Splits `text` into lines of at most `room` px (estimated), on spaces. */
function wrap(text, room) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && next.length * CHAR > room) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  return [...lines, line];
}

/** A text element of one or more lines, the first at (x, y). */
function textLines(lines, attrs) {
  const text = svg('text', attrs);
  // A space ends every line but the last, so the text reads whole (textContent, screen readers).
  lines.forEach((line, i) => text.append(svg('tspan', { x: attrs.x, dy: i ? '1.15em' : 0 }, i < lines.length - 1 ? `${line} ` : line)));
  return text;
}

/** "a", "a and b", "a, b and c". */
const words = (list) => (list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);

/** In words: the circle, or the chain and where it ends. */
export function waitSummary({ nodes, circle }) {
  const stuck = nodes.filter((n) => n.kind === 'stuck' && circle?.includes(n.id)).map((n) => n.name);
  const gone = nodes.filter((n) => n.kind === 'gone').map((n) => n.name.replace(' · finished', ''));
  if (circle) return `A closed circle: ${words(stuck)} each wait on someone else in it, so none of them can move.`;
  if (gone.length) return `Each wait leads to ${words(gone)}, which finished without doing it: nobody is left to wake the rest.`;
  return 'Nobody is left who could end these waits.';
}

/** Draws the deadlock of `report` into `root` as an SVG at the root's width. */
export function drawWaitFor(root, report) {
  const graph = waitGraph(report);
  const width = Math.min(Math.max(widthOf(root), 260), 680);
  const boxW = Math.min(150, Math.max(96, width * 0.3));
  const gutter = 14 + 8 * graph.edges.filter((e) => e.kind === 'wakes').length;
  const left = Math.min(gutter, 40);
  const cx = left + boxW / 2;
  const labelX = left + boxW + 10;
  const room = width - labelX - 4;
  const height = Math.max(graph.nodes.length, 1) * PITCH - (PITCH - BOX_H) + 4;
  const picture = svg('svg', { class: 'waitfor', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  picture.setAttribute('aria-label', `Who waits for whom. ${waitSummary(graph)}`);
  const defs = svg('defs');
  for (const [id, color] of [['waitfor-arrow', '#495057'], ['waitfor-wake', FAILURE]]) {
    const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
    defs.append(marker);
  }
  picture.append(defs);

  const row = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const top = (id) => 2 + row.get(id) * PITCH;
  const arrows = svg('g');
  const labels = svg('g');
  const boxes = svg('g');
  let lane = 0;
  for (const e of graph.edges) {
    const a = row.get(e.from);
    const b = row.get(e.to);
    const wake = e.kind === 'wakes';
    const stroke = wake ? FAILURE : e.color ?? '#495057';
    const dash = wake ? { 'stroke-dasharray': '5 3' } : {};
    const marker = `url(#${wake ? 'waitfor-wake' : 'waitfor-arrow'})`;
    if (b === a + 1) {
      // Down to the next box; the words sit to the right of the boxes, clear of every arrow.
      const y1 = top(e.from) + BOX_H;
      const y2 = top(e.to) - 1;
      arrows.append(svg('line', { x1: cx, y1, x2: cx, y2, stroke, 'stroke-width': 2, 'marker-end': marker, ...dash }));
      const lines = wrap(e.text, room);
      labels.append(textLines(lines, { x: cx + 8, y: (y1 + y2) / 2 - (lines.length - 1) * 6.5, class: `waitfor-label ${e.kind}`, 'dominant-baseline': 'middle' }));
    } else {
      // Back up (a circle) or past other boxes: along the left edge, its words beside its start.
      const gx = left - 6 - 8 * lane++;
      const y1 = top(e.from) + BOX_H / 2;
      const y2 = top(e.to) + BOX_H / 2;
      const x0 = left;
      arrows.append(
        svg('path', { d: `M${x0},${y1} H${gx} V${y2} H${x0 - 1}`, fill: 'none', stroke, 'stroke-width': 2, 'marker-end': marker, ...dash }),
      );
      const lines = wrap(`↰ ${e.text}`, room);
      labels.append(textLines(lines, { x: labelX, y: y1 + 2 - (lines.length - 1) * 6.5, class: `waitfor-label ${e.kind}`, 'dominant-baseline': 'middle' }));
    }
  }
  for (const n of graph.nodes) {
    const y = top(n.id);
    const group = svg('g', { class: `waitfor-node ${n.kind}`, 'data-node': n.id, 'data-actors': (n.actors ?? []).join(' ') });
    const style =
      n.kind === 'object'
        ? { fill: '#fff4e6', stroke: '#e8590c' }
        : n.kind === 'gone'
          ? { fill: '#f8f9fa', stroke: '#868e96', 'stroke-dasharray': '4 3' }
          : { fill: '#fff', stroke: '#343a40', 'stroke-width': 2 };
    group.append(svg('rect', { x: left, y, width: boxW, height: BOX_H, rx: 4, ...style }));
    const lines = wrap(n.name, boxW - 8);
    group.append(
      svg('text', { x: cx, y: y + BOX_H / 2, 'text-anchor': 'middle', 'dominant-baseline': 'middle', class: 'waitfor-name' }, lines.length > 1 ? n.name.replace(' · finished', '') : n.name),
    );
    if (n.kind === 'object' && n.orphan) {
      labels.append(svg('text', { x: labelX, y: y + BOX_H / 2, class: 'waitfor-label', 'dominant-baseline': 'middle' }, 'nobody else uses it'));
    }
    boxes.append(group);
  }
  picture.append(arrows, boxes, labels);
  root.replaceChildren(picture);
  return graph;
}
