//! Fitting text on a card with real text layout (cosmic-text): shaping (Arabic
//! joining, Devanagari conjuncts), bidirectional order, a font per character when
//! the first lacks it, and line breaks where each script allows them (UAX #14: CJK
//! between characters; Thai inside a word only when the word is wider than a line,
//! as cosmic-text has no Thai dictionary). Measuring by the font that will draw the
//! text is what keeps a title inside the card, whatever it is written in.
//!
//! The layout is also what draws: [`TextLayout::shape`] gives each glyph with the
//! font the layout chose for it, and `svg_text` puts exactly those glyphs on the
//! card. There is no second font fallback (resvg's) that could choose otherwise.
//! Emoji are decided here once, per grapheme: an emoji (🎉, 👋🏽, 🇵🇹, 👩🏽‍💻, 1️⃣)
//! is shaped whole in the colour emoji font, so its sequence becomes one glyph
//! wherever it stands in the line.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use cosmic_text::{fontdb, Attrs, Buffer, Family, FontSystem, Metrics, Shaping, Weight, Wrap};
use unicode_segmentation::UnicodeSegmentation;

use super::glyphs::{self, Drawing};

/// Font bytes shared by the two font databases (usvg's and the text layout's)
/// without copying: compiled-in fonts stay where the binary has them.
pub type FontData = std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One line of laid-out text: the words on it, in logical order.
pub type Line = String;

/// A paragraph laid out in lines.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Block {
    pub lines: Vec<Line>,
    /// The paragraph reads right to left (its first strong character is Arabic,
    /// Hebrew…): right-aligned on the card.
    pub rtl: bool,
}

/// How a piece of card text is set: size in pixels, bold or regular.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub px: f32,
    pub bold: bool,
}

/// The family every card text asks for first; others are fallbacks per character.
pub const FAMILY: &str = "Inter";
/// The family emoji are drawn in (the bundled Noto Color Emoji).
pub const EMOJI_FAMILY: &str = "Noto Color Emoji";

/// Lays out card text with the build's fonts. cosmic-text's `FontSystem` is not
/// shared between threads, so each rayon worker has its own over the same fonts.
pub struct TextLayout {
    workers: Vec<Mutex<Worker>>,
}

/// One thread's font system, and the glyphs it has read (an emoji's picture is
/// read and encoded once, not once a card).
struct Worker {
    system: FontSystem,
    drawings: HashMap<(fontdb::ID, u16), Arc<Drawing>>,
}

/// A piece of text in one style, as a card template's `<text>` (or a `<tspan>` in
/// it) sets it.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    pub text: &'a str,
    pub style: Style,
    /// The family asked for first (the template's `font-family`); [`FAMILY`] when
    /// `None`.
    pub family: Option<&'a str>,
    /// Extra room after each character, in pixels (`letter-spacing`).
    pub letter_spacing: f32,
}

/// A glyph as it is drawn: which span it belongs to, its pen position on the line
/// (x from the line's start, y from the baseline, down), its size and its drawing.
#[derive(Debug, Clone)]
pub struct Placed {
    pub span: usize,
    pub x: f32,
    pub y: f32,
    pub px: f32,
    pub drawing: Arc<Drawing>,
    /// The characters it draws, as bytes of the spans' text put together.
    pub chars: Range<usize>,
}

/// A line shaped for drawing.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub glyphs: Vec<Placed>,
    /// The line's advance width.
    pub width: f32,
}

impl TextLayout {
    /// `fonts`: every font cards may draw with, the first family first; then the
    /// system's when `system` is set.
    pub fn new(fonts: &[FontData], system: bool) -> TextLayout {
        let mut db = fontdb::Database::new();
        for data in fonts {
            db.load_font_source(fontdb::Source::Binary(data.clone()));
        }
        if system {
            fontdb_cosmic::Database::load_system_fonts(&mut db);
        }
        db.set_sans_serif_family(FAMILY);
        let threads = rayon::current_num_threads() + 1;
        let workers = (0..threads)
            .map(|_| {
                Mutex::new(Worker {
                    system: FontSystem::new_with_locale_and_db("en-US".into(), db.clone()),
                    drawings: HashMap::new(),
                })
            })
            .collect();
        TextLayout { workers }
    }

