//! The worker pool, wired as in Go, with the mistakes the Go posts warn about available on purpose.
//!
//! ```text
//! producer ──jobs──▶ worker 1..N ──results──▶ consumer
//!                        │ wg.Done()
//!                     closer: wg.Wait(); close(results)
//! ```
//! A library user starts one with [`Pool::builder`] and submits jobs while it runs; the examples
//! start one with [`start`] and every job up front. Either way the run's actors start at once,
//! each on a thread of its own, and the handle is a [`Run`]: its [results](Run::results) as they
//! come, [`Run::join`] for the [`Report`], [`Run::take_events`] for the trace at any time. Three
//! things end a run early: a panic (an actor's operation fails the way Go panics, or its code
//! panics), a deadlock (the watch finds every live actor blocked) and a shutdown ([`Run::cancel`]
//! or the `cancel_after` timer, in the configured [`ShutdownMode`]). A panic or a deadlock aborts
//! every channel and the WaitGroup, so blocked actors return and their threads go back to the
//! pool; a shutdown stops only the jobs channel, so no finished work is lost.
//!
//! The files: [`config`] (what a pool is, and the [`Lesson`] the page bends its lifecycle with),
//! `engine` (the shared state, starting actors, tearing down), `actors` (their bodies), `timer`
//! (shutdown and the timer thread), `scaler` (an autoscaling pool's seams), [`work`] (what the
//! work function gets), [`report`], `progress` (waking whoever waits for results, only if someone
//! does), `reorder`, [`shutdown`], [`spawn`], [`handle`], `builder`, and [`compare`] (the same
//! batch without a pool, then with one).
//!
//! The production patterns plug in here. [`Staffing`] says who takes the jobs: a fixed pool, an
//! autoscaling one (its scaler runs on the timer thread, see [`crate::patterns::scaling`]), or
//! none at all, one task per job (`Staffing::Unbounded`). A worker retries a failed job as its
//! [`Retry`](crate::patterns::retry::Retry) policy says, recording each attempt and backoff wait.
//! With [`ServiceLimits`](crate::patterns::service::ServiceLimits) the work calls the run's
//! service through [`WorkCtx::request`], and a request beyond its limits fails with a 429.
//! [`Arrivals`](crate::patterns::arrivals::Arrivals) paces the producer. The report then carries
//! the service's figures, the dead-letter queue and the scaling series.
//!
//! [`ShutdownMode`]: crate::observe::trace::ShutdownMode

mod actors;
mod builder;
pub mod compare;
pub mod config;
mod engine;
pub mod handle;
mod progress;
mod reorder;
pub mod report;
mod scaler;
pub mod shutdown;
pub mod spawn;
mod timer;
pub mod work;

pub use builder::{Pool, PoolBuilder};
pub use config::{Collect, HELPER_THREADS, Lesson, Mistake, PoolConfig, Staffing};
pub use engine::WorkError;
pub use handle::{Closed, Results, Run};
pub use report::{Delivery, Report};
pub use work::WorkCtx;

use engine::{Intake, launch};
use spawn::Spawn;
use std::fmt;
use std::sync::Mutex;

/// Why a run could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// The spawner cannot keep every actor blocked at once.
    NotEnoughThreads {
        /// Threads available.
        have: usize,
        /// Threads the run needs.
        need: usize,
    },
    /// The run must start actors while it goes on, and the spawner cannot be kept for that.
    CannotSpawnLater,
    /// A pool of no workers would never take a job.
    NoWorkers,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NotEnoughThreads { have, need } => write!(
                f,
                "the thread pool has {have} threads, but this run needs {need}: one per worker \
                 plus the producer, the closer, the consumer and a timer"
            ),
            StartError::CannotSpawnLater => f.write_str(
                "this run starts workers while it goes on, but its spawner cannot be kept for that",
            ),
            StartError::NoWorkers => f.write_str("a pool needs at least one worker"),
        }
    }
}

impl std::error::Error for StartError {}

/// Starts a pool run over `jobs` (numbered from 1), each turned into a result (or an error) by
/// `work` on one of `config.workers` workers. Returns at once; the actors run on threads from
/// `spawner`.
pub fn start<J, R, E, I, F>(
    config: &PoolConfig,
    jobs: I,
    work: F,
    spawner: &dyn Spawn,
) -> Result<Run<J, R, E>, StartError>
where
    J: Send + 'static,
    R: Send + 'static,
    E: WorkError,
    I: IntoIterator<Item = J>,
    I::IntoIter: ExactSizeIterator + Send + 'static,
    F: Fn(&J, &WorkCtx) -> Result<R, E> + Send + Sync + 'static,
{
    let jobs = jobs.into_iter();
    let total = u32::try_from(jobs.len()).expect("fewer than 2^32 jobs");
    let engine = launch(config, Intake::Fixed(Box::new(jobs)), total, work, spawner)?;
    Ok(Run {
        engine,
        intake: Mutex::new(None),
    })
}
