//! `images.format: avif`: rav1e through ravif, at a speed that keeps a 12 MP
//! photo's three variants to seconds (BENCHMARKS.md says how many).

/// rav1e's speed (1 slowest … 10 fastest): 8 is ravif's advice for pictures
/// made in bulk.
const SPEED: u8 = 8;

/// `width`×`height` pixels (RGB, or RGBA when `alpha`) as an AVIF file.
pub fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let (w, h) = (width as usize, height as usize);
    let encoder = ravif::Encoder::new()
        .with_quality(f32::from(quality.clamp(1, 100)))
        .with_speed(SPEED);
    let encoded = if alpha {
        let rgba: Vec<rgb::RGBA8> = pixels
            .chunks_exact(4)
            .map(|p| rgb::RGBA8::new(p[0], p[1], p[2], p[3]))
            .collect();
        encoder.encode_rgba(ravif::Img::new(&rgba[..], w, h))
    } else {
        let rgb: Vec<rgb::RGB8> = pixels
            .chunks_exact(3)
            .map(|p| rgb::RGB8::new(p[0], p[1], p[2]))
            .collect();
        encoder.encode_rgb(ravif::Img::new(&rgb[..], w, h))
    };
    encoded
        .map(|e| e.avif_file)
        .map_err(|e| format!("cannot be encoded as AVIF: {e}"))
}
