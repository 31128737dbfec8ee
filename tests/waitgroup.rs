//! WaitGroup semantics, as Go defines them.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{EventKind, Op, Reason, Resource};
use poolplay::observe::watch::{Probe, Watch};
use poolplay::sync::error::OpError;
use poolplay::sync::waitgroup::WaitGroup;
use support::{await_event, kinds, spawn_as};

#[test]
fn wait_returns_at_once_when_the_counter_is_zero() {
    assert_eq!(WaitGroup::new().wait(), Ok(()));
}

#[test]
fn wait_blocks_until_every_done_is_called() {
    let watch = Watch::new(true);
    let wg = WaitGroup::observed(Probe::new(&watch, Resource::WaitGroup));
    wg.add(2);
    let waiter = {
        let wg = wg.clone();
        spawn_as(Actor::Closer, move || wg.wait())
    };
    let mut seen = Vec::new();
    await_event(&watch, &mut seen, |e| {
        matches!(e.kind, EventKind::Blocked { .. })
    });
    wg.done().unwrap();
    assert_eq!(wg.count(), 1);
    assert!(!waiter.is_finished(), "wait returned with the counter at 1");
    wg.done().unwrap();
    assert_eq!(waiter.join().unwrap(), Ok(()));
    seen.extend(watch.trace().drain());
    assert_eq!(
        kinds(&seen),
        vec![
            (
                Actor::Closer,
                EventKind::Blocked {
                    channel: Resource::WaitGroup,
                    op: Op::Wait,
                    reason: Reason::Counter
                }
            ),
            (
                Actor::Closer,
                EventKind::Unblocked {
                    channel: Resource::WaitGroup,
                    op: Op::Wait
                }
            ),
        ]
    );
}

#[test]
fn done_below_zero_is_an_error() {
    let wg = WaitGroup::new();
    wg.add(1);
    wg.done().unwrap();
    let error = wg.done().unwrap_err();
    assert_eq!(error, OpError::NegativeCounter);
    assert_eq!(error.to_string(), "sync: negative WaitGroup counter");
}

#[test]
fn abort_releases_waiters() {
    let wg = WaitGroup::new();
    wg.add(1);
    let waiter = {
        let wg = wg.clone();
        std::thread::spawn(move || wg.wait())
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    wg.abort();
    assert_eq!(waiter.join().unwrap(), Err(OpError::Aborted));
    assert_eq!(wg.wait(), Err(OpError::Aborted));
}
