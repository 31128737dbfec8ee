//! The image example's configuration, validated the way the doubling example's is: every mistake
//! names its field and what the field allows.
//!
//! The pool's own fields (`workers`, the buffers, `ordered`, the shutdown) are checked by
//! [`RunConfig`] itself, so they read the same in both examples; the fields below are the image
//! example's.

use super::process::{Checks, Format, MAX_WIDTH};
use super::samples::SAMPLE_SIZES;
use crate::config::{ConfigError, Field, Input, RunConfig, error};
use crate::shutdown::Mode as ShutdownMode;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The most images (sizes and files together) in one batch.
pub const MAX_IMAGES: usize = 100;

/// The longest side a requested size may have; the pixel budget then decides what is generated.
const MAX_SIDE: u32 = 20_000;

/// Fields of the pool that an image run takes, checked by [`RunConfig`].
const POOL_FIELDS: &[&str] = &[
    "workers",
    "jobsBuffer",
    "resultsBuffer",
    "ordered",
    "cancelAfterMs",
    "shutdown",
    "shutdownTimeoutMs",
];

/// The image example's own fields.
const IMAGE_FIELDS: &[&str] = &[
    "example",
    "mode",
    "images",
    "targetWidth",
    "format",
    "quality",
    "maxMegapixels",
    "fetchMs",
    "tileSize",
    "tileOp",
];

/// Whether a run resizes a batch of images or cuts one image into tiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Each image is a job: decode (or generate), resize, encode.
    Batch,
    /// One image, each tile of it a job.
    Tiles,
}

/// What each tile job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TileOp {
    /// A Gaussian blur at full resolution, then the Lanczos3 resize to the preview.
    Blur,
    /// Only the Lanczos3 resize to the preview.
    Resize,
}

/// A requested image size; written `"1920x1080"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl Serialize for Size {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A validated configuration of the image example.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageConfig {
    /// Always `"image"`: the example this configures.
    pub example: &'static str,
    /// Batch or tiles.
    pub mode: Mode,
    /// The generated images, by size (the reader's files come after them in a batch).
    pub images: Vec<Size>,
    /// Thumbnail (batch) or preview (tiles) width, 16 to 1,024 px; images are never enlarged.
    pub target_width: u32,
    /// How thumbnails are encoded.
    pub format: Format,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
    /// The pixel budget, 1 to 12 megapixels, checked from the header before decoding.
    pub max_megapixels: u32,
    /// Simulated waiting per job before its work (a download, say), 0 to 2,000 ms.
    pub fetch_ms: u32,
    /// Side of a tile in tile mode, 64 to 1,024 px.
    pub tile_size: u32,
    /// What a tile job does.
    pub tile_op: TileOp,
    /// The pool's fields (workers, buffers, ordering, shutdown), validated by [`RunConfig`].
    #[serde(flatten, serialize_with = "pool_fields")]
    pub pool: RunConfig,
}

/// Serializes only the pool fields an image run takes.
fn pool_fields<S: Serializer>(run: &RunConfig, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PoolFields<'a> {
        workers: u16,
        jobs_buffer: u32,
        results_buffer: u32,
        ordered: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        cancel_after_ms: Option<u32>,
        shutdown: &'a ShutdownMode,
        shutdown_timeout_ms: u32,
    }
    PoolFields {
        workers: run.workers,
        jobs_buffer: run.jobs_buffer,
        results_buffer: run.results_buffer,
        ordered: run.ordered,
        cancel_after_ms: run.cancel_after_ms,
        shutdown: &run.shutdown,
        shutdown_timeout_ms: run.shutdown_timeout_ms,
    }
    .serialize(serializer)
}

/// `images`: `"samples"` or a list of sizes (see [`size_of`]); absent, it is `default`.
fn images(input: &Input, default: &[Size]) -> Result<Vec<Size>, ConfigError> {
    let items = match input.get("images") {
        None => return Ok(default.to_vec()),
        Some(Field::Text(text)) if text == "samples" => return Ok(samples()),
        Some(Field::List(items)) if items.len() <= MAX_IMAGES => items,
        Some(value) => {
            return Err(error(
                "images",
                &format!(
                    "\"samples\" or a list of at most {MAX_IMAGES} sizes such as \"1920x1080\""
                ),
                value,
            ));
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            size_of(item).ok_or_else(|| {
                error(
                    &format!("images[{i}]"),
                    &format!(
                        "a size such as \"1920x1080\", [1920, 1080] or \
                         {{ width: 1920, height: 1080 }}, each side from 1 to {MAX_SIDE}"
                    ),
                    item,
                )
            })
        })
        .collect()
}

