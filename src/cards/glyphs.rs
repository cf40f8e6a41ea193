//! What one shaped glyph looks like on a card: its outline, or in a colour emoji font
//! its picture. Read (with skrifa) from the very font and glyph the layout chose, so
//! what the layout measured is what is drawn, and a glyph that would draw nothing is
//! known before anyone sees the card.

use std::sync::Arc;

use base64::Engine;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// One step of an outline, in ems, y up (as fonts have it).
#[derive(Debug, Clone, Copy)]
pub enum Segment {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// How a glyph is drawn, in ems from its pen position on the baseline.
#[derive(Debug, Clone)]
pub enum Drawing {
    /// Filled in the text's colour.
    Outline(Vec<Segment>),
    /// A colour picture (emoji): a PNG as a data URI and its box, `top` above the
    /// baseline.
    Picture {
        href: Arc<str>,
        left: f32,
        top: f32,
        width: f32,
        height: f32,
    },
    /// Nothing to see: right for a space, a missing glyph for anything else.
    Blank,
    /// The font has no glyph here (`.notdef`); drawn as nothing, reported by the
    /// missing-glyph check.
    Missing,
}

/// Reads glyph `id` of face `index` of a font file.
pub fn read(data: &[u8], index: u32, id: u16) -> Drawing {
    if id == 0 {
        return Drawing::Missing;
    }
    let Ok(font) = FontRef::from_index(data, index) else {
        return Drawing::Missing;
    };
    let glyph = GlyphId::new(u32::from(id));
    picture(&font, glyph)
        .or_else(|| outline(&font, glyph))
        .unwrap_or(Drawing::Blank)
}

/// The glyph's colour bitmap (CBDT or sbix, as colour emoji fonts carry them), at
/// the font's biggest strike: cards draw emoji at most ~76 px and the bundled font's
/// strike is 72 px.
fn picture(font: &FontRef, glyph: GlyphId) -> Option<Drawing> {
    use skrifa::bitmap::{BitmapData, BitmapStrikes, Origin};
    let strikes = BitmapStrikes::new(font);
    if strikes.is_empty() {
        return None;
    }
    let bitmap = strikes.glyph_for_size(Size::new(f32::MAX), glyph)?;
    if bitmap.width == 0 || bitmap.height == 0 || bitmap.ppem_x <= 0.0 || bitmap.ppem_y <= 0.0 {
        return None;
    }
    let png = match bitmap.data {
        BitmapData::Png(bytes) => bytes.to_vec(),
        BitmapData::Bgra(bytes) => bgra_png(bytes, bitmap.width, bitmap.height)?,
        // One-channel masks are black-and-white text bitmaps: the outline is better.
        BitmapData::Mask(_) => return None,
    };
    let upem = f32::from(font.head().ok()?.units_per_em().max(1));
    let (ppem_x, ppem_y) = (bitmap.ppem_x, bitmap.ppem_y);
    let width = bitmap.width as f32 / ppem_x;
    let height = bitmap.height as f32 / ppem_y;
    let left = bitmap.bearing_x / upem + bitmap.inner_bearing_x / ppem_x;
    let lift = bitmap.bearing_y / upem + bitmap.inner_bearing_y / ppem_y;
    let top = match bitmap.placement_origin {
        Origin::TopLeft => lift,
        Origin::BottomLeft => lift + height,
    };
    let href = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    Some(Drawing::Picture {
        href: href.into(),
        left,
        top,
        width,
        height,
    })
}

/// Premultiplied BGRA rows as a PNG.
fn bgra_png(bytes: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let expected = (width as usize)
        .checked_mul(height as usize)?
        .checked_mul(4)?;
    let pixels = bytes.get(..expected)?;
    let mut rgba = Vec::with_capacity(expected);
    for p in pixels.chunks_exact(4) {
        let a = p[3];
        let un = |c: u8| {
            if a == 0 {
                0
            } else {
                ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8
            }
        };
        rgba.extend_from_slice(&[un(p[2]), un(p[1]), un(p[0]), a]);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().ok()?.write_image_data(&rgba).ok()?;
    Some(out)
}

/// The glyph's outline in ems; `None` when the font has no outlines.
fn outline(font: &FontRef, glyph: GlyphId) -> Option<Drawing> {
    let upem = f32::from(font.head().ok()?.units_per_em().max(1));
    let outline = font.outline_glyphs().get(glyph)?;
    let mut pen = Pen {
        scale: 1.0 / upem,
        segments: Vec::new(),
    };
    outline
        .draw(
            DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
            &mut pen,
        )
        .ok()?;
    Some(if pen.segments.is_empty() {
        Drawing::Blank
    } else {
        Drawing::Outline(pen.segments)
    })
}

struct Pen {
    scale: f32,
    segments: Vec<Segment>,
}

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let s = self.scale;
        self.segments.push(Segment::Move(x * s, y * s));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let s = self.scale;
        self.segments.push(Segment::Line(x * s, y * s));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let s = self.scale;
        self.segments
            .push(Segment::Quad(cx0 * s, cy0 * s, x * s, y * s));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let s = self.scale;
        self.segments.push(Segment::Cubic(
            cx0 * s,
            cy0 * s,
            cx1 * s,
            cy1 * s,
            x * s,
            y * s,
        ));
    }
    fn close(&mut self) {
        self.segments.push(Segment::Close);
    }
}

/// Characters that are meant to draw nothing: spaces, controls and the format
/// characters that only steer shaping or direction (joiners, variation selectors,
/// bidi marks and isolates, tag characters). A font owes them no glyph.
pub fn draws_nothing(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font(name: &str) -> &'static [u8] {
        super::super::raster::BUILTIN_FONTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .unwrap_or_default()
    }

    #[test]
    fn a_letter_is_an_outline_and_notdef_is_missing() {
        let inter = font("Inter-Bold.otf");
        let face = FontRef::new(inter).unwrap();
        let a = face.charmap().map('A').unwrap().to_u32() as u16;
        let space = face.charmap().map(' ').unwrap().to_u32() as u16;
        assert!(matches!(read(inter, 0, a), Drawing::Outline(s) if s.len() > 3));
        assert!(matches!(read(inter, 0, space), Drawing::Blank));
        assert!(matches!(read(inter, 0, 0), Drawing::Missing));
    }

    #[test]
    fn an_emoji_is_a_colour_picture_sitting_on_the_baseline() {
        let emoji = font("NotoColorEmoji.ttf");
        let face = FontRef::new(emoji).unwrap();
        let crab = face.charmap().map('🦀').unwrap().to_u32() as u16;
        let Drawing::Picture {
            href,
            top,
            width,
            height,
            ..
        } = read(emoji, 0, crab)
        else {
            panic!("🦀 is not a picture");
        };
        assert!(href.starts_with("data:image/png;base64,"));
        assert!((0.9..1.4).contains(&width) && (0.9..1.4).contains(&height));
        assert!(
            top > 0.6 && top - height < 0.0,
            "top {top}, height {height}"
        );
    }
}
