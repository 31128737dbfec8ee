//! The watch: what a run's channels and WaitGroup report as they change.
//!
//! A [`Watch`] belongs to one run. It owns the [`Trace`], keeps the deadlock `Detector` (which
//! counts the actors still alive, so the last one out knows the run is over, and those waiting) and
//! totals how long each actor spent blocked on each channel or WaitGroup. When the detector finds
//! a deadlock, the watch calls the run's deadlock handler from a thread that holds no channel
//! lock. Channels and WaitGroups hold a [`Probe`]: the watch, the name they report under, and the
//! notes to add to their operations. A probe made with [`Probe::none`] reports nothing, for
//! channels on their own.

use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::clock;
use crate::observe::deadlock::{Detector, Wait};
use crate::observe::trace::{
    Change, EventKind, Lead, LogBook, Op, Pen, Reason, Resource, Source, Stamp, Tag, Trace,
};
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// What a run does when it deadlocks: tear itself down.
pub type DeadlockHandler = Box<dyn Fn() + Send + Sync>;

/// Shared observer of one run.
pub struct Watch {
    trace: Arc<Trace>,
    detector: Detector,
    on_deadlock: OnceLock<DeadlockHandler>,
    /// Milliseconds blocked, by actor and what it waited on (a short list: a few entries per
    /// actor, searched in place).
    blocked_ms: Mutex<Vec<(Actor, Resource, f64)>>,
}

impl Watch {
    /// A watch for a run starting now; `tracing` turns event recording on or off.
    pub fn new(tracing: bool) -> Arc<Self> {
        Arc::new(Watch {
            trace: Trace::new(tracing),
            detector: Detector::default(),
            on_deadlock: OnceLock::new(),
            blocked_ms: Mutex::new(Vec::new()),
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

    /// Total milliseconds `actor` has spent blocked so far, on anything.
    pub fn blocked_ms(&self, actor: Actor) -> f64 {
        let blocked = lock(&self.blocked_ms);
        let on_anything = blocked.iter().filter(|(who, ..)| *who == actor);
        on_anything.map(|(.., ms)| ms).sum()
    }

    /// Total milliseconds `actor` has spent blocked on `resource` so far (a pipeline stage's
    /// worker: on its input, receiving, or on its output, sending).
    pub fn blocked_ms_on(&self, actor: Actor, resource: Resource) -> f64 {
        let blocked = lock(&self.blocked_ms);
        let on_it = blocked
            .iter()
            .filter(|(who, on, _)| (*who, *on) == (actor, resource));
        on_it.map(|(.., ms)| ms).sum()
    }

    fn add_blocked_ms(&self, actor: Actor, resource: Resource, ms: f64) {
        let mut blocked = lock(&self.blocked_ms);
        match blocked
            .iter_mut()
            .find(|(who, on, _)| (*who, *on) == (actor, resource))
        {
            Some((.., total)) => *total += ms,
            None => blocked.push((actor, resource, ms)),
        }
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
    receive_starts: bool,
    send_finishes: bool,
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
                receive_starts: false,
                send_finishes: false,
            }),
        }
    }

    /// Each receive also means the receiver starts working on the job it took ("started").
    pub fn receive_starts_the_job(mut self) -> Self {
        if let Some(target) = &mut self.target {
            target.receive_starts = true;
        }
        self
    }

    /// Each send also means the sender has just finished the job it sends ("finished").
    pub fn send_finishes_the_job(mut self) -> Self {
        if let Some(target) = &mut self.target {
            target.send_finishes = true;
        }
        self
    }

    /// Whether the owner's operations write trace entries. Those that do must happen under the
    /// owner's lock (the stamp protocol); the others may skip it when no party waits.
    pub(crate) fn traces(&self) -> bool {
        self.target
            .as_ref()
            .is_some_and(|t| t.watch.trace().is_enabled())
    }

    /// Adds the owner's book to the trace, if anyone is watching.
    pub(crate) fn register(&self, source: Weak<dyn Source>) {
        if let Some(target) = &self.target {
            target.watch.trace().register(target.resource, source);
        }
    }

