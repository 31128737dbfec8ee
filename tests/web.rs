//! The pool on real threads in a browser: a dedicated worker drives, rayon's Web Workers run the
//! actors. Run with `wasm-pack test --headless --chrome` (or `./build.sh test`).
#![cfg(target_arch = "wasm32")]

use poolplay::config::DoublingConfig;
use poolplay::demo::doubling;
use poolplay::observe::trace::pack;
use poolplay::observe::trace::{EventKind, Outcome};
use poolplay::wasm::{
    DoublingRunHandle, WebWorkers, check_config, init_thread_pool, packed_to_js, pool_threads,
    start_doubling, threads_needed,
};
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// A run that records nothing new for this long is hung (a bug): the test cancels it and fails.
/// Only a run that stops making progress trips it, never a slow machine: runs here record events
/// every few milliseconds of work.
const STALL_MS: f64 = 60_000.0;

static POOL_READY: AtomicBool = AtomicBool::new(false);

/// Starts the thread pool once for the whole test binary.
async fn thread_pool() {
    if !POOL_READY.load(Ordering::SeqCst) {
        JsFuture::from(init_thread_pool(threads_needed()))
            .await
            .expect("initThreadPool");
        POOL_READY.store(true, Ordering::SeqCst);
    }
}

fn js_config(source: &str) -> JsValue {
    js_sys::JSON::parse(source).expect("valid JSON")
}

