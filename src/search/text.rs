//! A record's body read as Pagefind reads a page: text in document order, a space
//! and a full stop after each block, headings weighted (h1 7 … h6 2), elements
//! with an `id` as anchors a result can link to, and what Pagefind leaves out
//! (scripts, forms, navigation, the headings' `#` links) left out.
//!
//! The body is the markdown stage's HTML (plus hearth's own `<p>` and `<h2>`
//! around plain values), not a page of the theme, so this is a small scanner and
//! not a browser-grade parser: it needs tags, attributes, text and comments.
//! Unlike Pagefind, `data-pagefind-*` attributes written in a page's own HTML
//! set nothing: a post cannot give itself metadata or weight.

/// A marker in the text: not a character any text keeps (sources refuse
/// non-characters' neighbours, and any in the text is dropped).
use super::html_tags::{find_end_tag, tag_name, Tag};

pub const MARK: char = '\u{FDD0}';

/// What the scanner found.
#[derive(Debug, Default)]
pub struct Read {
    /// Decoded text with markers: `MARK a N` (anchor N starts), `MARK w D`
    /// (auto weight D), `MARK e` (weight ends), each a token of its own.
    pub text: String,
    pub anchors: Vec<Anchor>,
    /// The first picture's `src` and `alt`, raw: Pagefind's `image` metadata.
    pub image: Option<(String, String)>,
    /// The first `<h1>`'s text, raw: Pagefind's title when a record has none.
    pub h1: Option<String>,
}

#[derive(Debug)]
pub struct Anchor {
    pub element: String,
    pub id: String,
    /// The element's text (and its inline children's), raw.
    pub raw: String,
}

const SENTENCE: u8 = 1;
const INLINE: u8 = 2;
/// Left out with everything in them.
const REMOVED: u8 = 4;
const VOID: u8 = 8;
/// Elements whose content is text up to their end tag, never markup.
const RAW: u8 = 16;

/// What Pagefind does with an element, by its name (in any case).
fn class(name: &str) -> u8 {
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    match name {
        "a" => INLINE,
        "abbr" => INLINE,
        "acronym" => INLINE,
        "area" => VOID,
        "article" => SENTENCE,
        "b" => INLINE,
        "base" => VOID,
        "bdo" => INLINE,
        "big" => INLINE,
        "br" => INLINE | VOID,
        "button" => INLINE,
        "cite" => INLINE,
        "code" => INLINE,
        "col" => VOID,
        "dfn" => INLINE,
        "div" => SENTENCE,
        "em" => INLINE,
        "embed" => VOID,
        "footer" => REMOVED,
        "form" => REMOVED,
        "h1" => SENTENCE,
        "h2" => SENTENCE,
        "h3" => SENTENCE,
        "h4" => SENTENCE,
        "h5" => SENTENCE,
        "h6" => SENTENCE,
        "head" => REMOVED,
        "hr" => VOID,
        "i" => INLINE,
        "iframe" => REMOVED | RAW,
        "img" => INLINE | VOID,
        "input" => INLINE | VOID,
        "kbd" => INLINE,
        "label" => INLINE | REMOVED,
        "li" => SENTENCE,
        "link" => VOID,
        "map" => INLINE,
        "meta" => VOID,
        "nav" => REMOVED,
        "noembed" => RAW,
        "noframes" => RAW,
        "noscript" => REMOVED,
        "object" => INLINE,
        "output" => INLINE,
        "p" => SENTENCE,
        "param" => VOID,
        "q" => INLINE,
        "samp" => INLINE,
        "script" => INLINE | REMOVED | RAW,
        "section" => SENTENCE,
        "select" => INLINE,
        "small" => INLINE,
        "source" => VOID,
        "span" => INLINE,
        "strong" => INLINE,
        "style" => REMOVED | RAW,
        "sub" => INLINE,
        "sup" => INLINE,
        "svg" => REMOVED,
        "td" => SENTENCE,
        "template" => REMOVED,
        "textarea" => INLINE | RAW,
        "time" => INLINE,
        "title" => RAW,
        "track" => VOID,
        "tt" => INLINE,
        "ul" => SENTENCE,
        "var" => INLINE,
        "wbr" => VOID,
        "xmp" => RAW,
        _ => 0,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Indexing,
    /// Its text is not indexed (its anchors' text still counts).
    Ignored,
    /// Nothing in it counts.
    Excluded,
}

/// An open element. Text is written in document order into one buffer, so an
/// element's text is always the buffer from `start` on: joining it to its
/// parent costs nothing, and leaving it out is a truncation.
struct Node<'h> {
    tag: &'h str,
    status: Status,
    start: usize,
    /// The last character of the element's text as Pagefind holds it (raw,
    /// with entities): it decides whether a block ends with a full stop.
    last: Option<char>,
    /// Anchors whose text this element's text is part of.
    anchors: Vec<usize>,
    weighted: bool,
    sentence: bool,
}

