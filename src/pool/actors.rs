//! The actors' bodies, as in the Go posts: the producer sends the jobs and closes the jobs
//! channel; each worker ranges over the jobs, retrying a failed one as the policy says, and sends
//! its result; the closer does `wg.Wait(); close(results)`; the consumer ranges over the results.
//! Without a pool, a task per job does the worker's part for its one job. The [`Lesson`] bends
//! this lifecycle where the page asks for a mistake.
//!
//! [`Lesson`]: super::config::Lesson

use super::config::{Collect, Mistake, ms};
use super::engine::{Done, Engine, Intake, Numbered, WorkError};
use super::report::Delivery;
use super::spawn::Supervisor;
use super::work::{WorkCtx, WorkEnd, sleep_unless, sleep_until_stopped};
use crate::locks::lock;
use crate::observe::actor::{self, Actor};
use crate::observe::trace::EventKind;
use crate::patterns::retry::DeadLetter;
use crate::sync::error::OpError;
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How often a producer waiting for submitted jobs looks whether the run is stopping.
const INTAKE_TICK: Duration = Duration::from_millis(10);

/// The jobs one worker took, added to the run's list when it stops taking them (also when its
/// work panics), so the list's lock is taken once per worker rather than once per job.
struct Taken<'a> {
    jobs: Vec<u32>,
    into: &'a Mutex<Vec<u32>>,
}

impl<'a> Taken<'a> {
    fn new(into: &'a Mutex<Vec<u32>>) -> Self {
        Taken {
            jobs: Vec::new(),
            into,
        }
    }

    fn push(&mut self, job: u32) {
        self.jobs.push(job);
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        lock(self.into).extend(self.jobs.drain(..));
    }
}

