//! The examples built on the pool: the Go posts' [`doubling`] jobs (with everything the page can
//! set: scenarios, mistakes, production patterns) and, with the `imaging` feature, real image
//! processing ([`imaging`]); [`latency`] times one job's round trip through an idle worker.

pub mod doubling;
#[cfg(feature = "imaging")]
pub mod imaging;
pub mod latency;
