//! The run configuration a reader (or a script) gives, validated, and the scenario presets.
//!
//! Input arrives as loosely typed [`Field`]s (the `wasm` module converts a JavaScript object into
//! them), so every mistake can be reported by field name with what is allowed: a wrong type, a
//! fraction, a value out of range, a misspelt field or choice. A `scenario` names a preset whose
//! values fill in the fields the input leaves out. The production patterns read their own fields
//! (the service's limits, retries, scaling, the producer's pacing) through the same [`Input`], in
//! their own modules.

use crate::arrivals::Arrivals;
use crate::pool::{Collect, Mistake, PoolConfig, Staffing};
use crate::retry::Retry;
use crate::scaling::Scaling;
use crate::service::ServiceLimits;
use crate::shutdown::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most workers a run may have; the browser's thread pool is sized for this.
pub const MAX_WORKERS: u16 = 16;

/// One loosely typed input value.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Field {
    /// `null` or `undefined`: treated as absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A list.
    List(Vec<Field>),
    /// An object: named fields, such as `{ width: 640, height: 480 }`.
    Object(BTreeMap<String, Field>),
}

impl fmt::Display for Field {
    /// Shows the value for an error message, shortened so hostile input stays short and inert.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Null => f.write_str("nothing"),
            Field::Bool(b) => write!(f, "{b}"),
            Field::Number(n) => write!(f, "{n}"),
            Field::Text(s) if s.chars().count() > 24 => {
                let head: String = s.chars().take(24).collect();
                write!(f, "{:?}…", head)
            }
            Field::Text(s) => write!(f, "{s:?}"),
            Field::List(_) => f.write_str("a list"),
            Field::Object(_) => f.write_str("an object"),
        }
    }
}

/// A configuration mistake, worded for the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A validated configuration of the doubling example.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunConfig {
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
    pub shutdown: Mode,
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

