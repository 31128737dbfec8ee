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
