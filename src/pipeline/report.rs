//! What a finished pipeline run hands back: the results, an account of every job, each stage's
//! figures, and which stage was the bottleneck; and how the last actor out writes it.
//!
//! The bottleneck is the stage whose workers were busiest: its busy time per worker is the
//! largest. In a pipeline every job passes every stage, so the stage with the most work per
//! worker (`workMs / workers`) keeps its workers busy the whole time while the others wait on
//! it, and the throughput of the whole follows it.

use super::flow::Flow;
use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::deadlock::Wait;
use crate::observe::trace::{Outcome, Resource};
use crate::pool::report::{Accounting, Delivery, PanicInfo, record_end, verdict};
use serde::Serialize;
use std::sync::atomic::Ordering;

/// What one stage's workers did, summed as each returns.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Tally {
    /// Jobs whose work the stage finished.
    pub(super) processed: usize,
    /// Time its workers spent working, together.
    pub(super) busy_ms: f64,
    /// Jobs it took but never passed on (work cancelled, or the send given up).
    pub(super) dropped: usize,
    /// Jobs it took after the shutdown had stopped the stages it reaches.
    pub(super) after_cancel: usize,
}

impl Tally {
    /// Adds another worker's tally.
    pub(super) fn add(&mut self, other: &Tally) {
        self.processed += other.processed;
        self.busy_ms += other.busy_ms;
        self.dropped += other.dropped;
        self.after_cancel += other.after_cancel;
    }
}

/// One stage's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageReport {
    /// Its workers.
    pub workers: u16,
    /// Its work per job, in ms.
    pub work_ms: u32,
    /// Its output channel's capacity.
    pub buffer: usize,
    /// Jobs whose work it finished.
    pub processed: usize,
    /// Time its workers spent working, all of them together, in ms.
    pub busy_ms: f64,
    /// Time its workers spent blocked sending on its output, together, in ms.
    pub blocked_send_ms: f64,
    /// Time its workers spent blocked receiving from its input, together, in ms.
    pub blocked_recv_ms: f64,
    /// The most values its output channel held at once.
    pub max_queued: usize,
    /// Jobs it took but never passed on: their work was cancelled or their send given up.
    pub dropped: usize,
    /// Jobs it took after the shutdown had stopped the stages it reaches (none, for a stage it
    /// reached).
    pub after_cancel: usize,
    /// Values left in its output channel when the run ended (never taken by the next stage).
    pub stranded: usize,
}

/// The figures of a finished pipeline run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStats {
    /// From start to the last actor's exit.
    pub wall_ms: f64,
    /// Threads the run occupied: one per actor, plus a timer when it has a deadline.
    pub threads: usize,
    /// Results the consumer received.
    pub succeeded: usize,
    /// Jobs whose result the consumer never got.
    pub missed: usize,
    /// Results per second over the whole run.
    pub throughput_per_s: f64,
    /// Total time the source spent blocked sending.
    pub producer_blocked_ms: f64,
    /// The most jobs the jobs channel held at once.
    pub max_jobs_queued: usize,
}

/// A finished pipeline run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineReport {
    /// How it ended.
    pub outcome: Outcome,
    /// A sentence for the reader when the outcome is not `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// On deadlock: who waited on what, across the stages, when the run froze.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<Wait>>,
    /// On panic: who did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panic: Option<PanicInfo>,
    /// What the consumer received, in arrival order; `value` is the job × 2 per stage.
    pub results: Vec<Delivery<u64>>,
    /// Every job, once: done, not started (the first stage never took it), or undelivered (taken,
    /// then dropped by a stage or left in a channel).
    pub accounting: Accounting,
    /// Each stage's figures, in order.
    pub stages: Vec<StageReport>,
    /// The index (from 0) of the stage that limited the throughput.
    pub bottleneck: usize,
    /// Timing and counts.
    pub stats: PipelineStats,
}

/// The index of the stage whose workers were busiest (busy time per worker); on a tie, the one
/// with the most work per worker, then the first.
pub fn bottleneck(stages: &[StageReport]) -> usize {
    let load = |s: &StageReport| {
        let workers = f64::from(s.workers.max(1));
        (s.busy_ms / workers, f64::from(s.work_ms) / workers)
    };
    let mut best = 0;
    for (i, stage) in stages.iter().enumerate().skip(1) {
        if load(stage).partial_cmp(&load(&stages[best])) == Some(std::cmp::Ordering::Greater) {
            best = i;
        }
    }
    best
}