/// Polls a run as the coordinator does until `is_finished`. `poll` takes what the run produced
/// since the last call and says how much that was. A run that produces nothing for [`STALL_MS`] is
/// cancelled and waited for before the test fails, so a failing test never leaves a run holding
/// threads that the next test needs.
fn wait_finished(
    is_finished: impl Fn() -> bool,
    mut poll: impl FnMut() -> usize,
    cancel: impl Fn(),
) {
    let now = poolplay::observe::clock::now_ms;
    let mut quiet_since = now();
    while !is_finished() {
        if poll() > 0 {
            quiet_since = now();
        } else if now() - quiet_since > STALL_MS {
            cancel();
            let cancelled_at = now();
            while !is_finished() && now() - cancelled_at < STALL_MS {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            panic!(
                "the run recorded nothing for {} s, so it was cancelled (finished since: {})",
                STALL_MS / 1000.0,
                is_finished()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Runs a handle to its end (see [`wait_finished`]) and returns its report.
fn finish(handle: &DoublingRunHandle) -> JsValue {
    wait_finished(
        || handle.is_finished(),
        || js_sys::Array::from(&handle.take_events().expect("events convert")).length() as usize,
        || handle.cancel(),
    );
    handle.take_report().expect("report converts")
}

fn get(object: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(object.clone(), |value, key| {
        js_sys::Reflect::get(&value, &(*key).into()).unwrap()
    })
}

#[wasm_bindgen_test]
async fn the_pool_has_a_thread_for_every_actor_of_the_largest_run() {
    thread_pool().await;
    assert_eq!(pool_threads(), threads_needed());
    // 16 workers, producer, closer, consumer, and the timer of a run with a deadline.
    assert_eq!(threads_needed(), 16 + 4);
}

#[wasm_bindgen_test]
async fn doubling_runs_on_worker_threads_with_every_job_once() {
    thread_pool().await;
    let handle = start_doubling(js_config(
        r#"{"workers": 4, "jobs": 200, "jobsBuffer": 0, "resultsBuffer": 3, "workMs": 0}"#,
    ))
    .expect("valid config");
    let report = finish(&handle);
    assert_eq!(get(&report, &["outcome"]), "completed");
    let results = js_sys::Array::from(&get(&report, &["results"]));
    let mut jobs: Vec<u32> = results
        .iter()
        .map(|r| {
            let job = get(&r, &["job"]).as_f64().unwrap() as u32;
            assert_eq!(get(&r, &["value"]).as_f64().unwrap() as u32, job * 2);
            job
        })
        .collect();
    jobs.sort_unstable();
    assert_eq!(jobs, (1..=200).collect::<Vec<_>>());
    assert_eq!(get(&report, &["stats", "threads"]).as_f64(), Some(7.0));
    assert_eq!(get(&report, &["config", "workers"]).as_f64(), Some(4.0));
}

#[wasm_bindgen_test]
async fn every_worker_gets_work_when_jobs_take_time() {
    thread_pool().await;
    let config = DoublingConfig {
        workers: 4,
        jobs: 16,
        jobs_buffer: 4,
        results_buffer: 4,
        work_ms: 20,
        ..DoublingConfig::default()
    };
    let run = doubling::start(&config, true, &WebWorkers::new()).unwrap();
    let mut events = Vec::new();
    wait_finished(
        || run.is_finished(),
        || {
            let fresh = run.take_events();
            let count = fresh.len();
            events.extend(fresh);
            count
        },
        || run.cancel(),
    );
    events.extend(run.take_events());
    let report = run.take_report().expect("finished");
    assert_eq!(report.outcome, Outcome::Completed);
    let mut workers: Vec<u16> = report.results.iter().map(|d| d.worker).collect();
    workers.sort_unstable();
    workers.dedup();
    assert_eq!(
        workers,
        vec![1, 2, 3, 4],
        "16 jobs of 20 ms spread over all four workers"
    );
    // Jobs overlapped in time: run one after another, no two would ever be in flight at once.
    let peak = events
        .iter()
        .scan(0i32, |in_flight, event| {
            match event.kind {
                EventKind::Started { .. } => *in_flight += 1,
                EventKind::Finished { .. } => *in_flight -= 1,
                _ => {}
            }
            Some(*in_flight)
        })
        .max();
    assert!(peak >= Some(2), "jobs in flight at once: {peak:?}");
    assert!(
        events.windows(2).all(|w| w[0].t <= w[1].t),
        "one clock across threads"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Started { .. }))
            .count(),
        16
    );
}

// The page's one way of unpacking events (www/js/events.js).
#[wasm_bindgen(module = "/www/js/events.js")]
extern "C" {
    type Unpacker;
    fn unpacker(packed: &JsValue) -> Unpacker;
    #[wasm_bindgen(method)]
    fn take(this: &Unpacker, n: usize) -> js_sys::Array;
}

#[wasm_bindgen_test]
async fn packed_events_unpack_into_the_objects_take_events_gives() {
    thread_pool().await;
    // Retries fail attempts, back off and try again; buffers show lengths; every kind of a pool run.
    let fields = std::collections::BTreeMap::from([(
        "scenario".to_string(),
        poolplay::config::Field::Text("retry".into()),
    )]);
    let config = DoublingConfig::from_fields(&fields).expect("the preset");
    let run = doubling::start(&config, true, &WebWorkers::new()).unwrap();
    let mut events = Vec::new();
    wait_finished(
        || run.is_finished(),
        || {
            let fresh = run.take_events();
            events.extend_from_slice(&fresh);
            fresh.len()
        },
        || run.cancel(),
    );
    events.extend(run.take_events());
    assert!(events.len() > 50, "{} events", events.len());
    // As `takeEvents` converts them.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let objects = serde::Serialize::serialize(&events, &serializer).expect("events convert");
    let unpacked = unpacker(&packed_to_js(&pack(&events).expect("events pack")).unwrap())
        .take(events.len() + 1);
    assert_eq!(unpacked.length() as usize, events.len());
    let json = |value: &JsValue| String::from(js_sys::JSON::stringify(value).unwrap());
    assert_eq!(json(&unpacked), json(&objects));
}

#[wasm_bindgen_test]
async fn a_bad_config_is_rejected_with_the_field_and_its_range() {
    thread_pool().await;
    let error = start_doubling(js_config(r#"{"workers": 0}"#))
        .err()
        .expect("rejected");
    let message = get(&JsValue::from(error), &["message"])
        .as_string()
        .unwrap();
    assert_eq!(
        message,
        "workers must be a whole number from 1 to 16, but got 0"
    );
    let error = start_doubling(js_config("[1, 2]")).err().expect("rejected");
    let message = get(&JsValue::from(error), &["message"])
        .as_string()
        .unwrap();
    assert!(message.starts_with("config must be an object"), "{message}");
}

#[wasm_bindgen_test]
fn check_config_fills_in_the_preset_and_names_a_wrong_field() {
    let config = check_config(js_config(
        r#"{"scenario": "deadlock-no-close", "workers": 5}"#,
    ))
    .expect("valid");
    assert_eq!(get(&config, &["workers"]).as_f64(), Some(5.0));
    assert_eq!(
        get(&config, &["jobs"]).as_f64(),
        Some(8.0),
        "from the preset"
    );
    assert_eq!(get(&config, &["closeJobs"]).as_bool(), Some(false));
    let error = check_config(js_config(r#"{"jobsBuffer": "<b>x</b>"}"#)).expect_err("rejected");
    let message = get(&JsValue::from(error), &["message"])
        .as_string()
        .unwrap();
    assert_eq!(
        message,
        r#"jobsBuffer must be a whole number from 0 to 100, but got "<b>x</b>""#
    );
}

#[wasm_bindgen_test]
async fn cancel_ends_a_long_run_and_frees_its_threads_for_the_next() {
    thread_pool().await;
    let handle = start_doubling(js_config(
        r#"{"workers": 16, "jobs": 1000, "jobsBuffer": 2, "resultsBuffer": 2, "workMs": 2000,
            "shutdown": "force", "shutdownTimeoutMs": 0}"#,
    ))
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    handle.cancel();
    assert_eq!(get(&finish(&handle), &["outcome"]), "cancelled");
    // All 19 actor threads are needed again at once: this only finishes if every one came back.
    let next = start_doubling(js_config(r#"{"workers": 16, "jobs": 64, "workMs": 10}"#)).unwrap();
    assert_eq!(get(&finish(&next), &["outcome"]), "completed");
}

/// Runs a preset with `overrides` (JSON object members) and returns the report.
fn run_scenario(name: &str, overrides: &str) -> JsValue {
    let source = format!(r#"{{"scenario": "{name}"{overrides}}}"#);
    finish(&start_doubling(js_config(&source)).expect("the preset starts"))
}

fn outcome(report: &JsValue) -> String {
    get(report, &["outcome"]).as_string().unwrap()
}

fn count(report: &JsValue, path: &[&str]) -> u32 {
    js_sys::Array::from(&get(report, path)).length()
}

#[wasm_bindgen_test]
async fn every_preset_ends_with_its_outcome_on_real_threads() {
    thread_pool().await;
    let quick = r#", "workMs": 20"#;
    for name in [
        "deadlock-no-close",
        "deadlock-after-wait",
        "deadlock-circular",
    ] {
        let report = run_scenario(name, quick);
        assert_eq!(outcome(&report), "deadlock", "{name}");
        assert!(count(&report, &["blocked"]) >= 3, "{name} lists who waits");
    }
    for name in ["panic-send-on-closed", "panic-close-twice"] {
        let report = run_scenario(name, r#", "workMs": 100"#);
        assert_eq!(outcome(&report), "panic", "{name}");
        assert!(get(&report, &["panic", "actor"]).is_string(), "{name}");
    }
    assert_eq!(outcome(&run_scenario("basic", quick)), "completed");
    // A race: it may pass, but when it bites it is Go's panic and the results are missed.
    let race = run_scenario("waitgroup-misuse", "");
    let missed = get(&race, &["stats", "missed"]).as_f64().unwrap();
    match outcome(&race).as_str() {
        "completed" => assert_eq!(missed, 0.0),
        "panic" => assert!(missed > 0.0),
        other => panic!("the WaitGroup race ended {other}"),
    }
    let errors = run_scenario("errors", quick);
    assert_eq!(outcome(&errors), "completed");
    assert!(count(&errors, &["accounting", "failed"]) >= 1);
    let ordered = run_scenario("ordering", r#", "ordered": true"#);
    assert_eq!(outcome(&ordered), "completed");
    assert!(get(&ordered, &["stats", "reorderPeak"]).as_f64().unwrap() >= 1.0);
    let slow = run_scenario("backpressure", r#", "workMs": 10, "consumerMs": 30"#);
    assert_eq!(outcome(&slow), "completed");
    assert!(
        get(&slow, &["stats", "producerBlockedMs"])
            .as_f64()
            .unwrap()
            > 0.0
    );
    let cancelled = run_scenario("cancel", r#", "cancelAfterMs": 200"#);
    assert_eq!(outcome(&cancelled), "cancelled");
    let accounted = ["done", "failed", "notStarted", "undelivered"]
        .iter()
        .map(|list| count(&cancelled, &["accounting", list]))
        .sum::<u32>();
    assert_eq!(accounted, 40, "every job accounted for");
}

#[wasm_bindgen_test]
async fn fifty_deadlocks_in_a_row_leave_every_thread_for_the_next_run() {
    thread_pool().await;
    let threads = pool_threads();
    for round in 0..50 {
        let report = run_scenario("deadlock-no-close", r#", "workers": 16, "workMs": 0"#);
        assert_eq!(outcome(&report), "deadlock", "round {round}");
    }
    assert_eq!(pool_threads(), threads);
    // 16 workers, 3 helpers and a timer: every thread of the pool at once.
    let report = run_scenario(
        "basic",
        r#", "workers": 16, "jobs": 64, "workMs": 5, "shutdown": "force""#,
    );
    assert_eq!(outcome(&report), "completed");
    assert_eq!(count(&report, &["results"]), 64);
    assert_eq!(get(&report, &["stats", "threads"]).as_f64(), Some(20.0));
}

#[wasm_bindgen_test]
async fn nothing_is_delivered_once_a_deadlock_is_found() {
    thread_pool().await;
    // Tearing the run down wakes the producer, which goes on to read results: on Web Workers it
    // is often awake before the last channel is aborted, so the results channel must go first.
    for round in 0..20 {
        let report = run_scenario("deadlock-circular", r#", "workMs": 0"#);
        assert_eq!(outcome(&report), "deadlock", "round {round}");
        assert_eq!(count(&report, &["results"]), 0, "round {round}");
        assert_eq!(count(&report, &["accounting", "undelivered"]), 3);
    }
}

#[cfg(feature = "imaging")]
/// The reader's files as the page hands them to `startRun`: `[{name, bytes}]`.
fn js_files<'a>(files: impl IntoIterator<Item = (String, &'a [u8])>) -> JsValue {
    let list = js_sys::Array::new();
    for (name, bytes) in files {
        let file = js_sys::Object::new();
        js_sys::Reflect::set(&file, &"name".into(), &name.into()).unwrap();
        js_sys::Reflect::set(&file, &"bytes".into(), &js_sys::Uint8Array::from(bytes)).unwrap();
        list.push(&file);
    }
    list.into()
}

#[cfg(feature = "imaging")]
#[wasm_bindgen_test]
async fn an_image_batch_through_start_run_returns_one_result_per_image() {
    use poolplay::demo::imaging::{process, samples};
    thread_pool().await;
    let png = process::encode(&samples::generate(300, 200), process::Format::Png, 90).unwrap();
    let files = js_files([
        ("drawing.png".to_string(), &png[..]),
        ("notes.txt".to_string(), &b"not a picture"[..]),
    ]);
    let handle = poolplay::wasm::start_run(
        js_config(
            r#"{"example": "image", "images": ["640x480", "5000x3000", "800x600"],
                "targetWidth": 64, "workers": 2}"#,
        ),
        files,
    )
    .expect("valid config");
    assert_eq!(count(&handle.config().unwrap(), &["batch"]), 5);
    let report = finish(&handle);
    assert_eq!(outcome(&report), "completed");
    let results = js_sys::Array::from(&get(&report, &["results"]));
    let mut seen: Vec<String> = Vec::new();
    for card in results.iter() {
        let image = get(&card, &["image"]).as_string().unwrap();
        let worker = get(&card, &["worker"]).as_f64().unwrap();
        assert!(worker == 1.0 || worker == 2.0, "{image} by worker {worker}");
        let size = (
            get(&card, &["width"]).as_f64(),
            get(&card, &["height"]).as_f64(),
        );
        let error = get(&card, &["error"]).as_string();
        match image.as_str() {
            "sample-640x480" => assert_eq!(size, (Some(64.0), Some(48.0))),
            "sample-800x600" => assert_eq!(size, (Some(64.0), Some(48.0))),
            "drawing.png" => assert_eq!(size, (Some(64.0), Some(43.0))),
            "sample-5000x3000" => {
                assert_eq!(
                    error.as_deref(),
                    Some("image too large: max width is 4000px")
                );
            }
            "notes.txt" => {
                assert_eq!(
                    error.as_deref(),
                    Some("not an image: the file is neither a JPEG nor a PNG")
                );
            }
            other => panic!("unexpected result {other}"),
        }
        if error.is_none() {
            let thumbnail = js_sys::Uint8Array::new(&get(&card, &["thumbnail"])).to_vec();
            assert_eq!(&thumbnail[..2], &[0xFF, 0xD8], "{image} is a JPEG");
            assert_eq!(
                get(&card, &["bytesOut"]).as_f64(),
                Some(thumbnail.len() as f64)
            );
            assert!(get(&card, &["stages", "resize"]).as_f64().is_some());
        }
        seen.push(image);
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "drawing.png",
            "notes.txt",
            "sample-5000x3000",
            "sample-640x480",
            "sample-800x600"
        ]
    );
    assert_eq!(count(&report, &["accounting", "failed"]), 2);
}

#[cfg(feature = "imaging")]
/// The fields the scripting contract promises in every image result.
const CONTRACT: [&str; 7] = [
    "image", "worker", "width", "height", "bytesIn", "bytesOut", "ms",
];

#[cfg(feature = "imaging")]
#[wasm_bindgen_test]
async fn every_image_result_has_the_contract_fields_live_and_in_the_report() {
    thread_pool().await;
    let handle = poolplay::wasm::start_run(
        js_config(
            r#"{"example": "image", "workers": 2, "targetWidth": 80, "fetchMs": 20,
                "images": [{"width": 400, "height": 300}, "5000x3000", [300, 400],
                           {"height": 90, "width": 160}]}"#,
        ),
        JsValue::UNDEFINED,
    )
    .expect("sizes as objects, strings and pairs");
    let mut live: Vec<JsValue> = Vec::new();
    let mut take_results = || {
        let fresh = js_sys::Array::from(&handle.take_results().unwrap());
        live.extend(fresh.iter());
        let events = js_sys::Array::from(&handle.take_events().unwrap());
        (fresh.length() + events.length()) as usize
    };
    wait_finished(
        || handle.is_finished(),
        &mut take_results,
        || handle.cancel(),
    );
    take_results();
    let report = handle.take_report().unwrap();
    let results: Vec<JsValue> = js_sys::Array::from(&get(&report, &["results"]))
        .iter()
        .collect();
    assert_eq!(results.len(), 4, "one result per image");
    assert!(live.len() <= 4);
    for (live, reported) in live.iter().zip(&results) {
        assert_eq!(get(live, &["arrival"]), get(reported, &["arrival"]));
        assert_eq!(get(live, &["image"]), get(reported, &["image"]));
    }
    let mut by_image = std::collections::BTreeMap::new();
    for (card, arrival) in results.iter().zip(1..) {
        for field in CONTRACT {
            assert!(
                !get(card, &[field]).is_undefined(),
                "{field} in every result"
            );
        }
        assert_eq!(get(card, &["arrival"]).as_f64(), Some(arrival.into()));
        let worker = get(card, &["worker"]).as_f64().unwrap();
        assert!(worker == 1.0 || worker == 2.0);
        assert!(
            get(card, &["ms"]).as_f64().unwrap() >= 19.0,
            "fetched first"
        );
        let number = |field: &str| get(card, &[field]).as_f64().unwrap();
        let image = get(card, &["image"]).as_string().unwrap();
        by_image.insert(
            image,
            (
                number("width"),
                number("height"),
                number("bytesIn"),
                number("bytesOut") > 0.0,
                get(card, &["error"]).as_string(),
            ),
        );
    }
    let too_wide = Some("image too large: max width is 4000px".to_string());
    assert_eq!(
        by_image.into_iter().collect::<Vec<_>>(),
        [
            (
                "sample-160x90".into(),
                (80.0, 45.0, 160.0 * 90.0 * 3.0, true, None)
            ),
            (
                "sample-300x400".into(),
                (80.0, 107.0, 300.0 * 400.0 * 3.0, true, None)
            ),
            (
                "sample-400x300".into(),
                (80.0, 60.0, 400.0 * 300.0 * 3.0, true, None)
            ),
            (
                "sample-5000x3000".into(),
                (0.0, 0.0, 5000.0 * 3000.0 * 3.0, false, too_wide)
            ),
        ]
    );
    assert!(get(&report, &["stats", "wallMs"]).as_f64().unwrap() > 0.0);
    assert_eq!(get(&report, &["stats", "failed"]).as_f64(), Some(1.0));
    assert_eq!(count(&report, &["config", "images"]), 4);
}

fn number(report: &JsValue, path: &[&str]) -> f64 {
    get(report, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path:?} is a number"))
}

#[wasm_bindgen_test]
async fn a_task_per_job_overruns_the_service_and_a_pool_as_wide_as_its_limit_does_not() {
    thread_pool().await;
    let report = run_scenario("unbounded-vs-pool", r#", "workMs": 200"#);
    assert_eq!(outcome(&report), "completed");
    let unbounded = ["comparison", "unbounded"];
    let side = |path: &[&str]| -> f64 { number(&report, &[&unbounded[..], path].concat()) };
    assert_eq!(side(&["workers"]), 16.0, "a task per job");
    assert!(side(&["service", "peakConcurrent"]) > 4.0);
    assert!(side(&["service", "peakAdmitted"]) <= 4.0);
    assert!(side(&["service", "rejections"]) > 0.0);
    let pool = ["comparison", "pool"];
    let side = |path: &[&str]| -> f64 { number(&report, &[&pool[..], path].concat()) };
    assert_eq!(side(&["service", "rejections"]), 0.0);
    assert!(side(&["service", "peakConcurrent"]) <= 4.0);
    assert_eq!(side(&["succeeded"]), 16.0);
    assert!(
        count(
            &report,
            &["comparison", "unbounded", "service", "concurrent"]
        ) > 0
    );
}

#[wasm_bindgen_test]
async fn failed_jobs_are_retried_and_the_hopeless_ones_dead_lettered() {
    thread_pool().await;
    let report = run_scenario("retry", r#", "workMs": 10, "backoffMs": 20"#);
    assert_eq!(outcome(&report), "completed");
    let dead = js_sys::Array::from(&get(&report, &["deadLetters"]));
    assert_eq!(dead.length(), count(&report, &["accounting", "failed"]));
    assert_eq!(
        count(&report, &["accounting", "done"]) + dead.length(),
        20,
        "every job done or dead-lettered"
    );
    let job3 = dead
        .iter()
        .find(|d| number(d, &["job"]) == 3.0)
        .expect("job 3 always fails");
    assert_eq!(number(&job3, &["attempts"]), 4.0);
    assert!(get(&job3, &["error"]).is_string());
}

#[wasm_bindgen_test]
async fn an_autoscaling_pool_grows_and_shrinks_on_worker_threads() {
    thread_pool().await;
    let report = run_scenario("autoscale", "");
    assert_eq!(outcome(&report), "completed");
    assert_eq!(count(&report, &["accounting", "done"]), 70);
    assert!(number(&report, &["scaling", "peakWorkers"]) > 1.0);
    let workers = js_sys::Array::from(&get(&report, &["scaling", "workers"]));
    let counts: Vec<f64> = workers
        .iter()
        .map(|point| js_sys::Array::from(&point).get(1).as_f64().unwrap())
        .collect();
    assert!(
        counts.iter().all(|&w| (1.0..=8.0).contains(&w)),
        "{counts:?}"
    );
    let peak = counts.iter().position(|&w| w > 1.0).unwrap();
    assert!(
        counts[peak..].contains(&1.0),
        "back to the minimum: {counts:?}"
    );
    assert!(number(&report, &["scaling", "retired"]) >= 1.0);
}

#[cfg(feature = "imaging")]
/// Bytes of the module's shared memory (it only grows).
fn memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory();
    number(&memory, &["buffer", "byteLength"])
}

#[cfg(feature = "imaging")]
#[wasm_bindgen_test]
async fn fifty_photos_are_never_all_held_decoded_at_once() {
    use poolplay::demo::imaging::{process, samples};
    thread_pool().await;
    // Each 2000 × 1500 photo decodes to 9 MB, fifty of them to 450 MB. Only the images in the
    // workers' hands may be held decoded; the files themselves stay in memory until the run ends.
    let (width, height, workers) = (2000.0, 1500.0, 8.0);
    let photo = process::encode(&samples::generate(2000, 1500), process::Format::Jpeg, 70).unwrap();
    let files = js_files((1..=50).map(|k| (format!("photo-{k}.jpg"), &photo[..])));
    let before = memory_bytes();
    let handle = poolplay::wasm::start_run(
        js_config(r#"{"example": "image", "images": [], "targetWidth": 64, "workers": 8}"#),
        files,
    )
    .expect("valid config");
    let report = finish(&handle);
    assert_eq!(outcome(&report), "completed");
    assert_eq!(count(&report, &["results"]), 50);
    assert_eq!(number(&report, &["stats", "failed"]), 0.0);
    let grown = memory_bytes() - before;
    let decoded = width * height * 3.0;
    let allowed = 50.0 * photo.len() as f64 + 1.5 * workers * decoded + f64::from(64u32 << 20);
    assert!(
        grown <= allowed,
        "memory grew {grown} bytes; the files, {workers} decoded photos (with resizing room) and \
         64 MiB allow {allowed}, while all fifty decoded would take {}",
        50.0 * decoded
    );
}

mod pipeline {
    //! The pipeline example through the boundary a page uses: `startRun({ example: "pipeline" })`.

    use super::{get, js_config, thread_pool, wait_finished};
    use poolplay::wasm::{RunHandle, check_config, start_run};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    fn start(config: &str) -> RunHandle {
        start_run(js_config(config), JsValue::UNDEFINED).expect("a valid pipeline")
    }

    fn events_of(handle: &RunHandle) -> js_sys::Array {
        js_sys::Array::from(&handle.take_events().expect("events convert"))
    }

    fn finish(handle: &RunHandle) -> JsValue {
        wait_finished(
            || handle.is_finished(),
            || events_of(handle).length() as usize,
            || handle.cancel(),
        );
        handle.take_report().expect("report converts")
    }

    fn numbers(list: &JsValue, key: &str) -> Vec<f64> {
        js_sys::Array::from(list)
            .iter()
            .map(|item| get(&item, &[key]).as_f64().expect("a number"))
            .collect()
    }

    fn refusal(config: &str) -> String {
        let error = start_run(js_config(config), JsValue::UNDEFINED)
            .err()
            .expect("refused");
        get(&JsValue::from(error), &["message"])
            .as_string()
            .unwrap()
    }

    #[wasm_bindgen_test]
    async fn a_pipeline_runs_every_stage_on_worker_threads() {
        thread_pool().await;
        let handle = start(
            r#"{"example": "pipeline", "jobs": 40, "stages": [
                {"workers": 3, "workMs": 0, "buffer": 1},
                {"workers": 1, "workMs": 5, "buffer": 0},
                {"workers": 2, "workMs": 0, "buffer": 4}]}"#,
        );
        let report = finish(&handle);
        assert_eq!(get(&report, &["outcome"]), "completed");
        let results = get(&report, &["results"]);
        let mut pairs: Vec<(f64, f64)> = numbers(&results, "job")
            .into_iter()
            .zip(numbers(&results, "value"))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let doubled_thrice: Vec<(f64, f64)> =
            (1..=40).map(|j| (j as f64, j as f64 * 8.0)).collect();
        assert_eq!(pairs, doubled_thrice);
        assert_eq!(numbers(&get(&report, &["stages"]), "processed"), [40.0; 3]);
        assert_eq!(get(&report, &["bottleneck"]).as_f64(), Some(1.0));
        assert_eq!(get(&report, &["config", "example"]), "pipeline");
        let actors: Vec<String> = js_sys::Array::from(&get(&report, &["actors"]))
            .iter()
            .map(|a| a.as_string().unwrap())
            .collect();
        assert_eq!(actors.first().map(String::as_str), Some("producer"));
        assert!(actors.contains(&"s2-closer".to_string()));
        assert_eq!(actors.len(), 1 + 3 + 1 + 1 + 1 + 2 + 1 + 1);
    }

    #[wasm_bindgen_test]
    async fn a_stage_that_never_closes_its_output_deadlocks_across_stages_on_worker_threads() {
        thread_pool().await;
        let handle = start(
            r#"{"example": "pipeline", "jobs": 6, "stages": [
                {"workers": 2, "workMs": 0, "buffer": 0, "closeOutput": false},
                {"workers": 2, "workMs": 0, "buffer": 0}]}"#,
        );
        let report = finish(&handle);
        assert_eq!(get(&report, &["outcome"]), "deadlock");
        let blocked: Vec<(String, String)> = js_sys::Array::from(&get(&report, &["blocked"]))
            .iter()
            .map(|w| {
                let of = |key| get(&w, &[key]).as_string().unwrap();
                (of("actor"), of("channel"))
            })
            .collect();
        assert!(
            blocked.contains(&("s2-worker-1".into(), "c1".into())),
            "{blocked:?}"
        );
        assert!(
            blocked.contains(&("s2-closer".into(), "wg2".into())),
            "{blocked:?}"
        );
        assert!(
            blocked.contains(&("consumer".into(), "c2".into())),
            "{blocked:?}"
        );
        assert_eq!(blocked.len(), 4, "{blocked:?}");
    }

    #[wasm_bindgen_test]
    async fn a_cancelled_pipeline_accounts_for_every_job_on_worker_threads() {
        thread_pool().await;
        let handle = start(
            r#"{"example": "pipeline", "jobs": 200, "stages": [
                {"workers": 2, "workMs": 2, "buffer": 2},
                {"workers": 1, "workMs": 10, "buffer": 2}]}"#,
        );
        // Cancel once the first result has reached the consumer: whatever the machine's speed,
        // some jobs are then done and most not even sent.
        let delivered = std::cell::Cell::new(false);
        wait_finished(
            || delivered.get() || handle.is_finished(),
            || {
                let events = events_of(&handle);
                let first = events
                    .iter()
                    .any(|e| get(&e, &["kind"]) == "received" && get(&e, &["actor"]) == "consumer");
                delivered.set(delivered.get() || first);
                events.length() as usize
            },
            || handle.cancel(),
        );
        handle.cancel();
        let report = finish(&handle);
        assert_eq!(get(&report, &["outcome"]), "cancelled");
        let accounting = get(&report, &["accounting"]);
        let mut every: Vec<f64> = ["done", "failed", "notStarted", "undelivered"]
            .iter()
            .flat_map(|list| {
                js_sys::Array::from(&get(&accounting, &[list]))
                    .iter()
                    .map(|job| job.as_f64().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        every.sort_by(f64::total_cmp);
        assert_eq!(every, (1..=200).map(f64::from).collect::<Vec<_>>());
        let lost: f64 = ["dropped", "stranded"]
            .iter()
            .map(|key| numbers(&get(&report, &["stages"]), key).iter().sum::<f64>())
            .sum();
        let undelivered = js_sys::Array::from(&get(&accounting, &["undelivered"])).length();
        assert_eq!(lost, f64::from(undelivered));
    }

    #[wasm_bindgen_test]
    fn bad_pipelines_are_refused_naming_the_field() {
        assert_eq!(
            refusal(r#"{"example": "pipeline", "stages": []}"#),
            "stages must be a list of 1 to 6 stages, but got a list of 0"
        );
        assert_eq!(
            refusal(r#"{"example": "pipeline", "stages": [{}, {"workers": 0}]}"#),
            "stages[1].workers must be a whole number from 1 to 16, but got 0"
        );
        assert_eq!(
            refusal(r#"{"example": "pipeline", "stages": [{"workMs": "hello"}]}"#),
            "stages[0].workMs must be a whole number from 0 to 2000, but got \"hello\""
        );
        assert!(
            refusal(r#"{"example": "pipeline", "stages": [{"workers": 16}, {"workers": 2}]}"#)
                .starts_with("stages have 18 workers in all, but the thread pool has 20 threads")
        );
        let checked = check_config(js_config(r#"{"example": "pipeline"}"#)).expect("defaults");
        assert_eq!(js_sys::Array::from(&get(&checked, &["stages"])).length(), 3);
    }
}
