//! The watch: what a run's channels and WaitGroup report as they change.
//!
//! A [`Watch`] belongs to one run. It owns the [`Trace`], keeps the deadlock [`Detector`] (which
//! counts the actors still alive, so the last one out knows the run is over, and those waiting) and
//! totals how long each actor spent blocked. When the detector finds a deadlock, the watch calls
//! the run's deadlock handler from a thread that holds no channel lock. Channels and
//! WaitGroups hold a [`Probe`]: the watch, the name they report under, and the notes to add to
//! their operations. A probe made with [`Probe::none`] reports nothing, for channels on their own.

use crate::actor::Actor;
use crate::clock;
use crate::deadlock::{Detector, Wait};
use crate::locks::lock;
use crate::parker::Parker;
use crate::trace::{EventKind, LogBook, Op, Reason, Resource, Source, Tag, Trace};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// What a run does when it deadlocks: tear itself down.
pub type DeadlockHandler = Box<dyn Fn() + Send + Sync>;

/// Shared observer of one run.
pub struct Watch {
    trace: Arc<Trace>,
    detector: Detector,
    on_deadlock: OnceLock<DeadlockHandler>,
    blocked_ms: Mutex<BTreeMap<Actor, f64>>,
}

impl Watch {
    /// A watch for a run starting now; `tracing` turns event recording on or off.
    pub fn new(tracing: bool) -> Arc<Self> {
        Arc::new(Watch {
            trace: Trace::new(tracing),
            detector: Detector::default(),
            on_deadlock: OnceLock::new(),
            blocked_ms: Mutex::new(BTreeMap::new()),
        })
    }

    /// The run's trace.
    pub fn trace(&self) -> &Arc<Trace> {
        &self.trace
    }

    /// Counts `actors` more live actors; call before any of their threads start.
    pub fn enter(&self, actors: u32) {
        self.detector.enter(actors);
    }

    /// Records that `actor` exited; returns true when it was the last live actor.
    pub fn exit(&self, actor: Actor) -> bool {
        self.trace.record_own(actor, EventKind::Exited);
        let departure = self.detector.exit();
        if departure.deadlocked {
            self.handle_deadlock();
        }
        departure.last
    }

    /// Sets what to do on a deadlock (once; later calls are ignored).
    pub fn on_deadlock(&self, handler: DeadlockHandler) {
        let _ = self.on_deadlock.set(handler);
    }

    /// Stops looking for deadlocks: the run is being torn down for another reason.
    pub fn disarm(&self) {
        self.detector.disarm();
    }

    /// Who waited on what, if the run deadlocked.
    pub fn deadlock(&self) -> Option<Vec<Wait>> {
        self.detector.verdict()
    }

    fn handle_deadlock(&self) {
        if let Some(handler) = self.on_deadlock.get() {
            handler();
        }
    }

    /// Total milliseconds `actor` has spent blocked so far.
    pub fn blocked_ms(&self, actor: Actor) -> f64 {
        lock(&self.blocked_ms).get(&actor).copied().unwrap_or(0.0)
    }

    fn add_blocked_ms(&self, actor: Actor, ms: f64) {
        *lock(&self.blocked_ms).entry(actor).or_insert(0.0) += ms;
    }
}

/// What a channel or WaitGroup reports to, and under which name. Its methods take the owner's
/// [`LogBook`], which the owner keeps in its locked state.
#[derive(Clone)]
pub struct Probe {
    target: Option<Target>,
}

#[derive(Clone)]
struct Target {
    watch: Arc<Watch>,
    resource: Resource,
    after_receive: Option<fn(u32) -> EventKind>,
    before_send: Option<fn(Tag) -> EventKind>,
}

impl Probe {
    /// A probe that reports nothing.
    pub fn none() -> Self {
        Probe { target: None }
    }

    /// A probe that reports to `watch` as `resource`.
    pub fn new(watch: &Arc<Watch>, resource: Resource) -> Self {
        Probe {
            target: Some(Target {
                watch: Arc::clone(watch),
                resource,
                after_receive: None,
                before_send: None,
            }),
        }
    }

    /// Also records `note(job)` by the receiver right after each receive (say, "started").
    pub fn after_receive(mut self, note: fn(u32) -> EventKind) -> Self {
        if let Some(target) = &mut self.target {
            target.after_receive = Some(note);
        }
        self
    }

    /// Also records `note(tag)` by the sender as each send begins (say, "finished").
    pub fn before_send(mut self, note: fn(Tag) -> EventKind) -> Self {
        if let Some(target) = &mut self.target {
            target.before_send = Some(note);
        }
        self
    }