impl Flow {
    /// How the run ended, and a sentence about it.
    fn verdict(&self) -> (Outcome, Option<String>) {
        verdict(&self.panic, &self.watch, &self.shutdown, || {
            let words = match (self.plan.shutdown, self.plan.cancel_reaches) {
                (crate::observe::trace::ShutdownMode::Drain, _) => {
                    "cancelled (drain: the source stopped, everything inside was finished)"
                }
                (_, super::CancelReach::EveryStage) => {
                    "cancelled (every stage stopped: queued and unfinished jobs dropped)"
                }
                (_, super::CancelReach::FirstStage) => {
                    "cancelled, but only the first stage stopped: the later stages worked on"
                }
            };
            words.to_string()
        })
    }

    /// Each stage's figures.
    fn stage_reports(&self) -> Vec<StageReport> {
        let stages = self.plan.stages.iter().zip(&self.tallies).zip(&self.outs);
        (1..)
            .zip(stages)
            .map(|(stage, ((plan, tally), out))| {
                let tally = *lock(tally);
                let workers = 1..=plan.workers;
                let blocked_on = |resource| {
                    let each = workers
                        .clone()
                        .map(|worker| Actor::StageWorker { stage, worker });
                    each.map(|who| self.watch.blocked_ms_on(who, resource))
                        .sum()
                };
                let input = match stage {
                    1 => Resource::Jobs,
                    k => Resource::Out(k - 1),
                };
                StageReport {
                    workers: plan.workers,
                    work_ms: plan.work_ms,
                    buffer: plan.buffer,
                    processed: tally.processed,
                    busy_ms: tally.busy_ms,
                    blocked_send_ms: blocked_on(Resource::Out(stage)),
                    blocked_recv_ms: blocked_on(input),
                    max_queued: out.peak_len(),
                    dropped: tally.dropped,
                    after_cancel: tally.after_cancel,
                    stranded: out.len(),
                }
            })
            .collect()
    }

    /// Called by the last actor to exit: writes the report and marks the run finished.
    pub(super) fn finish(&self) {
        let (outcome, message) = self.verdict();
        let results = std::mem::take(&mut *lock(&self.delivered));
        let delivered: Vec<(u32, bool)> = results.iter().map(|d| (d.job, false)).collect();
        let accounting = Accounting::new(self.plan.jobs, &delivered, &lock(&self.taken));
        let stages = self.stage_reports();
        let wall_ms = self.watch.trace().elapsed_ms();
        let stats = PipelineStats {
            wall_ms,
            threads: self.plan.threads(),
            succeeded: results.len(),
            missed: self.plan.jobs as usize - results.len(),
            throughput_per_s: results.len() as f64 * 1000.0 / wall_ms.max(f64::MIN_POSITIVE),
            producer_blocked_ms: self.watch.blocked_ms(Actor::Producer),
            max_jobs_queued: self.jobs.peak_len(),
        };
        let panic = record_end(&self.watch, outcome, &self.panic);
        *lock(&self.report) = Some(PipelineReport {
            outcome,
            message,
            blocked: self.watch.deadlock(),
            panic,
            results,
            accounting,
            bottleneck: bottleneck(&stages),
            stages,
            stats,
        });
        self.finished.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(workers: u16, work_ms: u32, busy_ms: f64) -> StageReport {
        StageReport {
            workers,
            work_ms,
            buffer: 0,
            processed: 0,
            busy_ms,
            blocked_send_ms: 0.0,
            blocked_recv_ms: 0.0,
            max_queued: 0,
            dropped: 0,
            after_cancel: 0,
            stranded: 0,
        }
    }

    #[test]
    fn the_bottleneck_is_the_stage_busiest_per_worker() {
        let stages = [
            stage(4, 50, 900.0),
            stage(1, 100, 600.0),
            stage(2, 10, 100.0),
        ];
        assert_eq!(bottleneck(&stages), 1);
    }

    #[test]
    fn with_no_busy_time_the_most_work_per_worker_decides_then_the_first() {
        let stages = [stage(2, 10, 0.0), stage(1, 10, 0.0), stage(1, 10, 0.0)];
        assert_eq!(bottleneck(&stages), 1);
        let stages = [stage(1, 0, 0.0), stage(1, 0, 0.0)];
        assert_eq!(bottleneck(&stages), 0);
    }
}
