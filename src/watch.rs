//! The watch: what a run's channels and WaitGroup report as they change.
//!
//! A [`Watch`] belongs to one run. It owns the [`Trace`], counts the actors still alive (so the last
//! one out knows the run is over) and totals how long each actor spent blocked. Channels and
//! WaitGroups hold a [`Probe`]: the watch, the name they report under and a log of their own in the
//! trace. A probe made with [`Probe::none`] reports nothing, for channels used on their own.

use crate::actor::Actor;
use crate::clock;
use crate::locks::lock;
use crate::parker::Parker;
use crate::trace::{EventKind, Log, Op, Reason, Resource, Trace};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// Shared observer of one run.
pub struct Watch {
    trace: Arc<Trace>,
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
    pub fn trace(&self) -> &Arc<Trace> {
        &self.trace
    }

    /// Counts `actors` more live actors; call before any of their threads start.
    pub fn enter(&self, actors: u32) {
        self.live.fetch_add(actors, Ordering::AcqRel);
    }

    /// Records in `log` that `actor` exited; returns true when it was the last live actor.
    pub fn exit(&self, log: &Log, actor: Actor) -> bool {
        log.record(actor, EventKind::Exited);
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
    target: Option<Target>,
}

#[derive(Clone)]
struct Target {
    watch: Arc<Watch>,
    resource: Resource,
    log: Log,
}

impl Probe {
    /// A probe that reports nothing.
    pub fn none() -> Self {
        Probe { target: None }
    }

    /// A probe that reports to `watch` as `resource`, in a log of its own.
    pub fn new(watch: &Arc<Watch>, resource: Resource) -> Self {
        Probe {
            target: Some(Target {
                watch: Arc::clone(watch),
                resource,
                log: watch.trace().log(),
            }),
        }
    }

    /// Records an event; returns its stamp (0 when nothing is recorded).
    fn record(&self, actor: Actor, kind: impl FnOnce(Resource) -> EventKind) -> f64 {
        match &self.target {
            Some(target) => target.log.record(actor, kind(target.resource)),
            None => 0.0,
        }
    }

    /// A value for `job` entered the channel; `len` is the buffer length after. Returns the stamp.
    pub(crate) fn sent(&self, actor: Actor, job: u32, len: usize) -> f64 {
        self.record(actor, |channel| EventKind::Sent {
            channel,
            job,
            len: len as u32,
        })
    }

    /// A value for `job` left the channel; `len` is the buffer length after. Returns the stamp.
    pub(crate) fn received(&self, actor: Actor, job: u32, len: usize) -> f64 {
        self.record(actor, |channel| EventKind::Received {
            channel,
            job,
            len: len as u32,
        })
    }

    /// `actor` starts waiting in `op` because of `reason`.
    pub(crate) fn blocked(&self, actor: Actor, op: Op, reason: Reason) {
        self.record(actor, |channel| EventKind::Blocked {
            channel,
            op,
            reason,
        });
    }

    /// `actor`'s waiting `op` was completed by someone else; returns the stamp to hand it.
    pub(crate) fn unblocked(&self, actor: Actor, op: Op) -> f64 {
        self.record(actor, |channel| EventKind::Unblocked { channel, op })
    }

    /// `actor` closed the channel.
    pub(crate) fn closed(&self, actor: Actor) {
        self.record(actor, |channel| EventKind::Closed { channel });
    }

    /// Waits for `parker`'s outcome; adds the time spent to its actor's blocked total and stamps
    /// the actor's next events after the one that woke it.
    pub(crate) fn park<O>(&self, parker: &Parker<O>) -> O {
        let Some(target) = &self.target else {
            return parker.park().0;
        };
        let since = clock::now_ms();
        let (outcome, woken_at) = parker.park();
        target
            .watch
            .add_blocked_ms(parker.actor, clock::now_ms() - since);
        target.log.observe(woken_at);
        outcome
    }
}
