//! The trace: a timestamped event for every state change the page draws.
//!
//! Events are kept in [`LogBook`]s. Each channel and WaitGroup keeps one inside its own state and
//! writes to it while it holds its lock anyway, so recording takes no lock of its own and each book
//! is in the exact order of its object's changes; the rare rest (an actor exiting, a shutdown, the
//! run ending) goes into the trace's own book. The [`Trace`] knows every book as a [`Source`]. A
//! book has a column per writing thread (one per actor), so while a run is busy no entry's memory
//! moves between cores; columns are merged by stamp when the trace is drained.
//!
//! A book holds compact entries, not [`Event`]s: one entry is what one actor did in one critical
//! section, which is often more than one event. A worker's "started" is implied by its receive
//! from the jobs channel and its "finished" by the send of its result; a woken actor's "unblocked"
//! is implied by the hand-off that woke it. The drain expands each entry into its events, so the
//! channels' critical sections write four entries per job instead of six events, and every
//! conversion happens outside their locks.
//!
//! Stamps are Lamport-style, in whole nanoseconds since the run started: the clock's reading,
//! raised if needed above the writing thread's previous stamp and the book's previous stamp (which
//! the drain raises too); a woken actor adopts the stamp of whoever woke it. So when one event
//! precedes another on the same thread, on the same object or through a hand-off, its stamp is
//! strictly smaller, and sorting by stamp gives an order in which replaying reproduces every
//! channel exactly and no actor acts out of turn. The events of one entry share its nanosecond, a
//! quarter nanosecond apart.
//!
//! The clock is never read inside a critical section, and rarely at all (a reading costs about
//! 0.2 µs in a browser): a thread reads it after every wait and every sleep, after a job's real
//! work (simulated work hands over the reading that ended its sleep), and once its reading has
//! served 256 operations; in between it advances a nanosecond per entry (browsers
//! coarsen clocks to 5 µs anyway). A thread's stamping state lives in a thread-local, taken out
//! into a `Pen` for the length of one operation, so an operation touches it twice however many
//! entries it writes.
//!
//! [`Trace::drain`] works in two passes: it reads the newest stamp of every book, then takes from
//! each book exactly the entries up to the highest, raising the book's last stamp to it so every
//! later entry is stamped above. Each batch is therefore complete up to its last stamp, and later
//! batches hold only later stamps. Taking swaps buffers, so a book's lock is held for a moment
//! only; [`Trace::discard`] takes the same way but only counts the events.

use crate::actor::{self, Actor};
use crate::clock;
use crate::locks::lock;
use crate::shutdown::{Mode, Stage};
use serde::Serialize;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// A stamp: whole nanoseconds since the trace's time zero, raised Lamport-style.
pub(crate) type Stamp = u64;

/// Stamps per millisecond.
const NS_PER_MS: f64 = 1e6;
/// How far apart, in ms, the events of one entry are (a quarter of a stamp).
const EVENT_STEP_MS: f64 = 0.25 / NS_PER_MS;
/// Operations a thread may stamp from one clock reading.
const OPS_PER_READING: u16 = 256;

/// Something an actor can block on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Resource {
    /// The jobs channel, producer to workers.
    Jobs,
    /// The results channel, workers to consumer.
    Results,
    /// The WaitGroup counting running workers.
    WaitGroup,
}

/// The operation an actor is blocked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// A channel send.
    Send,
    /// A channel receive.
    Recv,
    /// `WaitGroup::wait`.
    Wait,
}

/// Why an operation could not complete at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// Send on a buffered channel whose buffer is full.
    Full,
    /// Receive on a buffered channel whose buffer is empty.
    Empty,
    /// Send or receive on an unbuffered channel with no partner waiting.
    Rendezvous,
    /// Wait on a WaitGroup whose counter is above zero.
    Counter,
}

/// The two sides of a comparison, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// One task per job, all at once.
    Unbounded,
    /// A fixed pool of workers.
    Pool,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Every job went through and every actor exited normally.
    Completed,
    /// The run was cancelled before it completed.
    Cancelled,
    /// An actor did what Go punishes with a panic (say, sent on a closed channel).
    Panic,
    /// Every live actor was blocked on an operation no other actor could complete.
    Deadlock,
}

/// What a channel knows about a value it carries: the job it belongs to and, for a result,
/// whether the job failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The job's number.
    pub job: u32,
    /// Whether the value is a failed job's error.
    pub failed: bool,
}

impl Tag {
    /// The tag of a value that belongs to `job` and is not a failure.
    pub fn new(job: u32) -> Self {
        Tag { job, failed: false }
    }
}

