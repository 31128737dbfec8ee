//! A channel's buffer: a bounded ring that senders and receivers use without a lock.
//!
//! The design is the one of crossbeam-channel's `array` flavour (after Dmitry Vyukov's bounded
//! queue), written here for Poolplay. Each slot carries a *stamp* saying whose turn it is: a
//! sender's at the position it would write, a receiver's at that position + 1. Senders claim the
//! next position by compare-and-swap on `tail`, receivers on `head`; whoever wins uses the slot and
//! then publishes the next turn in its stamp. A position is a lap count and a slot index packed in
//! one word (`one_lap` apart per lap), so positions wrap around safely on 32-bit wasm too. One more
//! bit of `tail`, the *refusal mark*, turns every later send away for good: the channel sets it
//! when it closes, cancels sends or aborts, so no value can slip in after that.
//!
//! The ring only moves values; who waits, who is woken, and what is recorded is the channel's
//! business (`chan/`), done under its lock.

use std::cell::UnsafeCell;
use std::hint;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

/// One place in the ring.
struct Slot<T> {
    /// Whose turn: a sender's when equal to the position, a receiver's when one more.
    stamp: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// Keeps a counter on a cache line of its own, so senders and receivers do not slow each other.
#[repr(align(128))]
struct Padded(AtomicUsize);

/// A bounded multi-producer, multi-consumer queue of `T` (capacity 0: always full and empty).
pub(crate) struct Ring<T> {
    /// The position of the next receive.
    head: Padded,
    /// The position of the next send, with the refusal mark.
    tail: Padded,
    slots: Box<[Slot<T>]>,
    /// The bit of `tail` that refuses sends; also one more than the largest slot index.
    mark: usize,
    /// The distance between the same slot's positions in consecutive laps.
    one_lap: usize,
}

// SAFETY: a slot's value is touched only by the one thread whose compare-and-swap claimed its
// position, between reading the stamp that gave it the turn (Acquire) and publishing the next
// turn (Release); so values move between threads as if sent, which `T: Send` allows.
unsafe impl<T: Send> Send for Ring<T> {}
// SAFETY: as above; no `&T` is ever shared.
unsafe impl<T: Send> Sync for Ring<T> {}

/// Why a send did not go into the ring; the value comes back.
pub(crate) enum Refused<T> {
    /// Every slot is taken.
    Full(T),
    /// The ring refuses sends for good (the channel closed, cancelled sends, or aborted).
    Marked(T),
}

impl<T> Ring<T> {
    /// An empty ring of `cap` slots.
    pub(crate) fn new(cap: usize) -> Self {
        let mark = (cap + 1).next_power_of_two();
        let slots = (0..cap)
            .map(|i| Slot {
                stamp: AtomicUsize::new(i),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            })
            .collect();
        Ring {
            head: Padded(AtomicUsize::new(0)),
            tail: Padded(AtomicUsize::new(0)),
            slots,
            mark,
            one_lap: mark * 2,
        }
    }

    /// The position after `position`: the next slot, or the first slot of the next lap.
    fn after(&self, position: usize) -> usize {
        let index = position & (self.mark - 1);
        if index + 1 < self.slots.len() {
            position + 1
        } else {
            (position & !(self.one_lap - 1)).wrapping_add(self.one_lap)
        }
    }

    /// Puts `value` in the next free slot, unless the ring is full or refuses sends.
    pub(crate) fn push(&self, value: T) -> Result<(), Refused<T>> {
        if self.slots.is_empty() {
            return Err(Refused::Full(value));
        }
        let mut tail = self.tail.0.load(Ordering::Relaxed);
        loop {
            if tail & self.mark != 0 {
                return Err(Refused::Marked(value));
            }
            let slot = &self.slots[tail & (self.mark - 1)];
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == tail {
                let next = self.after(tail);
                match self.tail.0.compare_exchange_weak(
                    tail,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        // SAFETY: the compare-and-swap gave this thread the slot's sender turn.
                        unsafe { (*slot.value.get()).write(value) };
                        slot.stamp.store(tail + 1, Ordering::Release);
                        return Ok(());
                    }
                    Err(now) => tail = now,
                }
            } else if stamp.wrapping_add(self.one_lap) == tail + 1 {
                // The slot still holds the previous lap's value: full, unless a receive has
                // claimed it and is still reading.
                fence(Ordering::SeqCst);
                if self
                    .head
                    .0
                    .load(Ordering::Relaxed)
                    .wrapping_add(self.one_lap)
                    == tail
                {
                    return Err(Refused::Full(value));
                }
                hint::spin_loop();
                tail = self.tail.0.load(Ordering::Relaxed);
            } else {
                // Another sender took this position and is still writing: look again.
                hint::spin_loop();
                tail = self.tail.0.load(Ordering::Relaxed);
            }
        }
    }

