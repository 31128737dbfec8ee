//! A channel with Go's semantics.
//!
//! Capacity 0 is a rendezvous: a send completes only when a receiver takes the value. Capacity N
//! buffers up to N values. Closing lets receivers drain what is buffered, then reports
//! [`OpError::Closed`]; sending on a closed channel and closing twice are errors worded like Go's
//! panics. Like Go's runtime, the channel keeps queues of blocked senders (with their values) and
//! receivers, so whoever makes progress possible hands the value over and wakes exactly the party
//! it completed, recording both sides in the channel's log book while its lock is held. The wake
//! itself (which may cost a system call) comes after the lock is released, so the lock is never
//! held longer than the hand-off.

use crate::locks::lock;
use crate::observe::actor::{self, Actor};
use crate::observe::clock;
use crate::observe::trace::{Lead, LogBook, Op, Pen, Reason, Source, Tag};
use crate::observe::watch::Probe;
pub use crate::sync::error::OpError;
use crate::sync::parker::Parker;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

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
    state: Mutex<State<T>>,
}

type SendParker = Arc<Parker<Result<(), OpError>>>;
type RecvParker<T> = Arc<Parker<Result<T, OpError>>>;

struct State<T> {
    buffer: VecDeque<T>,
    senders: VecDeque<(SendParker, T)>,
    receivers: VecDeque<RecvParker<T>>,
    closed: bool,
    sends_cancelled: bool,
    aborted: bool,
    peak_len: usize,
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
            probe,
            label,
            state: Mutex::new(State {
                buffer: VecDeque::with_capacity(cap),
                senders: VecDeque::new(),
                receivers: VecDeque::new(),
                closed: false,
                sends_cancelled: false,
                aborted: false,
                peak_len: 0,
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
        lock(&self.shared.state).buffer.len()
    }

    /// Whether no value is buffered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most values the buffer has held at once.
    pub fn peak_len(&self) -> usize {
        lock(&self.shared.state).peak_len
    }

    /// Whether the channel has been closed.
    pub fn is_closed(&self) -> bool {
        lock(&self.shared.state).closed
    }

    /// Sends `value`, blocking while the buffer is full (or, at capacity 0, until a receiver takes
    /// it). Fails with [`OpError::SendOnClosed`] if the channel is or becomes closed.
    pub fn send(&self, value: T) -> Result<(), OpError> {
        let shared = &*self.shared;
        let probe = &shared.probe;
        let mut pen = probe.pen();
        let (me, mut guard) = self.enter()?;
        let st = &mut *guard;
        let tag = (shared.label)(&value);
        let lead = probe.send_lead(tag);
        if st.closed || st.sends_cancelled {
            probe.finished(&mut pen, &mut st.log, me, tag, lead);
            return Err(if st.closed {
                OpError::SendOnClosed
            } else {
                OpError::Cancelled
            });
        }
        if let Some(receiver) = st.receivers.pop_front() {
            probe.sent(&mut pen, &mut st.log, me, tag.job, false, lead);
            let at = probe.received(&mut pen, &mut st.log, receiver.actor, tag.job, false, true);
            drop(guard);
            receiver.wake(Ok(value), at);
            return Ok(());
        }
        if st.buffer.len() < shared.cap {
            st.buffer.push_back(value);
            st.peak_len = st.peak_len.max(st.buffer.len());
            probe.sent(&mut pen, &mut st.log, me, tag.job, true, lead);
            return Ok(());
        }
        probe.finished(&mut pen, &mut st.log, me, tag, lead);
        let parker = Parker::new(me);
        st.senders.push_back((Arc::clone(&parker), value));
        probe.blocked(
            &mut pen,
            &mut st.log,
            me,
            Op::Send,
            self.wait_reason(Reason::Full),
        );
        drop(guard);
        parker.park_watched(probe, pen)
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
        let shared = &*self.shared;
        let probe = &shared.probe;
        let mut pen = probe.pen();
        let (me, mut guard) = self.enter()?;
        let st = &mut *guard;
        if let Some(value) = st.buffer.pop_front() {
            let job = (shared.label)(&value).job;
            probe.received(&mut pen, &mut st.log, me, job, true, false);
            if let Some((sender, pending)) = st.senders.pop_front() {
                // The freed slot goes to the longest-waiting sender.
                let job = (shared.label)(&pending).job;
                st.buffer.push_back(pending);
                let at = probe.sent(
                    &mut pen,
                    &mut st.log,
                    sender.actor,
                    job,
                    true,
                    Lead::Unblocked,
                );
                drop(guard);
                sender.wake(Ok(()), at);
            }
            return Ok(value);
        }
        if let Some((sender, value)) = st.senders.pop_front() {
            // Rendezvous: take the value straight from a waiting sender.
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
            drop(guard);
            sender.wake(Ok(()), at);
            return Ok(value);
        }
        if st.closed {
            return Err(OpError::Closed);
        }
        let parker = Parker::new(me);
        st.receivers.push_back(Arc::clone(&parker));
        let reason = self.wait_reason(Reason::Empty);
        let Some(deadline_ms) = deadline_ms else {
            probe.blocked(&mut pen, &mut st.log, me, Op::Recv, reason);
            drop(guard);
            return parker.park_watched(probe, pen);
        };
        probe.blocked_timed(&mut pen, &mut st.log, me, Op::Recv, reason);
        drop(guard);
        parker.park_watched_until(probe, pen, deadline_ms, || {
            // Withdraw, unless a sender or a close completed the receive meanwhile.
            let mut pen = probe.pen();
            let mut guard = lock(&shared.state);
            let st = &mut *guard;
            let queued = st.receivers.iter().position(|p| Arc::ptr_eq(p, &parker))?;
            st.receivers.remove(queued);
            let at = probe.unblocked(&mut pen, &mut st.log, me, Op::Recv);
            Some((Err(OpError::TimedOut), at))
        })
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
        self.shared.probe.closed(&mut pen, &mut st.log, me);
        self.release_all(&mut pen, st, OpError::Closed, OpError::SendOnClosed);
        Ok(())
    }

    /// Refuses sends from now on, as a producer's `select` on a cancelled context would: waiting
    /// and later senders get [`OpError::Cancelled`] and keep their values; receivers go on
    /// draining the buffer, and the channel can still be closed.
    pub fn cancel_sends(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        guard.sends_cancelled = true;
        self.release_senders(&mut pen, &mut guard, OpError::Cancelled);
    }

    /// Stops the channel for good: every waiting and every later operation fails with
    /// [`OpError::Aborted`], so the threads of a stopped run can go home.
    pub fn abort(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        guard.aborted = true;
        self.release_all(&mut pen, &mut guard, OpError::Aborted, OpError::Aborted);
    }

    /// Who is calling, and the locked state, unless the channel was aborted.
    fn enter(&self) -> Result<(Actor, MutexGuard<'_, State<T>>), OpError> {
        let state = lock(&self.shared.state);
        if state.aborted {
            return Err(OpError::Aborted);
        }
        Ok((actor::current(), state))
    }

    fn release_all(
        &self,
        pen: &mut Pen<'_>,
        st: &mut State<T>,
        to_receivers: OpError,
        to_senders: OpError,
    ) {
        let probe = &self.shared.probe;
        for receiver in st.receivers.drain(..) {
            let at = probe.unblocked(pen, &mut st.log, receiver.actor, Op::Recv);
            receiver.wake(Err(to_receivers), at);
        }
        self.release_senders(pen, st, to_senders);
    }

    fn release_senders(&self, pen: &mut Pen<'_>, st: &mut State<T>, error: OpError) {
        let probe = &self.shared.probe;
        for (sender, _) in st.senders.drain(..) {
            let at = probe.unblocked(pen, &mut st.log, sender.actor, Op::Send);
            sender.wake(Err(error), at);
        }
    }

    fn wait_reason(&self, buffered: Reason) -> Reason {
        if self.shared.cap == 0 {
            Reason::Rendezvous
        } else {
            buffered
        }
    }
}

impl<T: Send> Source for Shared<T> {
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook)) {
        f(&mut lock(&self.state).log);
    }
}