/// What happened, without when and who.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EventKind {
    /// A value entered `channel` (its buffer, or a receiver's hands); `len` is the buffer after.
    Sent {
        channel: Resource,
        job: u32,
        len: u32,
    },
    /// A value left `channel`; `len` is the buffer after.
    Received {
        channel: Resource,
        job: u32,
        len: u32,
    },
    /// The actor could not complete `op` on `channel` and is now waiting.
    Blocked {
        channel: Resource,
        op: Op,
        reason: Reason,
    },
    /// Another actor (or the run's end) completed the actor's waiting `op`.
    Unblocked { channel: Resource, op: Op },
    /// `channel` was closed.
    Closed { channel: Resource },
    /// A worker began working on `job`.
    Started { job: u32 },
    /// A worker finished working on `job`; `failed` when the work returned an error.
    Finished {
        job: u32,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        failed: bool,
    },
    /// A shutdown began (`requested`) or its grace period ran out (`forced`).
    Shutdown { mode: Mode, stage: Stage },
    /// An ordered run's consumer released `job` from its reorder buffer; `held` results wait on.
    Delivered { job: u32, held: u32 },
    /// Attempt `attempt` of `job` failed; the worker waits `ms` before the next. (The last
    /// attempt's error is in the result.)
    Backoff { job: u32, attempt: u32, ms: f64 },
    /// A worker begins attempt `attempt` (from 2) of `job`; the first begins at `started`.
    Attempt { job: u32, attempt: u32 },
    /// The scaler started a worker because `queued` jobs waited; `workers` run now.
    Scaled { workers: u16, queued: u32 },
    /// A worker idled out and retired; `workers` run now.
    Retired { workers: u16 },
    /// One side of a comparison begins, with `workers` workers (or tasks).
    Phase { phase: Phase, workers: u32 },
    /// The actor's thread returned to the pool.
    Exited,
    /// The run is over; every actor has exited.
    Ended { outcome: Outcome },
}

/// One event: when (ms since the run started), who, what.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Milliseconds since the run started, on the clock all threads share.
    pub t: f64,
    /// Who acted.
    pub actor: Actor,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What a channel or WaitGroup records: the main event of a book's entry, limited to the kinds a
/// channel or WaitGroup produces; the rare rest (retries, scaling, exits) are whole [`EventKind`]s
/// in the trace's own book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// [`EventKind::Sent`].
    Sent {
        channel: Resource,
        job: u32,
        len: u32,
    },
    /// [`EventKind::Received`].
    Received {
        channel: Resource,
        job: u32,
        len: u32,
    },
    /// [`EventKind::Blocked`].
    Blocked {
        channel: Resource,
        op: Op,
        reason: Reason,
    },
    /// [`EventKind::Unblocked`].
    Unblocked { channel: Resource, op: Op },
    /// [`EventKind::Closed`].
    Closed { channel: Resource },
    /// [`EventKind::Finished`], when the send it goes with records nothing at once.
    Finished { job: u32, failed: bool },
}

impl From<Change> for EventKind {
    fn from(change: Change) -> Self {
        match change {
            Change::Sent { channel, job, len } => EventKind::Sent { channel, job, len },
            Change::Received { channel, job, len } => EventKind::Received { channel, job, len },
            Change::Blocked {
                channel,
                op,
                reason,
            } => EventKind::Blocked {
                channel,
                op,
                reason,
            },
            Change::Unblocked { channel, op } => EventKind::Unblocked { channel, op },
            Change::Closed { channel } => EventKind::Closed { channel },
            Change::Finished { job, failed } => EventKind::Finished { job, failed },
        }
    }
}

/// What an entry records before its main event: the same actor, the same critical section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lead {
    /// Nothing: the entry is its main event (and "started", if it says so).
    Nothing,
    /// The actor finished the job whose result the main event (`Sent`) sends.
    Finished {
        /// Whether the job's result is an error.
        failed: bool,
    },
    /// The actor's wait was completed by the main event (`Sent` or `Received`).
    Unblocked,
}

/// One actor's events in one critical section: the lead, the main event, then "started" when
/// `starts` (a worker begins the job it received).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    at: Stamp,
    actor: Actor,
    change: Change,
    lead: Lead,
    starts: bool,
}

impl Entry {
    /// How many events the entry stands for.
    fn events(&self) -> usize {
        1 + usize::from(self.lead != Lead::Nothing) + usize::from(self.starts)
    }

