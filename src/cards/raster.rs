//! SVG → PNG with resvg, using only the fonts the theme bundles, so a card looks the
//! same on every machine and no network or system font is involved.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg;

pub use super::text::FontData;

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
    /// The characters below U+2000 that the first font (Inter) draws: text made
    /// of them alone needs no shaping to know it is drawn.
    plain: std::collections::HashSet<char>,
    /// `plain` for ASCII, looked up without hashing: most card text is ASCII, and
    /// every card's text is checked on every build.
    ascii: [bool; 128],
    /// The fonts above, for adding the system's to them.
    bundled: Vec<FontData>,
}

/// The characters a font (one face of its file) has glyphs for.
fn charset(data: &[u8], index: u32) -> impl Iterator<Item = char> + '_ {
    use skrifa::MetadataProvider;
    skrifa::FontRef::from_index(data, index)
        .into_iter()
        .flat_map(|font| {
            font.charmap()
                .mappings()
                .filter_map(|(c, _)| char::from_u32(c))
                .collect::<Vec<_>>()
        })
}

impl Fonts {
    /// The built-in fonts plus any the site's or local theme's `cards/fonts/` hold
    /// (tried after the built-in ones, so they add characters rather than replace).
    pub fn load(extra: Vec<Vec<u8>>) -> Fonts {
        let mut all = builtin_fonts();
        all.extend(extra.into_iter().map(|d| Arc::new(d) as FontData));
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = blake3::Hasher::new();
        for data in &all {
            hasher.update((**data).as_ref());
            db.load_font_source(usvg::fontdb::Source::Binary(data.clone()));
        }
        let plain: std::collections::HashSet<char> = all
            .first()
            .map(|first| {
                charset((**first).as_ref(), 0)
                    .filter(|c| *c < '\u{2000}')
                    .collect()
            })
            .unwrap_or_default();
        db.set_sans_serif_family(super::text::FAMILY);
        Fonts {
            db: Arc::new(db),
            digest: *hasher.finalize().as_bytes(),
            layout: super::text::TextLayout::new(&all, false),
            ascii: ascii_table(&plain),
            plain,
            bundled: all,
        }
    }

    /// No fonts at all, for a site that draws no cards (cards off, or nothing
    /// shareable): loading and hashing 10 MB of fonts would be wasted.
    pub fn none() -> Fonts {
        Fonts {
            db: Arc::new(usvg::fontdb::Database::new()),
            digest: [0; 32],
            layout: super::text::TextLayout::new(&[], false),
            plain: Default::default(),
            ascii: [false; 128],
            bundled: Vec::new(),
        }
    }

    /// Whether these are [`Fonts::none`].
    pub fn is_empty(&self) -> bool {
        self.bundled.is_empty()
    }

    /// The fonts a site's cards need: [`Fonts::load`] when it has cards to draw,
    /// else [`Fonts::none`].
    pub fn for_plan(plan: &super::CardPlan, extra: impl FnOnce() -> Vec<Vec<u8>>) -> Fonts {
        if plan.jobs.is_empty() {
            Fonts::none()
        } else {
            Fonts::load(extra())
        }
    }

    /// These fonts and the system's, the last fallback for characters no bundled
    /// font has; none when the system has no fonts. Only used when some card needs
    /// it: the system's fonts differ between machines, so such cards do too.
    pub fn with_system_fonts(&self) -> Option<Fonts> {
        let mut db = (*self.db).clone();
        let before = db.len();
        fontdb::Database::load_system_fonts(&mut db);
        if db.len() == before {
            return None;
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(&self.digest);
        // The system's fonts by name and size: part of every card's cache key.
        let files: std::collections::BTreeSet<&std::path::Path> = db
            .faces()
            .skip(before)
            .filter_map(|face| match &face.source {
                usvg::fontdb::Source::File(path) => Some(path.as_path()),
                _ => None,
            })
            .collect();
        for path in files {
            let len = std::fs::metadata(path).map_or(0, |m| m.len());
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(&len.to_le_bytes());
        }
        Some(Fonts {
            db: Arc::new(db),
            digest: *hasher.finalize().as_bytes(),
            layout: super::text::TextLayout::new(&self.bundled, true),
            ascii: self.ascii,
            plain: self.plain.clone(),
            bundled: self.bundled.clone(),
        })
    }

    /// The characters of `text` that a card would not draw (a box, nothing, or a
    /// glyph of the wrong font): found by shaping `text` as the card does and
    /// looking at the glyphs it gets, unless every character is one the first font
    /// draws by itself. Each character once.
    pub fn undrawn(&self, text: &str, style: super::text::Style) -> Vec<char> {
        let plain = text.chars().all(|c| {
            if c.is_ascii() {
                self.ascii[c as usize] || c.is_ascii_whitespace() || c.is_ascii_control()
            } else {
                super::glyphs::draws_nothing(c) && c < '\u{2000}' || self.plain.contains(&c)
            }
        });
        if plain {
            Vec::new()
        } else {
            self.layout.undrawn(text, style)
        }
    }

    /// Rasterizes an SVG document into PNG bytes of the SVG's own size.
    pub fn render_png(&self, svg: &str) -> Result<Vec<u8>, String> {
        // Through the one image door: no file or URL the template names is read, and
        // no picture or canvas over the size limit is decoded.
        let svg = super::svg_text::draw(svg, &self.layout)?;
        let tree = crate::images::parse_svg(svg.as_bytes(), self.db.clone())
            .map_err(|why| format!("the card's SVG is refused: {why}"))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| format!("a card cannot be {}×{}", size.width(), size.height()))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        encode(&pixmap)
    }
}

