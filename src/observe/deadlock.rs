//! Deadlock detection, as Go's runtime does it: the run is deadlocked when every live actor is
//! blocked on a channel or WaitGroup operation.
//!
//! The count is exact, so no confirmation delay is needed. An actor is *waiting* from the moment
//! it queues itself on a channel or WaitGroup (under that object's lock) until another actor
//! completes its operation (under the same lock): at that hand-off it counts as runnable again,
//! before its thread even wakes. Sleeping or working actors (long jobs, a slow consumer) are not
//! waiting. Live actors and waiting actors change under one lock, so a verdict always describes
//! one moment, and once every live actor waits nobody is left to change that. The verdict is
//! latched, and a detector is disarmed before a run is torn down for another reason (its cascade
//! of releases passes through states that would otherwise look like one).

use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::trace::{Op, Reason, Resource};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One blocked actor: what it waits for, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Wait {
    /// Who waits.
    pub actor: Actor,
    /// The operation it is blocked in.
    pub op: Op,
    /// The channel or WaitGroup it waits on.
    pub channel: Resource,
    /// Why the operation could not complete.
    pub reason: Reason,
}

/// What an actor's exit left behind.
pub(crate) struct Departure {
    /// It was the last live actor: the run is over.
    pub(crate) last: bool,
    /// It left every live actor waiting: a deadlock the caller must announce.
    pub(crate) deadlocked: bool,
}

/// Counts live and waiting actors of one run and notices when they are equal.
#[derive(Default)]
pub(crate) struct Detector {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    live: u32,
    waiting: BTreeMap<Actor, Wait>,
    disarmed: bool,
    verdict: Option<Vec<Wait>>,
    unannounced: bool,
}

impl State {
    /// Latches the verdict if every live actor waits.
    fn judge(&mut self) {
        if self.disarmed || self.verdict.is_some() || self.live == 0 {
            return;
        }
        if self.waiting.len() == self.live as usize {
            self.verdict = Some(self.waiting.values().copied().collect());
            self.unannounced = true;
        }
    }
}

impl Detector {
    /// Counts `actors` more live actors.
    pub(crate) fn enter(&self, actors: u32) {
        lock(&self.state).live += actors;
    }

    /// An actor exited.
    pub(crate) fn exit(&self) -> Departure {
        let mut state = lock(&self.state);
        state.live -= 1;
        state.judge();
        Departure {
            last: state.live == 0,
            deadlocked: std::mem::take(&mut state.unannounced),
        }
    }

    /// `wait.actor` queued itself; call under the lock of the object it waits on.
    pub(crate) fn blocked(&self, wait: Wait) {
        let mut state = lock(&self.state);
        state.waiting.insert(wait.actor, wait);
        state.judge();
    }

    /// `actor`'s operation was completed by someone else; call under the same lock.
    pub(crate) fn woken(&self, actor: Actor) {
        lock(&self.state).waiting.remove(&actor);
    }

    /// Returns true exactly once after a deadlock is detected: the caller must end the run. Call
    /// it without holding any channel's lock.
    pub(crate) fn take_announcement(&self) -> bool {
        std::mem::take(&mut lock(&self.state).unannounced)
    }

    /// Stops judging: the run is being torn down for another reason.
    pub(crate) fn disarm(&self) {
        lock(&self.state).disarmed = true;
    }

    /// Who waited on what when the deadlock was detected, if it was.
    pub(crate) fn verdict(&self) -> Option<Vec<Wait>> {
        lock(&self.state).verdict.clone()
    }
}