/// A preset value, written as a constant.
#[derive(Clone, Copy)]
enum Preset {
    Whole(u32),
    Fraction(f64),
    Flag(bool),
    Text(&'static str),
    Wholes(&'static [u32]),
}

impl Preset {
    fn field(self) -> Field {
        match self {
            Preset::Whole(n) => Field::Number(n.into()),
            Preset::Fraction(x) => Field::Number(x),
            Preset::Flag(b) => Field::Bool(b),
            Preset::Text(s) => Field::Text(s.to_string()),
            Preset::Wholes(list) => {
                Field::List(list.iter().map(|&n| Field::Number(n.into())).collect())
            }
        }
    }
}

use Preset::{Flag, Fraction, Text, Whole, Wholes};

/// The scenarios: each a name and the fields it sets (the rest keep their defaults).
const SCENARIOS: &[(&str, &[(&str, Preset)])] = &[
    ("basic", &[]),
    ("ordering", &[("jobCostMs", Wholes(&[250, 400, 550, 100]))]),
    (
        "backpressure",
        &[
            ("workers", Whole(2)),
            ("jobs", Whole(24)),
            ("jobsBuffer", Whole(2)),
            ("resultsBuffer", Whole(2)),
            ("workMs", Whole(150)),
            ("consumerMs", Whole(300)),
        ],
    ),
    (
        "deadlock-no-close",
        &[
            ("jobs", Whole(8)),
            ("resultsBuffer", Whole(8)),
            ("workMs", Whole(150)),
            ("closeJobs", Flag(false)),
        ],
    ),
    (
        "deadlock-after-wait",
        &[
            ("jobs", Whole(10)),
            ("jobsBuffer", Whole(10)),
            ("workMs", Whole(100)),
            ("collect", Text("after-wait")),
        ],
    ),
    (
        "deadlock-circular",
        &[
            ("jobs", Whole(10)),
            ("jobsBuffer", Whole(0)),
            ("resultsBuffer", Whole(0)),
            ("workMs", Whole(100)),
            ("collect", Text("after-send")),
        ],
    ),
    (
        "panic-send-on-closed",
        &[
            ("jobs", Whole(8)),
            ("workMs", Whole(150)),
            ("mistake", Text("close-results-early")),
        ],
    ),
    (
        "panic-close-twice",
        &[("jobs", Whole(8)), ("mistake", Text("close-jobs-twice"))],
    ),
    (
        "errors",
        &[
            ("workers", Whole(4)),
            ("jobs", Whole(20)),
            ("workMs", Whole(100)),
            ("failRate", Fraction(0.2)),
            ("seed", Whole(7)),
            ("failJobs", Wholes(&[3])),
        ],
    ),
    (
        "cancel",
        &[
            ("jobs", Whole(40)),
            ("jobsBuffer", Whole(10)),
            ("workMs", Whole(300)),
            ("cancelAfterMs", Whole(1000)),
            ("shutdown", Text("graceful")),
            ("shutdownTimeoutMs", Whole(500)),
        ],
    ),
    (
        "unbounded-vs-pool",
        &[
            ("pool", Text("compare")),
            ("workers", Whole(4)),
            ("jobs", Whole(16)),
            ("workMs", Whole(300)),
            ("serviceConcurrency", Whole(4)),
        ],
    ),
    (
        "retry",
        &[
            ("workers", Whole(4)),
            ("jobs", Whole(20)),
            ("workMs", Whole(100)),
            ("failRate", Fraction(0.4)),
            ("seed", Whole(7)),
            ("failJobs", Wholes(&[3])),
            ("maxAttempts", Whole(4)),
            ("backoffMs", Whole(100)),
            ("backoffFactor", Fraction(2.0)),
            ("backoffCapMs", Whole(1_000)),
            ("backoffJitter", Fraction(0.2)),
        ],
    ),
    (
        "autoscale",
        &[
            ("pool", Text("autoscale")),
            ("jobs", Whole(70)),
            ("jobsBuffer", Whole(100)),
            ("workMs", Whole(100)),
            ("minWorkers", Whole(1)),
            ("maxWorkers", Whole(8)),
            ("scaleUpPerWorker", Whole(5)),
            ("idleTimeoutMs", Whole(300)),
            ("burstJobs", Whole(60)),
            ("quietMs", Whole(2_000)),
            ("tailGapMs", Whole(120)),
        ],
    ),
    (
        "waitgroup-misuse",
        &[
            ("workers", Whole(4)),
            ("jobs", Whole(8)),
            ("workMs", Whole(50)),
            ("mistake", Text("add-in-worker")),
        ],
    ),
];

/// Every field name, as written in JavaScript.
const FIELD_NAMES: &[&str] = &[
    "scenario",
    "workers",
    "jobs",
    "jobsBuffer",
    "resultsBuffer",
    "workMs",
    "jobCostMs",
    "consumerMs",
    "closeJobs",
    "collect",
    "mistake",
    "failRate",
    "failJobs",
    "seed",
    "ordered",
    "cancelAfterMs",
    "shutdown",
    "shutdownTimeoutMs",
    "pool",
];

/// The field names of the production patterns, read by their own modules.
const PATTERN_FIELDS: &[&[&str]] = &[
    ServiceLimits::FIELDS,
    Retry::FIELDS,
    Scaling::FIELDS,
    Arrivals::FIELDS,
];

fn is_field(name: &str) -> bool {
    FIELD_NAMES.contains(&name) || PATTERN_FIELDS.iter().any(|names| names.contains(&name))
}

const POOLS: &[(&str, PoolKind)] = &[
    ("fixed", PoolKind::Fixed),
    ("autoscale", PoolKind::Autoscale),
    ("unbounded", PoolKind::Unbounded),
    ("compare", PoolKind::Compare),
];

const COLLECT: &[(&str, Collect)] = &[
    ("concurrent", Collect::Concurrent),
    ("after-wait", Collect::AfterWait),
    ("after-send", Collect::AfterSend),
];

const MISTAKES: &[(&str, Mistake)] = &[
    ("none", Mistake::None),
    ("close-jobs-twice", Mistake::CloseJobsTwice),
    ("close-results-early", Mistake::CloseResultsEarly),
    ("add-in-worker", Mistake::AddInWorker),
];

const SHUTDOWN: &[(&str, Mode)] = &[
    ("graceful", Mode::Graceful),
    ("drain", Mode::Drain),
    ("force", Mode::Force),
];

/// The most entries in `jobCostMs`.
const MAX_COSTS: usize = 100;

/// Input read one field at a time, with a scenario's preset (if any) beneath it; the examples'
/// own configs read their fields through it too, so every message is worded the same way.
pub(crate) struct Input<'a> {
    given: &'a BTreeMap<String, Field>,
    preset: BTreeMap<&'static str, Field>,
}

/// "`name` must be `wanted`, but got `got`".
pub(crate) fn error(name: &str, wanted: &str, got: &Field) -> ConfigError {
    ConfigError(format!("{name} must be {wanted}, but got {got}"))
}

/// The number in `field` if it is a whole number in `min..=max`.
fn whole_in(field: &Field, min: u32, max: u32) -> Option<u32> {
    match field {
        Field::Number(n) if n.fract() == 0.0 && *n >= min.into() && *n <= max.into() => {
            Some(*n as u32)
        }
        _ => None,
    }
}

fn quoted(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("{o:?}")).collect();
    quoted.join(", ")
}