fn ascii_table(plain: &std::collections::HashSet<char>) -> [bool; 128] {
    std::array::from_fn(|i| char::from_u32(i as u32).is_some_and(|c| plain.contains(&c)))
}

/// PNG with fast compression: cards are flat colour and compress well either way,
/// and the default level costs several milliseconds a card. A card with no
/// transparency (the default theme's: it paints its background) is written as RGB:
/// a quarter less to filter and compress, and no alpha to un-premultiply. One of at
/// most 256 colours (the default theme's text on flat colour has about a hundred) is
/// written with a palette instead, which loses nothing: a byte a pixel, and the file
/// a quarter of the RGB one's size, which matters when ten thousand cards are copied
/// into every build and uploaded with the site.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let data = pixmap.data();
    let opaque = data.chunks_exact(4).all(|p| p[3] == 255);
    let mut palette = Vec::new();
    let (color, pixels) = if let Some((colors, indices)) = opaque.then(|| indexed(data)).flatten() {
        palette = colors;
        (png::ColorType::Indexed, indices)
    } else if opaque {
        let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
        for p in data.chunks_exact(4) {
            rgb.extend_from_slice(&p[..3]);
        }
        (png::ColorType::Rgb, rgb)
    } else {
        let mut rgba = Vec::with_capacity(data.len());
        for p in pixmap.pixels() {
            let c = p.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        (png::ColorType::Rgba, rgba)
    };
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    if !palette.is_empty() {
        encoder.set_palette(palette);
    }
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The palette (RGB triples, in the order the colours first appear, so the same
/// picture always gives the same file) and one index a pixel, when the opaque RGBA
/// `data` has at most 256 colours; `None` as soon as a 257th appears.
fn indexed(data: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut colors: Vec<[u8; 3]> = Vec::new();
    let mut index_of: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    let mut indices = Vec::with_capacity(data.len() / 4);
    // Flat colour comes in runs: most pixels repeat the one before.
    let mut last: Option<([u8; 3], u8)> = None;
    for p in data.chunks_exact(4) {
        let rgb = [p[0], p[1], p[2]];
        let i = match last {
            Some((c, i)) if c == rgb => i,
            _ => {
                let i = match index_of.get(&rgb) {
                    Some(&i) => i,
                    None => {
                        let i = u8::try_from(colors.len()).ok()?;
                        colors.push(rgb);
                        index_of.insert(rgb, i);
                        i
                    }
                };
                last = Some((rgb, i));
                i
            }
        };
        indices.push(i);
    }
    Some((colors.concat(), indices))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a bare CI runner draws: the bundled fonts alone, no system font.
    #[test]
    fn the_bundled_fonts_cover_every_promised_script_and_emoji() {
        let fonts = Fonts::load(Vec::new());
        let text =
            "Tiếng Việt Ελληνικά Кириллица 社区 佐藤 雪 简体 繁體 學習 日本語 ひらがな カタカナ \
                    한국어 만남 عمر مرحبا נמרוד שלום नमस्ते दुनिया ภาษาไทย 🦀🎉🚀🍕👩‍💻🇧🇷 “quotes” — …";
        let style = super::super::text::Style {
            px: 68.0,
            bold: true,
        };
        assert_eq!(fonts.undrawn(text, style), Vec::<char>::new());
        assert_eq!(
            fonts.undrawn("a\u{F0001}b\u{F0001}", style),
            vec!['\u{F0001}']
        );
    }

    /// The warning is what the drawing does: what draws is never reported, a
    /// cluster with a blank glyph beside drawn ones included (Devanagari's हिं),
    /// nor are the marks that are meant to draw nothing.
    #[test]
    fn what_draws_is_not_reported_and_what_does_not_is() {
        let fonts = Fonts::load(Vec::new());
        let style = super::super::text::Style {
            px: 68.0,
            bold: true,
        };
        for text in [
            "🎉 Welcome! 👍 👋🏽 🇵🇹 👩🏽‍💻 1️⃣ #⃣ ❤ 🏳️‍🌈",
            "हिंदी में रस्ट सीखें 🦀🎉",
            "\u{2066}مرحبا\u{2069} \u{2067}שלום\u{2069} \u{200F}a\u{200D}b\u{FE0F}",
        ] {
            assert_eq!(fonts.undrawn(text, style), Vec::<char>::new(), "{text}");
        }
        assert_eq!(
            fonts.undrawn("🎉 \u{0378} ok \u{10FFFD}", style),
            vec!['\u{0378}', '\u{10FFFD}']
        );
    }
}
