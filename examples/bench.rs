//! Native benchmark of the doubling pool (tiny jobs), tracing off and on, beside an anchor: a pool
//! of the same shape built on `crossbeam-channel`.
//!
//! `cargo run --release --example bench -- [jobs] [workers] [buffer] [rounds]` prints one JSON line:
//! `{"jobs":…,"workers":…,"buffer":…,"tracingOff":…,"tracingOn":…,"medianOff":…,"medianOn":…,
//! "crossbeam":…,"medianCrossbeam":…}`: the best and the median jobs/s of `rounds` runs each,
//! tracing off, tracing on and the anchor taking turns so all three see the same load.
//! `./build.sh bench` runs it next to the browser benchmark and records both in BENCHMARKS.md.

use poolplay::config::DoublingConfig;
use poolplay::demo::doubling;
use poolplay::pool::spawn::OsThreads;
use std::thread;
use std::time::Instant;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

/// Jobs per second of one run.
fn jobs_per_second(config: &DoublingConfig, tracing: bool) -> f64 {
    let run = doubling::start(config, tracing, &OsThreads).expect("run starts");
    // Empty the trace every 4 ms, as the browser's coordinator does.
    while !run.is_finished() {
        run.discard_events();
        std::thread::sleep(std::time::Duration::from_millis(4));
    }
    run.discard_events();
    let report = run.take_report().expect("run finished");
    assert_eq!(report.results.len(), config.jobs as usize);
    f64::from(config.jobs) / report.stats.wall_ms * 1000.0
}

/// Jobs per second of the anchor: the same pool on crossbeam-channel. A producer sends the job
/// numbers into a bounded jobs channel, `workers` threads double them into a bounded results
/// channel (closed when the last worker is done), and a consumer collects every result.
fn crossbeam_jobs_per_second(config: &DoublingConfig) -> f64 {
    let start = Instant::now();
    let (job_tx, job_rx) = crossbeam_channel::bounded::<u32>(config.jobs_buffer as usize);
    let (result_tx, result_rx) = crossbeam_channel::bounded::<u64>(config.results_buffer as usize);
    let jobs = config.jobs;
    let producer = thread::spawn(move || {
        for job in 1..=jobs {
            job_tx.send(job).expect("workers are receiving");
        }
    });
    let workers: Vec<_> = (0..config.workers)
        .map(|_| {
            let (jobs, results) = (job_rx.clone(), result_tx.clone());
            thread::spawn(move || {
                for job in jobs {
                    results
                        .send(u64::from(job) * 2)
                        .expect("consumer is receiving");
                }
            })
        })
        .collect();
    drop((job_rx, result_tx));
    let consumer = thread::spawn(move || result_rx.iter().collect::<Vec<_>>());
    producer.join().expect("producer ran");
    workers
        .into_iter()
        .for_each(|w| w.join().expect("worker ran"));
    let results = consumer.join().expect("consumer ran");
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(results.len(), config.jobs as usize);
    f64::from(config.jobs) / seconds
}

/// The middle of `rates` (the upper middle for an even count).
fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn main() {
    let (jobs, workers, buffer, rounds) = (arg(1, 1_000_000), arg(2, 2), arg(3, 100), arg(4, 5));
    let config = DoublingConfig {
        workers: workers as u16,
        jobs,
        jobs_buffer: buffer,
        results_buffer: buffer,
        work_ms: 0,
        ..DoublingConfig::default()
    };
    let (mut off, mut on, mut anchor) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        off.push(jobs_per_second(&config, false));
        on.push(jobs_per_second(&config, true));
        anchor.push(crossbeam_jobs_per_second(&config));
    }
    let best = |rates: &[f64]| rates.iter().copied().fold(0.0, f64::max);
    println!(
        r#"{{"jobs":{jobs},"workers":{workers},"buffer":{buffer},"tracingOff":{:.0},"tracingOn":{:.0},"medianOff":{:.0},"medianOn":{:.0},"crossbeam":{:.0},"medianCrossbeam":{:.0}}}"#,
        best(&off),
        best(&on),
        median(off),
        median(on),
        best(&anchor),
        median(anchor)
    );
}
