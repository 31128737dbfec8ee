//! What a job's work gets besides its job: its number, its worker, its attempt, the run's
//! context (cancelled by a forced shutdown) and, when the pool has one, the service to call.
//! Also the stoppable sleeps the engine and the work use.

use crate::observe::clock;
use crate::observe::trace::Trace;
use crate::patterns::service::{REJECT_FRACTION, Service};
use crate::pool::shutdown::Interrupted;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the work function knows besides its job.
pub struct WorkCtx<'a> {
    /// The job's number.
    pub job: u32,
    /// The worker (or task) running it.
    pub worker: u16,
    /// Which attempt at the job this is, from 1.
    pub attempt: u32,
    pub(crate) context: &'a AtomicBool,
    pub(crate) service: Option<&'a Service>,
    pub(crate) trace: &'a Trace,
    pub(crate) ended: Cell<WorkEnd>,
}

/// What the trace knows of when a job's work ended.
#[derive(Clone, Copy)]
pub(crate) enum WorkEnd {
    /// Nothing: real work, so the worker reads the clock for "finished".
    Unknown,
    /// Simulated work that slept until this reading (ms, the shared clock).
    At(f64),
    /// Simulated work that took no time at all.
    AtOnce,
}

impl WorkCtx<'_> {
    /// Whether the run's context has been cancelled; long work should stop early.
    pub fn is_cancelled(&self) -> bool {
        self.context.load(Ordering::Acquire)
    }

    /// Sleeps `ms` milliseconds (part of the work, say a simulated download); stops early with
    /// [`Interrupted`] if the context is cancelled.
    pub fn sleep_ms(&self, ms: f64) -> Result<(), Interrupted> {
        sleep_unless(ms, self.context).map(|_| ())
    }

    /// Sleeps `ms` as simulated work and notes when it ended for the trace.
    fn simulate_ms(&self, ms: f64) -> Result<(), Interrupted> {
        let ended = sleep_unless(ms, self.context)?;
        self.ended.set(ended.map_or(WorkEnd::AtOnce, WorkEnd::At));
        Ok(())
    }

    /// A request that takes `ms` at the run's service (or simply `ms`, without one). The service
    /// may refuse it with a 429, which comes back after a tenth of the time; the error is the
    /// refusal, or "context canceled" if the run's context was cancelled meanwhile. It is
    /// simulated work, meant as the job's whole work: the trace takes the job's end from the
    /// reading that ended its sleep, so "finished" needs no clock reading of its own (and a job
    /// of 0 ms none at all).
    pub fn request(&self, ms: f64) -> Result<(), String> {
        let Some(service) = self.service else {
            return self.simulate_ms(ms).map_err(|e| e.to_string());
        };
        let admission = service.arrive(|| self.trace.elapsed_ms());
        let takes = if admission.is_ok() {
            ms
        } else {
            ms * REJECT_FRACTION
        };
        let slept = self.simulate_ms(takes);
        service.answer(&admission, || self.trace.elapsed_ms());
        slept.map_err(|e| e.to_string())?;
        admission
    }
}

/// Sleeps `ms` in short slices, giving up with [`Interrupted`] as soon as `cancelled` is set.
/// Returns the clock reading at which the sleep ended, if it slept at all.
pub(crate) fn sleep_unless(ms: f64, cancelled: &AtomicBool) -> Result<Option<f64>, Interrupted> {
    sleep_until_stopped(ms, || cancelled.load(Ordering::Acquire))
}

/// Sleeps `ms` in short slices, giving up with [`Interrupted`] as soon as `stop()` says so.
/// Returns the clock reading at which the sleep ended, if it slept at all.
pub(crate) fn sleep_until_stopped(
    ms: f64,
    stop: impl Fn() -> bool,
) -> Result<Option<f64>, Interrupted> {
    const SLICE_MS: f64 = 10.0;
    if ms <= 0.0 {
        return Ok(None);
    }
    let until = clock::now_ms() + ms;
    loop {
        if stop() {
            return Err(Interrupted);
        }
        let now = clock::now_ms();
        if now >= until {
            return Ok(Some(now));
        }
        std::thread::sleep(std::time::Duration::from_secs_f64(
            (until - now).min(SLICE_MS) / 1000.0,
        ));
    }
}
