//! Photos in pages and bios (SPEC §6): what a picture is, measured from its
//! header within limits that admit a 48-megapixel phone photo and refuse a
//! decompression bomb before a pixel is allocated.

use std::io::Cursor;

use image::{ImageDecoder, ImageReader};

/// What a picture may cost to decode, checked from its header before any pixel
/// is allocated.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pixels: u64,
    pub max_bytes: u64,
}

/// The limits of pictures in pages, bios and avatars (SECURITY.md states them):
/// an 8000×6000 phone photo of 25 MB passes.
pub const PICTURE_LIMITS: Limits = Limits {
    max_pixels: 50_000_000,
    max_bytes: 40 * 1024 * 1024,
};

/// A picture as its header describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    /// Upright: a photo whose EXIF turns it a quarter is as wide as it is high.
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation is not "as stored": publishing it means encoding
    /// it again, upright.
    pub turned: bool,
}

/// The pictures hearth publishes without their metadata (SPEC §6): photos, and
/// GIFs.
pub fn is_picture(name: &str) -> bool {
    is_photo(name) || name.to_ascii_lowercase().ends_with(".gif")
}

/// The pictures hearth makes variants of (a GIF is published as it is, but for
/// its metadata: its variants would lose the animation).
pub fn is_photo(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Checks `bytes` against `limits` and reads the size and orientation from the
/// header; nothing is decoded.
pub fn measure(bytes: &[u8], limits: Limits) -> Result<Measured, String> {
    let decoder = header(bytes, limits)?;
    let (w, h) = decoder.0.dimensions();
    let turned = decoder.1 != image::metadata::Orientation::NoTransforms;
    let quarter = matches!(
        decoder.1,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let (width, height) = if quarter { (h, w) } else { (w, h) };
    Ok(Measured {
        width,
        height,
        turned,
    })
}

fn check_pixels(w: u64, h: u64, limits: Limits) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("has no pixels".into());
    }
    let pixels = w.saturating_mul(h);
    if pixels > limits.max_pixels {
        return Err(format!(
            "is {w}×{h} ({} megapixels), more than the {} a picture may have",
            pixels / 1_000_000,
            limits.max_pixels / 1_000_000
        ));
    }
    Ok(())
}

/// A decoder past its header, within `limits`, and the picture's orientation.
pub fn header(
    bytes: &[u8],
    limits: Limits,
) -> Result<(Box<dyn ImageDecoder + '_>, image::metadata::Orientation), String> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(format!(
            "is {} MB, more than the {} MB a picture may be",
            bytes.len().div_ceil(1024 * 1024),
            limits.max_bytes / (1024 * 1024)
        ));
    }
    // The size as the header states it, before a decoder reads further.
    if let Ok(size) = imagesize::blob_size(bytes) {
        check_pixels(size.width as u64, size.height as u64, limits)?;
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("is not a picture hearth reads (JPEG, PNG, WebP): {e}"))?;
    let (w, h) = decoder.dimensions();
    check_pixels(u64::from(w), u64::from(h), limits)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    Ok((Box::new(decoder), orientation))
}
