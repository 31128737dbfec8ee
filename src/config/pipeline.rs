//! The pipeline example's configuration: its table of fields, [`PIPELINE`] (also
//! `fields::PIPELINE`), read into a [`PipelineConfig`]: the jobs, the stages (each a record of
//! [`STAGE`]'s fields), and how a cancel stops the run. Besides each field's own range, one rule
//! spans them: every actor needs a thread of the pool at once, so the workers of all stages
//! together must leave room for the source, each stage's closer, the consumer and a timer.

use super::fields::{CANCEL_AFTER_MS, JOBS, JOBS_BUFFER, MAX_WORKERS, choice, spec, whole};
use super::schema::Group::{Pipeline, Scenario};
use super::schema::{FieldSpec, Kind, Value};
use super::{ConfigError, Field, Input, Naming, Problem, THREAD_POOL};
use crate::observe::actor::Actor;
use crate::observe::trace::ShutdownMode;
use crate::pipeline::{CancelReach, PipelinePlan, StagePlan};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::time::Duration;

/// The fields of one pipeline stage (a record of the pipeline's `stages`).
pub const STAGE: &[FieldSpec] = &[
    spec(
        "workers",
        "Workers",
        "How many workers the stage has, all reading its input channel (fan-out).",
        Pipeline,
        whole(1, MAX_WORKERS as u32, 1),
        Value::Whole(1),
    ),
    spec(
        "workMs",
        "Work per job (ms)",
        "How long each job takes one of the stage's workers.",
        Pipeline,
        whole(0, 2_000, 10),
        Value::Whole(100),
    ),
    spec(
        "buffer",
        "Output buffer",
        "How many results the stage's output channel holds before its workers wait (0: unbuffered).",
        Pipeline,
        whole(0, 100, 1),
        Value::Whole(2),
    ),
    spec(
        "closeOutput",
        "Close its output",
        "Whether the stage's closer closes its output once its workers are done; off, the next \
         stage waits forever.",
        Pipeline,
        Kind::Flag,
        Value::Flag(true),
    ),
];

/// Every field of the pipeline example except `example` (which says it is the pipeline).
pub const PIPELINE: &[FieldSpec] = &[
    JOBS,
    FieldSpec {
        name: "stages",
        label: "Stages",
        help: "The stages in order, each a pool of its own joined to the next by its output \
               channel.",
        group: Pipeline,
        kind: Kind::Records {
            least: 1,
            most: crate::pipeline::MAX_STAGES,
            item: "stage",
            fields: STAGE,
        },
        default: Some(Value::Records(&[
            &[
                ("workers", Value::Whole(2)),
                ("workMs", Value::Whole(100)),
                ("buffer", Value::Whole(2)),
                ("closeOutput", Value::Flag(true)),
            ],
            &[
                ("workers", Value::Whole(1)),
                ("workMs", Value::Whole(200)),
                ("buffer", Value::Whole(2)),
                ("closeOutput", Value::Flag(true)),
            ],
            &[
                ("workers", Value::Whole(2)),
                ("workMs", Value::Whole(100)),
                ("buffer", Value::Whole(2)),
                ("closeOutput", Value::Flag(true)),
            ],
        ])),
        placeholder: None,
    },
    JOBS_BUFFER,
    CANCEL_AFTER_MS,
    spec(
        "shutdown",
        "Shutdown on cancel",
        "How a cancel stops the pipeline: drop what is inside, or let it all through.",
        Scenario,
        Kind::Choice(&[
            choice("graceful", "graceful: every stage stops"),
            choice("drain", "drain: finish what is inside"),
        ]),
        Value::Text("graceful"),
    ),
    spec(
        "cancelReaches",
        "A cancel reaches",
        "Which stages watch the context: all of them, or (the mistake) only the first.",
        Scenario,
        Kind::Choice(&[
            choice("every-stage", "every stage"),
            choice("first-stage", "only the first stage (a mistake)"),
        ]),
        Value::Text("every-stage"),
    ),
];

/// One stage, as a config gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageFields {
    /// Workers, 1 to 16.
    pub workers: u16,
    /// Work per job in ms, 0 to 2,000.
    pub work_ms: u32,
    /// The output channel's capacity, 0 to 100.
    pub buffer: u32,
    /// Whether its closer closes its output.
    pub close_output: bool,
}

/// A validated configuration of the pipeline example.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineConfig {
    /// Always `"pipeline"`: which example this is.
    pub example: &'static str,
    /// Jobs the source sends, 1 to 10,000.
    pub jobs: u32,
    /// The stages, 1 to 6.
    pub stages: Vec<StageFields>,
    /// Capacity of the jobs channel, source to the first stage.
    pub jobs_buffer: u32,
    /// Request a shutdown this long after the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_after_ms: Option<u32>,
    /// `graceful` or `drain`.
    pub shutdown: ShutdownMode,
    /// Which stages a graceful cancel reaches.
    #[serde(serialize_with = "reach_name")]
    pub cancel_reaches: CancelReach,
}

