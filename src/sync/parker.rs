//! A parked party: one blocked actor waiting for whoever completes its operation to hand it an
//! outcome. Channels and WaitGroups keep queues of these, as Go keeps queues of waiting goroutines,
//! so the party that makes progress possible knows exactly whom it wakes. The outcome travels with
//! the stamp of the event that woke the party, so its next events are stamped after it.
//!
//! The party is already queued (and counted as waiting by the deadlock detector) when it gets here.
//! It first spins briefly (`Backoff::spin`): a hand-off on a busy pool usually comes within a
//! microsecond, much sooner than a thread can go to sleep and be woken. Only then does it park its
//! thread ([`std::thread::park`]), announcing that it sleeps; the waker makes the system call of a
//! wake-up only for a party that announced it, never for one still spinning.

use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::clock;
use crate::observe::trace::{Pen, Stamp};
use crate::observe::watch::Probe;
use crate::sync::backoff::Backoff;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, Thread};
use std::time::Duration;

/// The party waits and has not gone to sleep: a wake needs no system call.
const WAITING: u8 = 0;
/// The party's thread is parked (or about to park): a wake must unpark it.
const SLEEPING: u8 = 1;
/// The outcome has been delivered.
const DELIVERED: u8 = 2;

/// One blocked actor, its thread, and the slot its outcome is delivered into.
pub(crate) struct Parker<O> {
    /// The actor that is waiting.
    pub(crate) actor: Actor,
    thread: Thread,
    phase: AtomicU8,
    outcome: Mutex<Option<(O, Stamp)>>,
}

impl<O> Parker<O> {
    /// A parker for `actor`, waiting on the calling thread, with no outcome yet.
    pub(crate) fn new(actor: Actor) -> Arc<Self> {
        Arc::new(Parker {
            actor,
            thread: thread::current(),
            phase: AtomicU8::new(WAITING),
            outcome: Mutex::new(None),
        })
    }

    /// Delivers the outcome, caused by an event stamped `at`, and wakes the waiting thread if it
    /// has gone to sleep.
    pub(crate) fn wake(&self, outcome: O, at: Stamp) {
        *lock(&self.outcome) = Some((outcome, at));
        if self.phase.swap(DELIVERED, Ordering::AcqRel) == SLEEPING {
            self.thread.unpark();
        }
    }

    /// The outcome, if it has been delivered.
    fn delivered(&self) -> Option<(O, Stamp)> {
        if self.phase.load(Ordering::Acquire) == DELIVERED {
            lock(&self.outcome).take()
        } else {
            None
        }
    }

    /// Spins for a short, bounded while; the outcome if it came meanwhile.
    fn spin(&self) -> Option<(O, Stamp)> {
        let mut backoff = Backoff::spin();
        loop {
            if let Some(outcome) = self.delivered() {
                return Some(outcome);
            }
            if backoff.is_done() {
                return None;
            }
            backoff.snooze();
        }
    }

    /// Announces that the thread goes to sleep, so a wake from now on unparks it. Does nothing if
    /// the outcome came first (or the sleep was announced already, by a timed wait that gave up).
    fn announce_sleep(&self) {
        let _ = self
            .phase
            .compare_exchange(WAITING, SLEEPING, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Blocks until an outcome is delivered, then returns it with the waking event's stamp.
    pub(crate) fn park(&self) -> (O, Stamp) {
        if let Some(outcome) = self.spin() {
            return outcome;
        }
        self.announce_sleep();
        loop {
            if let Some(outcome) = self.delivered() {
                return outcome;
            }
            // Returns at once if the unpark came first; may also return spuriously.
            thread::park();
        }
    }

    /// Blocks until an outcome is delivered or the shared clock passes `deadline_ms`; `None` on
    /// the deadline (the caller then withdraws the party, or finds it was completed meanwhile).
    pub(crate) fn park_until(&self, deadline_ms: f64) -> Option<(O, Stamp)> {
        if let Some(outcome) = self.spin() {
            return Some(outcome);
        }
        self.announce_sleep();
        loop {
            if let Some(outcome) = self.delivered() {
                return Some(outcome);
            }
            let left = deadline_ms - clock::now_ms();
            if left <= 0.0 {
                return None;
            }
            thread::park_timeout(Duration::from_secs_f64(left / 1000.0));
        }
    }

    /// Parks until the outcome comes, as `probe` watches waits (blocked time, stamps, a
    /// deadlock this wait completes): see [`Probe::wait`].
    pub(crate) fn park_watched(&self, probe: &Probe, pen: Pen<'_>) -> O {
        probe.wait(self.actor, pen, || self.park())
    }

    /// Like [`Parker::park_watched`], but once the clock passes `deadline_ms` it calls `withdraw`
    /// (which takes the owner's lock): that returns the outcome of giving up, or `None` when
    /// someone completed the operation meanwhile, whose outcome is then taken.
    pub(crate) fn park_watched_until(
        &self,
        probe: &Probe,
        pen: Pen<'_>,
        deadline_ms: f64,
        withdraw: impl FnOnce() -> Option<(O, Stamp)>,
    ) -> O {
        probe.wait(self.actor, pen, || {
            self.park_until(deadline_ms)
                .or_else(withdraw)
                .unwrap_or_else(|| self.park())
        })
    }
}
