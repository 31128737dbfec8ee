// Colours shared by every view, so a worker has the same colour everywhere.

/** A distinct colour for worker `k` (golden-angle hues stay apart for any count). */
export function workerColor(k) {
  return `hsl(${((k - 1) * 137.508) % 360} 62% 52%)`;
}

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

/** What the swimlanes' colours mean, as [words, colour]. */
const LEGEND = [
  ['send blocked: buffer full', REASON_COLORS.full],
  ['receive blocked: buffer empty', REASON_COLORS.empty],
  ['blocked: unbuffered hand-off', REASON_COLORS.rendezvous],
  ['waiting on the WaitGroup', REASON_COLORS.counter],
  ['consumer resting after a result', '#ced4da'],
  ['failed job (struck through) · shutdown, or a side of a comparison (dashed line)', '#c92a2a'],
  ['failed attempt (red edge), then the wait before a retry (hatched)', '#fa5252'],
];

/** Fills the list `root` with the swimlanes' legend. */
export function showLegend(root) {
  root.replaceChildren(
    ...LEGEND.map(([text, color]) => {
      const li = document.createElement('li');
      li.style.setProperty('--accent', color);
      li.textContent = text;
      return li;
    }),
  );
}
