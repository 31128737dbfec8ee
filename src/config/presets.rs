//! The scenario presets: each a name and the fields it sets over the defaults.

use super::schema::Value;
use Value::{Flag, Fraction, Text, Whole, Wholes};

/// A preset: its name, and the fields it sets.
pub(crate) type Preset = (&'static str, &'static [(&'static str, Value)]);

/// The scenarios: each a name and the fields it sets (the rest keep their defaults).
pub(crate) const SCENARIOS: &[Preset] = &[
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
