//! The built-in sample images: the sizes of the image service the example is modelled on, drawn in
//! Rust on the worker that processes them, so the batch needs no files and looks the same on every
//! run and every machine.

use image::{Rgb, RgbImage};

/// The samples' sizes, in the service's order; the 5000-px one is too wide on purpose.
pub const SAMPLE_SIZES: [(u32, u32); 8] = [
    (800, 600),
    (1200, 800),
    (1920, 1080),
    (640, 480),
    (5000, 3000),
    (2560, 1440),
    (3840, 2160),
    (1024, 768),
];

/// The name a sample of `width` × `height` goes by in results.
pub fn name(width: u32, height: u32) -> String {
    format!("sample-{width}x{height}")
}

/// Draws the sample of `width` × `height`: a diagonal gradient between two tinted greys chosen by
/// the size, rings around an off-centre point, and a fine grid (detail that shows the filter's
/// quality). Deterministic: the same size always gives the same pixels.
pub fn generate(width: u32, height: u32) -> RgbImage {
    let (from, to) = palette(width, height);
    let (w, h) = (width as f32, height as f32);
    let (cx, cy) = (0.62 * w, 0.38 * h);
    let unit = w.min(h).max(1.0);
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let along = (fx / w + fy / h) * 0.5;
        let mut pixel = [0.0f32; 3];
        for (c, p) in pixel.iter_mut().enumerate() {
            *p = from[c] + (to[c] - from[c]) * along;
        }
        let distance = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt() / unit;
        if (distance * 9.0).fract() < 0.5 {
            pixel.iter_mut().for_each(|p| *p *= 0.8);
        }
        if x % 48 == 0 || y % 48 == 0 {
            pixel.iter_mut().for_each(|p| *p += (255.0 - *p) * 0.35);
        }
        Rgb(pixel.map(|p| p.round().clamp(0.0, 255.0) as u8))
    })
}

/// How far a sample's colours stray from grey (0: grey, 1: fully saturated). Worker frames and
/// tile overlays on the page are saturated colours, so a sample kept this close to grey is never
/// mistaken for its frame's colour.
const TINT: f32 = 0.12;

/// Two tones picked by the size, a light one and a dark one: greys with a faint tint whose hue
/// the formula spreads over the eight samples, so each looks its own.
fn palette(width: u32, height: u32) -> ([f32; 3], [f32; 3]) {
    let hue = ((59 * u64::from(width) + 33 * u64::from(height)) % 360) as f32;
    (
        tinted_grey(hue, 0.9),
        tinted_grey((hue + 140.0) % 360.0, 0.35),
    )
}

/// A grey of brightness `value` (0–1) tinted towards `hue` (degrees) by [`TINT`], in 0–255 per
/// channel.
fn tinted_grey(hue: f32, value: f32) -> [f32; 3] {
    let sector = hue / 60.0;
    let x = 1.0 - (sector % 2.0 - 1.0).abs();
    let (r, g, b) = match sector as u32 {
        0 => (1.0, x, 0.0),
        1 => (x, 1.0, 0.0),
        2 => (0.0, 1.0, x),
        3 => (0.0, x, 1.0),
        4 => (x, 0.0, 1.0),
        _ => (1.0, 0.0, x),
    };
    [r, g, b].map(|c| 255.0 * value * (1.0 - TINT + TINT * c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pixel's saturation (HSV: how far from grey, 0–1). The worker colours have about 0.73.
    fn saturation([r, g, b]: [u8; 3]) -> f32 {
        let (max, min) = (r.max(g).max(b), r.min(g).min(b));
        if max == 0 {
            return 0.0;
        }
        f32::from(max - min) / f32::from(max)
    }

    #[test]
    fn every_sample_stays_near_grey_far_from_the_saturated_worker_colours() {
        for (width, height) in SAMPLE_SIZES {
            let (from, to) = palette(width, height);
            for tone in [from, to] {
                let pixel = tone.map(|c| c.round() as u8);
                assert!(saturation(pixel) < 0.2, "{width}x{height}: {pixel:?}");
            }
        }
        let sample = generate(320, 240);
        let most = sample.pixels().map(|p| saturation(p.0)).fold(0.0, f32::max);
        assert!(most < 0.2, "the most saturated pixel: {most}");
    }
}