/// Why a worker stops taking jobs.
pub(crate) enum Stop {
    /// The jobs ran out, the run stopped, or a send failed.
    Ended,
    /// It idled out of an autoscaling pool.
    Retired,
}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Engine<J, R, E> {
    /// Records `kind` as done by `who`.
    pub(crate) fn note_as(&self, who: Actor, kind: EventKind) {
        self.watch.trace().record_own(who, kind);
    }

    /// The producer: sends the jobs, closes the jobs channel (unless told not to) and, when it
    /// also collects, reads the results.
    pub(crate) fn producer(&self, intake: Intake<J>) {
        match intake {
            Intake::Fixed(jobs) => self.produce(
                (1..)
                    .zip(jobs)
                    .map(|(job, payload)| Numbered { job, payload }),
            ),
            Intake::Open(submitted) => self.produce(std::iter::from_fn(|| {
                loop {
                    match submitted.recv_timeout(INTAKE_TICK) {
                        Ok(next) => return Some(next),
                        Err(RecvTimeoutError::Timeout) if !self.stopping() => {}
                        Err(_) => return None,
                    }
                }
            })),
        }
        if self.config.lesson.collect == Collect::AfterSend {
            self.consume();
        }
    }

    fn produce(&self, jobs: impl Iterator<Item = Numbered<J>>) {
        for next in jobs {
            let pause = self.config.patterns.arrivals.pause_before_ms(next.job);
            if pause > 0.0 {
                // A shutdown ends the pause early; the send below then fails or is refused.
                let slept = sleep_until_stopped(pause, || self.stopping());
                // The next events are stamped after the pause, from a fresh clock reading.
                self.watch.trace().read_at(slept.ok().flatten());
            }
            match self.jobs.send(next) {
                Ok(()) => {}
                // Drain or force: stop sending, but still close below.
                Err(OpError::Cancelled) => break,
                Err(error) => {
                    self.check::<()>(Err(error));
                    return;
                }
            }
        }
        if !self.config.lesson.close_jobs {
            return;
        }
        let twice = self.config.lesson.mistake == Mistake::CloseJobsTwice;
        if self.check(self.jobs.close()).is_some() && twice {
            self.check(self.jobs.close());
        }
    }

    /// A worker: "started" and "finished" are noted by the jobs and results channels, in the same
    /// critical section as the receive and the send they go with.
    pub(crate) fn worker(&self, worker: u16) {
        if self.config.lesson.mistake == Mistake::AddInWorker {
            self.wg.add(1);
        }
        let mut taken = Taken::new(&self.taken);
        let stop = loop {
            let Numbered { job, payload } = match self.next_job() {
                Ok(next) => next,
                Err(stop) => break stop,
            };
            taken.push(job);
            if !self.serve(job, worker, &payload) {
                break Stop::Ended;
            }
        };
        drop(taken);
        if let (Some(roster), Stop::Ended) = (&self.patterns.roster, stop) {
            roster.leave();
        }
        self.check(self.wg.done());
    }

    /// A task of its own for job `k` (no pool): works on it, sends the result, and is done.
    pub(crate) fn task(&self, k: u16, payload: J) {
        if self.config.lesson.mistake == Mistake::AddInWorker {
            self.wg.add(1);
        }
        let job = u32::from(k);
        self.note_as(actor::current(), EventKind::Started { job });
        lock(&self.taken).push(job);
        self.serve(job, k, &payload);
        self.check(self.wg.done());
    }

    /// Works on `job` (retrying as the policy says) and sends its result; false if the send
    /// failed and the worker must stop.
    fn serve(&self, job: u32, worker: u16, payload: &J) -> bool {
        let (result, attempts) = self.attempt(job, worker, payload);
        let done = Done {
            job,
            worker,
            result,
            attempts,
        };
        self.check(self.results.send(done)).is_some()
    }

    /// Runs the work on `job` until it succeeds or the attempts run out, waiting the backoff
    /// between attempts; returns the last result and the attempts made.
    fn attempt(&self, job: u32, worker: u16, payload: &J) -> (Result<R, E>, u32) {
        let retry = &self.config.patterns.retry;
        let mut attempt = 1;
        loop {
            let ctx = WorkCtx {
                job,
                worker,
                attempt,
                context: self.shutdown.context(),
                service: self.patterns.service.as_ref(),
                trace: self.watch.trace(),
                ended: Cell::new(WorkEnd::Unknown),
            };
            let result = (self.work)(payload, &ctx);
            // "Finished" is stamped when the work ended: read now, unless the work said when.
            match ctx.ended.get() {
                WorkEnd::Unknown => self.watch.trace().read_at(None),
                WorkEnd::At(ms) => self.watch.trace().read_at(Some(ms)),
                WorkEnd::AtOnce => {}
            }
            if result.is_ok() || attempt >= retry.max_attempts || self.shutdown.is_cancelled() {
                return (result, attempt);
            }
            let ms = retry.backoff_ms(self.config.patterns.seed, job, attempt);
            let me = actor::current();
            self.note_as(me, EventKind::Backoff { job, attempt, ms });
            if let Err(stopped) = sleep_unless(ms, self.shutdown.context()) {
                return (Err(stopped.into()), attempt);
            }
            attempt += 1;
            self.note_as(me, EventKind::Attempt { job, attempt });
        }
    }

    /// The closer: `wg.Wait(); close(results)` (or, as a mistake, the close without the wait).
    pub(crate) fn closer(&self) {
        let early = self.config.lesson.mistake == Mistake::CloseResultsEarly;
        if early || self.check(self.wg.wait()).is_some() {
            self.check(self.results.close());
        }
    }

    /// The consumer: reads the results, after `wg.Wait()` when told to collect that way.
    pub(crate) fn consumer(&self) {
        if self.config.lesson.collect == Collect::AfterWait {
            if self.check(self.wg.wait()).is_none() {
                return;
            }
            self.check(self.results.close());
        }
        self.consume();
    }

    fn consume(&self) {
        let mut reorder = self.reorder_buffer();
        let mut arrival = 0;
        let retries = self.config.patterns.retry.retries();
        let pause = ms(self.config.lesson.consumer_pause);
        while let Some(Done {
            job,
            worker,
            result,
            attempts,
        }) = self.check(self.results.recv())
        {
            arrival += 1;
            let (value, error) = match result {
                Ok(value) => (Some(value), None),
                Err(error) => (None, Some(error)),
            };
            let delivery = Delivery {
                job,
                worker,
                arrival,
                value,
                error,
                attempts: retries.then_some(attempts),
            };
            if pause > 0.0 {
                // A forced shutdown cancels the pause too; the result is kept either way.
                let slept = sleep_unless(pause, self.shutdown.context());
                // The consumer's next events are stamped after its pause.
                self.watch.trace().read_at(slept.ok().flatten());
            }
            match &mut reorder {
                None => self.deliver([delivery], None),
                Some(buffer) => {
                    let released = buffer.push(delivery, self.elapsed_ms());
                    self.deliver(released, Some(buffer.held()));
                }
            }
        }
        let reorder = reorder.map(|mut buffer| {
            let rest = buffer.flush(self.elapsed_ms());
            self.deliver(rest, Some(0));
            (buffer.peak(), buffer.mean_delay_ms())
        });
        lock(&self.collected).reorder = reorder;
    }

    /// Delivers results in order: each joins the run's results, and one released by a reorder
    /// buffer (`held` others wait on) is noted.
    fn deliver(&self, released: impl IntoIterator<Item = Delivery<R, E>>, held: Option<usize>) {
        let mut collected = lock(&self.collected);
        for delivery in released {
            if let Some(held) = held {
                let job = delivery.job;
                let held = held as u32;
                self.note_as(actor::current(), EventKind::Delivered { job, held });
            }
            collected
                .delivered
                .push((delivery.job, delivery.error.is_some()));
            if let (Some(attempts), Some(error)) = (delivery.attempts, &delivery.error) {
                collected.dead_letters.push(DeadLetter {
                    job: delivery.job,
                    attempts,
                    error: error.to_string(),
                });
            }
            collected.results.push_back(delivery);
        }
        self.progress.notify_all();
    }
}
