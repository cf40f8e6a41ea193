//! Pictures from strangers (avatars): headers are read, sizes refused over the limit,
//! SVG rewritten, all without decoding pixels, allocating what a header claims, or
//! panicking.
#![no_main]
use hearth::images::{check_raster, safe_picture, MAX_SIDE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((w, h)) = check_raster(data) {
        assert!(w > 0 && h > 0 && w <= MAX_SIDE && h <= MAX_SIDE);
    }
    if let Ok(svg) = safe_picture("avatar.svg", data.to_vec()) {
        let text = String::from_utf8_lossy(&svg).to_ascii_lowercase();
        assert!(!text.contains("<script") && !text.contains("onload"), "{text}");
    }
});
