//! The pipeline example's part of the boundary: starting a run, and the handle that drives it.

use super::{Drive, RunHandle, WebWorkers, finished, to_js};
use crate::config::{Field, PipelineConfig};
use crate::observe::trace::Event;
use crate::pipeline::{self, Pipeline};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// A pipeline run and its configuration.
struct PipelineRun {
    run: Pipeline,
    config: PipelineConfig,
}

impl Drive for PipelineRun {
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

/// Starts a pipeline run of `fields` (without `example`); a wrong field is refused with a message
/// naming it as a script writes it (`stages[1].workers must be …`).
pub(super) fn start(fields: &BTreeMap<String, Field>) -> Result<RunHandle, JsError> {
    let config = PipelineConfig::from_fields(fields)?;
    let run = pipeline::start(&config.plan(true), &WebWorkers::new())?;
    Ok(RunHandle {
        run: Box::new(PipelineRun { run, config }),
    })
}