    /// Appends the entry's events, a quarter nanosecond apart.
    fn expand(&self, out: &mut Vec<Event>) {
        let mut t = self.at as f64 / NS_PER_MS;
        let mut push = |kind| {
            out.push(Event {
                t,
                actor: self.actor,
                kind,
            });
            t += EVENT_STEP_MS;
        };
        match (self.lead, self.change) {
            (Lead::Nothing, _) => {}
            (Lead::Finished { failed }, Change::Sent { job, .. }) => {
                push(EventKind::Finished { job, failed });
            }
            (Lead::Unblocked, Change::Sent { channel, .. }) => push(EventKind::Unblocked {
                channel,
                op: Op::Send,
            }),
            (Lead::Unblocked, Change::Received { channel, .. }) => {
                push(EventKind::Unblocked {
                    channel,
                    op: Op::Recv,
                });
            }
            (lead, change) => unreachable!("{lead:?} never leads {change:?}"),
        }
        push(self.change.into());
        if let (true, Change::Received { job, .. }) = (self.starts, self.change) {
            push(EventKind::Started { job });
        }
    }
}

/// Events recorded on one object: its entries, a column per writing thread, and its newest stamp.
/// The object keeps the book in its locked state, so writing costs no lock of its own; and since
/// each thread writes its own column, no entry's memory moves between cores while a run is busy.
#[derive(Debug, Default)]
pub struct LogBook {
    last: Stamp,
    columns: Vec<Column>,
}

/// One writer's entries in a book, in stamp order. Aligned to a cache line, so writers of
/// neighbouring columns do not share one.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Column {
    entries: Vec<Entry>,
}

impl LogBook {
    /// Adds an entry to `writer`'s column.
    fn push(&mut self, writer: u32, entry: Entry) {
        let writer = writer as usize;
        if self.columns.len() <= writer {
            self.columns.resize_with(writer + 1, Column::default);
        }
        self.columns[writer].entries.push(entry);
    }

    /// Moves the entries stamped up to `until` into `taken` (one buffer per column, each empty),
    /// swapping buffers so the book keeps the capacity, and makes every later entry come after
    /// `until`.
    fn take_until(&mut self, until: Stamp, taken: &mut Vec<Vec<Entry>>) {
        self.last = self.last.max(until);
        taken.resize_with(self.columns.len(), Vec::new);
        for (column, out) in self.columns.iter_mut().zip(taken.iter_mut()) {
            let split = column.entries.partition_point(|e| e.at <= until);
            out.extend_from_slice(&column.entries[split..]);
            column.entries.truncate(split);
            std::mem::swap(&mut column.entries, out);
        }
    }
}

/// The trace's own book: rare events that belong to no object, with their stamps.
#[derive(Default)]
struct OwnBook {
    last: Stamp,
    events: Vec<(Stamp, Event)>,
}

/// An object that keeps a [`LogBook`] behind its own lock.
pub trait Source: Send + Sync {
    /// Runs `f` on the book with the owner's lock held.
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook));
}

/// A book the trace reads, and the buffers its columns' entries are taken into.
struct Registered {
    source: Weak<dyn Source>,
    taken: Vec<Vec<Entry>>,
}

/// The events of one run: the books that hold them.
pub struct Trace {
    enabled: bool,
    id: u64,
    origin_ms: f64,
    sources: Mutex<Vec<Registered>>,
    own: Mutex<OwnBook>,
}

/// A thread's stamping state for the trace it last wrote to.
#[derive(Clone, Copy)]
struct ThreadClock {
    trace: u64,
    /// The thread's column in every book: one per actor.
    column: u32,
    /// The thread's newest stamp.
    last: Stamp,
    /// The thread's newest clock reading.
    reading: Stamp,
    /// Operations that may still be stamped from `reading`.
    reuses_left: u16,
}

impl ThreadClock {
    /// The state of a thread that has written to no trace.
    const IDLE: ThreadClock = ThreadClock {
        trace: 0,
        column: 0,
        last: 0,
        reading: 0,
        reuses_left: 0,
    };
}

thread_local! {
    static THREAD_CLOCK: Cell<ThreadClock> = const { Cell::new(ThreadClock::IDLE) };
}

/// A thread's stamping state, taken out of the thread for one operation (see [`Trace::pen`]).
pub(crate) struct Pen<'a> {
    trace: Option<&'a Trace>,
    clock: ThreadClock,
}

