//! Time-driven parts of a run: the shutdown a cancel or `cancel_after` requests, the end of a
//! forced shutdown's grace period, and the timer thread that fires both and runs the scaler.

use super::config::ms;
use super::engine::{Engine, WorkError};
use crate::observe::actor::Actor;
use crate::observe::trace::{EventKind, ShutdownMode, Stage};
use crate::patterns::scaling::SCALE_TICK_MS;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How often the timer looks at the clock.
const TIMER_TICK: Duration = Duration::from_millis(5);

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Engine<J, R, E> {
    /// Starts the shutdown in the configured mode (once).
    pub(crate) fn request_shutdown(&self) {
        if !self.shutdown.request(self.elapsed_ms()) {
            return;
        }
        let mode = self.shutdown.mode();
        self.note_as(
            Actor::Main,
            EventKind::Shutdown {
                mode,
                stage: Stage::Requested,
            },
        );
        match mode {
            ShutdownMode::Graceful => self.jobs.abort(),
            ShutdownMode::Drain | ShutdownMode::Force => self.jobs.cancel_sends(),
        }
    }

    /// Ends a forced shutdown's grace period: cancels the context and drops the queued jobs.
    fn force(&self) {
        if !self.shutdown.cancel_context() {
            return;
        }
        self.note_as(
            Actor::Main,
            EventKind::Shutdown {
                mode: self.shutdown.mode(),
                stage: Stage::Forced,
            },
        );
        self.jobs.abort();
    }

    /// The timer: fires `cancel_after` and the forced shutdown's deadline, and runs the scaler of
    /// an autoscaling pool.
    pub(crate) fn keep_time(self: &Arc<Self>) {
        let cancel_at = self.config.cancel_after.map(ms);
        let mut next_look = 0.0;
        while !self.finished.load(Ordering::Acquire) {
            let now = self.elapsed_ms();
            if let Some(roster) = self.patterns.roster.as_ref().filter(|_| now >= next_look) {
                self.scale(roster);
                next_look = now + SCALE_TICK_MS;
            }
            if cancel_at.is_some_and(|at| now >= at) {
                self.request_shutdown();
            }
            if self.shutdown.force_deadline().is_some_and(|at| now >= at) {
                self.force();
            }
            std::thread::sleep(TIMER_TICK);
        }
    }
}
