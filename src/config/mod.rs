//! The configuration a reader (or a script) gives, validated against one table of fields.
//!
//! Every field is stated once, in [`fields`]: its name, its label and help for the page, its
//! kind, range, step and default ([`schema::FieldSpec`]). `Input` reads loosely typed [`Field`]s
//! against that table, so ranges live in one place and every mistake names the field and what it
//! allows; the wasm boundary exports the same table (`fieldSchema()`) and lists every problem by
//! label (`checkFields()`). [`DoublingConfig`] is the doubling example's configuration: a
//! `scenario` names a preset (`presets.rs`) whose values fill in the fields the input leaves out.
//! [`PoolFields`] are the pool's own fields, which the image example reads the same way;
//! [`PipelineConfig`] is the pipeline example's.
//!
//! This layer turns the page's words into the engine's values: the production patterns
//! ([`crate::patterns`]) know nothing of the page's field names.

pub mod fields;
mod input;
pub mod pipeline;
mod presets;
pub mod schema;

use crate::observe::actor::Actor;
use crate::observe::trace::ShutdownMode;
use crate::patterns::Patterns;
use crate::patterns::arrivals::Arrivals;
use crate::patterns::retry::Retry;
use crate::patterns::scaling::Scaling;
use crate::patterns::service::ServiceLimits;
use crate::pool::{Collect, Lesson, Mistake, PoolConfig, Staffing};
pub use fields::MAX_WORKERS;
pub(crate) use input::Input;
pub use input::{ConfigError, Field, Naming, Problem};
pub use pipeline::PipelineConfig;
use presets::{Preset, SCENARIOS};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// The threads of the browser's pool: enough for the largest run's actors (and its timer) to
/// block at once. A config that needs more is refused.
pub const THREAD_POOL: usize = MAX_WORKERS as usize + crate::pool::HELPER_THREADS;

/// The pool's own fields: its shape, ordering and shutdown. Both examples read them the same way.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolFields {
    /// Workers, 1 to [`MAX_WORKERS`].
    pub workers: u16,
    /// Capacity of the jobs channel, 0 (unbuffered) to 100.
    pub jobs_buffer: u32,
    /// Capacity of the results channel, 0 (unbuffered) to 100.
    pub results_buffer: u32,
    /// Deliver results in job order.
    pub ordered: bool,
    /// Request a shutdown this long after the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_after_ms: Option<u32>,
    /// How a shutdown treats queued and in-flight jobs.
    pub shutdown: ShutdownMode,
    /// The grace period of a forced shutdown.
    pub shutdown_timeout_ms: u32,
}

const SHUTDOWN_MODES: &[ShutdownMode] = &[
    ShutdownMode::Graceful,
    ShutdownMode::Drain,
    ShutdownMode::Force,
];

impl PoolFields {
    /// Reads the pool's fields from `input`.
    pub(crate) fn read(input: &Input) -> Result<Self, ConfigError> {
        Ok(PoolFields {
            workers: input.whole("workers")? as u16,
            jobs_buffer: input.whole("jobsBuffer")?,
            results_buffer: input.whole("resultsBuffer")?,
            ordered: input.flag("ordered")?,
            cancel_after_ms: input.optional_whole("cancelAfterMs")?,
            shutdown: input.choice("shutdown", SHUTDOWN_MODES)?,
            shutdown_timeout_ms: input.whole("shutdownTimeoutMs")?,
        })
    }

    /// The actors a fixed pool of this shape starts, in drawing order (whatever its jobs).
    pub fn actors(&self) -> Vec<Actor> {
        self.pool(false).lanes(0)
    }

    /// A correct pool of this shape, recording its trace if `tracing`.
    pub fn pool(&self, tracing: bool) -> PoolConfig {
        PoolConfig {
            tracing,
            workers: self.workers,
            jobs_buffer: self.jobs_buffer as usize,
            results_buffer: self.results_buffer as usize,
            ordered: self.ordered,
            cancel_after: self
                .cancel_after_ms
                .map(|ms| Duration::from_millis(ms.into())),
            shutdown: self.shutdown,
            shutdown_timeout: Duration::from_millis(self.shutdown_timeout_ms.into()),
            ..PoolConfig::new(self.workers, 0, 0)
        }
    }
}

