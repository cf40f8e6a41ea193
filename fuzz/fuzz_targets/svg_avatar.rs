//! SVG avatars as strangers send them, the whole way: measured (the budget),
//! rewritten, and drawn as a card draws them. Whatever the bytes, no panic, and no
//! input may take long: libFuzzer's `-timeout` reports one that does.
#![no_main]
use std::sync::Arc;

use hearth::images::{parse_svg, safe_svg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(svg) = safe_svg(data) else {
        return;
    };
    let text = String::from_utf8_lossy(&svg).to_ascii_lowercase();
    assert!(!text.contains("<script") && !text.contains("onload"), "{text}");
    // Drawn at the card's avatar size, as the card template draws it.
    if let Ok(tree) = parse_svg(&svg, Arc::new(resvg::usvg::fontdb::Database::new())) {
        let size = tree.size();
        let scale = 220.0 / size.width().max(size.height());
        if let Some(mut pixmap) = resvg::tiny_skia::Pixmap::new(220, 220) {
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
        }
    }
});
