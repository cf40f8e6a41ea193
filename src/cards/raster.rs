//! SVG → PNG with resvg, using only the fonts the theme bundles, so a card looks the
//! same on every machine and no network or system font is involved.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg;

/// Font bytes shared by the two font databases (usvg's and the text layout's)
/// without copying: compiled-in fonts stay where the binary has them.
pub type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

macro_rules! font {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../themes/hearth/cards/fonts/", $name)) as &[u8],
        )
    };
}

/// The built-in theme's fonts (SIL Open Font License), compiled in: Inter for
/// Latin (Vietnamese too), Greek and Cyrillic first, then Noto subsets for the
/// other scripts communities write in (made by tools/subset_fonts.py).
pub const BUILTIN_FONTS: &[(&str, &[u8])] = &[
    font!("Inter-Regular.otf"),
    font!("Inter-Bold.otf"),
    font!("NotoSansArabic-Regular.ttf"),
    font!("NotoSansArabic-Bold.ttf"),
    font!("NotoSansHebrew-Regular.ttf"),
    font!("NotoSansHebrew-Bold.ttf"),
    font!("NotoSansDevanagari-Regular.ttf"),
    font!("NotoSansDevanagari-Bold.ttf"),
    font!("NotoSansThai-Regular.ttf"),
    font!("NotoSansThai-Bold.ttf"),
    font!("NotoSansCJKsc-Bold.otf"),
    font!("NotoColorEmoji.ttf"),
];

/// The built-in fonts as shared data.
pub fn builtin_fonts() -> Vec<FontData> {
    BUILTIN_FONTS
        .iter()
        .map(|(_, data)| Arc::new(*data) as FontData)
        .collect()
}

/// The fonts cards may use, loaded once per build.
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    /// Hash of every font's bytes: part of each card's cache key.
    pub digest: [u8; 32],
    /// Lays out card text with the same fonts.
    pub layout: super::text::TextLayout,
    /// Every character some font has a glyph for.
    covered: std::collections::HashSet<char>,
}

impl Fonts {
    /// The built-in fonts plus any the site's or local theme's `cards/fonts/` hold
    /// (tried after the built-in ones, so they add characters rather than replace).
    pub fn load(extra: Vec<Vec<u8>>) -> Fonts {
        let mut all = builtin_fonts();
        all.extend(extra.into_iter().map(|d| Arc::new(d) as FontData));
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = blake3::Hasher::new();
        let mut covered = std::collections::HashSet::new();
        for data in &all {
            let bytes = (**data).as_ref();
            hasher.update(bytes);
            db.load_font_source(usvg::fontdb::Source::Binary(data.clone()));
            if let Ok(font) = skrifa::FontRef::new(bytes) {
                use skrifa::MetadataProvider;
                covered.extend(
                    font.charmap()
                        .mappings()
                        .filter_map(|(c, _)| char::from_u32(c)),
                );
            }
        }
        db.set_sans_serif_family(super::text::FAMILY);
        Fonts {
            db: Arc::new(db),
            digest: *hasher.finalize().as_bytes(),
            layout: super::text::TextLayout::new(&all),
            covered,
        }
    }

    /// The characters of `text` that no font can draw, each once. Marks that only
    /// shape others (joiners, variation selectors) and spaces need no glyph.
    pub fn uncovered(&self, text: &str) -> Vec<char> {
        let mut missing = Vec::new();
        for c in text.chars() {
            let shaping_only = matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}')
                || ('\u{E0020}'..='\u{E007F}').contains(&c);
            if !c.is_whitespace()
                && !c.is_control()
                && !shaping_only
                && !self.covered.contains(&c)
                && !missing.contains(&c)
            {
                missing.push(c);
            }
        }
        missing
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
