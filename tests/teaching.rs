//! The numbers and rules the tutorial states, checked against the core: every `data-check`
//! number in `www/tutorial.html` is computed here from the code it describes, and the thresholds
//! the deadlock lesson gives ("send everything first" finishes exactly while jobs ≤ workers + jobs
//! buffer + results buffer; "wait first" while jobs ≤ results buffer) are run at their edges.
//! (The preset numbers it quotes, `data-preset`, are checked by the teaching e2e suite.)
#![cfg(not(target_arch = "wasm32"))]

mod support;
use support::finish;

use poolplay::config::{DoublingConfig, Field, MAX_WORKERS};
use poolplay::demo::doubling;
use poolplay::observe::trace::Outcome;
use poolplay::patterns::scaling::{Roster, SCALE_TICK_MS};
use poolplay::pool::HELPER_THREADS;
use poolplay::pool::spawn::OsThreads;
use std::collections::BTreeMap;

const TUTORIAL: &str = include_str!("../www/tutorial.html");

fn scenario(name: &str, overrides: &[(&str, f64)]) -> DoublingConfig {
    let mut fields = BTreeMap::from([("scenario".to_string(), Field::Text(name.into()))]);
    for (field, value) in overrides {
        fields.insert(field.to_string(), Field::Number(*value));
    }
    DoublingConfig::from_fields(&fields).expect("valid config")
}

fn outcome(config: &DoublingConfig) -> Outcome {
    let run = doubling::start(config, false, &OsThreads).expect("run starts");
    finish(&run).0.outcome
}

/// Every `data-check="name"` marker of the tutorial with the number in its `value`.
fn checked_numbers() -> Vec<(String, f64)> {
    let mut found = Vec::new();
    for tag in TUTORIAL
        .split('<')
        .filter(|tag| tag.contains("data-check=\""))
    {
        let attribute = |name: &str| {
            let from = tag
                .find(&format!(" {name}=\""))
                .map(|at| at + name.len() + 3)?;
            Some(tag[from..].split('"').next()?.to_string())
        };
        let name = attribute("data-check").expect("a name");
        let value = attribute("value").unwrap_or_else(|| panic!("{name} has no value"));
        let number = value.parse().unwrap_or_else(|_| panic!("{name}: {value}"));
        found.push((name, number));
    }
    found
}

/// What the core says the marker `name` is.
fn core_number(name: &str) -> f64 {
    let retry = scenario("retry", &[]).retry;
    let attempt = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<u32>().ok())
    };
    let unjittered = poolplay::patterns::retry::Retry {
        backoff_jitter: 0.0,
        ..retry
    };
    if let Some(n) = attempt("retry-wait-") {
        return unjittered.backoff_ms(1, 1, n);
    }
    if let Some(n) = attempt("retry-shortest-") {
        return unjittered.backoff_ms(1, 1, n) * (1.0 - retry.backoff_jitter);
    }
    match name {
        "scale-tick-ms" => SCALE_TICK_MS,
        "max-workers" => f64::from(MAX_WORKERS),
        "pool-threads" => (usize::from(MAX_WORKERS) + HELPER_THREADS) as f64,
        other => panic!("the tutorial checks a number this test does not know: {other}"),
    }
}

#[test]
fn every_number_the_tutorial_marks_is_the_cores() {
    let numbers = checked_numbers();
    let names: Vec<&str> = numbers.iter().map(|(name, _)| name.as_str()).collect();
    for wanted in [
        "scale-tick-ms",
        "retry-wait-1",
        "retry-shortest-3",
        "pool-threads",
    ] {
        assert!(names.contains(&wanted), "{wanted} is marked: {names:?}");
    }
    for (name, stated) in numbers {
        let core = core_number(&name);
        assert!(
            (core - stated).abs() < 1e-9,
            "the tutorial says {name} is {stated}, the core {core}"
        );
    }
}

#[test]
fn every_jittered_wait_lies_between_the_shortest_and_the_full_wait() {
    let retry = scenario("retry", &[]).retry;
    for job in 1..=200 {
        for attempt in 1..retry.max_attempts {
            let full = (f64::from(retry.backoff_ms)
                * retry.backoff_factor.powi(attempt as i32 - 1))
            .min(f64::from(retry.backoff_cap_ms));
            let wait = retry.backoff_ms(7, job, attempt);
            assert!(wait <= full && wait >= full * (1.0 - retry.backoff_jitter));
        }
    }
}

#[test]
fn the_scaler_adds_one_worker_only_when_more_than_the_threshold_per_worker_wait() {
    let scaling = scenario("autoscale", &[]).scaling;
    let per = scaling.scale_up_per_worker as usize;
    let staff = Roster::new(scaling);
    assert!(staff.look(|| 0.0, || per, || {}).is_none(), "exactly 5 × 1");
    let grown = staff
        .look(|| 1.0, || per + 1, || {})
        .expect("more than 5 × 1");
    assert_eq!(grown.workers, 2, "one worker per look");
    assert!(
        staff.look(|| 2.0, || 2 * per, || {}).is_none(),
        "exactly 5 × 2"
    );
    assert_eq!(staff.look(|| 3.0, || 100, || {}).unwrap().workers, 3);
}

#[test]
fn sending_every_job_first_finishes_exactly_while_the_jobs_fit_in_workers_and_buffers() {
    for workers in 1..=3 {
        for jobs_buffer in 0..=2 {
            for results_buffer in 0..=2 {
                let room = workers + jobs_buffer + results_buffer;
                let with = |jobs: u32| {
                    outcome(&scenario(
                        "deadlock-circular",
                        &[
                            ("workers", f64::from(workers)),
                            ("jobsBuffer", f64::from(jobs_buffer)),
                            ("resultsBuffer", f64::from(results_buffer)),
                            ("jobs", f64::from(jobs)),
                            ("workMs", 0.0),
                        ],
                    ))
                };
                let shape =
                    format!("{workers} workers, buffers {jobs_buffer} and {results_buffer}");
                assert_eq!(with(room), Outcome::Completed, "{room} jobs, {shape}");
                assert_eq!(
                    with(room + 1),
                    Outcome::Deadlock,
                    "{} jobs, {shape}",
                    room + 1
                );
            }
        }
    }
}

#[test]
fn waiting_first_finishes_exactly_while_every_result_fits_in_the_results_buffer() {
    for workers in [1, 3] {
        for results_buffer in 1..=4 {
            let with = |jobs: u32| {
                outcome(&scenario(
                    "deadlock-after-wait",
                    &[
                        ("workers", f64::from(workers)),
                        ("resultsBuffer", f64::from(results_buffer)),
                        ("jobs", f64::from(jobs)),
                        ("workMs", 0.0),
                    ],
                ))
            };
            assert_eq!(with(results_buffer), Outcome::Completed);
            assert_eq!(with(results_buffer + 1), Outcome::Deadlock);
        }
    }
}
