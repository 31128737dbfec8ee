//! The production patterns on real threads: a pool against a limited service (and no pool),
//! retries with backoff and a dead-letter queue, an autoscaling pool; in each, every job is
//! accounted for.
#![cfg(not(target_arch = "wasm32"))]

mod support;
use support::{STALL, assert_accounted, finish, parse};

use poolplay::config::{DoublingConfig, Field};
use poolplay::demo::doubling;
use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{Event, EventKind, Outcome, Phase};
use poolplay::patterns::retry::Retry;
use poolplay::pool::report::{Delivery, Report};
use poolplay::pool::spawn::OsThreads;
use poolplay::sync::chan::{Chan, OpError};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn scenario(name: &str, overrides: &[(&str, Field)]) -> DoublingConfig {
    let mut pairs = vec![("scenario", Field::Text(name.into()))];
    pairs.extend(overrides.iter().cloned());
    parse(&pairs).expect("valid config")
}

fn n(x: f64) -> Field {
    Field::Number(x)
}

fn run(config: &DoublingConfig) -> (Report<Delivery<u64>>, Vec<Event>) {
    let run = doubling::start(config, true, &OsThreads).expect("run starts");
    finish(&run)
}

// --- the service, and a task per job against it ------------------------------------------------

#[test]
fn a_task_per_job_overruns_the_service_while_a_pool_as_wide_as_its_limit_does_not() {
    let config = scenario("unbounded-vs-pool", &[]);
    let limit = config
        .service
        .concurrency
        .expect("the preset limits concurrency");
    assert_eq!(u32::from(config.workers), limit, "W = C");
    let comparison = doubling::compare(&config, true, &OsThreads).expect("starts");
    let (report, _) = finish(&comparison);

    let unbounded = &report.comparison.unbounded;
    let service = unbounded.service.as_ref().expect("the service's figures");
    assert_eq!(unbounded.workers, config.jobs, "a task per job");
    assert!(
        service.peak_concurrent > limit,
        "{} requests at once against a limit of {limit}",
        service.peak_concurrent
    );
    assert!(service.rejections > 0);
    assert!(
        service.peak_admitted <= limit,
        "the service never serves more"
    );
    assert_eq!(
        unbounded.failed, service.rejections as usize,
        "a refusal fails its job"
    );
    assert_eq!(unbounded.succeeded + unbounded.failed, config.jobs as usize);

    let pool = report.comparison.pool.as_ref().expect("the pool side ran");
    let service = pool.service.as_ref().unwrap();
    assert_eq!(service.rejections, 0);
    assert!(service.peak_concurrent <= limit);
    assert_eq!(pool.succeeded, config.jobs as usize);
    assert!(
        pool.start_ms >= unbounded.wall_ms,
        "the sides run one after the other"
    );
    assert_eq!(report.report.outcome, Outcome::Completed);
    assert_accounted(&report.report, config.jobs);
    let refused = report.report.results.iter().filter(|d| d.error.is_some());
    assert_eq!(refused.count(), 0);
}

#[test]
fn the_comparison_is_one_timeline_opened_by_each_side() {
    let config = scenario("unbounded-vs-pool", &[("workMs", n(60.0))]);
    let comparison = doubling::compare(&config, true, &OsThreads).unwrap();
    // Drained while it runs, as the page does: the batches of both sides must join up.
    let (report, events) = finish(&comparison);
    assert!(events.windows(2).all(|w| w[0].t <= w[1].t), "in time order");
    let phases: Vec<(f64, Phase, u32)> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Phase { phase, workers } => Some((e.t, phase, workers)),
            _ => None,
        })
        .collect();
    let pool_start = report.comparison.pool.as_ref().unwrap().start_ms;
    assert_eq!(
        phases,
        vec![(0.0, Phase::Unbounded, 16), (pool_start, Phase::Pool, 4)]
    );
    let ends: Vec<_> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Ended { .. }))
        .collect();
    assert_eq!(ends.len(), 1);
    assert!(
        std::ptr::eq(ends[0], events.last().unwrap()),
        "ended is last"
    );
    let tasks: BTreeSet<Actor> = events
        .iter()
        .filter(|e| e.t < pool_start && matches!(e.kind, EventKind::Started { .. }))
        .map(|e| e.actor)
        .collect();
    assert_eq!(
        tasks,
        (1..=16).map(Actor::Task).collect(),
        "task k runs job k"
    );
    let workers: BTreeSet<Actor> = events
        .iter()
        .filter(|e| e.t > pool_start && matches!(e.kind, EventKind::Started { .. }))
        .map(|e| e.actor)
        .collect();
    assert!(workers.iter().all(|a| matches!(a, Actor::Worker(1..=4))));
}

