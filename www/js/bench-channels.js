// The plain-JS anchors' channels of `buffer` slots: a shared-memory ring (bench-ring.js), or at
// buffer 0 a rendezvous (bench-rendezvous.js). The page makes their memory, each anchor thread
// opens a view of it (bench-anchors.js, bench-anchor-worker.js).

import { ringLength, Ring } from './bench-ring.js';
import { RENDEZVOUS_LENGTH, Rendezvous } from './bench-rendezvous.js';

/** Shared memory for a channel of `buffer` slots, ready to use. */
export function channelMemory(buffer) {
  if (buffer === 0) return new SharedArrayBuffer(4 * RENDEZVOUS_LENGTH);
  const memory = new SharedArrayBuffer(4 * ringLength(buffer));
  new Ring(new Int32Array(memory), buffer).init();
  return memory;
}

/** A view of the channel of `buffer` slots in `memory` (made by `channelMemory`), with send and recv. */
export const openChannel = (memory, buffer) =>
  buffer === 0 ? new Rendezvous(new Int32Array(memory)) : new Ring(new Int32Array(memory), buffer);
