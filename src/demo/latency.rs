//! One job's round trip through an idle worker's channels: what a single request to an idle pool
//! costs, natively (`examples/latency.rs`) and in the browser (the benchmark page).
//!
//! A worker waits on an empty jobs channel, long enough between jobs to have stopped spinning and
//! parked; the caller sends one job and waits for its result on the results channel: two
//! hand-offs, each waking a party that sleeps. Timed on the shared clock ([`clock::now_ms`]), the
//! same one the page's anchors read.

use crate::observe::clock;
use crate::pool::spawn::Spawn;
use crate::sync::chan::Chan;
use serde::Serialize;
use std::time::Duration;

/// The round trips' median and 99th percentile, in microseconds.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundTrips {
    /// How many round trips were timed.
    pub trips: u32,
    /// The pause before each, in microseconds.
    pub pause_us: u32,
    /// The median round trip.
    pub p50_us: f64,
    /// The 99th percentile.
    pub p99_us: f64,
}

/// Times `trips` round trips (at least one) through a worker that `spawner` starts, pausing
/// `pause_us` before each. Call it from a thread that may block (never the browser's main thread).
pub fn round_trips(trips: u32, pause_us: u32, spawner: &dyn Spawn) -> RoundTrips {
    let trips = trips.max(1);
    let (jobs, results) = (Chan::<u64>::new(1), Chan::<u64>::new(1));
    {
        let (jobs, results) = (jobs.clone(), results.clone());
        spawner.spawn(Box::new(move || {
            while let Ok(job) = jobs.recv() {
                if results.send(job * 2).is_err() {
                    return;
                }
            }
            let _ = results.close();
        }));
    }
    let mut micros = Vec::with_capacity(trips as usize);
    for job in 0..u64::from(trips) {
        std::thread::sleep(Duration::from_micros(u64::from(pause_us)));
        let start = clock::now_ms();
        jobs.send(job).expect("the worker is receiving");
        let result = results.recv().expect("the worker answers");
        micros.push((clock::now_ms() - start) * 1000.0);
        assert_eq!(result, job * 2, "the worker doubles the job");
    }
    jobs.close().expect("closed once");
    // The worker closes the results channel as it leaves: wait for it, so no thread outlives this.
    while results.recv().is_ok() {}
    micros.sort_by(f64::total_cmp);
    let quantile = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    RoundTrips {
        trips,
        pause_us,
        p50_us: quantile(0.5),
        p99_us: quantile(0.99),
    }
}
