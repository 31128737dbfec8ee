//! An autoscaling pool's two seams in the engine: the scaler's look at the queue (on the timer
//! thread), which may start one more worker, and a worker's wait for its next job, which above
//! the minimum gives up after the idle timeout and may retire. The rules and the count are the
//! [`Roster`]'s (`crate::patterns::scaling`).
//!
//! [`Roster`]: crate::patterns::scaling::Roster

use super::actors::Stop;
use super::config::Mistake;
use super::engine::{Engine, Numbered, WorkError, spawn_actor};
use super::spawn::Supervisor;
use crate::observe::actor::{self, Actor};
use crate::observe::trace::EventKind;
use crate::patterns::scaling::Roster;
use crate::sync::error::OpError;
use std::sync::Arc;

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Engine<J, R, E> {
    /// The scaler's look at the queue: one more worker when it is deep (see [`Roster::look`]).
    pub(crate) fn scale(self: &Arc<Self>, roster: &Roster) {
        if self.stopping() {
            return;
        }
        let enlist = || {
            self.watch.enter(1);
            if self.config.lesson.mistake != Mistake::AddInWorker {
                self.wg.add(1);
            }
        };
        let Some(enlisted) = roster.look(|| self.elapsed_ms(), || self.jobs.len(), enlist) else {
            return;
        };
        self.note_as(
            Actor::Scaler,
            EventKind::Scaled {
                workers: enlisted.workers,
                queued: enlisted.queued,
            },
        );
        let k = enlisted.worker;
        let spawner = self.spawner.as_deref().expect("a kept spawner");
        spawn_actor(self, spawner, Actor::Worker(k), move |run| run.worker(k));
    }

    /// The next job for a worker. In an autoscaling pool above its minimum the worker waits at
    /// most the idle timeout, then retires if the pool is still above it (or waits again). At
    /// the minimum it waits as any worker does, so the deadlock detector counts it as waiting.
    pub(crate) fn next_job(&self) -> Result<Numbered<J>, Stop> {
        let Some(roster) = &self.patterns.roster else {
            return self.check(self.jobs.recv()).ok_or(Stop::Ended);
        };
        loop {
            if !roster.above_minimum() {
                return self.check(self.jobs.recv()).ok_or(Stop::Ended);
            }
            match self.jobs.recv_timeout(roster.idle_timeout_ms()) {
                Err(OpError::TimedOut) => {
                    if let Some(workers) = roster.try_retire(|| self.elapsed_ms()) {
                        self.note_as(actor::current(), EventKind::Retired { workers });
                        return Err(Stop::Retired);
                    }
                }
                received => return self.check(received).ok_or(Stop::Ended),
            }
        }
    }
}
