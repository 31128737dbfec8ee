//! Setting a pool up as a library user would: a builder with the usual knobs, started with the
//! work function, then fed jobs while it runs.

use super::StartError;
use super::config::{PoolConfig, Staffing};
use super::engine::{Intake, WorkError, launch};
use super::handle::Run;
use super::spawn::Spawn;
use super::work::WorkCtx;
use crate::observe::trace::ShutdownMode;
use crate::patterns::retry::Retry;
use crate::patterns::scaling::Scaling;
use std::sync::{Mutex, mpsc};
use std::time::Duration;

/// The entry point of the library API: `Pool::builder()`.
pub struct Pool;

impl Pool {
    /// A builder for a correct pool of 4 workers with buffers of 4, no trace, graceful shutdown.
    pub fn builder() -> PoolBuilder {
        PoolBuilder {
            config: PoolConfig::new(4, 4, 4),
        }
    }
}

/// Sets up a pool, then starts it with its work function (see the crate docs for a tour).
#[derive(Clone, Debug)]
pub struct PoolBuilder {
    config: PoolConfig,
}

impl PoolBuilder {
    /// How many workers take jobs (at least 1).
    pub fn workers(mut self, workers: u16) -> Self {
        self.config.workers = workers;
        self
    }

    /// The capacity of the jobs channel (0: unbuffered, each job handed straight to a worker).
    pub fn jobs_buffer(mut self, capacity: usize) -> Self {
        self.config.jobs_buffer = capacity;
        self
    }

    /// The capacity of the results channel (0: unbuffered).
    pub fn results_buffer(mut self, capacity: usize) -> Self {
        self.config.results_buffer = capacity;
        self
    }

    /// Records every channel and WaitGroup operation ([`Run::take_events`]); off by default.
    pub fn tracing(mut self, on: bool) -> Self {
        self.config.tracing = on;
        self
    }

    /// Delivers results in job order, holding early ones back in a reorder buffer.
    pub fn ordered(mut self, ordered: bool) -> Self {
        self.config.ordered = ordered;
        self
    }

    /// Requests the shutdown this long after the start.
    pub fn cancel_after(mut self, after: Duration) -> Self {
        self.config.cancel_after = Some(after);
        self
    }

    /// How a cancel stops the run; `grace` is how long a forced shutdown drains before it cancels
    /// the work in flight.
    pub fn shutdown(mut self, mode: ShutdownMode, grace: Duration) -> Self {
        self.config.shutdown = mode;
        self.config.shutdown_timeout = grace;
        self
    }

    /// Retries a failed job as `retry` says, waiting its backoff between attempts; `seed` fixes
    /// the jitter of the waits.
    pub fn retry(mut self, retry: Retry, seed: u32) -> Self {
        self.config.patterns.retry = retry;
        self.config.patterns.seed = seed;
        self
    }

    /// Grows and shrinks the pool within `scaling`'s bounds instead of keeping `workers`.
    pub fn autoscale(mut self, scaling: Scaling) -> Self {
        self.config.staffing = Staffing::Autoscale(scaling);
        self
    }

    /// The configuration built so far.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// Starts the pool on operating-system threads, with `work` turning each job into a result
    /// or an error; jobs are then [submitted](Run::submit) while it runs. (In a browser, use
    /// [`PoolBuilder::start_on`] with the Web Workers' spawner.)
    #[cfg(not(target_arch = "wasm32"))]
    pub fn start<J, R, E, F>(self, work: F) -> Result<Run<J, R, E>, StartError>
    where
        J: Send + 'static,
        R: Send + 'static,
        E: WorkError,
        F: Fn(&J, &WorkCtx) -> Result<R, E> + Send + Sync + 'static,
    {
        self.start_on(&super::spawn::OsThreads, work)
    }

    /// Starts the pool with its actors on `spawner`'s threads.
    pub fn start_on<J, R, E, F>(
        self,
        spawner: &dyn Spawn,
        work: F,
    ) -> Result<Run<J, R, E>, StartError>
    where
        J: Send + 'static,
        R: Send + 'static,
        E: WorkError,
        F: Fn(&J, &WorkCtx) -> Result<R, E> + Send + Sync + 'static,
    {
        if self.config.workers == 0 && !matches!(self.config.staffing, Staffing::Autoscale(_)) {
            return Err(StartError::NoWorkers);
        }
        let (sender, submitted) = mpsc::channel();
        let engine = launch(&self.config, Intake::Open(submitted), 0, work, spawner)?;
        Ok(Run {
            engine,
            intake: Mutex::new(Some(sender)),
        })
    }
}
