//! A book's entries: what one actor did in one critical section, packed into 16 bytes.
//!
//! An entry holds its stamp, the job, the actor and a 16-bit code for the rest: the [`Change`]
//! (the main event), the [`Lead`] before it, and whether a "started" follows. The channel is the
//! book's, and the buffer's length is not stored at all: the drain replays it, since each entry
//! says whether its value went through the buffer (see [`Entry::len_change`]). Small entries
//! matter: a busy run writes thousands of them between two drains, and the fewer bytes they take,
//! the more of them stay in the writing core's cache.

use super::{EventKind, NS_PER_MS, Op, Reason, Resource, Stamp};
use crate::observe::actor::Actor;
use crate::observe::trace::Event;

/// How far apart, in ms, the events of one entry are (a quarter of a stamp).
const EVENT_STEP_MS: f64 = 0.25 / NS_PER_MS;

/// The main event of an entry, without who, when and on which object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// [`EventKind::Sent`]; `buffered` when the value went into the buffer, not straight into a
    /// waiting receiver's hands.
    Sent { job: u32, buffered: bool },
    /// [`EventKind::Received`]; `buffered` when the value came out of the buffer, not straight
    /// from a sender.
    Received { job: u32, buffered: bool },
    /// [`EventKind::Blocked`].
    Blocked { op: Op, reason: Reason },
    /// [`EventKind::Unblocked`].
    Unblocked { op: Op },
    /// [`EventKind::Closed`].
    Closed,
    /// [`EventKind::Finished`], when the send it goes with records nothing at once.
    Finished { job: u32, failed: bool },
}

/// What an entry records before its main event: the same actor, the same critical section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lead {
    /// Nothing: the entry is its main event (and "started", if it says so).
    Nothing,
    /// The actor finished the job whose result the main event (`Sent`) sends.
    Finished {
        /// Whether the job's result is an error.
        failed: bool,
    },
    /// The actor's wait was completed by the main event (`Sent` or `Received`).
    Unblocked,
}

/// One actor's events in one critical section: the lead, the main event, then "started" when the
/// actor (a worker) begins the job it received.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// The stamp of the entry's first event.
    pub(crate) at: Stamp,
    job: u32,
    actor: u16,
    code: u16,
}

// The code's bits: kind (3), op (2), reason (2), a flag (`buffered` or `failed`), lead (2),
// the lead's `failed`, and "started".
const KIND: u16 = 0b111;
const SENT: u16 = 0;
const RECEIVED: u16 = 1;
const OP_SHIFT: u16 = 3;
const REASON_SHIFT: u16 = 5;
const FLAG: u16 = 1 << 7;
const LEAD_SHIFT: u16 = 8;
const LEAD: u16 = 0b11 << LEAD_SHIFT;
const LEAD_FAILED: u16 = 1 << 10;
const STARTS: u16 = 1 << 11;

impl Entry {
    /// Packs `actor`'s `change` at `at`, preceded by `lead`, followed by "started" if `starts`.
    #[inline(always)]
    pub(crate) fn new(at: Stamp, actor: Actor, change: Change, lead: Lead, starts: bool) -> Self {
        let flag = |on: bool| if on { FLAG } else { 0 };
        let (kind, job, details) = match change {
            Change::Sent { job, buffered } => (SENT, job, flag(buffered)),
            Change::Received { job, buffered } => (RECEIVED, job, flag(buffered)),
            Change::Blocked { op, reason } => (
                2,
                0,
                op_bits(op) << OP_SHIFT | reason_bits(reason) << REASON_SHIFT,
            ),
            Change::Unblocked { op } => (3, 0, op_bits(op) << OP_SHIFT),
            Change::Closed => (4, 0, 0),
            Change::Finished { job, failed } => (5, job, flag(failed)),
        };
        let lead = match lead {
            Lead::Nothing => 0,
            Lead::Finished { failed: false } => 1 << LEAD_SHIFT,
            Lead::Finished { failed: true } => 1 << LEAD_SHIFT | LEAD_FAILED,
            Lead::Unblocked => 2 << LEAD_SHIFT,
        };
        let starts = if starts { STARTS } else { 0 };
        Entry {
            at,
            job,
            actor: actor.packed(),
            code: kind | details | lead | starts,
        }
    }

    /// The main event.
    pub(crate) fn change(&self) -> Change {
        let (job, flag) = (self.job, self.code & FLAG != 0);
        let op = || op_of((self.code >> OP_SHIFT) & 0b11);
        match self.code & KIND {
            SENT => Change::Sent {
                job,
                buffered: flag,
            },
            RECEIVED => Change::Received {
                job,
                buffered: flag,
            },
            2 => Change::Blocked {
                op: op(),
                reason: reason_of((self.code >> REASON_SHIFT) & 0b11),
            },
            3 => Change::Unblocked { op: op() },
            4 => Change::Closed,
            _ => Change::Finished { job, failed: flag },
        }
    }

    /// What comes before the main event.
    pub(crate) fn lead(&self) -> Lead {
        match (self.code >> LEAD_SHIFT) & 0b11 {
            0 => Lead::Nothing,
            1 => Lead::Finished {
                failed: self.code & LEAD_FAILED != 0,
            },
            _ => Lead::Unblocked,
        }
    }

