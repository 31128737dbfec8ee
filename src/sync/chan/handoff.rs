//! Hand-offs under the channel's lock: completing queued parties' operations from the ring
//! (after a lock-free operation saw them counted), releasing them all with an error (close,
//! cancel, abort), and delivering the outcomes with their wake-ups once the lock is released.

use super::{Chan, RecvParker, SendParker, State};
use crate::locks::lock;
use crate::observe::trace::{Lead, Op, Pen, Stamp};
use crate::sync::error::OpError;
use crate::sync::ring::Refused;

/// Outcomes handed over under the lock, delivered (with their wake-ups) once it is released.
pub(super) struct Wakes<T> {
    pub(super) receivers: Vec<(RecvParker<T>, Result<T, OpError>, Stamp)>,
    pub(super) senders: Vec<(SendParker, Result<(), OpError>, Stamp)>,
}

impl<T> Wakes<T> {
    pub(super) fn new() -> Self {
        Wakes {
            receivers: Vec::new(),
            senders: Vec::new(),
        }
    }

    /// Delivers every outcome; call after releasing the lock.
    pub(super) fn deliver(self) {
        for (receiver, outcome, at) in self.receivers {
            receiver.wake(outcome, at);
        }
        for (sender, outcome, at) in self.senders {
            sender.wake(outcome, at);
        }
    }
}

impl<T: Send + 'static> Chan<T> {
    /// Hands queued receivers the values lock-free sends put in the ring (after a send saw them
    /// counted).
    pub(super) fn serve_receivers(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        let mut wakes = Wakes::new();
        self.feed_receivers(&mut pen, &mut guard, &mut wakes);
        drop(guard);
        wakes.deliver();
    }

    /// Moves queued senders' values into the slots lock-free receives freed (after a receive saw
    /// them counted).
    pub(super) fn serve_senders(&self) {
        let mut pen = self.shared.probe.pen();
        let mut guard = lock(&self.shared.state);
        let mut wakes = Wakes::new();
        self.feed_senders(&mut pen, &mut guard, &mut wakes);
        drop(guard);
        wakes.deliver();
    }

    /// While receivers are queued and the ring holds values, completes the longest-waiting
    /// receiver's operation with the oldest value.
    pub(super) fn feed_receivers(
        &self,
        pen: &mut Pen<'_>,
        st: &mut State<T>,
        wakes: &mut Wakes<T>,
    ) {
        let shared = &*self.shared;
        while !st.receivers.is_empty() {
            let Some(value) = shared.ring.pop() else {
                break;
            };
            let receiver = st.receivers.pop_front().expect("a receiver is queued");
            let job = (shared.label)(&value).job;
            let at = shared
                .probe
                .received(pen, &mut st.log, receiver.actor, job, true, true);
            wakes.receivers.push((receiver, Ok(value), at));
        }
        shared.count_waiting(st);
    }

    /// While senders are queued and the ring has room, completes the longest-waiting sender's
    /// operation by putting its value in the ring.
    pub(super) fn feed_senders(&self, pen: &mut Pen<'_>, st: &mut State<T>, wakes: &mut Wakes<T>) {
        let shared = &*self.shared;
        while let Some((sender, value)) = st.senders.pop_front() {
            let job = (shared.label)(&value).job;
            if let Err(Refused::Full(value) | Refused::Marked(value)) = shared.ring.push(value) {
                st.senders.push_front((sender, value));
                break;
            }
            shared.note_len();
            let at = shared
                .probe
                .sent(pen, &mut st.log, sender.actor, job, true, Lead::Unblocked);
            wakes.senders.push((sender, Ok(()), at));
        }
        shared.count_waiting(st);
    }

    pub(super) fn release_all(
        &self,
        pen: &mut Pen<'_>,
        st: &mut State<T>,
        to_receivers: OpError,
        to_senders: OpError,
        wakes: &mut Wakes<T>,
    ) {
        let probe = &self.shared.probe;
        for receiver in st.receivers.drain(..) {
            let at = probe.unblocked(pen, &mut st.log, receiver.actor, Op::Recv);
            wakes.receivers.push((receiver, Err(to_receivers), at));
        }
        self.release_senders(pen, st, to_senders, wakes);
    }

    pub(super) fn release_senders(
        &self,
        pen: &mut Pen<'_>,
        st: &mut State<T>,
        error: OpError,
        wakes: &mut Wakes<T>,
    ) {
        let probe = &self.shared.probe;
        for (sender, _) in st.senders.drain(..) {
            let at = probe.unblocked(pen, &mut st.log, sender.actor, Op::Send);
            wakes.senders.push((sender, Err(error), at));
        }
        self.shared.count_waiting(st);
    }
}
