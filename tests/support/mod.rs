//! Helpers shared by the native test files.
#![allow(dead_code)] // each test file uses a different subset

use poolplay::config::{DoublingConfig, Field};
use poolplay::observe::actor::{self, Actor};
use poolplay::observe::trace::{Event, EventKind};
use poolplay::observe::watch::Watch;
use poolplay::pool::report::{Delivery, Report};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Parses a config from `(field, value)` pairs, as the wasm boundary hands them over; the error is
/// the message a reader would see.
pub fn parse(pairs: &[(&str, Field)]) -> Result<DoublingConfig, String> {
    let fields: BTreeMap<String, Field> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    DoublingConfig::from_fields(&fields).map_err(|e| e.to_string())
}

/// Polls `condition` until it holds, failing the test after five seconds.
pub fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `body` on a new thread as `who`.
pub fn spawn_as<T: Send + 'static>(
    who: Actor,
    body: impl FnOnce() -> T + Send + 'static,
) -> JoinHandle<T> {
    thread::spawn(move || actor::act_as(who, body))
}

/// Collects events from `watch` until one matches `wanted`, failing after five seconds.
pub fn await_event(watch: &Arc<Watch>, seen: &mut Vec<Event>, wanted: impl Fn(&Event) -> bool) {
    eventually("the expected event is recorded", || {
        seen.extend(watch.trace().drain());
        seen.iter().any(&wanted)
    });
}

/// The kinds of `events`, in order, for compact assertions.
pub fn kinds(events: &[Event]) -> Vec<(Actor, EventKind)> {
    events.iter().map(|e| (e.actor, e.kind.clone())).collect()
}

/// Every job appears in exactly one accounting list, and the lists agree with the results.
pub fn assert_accounted(report: &Report<Delivery<u64>>, jobs: u32) {
    let a = &report.accounting;
    let mut all: Vec<u32> = [&a.done, &a.failed, &a.not_started, &a.undelivered]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=jobs).collect::<Vec<_>>(), "{a:?}");
    let delivered: BTreeSet<u32> = report.results.iter().map(|d| d.job).collect();
    assert_eq!(delivered.len(), report.results.len(), "no result twice");
    assert_eq!(delivered.len(), a.done.len() + a.failed.len());
    assert_eq!(report.stats.missed, (jobs as usize) - delivered.len());
}
