// Tile mode's picture: the preview drawn tile by tile as results arrive, and over it an overlay
// that colours each tile by the worker that did it and writes its place in the order of
// completion. A tile being worked on has a dashed outline; a failed one is struck through.

import { workerColor } from './palette.js';

/** The overlay is drawn at this multiple of the preview's size, so its numbers stay sharp. */
const OVERLAY_SCALE = 2;
const FAILED = '#c92a2a';

/**
 * Builds the picture in `root`. Returns `{ plan(config), working(job, worker), show(results),
 * setOverlay(flag), shown() }`; `plan` takes the effective config of a tile run (its grid).
 */
export function createTileMap(root) {
  root.classList.add('tile-map');
  const stage = document.createElement('div');
  stage.className = 'tile-stage';
  const picture = document.createElement('canvas');
  picture.className = 'tile-picture';
  picture.setAttribute('role', 'img');
  picture.setAttribute('aria-label', 'The picture, filled in tile by tile as the workers finish them');
  const overlay = document.createElement('canvas');
  overlay.className = 'tile-overlay';
  overlay.setAttribute('aria-hidden', 'true');
  stage.append(picture, overlay);
  root.replaceChildren(stage);

  let tiles = []; // the grid's tiles, each with { state, worker, arrival }
  let pending = false;

  function drawOverlay() {
    pending = false;
    const ctx = overlay.getContext('2d');
    ctx.setTransform(OVERLAY_SCALE, 0, 0, OVERLAY_SCALE, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const perScreenPixel = overlay.clientWidth ? picture.width / overlay.clientWidth : 1;
    for (const t of tiles) {
      if (t.state === 'queued') continue;
      const color = t.state === 'failed' ? FAILED : workerColor(t.worker);
      const [x, y, w, h] = [t.outX, t.outY, t.outWidth, t.outHeight];
      ctx.lineWidth = 1;
      ctx.strokeStyle = color;
      if (t.state === 'working') {
        ctx.setLineDash([3, 2]);
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
        ctx.setLineDash([]);
        continue;
      }
      ctx.globalAlpha = 0.22;
      ctx.fillStyle = color;
      ctx.fillRect(x, y, w, h);
      ctx.globalAlpha = 1;
      ctx.lineWidth = Math.min(2, w / 8, h / 8);
      ctx.strokeRect(x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth);
      if (t.state === 'failed') {
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + w, y + h);
        ctx.stroke();
      }
      // The completion rank on a badge in the worker's colour, about 12 px on screen however
      // the picture is scaled, unless the tile is smaller.
      const size = Math.min(12 * perScreenPixel, Math.min(w, h) * 0.4);
      const radius = size * (String(t.arrival).length > 2 ? 1.15 : 0.95);
      ctx.beginPath();
      ctx.arc(x + w / 2, y + h / 2, Math.min(radius, w / 2, h / 2), 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
      ctx.font = `600 ${size}px system-ui, sans-serif`;
      ctx.fillStyle = '#fff';
      ctx.fillText(String(t.arrival), x + w / 2, y + h / 2 + size * 0.05);
    }
  }
  const redraw = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(drawOverlay);
    }
  };
  window.addEventListener('resize', redraw);

  return {
    plan(config) {
      picture.width = config.outWidth;
      picture.height = config.outHeight;
      overlay.width = config.outWidth * OVERLAY_SCALE;
      overlay.height = config.outHeight * OVERLAY_SCALE;
      picture.setAttribute(
        'aria-label',
        `${config.image} cut into ${config.tiles.length} tiles of ${config.tileSize} px, drawn as they arrive`,
      );
      const ctx = picture.getContext('2d');
      ctx.fillStyle = '#f1f3f5';
      ctx.fillRect(0, 0, picture.width, picture.height);
      tiles = config.tiles.map((t) => ({ ...t, state: 'queued', worker: 0, arrival: 0 }));
      redraw();
    },
    working(job, worker) {
      const t = tiles[job - 1];
      if (t?.state !== 'queued') return;
      Object.assign(t, { state: 'working', worker });
      redraw();
    },
    show(results) {
      const ctx = picture.getContext('2d');
      for (const r of results) {
        const t = tiles[r.tile - 1];
        if (!t || t.state === 'done' || t.state === 'failed') continue;
        Object.assign(t, { state: r.error === undefined ? 'done' : 'failed', worker: r.worker, arrival: r.arrival });
        if (r.rgba && r.outWidth > 0 && r.outHeight > 0) {
          const pixels = new Uint8ClampedArray(r.rgba.buffer, r.rgba.byteOffset, r.rgba.length);
          ctx.putImageData(new ImageData(pixels, r.outWidth, r.outHeight), r.outX, r.outY);
        }
      }
      redraw();
    },
    setOverlay(flag) {
      overlay.hidden = !flag;
    },
    /** Tiles shown as done or failed so far, each with its arrival rank and worker. */
    shown: () => tiles.filter((t) => t.state === 'done' || t.state === 'failed'),
  };
}
