//! A parked party: one blocked actor waiting for whoever completes its operation to hand it an
//! outcome. Channels and WaitGroups keep queues of these, as Go keeps queues of waiting goroutines,
//! so the party that makes progress possible knows exactly whom it wakes. The outcome travels with
//! the stamp of the event that woke the party, so its next events are stamped after it.
//!
//! The waiting thread parks itself ([`std::thread::park`]); waking it costs a system call only if
//! it has really gone to sleep, not when the hand-off comes first (a condition variable's notify
//! would make one every time).

use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::clock;
use crate::observe::trace::{Pen, Stamp};
use crate::observe::watch::Probe;
use std::sync::{Arc, Mutex};
use std::thread::{self, Thread};
use std::time::Duration;

/// One blocked actor, its thread, and the slot its outcome is delivered into.
pub(crate) struct Parker<O> {
    /// The actor that is waiting.
    pub(crate) actor: Actor,
    thread: Thread,
    outcome: Mutex<Option<(O, Stamp)>>,
}

impl<O> Parker<O> {
    /// A parker for `actor`, waiting on the calling thread, with no outcome yet.
    pub(crate) fn new(actor: Actor) -> Arc<Self> {
        Arc::new(Parker {
            actor,
            thread: thread::current(),
            outcome: Mutex::new(None),
        })
    }

    /// Delivers the outcome, caused by an event stamped `at`, and wakes the waiting thread.
    pub(crate) fn wake(&self, outcome: O, at: Stamp) {
        *lock(&self.outcome) = Some((outcome, at));
        self.thread.unpark();
    }

    /// Blocks until an outcome is delivered, then returns it with the waking event's stamp.
    pub(crate) fn park(&self) -> (O, Stamp) {
        loop {
            if let Some(outcome) = lock(&self.outcome).take() {
                return outcome;
            }
            // Returns at once if the wake came first; may also return spuriously.
            thread::park();
        }
    }

    /// Blocks until an outcome is delivered or the shared clock passes `deadline_ms`; `None` on
    /// the deadline (the caller then withdraws the party, or finds it was completed meanwhile).
    pub(crate) fn park_until(&self, deadline_ms: f64) -> Option<(O, Stamp)> {
        loop {
            if let Some(outcome) = lock(&self.outcome).take() {
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
