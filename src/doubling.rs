//! The doubling example from the Go posts: jobs are the numbers 1..=n, each worker "works" for the
//! job's cost and returns twice the number, unless the job is one that fails.

use crate::config::RunConfig;
use crate::pool::{self, Run, StartError};
use crate::spawn::Spawn;

/// A doubling run: jobs are numbers, results their doubles.
pub type DoublingRun = Run<u32, u64>;

/// Starts the doubling example described by `config`, recording the trace if `tracing`.
pub fn start(
    config: &RunConfig,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<DoublingRun, StartError> {
    let plan = Plan::new(config);
    pool::start(
        &config.pool(tracing),
        1..config.jobs + 1,
        move |&n: &u32, ctx| {
            ctx.sleep_ms(plan.cost_ms(n)).map_err(|e| e.to_string())?;
            match plan.failure(n) {
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
    fn new(config: &RunConfig) -> Self {
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

    /// Why job `n` fails, if it does: listed, or unlucky in the seeded draw.
    fn failure(&self, n: u32) -> Option<String> {
        if self.fail_jobs.contains(&n) {
            return Some(format!("job {n} failed: it is listed in failJobs"));
        }
        (unit_draw(self.seed, n) < self.fail_rate).then(|| {
            format!(
                "job {n} failed: simulated error (failRate {}, seed {})",
                self.fail_rate, self.seed
            )
        })
    }
}

/// A number in [0, 1) fixed by `seed` and `job` (SplitMix64), so failures repeat run after run.
fn unit_draw(seed: u32, job: u32) -> f64 {
    let mut z = (u64::from(seed) << 32 | u64::from(job)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