    /// Adds the owner's book to the trace, if anyone is watching.
    pub(crate) fn register(&self, source: Weak<dyn Source>) {
        if let Some(target) = &self.target {
            target.watch.trace().register(source);
        }
    }

    fn record(
        &self,
        book: &mut LogBook,
        actor: Actor,
        fresh: bool,
        kind: impl FnOnce(Resource) -> EventKind,
    ) -> f64 {
        match &self.target {
            Some(t) => t.watch.trace().record(book, actor, kind(t.resource), fresh),
            None => 0.0,
        }
    }

    /// `actor` begins sending the value `tag` describes.
    pub(crate) fn sending(&self, book: &mut LogBook, actor: Actor, tag: Tag) {
        if let Some(note) = self.target.as_ref().and_then(|t| t.before_send) {
            self.record(book, actor, true, |_| note(tag));
        }
    }

    /// A value for `job` entered the channel; `len` is the buffer length after. Returns the stamp.
    pub(crate) fn sent(&self, book: &mut LogBook, actor: Actor, job: u32, len: usize) -> f64 {
        self.record(book, actor, false, |channel| EventKind::Sent {
            channel,
            job,
            len: len as u32,
        })
    }

    /// A value for `job` left the channel; `len` is the buffer length after. Returns the stamp of
    /// the last event recorded for the receiver.
    pub(crate) fn received(&self, book: &mut LogBook, actor: Actor, job: u32, len: usize) -> f64 {
        let t = self.record(book, actor, false, |channel| EventKind::Received {
            channel,
            job,
            len: len as u32,
        });
        match self.target.as_ref().and_then(|t| t.after_receive) {
            Some(note) => self.record(book, actor, false, |_| note(job)),
            None => t,
        }
    }

    /// `actor` starts waiting in `op` because of `reason`.
    pub(crate) fn blocked(&self, book: &mut LogBook, actor: Actor, op: Op, reason: Reason) {
        if let Some(target) = &self.target {
            target.watch.detector.blocked(Wait {
                actor,
                op,
                channel: target.resource,
                reason,
            });
        }
        self.record(book, actor, false, |channel| EventKind::Blocked {
            channel,
            op,
            reason,
        });
    }

    /// `actor` starts a wait that ends by itself at a deadline (a timed receive): recorded like
    /// [`Probe::blocked`], but not counted as waiting, since it cannot be stuck for good.
    pub(crate) fn blocked_timed(&self, book: &mut LogBook, actor: Actor, op: Op, reason: Reason) {
        self.record(book, actor, false, |channel| EventKind::Blocked {
            channel,
            op,
            reason,
        });
    }

    /// `actor`'s waiting `op` was completed by someone else; returns the stamp.
    pub(crate) fn unblocked(&self, book: &mut LogBook, actor: Actor, op: Op) -> f64 {
        if let Some(target) = &self.target {
            target.watch.detector.woken(actor);
        }
        self.record(book, actor, false, |channel| EventKind::Unblocked {
            channel,
            op,
        })
    }

    /// `actor` closed the channel.
    pub(crate) fn closed(&self, book: &mut LogBook, actor: Actor) {
        self.record(book, actor, false, |channel| EventKind::Closed { channel });
    }

    /// Waits for `parker`'s outcome; adds the time spent to its actor's blocked total and stamps
    /// the actor's next events after the one that woke it. Call it after releasing the owner's
    /// lock: if this actor's wait completed a deadlock, it first tears the run down.
    pub(crate) fn park<O>(&self, parker: &Parker<O>) -> O {
        self.wait_for(parker, || parker.park())
    }

    /// Like [`Probe::park`], but once the clock passes `deadline_ms` it calls `withdraw` (which
    /// takes the owner's lock): that returns the outcome of giving up, or `None` when someone
    /// completed the operation meanwhile, whose outcome is then taken.
    pub(crate) fn park_until<O>(
        &self,
        parker: &Parker<O>,
        deadline_ms: f64,
        withdraw: impl FnOnce() -> Option<(O, f64)>,
    ) -> O {
        self.wait_for(parker, || {
            parker
                .park_until(deadline_ms)
                .or_else(withdraw)
                .unwrap_or_else(|| parker.park())
        })
    }

    fn wait_for<O>(&self, parker: &Parker<O>, wait: impl FnOnce() -> (O, f64)) -> O {
        let Some(target) = &self.target else {
            return wait().0;
        };
        if target.watch.detector.take_announcement() {
            target.watch.handle_deadlock();
        }
        let since = clock::now_ms();
        let (outcome, woken_at) = wait();
        target
            .watch
            .add_blocked_ms(parker.actor, clock::now_ms() - since);
        target.watch.trace().observe(woken_at);
        outcome
    }
}
