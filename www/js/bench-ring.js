// A bounded multi-producer, multi-consumer ring of int32 values in shared memory, in plain
// JavaScript: the benchmark page's anchor for Poolplay's channels. Each slot carries a sequence
// number saying whose turn it is (a sender's at lap `n` when it equals the slot's position, a
// receiver's when it is one more), and senders and receivers claim positions by compare-and-swap
// on a tail and a head. A party that finds the ring full (or empty) spins a little, then sleeps
// with Atomics.wait on the slot it waits for; whoever fills or frees a slot notifies it only when
// someone has said it sleeps. Opened by bench-channels.js.

const HEAD = 0;
const TAIL = 1;
const SLEEPERS = 2;
const HEADER = 3;
const SPINS = 64;

/** The int32s a ring of `capacity` slots needs. */
export const ringLength = (capacity) => HEADER + 2 * capacity;

/** A view of a ring laid out in `ints` (an Int32Array on a SharedArrayBuffer). */
export class Ring {
  constructor(ints, capacity) {
    this.ints = ints;
    this.capacity = capacity;
  }

  /** Sets every slot's sequence number to its position: call once, before any worker uses it. */
  init() {
    for (let i = 0; i < this.capacity; i++) this.ints[HEADER + i] = i;
  }

  /** Puts `value` in the ring, waiting while it is full. */
  send(value) {
    this.#claim(TAIL, 0, (slot) => {
      this.ints[HEADER + this.capacity + slot] = value;
    });
  }

  /** Takes the oldest value, waiting while the ring is empty. */
  recv() {
    let value;
    this.#claim(HEAD, 1, (slot) => {
      value = this.ints[HEADER + this.capacity + slot];
    });
    return value;
  }

  /**
   * Claims the next position of the `end` counter (TAIL to send, HEAD to receive) once its slot's
   * sequence number is that position + `turn`, runs `use` on the slot, then hands the slot on.
   */
  #claim(end, turn, use) {
    const { ints, capacity } = this;
    let spins = 0;
    for (;;) {
      const position = Atomics.load(ints, end);
      const slot = position % capacity;
      const seq = Atomics.load(ints, HEADER + slot);
      const ahead = seq - (position + turn);
      if (ahead === 0) {
        if (Atomics.compareExchange(ints, end, position, position + 1) === position) {
          use(slot);
          // A sender hands the slot to this lap's receiver; a receiver to the next lap's sender.
          Atomics.store(ints, HEADER + slot, turn === 0 ? position + 1 : position + capacity);
          if (Atomics.load(ints, SLEEPERS) > 0) Atomics.notify(ints, HEADER + slot);
          return;
        }
      } else if (ahead < 0) {
        // Full (sending) or empty (receiving): spin, then sleep until this slot changes.
        if (spins++ < SPINS) continue;
        Atomics.add(ints, SLEEPERS, 1);
        Atomics.wait(ints, HEADER + slot, seq);
        Atomics.sub(ints, SLEEPERS, 1);
      }
    }
  }
}
