//! The pool as a library: a builder, jobs submitted while it runs, results taken as they come,
//! typed errors, and a job that panics ending the run with a panic outcome, never a hang.
#![cfg(not(target_arch = "wasm32"))]

use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{EventKind, Outcome, ShutdownMode};
use poolplay::pool::shutdown::Interrupted;
use poolplay::pool::{Closed, Pool, StartError};
use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

mod support;
use support::finish;

#[test]
fn jobs_submitted_while_the_pool_runs_come_back_through_the_results() {
    let run = Pool::builder()
        .workers(3)
        .jobs_buffer(2)
        .start(|n: &u64, _ctx| Ok::<_, String>(n * n))
        .unwrap();
    let numbers: Vec<u32> = (1..=10u64).map(|n| run.submit(n).unwrap()).collect();
    assert_eq!(
        numbers,
        (1..=10).collect::<Vec<_>>(),
        "numbered as submitted"
    );
    run.close();
    assert_eq!(
        run.submit(11),
        Err(Closed(11)),
        "a closed pool hands the job back"
    );
    let mut seen = BTreeSet::new();
    for delivery in run.results() {
        let value = delivery.value.expect("no job fails");
        assert_eq!(value, u64::from(delivery.job).pow(2));
        assert!(seen.insert(delivery.job), "job {} twice", delivery.job);
    }
    assert_eq!(seen, (1..=10).collect());
    let report = run.join().expect("the report");
    assert_eq!(report.outcome, Outcome::Completed);
    assert!(
        report.results.is_empty(),
        "every result was taken as it came"
    );
    assert_eq!(report.accounting.done, (1..=10).collect::<Vec<_>>());
    assert_eq!(report.stats.succeeded, 10);
}

#[test]
fn join_closes_the_intake_and_the_report_keeps_the_results_not_taken() {
    let run = Pool::builder()
        .workers(2)
        .ordered(true)
        .start(|n: &u32, ctx| {
            // Later jobs finish first; the reorder buffer puts them back in order.
            ctx.sleep(Duration::from_millis(u64::from(5 - n) * 5))?;
            Ok::<_, String>(n + 100)
        })
        .unwrap();
    for n in 1..=4 {
        run.submit(n).unwrap();
    }
    let report = run.join().expect("the report");
    let order: Vec<u32> = report.results.iter().map(|d| d.job).collect();
    assert_eq!(order, [1, 2, 3, 4], "delivered in job order");
    assert!(report.results.iter().all(|d| d.value == Some(d.job + 100)));
}

/// A work error of the user's own type.
#[derive(Clone, Debug, PartialEq)]
enum Fetch {
    NotFound(u32),
    Cancelled,
}

impl fmt::Display for Fetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fetch::NotFound(n) => write!(f, "item {n} not found"),
            Fetch::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl From<Interrupted> for Fetch {
    fn from(_: Interrupted) -> Self {
        Fetch::Cancelled
    }
}

#[test]
fn work_errors_keep_their_type() {
    let run = Pool::builder()
        .workers(2)
        .start(|n: &u32, _ctx| match n % 3 {
            0 => Err(Fetch::NotFound(*n)),
            _ => Ok(*n),
        })
        .unwrap();
    for n in 1..=6 {
        run.submit(n).unwrap();
    }
    let report = run.join().unwrap();
    let mut errors: Vec<Fetch> = report
        .results
        .iter()
        .filter_map(|d| d.error.clone())
        .collect();
    errors.sort_by_key(|e| e.to_string());
    assert_eq!(errors, [Fetch::NotFound(3), Fetch::NotFound(6)]);
    assert_eq!(report.accounting.failed, [3, 6]);
}

/// Keeps the panics whose words contain `words` quiet (with `RUST_BACKTRACE` set, printing one
/// can take seconds), leaving every other panic to the default hook.
fn quiet_panics(words: &'static str) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        if !text.is_some_and(|text| text.contains(words)) {
            default(info);
        }
    }));
}

#[test]
fn a_job_that_panics_ends_the_run_with_a_panic_naming_its_worker() {
    quiet_panics("cannot be done");
    let run = Pool::builder()
        .workers(1)
        .tracing(true)
        .start(|n: &u32, _ctx| {
            if *n == 2 {
                panic!("job {n} cannot be done");
            }
            Ok::<_, String>(*n)
        })
        .unwrap();
    for n in 1..=3 {
        run.submit(n).unwrap();
    }
    run.close();
    // A panicking job that left the run hanging would stall it: the guard cancels it and fails.
    let (report, events) = finish(&run);
    assert_eq!(report.outcome, Outcome::Panic);
    let panic = report.panic.expect("who panicked");
    assert_eq!(panic.actor, Actor::Worker(1));
    assert_eq!(panic.error, "job 2 cannot be done");
    assert_eq!(
        report.message.as_deref(),
        Some("panic: job 2 cannot be done (in worker-1)")
    );
    let accounting = &report.accounting;
    assert!(accounting.undelivered.contains(&2), "{accounting:?}");
    assert_eq!(accounting.not_started, [3], "no one took job 3");
    // Job 1's result was sent before the panic; the teardown may catch it still in the channel.
    assert!(
        accounting.done == [1] || accounting.undelivered == [1, 2],
        "{accounting:?}"
    );
    let exits = events.iter().filter(|e| e.kind == EventKind::Exited);
    assert_eq!(
        exits.count(),
        4,
        "every actor exited, the panicking worker too"
    );
    assert_eq!(
        events.last().map(|e| &e.kind),
        Some(&EventKind::Ended {
            outcome: Outcome::Panic
        })
    );
}

#[test]
fn cancel_after_a_duration_stops_the_run_in_its_shutdown_mode() {
    let run = Pool::builder()
        .workers(2)
        .cancel_after(Duration::from_millis(30))
        .shutdown(ShutdownMode::Force, Duration::ZERO)
        .start(|n: &u32, ctx| {
            ctx.sleep(Duration::from_secs(5))?;
            Ok::<_, String>(*n)
        })
        .unwrap();
    for n in 1..=4 {
        run.submit(n).unwrap();
    }
    let (report, _) = finish(&run);
    assert_eq!(report.outcome, Outcome::Cancelled);
    // Which jobs the two workers had taken when the 30 ms ran out depends on the machine; what a
    // forced shutdown with no grace does to them does not: each one in flight is interrupted, no
    // five-second job completes, and the rest are never started.
    let accounting = &report.accounting;
    assert!(accounting.done.is_empty(), "{accounting:?}");
    assert!(accounting.failed.len() <= 2, "at most one per worker");
    let interrupted: Vec<&str> = report
        .results
        .iter()
        .filter_map(|d| d.error.as_deref())
        .collect();
    assert_eq!(
        interrupted,
        vec!["context canceled"; accounting.failed.len()]
    );
    let mut all: Vec<u32> = [&accounting.failed, &accounting.not_started]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, [1, 2, 3, 4], "{accounting:?}");
    let mut taken = accounting.failed.clone();
    taken.sort_unstable();
    let first: Vec<u32> = (1..=taken.len() as u32).collect();
    assert_eq!(taken, first, "workers take jobs in submission order");
}

#[test]
fn a_pool_of_no_workers_is_refused() {
    let refused = Pool::builder()
        .workers(0)
        .start(|n: &u32, _ctx| Ok::<_, String>(*n));
    assert_eq!(refused.err(), Some(StartError::NoWorkers));
}
