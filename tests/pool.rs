//! The pool: every job processed exactly once, and a trace that tells a consistent story.
#![cfg(not(target_arch = "wasm32"))]

use poolplay::config::DoublingConfig;
use poolplay::demo::doubling;
use poolplay::observe::actor::Actor;
use poolplay::observe::trace::ShutdownMode;
use poolplay::observe::trace::{Event, EventKind, Outcome, Resource};
use poolplay::pool::spawn::{OsThreads, Spawn, Task};
use poolplay::pool::{self, PoolConfig, Run, StartError};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

mod support;
use support::{finish, wait_while_progressing};

fn config(
    workers: u16,
    jobs: u32,
    jobs_buffer: u32,
    results_buffer: u32,
    work_ms: u32,
) -> DoublingConfig {
    DoublingConfig {
        workers,
        jobs,
        jobs_buffer,
        results_buffer,
        work_ms,
        ..DoublingConfig::default()
    }
}

/// Checks the story the trace tells: each job passes every stage once and in order, channels
/// never hold more than their capacity, blocked and unblocked alternate, the run ends last.
fn assert_consistent(events: &[Event], cfg: &DoublingConfig) {
    assert!(
        events.windows(2).all(|w| w[0].t <= w[1].t),
        "events are in time order"
    );
    let mut stage: HashMap<u32, u8> = HashMap::new();
    let mut owner: HashMap<u32, Actor> = HashMap::new();
    let mut held: HashMap<Resource, i64> = HashMap::new();
    let mut blocked: HashMap<Actor, bool> = HashMap::new();
    let mut handed: HashSet<u32> = HashSet::new();
    for e in events {
        let advance = |stage: &mut HashMap<u32, u8>, job: u32, from: u8| {
            let s = stage.entry(job).or_insert(0);
            assert_eq!(*s, from, "job {job} reached {:?} out of order", e.kind);
            *s += 1;
        };
        match e.kind {
            EventKind::Sent { channel, job, len } | EventKind::Received { channel, job, len } => {
                let sent = matches!(e.kind, EventKind::Sent { .. });
                let cap = match channel {
                    Resource::Jobs => cfg.jobs_buffer,
                    _ => cfg.results_buffer,
                };
                // A value either passes through the buffer (length +1 on send, -1 on receive) or
                // is handed straight to a waiting receiver (length unchanged on both sides).
                let count = held.entry(channel).or_insert(0);
                if sent && i64::from(len) == *count + 1 {
                    *count += 1;
                } else if sent {
                    assert_eq!(
                        i64::from(len),
                        *count,
                        "{channel:?} hand-off keeps its length"
                    );
                    handed.insert(job);
                } else if !handed.remove(&job) {
                    *count -= 1;
                }
                assert_eq!(
                    *count,
                    i64::from(len),
                    "{channel:?} length matches its history"
                );
                assert!(len <= cap, "{channel:?} holds {len} > cap {cap}");
                let from = match (channel, sent) {
                    (Resource::Jobs, true) => 0,
                    (Resource::Jobs, false) => 1,
                    (_, true) => 4,
                    (_, false) => 5,
                };
                advance(&mut stage, job, from);
                if channel == Resource::Jobs && !sent {
                    owner.insert(job, e.actor);
                }
            }
            EventKind::Started { job } => {
                assert_eq!(
                    owner.get(&job),
                    Some(&e.actor),
                    "job {job} started by its taker"
                );
                advance(&mut stage, job, 2);
            }
            EventKind::Finished { job, .. } => advance(&mut stage, job, 3),
            EventKind::Blocked { .. } => {
                assert!(
                    !blocked.insert(e.actor, true).unwrap_or(false),
                    "{} blocked twice",
                    e.actor
                )
            }
            EventKind::Unblocked { .. } => {
                assert!(
                    blocked.insert(e.actor, false).unwrap_or(false),
                    "{} unblocked while running",
                    e.actor
                )
            }
            EventKind::Closed { .. }
            | EventKind::Exited
            | EventKind::Ended { .. }
            | EventKind::Shutdown { .. }
            | EventKind::Delivered { .. } => {}
            EventKind::Backoff { .. }
            | EventKind::Attempt { .. }
            | EventKind::Scaled { .. }
            | EventKind::Retired { .. }
            | EventKind::Phase { .. } => panic!("a fixed pool without retries had {:?}", e.kind),
        }
    }
    assert_eq!(stage.len(), cfg.jobs as usize);
    assert!(
        stage.values().all(|&s| s == 6),
        "every job went through all six stages"
    );
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::Ended {
            outcome: Outcome::Completed
        })
    ));
    let exits = events
        .iter()
        .filter(|e| e.kind == EventKind::Exited)
        .count();
    assert_eq!(
        exits,
        usize::from(cfg.workers) + 3,
        "every actor exits once"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_job_is_processed_exactly_once_and_the_trace_is_consistent(
        workers in 1u16..=8, jobs in 1u32..=60, jobs_buffer in 0u32..=6, results_buffer in 0u32..=6,
    ) {
        let cfg = config(workers, jobs, jobs_buffer, results_buffer, 0);
        let run = doubling::start(&cfg, true, &OsThreads).unwrap();
        // Drain while the run is live, as the page does: the batches must join up seamlessly.
        let mut events = Vec::new();
        while !run.is_finished() {
            events.extend(run.take_events());
            std::thread::yield_now();
        }
        events.extend(run.take_events());
        let report = run.take_report().expect("the run finished");
        prop_assert_eq!(report.outcome, Outcome::Completed);
        let mut seen: Vec<u32> = report.results.iter().map(|d| d.job).collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (1..=jobs).collect::<Vec<_>>());
        for d in &report.results {
            prop_assert_eq!(d.value, Some(u64::from(d.job) * 2));
            prop_assert!((1..=workers).contains(&d.worker));
        }
        prop_assert!(report.stats.max_jobs_queued <= jobs_buffer as usize);
        assert_consistent(&events, &cfg);
    }
}

