//! The boundary with JavaScript: the only module that knows about wasm-bindgen.
//!
//! It installs the shared clock, runs actors on the rayon pool of Web Workers that
//! `initThreadPool` (re-exported from wasm-bindgen-rayon) starts, turns JavaScript config objects
//! into [`Field`]s, and hands events and reports back through `serde-wasm-bindgen`. Errors become
//! `JsError`s carrying the message a reader should see. Call it from a worker, never from the
//! page's main thread: runs block threads.
//!
//! The image example's part of the boundary is [`imaging`], built only with the `imaging` feature
//! (the default), so a module built without it carries no image codecs; `pipeline` starts the
//! pipeline example (feature `pipeline`: the image module has it, the first load's does not,
//! though its checks and field table work everywhere); [`schema`] exports the table of fields and
//! checks a config against it.

#[cfg(feature = "imaging")]
mod imaging;
#[cfg(feature = "pipeline")]
mod pipeline;
mod schema;

use crate::config::{DoublingConfig, Field, PipelineConfig, PoolKind, THREAD_POOL};
use crate::demo::doubling::{self, DoublingComparison, DoublingRun};
use crate::observe::actor::Actor;
use crate::observe::clock;
use crate::observe::trace::{Event, PackedEvents, pack};
use crate::pool::spawn::{Spawn, Task};
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

    fn share(&self) -> Option<std::sync::Arc<dyn Spawn + Send + Sync>> {
        Some(std::sync::Arc::new(WebWorkers(())))
    }
}

/// How many threads to pass to `initThreadPool`: enough for the largest run's actors (and its
/// timer) to block at once.
#[wasm_bindgen(js_name = threadsNeeded)]
pub fn threads_needed() -> usize {
    THREAD_POOL
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
        config: DoublingConfig,
    }
    let list: Vec<Scenario> = DoublingConfig::scenarios()
        .into_iter()
        .map(|config| Scenario {
            name: config.scenario,
            config,
        })
        .collect();
    to_js(&list)
}

/// A run of any example, driven from JavaScript by polling: the same methods whatever the example.
#[wasm_bindgen]
pub struct RunHandle {
    run: Box<dyn Drive>,
}

/// The doubling example's handle, by the name it had before the examples shared one.
pub type DoublingRunHandle = RunHandle;

/// What a handle needs of a run, whatever its example.
trait Drive {
    fn take_events(&self) -> Vec<Event>;
    fn discard_events(&self) -> usize {
        self.take_events().len()
    }
    fn is_finished(&self) -> bool;
    fn cancel(&self);
    /// The results delivered since the last call, for examples whose results the events do not
    /// describe; `undefined` for the others.
    fn take_results(&self) -> Result<JsValue, JsError>;
    /// The finished run (report and config) once it is over, `undefined` before.
    fn take_report(&self) -> Result<JsValue, JsError>;
    fn config(&self) -> Result<JsValue, JsError>;
}

/// A finished run as JavaScript sees it: the report, the configuration it ran with, and the
/// actors it started (in drawing order, as `checkConfig` lists them).
#[derive(Serialize)]
struct FinishedRun<R, C> {
    #[serde(flatten)]
    report: R,
    config: C,
    actors: Vec<Actor>,
}

/// A config as `checkConfig` returns it: the fields, and the actors a run of it starts.
#[derive(Serialize)]
struct Checked<'a, C> {
    #[serde(flatten)]
    config: &'a C,
    actors: Vec<Actor>,
}

/// The report, config and actors as one JavaScript object, or `undefined` while the run goes on.
fn finished<R: Serialize>(
    report: Option<R>,
    config: impl Serialize,
    actors: Vec<Actor>,
) -> Result<JsValue, JsError> {
    match report {
        None => Ok(JsValue::UNDEFINED),
        Some(report) => to_js(&FinishedRun {
            report,
            config,
            actors,
        }),
    }
}

/// A doubling run and its configuration.
struct Doubling {
    run: DoublingRun,
    config: DoublingConfig,
}

impl Drive for Doubling {
    fn take_events(&self) -> Vec<Event> {
        self.run.take_events()
    }
    fn discard_events(&self) -> usize {
        self.run.discard_events()
    }
    fn is_finished(&self) -> bool {
        self.run.is_finished()
    }
    fn cancel(&self) {
        self.run.cancel();
    }
    fn take_results(&self) -> Result<JsValue, JsError> {
        Ok(JsValue::UNDEFINED)
    }
    fn take_report(&self) -> Result<JsValue, JsError> {
        finished(self.run.take_report(), &self.config, self.config.actors())
    }
    fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }
}

