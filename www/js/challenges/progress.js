// The reader's progress through the challenges, kept in this browser (localStorage) and nowhere
// else: per challenge, "solved" or "missed" (a prediction answered wrongly, so the answer has been
// shown). Every change is announced as a `poolplay-progress` event on window, so each widget and
// the challenges page stay in step; other tabs hear of it through the `storage` event.

const KEY = 'poolplay-challenges';
const CHANGED = 'poolplay-progress';

/** The browser's storage, or null where it is unavailable (blocked cookies, some frames). */
function storage() {
  try {
    const store = window.localStorage;
    store.getItem(KEY);
    return store;
  } catch {
    return null;
  }
}

/** Whether progress can be kept here. */
export const progressKept = () => storage() !== null;

/** Every challenge's progress: `{ [id]: { status: 'solved' | 'missed', at } }` (at: ISO time). */
export function readProgress() {
  try {
    const saved = JSON.parse(storage()?.getItem(KEY) ?? '{}');
    return saved && typeof saved === 'object' && !Array.isArray(saved) ? saved : {};
  } catch {
    return {}; // unreadable: start again rather than fail
  }
}

function write(progress) {
  try {
    storage()?.setItem(KEY, JSON.stringify(progress));
  } catch {
    // full or blocked: the grade still shows, it is only not kept
  }
  window.dispatchEvent(new CustomEvent(CHANGED));
}

/**
 * Records a graded answer to challenge `id` of `kind`; returns its status now. A right answer
 * solves it, except a prediction missed before: its answer has been shown, so it stays missed
 * until the progress is reset. A wrong prediction is a miss; other wrong answers give nothing
 * away and change nothing.
 */
export function recordGrade(id, kind, right) {
  const progress = readProgress();
  const before = progress[id]?.status;
  let status = before;
  if (right && !(kind === 'predict' && before === 'missed')) status = 'solved';
  else if (!right && kind === 'predict' && before !== 'solved') status = 'missed';
  if (status !== before) {
    progress[id] = { status, at: new Date().toISOString() };
    write(progress);
  }
  return status;
}

/** Forgets every challenge's progress. */
export function resetProgress() {
  try {
    storage()?.removeItem(KEY);
  } catch {
    // nothing was kept
  }
  window.dispatchEvent(new CustomEvent(CHANGED));
}

/** Calls `listener()` whenever the progress changes, here or in another tab. */
export function onProgress(listener) {
  window.addEventListener(CHANGED, listener);
  window.addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) listener(); // null: the whole storage was cleared
  });
}

/** A status in words. */
export const statusWords = (status) =>
  ({ solved: 'Solved', missed: 'Missed: the answer was shown' })[status] ?? 'Not solved yet';
