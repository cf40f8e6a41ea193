//! A picture decoded within limits and turned upright, and its variants encoded
//! with nothing but pixels: no EXIF (a phone photo's GPS position, the camera's
//! serial), XMP, IPTC or comments survive, since only the decoded pixels are
//! encoded again. Decoders: `image` over zune-jpeg; resizer: `fast_image_resize`;
//! WebP: libwebp (BENCHMARKS.md "Pictures, measured ahead" says why each).

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};

/// What a picture may cost to decode, checked from its header before any pixel
/// is allocated: a 48-megapixel phone photo (8000×6000) passes, a decompression
/// bomb does not.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pixels: u64,
    pub max_bytes: u64,
}

/// The limits of pictures in pages and bios (SECURITY.md states them).
pub const PICTURE_LIMITS: Limits = Limits {
    max_pixels: 50_000_000,
    max_bytes: 40 * 1024 * 1024,
};

/// A decoded picture, upright.
#[derive(Debug)]
pub struct Picture {
    image: DynamicImage,
}

impl Picture {
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    pub fn height(&self) -> u32 {
        self.image.height()
    }
}

/// Decodes `bytes` (JPEG, PNG, WebP or GIF) within `limits`, with the JPEG's
/// orientation applied, so that the pixels are as the photographer saw them.
pub fn decode(bytes: &[u8], limits: Limits) -> Result<Picture, String> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(format!(
            "is {} MB, more than the {} MB a picture may be",
            bytes.len() / (1024 * 1024),
            limits.max_bytes / (1024 * 1024)
        ));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("is not a picture hearth reads (JPEG, PNG, WebP, GIF): {e}"))?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(format!(
            "is {w}×{h} ({} megapixels), more than the {} a picture may have",
            pixels / 1_000_000,
            limits.max_pixels / 1_000_000
        ));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| format!("cannot be decoded: {e}"))?;
    image.apply_orientation(orientation);
    Ok(Picture { image })
}

/// `picture` resized to `width`×`height` (Lanczos3) and encoded as WebP at
/// `quality` (0–100): pixels only, no metadata.
pub fn webp(picture: &Picture, width: u32, height: u32, quality: f32) -> Result<Vec<u8>, String> {
    let alpha = picture.image.color().has_alpha();
    let (pixels, kind) = match alpha {
        true => (picture.image.to_rgba8().into_raw(), fr::PixelType::U8x4),
        false => (picture.image.to_rgb8().into_raw(), fr::PixelType::U8x3),
    };
    let src = fr::images::Image::from_vec_u8(picture.width(), picture.height(), pixels, kind)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    let mut dst = fr::images::Image::new(width.max(1), height.max(1), kind);
    fr::Resizer::new()
        .resize(
            &src,
            &mut dst,
            &fr::ResizeOptions::new()
                .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3)),
        )
        .map_err(|e| format!("cannot be resized: {e}"))?;
    let encoder = match alpha {
        true => webp::Encoder::from_rgba(dst.buffer(), dst.width(), dst.height()),
        false => webp::Encoder::from_rgb(dst.buffer(), dst.width(), dst.height()),
    };
    let encoded = encoder
        .encode_simple(false, quality.clamp(0.0, 100.0))
        .map_err(|e| format!("cannot be encoded as WebP: {e:?}"))?;
    Ok(encoded.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 40×20 JPEG whose EXIF says "rotate 90° clockwise" (orientation 6) and
    /// carries a GPS block, as a phone writes them.
    fn phone_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 90, 160]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        let mut tiff: Vec<u8> = b"MM\0*\0\0\0\x08".to_vec();
        // IFD0: orientation 6, and where the GPS block is (offset 38).
        tiff.extend([0, 2]);
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        tiff.extend([0, 0, 0, 0]);
        // The GPS block: latitude "N".
        tiff.extend([0, 1]);
        tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend([0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(len.to_be_bytes());
        out.extend(&app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_phone_photo_is_turned_upright_and_loses_its_metadata() {
        let jpeg = phone_jpeg();
        assert!(jpeg.windows(4).any(|w| w == b"Exif"));
        let picture = decode(&jpeg, PICTURE_LIMITS).unwrap();
        assert_eq!(
            (picture.width(), picture.height()),
            (20, 40),
            "rotated upright"
        );
        let out = webp(&picture, 10, 20, 80.0).unwrap();
        assert!(out.starts_with(b"RIFF") && &out[8..12] == b"WEBP");
        for marker in [&b"Exif"[..], b"EXIF", b"XMP ", b"MM\0*", b"II*\0"] {
            assert!(
                !out.windows(marker.len()).any(|w| w == marker),
                "{marker:?}"
            );
        }
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (10, 20));
    }

    #[test]
    fn pictures_past_the_limits_are_refused_before_decoding() {
        let jpeg = phone_jpeg();
        let tight = Limits {
            max_pixels: 100,
            max_bytes: 1 << 20,
        };
        assert!(decode(&jpeg, tight).unwrap_err().contains("megapixels"));
        let small = Limits {
            max_pixels: 1 << 20,
            max_bytes: 10,
        };
        assert!(decode(&jpeg, small).unwrap_err().contains("MB"));
        assert!(decode(b"not a picture", PICTURE_LIMITS).is_err());
    }
}
