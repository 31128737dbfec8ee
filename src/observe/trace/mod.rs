//! The trace: a timestamped event for every state change the page draws.
//!
//! Events are written where they happen. Each channel and WaitGroup keeps a [`LogBook`] in its own
//! locked state and writes to it while it holds its lock anyway, so recording takes no lock of its
//! own and each book is in the exact order of its object's changes; the rare rest (an actor
//! exiting, a shutdown, the run ending) goes into the trace's own book. The [`Trace`] knows every
//! book as a [`Source`] and reads them when drained.
//!
//! The pieces: `entry` packs what one actor did in one critical section into 16 bytes (often
//! more than one event: a worker's "started" is implied by its receive from the jobs channel, its
//! "finished" by the send of its result, a woken actor's "unblocked" by the hand-off that woke it);
//! `book` keeps entries in a column per writing thread and merges them back in order, replaying
//! each channel's buffer length; `pen` stamps them. Every conversion to [`Event`]s happens at
//! drain time, outside the channels' locks. `packed` turns a drained batch into flat arrays for
//! a page that takes a busy run's trace.
//!
//! Stamps are Lamport-style, in whole nanoseconds since the run started: the clock's reading,
//! raised if needed above the writing thread's previous stamp and the book's previous stamp (which
//! the drain raises too); a woken actor adopts the stamp of whoever woke it. So when one event
//! precedes another on the same thread, on the same object or through a hand-off, its stamp is
//! strictly smaller, and sorting by stamp gives an order in which replaying reproduces every
//! channel exactly and no actor acts out of turn. The events of one entry share its nanosecond, a
//! quarter nanosecond apart. No channel operation reads the clock (a reading costs about 0.15 µs
//! in a browser, which coarsens it to 5 µs anyway): `pen` says how stamps keep to the time.
//!
//! [`Trace::drain`] works in two passes: it reads the newest stamp of every book, then takes from
//! each book exactly the entries up to the highest, raising the book's last stamp to it so every
//! later entry is stamped above. Each batch is therefore complete up to its last stamp, and later
//! batches hold only later stamps. [`Trace::discard`] takes the same way but only counts the
//! events.

mod book;
mod entry;
mod packed;
mod pen;

use crate::locks::lock;
use crate::observe::actor::Actor;
pub use book::LogBook;
use book::Reader;
pub(crate) use entry::{Change, Lead};
pub use packed::{PackError, PackedEvents, ValueKind, pack};
pub(crate) use pen::Pen;
use serde::Serialize;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// A stamp: whole nanoseconds since the trace's time zero, raised Lamport-style.
pub(crate) type Stamp = u64;

/// Stamps per millisecond.
const NS_PER_MS: f64 = 1e6;

/// Something an actor can block on. It shows as `"jobs"`, `"results"`, `"waitGroup"`, and in a
/// pipeline `"c1"`, `"c2"`, … (stage *k*'s output) and `"wg1"`, `"wg2"`, … (stage *k*'s
/// WaitGroup), the names a Go pipeline would give them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// The jobs channel, producer to workers (a pipeline's source to its first stage).
    Jobs,
    /// The results channel, workers to consumer.
    Results,
    /// The WaitGroup counting running workers.
    WaitGroup,
    /// The output channel of pipeline stage `k` (from 1): the next stage's input, or the
    /// consumer's after the last stage.
    Out(u8),
    /// The WaitGroup counting the running workers of pipeline stage `k` (from 1).
    Group(u8),
}

/// The names of the pipeline's channels and WaitGroups, by stage (a pipeline has at most 7).
const OUTS: [&str; 8] = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
const GROUPS: [&str; 8] = ["wg0", "wg1", "wg2", "wg3", "wg4", "wg5", "wg6", "wg7"];

impl Resource {
    /// The name events and reports give it.
    pub fn name(self) -> &'static str {
        let nth = |names: &'static [&'static str; 8], k: u8| names[usize::from(k.min(7))];
        match self {
            Resource::Jobs => "jobs",
            Resource::Results => "results",
            Resource::WaitGroup => "waitGroup",
            Resource::Out(k) => nth(&OUTS, k),
            Resource::Group(k) => nth(&GROUPS, k),
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Resource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
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

/// How a requested shutdown treats queued and in-flight jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ShutdownMode {
    /// Stop sending, drop queued jobs, finish the jobs in flight.
    Graceful,
    /// Stop sending, close the jobs channel, finish everything already queued.
    Drain,
    /// Drain, but cancel the context when the grace period runs out.
    Force,
}

