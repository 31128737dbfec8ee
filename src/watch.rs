//! The watch: what a run's channels and WaitGroup report as they change.
//!
//! A [`Watch`] belongs to one run. It owns the [`Trace`], counts the actors still alive (so the last
//! one out knows the run is over) and totals how long each actor spent blocked. Channels and
//! WaitGroups hold a [`Probe`]: the watch plus the name they report under. A probe made with
//! [`Probe::none`] reports nothing, for channels used on their own.

use crate::actor::Actor;
use crate::clock;
use crate::locks::lock;
use crate::parker::Parker;
use crate::trace::{EventKind, Op, Reason, Resource, Trace};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// Shared observer of one run.
pub struct Watch {
    trace: Trace,
    live: AtomicU32,
    blocked_ms: Mutex<BTreeMap<Actor, f64>>,
}

impl Watch {
    /// A watch for a run starting now; `tracing` turns event recording on or off.
    pub fn new(tracing: bool) -> Arc<Self> {
        Arc::new(Watch {
            trace: Trace::new(tracing),
            live: AtomicU32::new(0),
            blocked_ms: Mutex::new(BTreeMap::new()),
        })
    }

    /// The run's trace.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Records an event by `actor`.
    pub fn record(&self, actor: Actor, kind: EventKind) {
        self.trace.record(actor, kind);
    }

    /// Counts `actors` more live actors; call before any of their threads start.
    pub fn enter(&self, actors: u32) {
        self.live.fetch_add(actors, Ordering::AcqRel);
    }

    /// Records that `actor` exited; returns true when it was the last live actor.
    pub fn exit(&self, actor: Actor) -> bool {
        self.record(actor, EventKind::Exited);
        self.live.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// Total milliseconds `actor` has spent blocked so far.
    pub fn blocked_ms(&self, actor: Actor) -> f64 {
        lock(&self.blocked_ms).get(&actor).copied().unwrap_or(0.0)
    }

    fn add_blocked_ms(&self, actor: Actor, ms: f64) {
        *lock(&self.blocked_ms).entry(actor).or_insert(0.0) += ms;
    }
}

/// What a channel or WaitGroup reports to, and under which name.
#[derive(Clone)]
pub struct Probe {
    target: Option<(Arc<Watch>, Resource)>,
}

impl Probe {
    /// A probe that reports nothing.
    pub fn none() -> Self {
        Probe { target: None }
    }

    /// A probe that reports to `watch` as `resource`.
    pub fn new(watch: &Arc<Watch>, resource: Resource) -> Self {
        Probe {
            target: Some((Arc::clone(watch), resource)),
        }
    }

    fn record(&self, actor: Actor, kind: impl FnOnce(Resource) -> EventKind) {
        if let Some((watch, resource)) = &self.target {
            watch.record(actor, kind(*resource));
        }
    }

    /// A value for `job` entered the channel; `len` is the buffer length after.
    pub(crate) fn sent(&self, actor: Actor, job: u32, len: usize) {
        self.record(actor, |channel| EventKind::Sent {
            channel,
            job,
            len: len as u32,
        });
    }

    /// A value for `job` left the channel; `len` is the buffer length after.
    pub(crate) fn received(&self, actor: Actor, job: u32, len: usize) {
        self.record(actor, |channel| EventKind::Received {
            channel,
            job,
            len: len as u32,
        });
    }

    /// `actor` starts waiting in `op` because of `reason`.
    pub(crate) fn blocked(&self, actor: Actor, op: Op, reason: Reason) {
        self.record(actor, |channel| EventKind::Blocked {
            channel,
            op,
            reason,
        });
    }

    /// `actor`'s waiting `op` was completed by someone else.
    pub(crate) fn unblocked(&self, actor: Actor, op: Op) {
        self.record(actor, |channel| EventKind::Unblocked { channel, op });
    }

    /// `actor` closed the channel.
    pub(crate) fn closed(&self, actor: Actor) {
        self.record(actor, |channel| EventKind::Closed { channel });
    }

    /// Waits for `parker`'s outcome, adding the time spent to its actor's blocked total.
    pub(crate) fn park<O>(&self, parker: &Parker<O>) -> O {
        let Some((watch, _)) = &self.target else {
            return parker.park();
        };
        let since = clock::now_ms();
        let outcome = parker.park();
        watch.add_blocked_ms(parker.actor, clock::now_ms() - since);
        outcome
    }
}
