//! Batch mode: each image is a job. A worker generates the sample (or decodes the file, after
//! checking its header), resizes it to the target width with Lanczos3 and encodes the thumbnail,
//! timing each stage. An image that fails (not an image, truncated, over the pixel budget, too
//! wide) fails alone: its card carries the error and the batch carries on. A [`MemoryGate`] keeps
//! the full-size images that the workers hold at once within one budget, whatever their number.

use super::config::ImageConfig;
use super::memory::{GATE_BYTES, MemoryGate, Reservation};
use super::process::{self, Checks, Format, rgb_bytes, timed};
use super::{ImageRun, Plan, UserFile, samples};
use crate::clock;
use crate::pool::{self, StartError, WorkCtx};
use crate::report::Delivery;
use crate::shutdown::Interrupted;
use crate::spawn::Spawn;
use serde::Serialize;

/// A batch run.
pub type BatchRun = ImageRun<Batch>;

/// Where a job's image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A built-in sample, generated at this size by the worker.
    Sample {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A file's bytes, JPEG or PNG (or not an image at all).
    File(Vec<u8>),
}

/// The images of a batch, in job order (job *n* is entry *n* − 1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Batch {
    /// Each image as the reader knows it before the run.
    pub batch: Vec<Planned>,
}

/// One image of the batch, before it is processed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Planned {
    /// Its job number.
    pub job: u32,
    /// Its name: `sample-800x600`, or the file's name.
    pub image: String,
    /// Its input size in bytes: the file's length, or a sample's raw RGB pixels.
    pub bytes_in: u64,
    /// A sample's width; a file's is known only once its header is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// A sample's height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// Milliseconds spent in each stage of a job; a stage that did not happen is absent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stages {
    /// The simulated download (`fetchMs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch: Option<f64>,
    /// Waiting for room under the run's memory gate, when the job had to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    /// Drawing a sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate: Option<f64>,
    /// Reading and decoding a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode: Option<f64>,
    /// The Lanczos3 resize.
    pub resize: f64,
    /// Encoding the thumbnail.
    pub encode: f64,
}

/// What a successful job returns: the thumbnail and its figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thumbnail {
    /// The source image's width.
    pub source_width: u32,
    /// The source image's height.
    pub source_height: u32,
    /// The thumbnail's width.
    pub width: u32,
    /// The thumbnail's height.
    pub height: u32,
    /// The encoded thumbnail's size in bytes.
    pub bytes_out: u64,
    /// The whole job, in ms.
    pub ms: f64,
    /// The job's stages, in ms.
    pub stages: Stages,
    /// The encoded thumbnail (a `Uint8Array` in JavaScript), in the configured format.
    #[serde(with = "serde_bytes")]
    pub thumbnail: Vec<u8>,
}

/// One image's result as the reader sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageCard {
    /// The image's name.
    pub image: String,
    /// Its job number (its place in the batch, from 1).
    pub job: u32,
    /// The worker that processed it.
    pub worker: u16,
    /// The rank (from 1) at which the consumer received it.
    pub arrival: u32,
    /// Its input size in bytes.
    pub bytes_in: u64,
    /// The thumbnail, when the job succeeded.
    #[serde(flatten)]
    pub thumbnail: Option<Thumbnail>,
    /// Why the job failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Plan for Batch {
    type Job = Source;
    type Output = Thumbnail;
    type Card = ImageCard;

    fn card(&self, delivery: Delivery<Thumbnail>) -> ImageCard {
        let planned = &self.batch[delivery.job as usize - 1];
        ImageCard {
            image: planned.image.clone(),
            job: delivery.job,
            worker: delivery.worker,
            arrival: delivery.arrival,
            bytes_in: planned.bytes_in,
            thumbnail: delivery.value,
            error: delivery.error,
        }
    }
}

/// What every job of a batch does with its image.
struct Recipe {
    checks: Checks,
    target_width: u32,
    format: Format,
    quality: u8,
    fetch_ms: f64,
    gate: MemoryGate,
}