/// A sentence already ends with one of these (Rust regex `[\w'")$*]`).
fn ends_sentence(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*');
    }
    if matches!(c, '\u{200C}' | '\u{200D}') || c.is_alphabetic() {
        return true;
    }
    matches!(
        get_general_category(c),
        G::DecimalNumber
            | G::ConnectorPunctuation
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
    )
}

/// Reads `html`, the body of one record.
pub fn read(html: &str) -> Read {
    let mut r = Reader {
        out: Read {
            text: String::with_capacity(html.len() + html.len() / 8),
            ..Read::default()
        },
        stack: vec![Node {
            tag: "",
            status: Status::Indexing,
            start: 0,
            last: None,
            anchors: Vec::new(),
            weighted: false,
            sentence: false,
        }],
    };
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) else {
            r.text(&html[at..]);
            break;
        };
        if lt > at {
            r.text(&html[at..lt]);
        }
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(bytes.len(), |e| lt + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            at = rest.find('>').map_or(bytes.len(), |e| lt + e + 1);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let end = rest.find('>').map_or(bytes.len(), |e| lt + e + 1);
                r.close(tag_name(after));
                at = end;
                continue;
            }
        }
        let Some(tag) = Tag::parse(rest) else {
            // A `<` that starts no tag is text.
            r.text("<");
            at = lt + 1;
            continue;
        };
        at = lt + tag.len;
        let name = tag.name;
        let opened = r.open(&tag);
        if opened && class(name) & RAW != 0 {
            let end = find_end_tag(&html[at..], name).map_or(bytes.len(), |i| at + i);
            r.text(&html[at..end]);
            at = end;
        }
    }
    // What was never closed stays as it is (as at the end of Pagefind's
    // document), unless it is left out.
    while r.stack.len() > 1 {
        let Some(node) = r.stack.pop() else { break };
        if node.status != Status::Indexing {
            r.out.text.truncate(node.start);
        }
    }
    r.out
}

struct Reader<'h> {
    out: Read,
    stack: Vec<Node<'h>>,
}

impl<'h> Reader<'h> {
    fn text(&mut self, raw: &str) {
        let Some(node) = self.stack.last_mut() else {
            return;
        };
        if raw.is_empty() {
            return;
        }
        let decoded = html_escape::decode_html_entities(raw);
        if decoded.contains(MARK) {
            self.out.text.push_str(&decoded.replace(MARK, ""));
        } else {
            self.out.text.push_str(&decoded);
        }
        node.last = raw.chars().next_back();
        if node.status == Status::Indexing {
            for &a in &node.anchors {
                if let Some(anchor) = self.out.anchors.get_mut(a) {
                    anchor.raw.push_str(raw);
                }
            }
        }
    }

    /// Opens an element; false for one with no content (a void element).
    fn open(&mut self, tag: &Tag<'h>) -> bool {
        let own = match tag.attr("data-pagefind-ignore") {
            None => Status::Indexing,
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "" | "index" | "true" => Status::Ignored,
                _ => Status::Excluded,
            },
        };
        let Some(parent) = self.stack.last_mut() else {
            return false;
        };
        let text = &mut self.out.text;
        let mut anchor = None;
        if own == Status::Indexing {
            if let Some(id) = tag.attr("id") {
                let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
                let n = self.out.anchors.len();
                text.push(' ');
                text.push(MARK);
                text.push('a');
                text.push_str(&n.to_string());
                text.push(' ');
                parent.last = Some(' ');
                self.out.anchors.push(Anchor {
                    element: tag.name.to_ascii_lowercase(),
                    id,
                    raw: String::new(),
                });
                anchor = Some(n);
            }
        }
        if own != Status::Excluded && tag.name.eq_ignore_ascii_case("br") {
            text.push(' ');
            parent.last = Some(' ');
        }
        let class = class(tag.name);
        let mut status = if parent.status == Status::Excluded {
            Status::Excluded
        } else {
            own
        };
        if class & VOID != 0 {
            if tag.name.eq_ignore_ascii_case("img")
                && status != Status::Excluded
                && self.out.image.is_none()
            {
                if let Some(src) = tag.attr("src") {
                    let alt = tag.attr("alt").unwrap_or("").to_string();
                    self.out.image = Some((src.to_string(), alt));
                }
            }
            return false;
        }
        let mut anchors = if !parent.anchors.is_empty() && class & INLINE != 0 {
            parent.anchors.clone()
        } else {
            Vec::new()
        };
        anchors.extend(anchor);
        let removed = class & REMOVED != 0
            || tag
                .attr("class")
                .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == "anchor"));
        if removed {
            status = Status::Ignored;
        }
        let weight = heading_weight(tag.name);
        let sentence = class & SENTENCE != 0;
        if status == Status::Indexing {
            if let Some(w) = weight {
                text.push(' ');
                text.push(MARK);
                text.push('w');
                text.push(w);
                text.push(' ');
            }
            if sentence {
                text.push(' ');
            }
        }
        let start = text.len();
        self.stack.push(Node {
            tag: tag.name,
            status,
            start,
            last: None,
            anchors,
            weighted: weight.is_some(),
            sentence,
        });
        true
    }

    fn close(&mut self, name: &str) {
        // The root (index 0) is never closed.
        let Some(depth) = self
            .stack
            .iter()
            .skip(1)
            .rposition(|n| n.tag.eq_ignore_ascii_case(name))
        else {
            return;
        };
        while self.stack.len() > depth + 1 {
            let Some(node) = self.stack.pop() else { return };
            self.finish(node);
        }
    }

    fn finish(&mut self, mut node: Node<'h>) {
        let text = &mut self.out.text;
        if node.status == Status::Excluded {
            text.truncate(node.start);
            return;
        }
        if self.out.h1.is_none()
            && node.tag.eq_ignore_ascii_case("h1")
            && !text[node.start..].trim().is_empty()
        {
            self.out.h1 = Some(text[node.start..].to_string());
        }
        if node.status == Status::Ignored {
            text.truncate(node.start);
            return;
        }
        if node.sentence {
            if node.last.is_some_and(ends_sentence) {
                text.push('.');
            }
            text.push(' ');
            node.last = Some(' ');
        }
        if node.weighted {
            text.push(' ');
            text.push(MARK);
            text.push_str("e ");
            node.last = Some(' ');
        }
        if let (Some(parent), Some(last)) = (self.stack.last_mut(), node.last) {
            parent.last = Some(last);
        }
    }
}

