//! The scenarios: deadlocks found like Go's runtime finds them, panics, failures, ordering,
//! shutdowns and the WaitGroup race; in every one of them each job is accounted for.
#![cfg(not(target_arch = "wasm32"))]

mod support;
use support::assert_accounted;

use poolplay::config::{DoublingConfig, Field};
use poolplay::demo::doubling;
use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{Event, EventKind, Op, Outcome, Reason, Resource};
use poolplay::pool::report::{Delivery, Report};
use poolplay::pool::spawn::{OsThreads, Spawn, Task};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

const TIMEOUT_MS: f64 = 10_000.0;

fn scenario(name: &str, overrides: &[(&str, Field)]) -> DoublingConfig {
    let mut fields = BTreeMap::from([("scenario".to_string(), Field::Text(name.into()))]);
    fields.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.clone())));
    DoublingConfig::from_fields(&fields).expect("valid config")
}

fn run_with(config: &DoublingConfig, spawner: &dyn Spawn) -> (Report<Delivery<u64>>, Vec<Event>) {
    let run = doubling::start(config, true, spawner).expect("run starts");
    let report = run.wait_report(TIMEOUT_MS).expect("run ends");
    (report, run.take_events())
}

fn run(config: &DoublingConfig) -> (Report<Delivery<u64>>, Vec<Event>) {
    run_with(config, &OsThreads)
}

fn waits(report: &Report<Delivery<u64>>) -> Vec<(Actor, Op, Resource, Reason)> {
    let blocked = report.blocked.as_ref().expect("a deadlock lists who waits");
    blocked
        .iter()
        .map(|w| (w.actor, w.op, w.channel, w.reason))
        .collect()
}

/// Milliseconds from the last sign of progress (a value moving, a job finishing) to the end.
fn detection_delay_ms(events: &[Event]) -> f64 {
    let last_progress = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Sent { .. } | EventKind::Received { .. } | EventKind::Finished { .. }
            )
        })
        .map(|e| e.t)
        .fold(0.0, f64::max);
    let ended = events.last().expect("events").t;
    ended - last_progress
}

#[test]
fn a_jobs_channel_never_closed_is_a_deadlock_once_the_work_is_done() {
    let (report, events) = run(&scenario("deadlock-no-close", &[]));
    assert_eq!(report.outcome, Outcome::Deadlock);
    assert_eq!(
        report.message.as_deref(),
        Some("fatal error: all goroutines are asleep - deadlock!")
    );
    let mut expected: Vec<_> = (1..=3)
        .map(|k| (Actor::Worker(k), Op::Recv, Resource::Jobs, Reason::Empty))
        .collect();
    expected.push((
        Actor::Closer,
        Op::Wait,
        Resource::WaitGroup,
        Reason::Counter,
    ));
    expected.push((Actor::Consumer, Op::Recv, Resource::Results, Reason::Empty));
    assert_eq!(waits(&report), expected);
    assert_eq!(report.accounting.done.len(), 8, "all work was done first");
    assert_accounted(&report, 8);
    assert!(detection_delay_ms(&events) < 1_000.0);
    let exits = events.iter().filter(|e| e.kind == EventKind::Exited);
    assert_eq!(exits.count(), 6, "every actor was released and exited");
}

#[test]
fn collecting_after_wait_deadlocks_exactly_when_the_results_buffer_is_smaller_than_the_jobs() {
    let with_buffer = |n: f64| {
        scenario(
            "deadlock-after-wait",
            &[("resultsBuffer", Field::Number(n))],
        )
    };
    let (stuck, events) = run(&with_buffer(9.0));
    assert_eq!(stuck.outcome, Outcome::Deadlock);
    let blocked = waits(&stuck);
    assert!(blocked.contains(&(
        Actor::Consumer,
        Op::Wait,
        Resource::WaitGroup,
        Reason::Counter
    )));
    let senders: Vec<_> = blocked
        .iter()
        .filter(|(who, op, channel, reason)| {
            matches!(who, Actor::Worker(_))
                && (*op, *channel, *reason) == (Op::Send, Resource::Results, Reason::Full)
        })
        .collect();
    assert_eq!(
        senders.len(),
        1,
        "the worker holding the tenth result: {blocked:?}"
    );
    assert_eq!(stuck.accounting.undelivered.len(), 10, "every result stuck");
    assert_accounted(&stuck, 10);
    assert!(detection_delay_ms(&events) < 1_000.0);

    let (fine, _) = run(&with_buffer(10.0));
    assert_eq!(fine.outcome, Outcome::Completed);
    assert_eq!(fine.accounting.done.len(), 10);
}

#[test]
fn unbuffered_channels_with_the_producer_collecting_last_wait_in_a_circle() {
    let (report, events) = run(&scenario("deadlock-circular", &[]));
    assert_eq!(report.outcome, Outcome::Deadlock);
    let blocked = waits(&report);
    assert!(blocked.contains(&(
        Actor::Producer,
        Op::Send,
        Resource::Jobs,
        Reason::Rendezvous
    )));
    for k in 1..=3 {
        assert!(blocked.contains(&(
            Actor::Worker(k),
            Op::Send,
            Resource::Results,
            Reason::Rendezvous
        )));
    }
    assert!(blocked.contains(&(
        Actor::Closer,
        Op::Wait,
        Resource::WaitGroup,
        Reason::Counter
    )));
    assert_eq!(blocked.len(), 5, "{blocked:?}");
    assert_accounted(&report, 10);
    assert!(detection_delay_ms(&events) < 1_000.0);
}