impl<'a> Input<'a> {
    /// Input with no preset beneath it.
    #[cfg(feature = "imaging")]
    pub(crate) fn plain(given: &'a BTreeMap<String, Field>) -> Self {
        Input {
            given,
            preset: BTreeMap::new(),
        }
    }

    /// The value of `name`: the given one, else the preset's; `None` when neither is set.
    pub(crate) fn get(&self, name: &str) -> Option<&Field> {
        match self.given.get(name) {
            Some(Field::Null) | None => self.preset.get(name),
            given => given,
        }
    }

    /// A whole number in `min..=max`.
    pub(crate) fn whole(
        &self,
        name: &str,
        min: u32,
        max: u32,
        default: u32,
    ) -> Result<u32, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(value) => whole_in(value, min, max)
                .ok_or_else(|| error(name, &format!("a whole number from {min} to {max}"), value)),
        }
    }

    /// A whole number in `min..=max`, or absent.
    pub(crate) fn optional_whole(
        &self,
        name: &str,
        min: u32,
        max: u32,
    ) -> Result<Option<u32>, ConfigError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => whole_in(value, min, max).map(Some).ok_or_else(|| {
                error(
                    name,
                    &format!("a whole number from {min} to {max}, or absent"),
                    value,
                )
            }),
        }
    }

    fn fraction(&self, name: &str, default: f64) -> Result<f64, ConfigError> {
        self.number(name, 0.0, 1.0, default)
    }

    /// A number (fractions allowed) in `min..=max`.
    pub(crate) fn number(
        &self,
        name: &str,
        min: f64,
        max: f64,
        default: f64,
    ) -> Result<f64, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(Field::Number(x)) if (min..=max).contains(x) => Ok(*x),
            Some(value) => Err(error(name, &format!("a number from {min} to {max}"), value)),
        }
    }

    fn flag(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(Field::Bool(b)) => Ok(*b),
            Some(value) => Err(error(name, "true or false", value)),
        }
    }

    /// One of the named `options`; absent, the first.
    pub(crate) fn choice<T: Copy>(
        &self,
        name: &str,
        options: &[(&str, T)],
    ) -> Result<T, ConfigError> {
        let Some(value) = self.get(name) else {
            return Ok(options[0].1);
        };
        let found = match value {
            Field::Text(text) => options.iter().find(|(o, _)| o == text),
            _ => None,
        };
        found.map(|&(_, choice)| choice).ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(o, _)| *o).collect();
            error(name, &format!("one of {}", quoted(&names)), value)
        })
    }

    /// A list of whole numbers in `min..=max` (a single number counts as a list of one).
    fn wholes(
        &self,
        name: &str,
        what: &str,
        (min, max): (u32, u32),
        max_len: usize,
    ) -> Result<Vec<u32>, ConfigError> {
        let items = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Field::List(items)) if items.len() <= max_len => items.as_slice(),
            Some(single @ Field::Number(_)) => std::slice::from_ref(single),
            Some(value) => {
                return Err(error(
                    name,
                    &format!("a list of at most {max_len} {what}s from {min} to {max}"),
                    value,
                ));
            }
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                whole_in(item, min, max).ok_or_else(|| {
                    error(
                        &format!("{name}[{i}]"),
                        &format!("a {what} from {min} to {max}"),
                        item,
                    )
                })
            })
            .collect()
    }
}

impl Default for RunConfig {
    fn default() -> Self {
        Self::from_fields(&BTreeMap::new()).expect("the defaults are valid")
    }
}

