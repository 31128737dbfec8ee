//! The image example: thumbnails of the right size and pixels, the service's limits checked before
//! anything is decoded, bad files failing alone, and tiles that cover the picture exactly once.
#![cfg(all(not(target_arch = "wasm32"), feature = "imaging"))]

use poolplay::config::Field;
use poolplay::demo::imaging::batch::{self, ImageCard};
use poolplay::demo::imaging::config::ImageConfig;
use poolplay::demo::imaging::process::{self, Checks, Format};
use poolplay::demo::imaging::tiles::{self, CannotStart, Grid};
use poolplay::demo::imaging::{UserFile, samples};
use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{EventKind, Outcome};
use poolplay::pool::spawn::OsThreads;
use std::collections::BTreeMap;

mod support;
use support::finish;

fn config(pairs: &[(&str, Field)], files: usize) -> Result<ImageConfig, String> {
    let fields: BTreeMap<String, Field> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    ImageConfig::from_fields(&fields, files).map_err(|e| e.to_string())
}

fn text(s: &str) -> Field {
    Field::Text(s.to_string())
}

/// `[width, height]`.
fn pair(width: u32, height: u32) -> Field {
    Field::List(vec![
        Field::Number(width.into()),
        Field::Number(height.into()),
    ])
}

/// `{ name: number, … }`.
fn object(members: &[(&str, u32)]) -> Field {
    Field::Object(
        members
            .iter()
            .map(|&(name, n)| (name.to_string(), Field::Number(n.into())))
            .collect(),
    )
}

fn sizes(list: &[&str]) -> Field {
    Field::List(list.iter().map(|s| text(s)).collect())
}

fn file(name: &str, bytes: Vec<u8>) -> UserFile {
    UserFile {
        name: name.to_string(),
        bytes,
    }
}

/// A sample encoded as a file, the way a reader's photo arrives.
fn encoded_sample(width: u32, height: u32, format: Format) -> Vec<u8> {
    process::encode(&samples::generate(width, height), format, 90).unwrap()
}

/// FNV-1a over the bytes: a short fingerprint of a picture's pixels.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

const BUDGET: Checks = Checks {
    max_megapixels: 12,
    max_width: Some(process::MAX_WIDTH),
};

#[test]
fn a_thumbnail_has_the_target_width_and_the_source_aspect_ratio() {
    assert_eq!(process::fit_width(1920, 1080, 320), (320, 180));
    assert_eq!(process::fit_width(800, 600, 320), (320, 240));
    assert_eq!(
        process::fit_width(1000, 333, 320),
        (320, 107),
        "106.56 rounds"
    );
    assert_eq!(
        process::fit_width(100, 50, 320),
        (100, 50),
        "never enlarged"
    );
    assert_eq!(
        process::fit_width(4000, 2, 16),
        (16, 1),
        "at least a pixel high"
    );
    let thumbnail = process::resize(&samples::generate(600, 400), 320, 213);
    assert_eq!(thumbnail.dimensions(), (320, 213));
}

#[test]
fn samples_are_drawn_the_same_every_time_and_resize_to_pinned_pixels() {
    let sample = samples::generate(800, 600);
    assert_eq!(sample, samples::generate(800, 600));
    assert_eq!(fnv1a(sample.as_raw()), 10_949_744_638_190_598_065);
    let thumbnail = process::resize(&sample, 320, 240);
    assert_eq!(fnv1a(thumbnail.as_raw()), 1_203_018_813_757_470_235);
}

#[test]
fn the_resize_filter_is_lanczos3_flat_areas_stay_flat_and_hard_edges_ring() {
    let flat = image::RgbImage::from_pixel(90, 30, image::Rgb([70, 140, 210]));
    assert!(
        process::resize(&flat, 30, 10)
            .pixels()
            .all(|p| p.0 == [70, 140, 210])
    );
    // A step from 64 to 192: Lanczos3's negative lobes overshoot on both sides of the edge, which
    // a box or triangle filter never does.
    let step =
        image::RgbImage::from_fn(64, 4, |x, _| image::Rgb([if x < 32 { 64 } else { 192 }; 3]));
    let row: Vec<u8> = process::resize(&step, 32, 2)
        .rows()
        .next()
        .unwrap()
        .map(|p| p[0])
        .collect();
    assert!(
        row.iter().any(|&v| v < 64),
        "undershoot before the edge: {row:?}"
    );
    assert!(
        row.iter().any(|&v| v > 192),
        "overshoot after the edge: {row:?}"
    );
    assert_eq!(
        (row[0], row[31]),
        (64, 192),
        "far from the edge, the levels are kept"
    );
}

