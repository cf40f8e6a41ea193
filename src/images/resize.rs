//! A picture decoded within limits and turned upright, and its variants encoded
//! with nothing but pixels: no EXIF (a phone photo's GPS position, the camera's
//! serial), XMP, IPTC or comments survive, since only the decoded pixels are
//! encoded again. Decoders: `image` over zune-jpeg; resizer: `fast_image_resize`;
//! WebP: libwebp (BENCHMARKS.md "Pictures, measured ahead" says why each).

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder};

pub use crate::images::photo::{Limits, PICTURE_LIMITS};

/// A decoded picture, upright, with its colour profile.
pub struct Picture {
    pixels: fr::images::Image<'static>,
    alpha: bool,
    /// The ICC profile: a phone's Display P3 photo shown without it is duller.
    icc: Option<Vec<u8>>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}×{})", self.width(), self.height())
    }
}

impl Picture {
    pub fn width(&self) -> u32 {
        self.pixels.width()
    }

    pub fn height(&self) -> u32 {
        self.pixels.height()
    }
}

/// Decodes `bytes` (JPEG, PNG or WebP) within `limits`, with the EXIF
/// orientation applied, so that the pixels are as the photographer saw them.
pub fn decode(bytes: &[u8], limits: Limits) -> Result<Picture, String> {
    let (mut decoder, orientation) = crate::images::photo::header(bytes, limits)?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| format!("cannot be decoded: {e}"))?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (w, h) = (image.width(), image.height());
    let (pixels, kind) = match alpha {
        true => (image.into_rgba8().into_raw(), fr::PixelType::U8x4),
        false => (image.into_rgb8().into_raw(), fr::PixelType::U8x3),
    };
    let pixels = fr::images::Image::from_vec_u8(w, h, pixels, kind)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    Ok(Picture { pixels, alpha, icc })
}

/// What a picture is encoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Webp,
    Avif,
    Jpeg,
    Png,
}

impl Encoding {
    /// The encoding of a file named `name` ("porto-480.webp").
    pub fn of(name: &str) -> Encoding {
        match name
            .rsplit('.')
            .next()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("webp") => Encoding::Webp,
            Some("avif") => Encoding::Avif,
            Some("png") => Encoding::Png,
            _ => Encoding::Jpeg,
        }
    }
}

/// `picture` resized to `width`×`height` (Lanczos3), its middle first cut to
/// that aspect when `cover` (an avatar's square, `resize_image`'s `fill`),
/// then encoded as `encoding` at `quality` (1–100): pixels and the colour
/// profile, nothing else.
pub fn encode(
    picture: &Picture,
    width: u32,
    height: u32,
    cover: bool,
    encoding: Encoding,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let kind = picture.pixels.pixel_type();
    let mut dst = fr::images::Image::new(width.max(1), height.max(1), kind);
    let mut options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    if cover {
        let (w, h) = (f64::from(picture.width()), f64::from(picture.height()));
        let aspect = f64::from(width.max(1)) / f64::from(height.max(1));
        let (cw, ch) = if w / h > aspect {
            (h * aspect, h)
        } else {
            (w, w / aspect)
        };
        options = options.crop((w - cw) / 2.0, (h - ch) / 2.0, cw, ch);
    }
    fr::Resizer::new()
        .resize(&picture.pixels, &mut dst, &options)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    let (w, h, buf) = (dst.width(), dst.height(), dst.buffer());
    let color = match picture.alpha {
        true => image::ExtendedColorType::Rgba8,
        false => image::ExtendedColorType::Rgb8,
    };
    let icc = picture.icc.clone();
    let mut out = Vec::new();
    match encoding {
        Encoding::Webp => {
            let encoder = match picture.alpha {
                true => webp::Encoder::from_rgba(buf, w, h),
                false => webp::Encoder::from_rgb(buf, w, h),
            };
            let encoded = encoder
                .encode_simple(false, f32::from(quality.clamp(1, 100)))
                .map_err(|e| format!("cannot be encoded as WebP: {e:?}"))?;
            out = match icc {
                Some(icc) => super::webp_icc::with_icc(&encoded, &icc, w, h, picture.alpha)
                    .ok_or("cannot be encoded as WebP")?,
                None => encoded.to_vec(),
            };
        }
        Encoding::Avif => {
            out = super::avif::encode(buf, w, h, picture.alpha, quality)?;
        }
        Encoding::Jpeg => {
            let mut encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            if let Some(icc) = icc {
                let _ = encoder.set_icc_profile(icc);
            }
            // JPEG has no alpha: a picture with some is flattened.
            let rgb;
            let (buf, color) = if picture.alpha {
                rgb = buf
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect::<Vec<u8>>();
                (&rgb[..], image::ExtendedColorType::Rgb8)
            } else {
                (buf, color)
            };
            encoder
                .write_image(buf, w, h, color)
                .map_err(|e| format!("cannot be encoded as JPEG: {e}"))?;
        }
        Encoding::Png => {
            let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
            if let Some(icc) = icc {
                let _ = encoder.set_icc_profile(icc);
            }
            encoder
                .write_image(buf, w, h, color)
                .map_err(|e| format!("cannot be encoded as PNG: {e}"))?;
        }
    }
    Ok(out)
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
        let out = encode(&picture, 10, 20, false, Encoding::Webp, 80).unwrap();
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
