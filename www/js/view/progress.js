// The progress reporter: a bar and the live figures of a run (processed, succeeded, failed, in
// flight, queued, throughput over the last second, time left), computed from the model the
// streamed events build. In a comparison it follows the side that runs now.

const WINDOW_MS = 1000;

/** How many of the sorted times `times` fall in (from, to]. */
function countBetween(times, from, to) {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i] > from; i--) if (times[i] <= to) n++;
  return n;
}

/** "0.4 s", "12 s", "2 min 5 s". */
function duration(ms) {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * The reporter's figures at `now` ms: `{ total, processed, succeeded, failed, inFlight, queued,
 * perSecond, etaMs }` (`etaMs` null until something has finished in the last second).
 */
export function progressOf(model, now) {
  const { progress } = model;
  const total = model.config.jobs;
  const processed = progress.finished;
  const perSecond = countBetween(progress.finishedAt, now - WINDOW_MS, now) * (1000 / Math.min(WINDOW_MS, Math.max(now - progress.since, 1)));
  const left = total - processed;
  return {
    total,
    processed,
    succeeded: processed - progress.failed,
    failed: progress.failed,
    inFlight: progress.started - progress.finished,
    queued: model.channels.jobs.items.length,
    perSecond,
    etaMs: left === 0 ? 0 : perSecond > 0 ? (left / perSecond) * 1000 : null,
  };
}

/** Builds the reporter in `root`; returns `{ update(model, now, running) }`. */
export function createProgressView(root) {
  root.classList.add('progress-report');
  const bar = document.createElement('progress');
  bar.setAttribute('aria-label', 'Jobs processed');
  const figures = document.createElement('p');
  figures.className = 'progress-figures';
  figures.setAttribute('aria-live', 'off');
  root.replaceChildren(bar, figures);

  return {
    /** Shows the figures of `model` at `now` ms; `running` says whether the run goes on. */
    update(model, now, running) {
      const p = progressOf(model, now);
      bar.max = p.total;
      bar.value = p.processed;
      const side = model.phases.at(-1);
      const lead = side ? (side.phase === 'pool' ? 'Pool side: ' : 'No pool: ') : '';
      const left = !running || p.etaMs === 0 ? 'done' : p.etaMs === null ? 'time left: estimating…' : `about ${duration(p.etaMs)} left`;
      figures.textContent =
        `${lead}${p.processed} of ${p.total} processed · ${p.succeeded} succeeded · ${p.failed} failed · ` +
        `${p.inFlight} in flight · ${p.queued} queued · ${p.perSecond.toFixed(1)} jobs/s over the last second · ${left}`;
      Object.assign(root.dataset, {
        processed: p.processed,
        succeeded: p.succeeded,
        failed: p.failed,
        inFlight: p.inFlight,
        queued: p.queued,
      });
    },
  };
}
