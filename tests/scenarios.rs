//! The scenarios: deadlocks found like Go's runtime finds them, panics, failures, ordering,
//! shutdowns and the WaitGroup race; in every one of them each job is accounted for.
#![cfg(not(target_arch = "wasm32"))]

mod support;
use support::{assert_accounted, await_run, finish};

use poolplay::config::{DoublingConfig, Field};
use poolplay::demo::doubling;
use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{
    Event, EventKind, Op, Outcome, Reason, Resource, ShutdownMode, Stage,
};
use poolplay::pool::report::{Delivery, Report};
use poolplay::pool::spawn::{OsThreads, Spawn, Task};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

fn scenario(name: &str, overrides: &[(&str, Field)]) -> DoublingConfig {
    let mut fields = BTreeMap::from([("scenario".to_string(), Field::Text(name.into()))]);
    fields.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.clone())));
    DoublingConfig::from_fields(&fields).expect("valid config")
}

fn run_with(config: &DoublingConfig, spawner: &dyn Spawn) -> (Report<Delivery<u64>>, Vec<Event>) {
    let run = doubling::start(config, true, spawner).expect("run starts");
    finish(&run)
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

/// What the detector promises, read from the trace in stamp order rather than from a clock: the
/// run is declared deadlocked at the moment every live actor waits, and the teardown is all that
/// follows. Each actor the report lists last blocked in the operation it is listed for and did
/// nothing more until the declaration; every other actor had exited by then; after it nothing
/// moves (no value sent or received, no job started or finished), the waiting actors are
/// released and exit, and the run ends with the deadlock.
fn assert_declared_when_every_actor_waits(report: &Report<Delivery<u64>>, events: &[Event]) {
    let listed = waits(report);
    let last_blocked = |who: Actor| {
        events
            .iter()
            .rposition(|e| e.actor == who && matches!(e.kind, EventKind::Blocked { .. }))
            .unwrap_or_else(|| panic!("{who} is listed as waiting but never blocked"))
    };
    let exited = |who: Actor| {
        events
            .iter()
            .position(|e| e.actor == who && e.kind == EventKind::Exited)
            .unwrap_or_else(|| panic!("{who} never exited"))
    };
    let actors: BTreeSet<Actor> = events.iter().map(|e| e.actor).collect();
    let waiting: BTreeSet<Actor> = listed.iter().map(|w| w.0).collect();
    let gone = actors.difference(&waiting).filter(|&&a| a != Actor::Main);
    let declared = listed
        .iter()
        .map(|w| last_blocked(w.0))
        .chain(gone.map(|&a| exited(a)))
        .max()
        .expect("someone waits");
    for &(who, op, channel, reason) in &listed {
        let blocked = last_blocked(who);
        assert_eq!(
            events[blocked].kind,
            EventKind::Blocked {
                channel,
                op,
                reason
            },
            "{who} waits where the report says"
        );
        assert!(
            events[blocked + 1..=declared]
                .iter()
                .all(|e| e.actor != who),
            "{who} did nothing between blocking and the declaration: {events:#?}"
        );
        assert!(exited(who) > declared, "{who} was released, then exited");
    }
    let after: Vec<_> = events[declared + 1..]
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                EventKind::Unblocked { .. } | EventKind::Exited | EventKind::Ended { .. }
            )
        })
        .collect();
    assert!(after.is_empty(), "only the teardown follows: {after:#?}");
    assert_eq!(
        events.last().map(|e| &e.kind),
        Some(&EventKind::Ended {
            outcome: Outcome::Deadlock
        })
    );
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
    assert_declared_when_every_actor_waits(&report, &events);
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
    assert_declared_when_every_actor_waits(&stuck, &events);

    let (fine, _) = run(&with_buffer(10.0));
    assert_eq!(fine.outcome, Outcome::Completed);
    assert_eq!(fine.accounting.done.len(), 10);
}