/// A validated configuration of the doubling example.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoublingConfig {
    /// The preset the other fields started from.
    pub scenario: &'static str,
    /// Workers, 1 to [`MAX_WORKERS`].
    pub workers: u16,
    /// Jobs to run, 1 to 10,000.
    pub jobs: u32,
    /// Capacity of the jobs channel, 0 (unbuffered) to 100.
    pub jobs_buffer: u32,
    /// Capacity of the results channel, 0 (unbuffered) to 100.
    pub results_buffer: u32,
    /// Simulated work per job in milliseconds, 0 to 2,000, when `job_cost_ms` is empty.
    pub work_ms: u32,
    /// Work per job, cycled: job i costs entry (i - 1) mod length. Empty means `work_ms`.
    pub job_cost_ms: Vec<u32>,
    /// The consumer's pause after each result, 0 to 2,000 ms.
    pub consumer_ms: u32,
    /// Whether the producer closes the jobs channel.
    pub close_jobs: bool,
    /// Who gathers the results.
    pub collect: Collect,
    /// A lifecycle bug to commit.
    pub mistake: Mistake,
    /// The chance that a job fails, decided per job from `seed`.
    pub fail_rate: f64,
    /// Jobs that always fail.
    pub fail_jobs: Vec<u32>,
    /// Seed for `fail_rate`.
    pub seed: u32,
    /// Deliver results in job order.
    pub ordered: bool,
    /// Request a shutdown this long after the start.
    pub cancel_after_ms: Option<u32>,
    /// How a shutdown treats queued and in-flight jobs.
    pub shutdown: ShutdownMode,
    /// The grace period of a forced shutdown.
    pub shutdown_timeout_ms: u32,
    /// How the jobs are given to workers: a fixed pool, an autoscaling one, a task per job, or both
    /// of the last and the first, one after the other.
    pub pool: PoolKind,
    /// The downstream service each job calls, if any.
    #[serde(flatten)]
    pub service: ServiceLimits,
    /// Retries of failed jobs.
    #[serde(flatten)]
    pub retry: Retry,
    /// The limits of an autoscaling pool (`pool: "autoscale"`).
    #[serde(flatten)]
    pub scaling: Scaling,
    /// When the producer sends each job.
    #[serde(flatten)]
    pub arrivals: Arrivals,
}

/// How the jobs are given to workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PoolKind {
    /// `workers` workers.
    Fixed,
    /// From `minWorkers` to `maxWorkers` workers, by queue depth and idle time.
    Autoscale,
    /// No pool: one task per job, all started at once (a goroutine per job).
    Unbounded,
    /// The same batch twice: unbounded first, then a fixed pool, each against a fresh service.
    Compare,
}

const POOLS: &[PoolKind] = &[
    PoolKind::Fixed,
    PoolKind::Autoscale,
    PoolKind::Unbounded,
    PoolKind::Compare,
];
const COLLECT: &[Collect] = &[Collect::Concurrent, Collect::AfterWait, Collect::AfterSend];
const MISTAKES: &[Mistake] = &[
    Mistake::None,
    Mistake::CloseJobsTwice,
    Mistake::CloseResultsEarly,
    Mistake::AddInWorker,
];

/// The scenario `fields` names (the first, "basic", when none), or the message for a wrong one.
fn scenario_of(
    fields: &BTreeMap<String, Field>,
    naming: Naming,
) -> Result<&'static Preset, ConfigError> {
    let value = match fields.get("scenario") {
        None | Some(Field::Null) => return Ok(&SCENARIOS[0]),
        Some(value) => value,
    };
    let found = match value {
        Field::Text(name) => SCENARIOS.iter().find(|(n, _)| n == name),
        _ => None,
    };
    found.ok_or_else(|| {
        let names = input::quoted(SCENARIOS.iter().map(|(n, _)| *n));
        let called = match naming {
            Naming::Names => "scenario",
            Naming::Labels => "Scenario",
        };
        ConfigError::new(
            Some("scenario"),
            format!("{called} must be one of {names}, but got {value}"),
        )
    })
}