impl Pen<'_> {
    /// A pen that records nothing, for an object no trace watches.
    pub(crate) fn idle() -> Pen<'static> {
        Pen {
            trace: None,
            clock: ThreadClock::IDLE,
        }
    }

    /// Records in `book` (whose owner's lock the caller holds) that `actor` did `kind`, preceded
    /// by `lead` and followed by "started" if `starts`. Returns the entry's stamp (0 when tracing
    /// is off).
    pub(crate) fn record(
        &mut self,
        book: &mut LogBook,
        actor: Actor,
        change: Change,
        lead: Lead,
        starts: bool,
    ) -> Stamp {
        if self.trace.is_none() {
            return 0;
        }
        let at = self.stamp(book.last);
        book.last = at;
        book.push(
            self.clock.column,
            Entry {
                at,
                actor,
                change,
                lead,
                starts,
            },
        );
        at
    }

    /// A stamp after `floor`, the thread's last stamp and its clock reading.
    fn stamp(&mut self, floor: Stamp) -> Stamp {
        let clock = &mut self.clock;
        clock.last = clock.reading.max(clock.last + 1).max(floor + 1);
        clock.last
    }

    /// Gives the thread its state back; call before the thread waits.
    pub(crate) fn put_down(self) {}
}

impl Drop for Pen<'_> {
    fn drop(&mut self) {
        let Some(trace) = self.trace else {
            return;
        };
        let clock = &mut self.clock;
        clock.reuses_left = clock.reuses_left.saturating_sub(1);
        if clock.reuses_left == 0 {
            clock.reading = trace.stamp_of(clock::now_ms());
            clock.reuses_left = OPS_PER_READING;
        }
        THREAD_CLOCK.set(*clock);
    }
}

static NEXT_TRACE_ID: AtomicU64 = AtomicU64::new(1);

/// The column an actor's thread writes in.
fn column_of(actor: Actor) -> u32 {
    match actor {
        Actor::Main => 0,
        Actor::Producer => 1,
        Actor::Closer => 2,
        Actor::Consumer => 3,
        Actor::Scaler => 4,
        // Per-job tasks share one: a column only keeps writers' memory apart, and a book's
        // entries are in stamp order whoever writes them.
        Actor::Task(_) => 5,
        Actor::Worker(k) => 5 + u32::from(k),
    }
}

impl Trace {
    /// A trace whose time zero is now; when `enabled` is false it records nothing.
    pub fn new(enabled: bool) -> Arc<Self> {
        Arc::new(Trace {
            enabled,
            id: NEXT_TRACE_ID.fetch_add(1, Ordering::Relaxed),
            origin_ms: clock::now_ms(),
            sources: Mutex::new(Vec::new()),
            own: Mutex::new(OwnBook::default()),
        })
    }

    /// Adds a book to the trace; it is read for as long as its owner lives.
    pub fn register(&self, source: Weak<dyn Source>) {
        lock(&self.sources).push(Registered {
            source,
            taken: Vec::new(),
        });
    }

    /// Milliseconds since the trace's time zero.
    pub fn elapsed_ms(&self) -> f64 {
        clock::now_ms() - self.origin_ms
    }

    /// The stamp of the absolute clock reading `now_ms`.
    fn stamp_of(&self, now_ms: f64) -> Stamp {
        // Saturates at zero for a reading from before the trace began.
        ((now_ms - self.origin_ms) * NS_PER_MS) as Stamp
    }

    /// The calling thread's state for this trace.
    fn thread_clock(&self) -> ThreadClock {
        let clock = THREAD_CLOCK.get();
        if clock.trace == self.id {
            clock
        } else {
            ThreadClock {
                trace: self.id,
                column: column_of(actor::current()),
                last: 0,
                reading: self.stamp_of(clock::now_ms()),
                reuses_left: OPS_PER_READING,
            }
        }
    }

