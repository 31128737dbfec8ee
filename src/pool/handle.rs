//! A run as its starter holds it: submit jobs, take results as they come, cancel, join, or watch
//! its events and deliveries go by.

use super::engine::{Engine, Numbered, WorkError};
use super::report::{Delivery, Report};
use crate::locks::lock;
use crate::observe::clock;
use crate::observe::trace::Event;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError, mpsc};

/// A run in progress (or finished). Its methods take `&self`, so it can be shared between threads
/// (say, one submitting jobs while another takes the results).
pub struct Run<J, R, E = String> {
    pub(crate) engine: Arc<Engine<J, R, E>>,
    /// Where [`Run::submit`] sends jobs; `None` once closed, or for a run given its jobs up front.
    pub(crate) intake: Mutex<Option<mpsc::Sender<Numbered<J>>>>,
}

/// A job the pool did not take, because its intake was closed (or it was given its jobs up
/// front); the job is handed back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Closed<J>(pub J);

impl<J> fmt::Debug for Closed<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Closed(..)")
    }
}

impl<J> fmt::Display for Closed<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the pool takes no more jobs: its intake is closed")
    }
}

impl<J> std::error::Error for Closed<J> {}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Run<J, R, E> {
    /// Hands `job` to the pool while it runs; returns its number (from 1, in submission order).
    /// The producer sends it into the jobs channel in turn, waiting while the channel is full.
    pub fn submit(&self, job: J) -> Result<u32, Closed<J>> {
        let intake = lock(&self.intake);
        let Some(sender) = intake.as_ref() else {
            return Err(Closed(job));
        };
        let number = self.engine.total_jobs.load(Ordering::Acquire) + 1;
        match sender.send(Numbered {
            job: number,
            payload: job,
        }) {
            Ok(()) => {
                self.engine.total_jobs.store(number, Ordering::Release);
                Ok(number)
            }
            Err(mpsc::SendError(Numbered { payload, .. })) => Err(Closed(payload)),
        }
    }

    /// No more jobs: the producer closes the jobs channel once it has sent the ones submitted,
    /// and the run ends when they are done. (Dropping the run does the same.)
    pub fn close(&self) {
        lock(&self.intake).take();
    }

    /// Whether every actor has exited.
    pub fn is_finished(&self) -> bool {
        self.engine.is_finished()
    }

    /// Requests the shutdown, in the mode the run was configured with; the run then ends with
    /// outcome `cancelled` (unless it deadlocks or panics first).
    pub fn cancel(&self) {
        self.engine.request_shutdown();
    }

    /// The results, each handed over once as the consumer delivers it, in delivery order. The
    /// iterator blocks until the next result comes, and ends when the run is over; the report's
    /// `results` then holds only what was not taken here. Blocks a thread: not for a browser's
    /// main thread.
    pub fn results(&self) -> Results<'_, J, R, E> {
        Results { run: self }
    }

    /// Closes the intake, waits until the run is over, and returns its report (`None` if it was
    /// already taken). Blocks a thread: not for a browser's main thread.
    pub fn join(&self) -> Option<Report<Delivery<R, E>>> {
        self.close();
        let mut collected = lock(&self.engine.collected);
        while !self.engine.is_finished() {
            collected = self
                .engine
                .progress
                .wait(collected)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(collected);
        self.take_report()
    }

    /// Every event recorded since the last call (none unless the pool traces).
    pub fn take_events(&self) -> Vec<Event> {
        self.engine.watch.trace().drain()
    }

    /// Drops every event recorded since the last call without building them; returns how many.
    pub fn discard_events(&self) -> usize {
        self.engine.watch.trace().discard()
    }

    /// Copies of the results delivered so far, from the `from`-th (counting from 0) on, in
    /// delivery order, leaving them in place: a run can be watched result by result while its
    /// report still gets them all. Empty once the run is finished: its report has them.
    pub fn delivered_from(&self, from: usize) -> Vec<Delivery<R, E>>
    where
        R: Clone,
        E: Clone,
    {
        let collected = lock(&self.engine.collected);
        let skip = from.saturating_sub(collected.taken);
        collected.results.iter().skip(skip).cloned().collect()
    }

    /// The report, once the run is finished (and only once).
    pub fn take_report(&self) -> Option<Report<Delivery<R, E>>> {
        if !self.is_finished() {
            return None;
        }
        lock(&self.engine.report).take()
    }

    /// Waits up to `timeout_ms` for the run to finish, polling (so it works on any thread that may
    /// sleep, a browser's workers included), and returns its report; `None` if it did not finish
    /// in time.
    pub fn wait_report(&self, timeout_ms: f64) -> Option<Report<Delivery<R, E>>> {
        if !clock::poll_until(timeout_ms, || self.is_finished()) {
            return None;
        }
        self.take_report()
    }
}

/// The results of a run as they come: see [`Run::results`].
pub struct Results<'a, J, R, E> {
    run: &'a Run<J, R, E>,
}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Iterator for Results<'_, J, R, E> {
    type Item = Delivery<R, E>;

    fn next(&mut self) -> Option<Self::Item> {
        let engine = &self.run.engine;
        let mut collected = lock(&engine.collected);
        loop {
            if let Some(delivery) = collected.results.pop_front() {
                collected.taken += 1;
                return Some(delivery);
            }
            if engine.is_finished() {
                // The last deliveries may have gone into the report; they are taken from there.
                drop(collected);
                let mut report = lock(&engine.report);
                let results = &mut report.as_mut()?.results;
                return (!results.is_empty()).then(|| results.remove(0));
            }
            collected = engine
                .progress
                .wait(collected)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}
