//! The trace: a timestamped event for every state change the page draws.
//!
//! Events are kept in [`LogBook`]s. Each channel and WaitGroup keeps one inside its own state and
//! writes to it while it holds its lock anyway, so recording costs no extra lock and each book is
//! in the exact order of its object's changes. What a worker does to a job (start, finish) is
//! noted in the jobs and results channels' books, in the same critical section as the receive or
//! send it belongs with; the rare rest (an actor exiting, the run ending) goes into the trace's own
//! book. The [`Trace`] knows every book as a [`Source`].
//!
//! Stamps are Lamport-style: the shared clock's reading, raised if needed above the writing
//! thread's previous stamp, the book's previous stamp and everything already drained; a woken actor
//! adopts the stamp of whoever woke it. So when one event precedes another on the same thread, on
//! the same object or through a hand-off, its stamp is strictly smaller, and sorting by stamp gives
//! an order in which replaying reproduces every channel exactly and no actor acts out of turn. A
//! thread reads the real clock after every wait, for every finished job and at least every few
//! events; in between it advances a nanosecond per event (browsers coarsen clocks to 5 µs anyway).
//!
//! [`Trace::drain`] works in two passes: it raises the drained watermark to the newest stamp in any
//! book (so every later event is stamped above it), then takes from each book exactly the events
//! up to that watermark. Each batch is therefore complete up to its last stamp, and later batches
//! hold only later stamps.

use crate::actor::Actor;
use crate::clock;
use crate::locks::lock;
use crate::shutdown::{Mode, Stage};
use serde::Serialize;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// How far a stamp moves past the one it must follow, in ms.
const TICK_MS: f64 = 1e-6;
/// Events a thread may stamp from one clock reading.
const EVENTS_PER_READING: u8 = 32;

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

/// Events recorded by one object, in stamp order; kept behind the object's own lock.
#[derive(Debug, Default)]
pub struct LogBook {
    events: Vec<Event>,
    last_t: f64,
}

impl LogBook {
    /// Moves the events stamped up to `until` into `out`.
    fn take_until(&mut self, until: f64, out: &mut Vec<Event>) {
        let split = self.events.partition_point(|e| e.t <= until);
        out.extend(self.events.drain(..split));
    }
}

/// An object that keeps a [`LogBook`] behind its own lock.
pub trait Source: Send + Sync {
    /// Runs `f` on the book with the owner's lock held.
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook));
}

impl Source for Mutex<LogBook> {
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook)) {
        f(&mut lock(self));
    }
}

/// The events of one run: the books that hold them, and how far they have been drained.
pub struct Trace {
    enabled: bool,
    id: u64,
    origin_ms: f64,
    drained_up_to: AtomicU64,
    sources: Mutex<Vec<Weak<dyn Source>>>,
    own: Arc<Mutex<LogBook>>,
}

/// A thread's stamping state for the trace it last wrote to.
#[derive(Clone, Copy)]
struct ThreadClock {
    trace: u64,
    last_t: f64,
    reuses_left: u8,
}

thread_local! {
    static THREAD_CLOCK: Cell<ThreadClock> = const {
        Cell::new(ThreadClock { trace: 0, last_t: 0.0, reuses_left: 0 })
    };
}

static NEXT_TRACE_ID: AtomicU64 = AtomicU64::new(1);

impl Trace {
    /// A trace whose time zero is now; when `enabled` is false it records nothing.
    pub fn new(enabled: bool) -> Arc<Self> {
        let own = Arc::new(Mutex::new(LogBook::default()));
        let own_source: Arc<dyn Source> = own.clone();
        Arc::new(Trace {
            enabled,
            id: NEXT_TRACE_ID.fetch_add(1, Ordering::Relaxed),
            origin_ms: clock::now_ms(),
            drained_up_to: AtomicU64::new(0f64.to_bits()),
            sources: Mutex::new(vec![Arc::downgrade(&own_source)]),
            own,
        })
    }

    /// Adds a book to the trace; it is read for as long as its owner lives.
    pub fn register(&self, source: Weak<dyn Source>) {
        lock(&self.sources).push(source);
    }

    /// Milliseconds since the trace's time zero.
    pub fn elapsed_ms(&self) -> f64 {
        clock::now_ms() - self.origin_ms
    }

    /// Records in `book` (whose owner's lock the caller holds) that `actor` did `kind`; `fresh`
    /// forces a clock reading. Returns the stamp (0 when tracing is off).
    pub fn record(&self, book: &mut LogBook, actor: Actor, kind: EventKind, fresh: bool) -> f64 {
        if !self.enabled {
            return 0.0;
        }
        let t = self.stamp(book.last_t, fresh);
        book.last_t = t;
        book.events.push(Event { t, actor, kind });
        t
    }

    /// Records a rare event that belongs to no object (an actor exiting) in the trace's own book.
    pub fn record_own(&self, actor: Actor, kind: EventKind) {
        self.record(&mut lock(&self.own), actor, kind, true);
    }

    /// Records an event stamped after every event recorded so far (the run's end).
    pub fn record_last(&self, actor: Actor, kind: EventKind) {
        let mut newest = 0.0;
        self.each_book(&mut |book| newest = f64::max(newest, book.last_t));
        let mut own = lock(&self.own);
        own.last_t = own.last_t.max(newest);
        self.record(&mut own, actor, kind, true);
    }

    /// The calling thread was woken by an event stamped `t`: its next events come after it.
    pub fn observe(&self, t: f64) {
        if !self.enabled {
            return;
        }
        let mut clock = self.thread_clock();
        clock.last_t = clock.last_t.max(t);
        clock.reuses_left = 0;
        THREAD_CLOCK.set(clock);
    }

    /// Takes every event recorded since the last call, in stamp order.
    pub fn drain(&self) -> Vec<Event> {
        let mut until = self.watermark();
        self.each_book(&mut |book| until = until.max(book.last_t));
        self.drained_up_to.store(until.to_bits(), Ordering::Release);
        let mut events = Vec::new();
        self.each_book(&mut |book| book.take_until(until, &mut events));
        // Each book is a sorted run: a stable sort merges them.
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        events
    }

    fn each_book(&self, f: &mut dyn FnMut(&mut LogBook)) {
        let sources: Vec<_> = lock(&self.sources)
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for source in sources {
            source.with_log(f);
        }
    }

    fn watermark(&self) -> f64 {
        f64::from_bits(self.drained_up_to.load(Ordering::Acquire))
    }

    /// The calling thread's state for this trace.
    fn thread_clock(&self) -> ThreadClock {
        let clock = THREAD_CLOCK.get();
        if clock.trace == self.id {
            clock
        } else {
            ThreadClock {
                trace: self.id,
                last_t: 0.0,
                reuses_left: 0,
            }
        }
    }

    /// A stamp for an event that must follow `book_last`; `fresh` forces a clock reading.
    fn stamp(&self, book_last: f64, fresh: bool) -> f64 {
        let mut clock = self.thread_clock();
        let reading = if fresh || clock.reuses_left == 0 {
            clock.reuses_left = EVENTS_PER_READING;
            self.elapsed_ms()
        } else {
            clock.reuses_left -= 1;
            clock.last_t
        };
        let t = reading
            .max(clock.last_t + TICK_MS)
            .max(book_last + TICK_MS)
            .max(self.watermark() + TICK_MS);
        clock.last_t = t;
        THREAD_CLOCK.set(clock);
        t
    }
}