/// A comparison of the doubling batch without and with a pool, and its configuration.
struct Comparing {
    comparison: DoublingComparison,
    config: DoublingConfig,
}

impl Drive for Comparing {
    fn take_events(&self) -> Vec<Event> {
        self.comparison.take_events()
    }
    fn is_finished(&self) -> bool {
        self.comparison.is_finished()
    }
    fn cancel(&self) {
        self.comparison.cancel();
    }
    fn take_results(&self) -> Result<JsValue, JsError> {
        Ok(JsValue::UNDEFINED)
    }
    fn take_report(&self) -> Result<JsValue, JsError> {
        finished(
            self.comparison.take_report(),
            &self.config,
            self.config.actors(),
        )
    }
    fn config(&self) -> Result<JsValue, JsError> {
        to_js(&self.config)
    }
}

/// Starts the doubling example. `config` is an object with any of the fields README's scripting
/// contract lists; a wrong one is rejected with a message naming it and what it allows.
#[wasm_bindgen(js_name = startDoubling)]
pub fn start_doubling(config: JsValue) -> Result<RunHandle, JsError> {
    let config = DoublingConfig::from_fields(&fields_of(&config)?)?;
    doubling_handle(config, true)
}

/// Checks a doubling config as `startDoubling` would, without starting anything: returns the
/// config a run would use (the scenario's preset and the defaults filled in) with `actors`, the
/// actors the run starts in drawing order, or throws the same message naming the wrong field.
/// Needs no threads, so a page that has none can still check.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(config: JsValue) -> Result<JsValue, JsError> {
    let mut fields = fields_of(&config)?;
    if let Example::Pipeline = example_of(&fields)? {
        fields.remove("example");
        let config = PipelineConfig::from_fields(&fields)?;
        // Not `Checked` (whose flattening costs the first load's module more than this does).
        let checked = to_js(&config)?;
        js_sys::Reflect::set(&checked, &"actors".into(), &to_js(&config.actors())?)
            .map_err(|_| JsError::new("the checked config could not be returned"))?;
        return Ok(checked);
    }
    let config = DoublingConfig::from_fields(&fields)?;
    to_js(&Checked {
        actors: config.actors(),
        config: &config,
    })
}

/// The examples `config.example` can name.
enum Example {
    Doubling,
    Image,
    Pipeline,
}

/// The example `fields` name (the doubling example when none).
fn example_of(fields: &BTreeMap<String, Field>) -> Result<Example, JsError> {
    match fields.get("example") {
        None | Some(Field::Null) => Ok(Example::Doubling),
        Some(Field::Text(name)) if name == "doubling" => Ok(Example::Doubling),
        Some(Field::Text(name)) if name == "image" => Ok(Example::Image),
        Some(Field::Text(name)) if name == "pipeline" => Ok(Example::Pipeline),
        Some(other) => Err(JsError::new(&format!(
            "example must be one of \"doubling\", \"image\", \"pipeline\", but got {other}"
        ))),
    }
}

/// The error of a module built without the image example (the `imaging` feature).
#[cfg(not(feature = "imaging"))]
fn no_image_example() -> JsError {
    JsError::new("this module has no image example: load the module built with it")
}

/// Starts a run of the example `config.example` names: `"doubling"` (the default), `"image"` or
/// `"pipeline"`.
/// `files` (image example only) is an array of `{ name, bytes }` with `bytes` a `Uint8Array`: the
/// reader's JPEG and PNG files, processed after any sizes in `config.images`.
#[wasm_bindgen(js_name = startRun)]
pub fn start_run(config: JsValue, files: JsValue) -> Result<RunHandle, JsError> {
    let mut fields = fields_of(&config)?;
    match example_of(&fields)? {
        #[cfg(feature = "imaging")]
        Example::Image => return imaging::start(&fields, &files),
        #[cfg(not(feature = "imaging"))]
        Example::Image => return Err(no_image_example()),
        #[cfg(feature = "pipeline")]
        Example::Pipeline => {
            fields.remove("example");
            return pipeline::start(&fields);
        }
        #[cfg(not(feature = "pipeline"))]
        Example::Pipeline => {
            return Err(JsError::new(
                "this module has no pipeline runs: load the module built with them",
            ));
        }
        Example::Doubling => {}
    }
    let no_files = files.is_undefined()
        || files.is_null()
        || (js_sys::Array::is_array(&files) && js_sys::Array::from(&files).length() == 0);
    if !no_files {
        return Err(JsError::new(
            "files are for the image example (example: \"image\")",
        ));
    }
    fields.remove("example");
    doubling_handle(DoublingConfig::from_fields(&fields)?, true)
}