#[test]
fn nothing_is_delivered_once_a_deadlock_is_found() {
    // Tearing the run down wakes the producer, which would go on to read results: the results
    // channel is aborted before anyone wakes, so the report is the same every time.
    for _ in 0..20 {
        let config = scenario("deadlock-circular", &[("workMs", Field::Number(0.0))]);
        let (report, _) = run(&config);
        assert_eq!(report.outcome, Outcome::Deadlock);
        assert!(report.results.is_empty(), "{:?}", report.accounting);
        assert_eq!(report.accounting.undelivered, vec![1, 2, 3]);
        assert_eq!(report.stats.missed, 10);
    }
}

#[test]
fn slow_jobs_and_a_slow_consumer_are_not_a_deadlock() {
    let config = scenario(
        "basic",
        &[
            ("workers", Field::Number(2.0)),
            ("jobs", Field::Number(6.0)),
            ("jobsBuffer", Field::Number(0.0)),
            ("resultsBuffer", Field::Number(0.0)),
            ("workMs", Field::Number(250.0)),
            ("consumerMs", Field::Number(250.0)),
        ],
    );
    let (report, _) = run(&config);
    assert_eq!(report.outcome, Outcome::Completed);
    assert_accounted(&report, 6);
}

#[test]
fn closing_the_jobs_channel_twice_is_a_panic_of_the_producer() {
    let (report, events) = run(&scenario("panic-close-twice", &[]));
    assert_eq!(report.outcome, Outcome::Panic);
    let panic = report.panic.clone().expect("who panicked");
    assert_eq!(panic.actor, Actor::Producer);
    assert_eq!(panic.error, "close of closed channel");
    assert_eq!(
        report.message.as_deref(),
        Some("panic: close of closed channel (in producer)")
    );
    assert_accounted(&report, 8);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind == EventKind::Exited)
            .count(),
        6
    );
}

#[test]
fn closing_results_before_the_workers_finish_makes_a_worker_panic() {
    let (report, _) = run(&scenario("panic-send-on-closed", &[]));
    assert_eq!(report.outcome, Outcome::Panic);
    let panic = report.panic.clone().expect("who panicked");
    assert!(matches!(panic.actor, Actor::Worker(_)), "{panic:?}");
    assert_eq!(panic.error, "send on closed channel");
    assert!(report.stats.missed > 0);
    assert_accounted(&report, 8);
}

#[test]
fn failing_jobs_deliver_their_error_and_the_same_jobs_fail_for_the_same_seed() {
    let config = scenario("errors", &[("workMs", Field::Number(0.0))]);
    let (first, _) = run(&config);
    let (second, _) = run(&config);
    assert_eq!(first.outcome, Outcome::Completed);
    assert!(first.accounting.failed.contains(&3), "listed in failJobs");
    assert!(
        first.accounting.failed.len() > 1,
        "and some drawn by failRate"
    );
    assert_eq!(first.accounting.failed, second.accounting.failed);
    assert_eq!(first.stats.failed, first.accounting.failed.len());
    assert_eq!(first.stats.succeeded + first.stats.failed, 20);
    let three = first.results.iter().find(|d| d.job == 3).unwrap();
    assert_eq!(three.value, None);
    assert_eq!(
        three.error.as_deref(),
        Some("job 3 failed: it is listed in failJobs")
    );
    assert_accounted(&first, 20);
    let other_seed = run(&scenario("errors", &[("seed", Field::Number(8.0))])).0;
    assert_ne!(other_seed.accounting.failed, first.accounting.failed);
}

#[test]
fn uneven_jobs_arrive_out_of_order_unless_a_reorder_buffer_restores_it() {
    let (loose, _) = run(&scenario("ordering", &[]));
    let arrival: Vec<u32> = loose.results.iter().map(|d| d.job).collect();
    assert!(arrival.windows(2).any(|w| w[0] > w[1]), "{arrival:?}");
    assert!(loose.stats.reorder_peak.is_none());

    let (ordered, events) = run(&scenario("ordering", &[("ordered", Field::Bool(true))]));
    let delivered: Vec<u32> = ordered.results.iter().map(|d| d.job).collect();
    assert_eq!(delivered, (1..=12).collect::<Vec<_>>());
    let ranks: BTreeSet<u32> = ordered.results.iter().map(|d| d.arrival).collect();
    assert_eq!(
        ranks,
        (1..=12).collect(),
        "each result keeps its arrival rank"
    );
    assert!(ordered.stats.reorder_peak.unwrap() >= 1);
    assert!(ordered.stats.reorder_delay_ms.unwrap() > 0.0);
    let released = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Delivered { .. }));
    assert_eq!(released.count(), 12);
}

