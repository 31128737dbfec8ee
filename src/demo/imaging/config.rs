//! The image example's configuration, read against its table ([`fields::IMAGE`]) the way the
//! doubling example's is: every mistake names its field and what the field allows.
//!
//! The pool's own fields (`workers`, the buffers, `ordered`, the shutdown) are [`PoolFields`],
//! read as in the doubling example; the other fields are the image example's.

use super::process::{Checks, Format, MAX_WIDTH};
use super::samples::SAMPLE_SIZES;
use crate::config::schema::Kind;
use crate::config::{ConfigError, Field, Input, Naming, PoolFields, Problem, fields};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The table's limits of `images`: the longest side, and the most sizes (also the most images,
/// sizes and files together, of a batch).
fn size_limits() -> (u32, usize) {
    let spec = fields::IMAGE.iter().find(|s| s.name == "images");
    match spec.map(|s| s.kind) {
        Some(Kind::Sizes { max, most }) => (max, most),
        _ => unreachable!("images is a list of sizes"),
    }
}

/// Whether a run resizes a batch of images or cuts one image into tiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageMode {
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
    pub mode: ImageMode,
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
    /// The pool's own fields (workers, buffers, ordering, shutdown), as the doubling example's.
    #[serde(flatten)]
    pub pool: PoolFields,
}

/// `images`: `"samples"` or a list of sizes (see [`size_of`]); absent, it is `default`.
fn images(input: &Input, default: &[Size]) -> Result<Vec<Size>, ConfigError> {
    let (max_side, most) = size_limits();
    let items = match input.get("images") {
        None => return Ok(default.to_vec()),
        Some(Field::Text(text)) if text == "samples" => return Ok(samples()),
        Some(Field::List(items)) if items.len() <= most => items,
        Some(value) => {
            let wanted =
                format!("\"samples\" or a list of at most {most} sizes such as \"1920x1080\"");
            return Err(input.error("images", &wanted, value));
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            size_of(item, max_side).ok_or_else(|| {
                input.error_at(
                    "images",
                    Some(i),
                    &format!(
                        "a size such as \"1920x1080\", [1920, 1080] or \
                         {{ width: 1920, height: 1080 }}, each side from 1 to {max_side}"
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
/// (those two members and no others), each side in `1..=max_side`.
fn size_of(field: &Field, max_side: u32) -> Option<Size> {
    let side =
        |n: f64| (n.fract() == 0.0 && (1.0..=f64::from(max_side)).contains(&n)).then_some(n as u32);
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

const MODES: &[ImageMode] = &[ImageMode::Batch, ImageMode::Tiles];
const FORMATS: &[Format] = &[Format::Jpeg, Format::Png];
const TILE_OPS: &[TileOp] = &[TileOp::Blur, TileOp::Resize];

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
        let input = Input::new(fields, &[], fields::IMAGE, Naming::Names);
        if let Some(unknown) = input.unknown(&["example"]).next() {
            let names: Vec<&str> = ["example"]
                .into_iter()
                .chain(fields::IMAGE.iter().map(|s| s.name))
                .collect();
            return Err(ConfigError::new(
                None,
                format!(
                    "unknown config field {} for the image example; its fields are {}",
                    Field::Text(unknown.clone()),
                    names.join(", ")
                ),
            ));
        }
        Self::read(&input, files)
    }

    /// Every problem with `fields` (and `files` of the reader's own), each naming its field by
    /// its label, as [`crate::config::DoublingConfig::problems`] lists them for the doubling example.
    pub fn problems(fields: &BTreeMap<String, Field>, files: usize) -> Vec<Problem> {
        let input = Input::new(fields, &[], fields::IMAGE, Naming::Labels);
        let mut problems = input.problems(&["example"]);
        if problems.is_empty()
            && let Err(error) = Self::read(&input, files)
        {
            problems.push(input.problem(error));
        }
        problems
    }

    fn read(input: &Input, files: usize) -> Result<Self, ConfigError> {
        let image = Field::Text("image".into());
        if let Some(other) = input.get("example").filter(|&e| *e != image) {
            return Err(input.error("example", "one of \"image\"", other));
        }
        let mode = input.choice("mode", MODES)?;
        let default_images = match (mode, files) {
            (ImageMode::Batch, 0) => samples(),
            (ImageMode::Tiles, 0) => vec![DEFAULT_TILE_IMAGE],
            _ => Vec::new(),
        };
        let images = images(input, &default_images)?;
        let count = images.len() + files;
        match mode {
            ImageMode::Batch if count == 0 || count > size_limits().1 => {
                return Err(ConfigError::new(
                    Some("images"),
                    format!(
                        "a batch must have from 1 to {} images (sizes and files \
                         together), but got {count}",
                        size_limits().1
                    ),
                ));
            }
            ImageMode::Tiles if count != 1 => {
                return Err(ConfigError::new(
                    Some("images"),
                    format!("tile mode cuts one image (one size or one file), but got {count}"),
                ));
            }
            _ => {}
        }
        Ok(ImageConfig {
            example: "image",
            mode,
            images,
            target_width: input.whole("targetWidth")?,
            format: input.choice("format", FORMATS)?,
            quality: input.whole("quality")? as u8,
            max_megapixels: input.whole("maxMegapixels")?,
            fetch_ms: input.whole("fetchMs")?,
            tile_size: input.whole("tileSize")?,
            tile_op: input.choice("tileOp", TILE_OPS)?,
            pool: PoolFields::read(input)?,
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
