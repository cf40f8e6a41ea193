//! Fitting text on a card by the font's real glyph advances, never by counting
//! characters: "WWW" and "iii" take very different room.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Measures text in one font at any size.
pub struct Measure<'a> {
    font: FontRef<'a>,
    units_per_em: f32,
}

impl<'a> Measure<'a> {
    pub fn new(data: &'a [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Some(Measure { font, units_per_em })
    }

    /// Width of `text` in pixels at `px`, from the font's horizontal advances.
    /// Characters the font lacks count as a typical width (0.6 em).
    pub fn width(&self, text: &str, px: f32) -> f32 {
        let metrics = self
            .font
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        let charmap = self.font.charmap();
        let units: f32 = text
            .chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(self.units_per_em * 0.6)
            })
            .sum();
        units * px / self.units_per_em
    }

    /// Breaks `text` into at most `max_lines` lines no wider than `max_width`,
    /// between words where possible. Text that does not fit ends with "…" at a word
    /// boundary (or mid-word when one word is wider than a line).
    pub fn wrap(&self, text: &str, px: f32, max_width: f32, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        // Widths add up word by word: each word is measured once.
        let mut current_width = 0.0;
        let space = self.width(" ", px);
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            let word = words[i];
            let word_width = self.width(word, px);
            let candidate_width = if current.is_empty() {
                word_width
            } else {
                current_width + space + word_width
            };
            if candidate_width <= max_width {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
                current_width = candidate_width;
                i += 1;
                continue;
            }
            if current.is_empty() {
                // One word wider than the line: break it by characters.
                let (head, tail) = self.split_to_fit(word, px, max_width);
                lines.push(head);
                if lines.len() == max_lines {
                    return self.ellipsize(lines, px, max_width);
                }
                let rest: Vec<&str> = std::iter::once(tail.as_str())
                    .chain(words[i + 1..].iter().copied())
                    .collect();
                let rest = rest.join(" ");
                let mut more = self.wrap(&rest, px, max_width, max_lines - lines.len());
                lines.append(&mut more);
                return lines;
            }
            lines.push(std::mem::take(&mut current));
            current_width = 0.0;
            if lines.len() == max_lines {
                return self.ellipsize(lines, px, max_width);
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// The longest prefix of `word` that fits, and the rest.
    fn split_to_fit(&self, word: &str, px: f32, max_width: f32) -> (String, String) {
        let mut end = 0;
        for (i, c) in word.char_indices() {
            let next = i + c.len_utf8();
            if self.width(&word[..next], px) > max_width {
                break;
            }
            end = next;
        }
        if end == 0 {
            end = word.chars().next().map_or(0, char::len_utf8);
        }
        (word[..end].to_string(), word[end..].to_string())
    }

    /// Ends the last line with "…", dropping words (or characters) until it fits.
    fn ellipsize(&self, mut lines: Vec<String>, px: f32, max_width: f32) -> Vec<String> {
        if let Some(last) = lines.last_mut() {
            let mut text = last.trim_end().to_string();
            loop {
                let candidate = format!(
                    "{}…",
                    text.trim_end_matches([',', ';', ':', '.', '-', '–', '—', ' '])
                );
                if self.width(&candidate, px) <= max_width || text.is_empty() {
                    *last = candidate;
                    break;
                }
                match text.rfind(' ') {
                    Some(i) if i > 0 => text.truncate(i),
                    _ => {
                        text.pop();
                    }
                }
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inter() -> Measure<'static> {
        Measure::new(super::super::raster::BUILTIN_FONTS[1].1).unwrap()
    }

    #[test]
    fn wide_letters_take_more_room_than_narrow_ones() {
        let m = inter();
        assert!(m.width("WWWWWWWWWW", 40.0) > 2.0 * m.width("iiiiiiiiii", 40.0));
    }

    #[test]
    fn text_wraps_between_words_within_the_width() {
        let m = inter();
        let lines = m.wrap(
            "The quick brown fox jumps over the lazy dog again and again",
            60.0,
            500.0,
            5,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(m.width(l, 60.0) <= 500.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
        }
        assert_eq!(
            lines.join(" "),
            "The quick brown fox jumps over the lazy dog again and again"
        );
    }

    #[test]
    fn too_much_text_is_cut_with_an_ellipsis_on_the_last_line() {
        let m = inter();
        let long = "word ".repeat(200);
        let lines = m.wrap(&long, 60.0, 600.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(m.width(&lines[2], 60.0) <= 600.0);
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken() {
        let m = inter();
        let lines = m.wrap(&"x".repeat(300), 60.0, 400.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| m.width(l, 60.0) <= 400.0 + 1.0));
    }
}