#[test]
fn an_image_wider_than_4000px_fails_with_the_service_message() {
    assert_eq!(
        BUDGET.check(5000, 3000),
        Err("image too large: max width is 4000px".to_string())
    );
    assert_eq!(BUDGET.check(4000, 3000), Ok(()));
    let wide = encoded_sample(4001, 2, Format::Png);
    assert_eq!(
        process::decode(&wide, &BUDGET),
        Err("image too large: max width is 4000px".to_string())
    );
}

#[test]
fn the_pixel_budget_is_checked_from_the_header_before_anything_is_decoded() {
    let budget = Checks {
        max_megapixels: 1,
        max_width: Some(process::MAX_WIDTH),
    };
    let over = "image over the pixel budget: 1100×1000 is 1.1 megapixels, more than 1; nothing \
                decoded";
    let blank = image::RgbImage::new(1100, 1000);
    let png = process::encode(&blank, Format::Png, 90).unwrap();
    assert_eq!(process::decode(&png, &budget), Err(over.to_string()));
    // Only the header is left: with the budget exceeded the answer is the same, so no pixel data
    // was read; within the budget, decoding is attempted and fails on the missing data.
    let header_only = &png[..64];
    assert_eq!(process::decode(header_only, &budget), Err(over.to_string()));
    let tried = process::decode(header_only, &BUDGET).unwrap_err();
    assert!(tried.starts_with("could not decode"), "{tried}");
    // The same for JPEG.
    let jpeg = process::encode(&blank, Format::Jpeg, 90).unwrap();
    assert_eq!(
        process::decode(&jpeg[..1024], &budget),
        Err(over.to_string())
    );
}

#[test]
fn files_that_are_not_images_or_are_cut_short_get_a_clear_error() {
    assert_eq!(
        process::decode(b"just some notes\n", &BUDGET),
        Err("not an image: the file is neither a JPEG nor a PNG".to_string())
    );
    assert_eq!(
        process::decode(b"", &BUDGET),
        Err("not an image: the file is neither a JPEG nor a PNG".to_string())
    );
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert!(
        process::decode(gif, &BUDGET)
            .unwrap_err()
            .starts_with("not an image")
    );
    let png = encoded_sample(64, 48, Format::Png);
    let cut = process::decode(&png[..png.len() / 2], &BUDGET).unwrap_err();
    assert!(cut.starts_with("could not decode"), "{cut}");
    let signature_only = process::decode(&png[..8], &BUDGET).unwrap_err();
    assert!(
        signature_only.starts_with("not a readable image"),
        "{signature_only}"
    );
}

#[test]
fn decoded_files_keep_their_pixels_and_transparency_is_laid_over_white() {
    let sample = samples::generate(64, 48);
    let png = process::encode(&sample, Format::Png, 100).unwrap();
    assert_eq!(process::decode(&png, &BUDGET), Ok(sample));
    let mut transparent = Vec::new();
    image::RgbaImage::from_pixel(3, 2, image::Rgba([10, 200, 30, 0]))
        .write_to(
            &mut std::io::Cursor::new(&mut transparent),
            image::ImageFormat::Png,
        )
        .unwrap();
    let decoded = process::decode(&transparent, &BUDGET).unwrap();
    assert!(decoded.pixels().all(|p| p.0 == [255, 255, 255]));
}

fn result<'a>(cards: &'a [ImageCard], image: &str) -> &'a ImageCard {
    cards
        .iter()
        .find(|c| c.image == image)
        .unwrap_or_else(|| panic!("no result for {image}"))
}