impl RunConfig {
    /// Validates `fields`: a `scenario` fills in the fields left out, absent fields take their
    /// defaults, unknown fields are an error.
    pub fn from_fields(fields: &BTreeMap<String, Field>) -> Result<Self, ConfigError> {
        if let Some(unknown) = fields.keys().find(|k| !is_field(k)) {
            let names: Vec<&str> = FIELD_NAMES
                .iter()
                .chain(PATTERN_FIELDS.iter().copied().flatten())
                .copied()
                .collect();
            return Err(ConfigError(format!(
                "unknown config field {}; the fields are {}",
                Field::Text(unknown.clone()),
                names.join(", ")
            )));
        }
        let (scenario, preset) = match fields.get("scenario") {
            None | Some(Field::Null) => SCENARIOS[0],
            Some(value) => {
                let found = match value {
                    Field::Text(name) => SCENARIOS.iter().find(|(n, _)| n == name),
                    _ => None,
                };
                *found.ok_or_else(|| {
                    let names: Vec<&str> = SCENARIOS.iter().map(|(n, _)| *n).collect();
                    error("scenario", &format!("one of {}", quoted(&names)), value)
                })?
            }
        };
        let input = Input {
            given: fields,
            preset: preset.iter().map(|&(k, v)| (k, v.field())).collect(),
        };
        let jobs = input.whole("jobs", 1, 10_000, 12)?;
        let config = RunConfig {
            scenario,
            workers: input.whole("workers", 1, MAX_WORKERS.into(), 3)? as u16,
            jobs,
            jobs_buffer: input.whole("jobsBuffer", 0, 100, 4)?,
            results_buffer: input.whole("resultsBuffer", 0, 100, 4)?,
            work_ms: input.whole("workMs", 0, 2_000, 200)?,
            job_cost_ms: input.wholes("jobCostMs", "whole number", (0, 2_000), MAX_COSTS)?,
            consumer_ms: input.whole("consumerMs", 0, 2_000, 0)?,
            close_jobs: input.flag("closeJobs", true)?,
            collect: input.choice("collect", COLLECT)?,
            mistake: input.choice("mistake", MISTAKES)?,
            fail_rate: input.fraction("failRate", 0.0)?,
            fail_jobs: input.wholes("failJobs", "job number", (1, jobs), 10_000)?,
            seed: input.whole("seed", 0, u32::MAX, 1)?,
            ordered: input.flag("ordered", false)?,
            cancel_after_ms: input.optional_whole("cancelAfterMs", 0, 60_000)?,
            shutdown: input.choice("shutdown", SHUTDOWN)?,
            shutdown_timeout_ms: input.whole("shutdownTimeoutMs", 0, 10_000, 1_000)?,
            pool: input.choice("pool", POOLS)?,
            service: ServiceLimits::read(&input)?,
            retry: Retry::read(&input)?,
            scaling: Scaling::read(&input)?,
            arrivals: Arrivals::read(&input)?,
        };
        config.check_tasks(&input)?;
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
            return Err(error(
                "jobs",
                &wanted,
                input.get("jobs").unwrap_or(&Field::Null),
            ));
        }
        let wanted = "\"concurrent\" when pool is \"unbounded\" or \"compare\" (no producer)";
        if self.collect != Collect::Concurrent {
            return Err(error(
                "collect",
                wanted,
                input.get("collect").unwrap_or(&Field::Null),
            ));
        }
        if self.mistake == Mistake::CloseJobsTwice {
            let wanted = "not \"close-jobs-twice\" when pool is \"unbounded\" or \"compare\" (no \
                          jobs channel)";
            return Err(error(
                "mistake",
                wanted,
                input.get("mistake").unwrap_or(&Field::Null),
            ));
        }
        Ok(())
    }

    /// Every scenario with its configuration.
    pub fn scenarios() -> Vec<RunConfig> {
        SCENARIOS
            .iter()
            .map(|(name, _)| {
                let fields =
                    BTreeMap::from([("scenario".to_string(), Field::Text(name.to_string()))]);
                Self::from_fields(&fields).expect("the presets are valid")
            })
            .collect()
    }

    /// The pool this configuration describes (for `compare`, its second run: the fixed pool).
    pub fn pool(&self, tracing: bool) -> PoolConfig {
        let staffing = match self.pool {
            PoolKind::Fixed | PoolKind::Compare => Staffing::Fixed,
            PoolKind::Autoscale => Staffing::Autoscale(self.scaling),
            PoolKind::Unbounded => Staffing::PerJob,
        };
        PoolConfig {
            workers: self.workers,
            jobs_buffer: self.jobs_buffer as usize,
            results_buffer: self.results_buffer as usize,
            tracing,
            close_jobs: self.close_jobs,
            collect: self.collect,
            mistake: self.mistake,
            consumer_ms: self.consumer_ms.into(),
            ordered: self.ordered,
            cancel_after_ms: self.cancel_after_ms.map(f64::from),
            shutdown: self.shutdown,
            shutdown_timeout_ms: self.shutdown_timeout_ms.into(),
            staffing,
            retry: self.retry,
            seed: self.seed,
            service: self.service.is_set().then_some(self.service),
            arrivals: self.arrivals,
        }
    }
}
