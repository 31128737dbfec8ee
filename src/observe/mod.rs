//! Seeing a run: who acts, when, what happened, and whether everyone is stuck.
//!
//! The bottom layer: it knows nothing of channels' insides or of pools. An [`actor`] is a
//! thread's identity (producer, worker k, …); the [`clock`] is the one time all threads share;
//! the [`trace`] records events in per-object log books with Lamport stamps; the [`watch`] is what
//! a run's channels and WaitGroup report to (the trace, who is alive, blocked time), and runs the
//! [`deadlock`] detector. `README.md` beside this file argues why the stamps order every cause
//! before its effect and why the detector's count is exact.

pub mod actor;
pub mod clock;
pub mod deadlock;
pub mod trace;
pub mod watch;