#[test]
fn a_cancel_on_the_unbounded_side_ends_the_comparison_there() {
    let config = scenario("unbounded-vs-pool", &[("cancelAfterMs", n(50.0))]);
    let comparison = doubling::compare(&config, true, &OsThreads).unwrap();
    let (report, _) = finish(&comparison);
    assert_eq!(report.report.outcome, Outcome::Cancelled);
    assert!(report.comparison.pool.is_none());
    assert_accounted(&report.report, config.jobs);
}

#[test]
fn a_rate_limit_refuses_requests_beyond_it_in_any_second() {
    let config = parse(&[
        ("workers", n(4.0)),
        ("jobs", n(12.0)),
        ("workMs", n(20.0)),
        ("serviceRate", n(5.0)),
    ])
    .unwrap();
    let (report, _) = run(&config);
    let service = report.service.as_ref().expect("figures");
    assert_eq!(service.limits.rate, Some(5));
    assert_eq!(service.requests, 12);
    // 12 requests in under a second: at most 5 get through. (A machine slow enough to spread
    // them over more than a second may let more through, as the limit allows.)
    let times: Vec<f64> = service.concurrent.iter().map(|&(t, _)| t).collect();
    let span = times.last().unwrap() - times[0];
    if span < 900.0 {
        assert!(service.rejections >= 7, "{service:?}");
    }
    assert_eq!(report.accounting.failed.len(), service.rejections as usize);
    for refusal in report.results.iter().filter_map(|d| d.error.as_deref()) {
        assert!(refusal.starts_with("429 Too Many Requests"), "{refusal}");
    }
}

// --- retries, backoff, the dead-letter queue --------------------------------------------------

#[test]
fn backoff_doubles_from_its_base_up_to_its_cap() {
    let retry = Retry {
        max_attempts: 6,
        backoff_ms: 100,
        backoff_factor: 2.0,
        backoff_cap_ms: 300,
        backoff_jitter: 0.0,
    };
    let waits: Vec<f64> = (1..=5).map(|a| retry.backoff_ms(1, 1, a)).collect();
    assert_eq!(waits, [100.0, 200.0, 300.0, 300.0, 300.0]);
}

#[test]
fn jittered_backoff_is_exact_for_a_seed() {
    let retry = Retry {
        max_attempts: 4,
        backoff_ms: 100,
        backoff_factor: 2.0,
        backoff_cap_ms: 1_000,
        backoff_jitter: 0.5,
    };
    let waits =
        |seed, job| -> Vec<f64> { (1..=3).map(|a| retry.backoff_ms(seed, job, a)).collect() };
    assert_eq!(waits(7, 5), waits(7, 5), "the same seed, the same waits");
    assert_ne!(waits(7, 5), waits(8, 5), "another seed, other waits");
    for (wait, full) in waits(7, 5).into_iter().zip([100.0, 200.0, 400.0]) {
        assert!(
            wait > full * 0.5 && wait <= full,
            "{wait} within half of {full}"
        );
    }
    let pinned: Vec<String> = waits(7, 5).iter().map(|w| format!("{w:.3}")).collect();
    assert_eq!(pinned, PINNED_JITTER);
}

/// `backoff_ms(7, 5, 1..=3)` with base 100, factor 2, cap 1,000 and jitter 0.5.
const PINNED_JITTER: [&str; 3] = ["98.559", "191.010", "380.501"];

/// The backoff events of `job`, and its attempt events, in order.
fn attempts_of(events: &[Event], job: u32) -> Vec<&EventKind> {
    events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| match k {
            EventKind::Started { job: j } | EventKind::Finished { job: j, .. } => *j == job,
            EventKind::Backoff { job: j, .. } | EventKind::Attempt { job: j, .. } => *j == job,
            _ => false,
        })
        .collect()
}

