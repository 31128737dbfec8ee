//! Native benchmark of the doubling pool (tiny jobs), tracing off and on.
//!
//! `cargo run --release --example bench -- [jobs] [workers] [buffer] [rounds]` prints one JSON line:
//! `{"jobs":…,"workers":…,"buffer":…,"tracingOff":…,"tracingOn":…,"medianOff":…,"medianOn":…}`:
//! the best and the median jobs/s of `rounds` runs each, tracing off and on taking turns so both
//! see the same load.
//! `./build.sh bench` runs it next to the browser benchmark and records both in BENCHMARKS.md.

use poolplay::config::DoublingConfig;
use poolplay::demo::doubling;
use poolplay::pool::spawn::OsThreads;

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
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        off.push(jobs_per_second(&config, false));
        on.push(jobs_per_second(&config, true));
    }
    let best = |rates: &[f64]| rates.iter().copied().fold(0.0, f64::max);
    println!(
        r#"{{"jobs":{jobs},"workers":{workers},"buffer":{buffer},"tracingOff":{:.0},"tracingOn":{:.0},"medianOff":{:.0},"medianOn":{:.0}}}"#,
        best(&off),
        best(&on),
        median(off),
        median(on)
    );
}
