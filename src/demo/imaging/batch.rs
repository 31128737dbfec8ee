//! Batch mode: each image is a job. A worker generates the sample (or decodes the file, after
//! checking its header), resizes it to the target width with Lanczos3 and encodes the thumbnail,
//! timing each stage. An image that fails (not an image, truncated, over the pixel budget, too
//! wide) fails alone: its card carries the error and the batch carries on. A [`MemoryGate`] keeps
//! the full-size images that the workers hold at once within one budget, whatever their number.

use super::config::ImageConfig;
use super::memory::{GATE_BYTES, MemoryGate, Reservation};
use super::process::{self, Checks, Format, rgb_bytes, timed};
use super::{ImageRun, Plan, UserFile, samples};
use crate::observe::clock;
use crate::pool::report::Delivery;
use crate::pool::shutdown::Interrupted;
use crate::pool::spawn::Spawn;
use crate::pool::{self, StartError, WorkCtx};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

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
#[derive(Clone, Debug, Serialize)]
pub struct Batch {
    /// Each image as the reader knows it before the run.
    pub batch: Vec<Planned>,
    /// How far each failed job got, by job number: its card shows it.
    #[serde(skip)]
    failures: Arc<Mutex<BTreeMap<u32, Progress>>>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resize: Option<f64>,
    /// Encoding the thumbnail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encode: Option<f64>,
}

/// How far a job got, whether it succeeded or failed: its time, its stages, the source's size once
/// known (a sample's from the start, a file's from its header).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// The whole job, up to its end or its failure, in ms.
    pub ms: f64,
    /// The stages it went through, in ms.
    pub stages: Stages,
    /// The source image's width and height, once known.
    pub source: Option<(u32, u32)>,
}

/// What a successful job returns: the thumbnail and how it was made.
#[derive(Clone, Debug, PartialEq)]
pub struct Thumbnail {
    /// The thumbnail's width.
    pub width: u32,
    /// The thumbnail's height.
    pub height: u32,
    /// The encoded thumbnail, in the configured format.
    pub bytes: Vec<u8>,
    /// Its time, stages and source size.
    pub progress: Progress,
}

/// One image's result as the reader sees it. Every field but `thumbnail`, `error` and the source
/// size is always there: a failed image has width, height and `bytes_out` 0 (no thumbnail), and
/// `ms` is the time until it failed.
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
    /// The thumbnail's width (0 when the job failed).
    pub width: u32,
    /// The thumbnail's height (0 when the job failed).
    pub height: u32,
    /// Its input size in bytes.
    pub bytes_in: u64,
    /// The encoded thumbnail's size in bytes (0 when the job failed).
    pub bytes_out: u64,
    /// The whole job, up to its end or its failure, in ms.
    pub ms: f64,
    /// The job's stages, in ms.
    pub stages: Stages,
    /// The source image's width, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_width: Option<u32>,
    /// The source image's height, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_height: Option<u32>,
    /// The encoded thumbnail (a `Uint8Array` in JavaScript), when the job succeeded.
    #[serde(skip_serializing_if = "Option::is_none", with = "serde_bytes")]
    pub thumbnail: Option<Vec<u8>>,
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
        let (made, progress) = match delivery.value {
            Some(Thumbnail {
                width,
                height,
                bytes,
                progress,
            }) => (Some((width, height, bytes)), progress),
            None => {
                let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
                (
                    None,
                    failures.get(&delivery.job).cloned().unwrap_or_default(),
                )
            }
        };
        let (width, height, thumbnail) = match made {
            Some((width, height, bytes)) => (width, height, Some(bytes)),
            None => (0, 0, None),
        };
        ImageCard {
            image: planned.image.clone(),
            job: delivery.job,
            worker: delivery.worker,
            arrival: delivery.arrival,
            width,
            height,
            bytes_in: planned.bytes_in,
            bytes_out: thumbnail.as_ref().map_or(0, |t| t.len() as u64),
            ms: progress.ms,
            stages: progress.stages,
            source_width: progress.source.map(|(w, _)| w),
            source_height: progress.source.map(|(_, h)| h),
            thumbnail,
            error: delivery.error,
        }
    }
}

/// A thumbnail's width, height and encoded bytes.
type Made = (u32, u32, Vec<u8>);

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
    /// Makes the thumbnail of `source` (or fails), timing the whole job and noting how far it
    /// got either way.
    fn thumbnail(&self, source: &Source, ctx: &WorkCtx) -> (Result<Made, String>, Progress) {
        let start = clock::now_ms();
        let mut progress = Progress::default();
        let made = self.make(source, ctx, &mut progress);
        progress.ms = clock::now_ms() - start;
        (made, progress)
    }

    /// Fetch (simulated), generate or decode, resize, encode, noting each stage in `progress`;
    /// the context is checked between stages, so a forced shutdown stops a job at the next one.
    fn make(
        &self,
        source: &Source,
        ctx: &WorkCtx,
        progress: &mut Progress,
    ) -> Result<Made, String> {
        let stopped = || {
            if ctx.is_cancelled() {
                Err(Interrupted.to_string())
            } else {
                Ok(())
            }
        };
        let stages = &mut progress.stages;
        if self.fetch_ms > 0.0 {
            let (waited, ms) = timed(|| ctx.sleep_ms(self.fetch_ms));
            waited.map_err(|e| e.to_string())?;
            stages.fetch = Some(ms);
        }
        // The reservation is held until the job ends: the full-size image lives until the resize.
        let (image, _held) = match source {
            &Source::Sample { width, height } => {
                progress.source = Some((width, height));
                self.checks.check(width, height)?;
                let held = self.reserve((width, height), rgb_bytes(width, height), stages, ctx)?;
                let (image, ms) = timed(|| samples::generate(width, height));
                stages.generate = Some(ms);
                (image, held)
            }
            Source::File(bytes) => {
                let (opened, header_ms) = timed(|| process::read_header(bytes, &self.checks));
                let opened = opened?;
                let size = (opened.width, opened.height);
                progress.source = Some(size);
                self.checks.check(opened.width, opened.height)?;
                let held = self.reserve(size, opened.decoding_bytes(), stages, ctx)?;
                let (image, ms) = timed(|| opened.decode());
                stages.decode = Some(header_ms + ms);
                (image?, held)
            }
        };
        stopped()?;
        let (source_width, source_height) = image.dimensions();
        let (width, height) = process::fit_width(source_width, source_height, self.target_width);
        let (small, ms) = timed(|| process::resize(&image, width, height));
        stages.resize = Some(ms);
        drop(image);
        stopped()?;
        let (encoded, ms) = timed(|| process::encode(&small, self.format, self.quality));
        stages.encode = Some(ms);
        Ok((width, height, encoded?))
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
    let plan = Batch {
        batch,
        failures: Arc::default(),
    };
    let failures = Arc::clone(&plan.failures);
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
        move |source: &Source, ctx: &WorkCtx| match recipe.thumbnail(source, ctx) {
            (Ok((width, height, bytes)), progress) => Ok(Thumbnail {
                width,
                height,
                bytes,
                progress,
            }),
            (Err(message), progress) => {
                let mut failures = failures.lock().unwrap_or_else(PoisonError::into_inner);
                failures.insert(ctx.job, progress);
                Err(message)
            }
        },
        spawner,
    )?;
    Ok(ImageRun::new(run, config, plan))
}