fn heading_weight(tag: &str) -> Option<char> {
    let b = tag.as_bytes();
    if b.len() == 2 && (b[0] | 0x20) == b'h' {
        return match b[1] {
            b'1' => Some('7'),
            b'2' => Some('6'),
            b'3' => Some('5'),
            b'4' => Some('4'),
            b'5' => Some('3'),
            b'6' => Some('2'),
            _ => None,
        };
    }
    None
}

/// `str::split_whitespace`, with ASCII text (nearly all of it) read a byte at
/// a time rather than a character at a time.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip whitespace.
        loop {
            let &c = b.get(at)?;
            if c < 0x80 {
                if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                    break;
                }
                at += 1;
            } else {
                let ch = text[at..].chars().next()?;
                if !ch.is_whitespace() {
                    break;
                }
                at += ch.len_utf8();
            }
        }
        let start = at;
        while let Some(&c) = b.get(at) {
            if c < 0x80 {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                    break;
                }
                at += 1;
            } else {
                let Some(ch) = text[at..].chars().next() else {
                    break;
                };
                if ch.is_whitespace() {
                    break;
                }
                at += ch.len_utf8();
            }
        }
        Some(&text[start..at])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(html: &str) -> Vec<String> {
        read(html)
            .text
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn blocks_end_in_a_full_stop_and_headings_are_weighted() {
        let w = words("<h2 id=\"a\">Title <a class=\"anchor\" href=\"#a\">#</a></h2>\n<p>One &amp; two</p><p>Done?</p>");
        assert_eq!(
            w,
            vec![
                format!("{MARK}a0"),
                format!("{MARK}w6"),
                "Title".to_string(),
                format!("{MARK}e"),
                "One".into(),
                "&".into(),
                "two.".into(),
                "Done?".into()
            ]
        );
    }

    #[test]
    fn scripts_forms_and_ignored_parts_are_left_out() {
        let w = words("<p>a<script>var x = '<p>no</p>';</script></p><nav>menu</nav><div data-pagefind-ignore>skip</div><p>b</p>");
        assert_eq!(w, vec!["a.".to_string(), "b.".into()]);
    }

    #[test]
    fn anchors_collect_their_inline_text_and_the_first_picture_is_kept() {
        let r = read("<h3 id=\"x y\">Hi <em>there</em></h3><p><img src=\"/a.png\" alt=\"A\"><img src=\"/b.png\"></p>");
        assert_eq!(r.anchors[0].id, "xy");
        assert_eq!(r.anchors[0].element, "h3");
        assert_eq!(r.anchors[0].raw, "Hi there");
        assert_eq!(r.image, Some(("/a.png".into(), "A".into())));
    }

    #[test]
    fn tokens_split_as_split_whitespace_does() {
        for text in [
            "",
            " a  b\t\nc ",
            "x\u{a0}y\u{3000}z\u{85}w",
            "\u{2028}é ü\u{200b}v",
            "a\x0bb\x0cc\rd",
        ] {
            let ours: Vec<&str> = tokens(text).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn broken_markup_reads_without_panicking() {
        for html in [
            "<",
            "<p",
            "<p><b>x",
            "</x>",
            "<!-- x",
            "<a href='",
            "<p>&#0; &#xFDD0;</p>",
        ] {
            let _ = read(html);
        }
    }
}
