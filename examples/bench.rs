//! Native benchmark of the doubling pool (tiny jobs), tracing off and on.
//!
//! `cargo run --release --example bench -- [jobs] [workers] [buffer] [rounds]` prints one JSON line:
//! `{"jobs":…,"workers":…,"buffer":…,"tracingOff":jobs_per_s,"tracingOn":jobs_per_s}`, the best
//! of `rounds` runs each, tracing off and on taking turns so both see the same load.
//! `./build.sh bench` runs it next to the browser benchmark and records both in BENCHMARKS.md.

use poolplay::config::RunConfig;
use poolplay::doubling;
use poolplay::spawn::OsThreads;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

/// Jobs per second of one run.
fn jobs_per_second(config: &RunConfig, tracing: bool) -> f64 {
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

fn main() {
    let (jobs, workers, buffer, rounds) = (arg(1, 1_000_000), arg(2, 2), arg(3, 100), arg(4, 5));
    let config = RunConfig {
        workers: workers as u16,
        jobs,
        jobs_buffer: buffer,
        results_buffer: buffer,
        work_ms: 0,
        ..RunConfig::default()
    };
    let (mut off, mut on) = (0.0, 0.0);
    for _ in 0..rounds {
        off = f64::max(off, jobs_per_second(&config, false));
        on = f64::max(on, jobs_per_second(&config, true));
    }
    println!(
        r#"{{"jobs":{jobs},"workers":{workers},"buffer":{buffer},"tracingOff":{off:.0},"tracingOn":{on:.0}}}"#
    );
}
