//! What a finished run hands back: the results as delivered, an account of every job, the figures,
//! and what the production patterns add (the service's figures, the dead-letter queue, how an
//! autoscaling pool grew and shrank); and how the last actor out writes it.

use super::config::Staffing;
use super::engine::{Collected, Engine, WorkError};
use super::shutdown::Shutdown;
use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::deadlock::Wait;
use crate::observe::trace::{EventKind, Outcome};
use crate::observe::watch::Watch;
use crate::patterns::retry::DeadLetter;
use crate::patterns::scaling::{Roster, ScalingReport};
use crate::patterns::service::{Service, ServiceReport};
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

/// One result, as the consumer delivered it: the work's value, or its error `E`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delivery<R, E = String> {
    /// The job's number, from 1 in submission order.
    pub job: u32,
    /// The worker that produced it (from 1).
    pub worker: u16,
    /// The rank (from 1) at which the consumer received it.
    pub arrival: u32,
    /// What the work returned, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<R>,
    /// Why the job failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<E>,
    /// Attempts it took, in a run that retries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
}

/// Every job of a run, in exactly one list (job numbers, ascending).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accounting {
    /// Jobs whose value reached the consumer.
    pub done: Vec<u32>,
    /// Jobs whose error reached the consumer.
    pub failed: Vec<u32>,
    /// Jobs no worker took.
    pub not_started: Vec<u32>,
    /// Jobs a worker took whose result never reached the consumer.
    pub undelivered: Vec<u32>,
}

impl Accounting {
    /// Sorts jobs `1..=total` into the lists, given each delivered job (and whether it failed)
    /// and the jobs workers took.
    pub fn new(total: u32, delivered: &[(u32, bool)], taken: &[u32]) -> Self {
        #[derive(Clone, Copy, PartialEq)]
        enum Fate {
            NotStarted,
            Taken,
            Done,
            Failed,
        }
        let mut fate = vec![Fate::NotStarted; total as usize];
        for &job in taken {
            fate[job as usize - 1] = Fate::Taken;
        }
        for &(job, failed) in delivered {
            fate[job as usize - 1] = if failed { Fate::Failed } else { Fate::Done };
        }
        let mut accounting = Accounting::default();
        for (job, fate) in (1..).zip(fate) {
            match fate {
                Fate::Done => accounting.done.push(job),
                Fate::Failed => accounting.failed.push(job),
                Fate::NotStarted => accounting.not_started.push(job),
                Fate::Taken => accounting.undelivered.push(job),
            }
        }
        accounting
    }
}

/// The figures of a finished run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// From start to the last actor's exit.
    pub wall_ms: f64,
    /// Total time the producer spent blocked.
    pub producer_blocked_ms: f64,
    /// Total time the workers spent blocked, all of them together.
    pub workers_blocked_ms: f64,
    /// The most jobs the jobs channel held at once.
    pub max_jobs_queued: usize,
    /// The most results the results channel held at once.
    pub max_results_queued: usize,
    /// Threads the run occupied: one per actor, plus one for its timer if it has one.
    pub threads: usize,
    /// Results delivered with a value.
    pub succeeded: usize,
    /// Results delivered with an error.
    pub failed: usize,
    /// Jobs whose result the consumer never got.
    pub missed: usize,
    /// Ordered runs: the most results held back at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reorder_peak: Option<usize>,
    /// Ordered runs: the mean time a result waited for its turn, in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reorder_delay_ms: Option<f64>,
}

/// Who panicked, and the panic's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PanicInfo {
    /// The actor that panicked: its operation did what Go panics over, or its code (say, the
    /// work) panicked.
    pub actor: Actor,
    /// Go's panic message, such as "send on closed channel", or the words a Rust panic was
    /// raised with.
    pub error: String,
}

/// A finished run; `T` is what each result is shown as (a [`Delivery`] as the pool made it, or an
/// example's own card built from one).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report<T> {
    /// How it ended.
    pub outcome: Outcome,
    /// A sentence for the reader when the outcome is not `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// On deadlock: who waited on what when the run froze.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<Wait>>,
    /// On panic: who did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panic: Option<PanicInfo>,
    /// Results in delivery order: arrival order, or job order in an ordered run (those not
    /// already taken from the run while it went on).
    pub results: Vec<T>,
    /// Every job, once.
    pub accounting: Accounting,
    /// Timing and queue figures.
    pub stats: Stats,
    /// Runs whose jobs call a service: what the service saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceReport>,
    /// Runs that retry: the jobs that failed every attempt (the `failed` accounting list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letters: Option<Vec<DeadLetter>>,
    /// Autoscaling runs: the worker count and queue depth over time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingReport>,
}