    fn with_worker<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> T {
        let last = self.workers.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut worker = match self.workers[i].lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut worker)
    }

    /// Shapes `text` in lines no wider than `max_width` (one line when `None`) and
    /// hands the laid-out lines to `read`.
    fn shaped<T>(
        &self,
        text: &str,
        style: Style,
        max_width: Option<f32>,
        read: impl FnOnce(cosmic_text::LayoutRunIter) -> T,
    ) -> T {
        let span = Span {
            text,
            style,
            family: None,
            letter_spacing: 0.0,
        };
        self.with_worker(|worker| {
            let buffer = layout_spans(&mut worker.system, &[span], max_width);
            read(buffer.layout_runs())
        })
    }

    /// Shapes `spans` as one line and says how each glyph is drawn: the fonts and
    /// glyphs are the ones [`TextLayout::wrap`] measured, because it is the same
    /// shaping.
    pub fn shape(&self, spans: &[Span]) -> Shaped {
        self.with_worker(|worker| {
            let Worker { system, drawings } = worker;
            let buffer = layout_spans(system, spans, None);
            let mut shaped = Shaped::default();
            let Some(run) = buffer.layout_runs().next() else {
                return shaped;
            };
            shaped.width = run.line_w;
            for g in run.glyphs {
                let drawing = drawings
                    .entry((g.font_id, g.glyph_id))
                    .or_insert_with(|| {
                        Arc::new(
                            system
                                .db()
                                .with_face_data(g.font_id, |data, index| {
                                    glyphs::read(data, index, g.glyph_id)
                                })
                                .unwrap_or(Drawing::Missing),
                        )
                    })
                    .clone();
                shaped.glyphs.push(Placed {
                    span: g.metadata,
                    x: g.x + g.font_size * g.x_offset,
                    y: g.y - g.font_size * g.y_offset,
                    px: g.font_size,
                    drawing,
                    chars: g.start..g.end,
                });
            }
            shaped
        })
    }

    /// The characters of `text` that would not be drawn on a card: shaped as the
    /// card shapes them, a glyph that is `.notdef` or draws nothing although its
    /// characters are meant to be seen. Each character once, in order.
    pub fn undrawn(&self, text: &str, style: Style) -> Vec<char> {
        // A card shows a few lines: the first thousand characters are more than it
        // can, and a megabyte of title is not shaped on every build.
        let line: String = text
            .chars()
            .take(1000)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let shaped = self.shape(&[Span {
            text: &line,
            style,
            family: None,
            letter_spacing: 0.0,
        }]);
        // A cluster (Devanagari's हिं is one) may hold a glyph that is blank by
        // design beside the ones that draw it: it is undrawn when one of its glyphs
        // is `.notdef` or none of them draws anything.
        let mut clusters: Vec<(Range<usize>, bool, bool)> = Vec::new();
        for g in &shaped.glyphs {
            let missing = matches!(*g.drawing, Drawing::Missing);
            let drawn = matches!(*g.drawing, Drawing::Outline(_) | Drawing::Picture { .. });
            // A cluster's glyphs are side by side, in either direction.
            match clusters.last_mut().filter(|(r, ..)| *r == g.chars) {
                Some((_, any_missing, any_drawn)) => {
                    *any_missing |= missing;
                    *any_drawn |= drawn;
                }
                None => clusters.push((g.chars.clone(), missing, drawn)),
            }
        }
        let mut undrawn = Vec::new();
        for (range, any_missing, any_drawn) in clusters {
            if any_drawn && !any_missing {
                continue;
            }
            for c in line.get(range).unwrap_or_default().chars() {
                if !glyphs::draws_nothing(c) && !undrawn.contains(&c) {
                    undrawn.push(c);
                }
            }
        }
        undrawn
    }

    /// Lays `text` out in lines no wider than `max_width`.
    fn lines(&self, text: &str, style: Style, max_width: f32) -> Block {
        self.shaped(text, style, Some(max_width), |runs| {
            let mut block = Block::default();
            for run in runs {
                block.rtl = run.rtl;
                let start = run.glyphs.iter().map(|g| g.start).min().unwrap_or(0);
                let end = run.glyphs.iter().map(|g| g.end).max().unwrap_or(0);
                block.lines.push(run.text[start..end].trim().to_string());
            }
            block.lines.retain(|l| !l.is_empty());
            block
        })
    }

    /// Width of `text` on one line.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.shaped(text, style, None, |runs| {
            runs.map(|r| r.line_w).fold(0.0, f32::max)
        })
    }

    /// Breaks `text` into at most `max_lines` lines no wider than `max_width`, where
    /// its script allows a break. Text that does not fit ends with "…" on the last
    /// line, cut at a word (or, with no space left, a character).
    pub fn wrap(&self, text: &str, style: Style, max_width: f32, max_lines: usize) -> Block {
        let mut block = self.lines(text, style, max_width);
        if block.lines.len() > max_lines {
            block.lines.truncate(max_lines);
            if let Some(last) = block.lines.pop() {
                let cut = self.ellipsize(&last, style, max_width);
                block.lines.push(cut);
            }
        }
        block
    }

    /// `line` with "…" at its end, dropping words (or characters) until it fits.
    fn ellipsize(&self, line: &str, style: Style, max_width: f32) -> String {
        let mut text = line.trim_end().to_string();
        loop {
            let candidate = format!(
                "{}…",
                text.trim_end_matches([',', ';', ':', '.', '-', '–', '—', '、', '，', '。', ' '])
            );
            if text.is_empty() || self.width(&candidate, style) <= max_width {
                return candidate;
            }
            match text.rfind(' ') {
                Some(i) if i > 0 => text.truncate(i),
                _ => {
                    let keep = text
                        .grapheme_indices(true)
                        .next_back()
                        .map_or(0, |(i, _)| i);
                    text.truncate(keep);
                }
            }
        }
    }
}

