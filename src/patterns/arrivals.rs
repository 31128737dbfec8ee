//! When the producer sends each job: a burst, then a quiet period, then a steady trickle.
//!
//! By default every job is sent as fast as the jobs channel takes it. With `burst_jobs` *b*, jobs 1
//! to *b* go at once; the producer then sleeps `quiet_ms` before the next job, and `tail_gap_ms`
//! before each job after that. An autoscaling pool shows its growth in the burst and its
//! shrinking in the quiet period. The producer's sleeps end early when the run shuts down.

use serde::Serialize;

/// The producer's pacing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Arrivals {
    /// Jobs sent at once at the start; `None`: all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst_jobs: Option<u32>,
    /// The pause after the burst, in ms.
    pub quiet_ms: u32,
    /// The pause before each job after the first one that follows the burst, in ms.
    pub tail_gap_ms: u32,
}

impl Arrivals {
    /// How long the producer waits before sending job `job` (from 1), in ms.
    pub fn pause_before_ms(&self, job: u32) -> f64 {
        match self.burst_jobs {
            Some(burst) if job == burst + 1 => f64::from(self.quiet_ms),
            Some(burst) if job > burst + 1 => f64::from(self.tail_gap_ms),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_goes_at_once_then_the_quiet_period_then_the_trickle() {
        let arrivals = Arrivals {
            burst_jobs: Some(3),
            quiet_ms: 1_000,
            tail_gap_ms: 50,
        };
        let pauses: Vec<f64> = (1..=6).map(|job| arrivals.pause_before_ms(job)).collect();
        assert_eq!(pauses, [0.0, 0.0, 0.0, 1_000.0, 50.0, 50.0]);
        let all_at_once = Arrivals {
            quiet_ms: 1_000,
            ..Arrivals::default()
        };
        assert_eq!(all_at_once.pause_before_ms(5), 0.0);
    }
}
