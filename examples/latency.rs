//! Native latency benchmark: one job's round trip through an idle pool's channels
//! ([`poolplay::demo::latency`]; the benchmark page times the same in the browser).
//!
//! `cargo run --release --example latency -- [trips] [pause_us]` prints one JSON line:
//! `{"trips":…,"pauseUs":…,"p50Us":…,"p99Us":…}`, microseconds.
//! `./build.sh bench` records it in BENCHMARKS.md.

use poolplay::demo::latency::round_trips;
use poolplay::pool::spawn::OsThreads;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

fn main() {
    let f = round_trips(arg(1, 2000), arg(2, 500), &OsThreads);
    println!(
        r#"{{"trips":{},"pauseUs":{},"p50Us":{:.1},"p99Us":{:.1}}}"#,
        f.trips, f.pause_us, f.p50_us, f.p99_us
    );
}