#[test]
fn a_bad_file_fails_on_its_own_card_and_the_rest_of_the_batch_completes() {
    let config = config(
        &[
            ("images", sizes(&["640x480", "5000x3000"])),
            ("targetWidth", Field::Number(64.0)),
            ("workers", Field::Number(2.0)),
        ],
        4,
    )
    .unwrap();
    let png = encoded_sample(300, 200, Format::Png);
    let truncated = png[..png.len() / 3].to_vec();
    let files = vec![
        file("photo.jpg", encoded_sample(200, 400, Format::Jpeg)),
        file("notes.txt", b"not a picture".to_vec()),
        file("cut.png", truncated),
        file("drawing.png", png),
    ];
    let run = batch::start(&config, files, true, &OsThreads).unwrap();
    let (report, _) = finish(&run);
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(report.results.len(), 6);
    assert_eq!(report.accounting.done, vec![1, 3, 6]);
    assert_eq!(report.accounting.failed, vec![2, 4, 5]);

    let errors: Vec<(&str, &str)> = report
        .results
        .iter()
        .filter_map(|c| Some((c.image.as_str(), c.error.as_deref()?)))
        .collect();
    assert_eq!(errors.len(), 3);
    assert_eq!(
        result(&report.results, "sample-5000x3000").error.as_deref(),
        Some("image too large: max width is 4000px")
    );
    assert_eq!(
        result(&report.results, "notes.txt").error.as_deref(),
        Some("not an image: the file is neither a JPEG nor a PNG")
    );
    let cut = result(&report.results, "cut.png").error.as_deref().unwrap();
    assert!(cut.starts_with("could not decode"), "{cut}");

    for (name, size, bytes_in) in [
        ("sample-640x480", (64, 48), 640 * 480 * 3),
        ("photo.jpg", (64, 128), 0),
        ("drawing.png", (64, 43), 0),
    ] {
        let card = result(&report.results, name);
        let thumbnail = card.thumbnail.as_ref().expect(name);
        assert_eq!((card.width, card.height), size, "{name}");
        assert_eq!(&thumbnail[..3], &[0xFF, 0xD8, 0xFF], "{name} is a JPEG");
        assert_eq!(card.bytes_out, thumbnail.len() as u64);
        let stages = &card.stages;
        assert!(card.ms >= stages.resize.unwrap() + stages.encode.unwrap());
        if bytes_in > 0 {
            assert_eq!(card.bytes_in, bytes_in);
            assert!(stages.generate.is_some() && stages.decode.is_none());
        } else {
            assert!(stages.decode.is_some() && stages.generate.is_none());
        }
    }
    assert_eq!(result(&report.results, "notes.txt").bytes_in, 13);
}

#[test]
fn a_failed_image_keeps_every_field_of_its_card_with_no_output() {
    let config = config(
        &[
            ("images", sizes(&["5000x3000"])),
            ("fetchMs", Field::Number(20.0)),
            ("workers", Field::Number(2.0)),
        ],
        2,
    )
    .unwrap();
    let wide = encoded_sample(4100, 20, Format::Png);
    let files = vec![
        file("wide.png", wide),
        file("notes.txt", b"not a picture".to_vec()),
    ];
    let run = batch::start(&config, files, true, &OsThreads).unwrap();
    let (report, _) = finish(&run);
    assert_eq!(report.accounting.failed, vec![1, 2, 3]);
    for (name, source) in [
        ("sample-5000x3000", Some((5000, 3000))),
        ("wide.png", Some((4100, 20))),
        ("notes.txt", None),
    ] {
        let card = result(&report.results, name);
        assert!(card.error.is_some(), "{name}");
        assert_eq!(
            (card.width, card.height, card.bytes_out),
            (0, 0, 0),
            "{name}"
        );
        assert!(card.thumbnail.is_none(), "{name}");
        assert_eq!(
            card.source_width.zip(card.source_height),
            source,
            "{name}: the size is known once the header is read"
        );
        let fetched = card.stages.fetch.expect("fetched before failing");
        assert!(fetched >= 19.0 && card.ms >= fetched, "{name}: {card:?}");
        assert!(card.stages.resize.is_none() && card.stages.encode.is_none());
    }
    assert_eq!(
        result(&report.results, "wide.png").error.as_deref(),
        Some("image too large: max width is 4000px")
    );
}

