//! The channel's lock-free buffer (tracing off) keeps Go's semantics, and the deadlock detector
//! still sees every blocked actor: under contention, at close, at abort. Each test runs on both
//! ways through the channel (tracing off: lock-free; tracing on: everything under the lock).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use poolplay::observe::actor::Actor;
use poolplay::observe::deadlock::Wait;
use poolplay::observe::trace::{Op, Reason, Resource, Tag};
use poolplay::observe::watch::{Probe, Watch};
use poolplay::sync::chan::{Chan, OpError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use support::{eventually, spawn_as};

/// A channel of capacity `cap` watched by a fresh watch, traced or not, counting `actors` live
/// actors for the deadlock detector.
fn watched(cap: usize, tracing: bool, actors: u32) -> (Chan<u32>, Arc<Watch>) {
    let watch = Watch::new(tracing);
    watch.enter(actors);
    let chan = Chan::observed(cap, Probe::new(&watch, Resource::Jobs), |v| Tag::new(*v));
    (chan, watch)
}

/// Waits until the detector has found every counted actor waiting, and returns who waits on what.
fn await_verdict(watch: &Watch) -> Vec<Wait> {
    eventually("every counted actor waits", || watch.deadlock().is_some());
    watch.deadlock().expect("a verdict")
}

#[test]
fn a_full_buffer_blocks_the_sender_until_a_receive() {
    for tracing in [false, true] {
        let (chan, watch) = watched(2, tracing, 1);
        chan.send(1).unwrap();
        chan.send(2).unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let sender = {
            let (chan, done) = (chan.clone(), Arc::clone(&done));
            spawn_as(Actor::Producer, move || {
                let sent = chan.send(3);
                done.store(true, Ordering::SeqCst);
                sent
            })
        };
        // The only counted actor is the sender: the detector's verdict says it is queued.
        let waits = await_verdict(&watch);
        assert_eq!(waits.len(), 1, "tracing {tracing}");
        assert_eq!(
            (waits[0].actor, waits[0].op, waits[0].reason),
            (Actor::Producer, Op::Send, Reason::Full),
            "tracing {tracing}"
        );
        assert!(
            !done.load(Ordering::SeqCst),
            "the send waits (tracing {tracing})"
        );
        assert_eq!(chan.len(), 2);
        assert_eq!(chan.recv(), Ok(1));
        assert_eq!(sender.join().unwrap(), Ok(()));
        assert_eq!(chan.len(), 2, "the blocked value took the freed slot");
        assert_eq!((chan.recv(), chan.recv()), (Ok(2), Ok(3)));
        assert_eq!(chan.peak_len(), 2);
    }
}

#[test]
fn an_empty_buffer_blocks_the_receiver_until_a_send() {
    for tracing in [false, true] {
        let (chan, watch) = watched(4, tracing, 1);
        let receiver = {
            let chan = chan.clone();
            spawn_as(Actor::Consumer, move || chan.recv())
        };
        let waits = await_verdict(&watch);
        assert_eq!(
            (waits[0].actor, waits[0].op, waits[0].reason),
            (Actor::Consumer, Op::Recv, Reason::Empty),
            "tracing {tracing}"
        );
        assert!(!receiver.is_finished(), "tracing {tracing}");
        chan.send(9).unwrap();
        assert_eq!(receiver.join().unwrap(), Ok(9));
        assert_eq!(chan.len(), 0, "the value went to the waiting receiver");
    }
}

#[test]
fn closing_fails_queued_senders_and_keeps_what_is_buffered() {
    for tracing in [false, true] {
        let senders = 3;
        let (chan, watch) = watched(1, tracing, senders);
        chan.send(100).unwrap();
        let handles: Vec<_> = (0..senders)
            .map(|k| {
                let chan = chan.clone();
                spawn_as(Actor::Worker(k as u16), move || chan.send(k))
            })
            .collect();
        assert_eq!(await_verdict(&watch).len(), senders as usize);
        chan.close().unwrap();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), Err(OpError::SendOnClosed));
        }
        assert_eq!(chan.recv(), Ok(100), "what was buffered is still received");
        assert_eq!(chan.recv(), Err(OpError::Closed));
        assert_eq!(chan.send(5), Err(OpError::SendOnClosed));
    }
}

#[test]
fn abort_fails_receives_even_with_values_buffered() {
    for tracing in [false, true] {
        let (chan, _watch) = watched(4, tracing, 0);
        chan.send(1).unwrap();
        chan.abort();
        assert_eq!(chan.recv(), Err(OpError::Aborted), "tracing {tracing}");
        assert_eq!(chan.send(2), Err(OpError::Aborted), "tracing {tracing}");
    }
}

