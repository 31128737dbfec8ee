//! The doubling example from the Go posts: jobs are the numbers 1..=n, each worker "works" for the
//! configured time and returns twice the number.

use crate::config::RunConfig;
use crate::pool::{self, PoolConfig, Run, StartError};
use crate::spawn::Spawn;

/// A doubling run: jobs are numbers, results their doubles.
pub type DoublingRun = Run<u32, u64>;

/// Starts the doubling example described by `config`, recording the trace if `tracing`.
pub fn start(
    config: &RunConfig,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<DoublingRun, StartError> {
    let pool = PoolConfig {
        workers: config.workers,
        jobs_buffer: config.jobs_buffer as usize,
        results_buffer: config.results_buffer as usize,
        tracing,
    };
    let work_ms = f64::from(config.work_ms);
    pool::start(
        &pool,
        1..=config.jobs,
        move |n: &u32, ctx| {
            ctx.sleep_ms(work_ms);
            u64::from(*n) * 2
        },
        spawner,
    )
}