#[test]
fn every_job_ends_done_or_dead_lettered_after_its_attempts() {
    let config = scenario("retry", &[("workMs", n(10.0)), ("backoffMs", n(20.0))]);
    let (report, events) = run(&config);
    assert_eq!(report.outcome, Outcome::Completed);
    assert_accounted(&report, config.jobs);
    let a = &report.accounting;
    assert!(a.not_started.is_empty() && a.undelivered.is_empty());
    let dead = report
        .dead_letters
        .as_ref()
        .expect("a retrying run has a dead-letter queue");
    let dead_jobs: Vec<u32> = dead.iter().map(|d| d.job).collect();
    assert_eq!(
        dead_jobs.iter().copied().collect::<BTreeSet<_>>(),
        a.failed.iter().copied().collect()
    );
    let listed = dead
        .iter()
        .find(|d| d.job == 3)
        .expect("job 3 always fails");
    assert_eq!(listed.attempts, 4);
    assert_eq!(listed.error, "job 3 failed: it is listed in failJobs");
    assert!(dead.iter().all(|d| d.attempts == config.retry.max_attempts));

    let retried_then_done = report
        .results
        .iter()
        .filter(|d| d.value.is_some() && d.attempts > Some(1))
        .count();
    assert!(
        retried_then_done > 0,
        "some jobs get through on a later attempt"
    );

    // The trace has every attempt and every wait, with the scheduled length.
    for delivery in &report.results {
        let attempts = delivery.attempts.unwrap();
        let story = attempts_of(&events, delivery.job);
        assert_eq!(
            story.len(),
            2 * attempts as usize,
            "job {}: {story:?}",
            delivery.job
        );
        assert!(matches!(story[0], EventKind::Started { .. }));
        for (i, pair) in story[1..story.len() - 1].chunks(2).enumerate() {
            let attempt = i as u32 + 1;
            let EventKind::Backoff { attempt: a, ms, .. } = pair[0] else {
                panic!("job {}: {story:?}", delivery.job)
            };
            assert_eq!(*a, attempt);
            let scheduled = config.retry.backoff_ms(config.seed, delivery.job, attempt);
            assert_eq!(*ms, scheduled);
            assert_eq!(
                pair[1],
                &EventKind::Attempt {
                    job: delivery.job,
                    attempt: attempt + 1
                }
            );
        }
        let EventKind::Finished { failed, .. } = story.last().unwrap() else {
            panic!("job {} ends with finished", delivery.job)
        };
        assert_eq!(*failed, delivery.error.is_some());
    }
}

#[test]
fn the_same_seed_fails_the_same_attempts() {
    let config = scenario("retry", &[("workMs", n(0.0)), ("backoffMs", n(1.0))]);
    let attempts = |report: &Report<Delivery<u64>>| -> BTreeMap<u32, u32> {
        report
            .results
            .iter()
            .map(|d| (d.job, d.attempts.unwrap()))
            .collect()
    };
    let (first, _) = run(&config);
    let (second, _) = run(&config);
    assert_eq!(attempts(&first), attempts(&second));
    assert_eq!(first.accounting, second.accounting);
}

#[test]
fn a_run_without_retries_reports_no_attempts_and_no_dead_letters() {
    let (report, _) = run(&scenario("errors", &[("workMs", n(0.0))]));
    assert!(report.dead_letters.is_none());
    assert!(report.results.iter().all(|d| d.attempts.is_none()));
}

// --- autoscaling --------------------------------------------------------------------------------

#[test]
fn an_autoscaling_pool_grows_in_a_burst_and_shrinks_back_when_idle() {
    let config = scenario("autoscale", &[]);
    let (report, events) = run(&config);
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(report.accounting.done.len(), config.jobs as usize);
    let scaling = report.scaling.expect("the scaling figures");
    let (min, max) = (config.scaling.min_workers, config.scaling.max_workers);
    assert!(
        scaling
            .workers
            .iter()
            .all(|&(_, w)| (min..=max).contains(&w)),
        "{:?}",
        scaling.workers
    );
    assert!(scaling.peak_workers > min, "it grew under the burst");
    let peak_at = scaling
        .workers
        .iter()
        .position(|&(_, w)| w == scaling.peak_workers)
        .unwrap();
    assert!(
        scaling.workers[peak_at..].iter().any(|&(_, w)| w == min),
        "and came back to the minimum after: {:?}",
        scaling.workers
    );
    assert!(scaling.retired >= 1);
    assert!(scaling.queued.iter().any(|&(_, q)| q > 5 * u32::from(min)));
    let scaled = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Scaled { .. }))
        .count();
    let retired = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Retired { .. }))
        .count();
    assert_eq!(
        (scaled as u32, retired as u32),
        (scaling.scaled_up, scaling.retired)
    );
    assert!(events.iter().any(|e| e.actor == Actor::Scaler));
}