#[test]
fn cancelled_sends_are_refused_and_receivers_still_drain() {
    for tracing in [false, true] {
        let (chan, _watch) = watched(4, tracing, 0);
        chan.send(1).unwrap();
        chan.cancel_sends();
        assert_eq!(chan.send(2), Err(OpError::Cancelled), "tracing {tracing}");
        assert_eq!(chan.recv(), Ok(1));
        chan.close().unwrap();
        assert_eq!(chan.recv(), Err(OpError::Closed));
    }
}

/// `senders` threads send `per_sender` distinct values each into a channel of capacity `cap`,
/// `receivers` threads receive until the channel is closed (after every sender is done). Returns
/// every received value, sorted, after checking that each receiver ended by seeing the close and
/// that the detector never called the busy run deadlocked.
fn exchange(cap: usize, tracing: bool, senders: u32, receivers: u32, per_sender: u32) -> Vec<u32> {
    // The main thread counts too: it closes the channel once the senders are done.
    let (chan, watch) = watched(cap, tracing, senders + receivers + 1);
    let sending: Vec<_> = (0..senders)
        .map(|s| {
            let (chan, watch) = (chan.clone(), Arc::clone(&watch));
            spawn_as(Actor::Worker(s as u16), move || {
                for v in 0..per_sender {
                    chan.send(s * per_sender + v).unwrap();
                }
                watch.exit(Actor::Worker(s as u16));
            })
        })
        .collect();
    let receiving: Vec<_> = (0..receivers)
        .map(|r| {
            let (chan, watch) = (chan.clone(), Arc::clone(&watch));
            let me = Actor::Worker((senders + r) as u16);
            spawn_as(me, move || {
                let mut got = Vec::new();
                let end = loop {
                    match chan.recv() {
                        Ok(v) => got.push(v),
                        Err(end) => break end,
                    }
                };
                watch.exit(me);
                (got, end)
            })
        })
        .collect();
    for handle in sending {
        handle.join().unwrap();
    }
    chan.close().unwrap();
    watch.exit(Actor::Main);
    let mut all = Vec::new();
    for handle in receiving {
        let (got, end) = handle.join().unwrap();
        assert_eq!(end, OpError::Closed, "every receiver sees the close");
        all.extend(got);
    }
    assert_eq!(
        watch.deadlock(),
        None,
        "a busy exchange is never a deadlock"
    );
    // Drain what a tracing run recorded, so its books do not grow across the loop.
    watch.trace().discard();
    all.sort_unstable();
    all
}

#[test]
fn many_senders_and_receivers_move_every_value_exactly_once_and_all_see_the_close() {
    let (senders, receivers, per_sender) = (4, 4, 20_000);
    let expected: Vec<u32> = (0..senders * per_sender).collect();
    for cap in [1, 3, 64] {
        for tracing in [false, true] {
            let all = exchange(cap, tracing, senders, receivers, per_sender);
            assert_eq!(all.len(), expected.len(), "cap {cap}, tracing {tracing}");
            assert!(
                all == expected,
                "each value exactly once (cap {cap}, tracing {tracing})"
            );
        }
    }
}

#[test]
fn a_rendezvous_under_contention_moves_every_value_exactly_once() {
    let (senders, receivers, per_sender) = (3, 3, 2_000);
    let expected: Vec<u32> = (0..senders * per_sender).collect();
    for tracing in [false, true] {
        assert!(exchange(0, tracing, senders, receivers, per_sender) == expected);
    }
}

#[test]
fn close_while_senders_race_keeps_every_accepted_value_and_refuses_the_rest() {
    // Senders keep sending until refused; the close comes while they are busy (some retrying,
    // some queued, some mid-send). Every send that returned Ok is received exactly once, and the
    // receivers then see the close.
    for tracing in [false, true] {
        let senders = 4u32;
        let (chan, _watch) = watched(2, tracing, 0);
        let sending: Vec<_> = (0..senders)
            .map(|s| {
                let chan = chan.clone();
                thread::spawn(move || {
                    let mut accepted = Vec::new();
                    for v in 0.. {
                        let value = s * 1_000_000 + v;
                        match chan.send(value) {
                            Ok(()) => accepted.push(value),
                            Err(error) => {
                                assert_eq!(error, OpError::SendOnClosed);
                                return accepted;
                            }
                        }
                    }
                    unreachable!("the loop ends at the close")
                })
            })
            .collect();
        let receiver = {
            let chan = chan.clone();
            thread::spawn(move || std::iter::from_fn(|| chan.recv().ok()).collect::<Vec<_>>())
        };
        // Close once plenty has gone through, so the close meets busy senders.
        eventually("values flow", || chan.peak_len() == 2);
        for _ in 0..1000 {
            thread::yield_now();
        }
        chan.close().unwrap();
        let mut accepted: Vec<u32> = sending
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let mut received = receiver.join().unwrap();
        accepted.sort_unstable();
        received.sort_unstable();
        assert!(
            accepted == received,
            "tracing {tracing}: accepted and received differ"
        );
        assert_eq!(chan.recv(), Err(OpError::Closed));
    }
}
