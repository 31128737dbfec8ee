//! Channel semantics, as Go defines them.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{EventKind, Op, Reason, Resource, Tag};
use poolplay::observe::watch::{Probe, Watch};
use poolplay::sync::chan::{Chan, OpError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use support::{await_event, eventually, kinds, spawn_as};

fn observed(cap: usize) -> (Chan<u32>, Arc<Watch>) {
    let watch = Watch::new(true);
    let chan = Chan::observed(cap, Probe::new(&watch, Resource::Jobs), |v| Tag::new(*v));
    (chan, watch)
}

#[test]
fn unbuffered_send_completes_only_when_a_receiver_takes_the_value() {
    let (chan, watch) = observed(0);
    let done = Arc::new(AtomicBool::new(false));
    let sender = {
        let (chan, done) = (chan.clone(), Arc::clone(&done));
        spawn_as(Actor::Producer, move || {
            chan.send(7).unwrap();
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut seen = Vec::new();
    await_event(&watch, &mut seen, |e| {
        matches!(e.kind, EventKind::Blocked { .. })
    });
    assert!(
        !done.load(Ordering::SeqCst),
        "send returned with no receiver"
    );
    assert_eq!(chan.len(), 0, "an unbuffered channel never holds a value");

    let value = support::spawn_as(Actor::Consumer, {
        let chan = chan.clone();
        move || chan.recv()
    })
    .join()
    .unwrap();
    sender.join().unwrap();
    assert_eq!(value, Ok(7));
    seen.extend(watch.trace().drain());
    assert_eq!(
        kinds(&seen),
        vec![
            (
                Actor::Producer,
                EventKind::Blocked {
                    channel: Resource::Jobs,
                    op: Op::Send,
                    reason: Reason::Rendezvous
                }
            ),
            (
                Actor::Producer,
                EventKind::Unblocked {
                    channel: Resource::Jobs,
                    op: Op::Send
                }
            ),
            (
                Actor::Producer,
                EventKind::Sent {
                    channel: Resource::Jobs,
                    job: 7,
                    len: 0
                }
            ),
            (
                Actor::Consumer,
                EventKind::Received {
                    channel: Resource::Jobs,
                    job: 7,
                    len: 0
                }
            ),
        ]
    );
}

#[test]
fn unbuffered_receive_waits_for_a_sender_and_is_handed_the_value() {
    let (chan, watch) = observed(0);
    let receiver = {
        let chan = chan.clone();
        spawn_as(Actor::Worker(1), move || chan.recv())
    };
    let mut seen = Vec::new();
    await_event(&watch, &mut seen, |e| {
        e.kind
            == EventKind::Blocked {
                channel: Resource::Jobs,
                op: Op::Recv,
                reason: Reason::Rendezvous,
            }
    });
    spawn_as(Actor::Producer, {
        let chan = chan.clone();
        move || chan.send(3)
    })
    .join()
    .unwrap()
    .unwrap();
    assert_eq!(receiver.join().unwrap(), Ok(3));
    seen.extend(watch.trace().drain());
    assert_eq!(
        kinds(&seen)[1..],
        [
            (
                Actor::Producer,
                EventKind::Sent {
                    channel: Resource::Jobs,
                    job: 3,
                    len: 0
                }
            ),
            (
                Actor::Worker(1),
                EventKind::Unblocked {
                    channel: Resource::Jobs,
                    op: Op::Recv
                }
            ),
            (
                Actor::Worker(1),
                EventKind::Received {
                    channel: Resource::Jobs,
                    job: 3,
                    len: 0
                }
            ),
        ]
    );
}

#[test]
fn buffered_channel_holds_up_to_its_capacity_without_a_receiver() {
    let chan = Chan::new(3);
    for v in 1..=3 {
        chan.send(v).unwrap();
    }
    assert_eq!((chan.len(), chan.cap()), (3, 3));
    let fourth = {
        let chan = chan.clone();
        std::thread::spawn(move || chan.send(4))
    };
    std::thread::sleep(std::time::Duration::from_millis(30));
    assert!(
        !fourth.is_finished(),
        "a send into a full buffer must block"
    );
    assert_eq!(chan.recv(), Ok(1));
    fourth.join().unwrap().unwrap();
    assert_eq!(
        chan.len(),
        3,
        "the blocked sender's value took the freed slot"
    );
    assert_eq!(chan.peak_len(), 3);
}

#[test]
fn values_come_out_in_the_order_they_went_in() {
    let chan = Chan::new(2);
    let producer = {
        let chan = chan.clone();
        std::thread::spawn(move || {
            for v in 0..100 {
                chan.send(v).unwrap();
            }
            chan.close().unwrap();
        })
    };
    let received: Vec<u32> = std::iter::from_fn(|| chan.recv().ok()).collect();
    producer.join().unwrap();
    assert_eq!(received, (0..100).collect::<Vec<_>>());
}

#[test]
fn receive_from_closed_channel_drains_then_reports_closed() {
    let chan = Chan::new(4);
    chan.send(1).unwrap();
    chan.send(2).unwrap();
    chan.close().unwrap();
    assert!(chan.is_closed());
    assert_eq!(chan.recv(), Ok(1));
    assert_eq!(chan.recv(), Ok(2));
    assert_eq!(chan.recv(), Err(OpError::Closed));
    assert_eq!(chan.recv(), Err(OpError::Closed), "closed stays closed");
}

#[test]
fn send_on_closed_channel_is_an_error() {
    let chan = Chan::new(1);
    chan.close().unwrap();
    let error = chan.send(1).unwrap_err();
    assert_eq!(error, OpError::SendOnClosed);
    assert_eq!(error.to_string(), "send on closed channel");
    assert!(error.is_panic());
}

#[test]
fn close_of_closed_channel_is_an_error() {
    let chan: Chan<u32> = Chan::new(0);
    chan.close().unwrap();
    let error = chan.close().unwrap_err();
    assert_eq!(error, OpError::CloseOfClosed);
    assert_eq!(error.to_string(), "close of closed channel");
}

#[test]
fn closing_wakes_blocked_receivers_with_closed() {
    let (chan, watch) = observed(2);
    let receivers: Vec<_> = (1..=2)
        .map(|k| {
            let chan = chan.clone();
            spawn_as(Actor::Worker(k), move || chan.recv())
        })
        .collect();
    let mut seen = Vec::new();
    eventually("both receivers block", || {
        seen.extend(watch.trace().drain());
        seen.iter()
            .filter(|e| matches!(e.kind, EventKind::Blocked { .. }))
            .count()
            == 2
    });
    chan.close().unwrap();
    for receiver in receivers {
        assert_eq!(receiver.join().unwrap(), Err(OpError::Closed));
    }
}

#[test]
fn closing_makes_blocked_senders_fail_like_go() {
    let (chan, watch) = observed(0);
    let sender = {
        let chan = chan.clone();
        spawn_as(Actor::Producer, move || chan.send(1))
    };
    await_event(&watch, &mut Vec::new(), |e| {
        matches!(e.kind, EventKind::Blocked { .. })
    });
    chan.close().unwrap();
    assert_eq!(sender.join().unwrap(), Err(OpError::SendOnClosed));
}

#[test]
fn abort_releases_every_blocked_party_and_fails_later_operations() {
    let (full, watch) = observed(0);
    let empty = Chan::observed(1, Probe::new(&watch, Resource::Results), |v: &u32| {
        Tag::new(*v)
    });
    let blocked_send = {
        let full = full.clone();
        spawn_as(Actor::Producer, move || full.send(1))
    };
    let blocked_recv = {
        let empty = empty.clone();
        spawn_as(Actor::Consumer, move || empty.recv())
    };
    let mut seen = Vec::new();
    eventually("both parties block", || {
        seen.extend(watch.trace().drain());
        seen.iter()
            .filter(|e| matches!(e.kind, EventKind::Blocked { .. }))
            .count()
            == 2
    });
    full.abort();
    empty.abort();
    assert_eq!(blocked_send.join().unwrap(), Err(OpError::Aborted));
    assert_eq!(blocked_recv.join().unwrap(), Err(OpError::Aborted));
    assert_eq!(empty.send(2), Err(OpError::Aborted));
}

#[test]
fn blocked_time_is_charged_to_the_actor_that_waited() {
    let (chan, watch) = observed(0);
    let began = std::time::Instant::now();
    let receiver = {
        let chan = chan.clone();
        spawn_as(Actor::Consumer, move || chan.recv())
    };
    // Sent only once the consumer waits, so it must have waited, however its thread is timed.
    await_event(&watch, &mut Vec::new(), |e| {
        e.actor == Actor::Consumer && matches!(e.kind, EventKind::Blocked { .. })
    });
    std::thread::sleep(std::time::Duration::from_millis(40));
    spawn_as(Actor::Producer, move || chan.send(1))
        .join()
        .unwrap()
        .unwrap();
    receiver.join().unwrap().unwrap();
    let whole_ms = began.elapsed().as_secs_f64() * 1000.0;
    let waited = watch.blocked_ms(Actor::Consumer);
    assert!(waited > 0.0 && waited <= whole_ms, "{waited} of {whole_ms}");
    assert_eq!(watch.blocked_ms(Actor::Producer), 0.0);
}

#[test]
fn discarding_the_trace_counts_what_a_drain_would_take() {
    let (chan, watch) = observed(2);
    let ops = || {
        chan.send(1).unwrap();
        chan.send(2).unwrap();
        chan.recv().unwrap();
        chan.recv().unwrap();
    };
    ops();
    assert_eq!(watch.trace().discard(), 4);
    assert!(watch.trace().drain().is_empty(), "nothing is left to drain");
    ops();
    assert_eq!(watch.trace().drain().len(), 4);
    assert_eq!(watch.trace().discard(), 0);
}

#[test]
fn discarding_counts_the_events_a_drain_would_return_and_later_lengths_stay_right() {
    let fill = |chan: &Chan<u32>| {
        for job in 0..5 {
            chan.send(job).unwrap();
        }
        chan.recv().unwrap();
    };
    let (drained, drained_watch) = observed(8);
    fill(&drained);
    let (discarded, discarded_watch) = observed(8);
    fill(&discarded);

    assert_eq!(
        discarded_watch.trace().discard(),
        drained_watch.trace().drain().len()
    );
    // The discarded entries still count towards the buffer's length: four values are buffered.
    discarded.send(5).unwrap();
    let lengths: Vec<_> = discarded_watch
        .trace()
        .drain()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Sent { len, .. } => Some(len),
            _ => None,
        })
        .collect();
    assert_eq!(lengths, [5]);
}
