//! Fitting text on a card with real text layout (cosmic-text): shaping (Arabic
//! joining, Devanagari conjuncts), bidirectional order, a font per character when
//! the first lacks it, and line breaks where each script allows them (UAX #14: CJK
//! between characters; Thai inside a word only when the word is wider than a line,
//! as cosmic-text has no Thai dictionary). Measuring by the font that will draw the
//! text is what keeps a title inside the card, whatever it is written in.

use std::sync::Mutex;

use cosmic_text::{fontdb, Attrs, Buffer, Family, FontSystem, Metrics, Shaping, Weight, Wrap};
use unicode_segmentation::UnicodeSegmentation;

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

/// Lays out card text with the build's fonts. cosmic-text's `FontSystem` is not
/// shared between threads, so each rayon worker has its own over the same fonts.
pub struct TextLayout {
    systems: Vec<Mutex<FontSystem>>,
}

impl TextLayout {
    /// `fonts`: every font cards may draw with, the first family first; then the
    /// system's when `system` is set.
    pub fn new(fonts: &[super::raster::FontData], system: bool) -> TextLayout {
        let mut db = fontdb::Database::new();
        for data in fonts {
            db.load_font_source(fontdb::Source::Binary(data.clone()));
        }
        if system {
            fontdb_cosmic::Database::load_system_fonts(&mut db);
        }
        db.set_sans_serif_family(FAMILY);
        let threads = rayon::current_num_threads() + 1;
        let systems = (0..threads)
            .map(|_| {
                Mutex::new(FontSystem::new_with_locale_and_db(
                    "en-US".into(),
                    db.clone(),
                ))
            })
            .collect();
        TextLayout { systems }
    }

    fn with_system<T>(&self, f: impl FnOnce(&mut FontSystem) -> T) -> T {
        let last = self.systems.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut system = match self.systems[i].lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut system)
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
        self.with_system(|system| {
            let mut buffer = Buffer::new(system, Metrics::new(style.px, style.px * 1.2));
            let mut buffer = buffer.borrow_with(system);
            buffer.set_wrap(if max_width.is_some() {
                Wrap::WordOrGlyph
            } else {
                Wrap::None
            });
            buffer.set_size(max_width, None);
            let weight = if style.bold {
                Weight::BOLD
            } else {
                Weight::NORMAL
            };
            let attrs = Attrs::new().family(Family::Name(FAMILY)).weight(weight);
            buffer.set_text(text, &attrs, Shaping::Advanced, None);
            buffer.shape_until_scroll(false);
            read(buffer.layout_runs())
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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
