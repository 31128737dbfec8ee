// Repeat the current config many times and tally how often it goes wrong: the way to see a race,
// which a single run can hide. A run "bites" when a result went missing or it did not complete.

const TIMES = 20;

/** Whether a run shows the bug: a missed result, or any outcome but "completed". */
export function bit(report) {
  return report.outcome !== 'completed' || (report.stats?.missed ?? 0) > 0;
}

/**
 * Builds the widget in `root`. `runOnce()` runs the current knobs and resolves with the report.
 * Returns `{ setAvailable(ok) }`.
 */
export function createRepeatView(root, { runOnce }) {
  root.classList.add('repeat');
  const intro = document.createElement('p');
  intro.className = 'figure-note';
  intro.textContent =
    `Runs the knobs’ config ${TIMES} times in a row. A run bites when a result goes missing or it ` +
    'does not complete. For a race the count changes from one batch to the next, and zero does not prove the code right.';
  const start = Object.assign(document.createElement('button'), { type: 'button', textContent: `Repeat ${TIMES} times`, className: 'repeat-start' });
  const stop = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Stop repeating', disabled: true });
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(start, stop);
  const marks = document.createElement('ol');
  marks.className = 'tally-marks';
  marks.setAttribute('aria-hidden', 'true');
  const tally = document.createElement('p');
  tally.className = 'tally';
  tally.setAttribute('aria-live', 'polite');
  tally.textContent = 'Not repeated yet.';
  root.replaceChildren(intro, buttons, marks, tally);

  let stopping = false;
  let available = true;

  stop.addEventListener('click', () => {
    stopping = true;
    stop.disabled = true;
  });
  start.addEventListener('click', async () => {
    start.disabled = true;
    stop.disabled = false;
    stopping = false;
    marks.replaceChildren();
    let runs = 0;
    let bites = 0;
    const outcomes = new Map();
    const say = (done) => {
      const kinds = [...outcomes].map(([name, n]) => `${n} ${name}`).join(', ');
      tally.textContent = `${done ? 'Done' : 'Running'}: it bit in ${bites} of ${runs} runs${kinds ? ` (${kinds})` : ''}.`;
      tally.dataset.runs = String(runs);
      tally.dataset.bites = String(bites);
      tally.dataset.done = String(done);
    };
    say(false);
    try {
      while (runs < TIMES && !stopping) {
        const report = await runOnce();
        runs++;
        const bad = bit(report);
        if (bad) bites++;
        const kind = report.outcome === 'completed' && bad ? 'missed results' : report.outcome;
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
        const mark = document.createElement('li');
        mark.className = bad ? 'bit' : 'fine';
        mark.title = kind;
        marks.append(mark);
        say(false);
      }
      say(true);
    } catch (error) {
      tally.textContent = `Stopped after ${runs} runs: ${error.message}`;
      tally.dataset.done = 'true';
    } finally {
      start.disabled = !available;
      stop.disabled = true;
    }
  });

  return {
    /** Enables or disables repeating (threads unavailable). */
    setAvailable(ok) {
      available = ok;
      start.disabled = !ok;
    },
  };
}
