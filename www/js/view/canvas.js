// Canvas setup shared by the drawings: sharp on high-density screens, cleared, ready for text, and
// a label writer that keeps a record of where each label went.
//
// The record (`canvas.textBoxes`, CSS pixels, rebuilt on every draw) is what lets a drawing place a
// label where no other label is, and what the end-to-end tests read to check that no label is
// clipped by the canvas's edge or drawn over another.

/** The width, in CSS pixels, of the strips a canvas's labels are looked up by. */
const GRID = 48;

// Widths as the browser last laid them out, kept by a ResizeObserver (which is told them after
// layout, for free), so a drawing never asks for a layout in the middle of a frame whose DOM has
// changed (on a big run that forced layout was the longest part of a frame). A window resize
// forgets them all: its handlers redraw before the observer hears of the new widths.
const widths = new WeakMap(); // element → { width, seen }
let resizes = 0;
const watcher = new ResizeObserver((entries) => {
  for (const { target } of entries) widths.set(target, { width: target.clientWidth, seen: resizes });
});
window.addEventListener('resize', () => resizes++);

/**
 * The width of `element` in CSS pixels (its `clientWidth`) as last laid out; measured once (and
 * again while it is 0, hidden, or after a window resize), then kept up to date by the observer.
 */
export function widthOf(element) {
  const known = widths.get(element);
  if (known && known.width > 0 && known.seen === resizes) return known.width;
  if (!known) watcher.observe(element);
  const width = element.clientWidth;
  widths.set(element, { width, seen: resizes });
  return width;
}

/**
 * Sizes `canvas` to `width` × `height` CSS pixels at `dpr` pixels each (a change of size clears
 * it), and its box on the page to `height`.
 */
function size(canvas, width, height, dpr) {
  if (canvas.style.height !== `${height}px`) canvas.style.height = `${height}px`;
  if (canvas.width === Math.round(width * dpr) && canvas.height === Math.round(height * dpr)) return;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
}

const buffers = new WeakMap(); // a canvas → the canvas off the page it is drawn on in steps

/**
 * Sizes `canvas` to its CSS width and `height` CSS pixels at the screen's pixel density, clears
 * it and returns its 2D context (drawing in CSS pixels), its width, `label`/`fits` (below) and
 * `present()`. With `offscreen`, the drawing goes to a canvas off the page of the same size, and
 * `present()` copies it onto `canvas` in one go (with its label record): a drawing made in steps
 * over several tasks never shows half done. Without, `present()` does nothing.
 */
export function prepareCanvas(canvas, height, font, { offscreen = false } = {}) {
  const dpr = window.devicePixelRatio || 1;
  const width = widthOf(canvas);
  // Drawn in steps, the page's canvas keeps its box and pixels until `present()`.
  const target = offscreen ? buffers.get(canvas) ?? document.createElement('canvas') : canvas;
  if (offscreen) buffers.set(canvas, target);
  size(target, width, height, dpr);
  const ctx = target.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  const boxes = [];
  if (!offscreen) canvas.textBoxes = boxes;
  const present = () => {
    if (!offscreen) return;
    size(canvas, width, height, dpr);
    const shown = canvas.getContext('2d');
    shown.setTransform(1, 0, 0, 1, 0, 0);
    shown.clearRect(0, 0, canvas.width, canvas.height);
    shown.drawImage(target, 0, 0);
    canvas.textBoxes = boxes;
  };
  // The labels by the strips of GRID px they cross, so checking a new one against those already
  // there looks only at its neighbours (a big run's lanes hold hundreds of job numbers).
  const strips = new Map();
  const stripsOf = (box) => {
    const out = [];
    for (let s = Math.floor(box.left / GRID); s <= Math.floor(box.right / GRID); s++) out.push(s);
    return out;
  };

  /** The box `text` would take at (x, y) with the context's current alignment. */
  function boxOf(text, x, y) {
    const m = ctx.measureText(text);
    return {
      text,
      left: x - m.actualBoundingBoxLeft,
      right: x + m.actualBoundingBoxRight,
      top: y - m.actualBoundingBoxAscent,
      bottom: y + m.actualBoundingBoxDescent,
    };
  }
  const clear = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
  const inside = (box) => box.left >= 0 && box.right <= width && box.top >= 0 && box.bottom <= height;

  /** Whether `text` at (x, y) stays on the canvas and off every label drawn so far. */
  function fits(text, x, y) {
    const box = boxOf(text, x, y);
    return inside(box) && stripsOf(box).every((s) => (strips.get(s) ?? []).every((other) => clear(box, other)));
  }

  /**
   * Writes `text` at (x, y) in the current fill style and alignment, and records it. With `halo`
   * a white outline keeps it legible on any colour; with `pill`, a white box behind it. Returns whether it was written: with `avoid`
   * a label that would leave the canvas or cover another is left out.
   */
  function label(text, x, y, { avoid = false, halo = false, pill = false } = {}) {
    if (avoid && !fits(text, x, y)) return false;
    if (pill) {
      const box = boxOf(text, x, y);
      ctx.save();
      ctx.fillStyle = 'rgba(255,255,255,0.92)';
      ctx.fillRect(box.left - 2, box.top - 2, box.right - box.left + 4, box.bottom - box.top + 4);
      ctx.restore();
    }
    if (halo) {
      ctx.save();
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.lineWidth = 3;
      ctx.lineJoin = 'round';
      ctx.strokeText(text, x, y);
      ctx.restore();
    }
    ctx.fillText(text, x, y);
    const box = boxOf(text, x, y);
    boxes.push(box);
    for (const s of stripsOf(box)) {
      if (!strips.has(s)) strips.set(s, []);
      strips.get(s).push(box);
    }
    return true;
  }

  return { ctx, width, label, fits, present };
}

/** A tick step of 1, 2 or 5 × 10^n ms giving about `count` ticks over `span` ms. */
function tickStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

/** A time on an axis: "250 ms", "1.5 s". */
function tickText(t) {
  return t >= 1000 ? `${+(t / 1000).toFixed(3)} s` : `${+t.toFixed(3)} ms`;
}

/**
 * Writes a time axis's tick labels at height y: about one per 90 px of `plot` px, at round times
 * from 0 to `axis` ms placed by `x(t)`; each centred under its tick, else (at the ends) aligned to
 * stay on the canvas, and left out where it would cover another label. With `ticks`, also draws
 * the ticks from `ticks` px down.
 */
export function timeAxis(ctx, label, { x, axis, plot, y, ticks = null }) {
  const step = tickStep(axis, Math.max(2, Math.floor(plot / 90)));
  for (let t = 0; t <= axis; t += step) {
    if (ticks !== null) ctx.fillRect(x(t), ticks, 1, 4);
    const text = tickText(t);
    ['center', 'right', 'left'].some((align) => {
      ctx.textAlign = align;
      return label(text, x(t), y, { avoid: true });
    });
  }
}
