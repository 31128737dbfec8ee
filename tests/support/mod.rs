//! Helpers shared by the native test files.
#![allow(dead_code)] // each test file uses a different subset

use poolplay::config::{DoublingConfig, Field};
use poolplay::observe::actor::{self, Actor};
use poolplay::observe::trace::{Event, EventKind};
use poolplay::observe::watch::Watch;
use poolplay::pool::compare::{Comparison, ComparisonReport};
use poolplay::pool::report::{Accounting, Delivery, Report};
use poolplay::pool::{Run, WorkError};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a test waits while nothing at all happens before it calls the code under test hung.
/// Only a guard, so that a broken run fails instead of hanging the suite: far beyond what the
/// slowest, busiest machine needs, and never a timing goal (those live in `./build.sh bench`).
pub const STALL: Duration = Duration::from_secs(60);

/// Waits until `done` holds. `poll` says how much happened since its last call (say, events
/// recorded); the wait fails the test only after [`STALL`] in which nothing happened at all, and
/// then calls `give_up` first (to cancel a run, so it does not hold its threads).
pub fn wait_while_progressing(
    what: &str,
    mut done: impl FnMut() -> bool,
    mut poll: impl FnMut() -> usize,
    give_up: impl FnOnce(),
) {
    let mut quiet_since = Instant::now();
    while !done() {
        if poll() > 0 {
            quiet_since = Instant::now();
        } else if quiet_since.elapsed() > STALL {
            give_up();
            panic!(
                "nothing happened for {} s while waiting until {what}: hung",
                STALL.as_secs()
            );
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// A run a test can see to its end: the pool's runs, comparisons and image runs.
pub trait Watched {
    /// What the run reports when it is over.
    type Report;
    /// Whether the run is over.
    fn is_finished(&self) -> bool;
    /// Requests its shutdown.
    fn cancel(&self);
    /// The events recorded since the last call.
    fn take_events(&self) -> Vec<Event>;
    /// How many results it has delivered so far (0 if it cannot tell).
    fn delivered(&self) -> usize;
    /// Its report, once it is over.
    fn take_report(&self) -> Option<Self::Report>;
}

impl<J, R, E> Watched for Run<J, R, E>
where
    J: Send + 'static,
    R: Clone + Send + 'static,
    E: Clone + WorkError,
{
    type Report = Report<Delivery<R, E>>;
    fn is_finished(&self) -> bool {
        Run::is_finished(self)
    }
    fn cancel(&self) {
        Run::cancel(self);
    }
    fn take_events(&self) -> Vec<Event> {
        Run::take_events(self)
    }
    fn delivered(&self) -> usize {
        self.delivered_from(0).len()
    }
    fn take_report(&self) -> Option<Self::Report> {
        Run::take_report(self)
    }
}

impl<J: Send + 'static, R: Send + 'static> Watched for Comparison<J, R> {
    type Report = ComparisonReport<R>;
    fn is_finished(&self) -> bool {
        Comparison::is_finished(self)
    }
    fn cancel(&self) {
        Comparison::cancel(self);
    }
    fn take_events(&self) -> Vec<Event> {
        Comparison::take_events(self)
    }
    fn delivered(&self) -> usize {
        0
    }
    fn take_report(&self) -> Option<Self::Report> {
        Comparison::take_report(self)
    }
}

#[cfg(feature = "imaging")]
impl<P: poolplay::demo::imaging::Plan> Watched for poolplay::demo::imaging::ImageRun<P> {
    type Report = Report<P::Card>;
    fn is_finished(&self) -> bool {
        poolplay::demo::imaging::ImageRun::is_finished(self)
    }
    fn cancel(&self) {
        poolplay::demo::imaging::ImageRun::cancel(self);
    }
    fn take_events(&self) -> Vec<Event> {
        poolplay::demo::imaging::ImageRun::take_events(self)
    }
    fn delivered(&self) -> usize {
        0
    }
    fn take_report(&self) -> Option<Self::Report> {
        poolplay::demo::imaging::ImageRun::take_report(self)
    }
}

impl Watched for poolplay::pipeline::Pipeline {
    type Report = poolplay::pipeline::PipelineReport;
    fn is_finished(&self) -> bool {
        poolplay::pipeline::Pipeline::is_finished(self)
    }
    fn cancel(&self) {
        poolplay::pipeline::Pipeline::cancel(self);
    }
    fn take_events(&self) -> Vec<Event> {
        poolplay::pipeline::Pipeline::take_events(self)
    }
    fn delivered(&self) -> usize {
        poolplay::pipeline::Pipeline::delivered(self)
    }
    fn take_report(&self) -> Option<Self::Report> {
        poolplay::pipeline::Pipeline::take_report(self)
    }
}

/// Collects `run`'s events into `seen` until `wanted(seen)` holds. A run that stalls for
/// [`STALL`] is cancelled and the test fails.
pub fn await_run<W: Watched>(
    run: &W,
    seen: &mut Vec<Event>,
    what: &str,
    wanted: impl Fn(&[Event]) -> bool,
) {
    let moved = Cell::new(0);
    let mut delivered = 0;
    wait_while_progressing(
        what,
        || {
            let fresh = run.take_events();
            let now = run.delivered();
            moved.set(fresh.len() + now.abs_diff(delivered));
            delivered = now;
            seen.extend(fresh);
            wanted(seen) || run.is_finished()
        },
        || moved.take(),
        || run.cancel(),
    );
    seen.extend(run.take_events());
    assert!(wanted(seen), "the run ended before {what}");
}

/// Sees `run` to its end and returns its report and every event it recorded that was not taken
/// before. A run that stalls (records and delivers nothing new) for [`STALL`] is cancelled and
/// the test fails; a run that keeps moving is never cut short, however slow the machine.
pub fn finish<W: Watched>(run: &W) -> (W::Report, Vec<Event>) {
    let mut events = Vec::new();
    await_run(run, &mut events, "the run is over", |_| run.is_finished());
    let report = run.take_report().expect("the report, once");
    (report, events)
}

/// Parses a config from `(field, value)` pairs, as the wasm boundary hands them over; the error is
/// the message a reader would see.
pub fn parse(pairs: &[(&str, Field)]) -> Result<DoublingConfig, String> {
    let fields: BTreeMap<String, Field> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    DoublingConfig::from_fields(&fields).map_err(|e| e.to_string())
}

/// Polls `condition` until it holds; fails the test only after [`STALL`] (a hang).
pub fn eventually(what: &str, condition: impl FnMut() -> bool) {
    wait_while_progressing(what, condition, || 0, || {});
}

/// Runs `body` on a new thread as `who`.
pub fn spawn_as<T: Send + 'static>(
    who: Actor,
    body: impl FnOnce() -> T + Send + 'static,
) -> JoinHandle<T> {
    thread::spawn(move || actor::act_as(who, body))
}

/// Collects events from `watch` until one matches `wanted`; fails the test only if nothing is
/// recorded for [`STALL`] (a hang).
pub fn await_event(watch: &Arc<Watch>, seen: &mut Vec<Event>, wanted: impl Fn(&Event) -> bool) {
    let fresh = Cell::new(0);
    wait_while_progressing(
        "the expected event is recorded",
        || {
            let new = watch.trace().drain();
            fresh.set(new.len());
            seen.extend(new);
            seen.iter().any(&wanted)
        },
        || fresh.take(),
        || {},
    );
}

/// The kinds of `events`, in order, for compact assertions.
pub fn kinds(events: &[Event]) -> Vec<(Actor, EventKind)> {
    events.iter().map(|e| (e.actor, e.kind.clone())).collect()
}

/// Jobs 1 to `jobs` each appear in exactly one of `a`'s lists, and no job of `delivered` (the
/// results' jobs, in arrival order) came twice; returns them as a set.
pub fn assert_each_job_once(a: &Accounting, jobs: u32, delivered: &[u32]) -> BTreeSet<u32> {
    let mut all: Vec<u32> = [&a.done, &a.failed, &a.not_started, &a.undelivered]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=jobs).collect::<Vec<_>>(), "{a:?}");
    let set: BTreeSet<u32> = delivered.iter().copied().collect();
    assert_eq!(set.len(), delivered.len(), "no result twice");
    set
}

/// Every job appears in exactly one accounting list, and the lists agree with the results.
pub fn assert_accounted(report: &Report<Delivery<u64>>, jobs: u32) {
    let a = &report.accounting;
    let jobs_delivered: Vec<u32> = report.results.iter().map(|d| d.job).collect();
    let delivered = assert_each_job_once(a, jobs, &jobs_delivered);
    assert_eq!(delivered.len(), a.done.len() + a.failed.len());
    assert_eq!(report.stats.missed, (jobs as usize) - delivered.len());
}
