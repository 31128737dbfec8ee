//! Helpers shared by the native test files.
#![allow(dead_code)] // each test file uses a different subset

use poolplay::actor::{self, Actor};
use poolplay::trace::{Event, EventKind};
use poolplay::watch::Watch;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

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