const SHUTDOWNS: &[ShutdownMode] = &[ShutdownMode::Graceful, ShutdownMode::Drain];
const REACHES: &[CancelReach] = &[CancelReach::EveryStage, CancelReach::FirstStage];

/// A reach by its config value.
fn reach_name<S: Serializer>(reach: &CancelReach, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(match reach {
        CancelReach::EveryStage => "every-stage",
        CancelReach::FirstStage => "first-stage",
    })
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self::from_fields(&BTreeMap::new()).expect("the defaults are valid")
    }
}

impl PipelineConfig {
    /// Validates `fields` (without `example`): absent fields take their defaults, unknown fields
    /// are an error; messages name fields as a script does (`stages[1].workers`).
    pub fn from_fields(fields: &BTreeMap<String, Field>) -> Result<Self, ConfigError> {
        let input = Input::new(fields, &[], PIPELINE, Naming::Names);
        if let Some(unknown) = input.unknown(&[]).next() {
            let names: Vec<&str> = PIPELINE.iter().map(|s| s.name).collect();
            let message = format!(
                "unknown config field {} for the pipeline; its fields are example, {}",
                Field::Text(unknown.clone()),
                names.join(", ")
            );
            return Err(ConfigError::new(None, message));
        }
        Self::read(&input)
    }

    /// Every problem with `fields`, each naming its field by its label (`Stage 2: Workers`):
    /// unknown names, each field's own mistake, then the thread budget. Empty when a run could
    /// start with them.
    pub fn problems(fields: &BTreeMap<String, Field>) -> Vec<Problem> {
        let input = Input::new(fields, &[], PIPELINE, Naming::Labels);
        let mut problems = input.problems(&[]);
        if problems.is_empty()
            && let Err(error) = Self::read(&input)
        {
            problems.push(input.problem(error));
        }
        problems
    }

    fn read(input: &Input) -> Result<Self, ConfigError> {
        let stages = input
            .records("stages")?
            .iter()
            .map(|stage| {
                Ok(StageFields {
                    workers: stage.whole("workers")? as u16,
                    work_ms: stage.whole("workMs")?,
                    buffer: stage.whole("buffer")?,
                    close_output: stage.flag("closeOutput")?,
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let config = PipelineConfig {
            example: "pipeline",
            jobs: input.whole("jobs")?,
            stages,
            jobs_buffer: input.whole("jobsBuffer")?,
            cancel_after_ms: input.optional_whole("cancelAfterMs")?,
            shutdown: input.choice("shutdown", SHUTDOWNS)?,
            cancel_reaches: input.choice("cancelReaches", REACHES)?,
        };
        config.check_threads(input)?;
        Ok(config)
    }

    /// Every actor blocks a thread of the pool, so the workers of all stages must leave room for
    /// the source, a closer per stage, the consumer and the timer.
    fn check_threads(&self, input: &Input) -> Result<(), ConfigError> {
        let plan = self.plan(false);
        let workers: usize = self.stages.iter().map(|s| usize::from(s.workers)).sum();
        let others = plan.threads() - workers;
        if plan.threads() <= THREAD_POOL {
            return Ok(());
        }
        let timer = match self.cancel_after_ms {
            Some(_) => ", the consumer and the cancel timer",
            None => " and the consumer",
        };
        let called = match input.naming() {
            Naming::Names => "stages",
            Naming::Labels => "Stages",
        };
        let message = format!(
            "{called} have {workers} workers in all, but the thread pool has {THREAD_POOL} threads \
             and {others} of them go to the source, a closer per stage{timer}: at most {} workers \
             in all",
            THREAD_POOL - others
        );
        Err(ConfigError::new(Some("stages"), message))
    }

    /// The run this configuration describes, recording its trace if `tracing`.
    pub fn plan(&self, tracing: bool) -> PipelinePlan {
        PipelinePlan {
            jobs: self.jobs,
            stages: self
                .stages
                .iter()
                .map(|s| StagePlan {
                    workers: s.workers,
                    work_ms: s.work_ms,
                    buffer: s.buffer as usize,
                    close_output: s.close_output,
                })
                .collect(),
            jobs_buffer: self.jobs_buffer as usize,
            tracing,
            cancel_after: self
                .cancel_after_ms
                .map(|ms| Duration::from_millis(ms.into())),
            shutdown: self.shutdown,
            cancel_reaches: self.cancel_reaches,
        }
    }

    /// The actors a run starts, in drawing order.
    pub fn actors(&self) -> Vec<Actor> {
        self.plan(false).actors()
    }
}
