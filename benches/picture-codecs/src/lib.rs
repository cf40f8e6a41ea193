//! A phone-photo-like JPEG for the measurements of issue 30.

/// A `w`×`h` JPEG (q90): smooth gradients with noise, so the encoders work as
/// they would on a real photo (not on flat colour); `seed` makes each distinct.
pub fn photo(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut s = seed.wrapping_mul(2654435761).max(1);
    let tint = (seed * 37 % 120) as i32;
    let mut img = image::RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        s = s.wrapping_mul(1664525).wrapping_add(1013904223);
        let n = (s >> 24) as i32 % 24 - 12;
        let r = ((x * 255 / w) as i32 + n).clamp(0, 255) as u8;
        let g = ((y * 255 / h) as i32 + n + tint / 3).clamp(0, 255) as u8;
        let b = (((x + y) * 127 / (w + h)) as i32 + tint + n).clamp(0, 255) as u8;
        *p = image::Rgb([r, g, b]);
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}
