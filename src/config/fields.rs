//! The tables: every field of each example, with its words, range and default, in one place.
//!
//! [`DOUBLING`] is the doubling example's (the pool's own fields, the scenarios', the production
//! patterns'); [`IMAGE`] is the image example's, which shares the pool's fields with it;
//! [`PIPELINE`] is the pipeline example's, whose `stages` are records of [`STAGE`]'s fields (both
//! stated beside the pipeline's config, in `pipeline.rs`). The order is the order the fields are
//! listed in messages and exported in.

pub use super::pipeline::{PIPELINE, STAGE};
use super::schema::Group::{Arrivals, Basic, Image, Retry, Scaling, Scenario, Service};
use super::schema::{Choice, FieldSpec, Kind, Value};

/// The most workers a run may have; the browser's thread pool is sized for this.
pub const MAX_WORKERS: u16 = 16;

pub(super) const fn whole(min: u32, max: u32, step: u32) -> Kind {
    Kind::Whole { min, max, step }
}

pub(super) const fn choice(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

/// A field with a default and no placeholder.
pub(super) const fn spec(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    group: super::schema::Group,
    kind: Kind,
    default: Value,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        help,
        group,
        kind,
        default: Some(default),
        placeholder: None,
    }
}

/// An optional whole number: absent means off, which `placeholder` says.
const fn optional(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    group: super::schema::Group,
    kind: Kind,
    placeholder: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        help,
        group,
        kind,
        default: None,
        placeholder: Some(placeholder),
    }
}

const WORKERS: FieldSpec = spec(
    "workers",
    "Workers",
    "How many workers take jobs from the jobs channel, each on a thread of its own.",
    Basic,
    whole(1, MAX_WORKERS as u32, 1),
    Value::Whole(3),
);
pub(super) const JOBS_BUFFER: FieldSpec = spec(
    "jobsBuffer",
    "Jobs buffer",
    "How many jobs the jobs channel holds before the producer waits (0: unbuffered, a hand-off).",
    Basic,
    whole(0, 100, 1),
    Value::Whole(4),
);
const RESULTS_BUFFER: FieldSpec = spec(
    "resultsBuffer",
    "Results buffer",
    "How many results the results channel holds before a worker waits (0: unbuffered).",
    Basic,
    whole(0, 100, 1),
    Value::Whole(4),
);
pub(super) const JOBS: FieldSpec = spec(
    "jobs",
    "Jobs",
    "How many jobs the producer sends, numbered from 1.",
    Basic,
    whole(1, 10_000, 1),
    Value::Whole(12),
);
const ORDERED: FieldSpec = spec(
    "ordered",
    "Deliver in job order",
    "Results wait in a reorder buffer until every earlier job's result has been delivered.",
    Scenario,
    Kind::Flag,
    Value::Flag(false),
);
pub(super) const CANCEL_AFTER_MS: FieldSpec = optional(
    "cancelAfterMs",
    "Cancel after (ms)",
    "Start the shutdown this long after the run starts; empty: never.",
    Scenario,
    whole(0, 60_000, 100),
    "never",
);
const SHUTDOWN: FieldSpec = spec(
    "shutdown",
    "Shutdown on cancel",
    "How a cancel stops the run: what happens to queued jobs and to jobs in flight.",
    Scenario,
    Kind::Choice(&[
        choice("graceful", "graceful: finish in flight"),
        choice("drain", "drain: finish queued too"),
        choice("force", "force: drain, then cancel"),
    ]),
    Value::Text("graceful"),
);
const SHUTDOWN_TIMEOUT_MS: FieldSpec = spec(
    "shutdownTimeoutMs",
    "Force after (ms)",
    "A forced shutdown's grace period: then the context is cancelled and work in flight stops.",
    Scenario,
    whole(0, 10_000, 100),
    Value::Whole(1_000),
);

