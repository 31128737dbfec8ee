//! Stopping a run on purpose, the three ways the Go posts describe.
//!
//! A shutdown is *requested* (by `Run::cancel` or a `cancelAfterMs` timer) once. What happens then
//! depends on the [`ShutdownMode`]: `graceful` stops the producer and drops the queued jobs but lets the
//! jobs in flight finish; `drain` stops the producer, closes the jobs channel and lets everything
//! already queued finish; `force` drains like `drain` until its grace period runs out, then cancels
//! the context, so work in flight returns "context canceled" and the queued jobs are dropped. The
//! pool does the channel work; this module keeps the state and the clock of it.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::locks::lock;
use crate::observe::trace::ShutdownMode;

/// The error work in flight returns when the context is cancelled, worded like Go's `ctx.Err()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("context canceled")
    }
}

impl std::error::Error for Interrupted {}

/// Work whose errors are text takes a cancelled context's as its words.
impl From<Interrupted> for String {
    fn from(interrupted: Interrupted) -> Self {
        interrupted.to_string()
    }
}

/// A run's shutdown state.
pub(crate) struct Shutdown {
    mode: ShutdownMode,
    timeout_ms: f64,
    /// When the shutdown was requested, in the run's ms; `None` while running normally.
    requested_at: Mutex<Option<f64>>,
    /// The context: once cancelled, work in flight stops early.
    cancelled: AtomicBool,
}

impl Shutdown {
    /// A run that will shut down in `mode`, `force` waiting `timeout_ms` before cancelling.
    pub(crate) fn new(mode: ShutdownMode, timeout_ms: f64) -> Self {
        Shutdown {
            mode,
            timeout_ms,
            requested_at: Mutex::new(None),
            cancelled: AtomicBool::new(false),
        }
    }

    /// The mode.
    pub(crate) fn mode(&self) -> ShutdownMode {
        self.mode
    }

    /// Marks the shutdown requested at `now_ms`; false if it already was.
    pub(crate) fn request(&self, now_ms: f64) -> bool {
        let mut at = lock(&self.requested_at);
        if at.is_some() {
            return false;
        }
        *at = Some(now_ms);
        true
    }

    /// Whether a shutdown has been requested.
    pub(crate) fn is_requested(&self) -> bool {
        lock(&self.requested_at).is_some()
    }

    /// When a requested `force` shutdown's grace period ends.
    pub(crate) fn force_deadline(&self) -> Option<f64> {
        let at = (*lock(&self.requested_at))?;
        (self.mode == ShutdownMode::Force && !self.is_cancelled()).then_some(at + self.timeout_ms)
    }

    /// Cancels the context; false if it already was.
    pub(crate) fn cancel_context(&self) -> bool {
        !self.cancelled.swap(true, Ordering::AcqRel)
    }

    /// The context flag work in flight watches.
    pub(crate) fn context(&self) -> &AtomicBool {
        &self.cancelled
    }

    /// Whether the context has been cancelled.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}
