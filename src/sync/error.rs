//! Why a channel or WaitGroup operation did not complete.

use std::fmt;

/// The ways an operation can fail. The first three are what Go punishes with a panic, worded as Go
/// words them; `Closed` is Go's `ok == false`; `Aborted` means the run was stopped under the caller;
/// `Cancelled` is a send given up because the run is shutting down; `TimedOut` is a timed receive
/// (Go's `select` with a `time.After` case) that got nothing in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpError {
    /// A send on a closed channel (also delivered to senders blocked when the channel closes).
    SendOnClosed,
    /// A second `close` of the same channel.
    CloseOfClosed,
    /// `done` called more times than `add` counted.
    NegativeCounter,
    /// A receive on a channel that is closed and drained.
    Closed,
    /// The run was aborted (cancelled, or ended by another actor's panic).
    Aborted,
    /// A send refused because the run is shutting down (the channel stopped taking values).
    Cancelled,
    /// A timed receive that got no value before its timeout.
    TimedOut,
}

impl OpError {
    /// Whether Go would panic here.
    pub fn is_panic(self) -> bool {
        matches!(
            self,
            OpError::SendOnClosed | OpError::CloseOfClosed | OpError::NegativeCounter
        )
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpError::SendOnClosed => "send on closed channel",
            OpError::CloseOfClosed => "close of closed channel",
            OpError::NegativeCounter => "sync: negative WaitGroup counter",
            OpError::Closed => "receive from closed channel",
            OpError::Aborted => "operation aborted: the run was stopped",
            OpError::Cancelled => "send cancelled: the run is shutting down",
            OpError::TimedOut => "receive timed out",
        })
    }
}

impl std::error::Error for OpError {}
