//! Stamping: each thread's Lamport clock for the trace it writes to.
//!
//! A thread's state (its newest stamp, its column in every book) lives in a thread-local. An
//! operation takes it out into a [`Pen`] before the owner's lock and puts it back after, so an
//! operation touches the thread-local twice however many entries it writes. The clock itself is
//! never read by an operation: threads read it after a wait, a sleep or real work, and the drain
//! reads it each time it runs; every reading is published as the trace's floor, which each pen
//! picks up when taken. So a thread that neither waits nor sleeps still stamps close to the time,
//! to within the last reading anyone made, and advances a nanosecond per entry in between.

use super::book::LogBook;
use super::entry::{Change, Entry, Lead};
use super::{Stamp, Trace};
use crate::observe::actor::{self, Actor};
use crate::observe::clock;
use std::cell::Cell;
use std::sync::atomic::Ordering;

/// A thread's stamping state for the trace it last wrote to.
#[derive(Clone, Copy)]
struct ThreadClock {
    trace: u64,
    /// The thread's column in every book: one per actor.
    column: u32,
    /// The thread's newest stamp.
    last: Stamp,
}

impl ThreadClock {
    /// The state of a thread that has written to no trace.
    const IDLE: ThreadClock = ThreadClock {
        trace: 0,
        column: 0,
        last: 0,
    };

    /// A stamp after `floor` and the thread's last stamp.
    fn stamp(&mut self, floor: Stamp) -> Stamp {
        self.last = self.last.max(floor) + 1;
        self.last
    }
}

thread_local! {
    static THREAD_CLOCK: Cell<ThreadClock> = const { Cell::new(ThreadClock::IDLE) };
}

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
        // After the 16 workers a page's pool has: a pipeline stage's closer, then its workers.
        Actor::StageCloser(stage) => 22 + 17 * u32::from(stage.saturating_sub(1)),
        Actor::StageWorker { stage, worker } => {
            22 + 17 * u32::from(stage.saturating_sub(1)) + u32::from(worker.min(16))
        }
    }
}

/// A thread's stamping state, taken out of the thread for one operation (see [`Trace::pen`]).
pub(crate) struct Pen<'a> {
    trace: Option<&'a Trace>,
    clock: ThreadClock,
    /// The trace's floor when the pen was taken: the newest clock reading anyone published.
    floor: Stamp,
}

impl Pen<'_> {
    /// A pen that records nothing, for an object no trace watches.
    pub(crate) fn idle() -> Pen<'static> {
        Pen {
            trace: None,
            clock: ThreadClock::IDLE,
            floor: 0,
        }
    }

    /// Records in `book` (whose owner's lock the caller holds) that `actor` did `change`,
    /// preceded by `lead` and followed by "started" if `starts`. Returns the entry's stamp (0
    /// when tracing is off).
    #[inline]
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
        let at = self.clock.stamp(book.last.max(self.floor));
        book.push(
            self.clock.column,
            Entry::new(at, actor, change, lead, starts),
        );
        at
    }

    /// Gives the thread its state back; call before the thread waits.
    pub(crate) fn put_down(self) {}
}

impl Drop for Pen<'_> {
    fn drop(&mut self) {
        if self.trace.is_some() {
            THREAD_CLOCK.set(self.clock);
        }
    }
}

impl Trace {
    /// The calling thread's state for this trace.
    fn thread_clock(&self) -> ThreadClock {
        let clock = THREAD_CLOCK.get();
        if clock.trace == self.id {
            clock
        } else {
            ThreadClock {
                trace: self.id,
                column: column_of(actor::current()),
                last: self.stamp_of(clock::now_ms()),
            }
        }
    }

    /// The calling thread's pen for one operation. Take it before the lock the operation records
    /// under and let it go after (or hand it to [`Pen::put_down`] before waiting): the thread's
    /// stamping state lives in the pen meanwhile.
    pub(crate) fn pen(&self) -> Pen<'_> {
        if !self.enabled {
            return Pen::idle();
        }
        Pen {
            trace: Some(self),
            clock: self.thread_clock(),
            floor: self.floor.load(Ordering::Relaxed),
        }
    }

    /// A stamp for the calling thread after `floor` and the trace's floor, outside any book (for
    /// the trace's own).
    pub(super) fn stamp_after(&self, floor: Stamp) -> Stamp {
        let mut clock = self.thread_clock();
        let at = clock.stamp(floor.max(self.floor.load(Ordering::Relaxed)));
        THREAD_CLOCK.set(clock);
        at
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

    /// Stamps the calling thread's next entries after the clock reading `now_ms` (a fresh reading
    /// if `None`), and publishes it as the trace's floor: for a thread whose next entry must be on
    /// time (after a wait, a sleep, or real work).
    pub(crate) fn read_at(&self, now_ms: Option<f64>) {
        if !self.enabled {
            return;
        }
        let reading = self.publish(now_ms.unwrap_or_else(clock::now_ms));
        let mut clock = self.thread_clock();
        clock.last = clock.last.max(reading);
        THREAD_CLOCK.set(clock);
    }

    /// Raises the trace's floor to the clock reading `now_ms`; returns the reading as a stamp.
    pub(super) fn publish(&self, now_ms: f64) -> Stamp {
        let reading = self.stamp_of(now_ms);
        self.floor.fetch_max(reading, Ordering::Relaxed);
        reading
    }
}
