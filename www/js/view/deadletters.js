// The dead-letter queue of a run that retries: every job that failed all its attempts, with how
// many it had and its last error; then the jobs a retry saved (done, after more than one attempt),
// and a line on how the others fared. Live it lists what the events show (a job finished failed);
// the report adds each one's last error and the saved jobs.

/** One entry: job, attempts, error (when known). */
function entry({ job, attempts, error }) {
  const li = document.createElement('li');
  li.dataset.job = job;
  li.dataset.attempts = attempts;
  const head = document.createElement('strong');
  head.textContent = `job ${job}`;
  const tries = document.createElement('span');
  tries.className = 'attempts';
  tries.textContent = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  li.append(head, tries);
  if (error) {
    const why = document.createElement('span');
    why.className = 'error';
    // The core's words start "job 3 failed: …"; the entry already names the job.
    why.textContent = `: ${error.replace(new RegExp(`^job ${job} `), '')}`;
    li.append(why);
  }
  return li;
}

/** Builds the view in `root`; returns `{ clear(text), update(model), finish(report) }`. */
export function createDeadLetterView(root) {
  root.classList.add('dead-letters');
  const note = document.createElement('p');
  note.className = 'figure-note';
  const list = document.createElement('ol');
  list.className = 'dead';
  const savedTitle = document.createElement('p');
  savedTitle.className = 'figure-note';
  const saved = document.createElement('ol');
  saved.className = 'retried';
  root.replaceChildren(note, list, savedTitle, saved);
  let shown = -1; // failed jobs listed live; null once the report is shown

  const clear = (text) => {
    note.textContent = text;
    list.replaceChildren();
    saved.replaceChildren();
    savedTitle.textContent = '';
    shown = -1;
  };
  clear('Runs that retry (maxAttempts above 1) list here the jobs that failed every attempt.');

  return {
    clear,
    /** Lists the jobs the live events show as failed for good. */
    update(model) {
      if (shown === null || (model.config.maxAttempts ?? 1) < 2 || model.failedJobs.size === shown) return;
      shown = model.failedJobs.size;
      const jobs = [...model.failedJobs].sort((a, b) => a - b);
      list.replaceChildren(...jobs.map((job) => entry({ job, attempts: model.attempts.get(job) ?? 1 })));
      note.textContent = `${jobs.length} dead-lettered so far.`;
    },
    /** Shows `report.deadLetters` and how the rest of the jobs did. */
    finish(report) {
      if (!report.deadLetters) return clear('This run did not retry: failed jobs are simply failed.');
      const dead = report.deadLetters;
      list.replaceChildren(...dead.map(entry));
      const done = report.results.filter((r) => r.error === undefined);
      const attempts = report.results.reduce((sum, r) => sum + (r.attempts ?? 1), 0);
      const rescued = done.filter((r) => r.attempts > 1).sort((a, b) => a.job - b.job);
      saved.replaceChildren(...rescued.map(({ job, attempts }) => entry({ job, attempts })));
      savedTitle.textContent = rescued.length
        ? `Saved by a retry (${rescued.length}): done in the end, after more than one attempt.`
        : 'No job needed a second attempt.';
      note.textContent =
        `${done.length} done (${rescued.length} of them after a retry), ${dead.length} in the dead-letter queue; ` +
        `${attempts} attempts for ${report.results.length} jobs.` +
        (dead.length ? '' : ' Nothing was dead-lettered.');
      shown = null;
    },
  };
}
