//! A pipeline of stages, as the Go posts' next step: each stage is a pool of its own, and the
//! stages are joined by channels.
//!
//! ```text
//! source ─jobs─▶ stage 1 (workers s1-worker-1..) ─c1─▶ stage 2 ─c2─▶ … ─cN─▶ consumer
//!                   │ wg1.Done()                       │ wg2.Done()
//!                s1-closer: wg1.Wait(); close(c1)   s2-closer: wg2.Wait(); close(c2)
//! ```
//!
//! *Fan-out*: a stage's workers all read its one input channel. *Fan-in*: they all send into the
//! stage's output channel, which many senders share, so none of them may close it: the stage's
//! closer closes it once, after the stage's WaitGroup says every worker has returned. Each stage
//! has its own work time and its own output buffer. Every value is a job's number, doubled by
//! each stage it passes (so a job `j` arrives as `j × 2^stages`).
//!
//! The pieces are the pool's: the [`Chan`](crate::sync::chan::Chan)s and
//! [`WaitGroup`](crate::sync::waitgroup::WaitGroup)s report to one
//! [`Watch`](crate::observe::watch::Watch), so the deadlock detector sees every stage at once
//! and can say who waits on what across stages; actors start [`supervised`](crate::pool::spawn)
//! like a pool's; a shutdown keeps its state in the pool's [`Shutdown`](crate::pool::shutdown);
//! the report accounts for every job with the pool's
//! [`Accounting`](crate::pool::report::Accounting).
//!
//! Two mistakes can be made on purpose ([`StagePlan::close_output`] off, and
//! [`CancelReach::FirstStage`]); `flow.rs` has the actors, `report.rs` the report and which
//! stage was the bottleneck.

mod flow;
pub mod report;

use crate::observe::actor::Actor;
use crate::observe::trace::{Event, ShutdownMode};
use crate::pool::StartError;
use crate::pool::spawn::Spawn;
use flow::Flow;
pub use report::{PipelineReport, StageReport};
use std::sync::Arc;
use std::time::Duration;

/// The most stages a pipeline may have.
pub const MAX_STAGES: usize = 6;

/// One stage: its workers, the time each job takes it, its output buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StagePlan {
    /// Workers reading the stage's input (at least 1).
    pub workers: u16,
    /// Simulated work per job, in ms.
    pub work_ms: u32,
    /// Capacity of the stage's output channel (0 = unbuffered).
    pub buffer: usize,
    /// Whether the stage's closer closes its output once the workers are done. Off is the
    /// mistake: the next stage ranges over a channel nobody closes, and the run deadlocks.
    pub close_output: bool,
}

/// Which stages a cancel reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelReach {
    /// Every stage watches the context: each stops taking and passing on jobs at once.
    EveryStage,
    /// The mistake: only the source and the first stage watch the context; the later stages go
    /// on working through what is already inside the pipeline.
    FirstStage,
}

/// What a pipeline run is: its jobs, its stages, and how it is cancelled.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelinePlan {
    /// Jobs the source sends, numbered from 1.
    pub jobs: u32,
    /// The stages, in order (1 to [`MAX_STAGES`]).
    pub stages: Vec<StagePlan>,
    /// Capacity of the jobs channel, source to the first stage.
    pub jobs_buffer: usize,
    /// Whether to record the trace.
    pub tracing: bool,
    /// Request a shutdown this long after the start.
    pub cancel_after: Option<Duration>,
    /// `Graceful`: a cancel drops what is queued and stops; `Drain`: the source stops and
    /// everything already inside is finished and delivered. (`Force` is read as `Graceful`.)
    pub shutdown: ShutdownMode,
    /// Which stages a graceful cancel reaches.
    pub cancel_reaches: CancelReach,
}

impl PipelinePlan {
    /// The actors a run starts, in drawing order: the source, each stage's workers then its
    /// closer, the consumer.
    pub fn actors(&self) -> Vec<Actor> {
        let mut actors = vec![Actor::Producer];
        for (stage, plan) in (1..).zip(&self.stages) {
            let workers = 1..=plan.workers;
            actors.extend(workers.map(|worker| Actor::StageWorker { stage, worker }));
            actors.push(Actor::StageCloser(stage));
        }
        actors.push(Actor::Consumer);
        actors
    }

    /// Threads a run needs at once: one per actor, and a timer when it has a deadline.
    pub fn threads(&self) -> usize {
        self.actors().len() + usize::from(self.cancel_after.is_some())
    }
}

/// A pipeline run in progress (or finished), driven by polling like a pool's run.
pub struct Pipeline {
    flow: Arc<Flow>,
}

/// Starts a run of `plan` on `spawner`; returns at once.
pub fn start(plan: &PipelinePlan, spawner: &dyn Spawn) -> Result<Pipeline, StartError> {
    if plan.stages.iter().any(|stage| stage.workers == 0) || plan.stages.is_empty() {
        return Err(StartError::NoWorkers);
    }
    let need = plan.threads();
    if spawner.capacity() < need {
        return Err(StartError::NotEnoughThreads {
            have: spawner.capacity(),
            need,
        });
    }
    Ok(Pipeline {
        flow: flow::launch(plan, spawner),
    })
}

impl Pipeline {
    /// The events recorded since the last call, in time order.
    pub fn take_events(&self) -> Vec<Event> {
        self.flow.watch.trace().drain()
    }

    /// Drops the events recorded since the last call; returns how many there were.
    pub fn discard_events(&self) -> usize {
        self.flow.watch.trace().discard()
    }

    /// Whether every actor has exited.
    pub fn is_finished(&self) -> bool {
        self.flow.is_finished()
    }

    /// How many results the consumer has received so far.
    pub fn delivered(&self) -> usize {
        self.flow.delivered()
    }

    /// Requests the shutdown, in the plan's mode; the run ends with outcome `cancelled` (unless
    /// it deadlocks first).
    pub fn cancel(&self) {
        self.flow.request_shutdown();
    }

    /// The report, once the run is finished (and only once).
    pub fn take_report(&self) -> Option<PipelineReport> {
        if !self.is_finished() {
            return None;
        }
        self.flow.take_report()
    }
}
