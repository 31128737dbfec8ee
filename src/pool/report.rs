//! What a finished run hands back: the results as delivered, an account of every job, the figures,
//! and what the production patterns add (the service's figures, the dead-letter queue, how an
//! autoscaling pool grew and shrank).

use crate::observe::actor::Actor;
use crate::observe::deadlock::Wait;
use crate::observe::trace::Outcome;
use crate::patterns::retry::DeadLetter;
use crate::patterns::scaling::ScalingReport;
use crate::patterns::service::ServiceReport;
use serde::Serialize;

/// One result, as the consumer delivered it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delivery<R> {
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
    pub error: Option<String>,
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
    /// Sorts jobs `1..=total` into the lists, given what was delivered and which jobs workers took.
    pub fn new<R>(total: u32, delivered: &[Delivery<R>], taken: &[u32]) -> Self {
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
        for d in delivered {
            fate[d.job as usize - 1] = if d.error.is_some() {
                Fate::Failed
            } else {
                Fate::Done
            };
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

/// Who panicked, and Go's words for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PanicInfo {
    /// The actor whose operation panicked.
    pub actor: Actor,
    /// Go's panic message, such as "send on closed channel".
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
    /// Results in delivery order: arrival order, or job order in an ordered run.
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
