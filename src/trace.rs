//! The trace: a timestamped event for every state change the page draws.
//!
//! Events are recorded while the lock of the channel or WaitGroup that changed is held, and the
//! timestamp is taken inside the trace's own lock, so the trace is in time order and replaying it
//! reproduces every channel's contents exactly. Browsers coarsen each thread's clock (to 5 µs with
//! jitter), so a reading may fall a few microseconds behind the previous event's; the trace clamps
//! it to keep time non-decreasing. The coordinator drains the trace while the run is live.

use crate::actor::Actor;
use crate::clock;
use crate::locks::lock;
use serde::Serialize;
use std::sync::Mutex;

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

/// The event sink of one run.
pub struct Trace {
    enabled: bool,
    origin_ms: f64,
    log: Mutex<Log>,
}

struct Log {
    events: Vec<Event>,
    last_t: f64,
}

impl Trace {
    /// A trace whose time zero is now; when `enabled` is false it records nothing.
    pub fn new(enabled: bool) -> Self {
        Trace {
            enabled,
            origin_ms: clock::now_ms(),
            log: Mutex::new(Log {
                events: Vec::new(),
                last_t: 0.0,
            }),
        }
    }

    /// Milliseconds since the trace's time zero.
    pub fn elapsed_ms(&self) -> f64 {
        clock::now_ms() - self.origin_ms
    }

    /// Records that `actor` did `kind`, now.
    pub fn record(&self, actor: Actor, kind: EventKind) {
        if !self.enabled {
            return;
        }
        let mut log = lock(&self.log);
        let t = self.elapsed_ms().max(log.last_t);
        log.last_t = t;
        log.events.push(Event { t, actor, kind });
    }

    /// Takes every event recorded since the last call.
    pub fn drain(&self) -> Vec<Event> {
        std::mem::take(&mut lock(&self.log).events)
    }
}