/// Lays `spans` out in a buffer (wrapped at `max_width`, or one line), each emoji
/// in the emoji font; glyphs carry their span's index as metadata.
fn layout_spans(system: &mut FontSystem, spans: &[Span], max_width: Option<f32>) -> Buffer {
    let px = spans.first().map_or(16.0, |s| s.style.px.max(0.01));
    let mut buffer = Buffer::new(system, Metrics::new(px, px * 1.2));
    buffer.set_wrap(if max_width.is_some() {
        Wrap::WordOrGlyph
    } else {
        Wrap::None
    });
    buffer.set_size(max_width, None);
    let mut pieces: Vec<(&str, Attrs)> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let weight = if span.style.bold {
            Weight::BOLD
        } else {
            Weight::NORMAL
        };
        let size = span.style.px.max(0.01);
        let attrs = Attrs::new()
            .family(Family::Name(span.family.unwrap_or(FAMILY)))
            .weight(weight)
            .metrics(Metrics::new(size, size * 1.2))
            .letter_spacing(span.letter_spacing / size)
            .metadata(i);
        for (range, emoji) in emoji_runs(span.text) {
            // The emoji font has one weight: asking it for bold would send cosmic-text
            // past it to the first bold font with an outline of the character.
            let attrs = if emoji {
                attrs
                    .clone()
                    .family(Family::Name(EMOJI_FAMILY))
                    .weight(Weight::NORMAL)
            } else {
                attrs.clone()
            };
            pieces.push((&span.text[range], attrs));
        }
    }
    let default = Attrs::new().family(Family::Name(FAMILY));
    buffer.set_rich_text(pieces, &default, Shaping::Advanced, None);
    buffer.shape_until_scroll(system, false);
    buffer
}

/// `text` cut into runs of emoji and of everything else, by grapheme.
fn emoji_runs(text: &str) -> Vec<(Range<usize>, bool)> {
    let mut runs: Vec<(Range<usize>, bool)> = Vec::new();
    for (start, g) in text.grapheme_indices(true) {
        let emoji = is_emoji(g);
        let end = start + g.len();
        match runs.last_mut() {
            Some((range, kind)) if *kind == emoji => range.end = end,
            _ => runs.push((start..end, emoji)),
        }
    }
    runs
}

