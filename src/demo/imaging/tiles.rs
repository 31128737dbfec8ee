//! Tile mode: one image cut into square tiles, each tile a job. A worker blurs its tile (or not)
//! and resizes it to its share of the preview, so the tiles put together make the preview and the
//! cards show which worker did each tile and in what order the tiles arrived.
//!
//! The image is generated or decoded once, before the run, and shared by every tile job: memory
//! holds one full-size image however many tiles are queued.

use super::config::{ImageConfig, TileOp};
use super::process::{self, timed};
use super::{ImageRun, Plan, UserFile, samples};
use crate::pool::report::Delivery;
use crate::pool::spawn::Spawn;
use crate::pool::{self, StartError, WorkCtx};
use image::{GenericImageView, RgbImage};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A tile run.
pub type TileRun = ImageRun<Grid>;

/// The blur's sigma in preview pixels (converted to the source's scale, within the bounds below).
const BLUR_PREVIEW_SIGMA: f32 = 1.0;
const BLUR_SIGMA_RANGE: (f32, f32) = (1.0, 24.0);

/// One tile: where it is in the source image and in the preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tile {
    /// Column, from 0 at the left.
    pub column: u32,
    /// Row, from 0 at the top.
    pub row: u32,
    /// Left edge in the source image.
    pub x: u32,
    /// Top edge in the source image.
    pub y: u32,
    /// Width in the source image (edge tiles may be narrower).
    pub width: u32,
    /// Height in the source image.
    pub height: u32,
    /// Left edge in the preview.
    pub out_x: u32,
    /// Top edge in the preview.
    pub out_y: u32,
    /// Width in the preview (the preview's tiles abut exactly).
    pub out_width: u32,
    /// Height in the preview.
    pub out_height: u32,
}

/// The cut: the image, the tile size, and every tile in job order (row by row).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grid {
    /// The image's name.
    pub image: String,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// The side of a full tile.
    pub tile_size: u32,
    /// Tiles across.
    pub columns: u32,
    /// Tiles down.
    pub rows: u32,
    /// The preview's width.
    pub out_width: u32,
    /// The preview's height.
    pub out_height: u32,
    /// The tiles; job *n* is entry *n* − 1.
    pub tiles: Vec<Tile>,
}

impl Grid {
    /// Cuts an image of `width` × `height` into tiles of `tile_size`, for a preview `target_width`
    /// wide (never wider than the image).
    pub fn new(
        image: String,
        (width, height): (u32, u32),
        tile_size: u32,
        target_width: u32,
    ) -> Self {
        let (out_width, out_height) = process::fit_width(width, height, target_width);
        let columns = width.div_ceil(tile_size);
        let rows = height.div_ceil(tile_size);
        // Edges scale independently and round, so neighbouring preview tiles share their edge.
        let scale = |at: u32, from: u32, to: u32| {
            ((u64::from(at) * u64::from(to) + u64::from(from) / 2) / u64::from(from)) as u32
        };
        let tiles = (0..rows)
            .flat_map(|row| (0..columns).map(move |column| (column, row)))
            .map(|(column, row)| {
                let (x, y) = (column * tile_size, row * tile_size);
                let (right, bottom) = ((x + tile_size).min(width), (y + tile_size).min(height));
                let (out_x, out_y) = (scale(x, width, out_width), scale(y, height, out_height));
                Tile {
                    column,
                    row,
                    x,
                    y,
                    width: right - x,
                    height: bottom - y,
                    out_x,
                    out_y,
                    out_width: scale(right, width, out_width) - out_x,
                    out_height: scale(bottom, height, out_height) - out_y,
                }
            })
            .collect();
        Grid {
            image,
            width,
            height,
            tile_size,
            columns,
            rows,
            out_width,
            out_height,
            tiles,
        }
    }
}

/// A tile job: the tile and the image it is cut from (shared by every tile).
pub struct TileJob {
    /// The tile.
    pub tile: Tile,
    /// The whole image.
    pub image: Arc<RgbImage>,
}

/// What a tile job returns: its time and its preview pixels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TileOutput {
    /// The job, in ms.
    pub ms: f64,
    /// The tile's preview pixels, RGBA row by row (`outWidth` × `outHeight` × 4 bytes), ready for
    /// an `ImageData`.
    #[serde(with = "serde_bytes")]
    pub rgba: Vec<u8>,
}