#[test]
fn a_batch_through_the_pool_returns_one_result_per_image_from_the_worker_that_did_it() {
    let config = config(
        &[
            ("images", text("samples")),
            ("targetWidth", Field::Number(32.0)),
            ("workers", Field::Number(3.0)),
            ("format", text("png")),
            ("fetchMs", Field::Number(30.0)),
            ("maxMegapixels", Field::Number(1.0)),
        ],
        0,
    )
    .unwrap();
    let run = batch::start(&config, Vec::new(), true, &OsThreads).unwrap();
    let names: Vec<String> = run.plan().batch.iter().map(|p| p.image.clone()).collect();
    let expected: Vec<String> = samples::SAMPLE_SIZES
        .iter()
        .map(|&(w, h)| samples::name(w, h))
        .collect();
    assert_eq!(names, expected);
    let (report, events) = finish(&run);
    assert_eq!(report.outcome, Outcome::Completed);

    let mut jobs: Vec<u32> = report.results.iter().map(|c| c.job).collect();
    jobs.sort_unstable();
    assert_eq!(jobs, (1..=8).collect::<Vec<_>>(), "one result per image");
    let arrivals: Vec<u32> = report.results.iter().map(|c| c.arrival).collect();
    assert_eq!(arrivals, (1..=8).collect::<Vec<_>>(), "in arrival order");
    for card in &report.results {
        assert_eq!(card.image, expected[card.job as usize - 1]);
        let started_by = events.iter().find_map(|e| match e.kind {
            EventKind::Started { job } if job == card.job => Some(e.actor),
            _ => None,
        });
        assert_eq!(
            started_by,
            Some(Actor::Worker(card.worker)),
            "{}",
            card.image
        );
    }
    let mut workers: Vec<u16> = report.results.iter().map(|c| c.worker).collect();
    workers.sort_unstable();
    workers.dedup();
    assert_eq!(
        workers,
        vec![1, 2, 3],
        "each job waits 30 ms, so all three take some"
    );

    // One sample is too wide, three are over the 1-megapixel budget; the rest are thumbnails.
    let failed: Vec<(&str, &str)> = report
        .results
        .iter()
        .filter_map(|c| Some((c.image.as_str(), c.error.as_deref()?)))
        .collect();
    assert_eq!(failed.len(), 4, "{failed:?}");
    assert!(failed.contains(&("sample-5000x3000", "image too large: max width is 4000px")));
    assert!(failed.contains(&(
        "sample-3840x2160",
        "image over the pixel budget: 3840×2160 is 8.3 megapixels, more than 1; nothing decoded"
    )));
    for card in report.results.iter().filter(|c| c.error.is_none()) {
        let thumbnail = card.thumbnail.as_ref().unwrap();
        assert_eq!(card.width, 32);
        assert_eq!(&thumbnail[1..4], b"PNG");
        assert!(card.stages.fetch.unwrap() >= 29.0);
    }
}

