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