/// Polls until `run` has delivered `count` results; fails only if deliveries stop for good.
fn await_delivered(run: &Run<u32, u32>, count: usize) {
    let mut seen = 0;
    wait_while_progressing(
        &format!("{count} results are delivered"),
        || run.delivered_from(0).len() >= count,
        || {
            let now = run.delivered_from(0).len();
            std::mem::replace(&mut seen, now).abs_diff(now)
        },
        || run.cancel(),
    );
}

#[test]
fn results_arrive_in_completion_order_not_submission_order() {
    // Job 1 finishes last (it waits for the test's go-ahead, given once the others are back):
    // it was submitted first, yet it comes back last.
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let gate = std::sync::Mutex::new(gate);
    let pool = PoolConfig {
        tracing: false,
        ..PoolConfig::new(2, 4, 4)
    };
    let run: Run<u32, u32> = pool::start(
        &pool,
        1..5u32,
        move |n: &u32, _ctx| {
            if *n == 1 {
                gate.lock().unwrap().recv().map_err(|e| e.to_string())?;
            }
            Ok(*n)
        },
        &OsThreads,
    )
    .unwrap();
    await_delivered(&run, 3);
    go.send(()).unwrap();
    let order: Vec<u32> = finish(&run).0.results.iter().map(|d| d.job).collect();
    assert_eq!(order.len(), 4);
    assert_eq!(order.last(), Some(&1), "arrival order {order:?}");
}

#[test]
fn delivered_results_can_be_read_while_the_run_goes_on() {
    // Job 1 waits for the test's go-ahead; jobs 2 and 3 are delivered before it.
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let gate = std::sync::Mutex::new(gate);
    let run: Run<u32, u32> = pool::start(
        &PoolConfig::new(2, 4, 4),
        1..4u32,
        move |n: &u32, _ctx| {
            if *n == 1 {
                gate.lock().unwrap().recv().map_err(|e| e.to_string())?;
            }
            Ok(*n * 10)
        },
        &OsThreads,
    )
    .unwrap();
    await_delivered(&run, 2);
    assert!(!run.is_finished(), "job 1 is still held");
    let early = run.delivered_from(0);
    let mut jobs: Vec<u32> = early.iter().map(|d| d.job).collect();
    jobs.sort_unstable();
    assert_eq!(jobs, [2, 3]);
    assert!(early.iter().all(|d| d.value == Some(d.job * 10)));
    assert!(
        run.delivered_from(2).is_empty(),
        "nothing past what arrived"
    );
    go.send(()).unwrap();
    let (report, _) = finish(&run);
    assert_eq!(
        &report.results[..2],
        &early[..],
        "the report starts with them"
    );
    assert_eq!(report.results[2].job, 1);
    assert!(
        run.delivered_from(0).is_empty(),
        "the report has taken them"
    );
}

