//! The image example's side of the boundary: starting its runs with the reader's files, its
//! handle's methods, and its samples. Built only with the `imaging` feature.

use super::{Drive, RunHandle, WebWorkers, finished, to_js};
use crate::config::Field;
use crate::demo::imaging::config::{ImageConfig, ImageMode};
use crate::demo::imaging::{ImageRun, Plan, UserFile, batch, samples, tiles};
use crate::observe::trace::Event;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// An image run's config as JavaScript sees it: the fields, plus the plan (the batch's images, or
/// the tile grid).
#[derive(Serialize)]
struct ImageRunConfig<'a, P> {
    #[serde(flatten)]
    config: &'a ImageConfig,
    #[serde(flatten)]
    plan: &'a P,
}

impl<P: Plan + Serialize> Drive for ImageRun<P> {
    fn take_events(&self) -> Vec<Event> {
        ImageRun::take_events(self)
    }
    fn is_finished(&self) -> bool {
        ImageRun::is_finished(self)
    }
    fn cancel(&self) {
        ImageRun::cancel(self);
    }
    fn take_results(&self) -> Result<JsValue, JsError> {
        to_js(&self.take_cards())
    }
    fn take_report(&self) -> Result<JsValue, JsError> {
        let actors = self.config().pool.actors();
        finished(ImageRun::take_report(self), image_run_config(self), actors)
    }
    fn config(&self) -> Result<JsValue, JsError> {
        to_js(&image_run_config(self))
    }
}

/// What `config()` and the report's `config` show of an image run.
fn image_run_config<P: Plan>(run: &ImageRun<P>) -> ImageRunConfig<'_, P> {
    ImageRunConfig {
        config: run.config(),
        plan: run.plan(),
    }
}

/// Starts the image example with `fields` and `files` (see `startRun`).
pub(super) fn start(
    fields: &BTreeMap<String, Field>,
    files: &JsValue,
) -> Result<RunHandle, JsError> {
    let files = files_of(files)?;
    let config = ImageConfig::from_fields(fields, files.len())?;
    let spawner = WebWorkers::new();
    let run: Box<dyn Drive> = match config.mode {
        ImageMode::Batch => Box::new(batch::start(&config, files, true, &spawner)?),
        ImageMode::Tiles => Box::new(tiles::start(&config, files, true, &spawner)?),
    };
    Ok(RunHandle { run })
}

/// The built-in sample images, as `[{ image, width, height }]`.
#[wasm_bindgen(js_name = imageSamples)]
pub fn image_samples() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Sample {
        image: String,
        width: u32,
        height: u32,
    }
    let list: Vec<Sample> = samples::SAMPLE_SIZES
        .iter()
        .map(|&(width, height)| Sample {
            image: samples::name(width, height),
            width,
            height,
        })
        .collect();
    to_js(&list)
}

/// The most bytes the reader's files may have together: they are copied into the module's memory.
const MAX_FILE_BYTES: usize = 256 << 20;

/// Reads `[{ name, bytes: Uint8Array }]` (or nothing) into files, naming any entry that is wrong.
fn files_of(files: &JsValue) -> Result<Vec<UserFile>, JsError> {
    if files.is_undefined() || files.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(files) {
        return Err(JsError::new(
            "files must be an array of { name, bytes } with bytes a Uint8Array",
        ));
    }
    let mut total = 0;
    let mut out = Vec::new();
    for (i, entry) in js_sys::Array::from(files).iter().enumerate() {
        let member = |key: &str| js_sys::Reflect::get(&entry, &key.into()).ok();
        let name = member("name").and_then(|n| n.as_string());
        let bytes = member("bytes").and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok());
        let (Some(name), Some(bytes)) = (name, bytes) else {
            return Err(JsError::new(&format!(
                "files[{i}] must be {{ name, bytes }} with name a string and bytes a Uint8Array"
            )));
        };
        total += bytes.length() as usize;
        if total > MAX_FILE_BYTES {
            return Err(JsError::new(&format!(
                "the files together must be at most {} MB; files[{i}] goes past that",
                MAX_FILE_BYTES >> 20
            )));
        }
        out.push(UserFile {
            name,
            bytes: bytes.to_vec(),
        });
    }
    Ok(out)
}