    /// The calling thread's pen for one operation on the owner: take it before the owner's lock,
    /// drop it after (or hand it to [`Probe::wait`]).
    pub(crate) fn pen(&self) -> Pen<'_> {
        match &self.target {
            Some(t) => t.watch.trace().pen(),
            None => Pen::idle(),
        }
    }

    #[inline(always)]
    fn record(&self, pen: &mut Pen<'_>, book: &mut LogBook, actor: Actor, note: Note) -> Stamp {
        match &self.target {
            Some(t) => {
                let Note { kind, lead, starts } = note;
                if lead == Lead::Unblocked {
                    t.watch.detector.woken(actor);
                }
                pen.record(book, actor, kind, lead, starts && t.receive_starts)
            }
            None => 0,
        }
    }

    /// What comes before the sender's own first event of a send of `tag`: "finished", if sending
    /// on this channel means the job is done.
    pub(crate) fn send_lead(&self, tag: Tag) -> Lead {
        match &self.target {
            Some(t) if t.send_finishes => Lead::Finished { failed: tag.failed },
            _ => Lead::Nothing,
        }
    }

    /// `actor` finished the job `tag` describes, and its send will not record `Sent` at once
    /// (it fails or waits); nothing if `lead` is not "finished".
    pub(crate) fn finished(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        tag: Tag,
        lead: Lead,
    ) {
        if let Lead::Finished { failed } = lead {
            let job = tag.job;
            self.record(
                pen,
                book,
                actor,
                Note::plain(Change::Finished { job, failed }),
            );
        }
    }

    /// A value for `job` entered the channel, `lead` first: into the buffer if `buffered`, else
    /// straight into a waiting receiver's hands. Returns the stamp.
    pub(crate) fn sent(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        job: u32,
        buffered: bool,
        lead: Lead,
    ) -> Stamp {
        let note = Note {
            kind: Change::Sent { job, buffered },
            lead,
            starts: false,
        };
        self.record(pen, book, actor, note)
    }

    /// A value for `job` left the channel: out of the buffer if `buffered`, else straight from a
    /// sender; `woken` when this completes the receiver's wait. Returns the stamp.
    pub(crate) fn received(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        job: u32,
        buffered: bool,
        woken: bool,
    ) -> Stamp {
        let note = Note {
            kind: Change::Received { job, buffered },
            lead: if woken {
                Lead::Unblocked
            } else {
                Lead::Nothing
            },
            starts: true,
        };
        self.record(pen, book, actor, note)
    }

    /// `actor` starts waiting in `op` because of `reason`.
    pub(crate) fn blocked(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        op: Op,
        reason: Reason,
    ) {
        if let Some(target) = &self.target {
            target.watch.detector.blocked(Wait {
                actor,
                op,
                channel: target.resource,
                reason,
            });
        }
        self.blocked_timed(pen, book, actor, op, reason);
    }

    /// `actor` starts a wait that ends by itself at a deadline (a timed receive): recorded like
    /// [`Probe::blocked`] (which records through it), but not counted as waiting, since it cannot
    /// be stuck for good.
    pub(crate) fn blocked_timed(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        op: Op,
        reason: Reason,
    ) {
        self.record(
            pen,
            book,
            actor,
            Note::plain(Change::Blocked { op, reason }),
        );
    }

    /// `actor`'s waiting `op` was completed by someone else without a value changing hands;
    /// returns the stamp.
    pub(crate) fn unblocked(
        &self,
        pen: &mut Pen<'_>,
        book: &mut LogBook,
        actor: Actor,
        op: Op,
    ) -> Stamp {
        if let Some(target) = &self.target {
            target.watch.detector.woken(actor);
        }
        self.record(pen, book, actor, Note::plain(Change::Unblocked { op }))
    }

    /// `actor` closed the channel.
    pub(crate) fn closed(&self, pen: &mut Pen<'_>, book: &mut LogBook, actor: Actor) {
        self.record(pen, book, actor, Note::plain(Change::Closed));
    }

    /// Waits for `actor`'s outcome: `wait` blocks until whoever completes its operation hands
    /// the outcome over, with the stamp of the event that woke it. Adds the time spent to the
    /// actor's blocked total and stamps its next events after that event. Call it after
    /// releasing the owner's lock: if this actor's wait completed a deadlock, it first tears the
    /// run down.
    pub(crate) fn wait<O>(
        &self,
        actor: Actor,
        pen: Pen<'_>,
        wait: impl FnOnce() -> (O, Stamp),
    ) -> O {
        pen.put_down();
        let Some(target) = &self.target else {
            return wait().0;
        };
        if target.watch.detector.take_announcement() {
            target.watch.handle_deadlock();
        }
        let since = clock::now_ms();
        let (outcome, woken_at) = wait();
        let now = clock::now_ms();
        target
            .watch
            .add_blocked_ms(actor, target.resource, now - since);
        target.watch.trace().woken(woken_at, now);
        outcome
    }
}

/// One entry for the trace, before it is stamped.
struct Note {
    kind: Change,
    lead: Lead,
    /// A receive by a worker: it starts the job (if the channel says receives do).
    starts: bool,
}

impl Note {
    fn plain(kind: Change) -> Self {
        Note {
            kind,
            lead: Lead::Nothing,
            starts: false,
        }
    }
}
