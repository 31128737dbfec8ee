// Colours and marks shared by every view, so a worker has the same colour everywhere and a failure
// looks the same everywhere.
//
// Failure has a channel of its own: red is kept for it alone (worker hues stay out of the red band),
// and on the swimlanes a failure is also a shape, a dark cross-hatch with a dark outline, which no
// worker colour can hide.

/** Worker hues are spread over 45°–320° (golden-ratio steps), never the reds failures use. */
const HUE_FROM = 45;
const HUE_SPAN = 275;

/** A distinct colour for worker `k`, never a red. */
export function workerColor(k) {
  const hue = HUE_FROM + ((120 + (k - 1) * HUE_SPAN * 0.381966) % HUE_SPAN);
  return `hsl(${hue.toFixed(1)} 62% 52%)`;
}

/** The one colour of failure: failed jobs and attempts, panics, a close that broke the rules. */
export const FAILURE = '#c92a2a';
/** The ink of failure marks drawn over a colour (the cross-hatch and its outline). */
export const FAILURE_INK = '#212529';

/** Colour of a wait, by why it waits. */
export const REASON_COLORS = {
  full: '#e8590c',
  empty: '#4c6ef5',
  rendezvous: '#9c36b5',
  counter: '#868e96',
};

/** Plain words for a blocked actor. */
export function describeBlock({ channel, op, reason }) {
  const where = channel === 'waitGroup' ? 'the WaitGroup' : `the ${channel} channel`;
  switch (reason) {
    case 'full':
      return `waiting to send: ${where} is full`;
    case 'empty':
      return `waiting to receive: ${where} is empty`;
    case 'rendezvous':
      return `waiting for a partner to ${op === 'send' ? 'receive from' : 'send on'} ${where} (unbuffered)`;
    default:
      return `waiting for every worker to call Done on ${where}`;
  }
}

/**
 * What the swimlanes' marks mean, as [words, swatch]: a swatch is a colour, or the name of a mark
 * drawn by CSS (style.css, `.legend [data-swatch]`).
 */
const LEGEND = [
  ['send blocked: buffer full', REASON_COLORS.full],
  ['receive blocked: buffer empty', REASON_COLORS.empty],
  ['blocked: unbuffered hand-off', REASON_COLORS.rendezvous],
  ['waiting on the WaitGroup', REASON_COLORS.counter],
  ['consumer resting after a result', '#ced4da'],
  ['failed job or attempt (cross-hatched)', 'failed'],
  ['wait before a retry', 'backoff'],
  ['close of a channel (✗: a close or send that panicked)', 'close'],
  ['stuck at the deadlock', 'stuck'],
  ['shutdown, or a side of a comparison (dashed line)', 'marker'],
];

/** Fills the list `root` with the swimlanes' legend. */
export function showLegend(root) {
  root.replaceChildren(
    ...LEGEND.map(([text, swatch]) => {
      const li = document.createElement('li');
      if (swatch.startsWith('#')) li.style.setProperty('--accent', swatch);
      else li.dataset.swatch = swatch;
      li.textContent = text;
      return li;
    }),
  );
}