#[test]
fn cards_taken_during_a_run_are_each_delivery_once_in_the_reports_order() {
    let config = config(
        &[
            (
                "images",
                sizes(&["320x200", "4100x10", "200x320", "640x480", "100x100"]),
            ),
            ("targetWidth", Field::Number(32.0)),
            ("fetchMs", Field::Number(15.0)),
            ("workers", Field::Number(2.0)),
        ],
        0,
    )
    .unwrap();
    let run = batch::start(&config, Vec::new(), true, &OsThreads).unwrap();
    let mut taken = Vec::new();
    while !run.is_finished() {
        taken.extend(run.take_cards());
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    taken.extend(run.take_cards());
    let report = run.take_report().expect("finished");
    assert!(taken.len() <= 5);
    assert_eq!(taken, report.results[..taken.len()], "{taken:?}");
}

#[test]
fn image_fields_are_checked_and_named_like_the_pools() {
    let defaults = config(&[], 0).unwrap();
    assert_eq!(defaults.images.len(), 8, "the samples by default");
    assert_eq!(
        (defaults.target_width, defaults.format),
        (320, Format::Jpeg)
    );
    assert!(config(&[], 2).unwrap().images.is_empty(), "only the files");
    assert_eq!(
        config(&[("targetWidth", Field::Number(8.0))], 0).unwrap_err(),
        "targetWidth must be a whole number from 16 to 1024, but got 8"
    );
    assert_eq!(
        config(&[("workers", Field::Number(0.0))], 0).unwrap_err(),
        "workers must be a whole number from 1 to 16, but got 0",
        "the pool's fields read as in the doubling example"
    );
    assert_eq!(
        config(&[("images", sizes(&["1920x1080", "big"]))], 0).unwrap_err(),
        "images[1] must be a size such as \"1920x1080\", [1920, 1080] or { width: 1920, height: \
         1080 }, each side from 1 to 20000, but got \"big\""
    );
    let listed: Vec<String> = config(
        &[(
            "images",
            Field::List(vec![
                pair(640, 480),
                text("800×600"),
                object(&[("height", 300), ("width", 400)]),
            ]),
        )],
        0,
    )
    .unwrap()
    .images
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(listed, ["640x480", "800x600", "400x300"]);
    for (bad, shown) in [
        (object(&[("width", 400)]), "an object"),
        (
            object(&[("width", 400), ("height", 300), ("depth", 3)]),
            "an object",
        ),
        (object(&[("width", 0), ("height", 300)]), "an object"),
        (pair(400, 30_000), "a list"),
    ] {
        let error = config(&[("images", Field::List(vec![bad]))], 0).unwrap_err();
        assert!(
            error.starts_with("images[0] must be a size such as"),
            "{error}"
        );
        assert!(error.ends_with(&format!("but got {shown}")), "{error}");
    }
    assert_eq!(
        config(&[("format", text("gif"))], 0).unwrap_err(),
        "format must be one of \"jpeg\", \"png\", but got \"gif\""
    );
    assert_eq!(
        config(&[("example", text("video"))], 0).unwrap_err(),
        "example must be one of \"image\", but got \"video\""
    );
    assert!(
        config(&[("jobs", Field::Number(3.0))], 0)
            .unwrap_err()
            .starts_with("unknown config field \"jobs\" for the image example")
    );
    assert_eq!(
        config(&[("images", Field::List(Vec::new()))], 0).unwrap_err(),
        "a batch must have from 1 to 100 images (sizes and files together), but got 0"
    );
    assert_eq!(
        config(&[("mode", text("tiles")), ("images", text("samples"))], 0).unwrap_err(),
        "tile mode cuts one image (one size or one file), but got 8"
    );
}

/// How many times each pixel of a `width` × `height` picture is covered by `rects`.
fn coverage(width: u32, height: u32, rects: impl Iterator<Item = (u32, u32, u32, u32)>) -> Vec<u8> {
    let mut covered = vec![0u8; (width * height) as usize];
    for (x, y, w, h) in rects {
        for row in y..y + h {
            for column in x..x + w {
                covered[(row * width + column) as usize] += 1;
            }
        }
    }
    covered
}

#[test]
fn tiles_cover_the_image_and_the_preview_exactly_once() {
    for (size, tile, target) in [
        ((1920, 1080), 256, 320),
        ((1000, 700), 64, 1000),
        ((640, 480), 640, 100),
        ((4999, 37), 100, 1024),
    ] {
        let grid = Grid::new("test".into(), size, tile, target);
        assert_eq!(grid.tiles.len() as u32, grid.columns * grid.rows);
        let source = coverage(
            grid.width,
            grid.height,
            grid.tiles.iter().map(|t| (t.x, t.y, t.width, t.height)),
        );
        assert!(source.iter().all(|&n| n == 1), "{size:?} by {tile}");
        let preview = coverage(
            grid.out_width,
            grid.out_height,
            grid.tiles
                .iter()
                .map(|t| (t.out_x, t.out_y, t.out_width, t.out_height)),
        );
        assert!(
            preview.iter().all(|&n| n == 1),
            "preview of {size:?} by {tile}"
        );
    }
}

#[test]
fn a_tile_run_delivers_every_tile_once_with_its_pixels_and_completion_order() {
    let config = config(
        &[
            ("mode", text("tiles")),
            ("images", sizes(&["1000x600"])),
            ("tileSize", Field::Number(200.0)),
            ("targetWidth", Field::Number(500.0)),
            ("workers", Field::Number(3.0)),
        ],
        0,
    )
    .unwrap();
    let run = tiles::start(&config, Vec::new(), true, &OsThreads).unwrap();
    let grid = run.plan().clone();
    assert_eq!((grid.columns, grid.rows), (5, 3));
    assert_eq!((grid.out_width, grid.out_height), (500, 300));
    let (report, _) = finish(&run);
    assert_eq!(report.outcome, Outcome::Completed);
    let mut tiles: Vec<u32> = report.results.iter().map(|c| c.tile).collect();
    tiles.sort_unstable();
    assert_eq!(tiles, (1..=15).collect::<Vec<_>>());
    for (card, arrival) in report.results.iter().zip(1..) {
        assert_eq!(card.arrival, arrival);
        assert_eq!(card.place, grid.tiles[card.tile as usize - 1]);
        assert!((1..=3).contains(&card.worker));
        let output = card.output.as_ref().expect("no tile fails");
        assert_eq!(
            output.rgba.len() as u32,
            card.place.out_width * card.place.out_height * 4
        );
        assert!(output.rgba.chunks(4).all(|p| p[3] == 255));
    }
}

#[test]
fn tile_mode_refuses_a_file_it_cannot_read_before_queueing_any_tile() {
    let config = config(&[("mode", text("tiles"))], 1).unwrap();
    let files = vec![file("notes.txt", b"hello".to_vec())];
    let refused = tiles::start(&config, files, false, &OsThreads).err();
    assert_eq!(
        refused,
        Some(CannotStart::Image(
            "notes.txt: not an image: the file is neither a JPEG nor a PNG".to_string()
        ))
    );
}

#[test]
fn the_memory_gate_makes_a_job_wait_until_another_gives_its_bytes_back() {
    use poolplay::demo::imaging::memory::MemoryGate;
    use std::sync::Arc;
    let gate = Arc::new(MemoryGate::new(100));
    let never = || false;
    let (first, waited) = gate.reserve(70, never).unwrap();
    assert!(!waited);
    assert_eq!(gate.in_use(), 70);
    let second = {
        let gate = Arc::clone(&gate);
        std::thread::spawn(move || {
            let (held, waited) = gate.reserve(40, || false).unwrap();
            assert!(waited, "70 + 40 does not fit in 100");
            assert_eq!(gate.in_use(), 40);
            drop(held);
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(gate.in_use(), 70, "the second job is still waiting");
    drop(first);
    second.join().unwrap();
    assert_eq!(gate.in_use(), 0);
    let (whole, waited) = gate.reserve(1_000, never).unwrap();
    assert!(!waited, "a job larger than the gate gets all of it");
    assert_eq!(gate.in_use(), 100);
    assert!(
        gate.reserve(1, || true).is_err(),
        "a cancelled run stops waiting"
    );
    drop(whole);
}

#[test]
fn a_file_reserves_what_decoding_it_holds_before_any_pixel_is_decoded() {
    let mut transparent = Vec::new();
    image::RgbaImage::new(30, 20)
        .write_to(
            &mut std::io::Cursor::new(&mut transparent),
            image::ImageFormat::Png,
        )
        .unwrap();
    let opened = process::open(&transparent, &BUDGET).unwrap();
    assert_eq!((opened.width, opened.height), (30, 20));
    assert_eq!(
        opened.decoding_bytes(),
        30 * 20 * 4 + 30 * 20 * 3,
        "RGBA, then RGB"
    );
    assert_eq!(opened.decode().unwrap().dimensions(), (30, 20));
}

#[test]
fn image_problems_are_listed_by_their_labels() {
    let fields = |pairs: &[(&str, Field)]| -> BTreeMap<String, Field> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    let problems = ImageConfig::problems(
        &fields(&[
            ("targetWidth", Field::Number(8.0)),
            ("jobs", Field::Number(3.0)),
        ]),
        0,
    );
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "\"jobs\" is not a setting",
            "Thumbnail width (px) must be a whole number from 16 to 1024, but got 8"
        ]
    );
    let no_sizes = fields(&[("images", Field::List(Vec::new()))]);
    assert!(
        ImageConfig::problems(&no_sizes, 2).is_empty(),
        "the reader's files make the batch"
    );
    let empty = ImageConfig::problems(&no_sizes, 0);
    assert_eq!(empty.len(), 1);
    assert_eq!(
        (empty[0].field.as_str(), empty[0].label.as_str()),
        ("images", "Images")
    );
    assert_eq!(
        empty[0].message,
        "a batch must have from 1 to 100 images (sizes and files together), but got 0"
    );
}
