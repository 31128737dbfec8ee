//! The image work itself: read a file's header and check it against the limits before decoding,
//! decode, resize with a Lanczos3 filter, encode. Every failure is an `Err` with a sentence for the
//! reader, never a panic: in wasm a panic would take a pool thread down with it.

use crate::observe::clock;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::{self, FilterType};
use image::{
    DynamicImage, GenericImageView, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits,
    Rgb, RgbImage,
};
use serde::Serialize;
use std::io::Cursor;

/// The widest image the batch accepts, as in the image service the example is modelled on.
pub const MAX_WIDTH: u32 = 4000;

/// What an image may be before any of its pixels are touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checks {
    /// The pixel budget: at most this many megapixels (width × height / 1,000,000).
    pub max_megapixels: u32,
    /// The widest image accepted, if there is such a rule.
    pub max_width: Option<u32>,
}

impl Checks {
    /// The most pixels an image may have.
    pub fn max_pixels(&self) -> u64 {
        u64::from(self.max_megapixels) * 1_000_000
    }

    /// Whether an image of `width` × `height` may be decoded (or generated): first the width rule,
    /// then the pixel budget.
    pub fn check(&self, width: u32, height: u32) -> Result<(), String> {
        if let Some(max) = self.max_width.filter(|&max| width > max) {
            return Err(format!("image too large: max width is {max}px"));
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels() {
            return Err(format!(
                "image over the pixel budget: {width}×{height} is {:.1} megapixels, more than \
                 {}; nothing decoded",
                pixels as f64 / 1e6,
                self.max_megapixels
            ));
        }
        Ok(())
    }
}

/// How a thumbnail is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Lossless PNG.
    Png,
    /// JPEG at the configured quality.
    Jpeg,
}

/// A JPEG or PNG file whose header has been read and checked, ready to decode.
pub struct Opened<D> {
    decoder: D,
    /// The image's width.
    pub width: u32,
    /// The image's height.
    pub height: u32,
}

/// Reads the header of a JPEG or PNG file and checks its size against `checks`; no pixel is
/// decoded yet.
pub fn open<'a>(
    bytes: &'a [u8],
    checks: &Checks,
) -> Result<Opened<impl ImageDecoder + 'a>, String> {
    let opened = read_header(bytes, checks)?;
    checks.check(opened.width, opened.height)?;
    Ok(opened)
}

/// Reads the header of a JPEG or PNG file, so its size is known; the decoder is told to refuse
/// allocations past the pixel budget of `checks`, but the size itself is not checked yet (that is
/// what [`open`] adds).
pub fn read_header<'a>(
    bytes: &'a [u8],
    checks: &Checks,
) -> Result<Opened<impl ImageDecoder + 'a>, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("could not read the file: {e}"))?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err("not an image: the file is neither a JPEG nor a PNG".to_string());
    }
    // A second guard behind the budget: the decoders themselves refuse to allocate more.
    let mut limits = Limits::default();
    limits.max_alloc = Some(checks.max_pixels() * 8);
    reader.limits(limits);
    let decoder = reader
        .into_decoder()
        .map_err(|e| format!("not a readable image: {e}"))?;
    let (width, height) = decoder.dimensions();
    Ok(Opened {
        decoder,
        width,
        height,
    })
}

impl<D: ImageDecoder> Opened<D> {
    /// The bytes decoding holds at its peak: the decoded pixels as the file stores them, and the
    /// 8-bit RGB copy.
    pub fn decoding_bytes(&self) -> u64 {
        self.decoder.total_bytes() + rgb_bytes(self.width, self.height)
    }

    /// Decodes to 8-bit RGB (transparent pixels are laid over white).
    pub fn decode(self) -> Result<RgbImage, String> {
        let image = DynamicImage::from_decoder(self.decoder)
            .map_err(|e| format!("could not decode: {e}"))?;
        Ok(if image.color().has_alpha() {
            over_white(image)
        } else {
            image.into_rgb8()
        })
    }
}

/// Reads the header of a JPEG or PNG file, checks its size against `checks`, and only then decodes
/// it to 8-bit RGB.
pub fn decode(bytes: &[u8], checks: &Checks) -> Result<RgbImage, String> {
    open(bytes, checks)?.decode()
}

/// The bytes of a `width` × `height` image in 8-bit RGB.
pub fn rgb_bytes(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height) * 3
}

/// The bytes [`resize`] holds besides its input and output: one row of four `f32`s per source
/// column for every output row.
pub fn resize_bytes(source_width: u32, out_height: u32) -> u64 {
    u64::from(source_width) * u64::from(out_height) * 16
}

/// Lays an image with transparency over a white background.
fn over_white(image: DynamicImage) -> RgbImage {
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend =
            |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8;
        Rgb([blend(r), blend(g), blend(b)])
    })
}

/// The size of an image `width` × `height` scaled to `target_width`, never enlarged, keeping the
/// aspect ratio (each side at least one pixel).
pub fn fit_width(width: u32, height: u32, target_width: u32) -> (u32, u32) {
    let out_width = target_width.min(width).max(1);
    let out_height = (f64::from(height) * f64::from(out_width) / f64::from(width)).round();
    (out_width, (out_height as u32).max(1))
}

/// Resizes `image` to `width` × `height` with a Lanczos3 filter; an empty size gives an empty
/// image.
pub fn resize<I>(image: &I, width: u32, height: u32) -> RgbImage
where
    I: GenericImageView<Pixel = Rgb<u8>>,
{
    if width == 0 || height == 0 {
        return RgbImage::new(width, height);
    }
    imageops::resize(image, width, height, FilterType::Lanczos3)
}

/// Encodes `image` as PNG or as JPEG at `quality` (1–100).
pub fn encode(image: &RgbImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (width, height) = image.dimensions();
    let color = image::ExtendedColorType::Rgb8;
    match format {
        Format::Png => PngEncoder::new(&mut out).write_image(image.as_raw(), width, height, color),
        Format::Jpeg => JpegEncoder::new_with_quality(&mut out, quality).write_image(
            image.as_raw(),
            width,
            height,
            color,
        ),
    }
    .map_err(|e| format!("could not encode: {e}"))?;
    Ok(out)
}

/// Runs `f` and says how long it took, in ms.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = clock::now_ms();
    let value = f();
    (value, clock::now_ms() - start)
}