/// Every field of the doubling example except `scenario` (the presets, which `scenarios()` lists).
pub const DOUBLING: &[FieldSpec] = &[
    WORKERS,
    JOBS,
    JOBS_BUFFER,
    RESULTS_BUFFER,
    spec(
        "workMs",
        "Work per job (ms)",
        "How long each job takes a worker.",
        Basic,
        whole(0, 2_000, 10),
        Value::Whole(200),
    ),
    FieldSpec {
        name: "jobCostMs",
        label: "Cost per job (ms), in turn",
        help: "Each job's own cost instead of the work per job: job i takes entry (i − 1) mod the \
               list's length.",
        group: Scenario,
        kind: Kind::Wholes {
            min: 0,
            max: 2_000,
            most: 100,
            item: "whole number",
        },
        default: Some(Value::Wholes(&[])),
        placeholder: Some("empty: work per job; e.g. 250, 400"),
    },
    spec(
        "consumerMs",
        "Consumer pause per result (ms)",
        "The consumer's pause after each result: a slow consumer.",
        Scenario,
        whole(0, 2_000, 10),
        Value::Whole(0),
    ),
    spec(
        "closeJobs",
        "Producer closes jobs",
        "Whether the producer closes the jobs channel once it has sent every job.",
        Scenario,
        Kind::Flag,
        Value::Flag(true),
    ),
    spec(
        "collect",
        "Results are read",
        "Who reads the results, and when: beside the workers, after wg.Wait(), or by the \
         producer once it has sent everything.",
        Scenario,
        Kind::Choice(&[
            choice("concurrent", "while workers run"),
            choice("after-wait", "after wg.Wait()"),
            choice("after-send", "by the producer, last"),
        ]),
        Value::Text("concurrent"),
    ),
    spec(
        "mistake",
        "Mistake to make",
        "A lifecycle bug the Go posts warn about, committed on purpose.",
        Scenario,
        Kind::Choice(&[
            choice("none", "none"),
            choice("close-jobs-twice", "close jobs twice"),
            choice("close-results-early", "close results without waiting"),
            choice("add-in-worker", "wg.Add in the worker"),
        ]),
        Value::Text("none"),
    ),
    spec(
        "failRate",
        "Chance a job fails",
        "The chance that an attempt at a job fails, drawn from the seed (the same jobs fail on \
         every run with that seed).",
        Scenario,
        Kind::Fraction {
            min: 0.0,
            max: 1.0,
            step: 0.05,
        },
        Value::Fraction(0.0),
    ),
    FieldSpec {
        name: "failJobs",
        label: "Jobs that always fail",
        help: "Job numbers (from 1 to the number of jobs) that fail on every attempt.",
        group: Scenario,
        kind: Kind::Wholes {
            min: 1,
            max: 10_000,
            most: 10_000,
            item: "job number",
        },
        default: Some(Value::Wholes(&[])),
        placeholder: Some("e.g. 3, 7"),
    },
    spec(
        "seed",
        "Seed for failures",
        "The seed of the failure draws and of the backoff jitter.",
        Scenario,
        whole(0, u32::MAX, 1),
        Value::Whole(1),
    ),
    ORDERED,
    CANCEL_AFTER_MS,
    SHUTDOWN,
    SHUTDOWN_TIMEOUT_MS,
    spec(
        "pool",
        "Who takes the jobs",
        "A fixed pool, an autoscaling one, no pool at all (a task per job), or no pool and then \
         a pool, one after the other.",
        Scaling,
        Kind::Choice(&[
            choice("fixed", "a fixed pool"),
            choice("autoscale", "an autoscaling pool"),
            choice("unbounded", "no pool: a task per job"),
            choice("compare", "no pool, then a pool"),
        ]),
        Value::Text("fixed"),
    ),
    optional(
        "serviceConcurrency",
        "Service: requests at once",
        "Each job becomes a request to a service that serves at most this many at once and \
         refuses the rest with a 429.",
        Service,
        whole(1, 100, 1),
        "no service",
    ),
    optional(
        "serviceRate",
        "Service: requests per second",
        "The service accepts at most this many requests in any one second.",
        Service,
        whole(1, 1_000, 1),
        "no rate limit",
    ),
    spec(
        "maxAttempts",
        "Attempts per job",
        "Attempts per job in all: a failed attempt is retried until they run out.",
        Retry,
        whole(1, 10, 1),
        Value::Whole(1),
    ),
    spec(
        "backoffMs",
        "First retry after (ms)",
        "The wait after a job's first failed attempt.",
        Retry,
        whole(0, 10_000, 10),
        Value::Whole(100),
    ),
    spec(
        "backoffFactor",
        "Each next wait ×",
        "Each next wait is this many times the one before.",
        Retry,
        Kind::Fraction {
            min: 1.0,
            max: 10.0,
            step: 0.5,
        },
        Value::Fraction(2.0),
    ),
    spec(
        "backoffCapMs",
        "Longest wait (ms)",
        "No wait between attempts is longer than this.",
        Retry,
        whole(0, 60_000, 100),
        Value::Whole(2_000),
    ),
    spec(
        "backoffJitter",
        "Jitter: trim waits by up to",
        "Each wait is shortened by up to this share of it, drawn from the seed.",
        Retry,
        Kind::Fraction {
            min: 0.0,
            max: 1.0,
            step: 0.05,
        },
        Value::Fraction(0.0),
    ),
    spec(
        "minWorkers",
        "Autoscaling: fewest workers",
        "An autoscaling pool starts with this many workers and never retires below it.",
        Scaling,
        whole(1, MAX_WORKERS as u32, 1),
        Value::Whole(1),
    ),
    spec(
        "maxWorkers",
        "Autoscaling: most workers",
        "An autoscaling pool never grows past this many workers (at least the fewest).",
        Scaling,
        whole(1, MAX_WORKERS as u32, 1),
        Value::Whole(8),
    ),
    spec(
        "scaleUpPerWorker",
        "Grow above queued per worker",
        "The scaler adds a worker when more than this many jobs per worker wait.",
        Scaling,
        whole(1, 100, 1),
        Value::Whole(5),
    ),
    spec(
        "idleTimeoutMs",
        "Retire after idling (ms)",
        "A worker above the fewest retires after this long without a job.",
        Scaling,
        whole(10, 60_000, 10),
        Value::Whole(500),
    ),
    optional(
        "burstJobs",
        "Jobs sent at once first",
        "The producer sends this many jobs at once, then pauses; empty: all of them at once.",
        Arrivals,
        whole(0, 10_000, 1),
        "all of them",
    ),
    spec(
        "quietMs",
        "Then a quiet period (ms)",
        "The producer's pause after the burst.",
        Arrivals,
        whole(0, 60_000, 100),
        Value::Whole(0),
    ),
    spec(
        "tailGapMs",
        "Then one job every (ms)",
        "The producer's pause before each job after the quiet period.",
        Arrivals,
        whole(0, 10_000, 10),
        Value::Whole(0),
    ),
];