/// Jobs that entered the jobs channel, from the trace.
fn queued_jobs(events: &[Event]) -> BTreeSet<u32> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Sent {
                channel: Resource::Jobs,
                job,
                ..
            } => Some(job),
            _ => None,
        })
        .collect()
}

fn shutdown_config(mode: &str, timeout_ms: f64) -> DoublingConfig {
    scenario(
        "cancel",
        &[
            ("jobs", Field::Number(40.0)),
            ("workMs", Field::Number(60.0)),
            ("cancelAfterMs", Field::Number(150.0)),
            ("shutdown", Field::Text(mode.into())),
            ("shutdownTimeoutMs", Field::Number(timeout_ms)),
        ],
    )
}

#[test]
fn a_graceful_shutdown_finishes_jobs_in_flight_and_drops_the_queued_ones() {
    let (report, events) = run(&shutdown_config("graceful", 0.0));
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert!(report.message.as_deref().unwrap().contains("graceful"));
    assert!(report.accounting.failed.is_empty(), "nothing interrupted");
    assert!(report.accounting.undelivered.is_empty(), "nothing lost");
    assert!(
        !report.accounting.not_started.is_empty(),
        "queued jobs dropped"
    );
    let queued = queued_jobs(&events);
    assert!(
        report
            .accounting
            .not_started
            .iter()
            .any(|j| queued.contains(j)),
        "some dropped jobs had been queued"
    );
    assert_accounted(&report, 40);
}

#[test]
fn a_drain_finishes_every_queued_job_and_accepts_no_new_one() {
    let (report, events) = run(&shutdown_config("drain", 0.0));
    assert_eq!(report.outcome, Outcome::Cancelled);
    let queued = queued_jobs(&events);
    let done: BTreeSet<u32> = report.accounting.done.iter().copied().collect();
    assert_eq!(done, queued, "exactly the queued jobs were done");
    assert!(queued.len() < 40, "the producer stopped early");
    assert_accounted(&report, 40);
}

#[test]
fn a_forced_shutdown_cancels_work_still_running_after_its_grace_period() {
    let config = scenario(
        "cancel",
        &[
            ("workMs", Field::Number(1_000.0)),
            ("cancelAfterMs", Field::Number(100.0)),
            ("shutdown", Field::Text("force".into())),
            ("shutdownTimeoutMs", Field::Number(100.0)),
        ],
    );
    let (report, events) = run(&config);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert_eq!(
        report.accounting.failed.len(),
        3,
        "one job in flight per worker"
    );
    for d in &report.results {
        assert_eq!(d.error.as_deref(), Some("context canceled"));
    }
    let stages: Vec<_> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Shutdown { stage, .. } => Some((e.actor, stage)),
            _ => None,
        })
        .collect();
    assert_eq!(stages.len(), 2, "requested, then forced: {stages:?}");
    assert!(report.stats.wall_ms < 900.0, "{:?}", report.stats);
    assert_accounted(&report, 40);
}

/// Starts the producer, closer and consumer at once but the workers (started last) only after a
/// pause, so a WaitGroup counted inside the workers is still zero when the closer waits on it.
struct LateWorkers {
    spawned: AtomicUsize,
}

impl Spawn for LateWorkers {
    fn spawn(&self, task: Task) {
        let nth = self.spawned.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || {
            if nth >= 3 {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            task();
        });
    }
    fn capacity(&self) -> usize {
        usize::MAX
    }
}

#[test]
fn adding_to_the_waitgroup_inside_the_worker_lets_wait_return_before_the_work_is_done() {
    let late = || LateWorkers {
        spawned: AtomicUsize::new(0),
    };
    let (bitten, _) = run_with(&scenario("waitgroup-misuse", &[]), &late());
    assert_eq!(bitten.outcome, Outcome::Panic, "{:?}", bitten.message);
    assert_eq!(
        bitten.panic.as_ref().unwrap().error,
        "send on closed channel"
    );
    assert_eq!(bitten.stats.missed, 8, "the consumer saw no result at all");
    assert_accounted(&bitten, 8);

    let correct = scenario(
        "waitgroup-misuse",
        &[("mistake", Field::Text("none".into()))],
    );
    let (fine, _) = run_with(&correct, &late());
    assert_eq!(fine.outcome, Outcome::Completed);
    assert_eq!(fine.stats.missed, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn runs_that_cannot_deadlock_are_never_called_deadlocked(
        workers in 1u16..=8,
        jobs in 1u32..=30,
        jobs_buffer in 0u32..=6,
        results_buffer in 0u32..=6,
        costs in prop::collection::vec(0u32..=2, 1..=5),
        consumer_ms in 0u32..=2,
    ) {
        let config = DoublingConfig {
            workers,
            jobs,
            jobs_buffer,
            results_buffer,
            job_cost_ms: costs,
            consumer_ms,
            ..DoublingConfig::default()
        };
        let run = doubling::start(&config, false, &OsThreads).unwrap();
        let report = run.wait_report(TIMEOUT_MS).expect("run ends");
        prop_assert_eq!(report.outcome, Outcome::Completed);
        prop_assert_eq!(report.accounting.done.len(), jobs as usize);
        assert_accounted(&report, jobs);
    }
}