impl Recipe {
    /// Fetch (simulated), generate or decode, resize, encode; the context is checked between
    /// stages, so a forced shutdown stops a job at the next one.
    fn thumbnail(&self, source: &Source, ctx: &WorkCtx) -> Result<Thumbnail, String> {
        let stopped = || {
            if ctx.is_cancelled() {
                Err(Interrupted.to_string())
            } else {
                Ok(())
            }
        };
        let start = clock::now_ms();
        let mut stages = Stages::default();
        if self.fetch_ms > 0.0 {
            let (waited, ms) = timed(|| ctx.sleep_ms(self.fetch_ms));
            waited.map_err(|e| e.to_string())?;
            stages.fetch = Some(ms);
        }
        // The reservation is held until the job ends: the full-size image lives until the resize.
        let (image, _held) = match source {
            &Source::Sample { width, height } => {
                self.checks.check(width, height)?;
                let held =
                    self.reserve((width, height), rgb_bytes(width, height), &mut stages, ctx)?;
                let (image, ms) = timed(|| samples::generate(width, height));
                stages.generate = Some(ms);
                (image, held)
            }
            Source::File(bytes) => {
                let (opened, header_ms) = timed(|| process::open(bytes, &self.checks));
                let opened = opened?;
                let size = (opened.width, opened.height);
                let held = self.reserve(size, opened.decoding_bytes(), &mut stages, ctx)?;
                let (image, ms) = timed(|| opened.decode());
                stages.decode = Some(header_ms + ms);
                (image?, held)
            }
        };
        stopped()?;
        let (source_width, source_height) = image.dimensions();
        let (width, height) = process::fit_width(source_width, source_height, self.target_width);
        let (small, ms) = timed(|| process::resize(&image, width, height));
        stages.resize = ms;
        drop(image);
        stopped()?;
        let (encoded, ms) = timed(|| process::encode(&small, self.format, self.quality));
        stages.encode = ms;
        let thumbnail = encoded?;
        Ok(Thumbnail {
            source_width,
            source_height,
            width,
            height,
            bytes_out: thumbnail.len() as u64,
            ms: clock::now_ms() - start,
            stages,
            thumbnail,
        })
    }

    /// Reserves room for an image of `size` that needs `image_bytes`, plus its resize; notes the
    /// wait in `stages` if there was one.
    fn reserve(
        &self,
        (width, height): (u32, u32),
        image_bytes: u64,
        stages: &mut Stages,
        ctx: &WorkCtx,
    ) -> Result<Reservation<'_>, String> {
        let (_, out_height) = process::fit_width(width, height, self.target_width);
        let bytes = image_bytes + process::resize_bytes(width, out_height);
        let (reserved, ms) = timed(|| self.gate.reserve(bytes, || ctx.is_cancelled()));
        let (reservation, waited) = reserved.map_err(|e| e.to_string())?;
        if waited {
            stages.memory = Some(ms);
        }
        Ok(reservation)
    }
}

/// Starts a batch: the sizes in `config.images` (generated), then `files`, one job each.
pub fn start(
    config: &ImageConfig,
    files: Vec<UserFile>,
    tracing: bool,
    spawner: &dyn Spawn,
) -> Result<BatchRun, StartError> {
    let samples = config.images.iter().map(|size| {
        let (width, height) = (size.width, size.height);
        let raw_bytes = u64::from(width) * u64::from(height) * 3;
        let source = Source::Sample { width, height };
        (samples::name(width, height), raw_bytes, Some(*size), source)
    });
    let files = files.into_iter().map(|file| {
        let bytes_in = file.bytes.len() as u64;
        (file.name, bytes_in, None, Source::File(file.bytes))
    });
    let (batch, sources): (Vec<Planned>, Vec<Source>) = samples
        .chain(files)
        .zip(1..)
        .map(|((image, bytes_in, size, source), job)| {
            let planned = Planned {
                job,
                image,
                bytes_in,
                width: size.map(|s| s.width),
                height: size.map(|s| s.height),
            };
            (planned, source)
        })
        .unzip();
    let recipe = Recipe {
        checks: config.batch_checks(),
        target_width: config.target_width,
        format: config.format,
        quality: config.quality,
        fetch_ms: config.fetch_ms.into(),
        gate: MemoryGate::new(GATE_BYTES),
    };
    let run = pool::start(
        &config.pool.pool(tracing),
        sources,
        move |source: &Source, ctx: &WorkCtx| recipe.thumbnail(source, ctx),
        spawner,
    )?;
    Ok(ImageRun::new(run, config, Batch { batch }))
}
