//! The trace: a timestamped event for every state change the page draws.
//!
//! A run's trace is a set of [`Log`]s: one per channel and WaitGroup, written while that object's
//! lock is held (so each log is in the exact order of its object's state changes), and one per
//! actor for what it does alone (start and finish jobs, exit). Writers of different logs never
//! contend, which keeps tracing cheap at millions of events per second.
//!
//! Stamps are Lamport-style: the shared clock's reading, raised if needed above the writing
//! thread's previous stamp, the log's previous stamp and everything already drained; a woken actor
//! adopts the stamp of whoever woke it. So when one event precedes another on the same thread, on
//! the same object or through a hand-off, its stamp is strictly smaller, and sorting by stamp gives
//! an order in which replaying reproduces every channel exactly and no actor acts out of turn. A
//! thread reads the real clock after every wait, for every finished job and at least every few
//! events; in between it advances a nanosecond per event (browsers coarsen clocks to 5 µs anyway).
//! [`Trace::drain`] locks every log at once for a moment, so each batch is complete up to its
//! last stamp and later batches only hold later stamps.

use crate::actor::Actor;
use crate::clock;
use crate::locks::lock;
use serde::Serialize;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How far a stamp moves past the one it must follow, in ms.
const TICK_MS: f64 = 1e-6;
/// Events a thread may stamp from one clock reading.
const EVENTS_PER_READING: u8 = 8;

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
    /// A worker finished working on `job`.
    Finished { job: u32 },
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

/// The events of one run: its logs, and how far they have been drained.
pub struct Trace {
    enabled: bool,
    id: u64,
    origin_ms: f64,
    drained_up_to: AtomicU64,
    /// Every log of the run; the first is the trace's own (for the run's end).
    logs: Mutex<Vec<Arc<Mutex<LogCell>>>>,
}

#[derive(Default)]
struct LogCell {
    events: Vec<Event>,
    last_t: f64,
}

/// One stream of events in its trace; clones write to the same stream.
#[derive(Clone)]
pub struct Log {
    trace: Arc<Trace>,
    cell: Arc<Mutex<LogCell>>,
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
        Arc::new(Trace {
            enabled,
            id: NEXT_TRACE_ID.fetch_add(1, Ordering::Relaxed),
            origin_ms: clock::now_ms(),
            drained_up_to: AtomicU64::new(0f64.to_bits()),
            logs: Mutex::new(vec![Arc::default()]),
        })
    }

    /// A new log in this trace.
    pub fn log(self: &Arc<Self>) -> Log {
        let cell = Arc::<Mutex<LogCell>>::default();
        lock(&self.logs).push(Arc::clone(&cell));
        Log {
            trace: Arc::clone(self),
            cell,
        }
    }

    /// Milliseconds since the trace's time zero.
    pub fn elapsed_ms(&self) -> f64 {
        clock::now_ms() - self.origin_ms
    }

    /// Takes every event recorded since the last call, in stamp order.
    pub fn drain(&self) -> Vec<Event> {
        let mut events = self.with_all_logs(|cells| {
            let mut events = Vec::with_capacity(cells.iter().map(|c| c.events.len()).sum());
            for cell in cells.iter_mut() {
                events.append(&mut cell.events);
            }
            events
        });
        // The logs are sorted runs: a stable sort merges them.
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        events
    }

    /// Records an event stamped after every event recorded so far (the run's end).
    pub fn record_last(&self, actor: Actor, kind: EventKind) {
        if !self.enabled {
            return;
        }
        self.with_all_logs(|cells| {
            let after = cells.iter().map(|c| c.last_t).fold(0.0, f64::max);
            let t = self.elapsed_ms().max(after + TICK_MS);
            cells[0].last_t = t;
            cells[0].events.push(Event { t, actor, kind });
        });
    }

    /// Runs `f` with every log locked, then raises the drain watermark past all of them.
    fn with_all_logs<R>(&self, f: impl FnOnce(&mut [MutexGuard<'_, LogCell>]) -> R) -> R {
        let logs = lock(&self.logs);
        let mut cells: Vec<_> = logs.iter().map(|cell| lock(cell)).collect();
        let result = f(&mut cells);
        let high = cells
            .iter()
            .map(|c| c.last_t)
            .fold(self.watermark(), f64::max);
        self.drained_up_to.store(high.to_bits(), Ordering::Release);
        result
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

    /// A stamp for an event that must follow `log_last`; `fresh` forces a clock reading.
    fn stamp(&self, log_last: f64, fresh: bool) -> f64 {
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
            .max(log_last + TICK_MS)
            .max(self.watermark() + TICK_MS);
        clock.last_t = t;
        THREAD_CLOCK.set(clock);
        t
    }
}

impl Log {
    /// Records that `actor` did `kind`; returns the event's stamp (0 when tracing is off).
    pub fn record(&self, actor: Actor, kind: EventKind) -> f64 {
        self.push(actor, kind, false)
    }

    /// Like [`Log::record`], with a fresh clock reading (after work that took time).
    pub fn record_fresh(&self, actor: Actor, kind: EventKind) -> f64 {
        self.push(actor, kind, true)
    }

    fn push(&self, actor: Actor, kind: EventKind, fresh: bool) -> f64 {
        if !self.trace.enabled {
            return 0.0;
        }
        let mut cell = lock(&self.cell);
        let t = self.trace.stamp(cell.last_t, fresh);
        cell.last_t = t;
        cell.events.push(Event { t, actor, kind });
        t
    }

    /// The calling thread was woken by an event stamped `t`: its next events come after it.
    pub fn observe(&self, t: f64) {
        if !self.trace.enabled {
            return;
        }
        let mut clock = self.trace.thread_clock();
        clock.last_t = clock.last_t.max(t);
        clock.reuses_left = 0;
        THREAD_CLOCK.set(clock);
    }
}