impl Default for DoublingConfig {
    fn default() -> Self {
        Self::from_fields(&BTreeMap::new()).expect("the defaults are valid")
    }
}

impl DoublingConfig {
    /// Validates `fields`: a `scenario` fills in the fields left out, absent fields take their
    /// defaults, unknown fields are an error.
    pub fn from_fields(fields: &BTreeMap<String, Field>) -> Result<Self, ConfigError> {
        let (scenario, preset) = *scenario_of(fields, Naming::Names)?;
        let input = Input::new(fields, preset, fields::DOUBLING, Naming::Names);
        if let Some(unknown) = input.unknown(&["scenario"]).next() {
            let names: Vec<&str> = ["scenario"]
                .into_iter()
                .chain(fields::DOUBLING.iter().map(|s| s.name))
                .collect();
            return Err(ConfigError::new(
                None,
                format!(
                    "unknown config field {}; the fields are {}",
                    Field::Text(unknown.clone()),
                    names.join(", ")
                ),
            ));
        }
        Self::read(scenario, &input)
    }

    /// Every problem with `fields`, each naming its field by its label: the names that are not
    /// fields, each field's own mistake, and (when each field is fine alone) the first rule that
    /// spans fields that they break. Empty when a run could start with them.
    pub fn problems(fields: &BTreeMap<String, Field>) -> Vec<Problem> {
        let (scenario, preset, mut problems) = match scenario_of(fields, Naming::Labels) {
            Ok(&(scenario, preset)) => (scenario, preset, Vec::new()),
            Err(error) => {
                let (scenario, preset) = SCENARIOS[0];
                let problem = Problem {
                    field: "scenario".into(),
                    label: "Scenario".into(),
                    message: error.to_string(),
                };
                (scenario, preset, vec![problem])
            }
        };
        let input = Input::new(fields, preset, fields::DOUBLING, Naming::Labels);
        problems.extend(input.problems(&["scenario"]));
        if problems.is_empty()
            && let Err(error) = Self::read(scenario, &input)
        {
            problems.push(input.problem(error));
        }
        problems
    }

    /// Reads every field of `input` (the names are known to be fields).
    fn read(scenario: &'static str, input: &Input) -> Result<Self, ConfigError> {
        let pool = PoolFields::read(input)?;
        let jobs = input.whole("jobs")?;
        let config = DoublingConfig {
            scenario,
            workers: pool.workers,
            jobs,
            jobs_buffer: pool.jobs_buffer,
            results_buffer: pool.results_buffer,
            work_ms: input.whole("workMs")?,
            job_cost_ms: input.wholes("jobCostMs", None)?,
            consumer_ms: input.whole("consumerMs")?,
            close_jobs: input.flag("closeJobs")?,
            collect: input.choice("collect", COLLECT)?,
            mistake: input.choice("mistake", MISTAKES)?,
            fail_rate: input.number("failRate")?,
            fail_jobs: input.wholes("failJobs", Some(jobs))?,
            seed: input.whole("seed")?,
            ordered: pool.ordered,
            cancel_after_ms: pool.cancel_after_ms,
            shutdown: pool.shutdown,
            shutdown_timeout_ms: pool.shutdown_timeout_ms,
            pool: input.choice("pool", POOLS)?,
            service: ServiceLimits {
                concurrency: input.optional_whole("serviceConcurrency")?,
                rate: input.optional_whole("serviceRate")?,
            },
            retry: Retry {
                max_attempts: input.whole("maxAttempts")?,
                backoff_ms: input.whole("backoffMs")?,
                backoff_factor: input.number("backoffFactor")?,
                backoff_cap_ms: input.whole("backoffCapMs")?,
                backoff_jitter: input.number("backoffJitter")?,
            },
            scaling: read_scaling(input)?,
            arrivals: Arrivals {
                burst_jobs: input.optional_whole("burstJobs")?,
                quiet_ms: input.whole("quietMs")?,
                tail_gap_ms: input.whole("tailGapMs")?,
            },
        };
        config.check_tasks(input)?;
        Ok(config)
    }