/// Whether a grapheme is drawn as a (colour) emoji: an emoji sequence of the RGI
/// set (flags, keycaps, skin tones, ZWJ sequences; with or without U+FE0F), or an
/// emoji character on its own unless it is one that reads as text without U+FE0F.
/// Those are the typographic ones: ©, ®, ™, ‼, arrows, ▶, ℹ. Pictographs that
/// Unicode also calls text by default (❤, ☀, ✈, ☕'s neighbours in Miscellaneous
/// Symbols and Dingbats) are written to be seen as emoji, and phones show them so.
/// U+FE0E asks for text. A sequence outside the set is an emoji when one of its
/// characters is one by default.
pub fn is_emoji(g: &str) -> bool {
    if g.ends_with('\u{FE0E}') {
        return false;
    }
    let mut chars = g.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return false;
    };
    if let Some(e) = emojis::get(g) {
        return e.as_str() == g
            || second.is_some()
            || first >= '\u{1F000}'
            || ('\u{2600}'..='\u{27BF}').contains(&first);
    }
    let mut buf = [0; 4];
    second.is_some()
        && g.chars().any(|c| {
            let one: &str = c.encode_utf8(&mut buf);
            emojis::get(one).is_some_and(|e| e.as_str() == one)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_told_from_text_per_grapheme() {
        for e in [
            "🦀",
            "🎉",
            "👍",
            "👋🏽",
            "🇵🇹",
            "👩🏽‍💻",
            "1️⃣",
            "#️⃣",
            "❤️",
            "©️",
            "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
            "😀",
        ] {
            assert!(is_emoji(e), "{e}");
        }
        for t in ["a", "1", "#", "©", "é", "→", "☺\u{FE0E}", "ह"] {
            assert!(!is_emoji(t), "{t}");
        }
        assert_eq!(
            emoji_runs("🎉 Hi 👋🏽!"),
            vec![(0..4, true), (4..8, false), (8..16, true), (16..17, false)]
        );
    }

    fn layout() -> TextLayout {
        TextLayout::new(&super::super::raster::builtin_fonts(), false)
    }

    const BOLD: Style = Style {
        px: 60.0,
        bold: true,
    };

    #[test]
    fn wide_letters_take_more_room_than_narrow_ones() {
        let t = layout();
        assert!(t.width("WWWWWWWWWW", BOLD) > 2.0 * t.width("iiiiiiiiii", BOLD));
    }

    #[test]
    fn text_wraps_between_words_within_the_width() {
        let t = layout();
        let text = "The quick brown fox jumps over the lazy dog again and again";
        let b = t.wrap(text, BOLD, 500.0, 5);
        assert!(b.lines.len() > 1 && !b.rtl);
        for l in &b.lines {
            assert!(t.width(l, BOLD) <= 500.5, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
        }
        assert_eq!(b.lines.join(" "), text);
    }

    #[test]
    fn too_much_text_is_cut_with_an_ellipsis_on_the_last_line() {
        let t = layout();
        let b = t.wrap(&"word ".repeat(200), BOLD, 600.0, 3);
        assert_eq!(b.lines.len(), 3);
        assert!(b.lines[2].ends_with('…'), "{:?}", b.lines);
        assert!(t.width(&b.lines[2], BOLD) <= 600.5);
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken() {
        let t = layout();
        let b = t.wrap(&"x".repeat(300), BOLD, 400.0, 3);
        assert_eq!(b.lines.len(), 3);
        assert!(b.lines.iter().all(|l| t.width(l, BOLD) <= 401.0));
    }

    #[test]
    fn chinese_and_japanese_break_between_characters() {
        let t = layout();
        let text = "社区成员每个月在线上聚会一次分享他们用铁锈语言构建的项目和经验";
        let b = t.wrap(text, BOLD, 500.0, 5);
        assert!(b.lines.len() >= 3, "{:?}", b.lines);
        assert_eq!(b.lines.concat(), text);
        assert!(b.lines.iter().all(|l| t.width(l, BOLD) <= 500.5));
    }

    #[test]
    fn arabic_and_hebrew_read_right_to_left() {
        let t = layout();
        for text in ["مرحبا بكم في مجتمعنا", "ברוכים הבאים לקהילה"]
        {
            let b = t.wrap(text, BOLD, 1000.0, 2);
            assert!(b.rtl, "{text}: {b:?}");
            assert_eq!(b.lines, vec![text.to_string()]);
        }
    }
}
