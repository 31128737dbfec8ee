//! A channel with Go's semantics.
//!
//! Capacity 0 is a rendezvous: a send completes only when a receiver takes the value. Capacity N
//! buffers up to N values. Closing lets receivers drain what is buffered, then reports
//! [`OpError::Closed`]; sending on a closed channel and closing twice are errors worded like Go's
//! panics.
//!
//! The buffer is a lock-free ring (`ring.rs`). Like Go's runtime, the channel keeps queues of
//! blocked senders (with their values) and receivers under its lock, so whoever makes progress
//! possible hands the value over and wakes exactly the party it completed, recording both sides in
//! the channel's log book while the lock is held; the wakes (which may cost a system call) come
//! after the lock is released.
//!
//! Two ways through:
//! - **Locked.** Every operation that records (tracing on), blocks, hands off to a queued party,
//!   closes or aborts takes the lock; the ring is then only the locked state's buffer. With
//!   tracing on every operation goes this way, as the stamp protocol needs (`observe/README.md`).
//! - **Lock-free.** With tracing off, a send into a ring with room and a receive from a ring with
//!   a value take no lock. Each publishes its change first (a compare-and-swap on the ring), then
//!   reads how many parties wait on the other side (`receivers_waiting`, `senders_waiting`): only
//!   if some do does it take the lock to hand them values or slots. A party about to block counts
//!   itself first and then looks at the ring once more, under the lock; so of the two, one always
//!   sees the other (both sides are sequentially consistent), and no value sits in the ring while
//!   a receiver waits for good, nor a free slot while a sender does. The deadlock detector's count
//!   is untouched by this: parties are counted as waiting only in the queues, under the lock.
//!
//! Before it queues, a send that finds the buffer full (a receive that finds it empty) retries a
//! few times with a short bounded backoff (`Backoff::retry`), as crossbeam-channel does: on a busy
//! pool the other side frees a slot within a microsecond, far sooner than queueing, waking and
//! the lock's hand-off take. A retry changes and records nothing, so to the trace and the deadlock
//! detector the operation simply has not happened yet (see `observe/README.md`). A rendezvous
//! queues at once: it has no slot to retry for.

use crate::locks::lock;
use crate::observe::actor::{self, Actor};
use crate::observe::clock;
use crate::observe::trace::{Lead, LogBook, Op, Reason, Source, Tag};
use crate::observe::watch::Probe;
use crate::sync::backoff::Backoff;
pub use crate::sync::error::OpError;
use crate::sync::parker::Parker;
use crate::sync::ring::{Refused, Ring};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

mod handoff;
use handoff::Wakes;