    /// Whether a "started" follows the main event.
    pub(crate) fn starts(&self) -> bool {
        self.code & STARTS != 0
    }

    /// Who acted.
    pub(crate) fn actor(&self) -> Actor {
        Actor::unpacked(self.actor)
    }

    /// How many events the entry stands for.
    pub(crate) fn events(&self) -> usize {
        1 + usize::from(self.code & LEAD != 0) + usize::from(self.code & STARTS != 0)
    }

    /// How the entry changes the channel's buffer length: +1 for a value into the buffer, -1 for
    /// one out of it.
    pub(crate) fn len_change(&self) -> i32 {
        match (self.code & KIND, self.code & FLAG != 0) {
            (SENT, true) => 1,
            (RECEIVED, true) => -1,
            _ => 0,
        }
    }

    /// Appends the entry's events on `channel`, a quarter nanosecond apart; `len` is the buffer's
    /// length after the entry.
    pub(crate) fn expand(&self, channel: Resource, len: u32, out: &mut Vec<Event>) {
        let actor = self.actor();
        let mut t = self.at as f64 / NS_PER_MS;
        let mut push = |kind| {
            out.push(Event { t, actor, kind });
            t += EVENT_STEP_MS;
        };
        let change = self.change();
        match (self.lead(), change) {
            (Lead::Nothing, _) => {}
            (Lead::Finished { failed }, Change::Sent { job, .. }) => {
                push(EventKind::Finished { job, failed });
            }
            (Lead::Unblocked, Change::Sent { .. }) => push(EventKind::Unblocked {
                channel,
                op: Op::Send,
            }),
            (Lead::Unblocked, Change::Received { .. }) => push(EventKind::Unblocked {
                channel,
                op: Op::Recv,
            }),
            (lead, change) => unreachable!("{lead:?} never leads {change:?}"),
        }
        push(match change {
            Change::Sent { job, .. } => EventKind::Sent { channel, job, len },
            Change::Received { job, .. } => EventKind::Received { channel, job, len },
            Change::Blocked { op, reason } => EventKind::Blocked {
                channel,
                op,
                reason,
            },
            Change::Unblocked { op } => EventKind::Unblocked { channel, op },
            Change::Closed => EventKind::Closed { channel },
            Change::Finished { job, failed } => EventKind::Finished { job, failed },
        });
        if let (true, Change::Received { job, .. }) = (self.starts(), change) {
            push(EventKind::Started { job });
        }
    }
}

fn op_bits(op: Op) -> u16 {
    match op {
        Op::Send => 0,
        Op::Recv => 1,
        Op::Wait => 2,
    }
}

fn op_of(bits: u16) -> Op {
    match bits {
        0 => Op::Send,
        1 => Op::Recv,
        _ => Op::Wait,
    }
}

fn reason_bits(reason: Reason) -> u16 {
    match reason {
        Reason::Full => 0,
        Reason::Empty => 1,
        Reason::Rendezvous => 2,
        Reason::Counter => 3,
    }
}

fn reason_of(bits: u16) -> Reason {
    match bits {
        0 => Reason::Full,
        1 => Reason::Empty,
        2 => Reason::Rendezvous,
        _ => Reason::Counter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 16);
    }

    #[test]
    fn every_change_lead_and_actor_survive_packing() {
        let mut changes = vec![Change::Closed];
        for flag in [false, true] {
            changes.push(Change::Sent {
                job: u32::MAX,
                buffered: flag,
            });
            changes.push(Change::Received {
                job: 7,
                buffered: flag,
            });
            changes.push(Change::Finished {
                job: 3,
                failed: flag,
            });
        }
        for op in [Op::Send, Op::Recv, Op::Wait] {
            changes.push(Change::Unblocked { op });
            for reason in [
                Reason::Full,
                Reason::Empty,
                Reason::Rendezvous,
                Reason::Counter,
            ] {
                changes.push(Change::Blocked { op, reason });
            }
        }
        let leads = [
            Lead::Nothing,
            Lead::Unblocked,
            Lead::Finished { failed: false },
            Lead::Finished { failed: true },
        ];
        let actors = [
            Actor::Main,
            Actor::Producer,
            Actor::Closer,
            Actor::Consumer,
            Actor::Scaler,
            Actor::Worker(1),
            Actor::Worker(8191),
            Actor::Task(1),
            Actor::Task(8191),
            Actor::StageWorker {
                stage: 1,
                worker: 1,
            },
            Actor::StageWorker {
                stage: 7,
                worker: 1023,
            },
            Actor::StageCloser(6),
        ];
        for change in changes {
            for lead in leads {
                for actor in actors {
                    for starts in [false, true] {
                        let entry = Entry::new(u64::MAX, actor, change, lead, starts);
                        assert_eq!(
                            (
                                entry.at,
                                entry.actor(),
                                entry.change(),
                                entry.lead(),
                                entry.starts()
                            ),
                            (u64::MAX, actor, change, lead, starts)
                        );
                    }
                }
            }
        }
    }
}
