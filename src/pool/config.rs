//! What a pool is: its shape, who takes the jobs, the patterns it runs, and the lesson it teaches.

use crate::observe::actor::Actor;
use crate::observe::trace::ShutdownMode;
use crate::patterns::Patterns;
use crate::patterns::scaling::Scaling;
use serde::Serialize;
use std::time::Duration;

/// The most threads a run needs besides its workers: producer, closer, consumer and timer (which
/// is also an autoscaling pool's scaler).
pub const HELPER_THREADS: usize = 4;

/// Who gathers the results, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Collect {
    /// The consumer reads while the workers run; a closer does `wg.Wait(); close(results)`.
    Concurrent,
    /// The consumer does `wg.Wait()`, closes results, and only then reads: workers block once the
    /// results buffer is full.
    AfterWait,
    /// The producer sends every job, then reads the results itself: with small buffers the
    /// producer and the workers wait on each other.
    AfterSend,
}

/// A lifecycle bug committed on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mistake {
    /// No bug.
    None,
    /// The producer closes the jobs channel twice.
    CloseJobsTwice,
    /// The closer closes the results channel without waiting for the workers.
    CloseResultsEarly,
    /// Each worker calls `wg.Add(1)` when it starts, instead of the pool before starting it.
    AddInWorker,
}

/// What the page bends in the pool's lifecycle to teach something: who collects the results,
/// whether the producer closes the jobs channel, a deliberate mistake, a slow consumer. A pool used
/// as a library keeps [`Lesson::default`]: the correct pool of the Go posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Whether the producer closes the jobs channel after the last job.
    pub close_jobs: bool,
    /// Who gathers the results.
    pub collect: Collect,
    /// A lifecycle bug to commit.
    pub mistake: Mistake,
    /// The consumer's pause after each result.
    pub consumer_pause: Duration,
}

impl Default for Lesson {
    fn default() -> Self {
        Lesson {
            close_jobs: true,
            collect: Collect::Concurrent,
            mistake: Mistake::None,
            consumer_pause: Duration::ZERO,
        }
    }
}

/// Who takes the jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staffing {
    /// `workers` workers, all through the run.
    Fixed,
    /// No pool: a task per job, all started at once, each given its job (Go's `go handle(j)` in
    /// a loop). There is no producer and no jobs channel; the tasks are the actors `task-k`.
    Unbounded,
    /// Between a minimum and a maximum of workers, by queue depth and idle time.
    Autoscale(Scaling),
}

/// The shape and behaviour of a pool. [`crate::pool::Pool::builder`] sets one up field by field.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Number of workers (at least 1).
    pub workers: u16,
    /// Capacity of the jobs channel (0 = unbuffered).
    pub jobs_buffer: usize,
    /// Capacity of the results channel (0 = unbuffered).
    pub results_buffer: usize,
    /// Whether to record the trace (off unless asked for).
    pub tracing: bool,
    /// Deliver results in job order through a reorder buffer.
    pub ordered: bool,
    /// Request a shutdown this long after the start.
    pub cancel_after: Option<Duration>,
    /// How a shutdown treats queued and in-flight jobs.
    pub shutdown: ShutdownMode,
    /// The grace period of a forced shutdown.
    pub shutdown_timeout: Duration,
    /// Who takes the jobs.
    pub staffing: Staffing,
    /// The production patterns it runs: retries, a service, the producer's pacing.
    pub patterns: Patterns,
    /// What the page bends in the lifecycle; the default is the correct pool.
    pub lesson: Lesson,
}

impl PoolConfig {
    /// A correct pool of `workers` with the given buffers: no trace, no timer, graceful shutdown.
    pub fn new(workers: u16, jobs_buffer: usize, results_buffer: usize) -> Self {
        PoolConfig {
            workers,
            jobs_buffer,
            results_buffer,
            tracing: false,
            ordered: false,
            cancel_after: None,
            shutdown: ShutdownMode::Graceful,
            shutdown_timeout: Duration::from_secs(1),
            staffing: Staffing::Fixed,
            patterns: Patterns {
                seed: 1,
                ..Patterns::default()
            },
            lesson: Lesson::default(),
        }
    }

    /// The actors this pool runs, each on a thread of its own, in the order they are started.
    /// The workers come last, as goroutines do in Go: whoever waits on the WaitGroup is already
    /// running when they start (which is what makes `Add` inside a worker a race).
    /// Unbounded, the tasks (one per job of `jobs`) take the workers' place.
    pub(crate) fn actors(&self, jobs: u32) -> Vec<Actor> {
        let mut actors = Vec::new();
        if self.staffing != Staffing::Unbounded {
            actors.push(Actor::Producer);
        }
        if self.lesson.collect != Collect::AfterWait {
            actors.push(Actor::Closer);
        }
        if self.lesson.collect != Collect::AfterSend {
            actors.push(Actor::Consumer);
        }
        match self.staffing {
            Staffing::Fixed => actors.extend((1..=self.workers).map(Actor::Worker)),
            Staffing::Autoscale(scaling) => {
                actors.extend((1..=scaling.min_workers).map(Actor::Worker));
            }
            Staffing::Unbounded => {
                let tasks = u16::try_from(jobs).unwrap_or(u16::MAX);
                actors.extend((1..=tasks).map(Actor::Task));
            }
        }
        actors
    }

    /// The actors this pool starts for `jobs` jobs, in drawing order: tasks, producer, workers,
    /// closer, consumer (the page draws a lane per actor in this order).
    pub fn lanes(&self, jobs: u32) -> Vec<Actor> {
        let rank = |actor: &Actor| match *actor {
            Actor::Task(k) => (0, k),
            Actor::Producer => (1, 0),
            Actor::Worker(k) => (2, k),
            Actor::Closer => (3, 0),
            Actor::Consumer => (4, 0),
            Actor::Main | Actor::Scaler | Actor::StageWorker { .. } | Actor::StageCloser(_) => {
                (5, 0)
            }
        };
        let mut actors = self.actors(jobs);
        actors.sort_by_key(rank);
        actors
    }

    /// Whether the run needs a timer thread (for `cancel_after`, a forced shutdown or a scaler).
    pub(crate) fn needs_timer(&self) -> bool {
        self.cancel_after.is_some()
            || self.shutdown == ShutdownMode::Force
            || matches!(self.staffing, Staffing::Autoscale(_))
    }

    /// The threads a run of `jobs` jobs needs at most: one per actor (an autoscaling pool's
    /// workers at their maximum) and the timer.
    pub fn threads(&self, jobs: u32) -> usize {
        let growth = match self.staffing {
            Staffing::Autoscale(s) => usize::from(s.max_workers - s.min_workers),
            Staffing::Fixed | Staffing::Unbounded => 0,
        };
        self.actors(jobs).len() + growth + usize::from(self.needs_timer())
    }
}

/// Milliseconds, as the engine's clock counts them.
pub(crate) fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
