//! The boundary with JavaScript: the only module that knows about wasm-bindgen.
//!
//! It installs the shared clock, runs actors on the rayon pool of Web Workers that
//! `initThreadPool` (re-exported from wasm-bindgen-rayon) starts, turns JavaScript config objects
//! into [`Field`]s, and hands events and reports back through `serde-wasm-bindgen`. Errors become
//! `JsError`s carrying the message a reader should see. Call it from a worker, never from the
//! page's main thread: runs block threads.

use crate::clock;
use crate::config::{Field, MAX_WORKERS, RunConfig};
use crate::doubling::{self, DoublingRun};
use crate::pool::HELPER_THREADS;
use crate::report::Report;
use crate::spawn::{Spawn, Task};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

pub use wasm_bindgen_rayon::init_thread_pool;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(thread_local_v2, js_namespace = performance, js_name = timeOrigin)]
    static TIME_ORIGIN: f64;
}

/// Absolute milliseconds, the same on every Web Worker (each has its own `performance.now()` zero).
fn shared_clock_ms() -> f64 {
    TIME_ORIGIN.with(|origin| *origin) + performance_now()
}

/// The global rayon pool that `initThreadPool` filled with Web Workers.
pub struct WebWorkers(());

impl WebWorkers {
    /// The pool, with the shared clock installed for the core (`Instant` does not exist here).
    pub fn new() -> Self {
        clock::install(shared_clock_ms);
        WebWorkers(())
    }
}

impl Default for WebWorkers {
    fn default() -> Self {
        Self::new()
    }
}

impl Spawn for WebWorkers {
    fn spawn(&self, task: Task) {
        rayon::spawn(task);
    }

    fn capacity(&self) -> usize {
        rayon::current_num_threads()
    }
}

/// How many threads to pass to `initThreadPool`: enough for the largest run's actors (and its
/// timer) to block at once.
#[wasm_bindgen(js_name = threadsNeeded)]
pub fn threads_needed() -> usize {
    usize::from(MAX_WORKERS) + HELPER_THREADS
}

/// Threads in the pool; call only after `initThreadPool` has resolved.
#[wasm_bindgen(js_name = poolThreads)]
pub fn pool_threads() -> usize {
    rayon::current_num_threads()
}

/// The scenario presets, as `[{ name, config }]` with every field of each config filled in.
#[wasm_bindgen]
pub fn scenarios() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Scenario {
        name: &'static str,
        config: RunConfig,
    }
    let list: Vec<Scenario> = RunConfig::scenarios()
        .into_iter()
        .map(|config| Scenario {
            name: config.scenario,
            config,
        })
        .collect();
    to_js(&list)
}

/// A doubling run, driven from JavaScript by polling.
#[wasm_bindgen]
pub struct DoublingRunHandle {
    run: DoublingRun,
    config: RunConfig,
}

/// A finished run as JavaScript sees it: the report plus the configuration it ran with.
#[derive(Serialize)]
struct FinishedRun<'a> {
    #[serde(flatten)]
    report: Report<u64>,
    config: &'a RunConfig,
}

/// Starts the doubling example. `config` is an object with any of the fields README's scripting
/// contract lists; a wrong one is rejected with a message naming it and what it allows.
#[wasm_bindgen(js_name = startDoubling)]
pub fn start_doubling(config: JsValue) -> Result<DoublingRunHandle, JsError> {
    let config = RunConfig::from_fields(&fields_of(&config)?)?;
    start(config, true)
}

/// Starts a doubling run for benchmarking: no page limits on the sizes, tracing optional.
#[wasm_bindgen(js_name = startDoublingBenchmark)]
pub fn start_doubling_benchmark(
    jobs: u32,
    workers: u16,
    buffer: u32,
    tracing: bool,
) -> Result<DoublingRunHandle, JsError> {
    let config = RunConfig {
        workers,
        jobs,
        jobs_buffer: buffer,
        results_buffer: buffer,
        work_ms: 0,
        ..RunConfig::default()
    };
    start(config, tracing)
}

fn start(config: RunConfig, tracing: bool) -> Result<DoublingRunHandle, JsError> {
    let run = doubling::start(&config, tracing, &WebWorkers::new())?;
    Ok(DoublingRunHandle { run, config })
}

#[wasm_bindgen]
impl DoublingRunHandle {
    /// Events recorded since the last call, as `[{ t, actor, kind, ... }]`.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.take_events())
    }

    /// Drops the events recorded since the last call and returns how many there were.
    #[wasm_bindgen(js_name = discardEvents)]
    pub fn discard_events(&self) -> usize {
        self.run.take_events().len()
    }

    /// The configuration the run uses, defaults filled in.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }

    /// Whether every actor has exited.
    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    /// Requests the shutdown in the run's `shutdown` mode; it ends with outcome `"cancelled"`.
    pub fn cancel(&self) {
        self.run.cancel();
    }

    /// The report (`{ outcome, message?, results, stats, config }`) once the run is finished,
    /// `undefined` before.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&self) -> Result<JsValue, JsError> {
        match self.run.take_report() {
            None => Ok(JsValue::UNDEFINED),
            Some(report) => to_js(&FinishedRun {
                report,
                config: &self.config,
            }),
        }
    }
}

/// Converts to plain JavaScript objects (flattened structs would otherwise become `Map`s).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(value.serialize(&serializer)?)
}

/// Reads a JavaScript config object into fields, one at a time so a bad value is named.
fn fields_of(config: &JsValue) -> Result<BTreeMap<String, Field>, JsError> {
    let mut fields = BTreeMap::new();
    if config.is_undefined() || config.is_null() {
        return Ok(fields);
    }
    if !config.is_object() || js_sys::Array::is_array(config) {
        return Err(JsError::new(
            "config must be an object, such as { workers: 3, jobs: 12 }",
        ));
    }
    for entry in js_sys::Object::entries(config.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = serde_wasm_bindgen::from_value::<Field>(pair.get(1)).map_err(|_| {
            JsError::new(&format!(
                "config field {} has a value of a kind Poolplay does not accept",
                Field::Text(key.clone())
            ))
        })?;
        fields.insert(key, value);
    }
    Ok(fields)
}