fn samples() -> Vec<Size> {
    SAMPLE_SIZES
        .iter()
        .map(|&(width, height)| Size { width, height })
        .collect()
}

/// A size written `"1920x1080"` (or `×`), `[1920, 1080]` or `{ width: 1920, height: 1080 }`
/// (those two members and no others), each side in `1..=MAX_SIDE`.
fn size_of(field: &Field) -> Option<Size> {
    let side =
        |n: f64| (n.fract() == 0.0 && (1.0..=f64::from(MAX_SIDE)).contains(&n)).then_some(n as u32);
    let (width, height) = match field {
        Field::Text(text) => {
            let (w, h) = text.trim().split_once(['x', '×'])?;
            (side(w.trim().parse().ok()?)?, side(h.trim().parse().ok()?)?)
        }
        Field::List(pair) => match pair.as_slice() {
            [Field::Number(w), Field::Number(h)] => (side(*w)?, side(*h)?),
            _ => return None,
        },
        Field::Object(members) if members.len() == 2 => {
            match (members.get("width")?, members.get("height")?) {
                (Field::Number(w), Field::Number(h)) => (side(*w)?, side(*h)?),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(Size { width, height })
}

const MODES: &[(&str, Mode)] = &[("batch", Mode::Batch), ("tiles", Mode::Tiles)];
const FORMATS: &[(&str, Format)] = &[("jpeg", Format::Jpeg), ("png", Format::Png)];
const TILE_OPS: &[(&str, TileOp)] = &[("blur", TileOp::Blur), ("resize", TileOp::Resize)];

/// The image tile mode cuts when none is named.
const DEFAULT_TILE_IMAGE: Size = Size {
    width: 1920,
    height: 1080,
};

impl ImageConfig {
    /// Validates `fields` for a run that also has `files` of the reader's own. Absent fields take
    /// their defaults: a batch of the samples when there are no files (none when there are), and in
    /// tile mode the 1920×1080 sample, or the one file.
    pub fn from_fields(
        fields: &BTreeMap<String, Field>,
        files: usize,
    ) -> Result<Self, ConfigError> {
        if let Some(unknown) = fields
            .keys()
            .find(|k| !IMAGE_FIELDS.contains(&k.as_str()) && !POOL_FIELDS.contains(&k.as_str()))
        {
            return Err(ConfigError(format!(
                "unknown config field {} for the image example; its fields are {}, {}",
                Field::Text(unknown.clone()),
                IMAGE_FIELDS.join(", "),
                POOL_FIELDS.join(", ")
            )));
        }
        let given = Input::plain(fields);
        given.choice("example", &[("image", ())])?;
        let mode = given.choice("mode", MODES)?;
        let default_images = match (mode, files) {
            (Mode::Batch, 0) => samples(),
            (Mode::Tiles, 0) => vec![DEFAULT_TILE_IMAGE],
            _ => Vec::new(),
        };
        let images = images(&given, &default_images)?;
        let count = images.len() + files;
        match mode {
            Mode::Batch if count == 0 || count > MAX_IMAGES => {
                return Err(ConfigError(format!(
                    "a batch must have from 1 to {MAX_IMAGES} images (sizes and files together), \
                     but got {count}"
                )));
            }
            Mode::Tiles if count != 1 => {
                return Err(ConfigError(format!(
                    "tile mode cuts one image (one size or one file), but got {count}"
                )));
            }
            _ => {}
        }
        let pool_given: BTreeMap<String, Field> = fields
            .iter()
            .filter(|(k, _)| POOL_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let pool = RunConfig::from_fields(&pool_given)?;
        Ok(ImageConfig {
            example: "image",
            mode,
            images,
            target_width: given.whole("targetWidth", 16, 1024, 320)?,
            format: given.choice("format", FORMATS)?,
            quality: given.whole("quality", 1, 100, 85)? as u8,
            max_megapixels: given.whole("maxMegapixels", 1, 12, 12)?,
            fetch_ms: given.whole("fetchMs", 0, 2_000, 0)?,
            tile_size: given.whole("tileSize", 64, 1024, 256)?,
            tile_op: given.choice("tileOp", TILE_OPS)?,
            pool,
        })
    }

    /// The checks every image of a batch passes before decoding: the pixel budget and the width.
    pub fn batch_checks(&self) -> Checks {
        Checks {
            max_megapixels: self.max_megapixels,
            max_width: Some(MAX_WIDTH),
        }
    }

    /// The checks of tile mode's one image: only the pixel budget (tiles are how wide images are
    /// handled).
    pub fn tile_checks(&self) -> Checks {
        Checks {
            max_width: None,
            ..self.batch_checks()
        }
    }
}