/// One tile's result as the reader sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TileCard {
    /// The tile's job number (row by row, from 1).
    pub tile: u32,
    /// Where it is.
    #[serde(flatten)]
    pub place: Tile,
    /// The worker that processed it.
    pub worker: u16,
    /// The rank (from 1) at which the consumer received it: the order of completion.
    pub arrival: u32,
    /// Its time and pixels, when the job succeeded.
    #[serde(flatten)]
    pub output: Option<TileOutput>,
    /// Why the job failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Plan for Grid {
    type Job = TileJob;
    type Output = TileOutput;
    type Card = TileCard;

    fn card(&self, delivery: Delivery<TileOutput>) -> TileCard {
        TileCard {
            tile: delivery.job,
            place: self.tiles[delivery.job as usize - 1],
            worker: delivery.worker,
            arrival: delivery.arrival,
            output: delivery.value,
            error: delivery.error,
        }
    }
}

/// Why tile mode could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CannotStart {
    /// The image could not be had: not an image, unreadable, over the pixel budget.
    Image(String),
    /// The pool refused the run.
    Pool(StartError),
}

impl fmt::Display for CannotStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CannotStart::Image(message) => f.write_str(message),
            CannotStart::Pool(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for CannotStart {}

impl From<StartError> for CannotStart {
    fn from(error: StartError) -> Self {
        CannotStart::Pool(error)
    }
}

/// What every tile job does.
struct Recipe {
    op: TileOp,
    sigma: f32,
    fetch_ms: f64,
}

impl Recipe {
    fn process(&self, job: &TileJob, ctx: &WorkCtx) -> Result<TileOutput, String> {
        let (pixels, ms) = timed(|| {
            ctx.sleep_ms(self.fetch_ms).map_err(|e| e.to_string())?;
            let t = job.tile;
            let view = job.image.view(t.x, t.y, t.width, t.height);
            Ok::<_, String>(match self.op {
                TileOp::Blur => {
                    let blurred = image::imageops::blur(&*view, self.sigma);
                    process::resize(&blurred, t.out_width, t.out_height)
                }
                TileOp::Resize => process::resize(&*view, t.out_width, t.out_height),
            })
        });
        let rgba = pixels?
            .pixels()
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        Ok(TileOutput { ms, rgba })
    }
}

/// Starts tile mode on the run's one image (the size in `config.images`, or the one file), which is
/// generated or decoded here, before any tile is queued.
pub fn start(
    config: &ImageConfig,
    files: Vec<UserFile>,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<TileRun, CannotStart> {
    let checks = config.tile_checks();
    let (name, image) = match (config.images.first(), files.into_iter().next()) {
        (Some(size), _) => {
            checks
                .check(size.width, size.height)
                .map_err(CannotStart::Image)?;
            let image = samples::generate(size.width, size.height);
            (samples::name(size.width, size.height), image)
        }
        (None, Some(file)) => {
            let image = process::decode(&file.bytes, &checks)
                .map_err(|e| CannotStart::Image(format!("{}: {e}", file.name)))?;
            (file.name, image)
        }
        (None, None) => return Err(CannotStart::Image("tile mode needs an image".into())),
    };
    let grid = Grid::new(
        name,
        image.dimensions(),
        config.tile_size,
        config.target_width,
    );
    let scale = grid.out_width as f32 / grid.width as f32;
    let (low, high) = BLUR_SIGMA_RANGE;
    let recipe = Recipe {
        op: config.tile_op,
        sigma: (BLUR_PREVIEW_SIGMA / scale).clamp(low, high),
        fetch_ms: config.fetch_ms.into(),
    };
    let image = Arc::new(image);
    let jobs: Vec<TileJob> = grid
        .tiles
        .iter()
        .map(|&tile| TileJob {
            tile,
            image: Arc::clone(&image),
        })
        .collect();
    let run = pool::start(
        &config.pool.pool(tracing),
        jobs,
        move |job: &TileJob, ctx: &WorkCtx| recipe.process(job, ctx),
        spawner,
    )?;
    Ok(ImageRun::new(run, config, grid))
}
