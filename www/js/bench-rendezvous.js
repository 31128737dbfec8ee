// An unbuffered (rendezvous) channel of int32 values in shared memory, in plain JavaScript: the
// benchmark page's anchor for Poolplay's unbuffered channels, with the same send/recv as the ring
// (bench-ring.js). One offer at a time: a sender takes the turn, puts its value on offer and
// waits until a receiver has taken it (the count of values taken moves on); a receiver claims the
// offer by compare-and-swap, reads the value and hands the turn to the next sender at once.
// Parties spin a little before they sleep with Atomics.wait, and a change notifies only when
// someone has said it sleeps. Opened by bench-channels.js.

const OFFER = 0; // 1 while a value waits for a receiver
const VALUE = 1; // the value on offer
const TURN = 2; // 1 from a sender's offer until a receiver has read its value
const TAKEN = 3; // how many values receivers have taken (wrapping)
const SLEEPERS = 4; // how many parties sleep in Atomics.wait
const SPINS = 64;

/** The int32s a rendezvous needs (all zero to start with). */
export const RENDEZVOUS_LENGTH = 5;

/** A view of a rendezvous laid out in `ints` (an Int32Array on a SharedArrayBuffer). */
export class Rendezvous {
  constructor(ints) {
    this.ints = ints;
  }

  /** Hands `value` to a receiver, waiting until one has taken it. */
  send(value) {
    const { ints } = this;
    this.#await(() => Atomics.compareExchange(ints, TURN, 0, 1) === 0, TURN, 1);
    const ticket = Atomics.load(ints, TAKEN);
    ints[VALUE] = value;
    this.#set(OFFER, 1);
    // The receiver that takes this value moves TAKEN on; until then no other offer can be made.
    this.#await(() => Atomics.load(ints, TAKEN) !== ticket, TAKEN, ticket);
  }

  /** Takes a value from a sender, waiting until one offers it. */
  recv() {
    const { ints } = this;
    this.#await(() => Atomics.compareExchange(ints, OFFER, 1, 0) === 1, OFFER, 0);
    const value = ints[VALUE];
    this.#set(TAKEN, (Atomics.load(ints, TAKEN) + 1) | 0);
    this.#set(TURN, 0);
    return value;
  }

  /** Stores `value` at `at` and wakes whoever sleeps on it, if anyone sleeps. */
  #set(at, value) {
    Atomics.store(this.ints, at, value);
    if (Atomics.load(this.ints, SLEEPERS) > 0) Atomics.notify(this.ints, at);
  }

  /** Tries `done` until it succeeds: a few times at once, then sleeping while `at` holds `idle`. */
  #await(done, at, idle) {
    const { ints } = this;
    for (let spins = 0; !done(); spins++) {
      if (spins < SPINS) continue;
      Atomics.add(ints, SLEEPERS, 1);
      Atomics.wait(ints, at, idle);
      Atomics.sub(ints, SLEEPERS, 1);
    }
  }
}
