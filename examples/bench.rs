//! Native benchmark of the doubling pool (tiny jobs), tracing off and on.
//!
//! `cargo run --release --example bench -- [jobs] [workers] [buffer]` prints one JSON line:
//! `{"jobs":…,"workers":…,"buffer":…,"tracingOff":jobs_per_s,"tracingOn":jobs_per_s}`.
//! `./build.sh bench` runs it next to the browser benchmark and records both in BENCHMARKS.md.

use poolplay::config::RunConfig;
use poolplay::doubling;
use poolplay::spawn::OsThreads;

const ROUNDS: usize = 3;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

/// The best jobs per second over a few rounds.
fn jobs_per_second(config: &RunConfig, tracing: bool) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let run = doubling::start(config, tracing, &OsThreads).expect("run starts");
            // Drain the trace every frame, as the browser's coordinator does.
            while !run.is_finished() {
                run.take_events();
                std::thread::sleep(std::time::Duration::from_millis(16));
            }
            run.take_events();
            let report = run.take_report().expect("run finished");
            assert_eq!(report.results.len(), config.jobs as usize);
            f64::from(config.jobs) / report.stats.wall_ms * 1000.0
        })
        .fold(0.0, f64::max)
}

fn main() {
    let (jobs, workers, buffer) = (arg(1, 1_000_000), arg(2, 2), arg(3, 100));
    let config = RunConfig {
        workers: workers as u16,
        jobs,
        jobs_buffer: buffer,
        results_buffer: buffer,
        work_ms: 0,
        ..RunConfig::default()
    };
    let off = jobs_per_second(&config, false);
    let on = jobs_per_second(&config, true);
    println!(
        r#"{{"jobs":{jobs},"workers":{workers},"buffer":{buffer},"tracingOff":{off:.0},"tracingOn":{on:.0}}}"#
    );
}
