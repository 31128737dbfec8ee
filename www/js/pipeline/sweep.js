// The sweep: the same pipeline run again and again, one stage widened a worker at a time, and the
// measured throughput plotted against what the slowest stage allows (see `slowestRate`).
// Throughput climbs while the widened stage is the bottleneck, then stays flat: another stage has
// become the slowest.

import { prepareCanvas } from '../view/canvas.js';

const HEIGHT = 190;
const FONT = '11px system-ui, sans-serif';
const POOL_THREADS = 20; // the coordinator's pool (README: thread budget); the core refuses more
const MOST = 8;

/**
 * Jobs per second the slowest stage allows a batch of `jobs`: the first job passes every stage
 * (the pipeline fills), then one more comes out each time the slowest stage (the most work per
 * worker) finishes one. Null when no stage takes any time.
 */
export function slowestRate(stages, jobs) {
  const slowest = Math.max(...stages.map((s) => s.workMs / s.workers));
  const fill = stages.reduce((sum, s) => sum + s.workMs, 0);
  const ms = fill + (jobs - 1) * slowest;
  return ms > 0 ? (1000 * jobs) / ms : null;
}

/** The most workers stage `index` can have with the others as they are (every actor a thread). */
export function widest(stages, index) {
  const others = stages.reduce((sum, s, i) => sum + (i === index ? 0 : s.workers), 0);
  return Math.max(1, Math.min(MOST, POOL_THREADS - others - stages.length - 2));
}

/**
 * Mounts the sweep in `root`. `config()` is the pipeline on the knobs (or null while they have a
 * problem); `runOnce(config)` runs one and resolves with its report. Returns `{ setAvailable(ok),
 * setStages(count, suggested) }`.
 */
export function mountSweep(root, { config, runOnce }) {
  root.innerHTML = `
    <div class="sweep-controls">
      <label>Widen stage <select class="sweep-stage"></select></label>
      <button type="button" class="sweep-run">Run the sweep</button>
      <span class="sweep-status" role="status"></span>
    </div>
    <canvas class="sweep-chart" hidden role="img" aria-label="Throughput against the widened stage's workers, measured and as the slowest stage allows"></canvas>
    <ol class="sweep-list" aria-label="Each run of the sweep"></ol>`; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const select = $('.sweep-stage');
  const button = $('.sweep-run');
  const status = $('.sweep-status');
  const canvas = $('.sweep-chart');
  const list = $('.sweep-list');
  let points = [];
  let available = true;
  let running = false;

  /** Offers stages 1 to `count`: `suggested` (an index, say the last run's bottleneck) if given, else the reader's choice while it still exists. */
  function setStages(count, suggested = null) {
    const chosen = Number(select.value) || 1;
    select.replaceChildren(...Array.from({ length: count }, (_, i) => new Option(String(i + 1), String(i + 1))));
    select.value = String(suggested !== null && !running ? suggested + 1 : Math.min(chosen, count));
  }

  async function sweep() {
    const base = config();
    if (!base) {
      status.textContent = 'Fix the knobs first.';
      return;
    }
    const index = Number(select.value) - 1;
    const most = widest(base.stages, index);
    running = true;
    button.disabled = true;
    points = [];
    list.replaceChildren();
    try {
      for (let workers = 1; workers <= most; workers++) {
        status.textContent = `run ${workers} of ${most}…`;
        const stages = base.stages.map((s, i) => (i === index ? { ...s, workers } : s));
        const { cancelAfterMs, ...rest } = base;
        const report = await runOnce({ ...rest, stages });
        const point = { workers, measured: report.stats.throughputPerS, allowed: slowestRate(stages, base.jobs), bottleneck: report.bottleneck, outcome: report.outcome };
        points.push(point);
        const words = `${workers} worker${workers > 1 ? 's' : ''} in stage ${index + 1}: ${point.measured.toFixed(1)} jobs/s, bottleneck stage ${point.bottleneck + 1}`;
        list.append(Object.assign(document.createElement('li'), { textContent: point.outcome === 'completed' ? words : `${words} (${point.outcome})` }));
        draw(index);
      }
      status.textContent = `done: stage ${index + 1} from 1 to ${most} workers`;
    } catch (error) {
      status.textContent = `stopped: ${error.message}`;
    } finally {
      running = false;
      button.disabled = !available;
    }
  }

  function draw(index = Number(select.value) - 1) {
    canvas.hidden = !points.length;
    if (!points.length) return;
    const { ctx, width, label } = prepareCanvas(canvas, HEIGHT, FONT);
    const left = 46;
    const bottom = HEIGHT - 26;
    const top = 14;
    const plot = width - left - 12;
    const most = Math.max(points.length, 2);
    const peak = Math.max(...points.map((p) => Math.max(p.measured, p.allowed ?? 0)), 1) * 1.1;
    const x = (w) => left + ((w - 1) / (most - 1)) * plot;
    const y = (rate) => bottom - (rate / peak) * (bottom - top);
    ctx.strokeStyle = '#adb5bd';
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left, bottom);
    ctx.lineTo(left + plot, bottom);
    ctx.stroke();
    ctx.fillStyle = '#495057';
    ctx.textAlign = 'right';
    label(`${Math.round(peak / 1.1)}`, left - 4, y(peak / 1.1), { avoid: true });
    label('0', left - 4, bottom, { avoid: true });
    ctx.textAlign = 'center';
    for (const p of points) label(String(p.workers), x(p.workers), bottom + 9, { avoid: true });
    label(`workers in stage ${index + 1}`, left + plot / 2, HEIGHT - 6, { avoid: true });
    // What the slowest stage allows: dashed.
    const allowed = points.filter((p) => p.allowed !== null);
    if (allowed.length) {
      ctx.setLineDash([5, 4]);
      ctx.strokeStyle = '#e8590c';
      ctx.beginPath();
      allowed.forEach((p, i) => (i ? ctx.lineTo(x(p.workers), y(p.allowed)) : ctx.moveTo(x(p.workers), y(p.allowed))));
      ctx.stroke();
      ctx.setLineDash([]);
    }
    // Measured: a line with dots, each named by its bottleneck.
    ctx.strokeStyle = '#1971c2';
    ctx.fillStyle = '#1971c2';
    ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(x(p.workers), y(p.measured)) : ctx.moveTo(x(p.workers), y(p.measured))));
    ctx.stroke();
    for (const p of points) {
      ctx.beginPath();
      ctx.arc(x(p.workers), y(p.measured), 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = '#1971c2';
    label('measured jobs/s', left + 6, top, { avoid: true });
    ctx.fillStyle = '#c2410c';
    label('what the slowest stage allows', left + 6, top + 14, { avoid: true });
  }

  button.addEventListener('click', () => sweep());
  window.addEventListener('resize', () => draw());
  return {
    setAvailable(ok) {
      available = ok;
      button.disabled = !ok || running;
    },
    setStages,
  };
}