#[test]
fn the_producer_sends_a_burst_then_waits_out_the_quiet_period() {
    let config = parse(&[
        ("jobs", n(4.0)),
        ("workMs", n(0.0)),
        ("burstJobs", n(2.0)),
        ("quietMs", n(300.0)),
        ("tailGapMs", n(50.0)),
    ])
    .unwrap();
    let (report, events) = run(&config);
    assert_eq!(report.outcome, Outcome::Completed);
    let sent_at = |job: u32| {
        events
            .iter()
            .find(|e| {
                e.actor == Actor::Producer
                    && matches!(e.kind, EventKind::Sent { job: j, .. } if j == job)
            })
            .map(|e| e.t)
            .unwrap()
    };
    assert!(
        sent_at(3) >= 300.0,
        "job 3 waits for the quiet period: {}",
        sent_at(3)
    );
    assert!(sent_at(4) >= sent_at(3) + 50.0);
}

#[test]
fn a_deadlock_in_an_autoscaling_pool_is_still_found() {
    let config = scenario(
        "autoscale",
        &[
            ("closeJobs", Field::Bool(false)),
            ("jobs", n(30.0)),
            ("burstJobs", Field::Null),
            ("workMs", n(5.0)),
            ("idleTimeoutMs", n(50.0)),
        ],
    );
    let (report, _) = run(&config);
    assert_eq!(report.outcome, Outcome::Deadlock);
    assert_accounted(&report, 30);
    assert_eq!(
        report.accounting.done.len(),
        30,
        "every job was done before it froze"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn autoscaling_runs_never_deadlock_and_account_for_every_job(
        jobs in 1u32..=40,
        min in 1u16..=3,
        extra in 0u16..=4,
        up in 1u32..=4,
        idle in 10u32..=40,
        burst in 0u32..=20,
        quiet in 0u32..=80,
        gap in 0u32..=5,
        work in 0u32..=5,
    ) {
        let config = parse(&[
            ("pool", Field::Text("autoscale".into())),
            ("jobs", n(jobs.into())),
            ("minWorkers", n(min.into())),
            ("maxWorkers", n((min + extra).into())),
            ("scaleUpPerWorker", n(up.into())),
            ("idleTimeoutMs", n(idle.into())),
            ("burstJobs", n(burst.into())),
            ("quietMs", n(quiet.into())),
            ("tailGapMs", n(gap.into())),
            ("workMs", n(work.into())),
            ("jobsBuffer", n(50.0)),
        ]).unwrap();
        let run = doubling::start(&config, false, &OsThreads).unwrap();
        let (report, _) = finish(&run);
        prop_assert_eq!(report.outcome, Outcome::Completed);
        prop_assert_eq!(report.accounting.done.len(), jobs as usize);
        let scaling = report.scaling.unwrap();
        prop_assert!(scaling.workers.iter().all(|&(_, w)| w >= min && w <= min + extra));
    }
}

// --- the timed receive an idle worker uses ------------------------------------------------------

#[test]
fn a_timed_receive_gives_up_on_an_empty_channel_and_takes_a_value_that_comes() {
    let chan: Chan<u32> = Chan::new(1);
    assert_eq!(chan.recv_timeout(20.0), Err(OpError::TimedOut));
    chan.send(7).unwrap();
    assert_eq!(chan.recv_timeout(20.0), Ok(7));
    let sender = {
        let chan = chan.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            chan.send(8)
        })
    };
    // Only a hang guard: the value comes whenever the sender's thread gets to send it.
    let guard_ms = STALL.as_secs_f64() * 1000.0;
    assert_eq!(chan.recv_timeout(guard_ms), Ok(8));
    sender.join().unwrap().unwrap();
    chan.close().unwrap();
    assert_eq!(chan.recv_timeout(guard_ms), Err(OpError::Closed));
}