/// Starts a doubling run for benchmarking: no page limits on the sizes, tracing optional.
#[wasm_bindgen(js_name = startDoublingBenchmark)]
pub fn start_doubling_benchmark(
    jobs: u32,
    workers: u16,
    buffer: u32,
    tracing: bool,
) -> Result<RunHandle, JsError> {
    let config = DoublingConfig {
        workers,
        jobs,
        jobs_buffer: buffer,
        results_buffer: buffer,
        work_ms: 0,
        ..DoublingConfig::default()
    };
    doubling_handle(config, tracing)
}

/// Times `trips` round trips of one job through an idle worker (pausing `pause_us` before each):
/// `{ trips, pauseUs, p50Us, p99Us }`. Blocks the calling worker while it runs.
#[wasm_bindgen(js_name = roundTripLatency)]
pub fn round_trip_latency(trips: u32, pause_us: u32) -> Result<JsValue, JsError> {
    if trips == 0 {
        return Err(JsError::new("trips must be at least 1"));
    }
    to_js(&crate::demo::latency::round_trips(
        trips,
        pause_us,
        &WebWorkers::new(),
    ))
}

fn doubling_handle(config: DoublingConfig, tracing: bool) -> Result<RunHandle, JsError> {
    let spawner = WebWorkers::new();
    let run: Box<dyn Drive> = if config.pool == PoolKind::Compare {
        let comparison = doubling::compare(&config, tracing, &spawner)?;
        Box::new(Comparing { comparison, config })
    } else {
        let run = doubling::start(&config, tracing, &spawner)?;
        Box::new(Doubling { run, config })
    };
    Ok(RunHandle { run })
}

#[wasm_bindgen]
impl RunHandle {
    /// Events recorded since the last call, as `[{ t, actor, kind, ... }]`.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.take_events())
    }

    /// Events recorded since the last call, packed into flat arrays (README's "Packed events"):
    /// `{ widths: Uint8Array, fields: Uint8Array, values: Float64Array, keys: [[name, kind]],
    /// words: [text] }`. Each array is a copy of its own, so it can be transferred to another
    /// thread; a page unpacks them into the objects `takeEvents` returns.
    #[wasm_bindgen(js_name = takePackedEvents)]
    pub fn take_packed_events(&self) -> Result<JsValue, JsError> {
        packed_to_js(&pack(&self.run.take_events())?)
    }

    /// Drops the events recorded since the last call and returns how many there were.
    #[wasm_bindgen(js_name = discardEvents)]
    pub fn discard_events(&self) -> usize {
        self.run.discard_events()
    }

    /// The configuration the run uses, defaults filled in.
    pub fn config(&self) -> Result<JsValue, JsError> {
        self.run.config()
    }

    /// Image runs: the results (cards) delivered since the last call, in delivery order, each
    /// handed out once (the report repeats them all). `undefined` for a doubling run, whose
    /// results the events describe.
    #[wasm_bindgen(js_name = takeResults)]
    pub fn take_results(&self) -> Result<JsValue, JsError> {
        self.run.take_results()
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
        self.run.take_report()
    }
}

/// Converts to plain JavaScript objects (flattened structs would otherwise become `Map`s).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(value.serialize(&serializer)?)
}

/// A packed batch as JavaScript sees it (see [`RunHandle::take_packed_events`]).
pub fn packed_to_js(packed: &PackedEvents) -> Result<JsValue, JsError> {
    let object = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), value)
            .map_err(|_| JsError::new("the packed events could not be assembled"))
    };
    set("widths", &js_sys::Uint8Array::from(&packed.widths[..]))?;
    set("fields", &js_sys::Uint8Array::from(&packed.fields[..]))?;
    set("values", &js_sys::Float64Array::from(&packed.values[..]))?;
    set("keys", &to_js(&packed.keys)?)?;
    set("words", &to_js(&packed.words)?)?;
    Ok(object.into())
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