    /// Without a pool each job needs a thread of its own, and there is no producer and no jobs
    /// channel: the results are gathered concurrently, and the jobs channel cannot be closed twice.
    fn check_tasks(&self, input: &Input) -> Result<(), ConfigError> {
        if !matches!(self.pool, PoolKind::Unbounded | PoolKind::Compare) {
            return Ok(());
        }
        if self.jobs > MAX_WORKERS.into() {
            let wanted = format!(
                "a whole number from 1 to {MAX_WORKERS} when pool is \"unbounded\" or \"compare\" \
                 (a task per job needs a thread per job)"
            );
            return Err(input.error("jobs", &wanted, input.shown("jobs")));
        }
        if self.collect != Collect::Concurrent {
            let wanted = "\"concurrent\" when pool is \"unbounded\" or \"compare\" (no producer)";
            return Err(input.error("collect", wanted, input.shown("collect")));
        }
        if self.mistake == Mistake::CloseJobsTwice {
            let wanted = "not \"close-jobs-twice\" when pool is \"unbounded\" or \"compare\" (no \
                          jobs channel)";
            return Err(input.error("mistake", wanted, input.shown("mistake")));
        }
        Ok(())
    }

    /// Every scenario with its configuration.
    pub fn scenarios() -> Vec<DoublingConfig> {
        SCENARIOS
            .iter()
            .map(|(name, _)| {
                let fields =
                    BTreeMap::from([("scenario".to_string(), Field::Text(name.to_string()))]);
                Self::from_fields(&fields).expect("the presets are valid")
            })
            .collect()
    }

    /// The pool's own fields of this configuration.
    pub fn pool_fields(&self) -> PoolFields {
        PoolFields {
            workers: self.workers,
            jobs_buffer: self.jobs_buffer,
            results_buffer: self.results_buffer,
            ordered: self.ordered,
            cancel_after_ms: self.cancel_after_ms,
            shutdown: self.shutdown,
            shutdown_timeout_ms: self.shutdown_timeout_ms,
        }
    }

    /// The pool this configuration describes (for `compare`, its second run: the fixed pool).
    pub fn pool(&self, tracing: bool) -> PoolConfig {
        let staffing = match self.pool {
            PoolKind::Fixed | PoolKind::Compare => Staffing::Fixed,
            PoolKind::Autoscale => Staffing::Autoscale(self.scaling),
            PoolKind::Unbounded => Staffing::Unbounded,
        };
        PoolConfig {
            lesson: Lesson {
                close_jobs: self.close_jobs,
                collect: self.collect,
                mistake: self.mistake,
                consumer_pause: Duration::from_millis(self.consumer_ms.into()),
            },
            staffing,
            patterns: Patterns {
                retry: self.retry,
                seed: self.seed,
                service: self.service.is_set().then_some(self.service),
                arrivals: self.arrivals,
            },
            ..self.pool_fields().pool(tracing)
        }
    }

    /// The actors a run of this configuration starts, in drawing order (a comparison's first side:
    /// a task per job).
    pub fn actors(&self) -> Vec<Actor> {
        let mut pool = self.pool(false);
        if self.pool == PoolKind::Compare {
            pool.staffing = Staffing::Unbounded;
        }
        pool.lanes(self.jobs)
    }
}

/// `minWorkers` and `maxWorkers` (the maximum at least the minimum, and by default at least 8),
/// `scaleUpPerWorker` and `idleTimeoutMs`.
fn read_scaling(input: &Input) -> Result<Scaling, ConfigError> {
    let min_workers = input.whole("minWorkers")? as u16;
    let Some(schema::Value::Whole(max_default)) = input.spec("maxWorkers").default else {
        unreachable!("maxWorkers has a whole default");
    };
    let max_workers = input.whole_or("maxWorkers", max_default.max(min_workers.into()))? as u16;
    if max_workers < min_workers {
        let wanted = format!("at least minWorkers ({min_workers})");
        return Err(input.error("maxWorkers", &wanted, input.shown("maxWorkers")));
    }
    Ok(Scaling {
        min_workers,
        max_workers,
        scale_up_per_worker: input.whole("scaleUpPerWorker")?,
        idle_timeout_ms: input.whole("idleTimeoutMs")?,
    })
}