/// Every field of the image example except `example` (which says it is the image example).
pub const IMAGE: &[FieldSpec] = &[
    spec(
        "mode",
        "Mode",
        "A batch (one job per image) or tiles (one image, one job per tile).",
        Image,
        Kind::Choice(&[
            choice("batch", "one job per image"),
            choice("tiles", "one image, a job per tile"),
        ]),
        Value::Text("batch"),
    ),
    spec(
        "images",
        "Images",
        "\"samples\" (the eight built-in sizes) or a list of sizes such as \"1920x1080\"; tile \
         mode cuts one image, 1920x1080 by default.",
        Image,
        Kind::Sizes {
            max: 20_000,
            most: 100,
        },
        Value::Text("samples"),
    ),
    spec(
        "targetWidth",
        "Thumbnail width (px)",
        "The thumbnail's width (in tile mode, the preview's); never enlarged, aspect kept.",
        Image,
        whole(16, 1_024, 8),
        Value::Whole(320),
    ),
    spec(
        "format",
        "Encode as",
        "How thumbnails are encoded.",
        Image,
        Kind::Choice(&[choice("jpeg", "JPEG"), choice("png", "PNG")]),
        Value::Text("jpeg"),
    ),
    spec(
        "quality",
        "JPEG quality",
        "The JPEG encoder's quality.",
        Image,
        whole(1, 100, 1),
        Value::Whole(85),
    ),
    spec(
        "maxMegapixels",
        "Pixel budget (megapixels)",
        "An image larger than this fails before anything is decoded (checked from its header).",
        Image,
        whole(1, 12, 1),
        Value::Whole(12),
    ),
    spec(
        "fetchMs",
        "Wait per image, like a download (ms)",
        "An I/O-like wait at the start of each job.",
        Image,
        whole(0, 2_000, 10),
        Value::Whole(0),
    ),
    spec(
        "tileSize",
        "Tile size (px)",
        "The side of a tile, in source pixels.",
        Image,
        whole(64, 1_024, 16),
        Value::Whole(256),
    ),
    spec(
        "tileOp",
        "Each tile is",
        "What a tile job does: a Gaussian blur, then the resize; or only the resize.",
        Image,
        Kind::Choice(&[
            choice("blur", "blurred and resized"),
            choice("resize", "only resized"),
        ]),
        Value::Text("blur"),
    ),
    WORKERS,
    JOBS_BUFFER,
    RESULTS_BUFFER,
    ORDERED,
    CANCEL_AFTER_MS,
    SHUTDOWN,
    SHUTDOWN_TIMEOUT_MS,
];

/// The pool's own fields, which both examples read the same way.
pub const POOL: &[FieldSpec] = &[
    WORKERS,
    JOBS_BUFFER,
    RESULTS_BUFFER,
    ORDERED,
    CANCEL_AFTER_MS,
    SHUTDOWN,
    SHUTDOWN_TIMEOUT_MS,
];
