//! A parked party: one blocked actor waiting for whoever completes its operation to hand it an
//! outcome. Channels and WaitGroups keep queues of these, as Go keeps queues of waiting goroutines,
//! so the party that makes progress possible knows exactly whom it wakes. The outcome travels with
//! the stamp of the event that woke the party, so its next events are stamped after it.

use crate::actor::Actor;
use crate::clock;
use crate::locks::{lock, wait, wait_timeout};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One blocked actor and the slot its outcome is delivered into.
pub(crate) struct Parker<O> {
    /// The actor that is waiting.
    pub(crate) actor: Actor,
    outcome: Mutex<Option<(O, f64)>>,
    ready: Condvar,
}

impl<O> Parker<O> {
    /// A parker for `actor`, with no outcome yet.
    pub(crate) fn new(actor: Actor) -> Arc<Self> {
        Arc::new(Parker {
            actor,
            outcome: Mutex::new(None),
            ready: Condvar::new(),
        })
    }

    /// Delivers the outcome, caused by an event stamped `at`, and wakes the waiting thread.
    pub(crate) fn wake(&self, outcome: O, at: f64) {
        *lock(&self.outcome) = Some((outcome, at));
        self.ready.notify_one();
    }

    /// Blocks until an outcome is delivered, then returns it with the waking event's stamp.
    pub(crate) fn park(&self) -> (O, f64) {
        let mut slot = lock(&self.outcome);
        loop {
            if let Some(outcome) = slot.take() {
                return outcome;
            }
            slot = wait(&self.ready, slot);
        }
    }

    /// Blocks until an outcome is delivered or the shared clock passes `deadline_ms`; `None` on
    /// the deadline (the caller then withdraws the party, or finds it was completed meanwhile).
    pub(crate) fn park_until(&self, deadline_ms: f64) -> Option<(O, f64)> {
        let mut slot = lock(&self.outcome);
        loop {
            if let Some(outcome) = slot.take() {
                return Some(outcome);
            }
            let left = deadline_ms - clock::now_ms();
            if left <= 0.0 {
                return None;
            }
            slot = wait_timeout(&self.ready, slot, Duration::from_secs_f64(left / 1000.0));
        }
    }
}
