//! Retries with exponential backoff, and the dead-letter queue of jobs that never succeeded.
//!
//! A worker runs a failing job again, up to `max_attempts` attempts in all, waiting before each new
//! attempt: `backoff_ms` after the first failure, `backoff_factor` times longer after each next one,
//! never more than `backoff_cap_ms`. With `backoff_jitter` *j* each wait is shortened by a seeded
//! share of up to *j* of it (so workers that failed together do not retry in step, yet a seed
//! gives the same waits on every run). The pool runs the loop (`crate::pool`) and records each
//! attempt and wait in the trace; this module has the policy and the schedule. A job whose last
//! attempt fails becomes a [`DeadLetter`]: every job ends either done or dead-lettered.

use crate::patterns::seeded::unit_draw;
use serde::Serialize;

/// The seeded draws of jitter use salts from here on (attempt draws of failures use the low ones).
const JITTER_SALT: u32 = 1 << 16;

/// How failed jobs are retried.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retry {
    /// Attempts per job in all, 1 (no retries) to 10.
    pub max_attempts: u32,
    /// The wait after the first failure, 0 to 10,000 ms.
    pub backoff_ms: u32,
    /// How much longer each next wait is, 1 to 10.
    pub backoff_factor: f64,
    /// The longest wait, 0 to 60,000 ms.
    pub backoff_cap_ms: u32,
    /// Up to what share a wait is shortened at random (seeded), 0 to 1.
    pub backoff_jitter: f64,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 1,
            backoff_ms: 100,
            backoff_factor: 2.0,
            backoff_cap_ms: 2_000,
            backoff_jitter: 0.0,
        }
    }
}

impl Retry {
    /// Whether failed jobs are tried again.
    pub fn retries(&self) -> bool {
        self.max_attempts > 1
    }

    /// The wait in ms after attempt `attempt` (from 1) of `job` failed, for jitter seed `seed`:
    /// `min(cap, base × factor^(attempt − 1))`, shortened by up to `jitter` of itself.
    pub fn backoff_ms(&self, seed: u32, job: u32, attempt: u32) -> f64 {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let full = (f64::from(self.backoff_ms) * self.backoff_factor.powi(exponent))
            .min(f64::from(self.backoff_cap_ms));
        if self.backoff_jitter == 0.0 {
            return full;
        }
        let draw = unit_draw(seed, job, JITTER_SALT + attempt);
        full * (1.0 - self.backoff_jitter * draw)
    }
}

/// A job that failed on every attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    /// The job's number.
    pub job: u32,
    /// How many attempts it had.
    pub attempts: u32,
    /// The error of its last attempt.
    pub error: String,
}
