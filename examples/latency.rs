//! Native latency benchmark: one job's round trip through an idle pool's channels.
//!
//! A worker thread waits on an empty jobs channel (long enough between jobs to have stopped
//! spinning and parked), the caller sends one job and waits for its result on the results
//! channel: two hand-offs, each waking a party that sleeps, which is what a single request to an
//! idle pool costs. `cargo run --release --example latency -- [trips] [pause_us]` prints one JSON
//! line: `{"trips":…,"pauseUs":…,"p50Us":…,"p99Us":…}`, microseconds.
//! `./build.sh bench` records it in BENCHMARKS.md.

use poolplay::sync::chan::Chan;
use std::thread;
use std::time::{Duration, Instant};

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

/// The value at fraction `q` of the sorted `micros`.
fn quantile(micros: &[f64], q: f64) -> f64 {
    micros[((micros.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let (trips, pause_us) = (arg(1, 2000), arg(2, 500));
    let (jobs, results) = (Chan::<u64>::new(1), Chan::<u64>::new(1));
    let worker = {
        let (jobs, results) = (jobs.clone(), results.clone());
        thread::spawn(move || {
            while let Ok(job) = jobs.recv() {
                results.send(job * 2).expect("the caller is receiving");
            }
        })
    };
    let mut micros = Vec::with_capacity(trips as usize);
    for job in 0..u64::from(trips) {
        thread::sleep(Duration::from_micros(u64::from(pause_us)));
        let start = Instant::now();
        jobs.send(job).expect("the worker is receiving");
        let result = results.recv().expect("the worker answers");
        micros.push(start.elapsed().as_secs_f64() * 1e6);
        assert_eq!(result, job * 2);
    }
    jobs.close().expect("closed once");
    worker.join().expect("worker ran");
    micros.sort_by(f64::total_cmp);
    println!(
        r#"{{"trips":{trips},"pauseUs":{pause_us},"p50Us":{:.1},"p99Us":{:.1}}}"#,
        quantile(&micros, 0.5),
        quantile(&micros, 0.99)
    );
}