    /// The calling thread's pen for one operation. Take it before the lock the operation records
    /// under and let it go after (or hand it to [`Pen::put_down`] before waiting): the thread's
    /// stamping state lives in the pen meanwhile, and putting it down reads the clock for the next
    /// operations when this reading has served a good many, outside any critical section.
    pub(crate) fn pen(&self) -> Pen<'_> {
        Pen {
            trace: self.enabled.then_some(self),
            clock: if self.enabled {
                self.thread_clock()
            } else {
                ThreadClock::IDLE
            },
        }
    }

    /// Records a rare event that belongs to no object (an actor exiting) in the trace's own book.
    pub fn record_own(&self, actor: Actor, kind: EventKind) {
        self.record_after(0, actor, kind);
    }

    /// Records an event stamped after every event recorded so far (the run's end).
    pub fn record_last(&self, actor: Actor, kind: EventKind) {
        let mut newest = 0;
        for source in self.sources() {
            source.with_log(&mut |book| newest = newest.max(book.last));
        }
        self.record_after(newest, actor, kind);
    }

    /// Records, on time, in the trace's own book, an event stamped after `floor`.
    fn record_after(&self, floor: Stamp, actor: Actor, kind: EventKind) {
        if !self.enabled {
            return;
        }
        self.read_at(None);
        let mut pen = self.pen();
        let mut own = lock(&self.own);
        let at = pen.stamp(own.last.max(floor));
        own.last = at;
        own.events.push((
            at,
            Event {
                t: at as f64 / NS_PER_MS,
                actor,
                kind,
            },
        ));
    }

    /// The calling thread was woken by an entry stamped `at`, and read the clock at `now_ms` since:
    /// its next entries come after both.
    pub(crate) fn woken(&self, at: Stamp, now_ms: f64) {
        if !self.enabled {
            return;
        }
        self.read_at(Some(now_ms));
        let mut clock = self.thread_clock();
        clock.last = clock.last.max(at);
        THREAD_CLOCK.set(clock);
    }

    /// Sets the calling thread's clock reading to `now_ms`, or to a fresh reading if `None`: for a
    /// thread whose next entry must be on time (after a sleep, or real work).
    pub(crate) fn read_at(&self, now_ms: Option<f64>) {
        if !self.enabled {
            return;
        }
        let mut clock = self.thread_clock();
        clock.reading = self.stamp_of(now_ms.unwrap_or_else(clock::now_ms));
        clock.reuses_left = OPS_PER_READING;
        THREAD_CLOCK.set(clock);
    }

    /// Takes every event recorded since the last call, in stamp order.
    pub fn drain(&self) -> Vec<Event> {
        let mut runs = Vec::new();
        let own = self.take(|taken| {
            let mut events = Vec::new();
            for entry in taken {
                entry.expand(&mut events);
            }
            runs.push(events);
        });
        runs.push(own.into_iter().map(|(_, event)| event).collect());
        merge(runs)
    }

    /// Drops every event recorded since the last call, as [`Trace::drain`] would take them, and
    /// returns how many there were. Cheaper than a drain: no event is built.
    pub fn discard(&self) -> usize {
        let mut count = 0;
        let own = self.take(|taken| count += taken.iter().map(Entry::events).sum::<usize>());
        count + own.len()
    }

    /// The books still alive.
    fn sources(&self) -> Vec<Arc<dyn Source>> {
        lock(&self.sources)
            .iter()
            .filter_map(|r| r.source.upgrade())
            .collect()
    }

    /// Takes from each book the entries stamped up to the newest stamp in any book (so the batch is
    /// complete up to its end) and hands each column's to `each`; returns the own book's events
    /// up to that stamp.
    fn take(&self, mut each: impl FnMut(&[Entry])) -> Vec<(Stamp, Event)> {
        let mut registered = lock(&self.sources);
        registered.retain(|r| r.source.strong_count() > 0);
        let books: Vec<_> = registered
            .iter_mut()
            .filter_map(|r| Some((r.source.upgrade()?, &mut r.taken)))
            .collect();
        let mut until = lock(&self.own).last;
        for (source, _) in &books {
            source.with_log(&mut |book| until = until.max(book.last));
        }
        for (source, taken) in books {
            source.with_log(&mut |book| book.take_until(until, taken));
            for column in taken.iter_mut() {
                each(column);
                column.clear();
            }
        }
        let mut own = lock(&self.own);
        own.last = own.last.max(until);
        let split = own.events.partition_point(|(at, _)| *at <= until);
        own.events.drain(..split).collect()
    }
}

/// Merges runs of events sorted by time into one sorted run; on a tie the earlier run goes first.
fn merge(runs: Vec<Vec<Event>>) -> Vec<Event> {
    let mut out = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    let mut heads: Vec<_> = runs
        .into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| run.into_iter().peekable())
        .collect();
    while heads.len() > 1 {
        let mut first = 0;
        let mut first_t = f64::INFINITY;
        for (i, run) in heads.iter_mut().enumerate() {
            if let Some(event) = run.peek()
                && event.t < first_t
            {
                (first, first_t) = (i, event.t);
            }
        }
        out.extend(heads[first].next());
        if heads[first].peek().is_none() {
            drop(heads.remove(first));
        }
    }
    for rest in heads {
        out.extend(rest);
    }
    out
}
