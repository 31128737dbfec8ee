//! The doubling example from the Go posts: jobs are the numbers 1..=n, each worker "works" for the
//! job's cost and returns twice the number, unless the job is one that fails. With a service, the
//! work is a request to it; with retries, each attempt has its own seeded draw.

use crate::config::DoublingConfig;
use crate::patterns::seeded::unit_draw;
use crate::pool::compare::Comparison;
use crate::pool::spawn::Spawn;
use crate::pool::{self, PoolConfig, Run, StartError};

/// A doubling run: jobs are numbers, results their doubles.
pub type DoublingRun = Run<u32, u64>;

/// A comparison of the doubling batch without and with a pool.
pub type DoublingComparison = Comparison<u32, u64>;

/// Starts the doubling example described by `config`, recording the trace if `tracing`. (A
/// `pool: "compare"` config runs only its pool side here; [`compare`] runs both.)
pub fn start(
    config: &DoublingConfig,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<DoublingRun, StartError> {
    start_with(config, &config.pool(tracing), spawner)
}

/// Starts a comparison: the batch `config` describes with a task per job, then with its pool.
pub fn compare(
    config: &DoublingConfig,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<DoublingComparison, StartError> {
    let side_config = config.clone();
    Comparison::start(
        &config.pool(tracing),
        config.jobs,
        move |pool, spawner| start_with(&side_config, pool, spawner),
        spawner,
    )
}

/// The doubling batch of `config` on `pool`: each job is a request that takes its cost (to the
/// service, when there is one), then fails or returns twice its number.
fn start_with(
    config: &DoublingConfig,
    pool: &PoolConfig,
    spawner: &dyn Spawn,
) -> Result<DoublingRun, StartError> {
    let plan = Plan::new(config);
    pool::start(
        pool,
        1..config.jobs + 1,
        move |&n: &u32, ctx| {
            ctx.request(plan.cost_ms(n))?;
            match plan.failure(n, ctx.attempt) {
                Some(error) => Err(error),
                None => Ok(u64::from(n) * 2),
            }
        },
        spawner,
    )
}

/// What each job costs and whether it fails, fixed before the run starts.
struct Plan {
    work_ms: u32,
    costs: Vec<u32>,
    fail_rate: f64,
    fail_jobs: Vec<u32>,
    seed: u32,
}

impl Plan {
    fn new(config: &DoublingConfig) -> Self {
        Plan {
            work_ms: config.work_ms,
            costs: config.job_cost_ms.clone(),
            fail_rate: config.fail_rate,
            fail_jobs: config.fail_jobs.clone(),
            seed: config.seed,
        }
    }

    /// Job `n`'s cost in ms: its entry in the cost list (cycled), or the uniform work time.
    fn cost_ms(&self, n: u32) -> f64 {
        let ms = match self.costs.len() {
            0 => self.work_ms,
            len => self.costs[(n as usize - 1) % len],
        };
        f64::from(ms)
    }

    /// Why attempt `attempt` (from 1) at job `n` fails, if it does: the job is listed (it fails
    /// every time), or unlucky in the seeded draw for that attempt.
    fn failure(&self, n: u32, attempt: u32) -> Option<String> {
        if self.fail_jobs.contains(&n) {
            return Some(format!("job {n} failed: it is listed in failJobs"));
        }
        (unit_draw(self.seed, n, attempt - 1) < self.fail_rate).then(|| {
            format!(
                "job {n} failed: simulated error (failRate {}, seed {})",
                self.fail_rate, self.seed
            )
        })
    }
}
