//! Which decoder, resizer and encoder for hearth's pictures (issue 30): times on
//! a synthetic phone photo (a 12 MP and a 24 MP JPEG) into three widths, one core.
//! Not part of hearth; BENCHMARKS.md has the figures.
use std::time::Instant;

use picture_codecs::photo;

fn main() {
    for (w, h) in [(4000u32, 3000u32), (6000, 4000)] {
        let jpeg = photo(w, h, 1);
        println!("== {w}x{h} JPEG, {} KB", jpeg.len() / 1024);
        let t = Instant::now();
        let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
        println!("decode (image, which uses zune-jpeg): {:?}", t.elapsed());
        let t = Instant::now();
        let mut d =
            zune_jpeg::JpegDecoder::new(zune_jpeg::zune_core::bytestream::ZCursor::new(&jpeg));
        let px = d.decode().unwrap();
        println!(
            "decode (zune-jpeg directly): {:?} ({} bytes)",
            t.elapsed(),
            px.len()
        );
        let rgb = img.to_rgb8();
        for target in [480u32, 960, 1600] {
            let th = (u64::from(h) * u64::from(target) / u64::from(w)) as u32;
            let t = Instant::now();
            let resized =
                image::imageops::resize(&rgb, target, th, image::imageops::FilterType::Lanczos3);
            let slow = t.elapsed();
            let t = Instant::now();
            let src = fast_image_resize::images::Image::from_vec_u8(
                w,
                h,
                rgb.as_raw().clone(),
                fast_image_resize::PixelType::U8x3,
            )
            .unwrap();
            let mut dst = fast_image_resize::images::Image::new(
                target,
                th,
                fast_image_resize::PixelType::U8x3,
            );
            let mut r = fast_image_resize::Resizer::new();
            r.resize(
                &src,
                &mut dst,
                &fast_image_resize::ResizeOptions::new().resize_alg(
                    fast_image_resize::ResizeAlg::Convolution(
                        fast_image_resize::FilterType::Lanczos3,
                    ),
                ),
            )
            .unwrap();
            let fast = t.elapsed();
            let t = Instant::now();
            let enc = webp::Encoder::from_rgb(dst.buffer(), target, th).encode(80.0);
            let webp_t = t.elapsed();
            let t = Instant::now();
            let pixels: Vec<rgb::RGB8> = dst
                .buffer()
                .chunks(3)
                .map(|c| rgb::RGB8::new(c[0], c[1], c[2]))
                .collect();
            let avif = ravif::Encoder::new()
                .with_quality(60.0)
                .with_speed(8)
                .encode_rgb(ravif::Img::new(&pixels[..], target as usize, th as usize))
                .unwrap();
            let avif_t = t.elapsed();
            let t = Instant::now();
            let mut jout = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jout, 80)
                .encode(dst.buffer(), target, th, image::ExtendedColorType::Rgb8)
                .unwrap();
            let jpeg_t = t.elapsed();
            let _ = resized;
            println!(
                "  {target}px: resize image::imageops {slow:?}, fast_image_resize {fast:?}; webp (libwebp q80) {webp_t:?} {} KB; avif (ravif q60 s8) {avif_t:?} {} KB; jpeg q80 {jpeg_t:?} {} KB",
                enc.len() / 1024, avif.avif_file.len() / 1024, jout.len() / 1024
            );
        }
    }
}