impl<T> Report<T> {
    /// The same report with each result turned into `f(result)`.
    pub fn map_results<U>(self, f: impl FnMut(T) -> U) -> Report<U> {
        Report {
            outcome: self.outcome,
            message: self.message,
            blocked: self.blocked,
            panic: self.panic,
            results: self.results.into_iter().map(f).collect(),
            accounting: self.accounting,
            stats: self.stats,
            service: self.service,
            dead_letters: self.dead_letters,
            scaling: self.scaling,
        }
    }
}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Engine<J, R, E> {
    /// How the run ended, and a sentence about it.
    fn verdict(&self) -> (Outcome, Option<String>) {
        verdict(&self.panic, &self.watch, &self.shutdown, || {
            format!("cancelled ({})", self.shutdown.mode().describe())
        })
    }

    /// Called by the last actor to exit: writes the report and marks the run finished.
    pub(crate) fn finish(&self) {
        let (outcome, message) = self.verdict();
        let total_jobs = self.total_jobs.load(Ordering::Acquire);
        let Collected {
            results,
            delivered,
            dead_letters,
            reorder,
            ..
        } = std::mem::replace(
            &mut *lock(&self.collected),
            Collected {
                results: VecDeque::new(),
                taken: 0,
                delivered: Vec::new(),
                dead_letters: Vec::new(),
                reorder: None,
            },
        );
        let accounting = Accounting::new(total_jobs, &delivered, &lock(&self.taken));
        let workers_blocked_ms = self.workers().map(|who| self.watch.blocked_ms(who)).sum();
        let stats = Stats {
            wall_ms: self.elapsed_ms(),
            producer_blocked_ms: self.watch.blocked_ms(Actor::Producer),
            workers_blocked_ms,
            max_jobs_queued: self.jobs.peak_len(),
            max_results_queued: self.results.peak_len(),
            threads: self.threads,
            succeeded: accounting.done.len(),
            failed: accounting.failed.len(),
            missed: total_jobs as usize - delivered.len(),
            reorder_peak: reorder.map(|(peak, _)| peak),
            reorder_delay_ms: reorder.map(|(_, delay)| delay),
        };
        let panic = record_end(&self.watch, outcome, &self.panic);
        *lock(&self.report) = Some(Report {
            outcome,
            message,
            blocked: self.watch.deadlock(),
            panic,
            results: results.into(),
            accounting,
            stats,
            service: self.patterns.service.as_ref().map(Service::report),
            dead_letters: self.config.patterns.retry.retries().then_some(dead_letters),
            scaling: self.patterns.roster.as_ref().map(Roster::report),
        });
        self.finished.store(true, Ordering::Release);
        // Whoever waits for results or the end: take the lock so none misses the wake-up.
        let _collected = lock(&self.collected);
        self.progress.notify_all();
    }

    /// Every worker (or task) the run had.
    fn workers(&self) -> impl Iterator<Item = Actor> {
        let (count, actor): (u16, fn(u16) -> Actor) = match self.config.staffing {
            Staffing::Fixed => (self.config.workers, Actor::Worker),
            Staffing::Autoscale(_) => {
                let spawned = self.patterns.roster.as_ref().map_or(0, Roster::spawned);
                (spawned, Actor::Worker)
            }
            Staffing::Unbounded => {
                let tasks = self.total_jobs.load(Ordering::Acquire);
                (u16::try_from(tasks).unwrap_or(u16::MAX), Actor::Task)
            }
        };
        (1..=count).map(actor)
    }
}

/// How a run ended, and a sentence about it, in Go's words: a panic before a deadlock before a
/// cancel (worded by `cancelled`), else completed. Shared by the pool and the pipeline.
pub(crate) fn verdict(
    panic: &Mutex<Option<(Actor, String)>>,
    watch: &Watch,
    shutdown: &Shutdown,
    cancelled: impl FnOnce() -> String,
) -> (Outcome, Option<String>) {
    if let Some((who, error)) = &*lock(panic) {
        return (Outcome::Panic, Some(format!("panic: {error} (in {who})")));
    }
    if watch.deadlock().is_some() {
        return (
            Outcome::Deadlock,
            Some("fatal error: all goroutines are asleep - deadlock!".to_string()),
        );
    }
    if shutdown.is_requested() {
        return (Outcome::Cancelled, Some(cancelled()));
    }
    (Outcome::Completed, None)
}

/// Ends the trace with the run's `outcome`, and gives the panic that ended it, if one did. Shared by
/// the pool and the pipeline, as the last step before they write their report.
pub(crate) fn record_end(
    watch: &Watch,
    outcome: Outcome,
    panic: &Mutex<Option<(Actor, String)>>,
) -> Option<PanicInfo> {
    watch
        .trace()
        .record_last(Actor::Main, EventKind::Ended { outcome });
    lock(panic)
        .clone()
        .map(|(actor, error)| PanicInfo { actor, error })
}