impl ShutdownMode {
    /// What the mode does, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            ShutdownMode::Graceful => {
                "graceful shutdown: queued jobs dropped, jobs in flight finished"
            }
            ShutdownMode::Drain => "drain: no new jobs accepted, every queued job finished",
            ShutdownMode::Force => {
                "forced shutdown: drained until the grace period ran out, then the rest cancelled"
            }
        }
    }
}

/// The step of a shutdown an event marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// The shutdown began.
    Requested,
    /// The grace period of a forced shutdown ran out and the context was cancelled.
    Forced,
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

/// What happened, without when and who. Each variant's doc says what its fields are (the
/// README's event table is the same list, as JavaScript sees it).
#[allow(missing_docs)]
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
    Shutdown { mode: ShutdownMode, stage: Stage },
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

/// A book the trace reads: its owner, what the owner is, and the drain's side of it.
struct Registered {
    source: Weak<dyn Source>,
    resource: Resource,
    reader: Reader,
}

/// The events of one run: the books that hold them.
pub struct Trace {
    enabled: bool,
    id: u64,
    origin_ms: f64,
    sources: Mutex<Vec<Registered>>,
    own: Mutex<OwnBook>,
    /// The newest clock reading any thread has published (see [`Trace::publish`]), as a stamp:
    /// every later entry is stamped above it.
    floor: AtomicU64,
}

static NEXT_TRACE_ID: AtomicU64 = AtomicU64::new(1);

impl Trace {
    /// A trace whose time zero is now; when `enabled` is false it records nothing.
    pub fn new(enabled: bool) -> Arc<Self> {
        Arc::new(Trace {
            enabled,
            id: NEXT_TRACE_ID.fetch_add(1, Ordering::Relaxed),
            origin_ms: crate::observe::clock::now_ms(),
            sources: Mutex::new(Vec::new()),
            own: Mutex::new(OwnBook::default()),
            floor: AtomicU64::new(0),
        })
    }

    /// Adds the book of `resource` to the trace; it is read for as long as its owner lives.
    pub fn register(&self, resource: Resource, source: Weak<dyn Source>) {
        lock(&self.sources).push(Registered {
            source,
            resource,
            reader: Reader::default(),
        });
    }

    /// Whether the trace records anything.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Milliseconds since the trace's time zero.
    pub fn elapsed_ms(&self) -> f64 {
        crate::observe::clock::now_ms() - self.origin_ms
    }

    /// The stamp of the absolute clock reading `now_ms`.
    fn stamp_of(&self, now_ms: f64) -> Stamp {
        // Saturates at zero for a reading from before the trace began.
        ((now_ms - self.origin_ms) * NS_PER_MS) as Stamp
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
        let mut own = lock(&self.own);
        let at = self.stamp_after(own.last.max(floor));
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

    /// Takes every event recorded since the last call, in stamp order.
    pub fn drain(&self) -> Vec<Event> {
        let mut runs = Vec::new();
        let own = self.take(|channel, reader| {
            let mut events = Vec::new();
            reader.read(|entry, len| entry.expand(channel, len, &mut events));
            runs.push(events);
        });
        runs.push(own.into_iter().map(|(_, event)| event).collect());
        merge(runs)
    }

    /// Drops every event recorded since the last call, as [`Trace::drain`] would take them, and
    /// returns how many there were. Cheaper than a drain: no event is built.
    pub fn discard(&self) -> usize {
        let mut count = 0;
        let own = self.take(|_, reader| count += reader.count());
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
    /// complete up to its end) and hands each book's reader to `each`; returns the own book's
    /// events up to that stamp.
    fn take(&self, mut each: impl FnMut(Resource, &mut Reader)) -> Vec<(Stamp, Event)> {
        self.publish(crate::observe::clock::now_ms());
        let mut registered = lock(&self.sources);
        registered.retain(|r| r.source.strong_count() > 0);
        let books: Vec<_> = registered
            .iter_mut()
            .filter_map(|r| Some((r.source.upgrade()?, r.resource, &mut r.reader)))
            .collect();
        let mut until = lock(&self.own).last;
        for (source, ..) in &books {
            source.with_log(&mut |book| until = until.max(book.last));
        }
        for (source, resource, reader) in books {
            source.with_log(&mut |book| book.take_until(until, reader));
            each(resource, reader);
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
