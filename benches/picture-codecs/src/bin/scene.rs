//! A made-up landscape for the example site's meetup photo (no one's real
//! photo, so no one's metadata): sky, sun, three rows of hills, a little grain.
//! `cargo run --release --bin scene -- W H SEED OUT.jpg`
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (w, h, seed): (u32, u32, u32) = (a[1].parse().unwrap(), a[2].parse().unwrap(), a[3].parse().unwrap());
    let sun = (w as f32 * (0.25 + (seed % 5) as f32 * 0.12), h as f32 * 0.3);
    let mut s = seed.wrapping_mul(2654435761).max(1);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        s = s.wrapping_mul(1664525).wrapping_add(1013904223);
        let grain = ((s >> 24) as f32 / 255.0 - 0.5) * 6.0;
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let mut c = [
            250.0 - 120.0 * (1.0 - fy),
            190.0 - 60.0 * (1.0 - fy),
            140.0 + 90.0 * (1.0 - fy),
        ];
        let d = ((x as f32 - sun.0).powi(2) + (y as f32 - sun.1).powi(2)).sqrt() / h as f32;
        if d < 0.09 {
            c = [255.0, 236.0, 180.0];
        }
        for (k, (tone, base)) in [([120.0, 110.0, 150.0], 0.55), ([80.0, 110.0, 100.0], 0.68), ([50.0, 80.0, 70.0], 0.8)]
            .iter()
            .enumerate()
        {
            let ridge = base
                + 0.05 * (fx * (6.0 + k as f32 * 3.0) + seed as f32).sin()
                + 0.025 * (fx * (17.0 + k as f32 * 5.0)).cos();
            if fy > ridge {
                let shade = 1.0 - (fy - ridge) * 0.6;
                c = [tone[0] * shade, tone[1] * shade, tone[2] * shade];
            }
        }
        image::Rgb(c.map(|v| (v + grain).clamp(0.0, 255.0) as u8))
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&img)
        .unwrap();
    std::fs::write(&a[4], out).unwrap();
}
