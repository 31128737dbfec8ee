//! Native benchmark of the image example: the same batch with 1 worker and with 2.
//!
//! `cargo run --release --example image_bench -- [repeats] [targetWidth]` resizes the built-in
//! samples `repeats` times over (default 8; the 5000-px sample is refused each time, as in the
//! service) to JPEG thumbnails `targetWidth` wide (default 320), and prints one JSON line:
//! `{"images":…,"megapixels":…,"targetWidth":…,"oneWorker":mp_per_s,"twoWorkers":mp_per_s,
//! "speedup":…}` where megapixels are the source pixels of the images that were processed.

use poolplay::config::Field;
use poolplay::demo::imaging::batch;
use poolplay::demo::imaging::config::ImageConfig;
use poolplay::demo::imaging::samples::SAMPLE_SIZES;
use poolplay::pool::spawn::OsThreads;
use std::collections::BTreeMap;

const ROUNDS: usize = 3;

fn arg(n: usize, default: u32) -> u32 {
    std::env::args()
        .nth(n)
        .map_or(default, |a| a.parse().expect("arguments are whole numbers"))
}

fn config(repeats: u32, target_width: u32, workers: u16) -> ImageConfig {
    let sizes = (0..repeats)
        .flat_map(|_| SAMPLE_SIZES)
        .map(|(w, h)| Field::Text(format!("{w}x{h}")))
        .collect();
    let fields = BTreeMap::from([
        ("images".to_string(), Field::List(sizes)),
        (
            "targetWidth".to_string(),
            Field::Number(target_width.into()),
        ),
        ("workers".to_string(), Field::Number(workers.into())),
    ]);
    ImageConfig::from_fields(&fields, 0).expect("a valid benchmark config")
}

/// The best megapixels per second over a few rounds, and the megapixels of one batch.
fn megapixels_per_second(config: &ImageConfig) -> (f64, f64) {
    (0..ROUNDS)
        .map(|_| {
            let run = batch::start(config, Vec::new(), false, &OsThreads).expect("run starts");
            let report = run.wait_report(600_000.0).expect("the batch ends");
            assert_eq!(report.results.len(), config.images.len());
            let pixels: u64 = report
                .results
                .iter()
                .filter(|card| card.error.is_none())
                .filter_map(|card| {
                    Some(u64::from(card.source_width?) * u64::from(card.source_height?))
                })
                .sum();
            let megapixels = pixels as f64 / 1e6;
            (megapixels / report.stats.wall_ms * 1000.0, megapixels)
        })
        .fold(
            (0.0, 0.0),
            |best, round| if round.0 > best.0 { round } else { best },
        )
}

fn main() {
    let (repeats, target_width) = (arg(1, 8), arg(2, 320));
    let (one, megapixels) = megapixels_per_second(&config(repeats, target_width, 1));
    let (two, _) = megapixels_per_second(&config(repeats, target_width, 2));
    let images = repeats as usize * SAMPLE_SIZES.len();
    println!(
        r#"{{"images":{images},"megapixels":{megapixels:.1},"targetWidth":{target_width},"oneWorker":{one:.1},"twoWorkers":{two:.1},"speedup":{:.2}}}"#,
        two / one
    );
}
