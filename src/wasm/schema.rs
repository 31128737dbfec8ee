//! The table of fields, for the page to build its knobs from, and a check that lists every
//! problem of a config by the fields' labels.

use super::{Example, example_of, fields_of};
use crate::config::{DoublingConfig, PipelineConfig, fields};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Every field of an example (`"doubling"`, the default, `"image"` or `"pipeline"`) as
/// `[{ name, label, help, group, kind, min, max, step, most, default, optional, placeholder,
/// choices, fields }]`, in the order messages list them; a key that does not apply to a field's
/// kind is `null` (`fields` is a list of records' own fields, such as the pipeline's `stages`). The doubling example's `scenario` is not among them: `scenarios()` lists its values.
#[wasm_bindgen(js_name = fieldSchema)]
pub fn field_schema(example: Option<String>) -> Result<JsValue, JsError> {
    let table = match example.as_deref() {
        None | Some("doubling") => fields::DOUBLING,
        Some("image") => fields::IMAGE,
        Some("pipeline") => fields::PIPELINE,
        Some(other) => {
            return Err(JsError::new(&format!(
                "example must be one of \"doubling\", \"image\", \"pipeline\", but got {:?}",
                other.chars().take(24).collect::<String>()
            )));
        }
    };
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    Ok(table.serialize(&serializer)?)
}

/// Every problem with `config` as `[{ field, label, message }]`, empty when a run could start
/// with it: names that are not fields, each field's own mistake, and then a rule that spans
/// fields. Messages name fields by their labels ("Cancel after (ms) must be a whole number from
/// 0 to 60000, but got \"abc\""). For the image example (`example: "image"`), `files` is how
/// many of the reader's files the run would have (none if absent).
#[wasm_bindgen(js_name = checkFields)]
pub fn check_fields(config: JsValue, files: Option<u32>) -> Result<JsValue, JsError> {
    let mut fields = fields_of(&config)?;
    let problems = match example_of(&fields)? {
        Example::Doubling => {
            fields.remove("example");
            DoublingConfig::problems(&fields)
        }
        #[cfg(feature = "imaging")]
        Example::Image => {
            let files = files.unwrap_or(0) as usize;
            crate::demo::imaging::config::ImageConfig::problems(&fields, files)
        }
        #[cfg(not(feature = "imaging"))]
        Example::Image => {
            let _ = files;
            return Err(super::no_image_example());
        }
        Example::Pipeline => {
            fields.remove("example");
            PipelineConfig::problems(&fields)
        }
    };
    super::to_js(&problems)
}