#[test]
fn a_receiver_that_gave_up_is_not_handed_a_value() {
    let chan: Chan<u32> = Chan::new(0);
    assert_eq!(chan.recv_timeout(5.0), Err(OpError::TimedOut));
    // Unbuffered and nobody waiting any more: a send must wait for a new receiver.
    let sender = {
        let chan = chan.clone();
        std::thread::spawn(move || chan.send(9))
    };
    assert_eq!(chan.recv(), Ok(9));
    sender.join().unwrap().unwrap();
}

// --- configuration ------------------------------------------------------------------------------

#[test]
fn production_fields_name_their_ranges() {
    let cases = [
        (
            "serviceConcurrency",
            n(0.0),
            "serviceConcurrency must be a whole number from 1 to 100, or absent, but got 0",
        ),
        (
            "serviceRate",
            n(5000.0),
            "serviceRate must be a whole number from 1 to 1000, or absent, but got 5000",
        ),
        (
            "maxAttempts",
            n(11.0),
            "maxAttempts must be a whole number from 1 to 10, but got 11",
        ),
        (
            "backoffMs",
            n(-1.0),
            "backoffMs must be a whole number from 0 to 10000, but got -1",
        ),
        (
            "backoffFactor",
            n(0.5),
            "backoffFactor must be a number from 1 to 10, but got 0.5",
        ),
        (
            "backoffCapMs",
            n(1e6),
            "backoffCapMs must be a whole number from 0 to 60000, but got 1000000",
        ),
        (
            "backoffJitter",
            n(2.0),
            "backoffJitter must be a number from 0 to 1, but got 2",
        ),
        (
            "minWorkers",
            n(0.0),
            "minWorkers must be a whole number from 1 to 16, but got 0",
        ),
        (
            "maxWorkers",
            n(17.0),
            "maxWorkers must be a whole number from 1 to 16, but got 17",
        ),
        (
            "scaleUpPerWorker",
            n(0.0),
            "scaleUpPerWorker must be a whole number from 1 to 100, but got 0",
        ),
        (
            "idleTimeoutMs",
            n(5.0),
            "idleTimeoutMs must be a whole number from 10 to 60000, but got 5",
        ),
        (
            "burstJobs",
            n(1.5),
            "burstJobs must be a whole number from 0 to 10000, or absent, but got 1.5",
        ),
        (
            "quietMs",
            Field::Text("long".into()),
            "quietMs must be a whole number from 0 to 60000, but got \"long\"",
        ),
        (
            "pool",
            Field::Text("huge".into()),
            "pool must be one of \"fixed\", \"autoscale\", \"unbounded\", \"compare\", but got \"huge\"",
        ),
    ];
    for (field, value, message) in cases {
        assert_eq!(parse(&[(field, value)]).unwrap_err(), message);
    }
}

#[test]
fn the_maximum_of_workers_is_at_least_the_minimum() {
    assert_eq!(
        parse(&[("minWorkers", n(4.0)), ("maxWorkers", n(2.0))]).unwrap_err(),
        "maxWorkers must be at least minWorkers (4), but got 2"
    );
    let raised = parse(&[("minWorkers", n(12.0))]).unwrap();
    assert_eq!(
        raised.scaling.max_workers, 12,
        "the default maximum follows a high minimum"
    );
}

#[test]
fn a_task_per_job_is_limited_to_the_threads_there_are() {
    assert_eq!(
        parse(&[("pool", Field::Text("unbounded".into())), ("jobs", n(17.0))]).unwrap_err(),
        "jobs must be a whole number from 1 to 16 when pool is \"unbounded\" or \"compare\" (a task \
         per job needs a thread per job), but got 17"
    );
    assert_eq!(
        parse(&[
            ("pool", Field::Text("compare".into())),
            ("collect", Field::Text("after-send".into()))
        ])
        .unwrap_err(),
        "collect must be \"concurrent\" when pool is \"unbounded\" or \"compare\" (no producer), but got \"after-send\""
    );
}

#[test]
fn the_production_presets_set_their_patterns() {
    let compare = scenario("unbounded-vs-pool", &[]);
    assert_eq!(compare.service.concurrency, Some(4));
    let retry = scenario("retry", &[]);
    assert_eq!(retry.retry.max_attempts, 4);
    let autoscale = scenario("autoscale", &[]);
    assert_eq!(
        autoscale.scaling.scale_up_per_worker, 5,
        "the seeds' 5 per worker"
    );
    assert_eq!(autoscale.arrivals.burst_jobs, Some(60));
}