    /// Takes the oldest value, if there is one.
    pub(crate) fn pop(&self) -> Option<T> {
        if self.slots.is_empty() {
            return None;
        }
        let mut head = self.head.0.load(Ordering::Relaxed);
        loop {
            let slot = &self.slots[head & (self.mark - 1)];
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == head + 1 {
                let next = self.after(head);
                match self.head.0.compare_exchange_weak(
                    head,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        // SAFETY: the compare-and-swap gave this thread the slot's receiver turn:
                        // a sender wrote the value before publishing that turn.
                        let value = unsafe { (*slot.value.get()).assume_init_read() };
                        slot.stamp
                            .store(head.wrapping_add(self.one_lap), Ordering::Release);
                        return Some(value);
                    }
                    Err(now) => head = now,
                }
            } else if stamp == head {
                // Nothing written here yet: empty, unless a send has claimed it and is writing.
                fence(Ordering::SeqCst);
                if self.tail.0.load(Ordering::Relaxed) & !self.mark == head {
                    return None;
                }
                hint::spin_loop();
                head = self.head.0.load(Ordering::Relaxed);
            } else {
                // Another receiver took this position: look again.
                hint::spin_loop();
                head = self.head.0.load(Ordering::Relaxed);
            }
        }
    }

    /// Turns every later send away ([`Refused::Marked`]); values already in stay to be received.
    pub(crate) fn refuse_sends(&self) {
        self.tail.0.fetch_or(self.mark, Ordering::SeqCst);
    }

    /// How many values are in the ring now.
    pub(crate) fn len(&self) -> usize {
        loop {
            let tail = self.tail.0.load(Ordering::SeqCst);
            let head = self.head.0.load(Ordering::SeqCst);
            if self.tail.0.load(Ordering::SeqCst) != tail {
                continue;
            }
            let tail = tail & !self.mark;
            let (h, t) = (head & (self.mark - 1), tail & (self.mark - 1));
            return if h < t {
                t - h
            } else if h > t {
                self.slots.len() - h + t
            } else if tail == head {
                0
            } else {
                self.slots.len()
            };
        }
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        while self.pop().is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_out_in_the_order_they_went_in_across_many_laps() {
        let ring = Ring::new(3);
        for lap in 0..10 {
            for k in 0..3 {
                assert!(ring.push(lap * 3 + k).is_ok());
            }
            assert!(matches!(ring.push(99), Err(Refused::Full(99))));
            assert_eq!(ring.len(), 3);
            for k in 0..3 {
                assert_eq!(ring.pop(), Some(lap * 3 + k));
            }
            assert_eq!(ring.pop(), None);
            assert_eq!(ring.len(), 0);
        }
    }

    #[test]
    fn a_refused_ring_turns_sends_away_but_keeps_its_values() {
        let ring = Ring::new(2);
        assert!(ring.push(1).is_ok());
        ring.refuse_sends();
        assert!(matches!(ring.push(2), Err(Refused::Marked(2))));
        assert_eq!(ring.len(), 1);
        assert_eq!(ring.pop(), Some(1));
        assert_eq!(ring.pop(), None);
    }

    #[test]
    fn a_ring_of_no_slots_is_always_full_and_empty() {
        let ring = Ring::new(0);
        assert!(matches!(ring.push(1), Err(Refused::Full(1))));
        assert_eq!(ring.pop(), None);
        assert_eq!(ring.len(), 0);
    }

    #[test]
    fn values_left_in_the_ring_are_dropped_with_it() {
        let value = std::sync::Arc::new(());
        let ring = Ring::new(4);
        for _ in 0..3 {
            assert!(ring.push(std::sync::Arc::clone(&value)).is_ok());
        }
        drop(ring);
        assert_eq!(std::sync::Arc::strong_count(&value), 1);
    }
}