#[test]
fn stats_report_producer_blocking_and_the_deepest_queue() {
    let cfg = config(1, 6, 1, 1, 20);
    let (report, _) = finish(&doubling::start(&cfg, false, &OsThreads).unwrap());
    assert_eq!(report.stats.max_jobs_queued, 1);
    assert!(
        report.stats.producer_blocked_ms >= 40.0,
        "{:?}",
        report.stats
    );
    assert!(report.stats.wall_ms >= 6.0 * 20.0, "{:?}", report.stats);
    assert_eq!(report.stats.threads, 4);
}

#[test]
fn a_forced_cancel_releases_every_actor_and_reports_cancelled() {
    let cfg = DoublingConfig {
        shutdown: ShutdownMode::Force,
        shutdown_timeout_ms: 0,
        ..config(3, 100, 2, 2, 2_000)
    };
    let run = doubling::start(&cfg, true, &OsThreads).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    run.cancel();
    let (report, events) = finish(&run);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert!(report.results.len() < 100);
    let exits = events
        .iter()
        .filter(|e| e.kind == EventKind::Exited)
        .count();
    assert_eq!(exits, 6);
    assert_eq!(report.stats.threads, 7, "six actors and the timer");
}

struct TwoThreads;

impl Spawn for TwoThreads {
    fn spawn(&self, task: Task) {
        std::thread::spawn(task);
    }
    fn capacity(&self) -> usize {
        2
    }
}

#[test]
fn a_run_that_would_starve_its_thread_pool_is_refused() {
    let error = doubling::start(&config(2, 5, 1, 1, 0), false, &TwoThreads)
        .err()
        .unwrap();
    assert_eq!(error, StartError::NotEnoughThreads { have: 2, need: 5 });
    assert!(error.to_string().contains("needs 5"), "{error}");
}

#[test]
fn tracing_off_records_nothing() {
    let run = doubling::start(&config(2, 20, 2, 2, 0), false, &OsThreads).unwrap();
    let (report, events) = finish(&run);
    assert_eq!(report.results.len(), 20);
    assert!(events.is_empty());
    assert!(run.take_events().is_empty());
}

/// Each job's span in the trace, from "started" to "finished", in ms.
fn work_spans(events: &[Event]) -> HashMap<u32, f64> {
    let mut started = HashMap::new();
    let mut spans = HashMap::new();
    for e in events {
        match e.kind {
            EventKind::Started { job } => {
                started.insert(job, e.t);
            }
            EventKind::Finished { job, .. } => {
                spans.insert(job, e.t - started[&job]);
            }
            _ => {}
        }
    }
    spans
}

#[test]
fn a_simulated_job_spans_its_work_time_in_the_trace() {
    let run = doubling::start(&config(2, 6, 2, 2, 15), true, &OsThreads).unwrap();
    let spans = work_spans(&finish(&run).1);
    assert_eq!(spans.len(), 6);
    // The sleep ends at its deadline or later, and "finished" carries the reading that ended it.
    assert!(spans.values().all(|&ms| ms >= 15.0), "{spans:?}");
}

#[test]
fn real_work_is_timed_by_reading_the_clock_when_it_ends() {
    let run: Run<u32, u32> = pool::start(
        &PoolConfig {
            tracing: true,
            ..PoolConfig::new(2, 2, 2)
        },
        1..7u32,
        |n: &u32, _| {
            // Work the pool knows nothing about: no help from the work context.
            std::thread::sleep(std::time::Duration::from_millis(15));
            Ok(*n)
        },
        &OsThreads,
    )
    .unwrap();
    let spans = work_spans(&finish(&run).1);
    assert_eq!(spans.len(), 6);
    assert!(spans.values().all(|&ms| ms >= 15.0), "{spans:?}");
}
