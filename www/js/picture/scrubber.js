// The replay controls: play and pause at a chosen speed, step from one event to the next, or drag
// to any moment. Every control is a native button, range or select, so the keyboard works as
// everywhere else; the time is announced in words.

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10];

const TEMPLATE = `
  <button type="button" class="replay-start" aria-label="Back to the start">Start</button>
  <button type="button" class="replay-back" aria-label="Step back one event">◀ Step</button>
  <button type="button" class="replay-play">Play</button>
  <button type="button" class="replay-forward" aria-label="Step forward one event">Step ▶</button>
  <input type="range" class="replay-time" min="0" max="1" step="any" value="1" aria-label="Moment of the run">
  <label class="replay-speed">Speed <select></select></label>
  <output class="replay-clock" aria-live="off"></output>`;

const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(1)} ms`);

/**
 * Builds the scrubber in `root`. `onSeek(t)` draws moment `t`. Returns
 * `{ load(replay), seek(t), play(), pause(), time() }`; `load` puts it at the end.
 */
export function createScrubber(root, { onSeek }) {
  root.classList.add('scrubber');
  root.innerHTML = TEMPLATE; // static markup only
  const $ = (selector) => root.querySelector(selector);
  const range = $('.replay-time');
  const playButton = $('.replay-play');
  const clock = $('.replay-clock');
  const speed = $('select');
  for (const s of SPEEDS) speed.append(new Option(`${s}×`, String(s), s === 1, s === 1));

  let replay = null;
  let time = 0;
  let frame = 0;

  function seek(t) {
    if (!replay) return;
    time = Math.min(Math.max(t, 0), replay.end);
    range.value = String(time);
    root.dataset.time = String(time);
    const words = `${ms(time)} of ${ms(replay.end)}`;
    clock.textContent = words;
    range.setAttribute('aria-valuetext', words);
    onSeek(time);
  }

  function pause() {
    cancelAnimationFrame(frame);
    frame = 0;
    playButton.textContent = 'Play';
    playButton.setAttribute('aria-pressed', 'false');
  }

  function play() {
    if (!replay) return;
    if (time >= replay.end) seek(0);
    pause();
    root.dataset.playedFrom = String(time); // where the last play began (tests read it)
    playButton.textContent = 'Pause';
    playButton.setAttribute('aria-pressed', 'true');
    let before = performance.now();
    const step = (now) => {
      seek(time + (now - before) * Number(speed.value));
      before = now;
      if (time >= replay.end) pause();
      else frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
  }

  playButton.addEventListener('click', () => (frame ? pause() : play()));
  $('.replay-start').addEventListener('click', () => (pause(), seek(0)));
  $('.replay-back').addEventListener('click', () => (pause(), seek(replay.previousTime(time))));
  $('.replay-forward').addEventListener('click', () => (pause(), seek(replay.nextTime(time))));
  // The range keeps to its steps, so its last one may fall just short of the end (End, or a drag
  // to the far right): within a step of the end (a whole step, give or take rounding) is the end.
  range.addEventListener('input', () => {
    pause();
    const t = Number(range.value);
    seek(replay && replay.end - t <= Number(range.step) * (1 + 1e-9) ? replay.end : t);
  });

  return {
    /** Takes a new replay and shows its end. */
    load(next) {
      pause();
      replay = next;
      range.max = String(replay.end);
      range.step = String(Math.max(replay.end / 500, 0.001));
      seek(replay.end);
    },
    seek,
    play,
    pause,
    /** The moment on show, in ms. */
    time: () => time,
  };
}
