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

const SENTENCE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var",
];
/// Left out with everything in them.
const REMOVED: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Indexing,
    /// Its text is not indexed (its anchors' text still counts).
    Ignored,
    /// Nothing in it counts.
    Excluded,
}

struct Node {
    tag: String,
    status: Status,
    value: String,
    /// The last character of the value as Pagefind holds it (raw, with entities):
    /// it decides whether a block ends with a full stop.
    last: Option<char>,
    /// Anchors whose text this element's text is part of.
    anchors: Vec<usize>,
}

impl Node {
    fn push_space(&mut self) {
        self.value.push(' ');
        self.last = Some(' ');
    }
}

/// A sentence already ends with one of these (Rust regex `[\w'")$*]`).
fn ends_sentence(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if matches!(c, '\'' | '"' | ')' | '$' | '*' | '\u{200C}' | '\u{200D}') || c.is_alphabetic() {
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
    let mut out = Read::default();
    let mut stack: Vec<Node> = vec![Node {
        tag: String::new(),
        status: Status::Indexing,
        value: String::with_capacity(html.len()),
        last: None,
        anchors: Vec::new(),
    }];
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) else {
            text(&mut stack, &mut out, &html[at..]);
            break;
        };
        if lt > at {
            text(&mut stack, &mut out, &html[at..lt]);
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
                let name = tag_name(after);
                close(&mut stack, &mut out, &name);
                at = end;
                continue;
            }
        }
        let Some(tag) = Tag::parse(rest) else {
            // A `<` that starts no tag is text.
            text(&mut stack, &mut out, "<");
            at = lt + 1;
            continue;
        };
        at = lt + tag.len;
        let name = tag.name.clone();
        open(&mut stack, &mut out, tag);
        if RAW_TEXT.contains(&name.as_str()) && stack.last().is_some_and(|n| n.tag == name) {
            let closing = format!("</{name}");
            let end = find_ascii_ci(&html[at..], &closing).map_or(bytes.len(), |i| at + i);
            text(&mut stack, &mut out, &html[at..end]);
            at = end;
        }
    }
    while stack.len() > 1 {
        // What was never closed joins its parent as it is, as Pagefind's end of
        // document does.
        let Some(node) = stack.pop() else { break };
        if let Some(parent) = stack.last_mut() {
            if node.status == Status::Indexing && !node.value.is_empty() {
                parent.value.push_str(&node.value);
                parent.last = node.last;
            }
        }
    }
    out.text = stack.pop().map(|n| n.value).unwrap_or_default();
    out
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    len: usize,
}

impl Tag {
    /// A start tag at the start of `s` (which begins with `<`).
    fn parse(s: &str) -> Option<Tag> {
        let b = s.as_bytes();
        if !b.get(1)?.is_ascii_alphabetic() {
            return None;
        }
        let name = tag_name(&s[1..]);
        let mut i = 1 + name.len();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return Some(Tag {
                    name,
                    attrs,
                    len: b.len(),
                });
            }
            if b[i] == b'>' {
                return Some(Tag {
                    name,
                    attrs,
                    len: i + 1,
                });
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let key = s[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let from = i + 1;
                    let to = memchr::memchr(q, &b[from..]).map_or(b.len(), |e| from + e);
                    value = s[from..to].to_string();
                    i = (to + 1).min(b.len());
                } else {
                    let from = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = s[from..i].to_string();
                }
            }
            if !key.is_empty() {
                attrs.push((key, value));
            }
        }
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn text(stack: &mut [Node], out: &mut Read, raw: &str) {
    let Some(node) = stack.last_mut() else { return };
    if raw.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(raw);
    if decoded.contains(MARK) {
        node.value.push_str(&decoded.replace(MARK, ""));
    } else {
        node.value.push_str(&decoded);
    }
    node.last = raw.chars().next_back();
    if node.status == Status::Indexing {
        for &a in &node.anchors {
            if let Some(anchor) = out.anchors.get_mut(a) {
                anchor.raw.push_str(raw);
            }
        }
    }
}

fn open(stack: &mut Vec<Node>, out: &mut Read, tag: Tag) {
    let own = match tag.attr("data-pagefind-ignore") {
        None => Status::Indexing,
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "" | "index" | "true" => Status::Ignored,
            _ => Status::Excluded,
        },
    };
    let Some(parent) = stack.last_mut() else {
        return;
    };
    let mut anchor = None;
    if own == Status::Indexing {
        if let Some(id) = tag.attr("id") {
            let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
            let n = out.anchors.len();
            parent.value.push_str(&format!(" {MARK}a{n} "));
            parent.last = Some(' ');
            out.anchors.push(Anchor {
                element: tag.name.clone(),
                id,
                raw: String::new(),
            });
            anchor = Some(n);
        }
    }
    if own != Status::Excluded && tag.name == "br" {
        parent.push_space();
    }
    let status = if parent.status == Status::Excluded {
        Status::Excluded
    } else {
        own
    };
    let mut anchors = if INLINE.contains(&tag.name.as_str()) {
        parent.anchors.clone()
    } else {
        Vec::new()
    };
    anchors.extend(anchor);
    if VOID.contains(&tag.name.as_str()) {
        if tag.name == "img" && status != Status::Excluded && out.image.is_none() {
            if let Some(src) = tag.attr("src") {
                let alt = tag.attr("alt").unwrap_or("").to_string();
                out.image = Some((src.to_string(), alt));
            }
        }
        return;
    }
    let removed = REMOVED.contains(&tag.name.as_str())
        || tag
            .attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == "anchor"));
    stack.push(Node {
        status: if removed { Status::Ignored } else { status },
        tag: tag.name,
        value: String::new(),
        last: None,
        anchors,
    });
}

fn close(stack: &mut Vec<Node>, out: &mut Read, name: &str) {
    // The root (index 0) is never closed.
    let Some(depth) = stack.iter().skip(1).rposition(|n| n.tag == name) else {
        return;
    };
    while stack.len() > depth + 1 {
        let Some(node) = stack.pop() else { return };
        finish(stack, out, node);
    }
}

fn finish(stack: &mut [Node], out: &mut Read, mut node: Node) {
    if node.status == Status::Excluded {
        return;
    }
    if node.tag == "h1" && out.h1.is_none() && !node.value.trim().is_empty() {
        out.h1 = Some(node.value.clone());
    }
    if node.status == Status::Ignored {
        return;
    }
    let Some(parent) = stack.last_mut() else {
        return;
    };
    let weight = match node.tag.as_str() {
        "h1" => Some('7'),
        "h2" => Some('6'),
        "h3" => Some('5'),
        "h4" => Some('4'),
        "h5" => Some('3'),
        "h6" => Some('2'),
        _ => None,
    };
    if let Some(w) = weight {
        parent.value.push_str(&format!(" {MARK}w{w} "));
    }
    if SENTENCE.contains(&node.tag.as_str()) {
        parent.value.push(' ');
        if node.last.is_some_and(ends_sentence) {
            node.value.push('.');
        }
        node.value.push(' ');
        node.last = Some(' ');
    }
    parent.value.push_str(&node.value);
    if node.last.is_some() {
        parent.last = node.last;
    }
    if weight.is_some() {
        parent.value.push_str(&format!(" {MARK}e "));
        parent.last = Some(' ');
    }
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