/// The rule the challenges page states for "send everything first" (the producer collects after
/// sending): it completes exactly while jobs ≤ workers + jobs buffer + results buffer, since until
/// the producer reads, each job waits in a worker (holding its result), a buffer slot, or nowhere.
#[test]
fn sending_every_job_first_completes_exactly_while_the_jobs_fit_in_the_workers_and_buffers() {
    for (workers, jobs_buffer, results_buffer) in
        [(1, 0, 0), (3, 0, 0), (3, 2, 1), (2, 0, 3), (4, 3, 0)]
    {
        let room = workers + jobs_buffer + results_buffer;
        for jobs in [room, room + 1] {
            let config = scenario(
                "deadlock-circular",
                &[
                    ("workers", Field::Number(f64::from(workers))),
                    ("jobsBuffer", Field::Number(f64::from(jobs_buffer))),
                    ("resultsBuffer", Field::Number(f64::from(results_buffer))),
                    ("jobs", Field::Number(f64::from(jobs))),
                    ("workMs", Field::Number(5.0)),
                ],
            );
            let (report, _) = run(&config);
            let expected = if jobs <= room {
                Outcome::Completed
            } else {
                Outcome::Deadlock
            };
            assert_eq!(
                report.outcome, expected,
                "{workers} workers, jobs buffer {jobs_buffer}, results buffer {results_buffer}, {jobs} jobs"
            );
            assert_accounted(&report, jobs);
        }
    }
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
    assert_declared_when_every_actor_waits(&report, &events);
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

/// Runs the cancel preset (40 jobs of 60 ms) in shutdown `mode` and cancels it once the jobs
/// channel is full and the producer waits to send more: whatever the machine's speed, jobs are
/// then queued and others not yet sent.
fn cancelled_with_a_full_queue(mode: ShutdownMode) -> (Report<Delivery<u64>>, Vec<Event>) {
    let config = DoublingConfig {
        jobs: 40,
        work_ms: 60,
        cancel_after_ms: None,
        shutdown: mode,
        shutdown_timeout_ms: 0,
        ..scenario("cancel", &[])
    };
    let run = doubling::start(&config, true, &OsThreads).expect("run starts");
    let mut events = Vec::new();
    let producer_waits = |e: &Event| {
        e.actor == Actor::Producer
            && e.kind
                == EventKind::Blocked {
                    channel: Resource::Jobs,
                    op: Op::Send,
                    reason: Reason::Full,
                }
    };
    await_run(&run, &mut events, "the jobs channel is full", |seen| {
        seen.iter().any(producer_waits)
    });
    run.cancel();
    let (report, rest) = finish(&run);
    events.extend(rest);
    (report, events)
}

#[test]
fn a_graceful_shutdown_finishes_jobs_in_flight_and_drops_the_queued_ones() {
    let (report, events) = cancelled_with_a_full_queue(ShutdownMode::Graceful);
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
    let (report, events) = cancelled_with_a_full_queue(ShutdownMode::Drain);
    assert_eq!(report.outcome, Outcome::Cancelled);
    let queued = queued_jobs(&events);
    let done: BTreeSet<u32> = report.accounting.done.iter().copied().collect();
    assert_eq!(done, queued, "exactly the queued jobs were done");
    assert!(queued.len() < 40, "the producer stopped early");
    assert_accounted(&report, 40);
}

#[test]
fn a_forced_shutdown_cancels_work_still_running_after_its_grace_period() {
    // Jobs far longer than the test: any that ends did so because the shutdown cut it short. The
    // test cancels once every worker holds a job, so exactly one job per worker is in flight.
    const WORK_MS: u32 = 600_000;
    const GRACE_MS: u32 = 100;
    let config = DoublingConfig {
        work_ms: WORK_MS,
        cancel_after_ms: None,
        shutdown: ShutdownMode::Force,
        shutdown_timeout_ms: GRACE_MS,
        ..scenario("cancel", &[])
    };
    let run = doubling::start(&config, true, &OsThreads).expect("run starts");
    let mut events = Vec::new();
    let started = |events: &[Event]| {
        let kinds = events.iter().map(|e| &e.kind);
        kinds
            .filter(|k| matches!(k, EventKind::Started { .. }))
            .count()
    };
    await_run(&run, &mut events, "every worker holds a job", |seen| {
        started(seen) == 3
    });
    run.cancel();
    let (report, rest) = finish(&run);
    events.extend(rest);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert_eq!(started(&events), 3, "no job started after the cancel");
    assert_eq!(
        report.accounting.failed.len(),
        3,
        "one job in flight per worker"
    );
    for d in &report.results {
        assert_eq!(d.error.as_deref(), Some("context canceled"));
    }
    let stage = |wanted: Stage| {
        let found = events.iter().find(|e| {
            matches!(e.kind, EventKind::Shutdown { stage, mode: ShutdownMode::Force } if stage == wanted)
        });
        found
            .unwrap_or_else(|| panic!("the {wanted:?} stage: {events:#?}"))
            .t
    };
    let (requested, forced) = (stage(Stage::Requested), stage(Stage::Forced));
    assert!(
        forced - requested >= f64::from(GRACE_MS),
        "forced only after the grace period: {requested} then {forced}"
    );
    for job in &report.accounting.failed {
        let at = |wanted: fn(&EventKind, u32) -> bool| {
            events
                .iter()
                .find(|e| wanted(&e.kind, *job))
                .expect("in the trace")
                .t
        };
        let began = at(|k, job| *k == EventKind::Started { job });
        let ended = at(|k, job| *k == EventKind::Finished { job, failed: true });
        assert!(began < requested, "job {job} was in flight at the request");
        assert!(ended >= forced, "job {job} ran on through the grace period");
        assert!(
            ended - began < f64::from(WORK_MS),
            "job {job} was cut short, not completed: {began} to {ended}"
        );
    }
    assert_accounted(&report, 40);
}

/// Starts the producer, closer and consumer at once and the workers (started last) only when
/// `gate` says, so a WaitGroup counted inside the workers can still be zero when the closer waits.
struct LateWorkers {
    spawned: AtomicUsize,
    gate: Gate,
}

/// When [`LateWorkers`] starts the workers.
enum Gate {
    /// Once the closer has exited: it waited on the WaitGroup before any worker ran.
    CloserExited(Arc<(Mutex<bool>, Condvar)>),
    /// After a pause (for a correct run, which must end well however the threads are timed).
    Pause(std::time::Duration),
}

impl LateWorkers {
    fn new(gate: Gate) -> Self {
        LateWorkers {
            spawned: AtomicUsize::new(0),
            gate,
        }
    }
}

/// The order the engine spawns a fixed pool's actors in: producer, closer, consumer, workers.
const CLOSER: usize = 1;
const FIRST_WORKER: usize = 3;

impl Spawn for LateWorkers {
    fn spawn(&self, task: Task) {
        let nth = self.spawned.fetch_add(1, Ordering::Relaxed);
        let task: Task = match &self.gate {
            Gate::CloserExited(exited) if nth == CLOSER => {
                let exited = Arc::clone(exited);
                Box::new(move || {
                    task();
                    *exited.0.lock().unwrap() = true;
                    exited.1.notify_all();
                })
            }
            Gate::CloserExited(exited) if nth >= FIRST_WORKER => {
                let exited = Arc::clone(exited);
                Box::new(move || {
                    let done = exited.0.lock().unwrap();
                    drop(exited.1.wait_while(done, |done| !*done).unwrap());
                    task();
                })
            }
            Gate::Pause(pause) if nth >= FIRST_WORKER => {
                let pause = *pause;
                Box::new(move || {
                    std::thread::sleep(pause);
                    task();
                })
            }
            _ => task,
        };
        std::thread::spawn(task);
    }
    fn capacity(&self) -> usize {
        usize::MAX
    }
}

#[test]
fn adding_to_the_waitgroup_inside_the_worker_lets_wait_return_before_the_work_is_done() {
    let closer_exited = Gate::CloserExited(Arc::default());
    let (bitten, events) = run_with(
        &scenario("waitgroup-misuse", &[]),
        &LateWorkers::new(closer_exited),
    );
    assert_eq!(bitten.outcome, Outcome::Panic, "{:?}", bitten.message);
    assert_eq!(
        bitten.panic.as_ref().unwrap().error,
        "send on closed channel"
    );
    assert_eq!(bitten.stats.missed, 8, "the consumer saw no result at all");
    assert_accounted(&bitten, 8);
    let closed = events.iter().position(|e| {
        e.kind
            == EventKind::Closed {
                channel: Resource::Results,
            }
    });
    let first_start = events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Started { .. }));
    assert!(closed < first_start, "results closed before any work began");

    let correct = scenario(
        "waitgroup-misuse",
        &[("mistake", Field::Text("none".into()))],
    );
    let pause = Gate::Pause(std::time::Duration::from_millis(100));
    let (fine, _) = run_with(&correct, &LateWorkers::new(pause));
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
        let (report, _) = finish(&run);
        prop_assert_eq!(report.outcome, Outcome::Completed);
        prop_assert_eq!(report.accounting.done.len(), jobs as usize);
        assert_accounted(&report, jobs);
    }
}
