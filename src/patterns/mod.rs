//! The production patterns' policies, state and reports, each on its own: a downstream
//! [`service`] with limits, [`retry`] with backoff, an autoscaler's rules and roster
//! ([`scaling`]), the producer's pacing ([`arrivals`]), and the [`seeded`] draws they share.
//!
//! Nothing here knows about channels, pools or the page's field names: the pool (`crate::pool`)
//! runs these rules at its seams, and `crate::config` turns the page's fields into them.

pub mod arrivals;
pub mod retry;
pub mod scaling;
pub mod seeded;
pub mod service;

use arrivals::Arrivals;
use retry::Retry;
use scaling::{Roster, Scaling};
use service::{Service, ServiceLimits};

/// The patterns a pool runs with, as its config holds them. (An autoscaling pool's rules are its
/// staffing, `crate::pool::Staffing::Autoscale`, since they decide who takes the jobs.)
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Patterns {
    /// How failed jobs are retried.
    pub retry: Retry,
    /// The seed of the retries' jitter.
    pub seed: u32,
    /// The limits of the service the work calls, if it calls one.
    pub service: Option<ServiceLimits>,
    /// When the producer sends each job.
    pub arrivals: Arrivals,
}

/// The patterns' state in one run: what they count and keep while it goes on.
pub struct PatternState {
    /// The run's service, when the work calls one.
    pub service: Option<Service>,
    /// An autoscaling pool's workers.
    pub roster: Option<Roster>,
}

impl PatternState {
    /// The state of a run with `patterns`, autoscaled by `scaling` if it is.
    pub fn new(patterns: &Patterns, scaling: Option<Scaling>) -> Self {
        PatternState {
            service: patterns.service.map(Service::new),
            roster: scaling.map(Roster::new),
        }
    }
}
