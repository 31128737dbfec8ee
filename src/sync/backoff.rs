//! Bounded exponential backoff, for the two short waits a blocked operation makes before it
//! sleeps: retrying the lock-free ring before queueing ([`Backoff::retry`]), and spinning in the
//! queue before parking ([`Backoff::spin`]). Each round doubles its spin-loop hints; the last
//! rounds yield the time slice instead, so that a party on the same core can run and make the
//! hand-off. Both are short and bounded, so a 2-core machine is never starved. (In wasm the hints
//! and the yield do nothing: the rounds are only the loads of the waits themselves.)

use std::hint;
use std::thread;

/// Where a bounded wait is: rounds of spin-loop hints, doubling, then a few yields.
pub(crate) struct Backoff {
    step: u32,
    spin_rounds: u32,
    rounds: u32,
}

impl Backoff {
    /// For retrying the ring before queueing: 1 … 32 hints (63 in all), then 2 yields.
    pub(crate) fn retry() -> Self {
        Backoff {
            step: 0,
            spin_rounds: 6,
            rounds: 8,
        }
    }

    /// For spinning in the queue before parking: 1 … 64 hints (127 in all), then 4 yields.
    pub(crate) fn spin() -> Self {
        Backoff {
            step: 0,
            spin_rounds: 7,
            rounds: 11,
        }
    }

    /// Whether the rounds are used up.
    pub(crate) fn is_done(&self) -> bool {
        self.step >= self.rounds
    }

    /// Waits one round (nothing once the rounds are used up).
    pub(crate) fn snooze(&mut self) {
        if self.is_done() {
            return;
        }
        if self.step < self.spin_rounds {
            for _ in 0..1u32 << self.step {
                hint::spin_loop();
            }
        } else {
            thread::yield_now();
        }
        self.step += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backoff_ends_after_its_rounds() {
        for (mut backoff, rounds) in [(Backoff::retry(), 8), (Backoff::spin(), 11)] {
            for _ in 0..rounds {
                assert!(!backoff.is_done());
                backoff.snooze();
            }
            assert!(backoff.is_done());
            backoff.snooze();
            assert!(backoff.is_done());
        }
    }
}
