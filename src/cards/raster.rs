//! SVG → PNG with resvg, using only the fonts the theme bundles, so a card looks the
//! same on every machine and no network or system font is involved.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg;

/// The built-in theme's fonts (Inter, SIL Open Font License), compiled in.
pub const BUILTIN_FONTS: &[(&str, &[u8])] = &[
    (
        "Inter-Regular.otf",
        include_bytes!("../../themes/hearth/cards/fonts/Inter-Regular.otf"),
    ),
    (
        "Inter-Bold.otf",
        include_bytes!("../../themes/hearth/cards/fonts/Inter-Bold.otf"),
    ),
];

/// The fonts cards may use, loaded once per build.
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    /// Hash of every font's bytes: part of each card's cache key.
    pub digest: [u8; 32],
    /// The bold face, for measuring titles; the regular one for the rest.
    pub bold: Vec<u8>,
    pub regular: Vec<u8>,
}

impl Fonts {
    /// The built-in fonts plus any the local theme bundles in `cards/fonts/`.
    pub fn load(extra: Vec<Vec<u8>>) -> Fonts {
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = blake3::Hasher::new();
        for (_, data) in BUILTIN_FONTS {
            hasher.update(data);
            db.load_font_data(data.to_vec());
        }
        for data in &extra {
            hasher.update(data);
            db.load_font_data(data.clone());
        }
        db.set_sans_serif_family("Inter");
        Fonts {
            db: Arc::new(db),
            digest: *hasher.finalize().as_bytes(),
            regular: BUILTIN_FONTS[0].1.to_vec(),
            bold: BUILTIN_FONTS[1].1.to_vec(),
        }
    }

    /// Rasterizes an SVG document into PNG bytes of the SVG's own size.
    pub fn render_png(&self, svg: &str) -> Result<Vec<u8>, String> {
        // Through the one image door: no file or URL the template names is read, and
        // no picture or canvas over the size limit is decoded.
        let tree = crate::images::parse_svg(svg.as_bytes(), self.db.clone())
            .map_err(|why| format!("the card's SVG is refused: {why}"))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| format!("a card cannot be {}×{}", size.width(), size.height()))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        encode(&pixmap)
    }
}

/// PNG with fast compression: cards are flat colour and compress well either way,
/// and the default level costs several milliseconds a card.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgba).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
