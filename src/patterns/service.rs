//! A downstream service inside the run, like the rate-limited API of the Go posts: it serves at
//! most `concurrency` requests at once and accepts at most `rate` requests in any one second; a
//! request beyond either limit is turned away with a 429.
//!
//! The service only keeps the books; the calling worker spends the time (see
//! `crate::pool::WorkCtx::request`): an admitted request takes the job's work time, a rejected one a
//! tenth of it (a refusal is quick, but still a round trip). Every moment of the run's time is
//! passed in, so the limits can be checked without a clock. The [`ServiceReport`] says how many
//! requests came and were refused, and how many were in progress over time: the concurrency the
//! callers *asked for*, which is what overruns the limit when nothing bounds it.

use crate::locks::lock;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;

/// What part of a request's time a refusal takes.
pub const REJECT_FRACTION: f64 = 0.1;

/// The window of the rate limit, in ms.
const RATE_WINDOW_MS: f64 = 1000.0;

/// The service's limits; with neither set, the jobs call no service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceLimits {
    /// The most requests in progress at once.
    #[serde(rename = "serviceConcurrency", skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// The most requests accepted in any one second.
    #[serde(rename = "serviceRate", skip_serializing_if = "Option::is_none")]
    pub rate: Option<u32>,
}

impl ServiceLimits {
    /// Whether jobs call a service at all.
    pub fn is_set(&self) -> bool {
        self.concurrency.is_some() || self.rate.is_some()
    }
}

/// The service of one run.
pub struct Service {
    limits: ServiceLimits,
    state: Mutex<Books>,
}

#[derive(Default)]
struct Books {
    /// Requests being served (admitted, not yet answered).
    admitted: u32,
    /// Requests in progress from the callers' side: admitted ones and refusals on their way back.
    outstanding: u32,
    /// When each request of the last second was accepted.
    accepted_at: VecDeque<f64>,
    requests: u32,
    rejections: u32,
    peak_admitted: u32,
    peak_concurrent: u32,
    concurrent: Vec<(f64, u32)>,
}

impl Books {
    fn note(&mut self, now_ms: f64) {
        self.peak_concurrent = self.peak_concurrent.max(self.outstanding);
        self.concurrent.push((now_ms, self.outstanding));
    }
}

/// What the service said to a request: admitted, or refused with the words of a 429.
pub type Admission = Result<(), String>;

impl Service {
    /// A service with `limits`, idle.
    pub fn new(limits: ServiceLimits) -> Self {
        Service {
            limits,
            state: Mutex::new(Books::default()),
        }
    }

    /// A request arrives; `now` gives the run's time in ms (read under the service's lock, so the
    /// books stay in time order). Admitted, or refused if either limit is reached.
    pub fn arrive(&self, now: impl FnOnce() -> f64) -> Admission {
        let mut books = lock(&self.state);
        let now_ms = now();
        books.requests += 1;
        books.outstanding += 1;
        while books
            .accepted_at
            .front()
            .is_some_and(|&t| t <= now_ms - RATE_WINDOW_MS)
        {
            books.accepted_at.pop_front();
        }
        let refusal = match self.limits {
            ServiceLimits {
                concurrency: Some(most),
                ..
            } if books.admitted >= most => Some(format!(
                "429 Too Many Requests: {most} requests already in progress (the limit is {most})"
            )),
            ServiceLimits {
                rate: Some(most), ..
            } if books.accepted_at.len() >= most as usize => Some(format!(
                "429 Too Many Requests: {most} requests accepted in the last second (the limit \
                 is {most} per second)"
            )),
            _ => None,
        };
        books.note(now_ms);
        match refusal {
            Some(words) => {
                books.rejections += 1;
                Err(words)
            }
            None => {
                books.admitted += 1;
                books.peak_admitted = books.peak_admitted.max(books.admitted);
                books.accepted_at.push_back(now_ms);
                Ok(())
            }
        }
    }

    /// The answer to a request that arrived with `admission` reaches its caller.
    pub fn answer(&self, admission: &Admission, now: impl FnOnce() -> f64) {
        let mut books = lock(&self.state);
        let now_ms = now();
        books.outstanding -= 1;
        if admission.is_ok() {
            books.admitted -= 1;
        }
        books.note(now_ms);
    }

    /// The figures so far.
    pub fn report(&self) -> ServiceReport {
        let books = lock(&self.state);
        ServiceReport {
            limits: self.limits,
            requests: books.requests,
            rejections: books.rejections,
            peak_concurrent: books.peak_concurrent,
            peak_admitted: books.peak_admitted,
            concurrent: books.concurrent.clone(),
        }
    }
}

/// What the service saw during a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceReport {
    /// Its limits (`serviceConcurrency`, `serviceRate`).
    #[serde(flatten)]
    pub limits: ServiceLimits,
    /// Requests made, attempts of retried jobs included.
    pub requests: u32,
    /// Requests refused with a 429.
    pub rejections: u32,
    /// The most requests in progress at once, from the callers' side (refusals included).
    pub peak_concurrent: u32,
    /// The most requests the service was serving at once (never above `serviceConcurrency`).
    pub peak_admitted: u32,
    /// `[t, n]`: requests in progress from the callers' side after each change.
    pub concurrent: Vec<(f64, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(concurrency: Option<u32>, rate: Option<u32>) -> Service {
        Service::new(ServiceLimits { concurrency, rate })
    }

    #[test]
    fn requests_beyond_the_concurrency_limit_are_refused_until_one_is_answered() {
        let service = limits(Some(2), None);
        let first = service.arrive(|| 0.0);
        assert_eq!(first, Ok(()));
        assert_eq!(service.arrive(|| 1.0), Ok(()));
        let refused = service.arrive(|| 2.0);
        assert!(
            refused
                .as_ref()
                .unwrap_err()
                .starts_with("429 Too Many Requests")
        );
        service.answer(&refused, || 3.0);
        service.answer(&first, || 4.0);
        assert_eq!(service.arrive(|| 5.0), Ok(()));
        let report = service.report();
        assert_eq!((report.requests, report.rejections), (4, 1));
        assert_eq!((report.peak_concurrent, report.peak_admitted), (3, 2));
        assert_eq!(
            report.concurrent,
            vec![(0.0, 1), (1.0, 2), (2.0, 3), (3.0, 2), (4.0, 1), (5.0, 2)]
        );
    }

    #[test]
    fn the_rate_limit_counts_accepted_requests_in_the_last_second() {
        let service = limits(None, Some(2));
        for t in [0.0, 100.0] {
            let admitted = service.arrive(|| t);
            assert_eq!(admitted, Ok(()));
            service.answer(&admitted, || t + 1.0);
        }
        let refused = service.arrive(|| 999.0);
        assert!(refused.unwrap_err().contains("per second"));
        assert_eq!(
            service.arrive(|| 1000.0),
            Ok(()),
            "the request at 0 left the window"
        );
        assert!(service.arrive(|| 1099.0).is_err(), "100 and 1000 are in it");
        assert_eq!(service.report().rejections, 2);
    }
}