/// A handle to a channel; clones share the same channel.
pub struct Chan<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Chan<T> {
    fn clone(&self) -> Self {
        Chan {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<T> {
    cap: usize,
    probe: Probe,
    label: fn(&T) -> Tag,
    /// The buffer: `cap` slots (none for a rendezvous).
    ring: Ring<T>,
    /// Whether buffered sends and receives may skip the lock: nothing they do is recorded.
    lock_free: bool,
    /// The length of `state.receivers` (one more while a receiver takes its last look before
    /// queueing): written under the lock, read without it.
    receivers_waiting: AtomicUsize,
    /// The same for `state.senders`.
    senders_waiting: AtomicUsize,
    /// `state.aborted`, for receives that skip the lock.
    aborted: AtomicBool,
    /// The most values the ring has held at once.
    peak_len: AtomicUsize,
    state: Mutex<State<T>>,
}

type SendParker = Arc<Parker<Result<(), OpError>>>;
type RecvParker<T> = Arc<Parker<Result<T, OpError>>>;

struct State<T> {
    senders: VecDeque<(SendParker, T)>,
    receivers: VecDeque<RecvParker<T>>,
    closed: bool,
    sends_cancelled: bool,
    aborted: bool,
    log: LogBook,
}

impl<T: Send + 'static> Chan<T> {
    /// A channel of capacity `cap` (0 for a rendezvous) that reports nothing.
    pub fn new(cap: usize) -> Self {
        Self::observed(cap, Probe::none(), |_| Tag::new(0))
    }

    /// A channel that reports to `probe`, describing each value by the tag `label` gives it.
    pub fn observed(cap: usize, probe: Probe, label: fn(&T) -> Tag) -> Self {
        let shared = Arc::new(Shared {
            cap,
            lock_free: !probe.traces(),
            probe,
            label,
            ring: Ring::new(cap),
            receivers_waiting: AtomicUsize::new(0),
            senders_waiting: AtomicUsize::new(0),
            aborted: AtomicBool::new(false),
            peak_len: AtomicUsize::new(0),
            state: Mutex::new(State {
                senders: VecDeque::new(),
                receivers: VecDeque::new(),
                closed: false,
                sends_cancelled: false,
                aborted: false,
                log: LogBook::default(),
            }),
        });
        let source: Arc<dyn Source> = shared.clone();
        shared.probe.register(Arc::downgrade(&source));
        Chan { shared }
    }

    /// The capacity of the buffer (Go's `cap`).
    pub fn cap(&self) -> usize {
        self.shared.cap
    }

    /// How many values are buffered now (Go's `len`; always 0 for a rendezvous channel).
    pub fn len(&self) -> usize {
        self.shared.ring.len()
    }

    /// Whether no value is buffered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most values the buffer has held at once.
    pub fn peak_len(&self) -> usize {
        self.shared.peak_len.load(Ordering::Relaxed)
    }

    /// Whether the channel has been closed.
    pub fn is_closed(&self) -> bool {
        lock(&self.shared.state).closed
    }

    /// Sends `value`, blocking while the buffer is full (or, at capacity 0, until a receiver takes
    /// it). Fails with [`OpError::SendOnClosed`] if the channel is or becomes closed.
    pub fn send(&self, value: T) -> Result<(), OpError> {
        let mut value = value;
        let mut retry = Backoff::retry();
        loop {
            // A rendezvous has no slot to retry for: it queues at once.
            let block = self.shared.cap == 0 || retry.is_done();
            match self.try_send(value, block) {
                Ok(outcome) => return outcome,
                Err(back) => value = back,
            }
            retry.snooze();
        }
    }

    /// One attempt at a send: its outcome, or (unless `block`) the value back when the buffer is
    /// full, having changed and recorded nothing.
    fn try_send(&self, value: T, block: bool) -> Result<Result<(), OpError>, T> {
        let shared = &*self.shared;
        if !shared.lock_free {
            // A retry looks without the lock, so it does not hold up the sends and receives
            // that are recording under it.
            if !block && shared.ring.len() == shared.cap {
                return Err(value);
            }
            return self.send_locked(value, block);
        }
        match shared.ring.push(value) {
            Ok(()) => {
                shared.note_len();
                if shared.receivers_waiting.load(Ordering::SeqCst) != 0 {
                    self.serve_receivers();
                }
                Ok(Ok(()))
            }
            Err(Refused::Full(value)) if !block => Err(value),
            Err(Refused::Full(value) | Refused::Marked(value)) => self.send_locked(value, block),
        }
    }

    /// A send under the lock: it records, hands off, fails, blocks, or (unless `block`) gives
    /// the value back when the buffer is full.
    fn send_locked(&self, value: T, block: bool) -> Result<Result<(), OpError>, T> {
        let shared = &*self.shared;
        let probe = &shared.probe;
        let mut pen = probe.pen();
        let (me, mut guard) = match self.enter() {
            Ok(entered) => entered,
            Err(error) => return Ok(Err(error)),
        };
        let st = &mut *guard;
        let tag = (shared.label)(&value);
        let lead = probe.send_lead(tag);
        if st.closed || st.sends_cancelled {
            probe.finished(&mut pen, &mut st.log, me, tag, lead);
            return Ok(Err(if st.closed {
                OpError::SendOnClosed
            } else {
                OpError::Cancelled
            }));
        }
        let mut wakes = Wakes::new();
        // Values lock-free sends left for queued receivers go first.
        self.feed_receivers(&mut pen, st, &mut wakes);
        if let Some(receiver) = st.receivers.pop_front() {
            shared.count_waiting(st);
            probe.sent(&mut pen, &mut st.log, me, tag.job, false, lead);
            let at = probe.received(&mut pen, &mut st.log, receiver.actor, tag.job, false, true);
            wakes.receivers.push((receiver, Ok(value), at));
            drop(guard);
            wakes.deliver();
            return Ok(Ok(()));
        }
        let value = match shared.ring.push(value) {
            Ok(()) => {
                shared.note_len();
                probe.sent(&mut pen, &mut st.log, me, tag.job, true, lead);
                drop(guard);
                wakes.deliver();
                return Ok(Ok(()));
            }
            Err(Refused::Full(value) | Refused::Marked(value)) => value,
        };
        if !block {
            drop(guard);
            wakes.deliver();
            return Err(value);
        }
        // Counted as waiting before the last look at the ring: a lock-free receive either freed
        // a slot that this look finds, or sees this sender counted and hands it the slot.
        shared
            .senders_waiting
            .store(st.senders.len() + 1, Ordering::SeqCst);
        match shared.ring.push(value) {
            Ok(()) => {
                shared.count_waiting(st);
                shared.note_len();
                probe.sent(&mut pen, &mut st.log, me, tag.job, true, lead);
                drop(guard);
                wakes.deliver();
                Ok(Ok(()))
            }
            Err(Refused::Full(value) | Refused::Marked(value)) => {
                probe.finished(&mut pen, &mut st.log, me, tag, lead);
                let parker = Parker::new(me);
                st.senders.push_back((Arc::clone(&parker), value));
                shared.count_waiting(st);
                probe.blocked(
                    &mut pen,
                    &mut st.log,
                    me,
                    Op::Send,
                    self.wait_reason(Reason::Full),
                );
                drop(guard);
                wakes.deliver();
                Ok(parker.park_watched(probe, pen))
            }
        }
    }

    /// Receives a value, blocking while none is available. Once the channel is closed and drained
    /// it fails with [`OpError::Closed`].
    pub fn recv(&self) -> Result<T, OpError> {
        self.receive(None)
    }

    /// Receives like [`Chan::recv`], but gives up with [`OpError::TimedOut`] when no value came
    /// within `timeout_ms` (Go's `select` on the channel and a `time.After`). The wait is not
    /// counted by the deadlock detector: it ends by itself.
    pub fn recv_timeout(&self, timeout_ms: f64) -> Result<T, OpError> {
        self.receive(Some(clock::now_ms() + timeout_ms))
    }

    fn receive(&self, deadline_ms: Option<f64>) -> Result<T, OpError> {
        let mut retry = Backoff::retry();
        loop {
            // A rendezvous has no slot to retry for: it queues at once.
            let block = self.shared.cap == 0 || retry.is_done();
            if let Some(outcome) = self.try_receive(deadline_ms, block) {
                return outcome;
            }
            retry.snooze();
        }
    }

    /// One attempt at a receive: its outcome, or (unless `block`) `None` when nothing is
    /// buffered, having changed and recorded nothing.
    fn try_receive(&self, deadline_ms: Option<f64>, block: bool) -> Option<Result<T, OpError>> {
        let shared = &*self.shared;
        if shared.lock_free && !shared.aborted.load(Ordering::Relaxed) {
            if let Some(value) = shared.ring.pop() {
                if shared.senders_waiting.load(Ordering::SeqCst) != 0 {
                    self.serve_senders();
                }
                return Some(Ok(value));
            }
            if !block {
                return None;
            }
        } else if !block && shared.ring.len() == 0 {
            // As for sends: a retry looks without the lock.
            return None;
        }
        self.receive_locked(deadline_ms, block)
    }

    /// A receive under the lock: it records, hands off, fails, blocks, or (unless `block`) gives
    /// up with `None` when nothing is buffered.
    fn receive_locked(&self, deadline_ms: Option<f64>, block: bool) -> Option<Result<T, OpError>> {
        let shared = &*self.shared;
        let probe = &shared.probe;
        let mut pen = probe.pen();
        let (me, mut guard) = match self.enter() {
            Ok(entered) => entered,
            Err(error) => return Some(Err(error)),
        };
        let st = &mut *guard;
        let mut wakes = Wakes::new();
        if let Some(value) = shared.ring.pop() {
            let job = (shared.label)(&value).job;
            probe.received(&mut pen, &mut st.log, me, job, true, false);
            // The freed slot goes to the longest-waiting sender.
            self.feed_senders(&mut pen, st, &mut wakes);
            drop(guard);
            wakes.deliver();
            return Some(Ok(value));
        }
        if let Some((sender, value)) = st.senders.pop_front() {
            // Rendezvous: take the value straight from a waiting sender.
            shared.count_waiting(st);
            let job = (shared.label)(&value).job;
            let at = probe.sent(
                &mut pen,
                &mut st.log,
                sender.actor,
                job,
                false,
                Lead::Unblocked,
            );
            probe.received(&mut pen, &mut st.log, me, job, false, false);
            wakes.senders.push((sender, Ok(()), at));
            drop(guard);
            wakes.deliver();
            return Some(Ok(value));
        }
        if st.closed {
            return Some(Err(OpError::Closed));
        }
        if !block {
            return None;
        }
        // Counted as waiting before the last look at the ring: a lock-free send either put a
        // value there that this look finds, or sees this receiver counted and hands it over.
        shared
            .receivers_waiting
            .store(st.receivers.len() + 1, Ordering::SeqCst);
        if let Some(value) = shared.ring.pop() {
            shared.count_waiting(st);
            let job = (shared.label)(&value).job;
            probe.received(&mut pen, &mut st.log, me, job, true, false);
            self.feed_senders(&mut pen, st, &mut wakes);
            drop(guard);
            wakes.deliver();
            return Some(Ok(value));
        }
        let parker = Parker::new(me);
        st.receivers.push_back(Arc::clone(&parker));
        shared.count_waiting(st);
        let reason = self.wait_reason(Reason::Empty);
        let Some(deadline_ms) = deadline_ms else {
            probe.blocked(&mut pen, &mut st.log, me, Op::Recv, reason);
            drop(guard);
            return Some(parker.park_watched(probe, pen));
        };
        probe.blocked_timed(&mut pen, &mut st.log, me, Op::Recv, reason);
        drop(guard);
        Some(parker.park_watched_until(probe, pen, deadline_ms, || {
            // Withdraw, unless a sender or a close completed the receive meanwhile.
            let mut pen = probe.pen();
            let mut guard = lock(&shared.state);
            let st = &mut *guard;
            let queued = st.receivers.iter().position(|p| Arc::ptr_eq(p, &parker))?;
            st.receivers.remove(queued);
            shared.count_waiting(st);
            let at = probe.unblocked(&mut pen, &mut st.log, me, Op::Recv);
            Some((Err(OpError::TimedOut), at))
        }))
    }

    /// Closes the channel: waiting receivers get [`OpError::Closed`], waiting senders
    /// [`OpError::SendOnClosed`]. Closing twice fails with [`OpError::CloseOfClosed`].
    pub fn close(&self) -> Result<(), OpError> {
        let mut pen = self.shared.probe.pen();
        let (me, mut guard) = self.enter()?;
        let st = &mut *guard;
        if st.closed {
            return Err(OpError::CloseOfClosed);
        }
        st.closed = true;
        self.shared.ring.refuse_sends();
        self.shared.probe.closed(&mut pen, &mut st.log, me);
        let mut wakes = Wakes::new();
        // Values sent before the close still reach the receivers that wait for them.
        self.feed_receivers(&mut pen, st, &mut wakes);
        self.release_all(
            &mut pen,
            st,
            OpError::Closed,
            OpError::SendOnClosed,
            &mut wakes,
        );
        drop(guard);
        wakes.deliver();
        Ok(())
    }

    /// Refuses sends from now on, as a producer's `select` on a cancelled context would: waiting
    /// and later senders get [`OpError::Cancelled`] and keep their values; receivers go on
    /// draining the buffer, and the channel can still be closed.
    pub fn cancel_sends(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        guard.sends_cancelled = true;
        self.shared.ring.refuse_sends();
        let mut wakes = Wakes::new();
        self.release_senders(&mut pen, &mut guard, OpError::Cancelled, &mut wakes);
        drop(guard);
        wakes.deliver();
    }

    /// Stops the channel for good: every waiting and every later operation fails with
    /// [`OpError::Aborted`], so the threads of a stopped run can go home.
    pub fn abort(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        guard.aborted = true;
        self.shared.aborted.store(true, Ordering::Relaxed);
        self.shared.ring.refuse_sends();
        let mut wakes = Wakes::new();
        self.release_all(
            &mut pen,
            &mut guard,
            OpError::Aborted,
            OpError::Aborted,
            &mut wakes,
        );
        drop(guard);
        wakes.deliver();
    }

    /// Who is calling, and the locked state, unless the channel was aborted.
    fn enter(&self) -> Result<(Actor, MutexGuard<'_, State<T>>), OpError> {
        let state = lock(&self.shared.state);
        if state.aborted {
            return Err(OpError::Aborted);
        }
        Ok((actor::current(), state))
    }

    fn wait_reason(&self, buffered: Reason) -> Reason {
        if self.shared.cap == 0 {
            Reason::Rendezvous
        } else {
            buffered
        }
    }
}

impl<T> Shared<T> {
    /// Publishes the queues' lengths for the lock-free operations; call under the lock after
    /// changing a queue. A figure that has not changed is not stored again: only the lock's
    /// holder writes them, so it reads the newest, and storing the same value again would tell
    /// nobody anything (with tracing on, every operation calls this; the stores would move the
    /// figures' cache line between the cores each time).
    fn count_waiting(&self, st: &State<T>) {
        publish(&self.receivers_waiting, st.receivers.len());
        publish(&self.senders_waiting, st.senders.len());
    }

    /// Raises the peak length to the ring's length after a send.
    fn note_len(&self) {
        if self.peak_len.load(Ordering::Relaxed) < self.cap {
            self.peak_len.fetch_max(self.ring.len(), Ordering::Relaxed);
        }
    }
}

/// Stores `len` in `waiting` (sequentially consistent, as the lock-free side's argument needs)
/// unless it holds `len` already; call under the channel's lock, which every writer holds.
fn publish(waiting: &AtomicUsize, len: usize) {
    if waiting.load(Ordering::Relaxed) != len {
        waiting.store(len, Ordering::SeqCst);
    }
}

impl<T: Send> Source for Shared<T> {
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook)) {
        f(&mut lock(&self.state).log);
    }
}
