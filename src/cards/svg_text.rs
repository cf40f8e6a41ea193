//! The card template's `<text>` elements, drawn with hearth's own layout: each one
//! becomes a group of glyph outlines and emoji pictures, placed where the layout
//! put them, before resvg sees the SVG. resvg then only paints shapes and pictures,
//! so the font that measured a character is the font that draws it.
//!
//! What a template can say about its text: `x`, `y`, `dx`, `dy` on the `<text>`
//! (the first number of each), `font-family` (the first family), `font-size`,
//! `font-weight`, `letter-spacing` and `text-anchor`, as attributes or in `style`,
//! on the text or inherited from a group; `<tspan>`s inside it change the font or
//! `fill` of their words and continue the line. Everything else on the `<text>`
//! (fill, opacity, transform, class, clip-path…) stays on the group that replaces it.

use std::fmt::Write;

use super::glyphs::{Drawing, Segment};
use super::text::{Span, Style, TextLayout, FAMILY};

/// Attributes that only mean something for text: read here, not carried over.
const TEXT_ONLY: &[&str] = &[
    "x",
    "y",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "font",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-stretch",
    "font-variant",
    "text-anchor",
    "direction",
    "letter-spacing",
    "word-spacing",
    "writing-mode",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "unicode-bidi",
    "text-rendering",
    "text-decoration",
];

/// `svg` with every `<text>` replaced by the glyphs that draw it.
pub fn draw(svg: &str, layout: &TextLayout) -> Result<String, String> {
    if !svg.contains("<text") {
        return Ok(svg.to_string());
    }
    let doc = crate::images::parse_xml(svg)?;
    let mut out = String::with_capacity(svg.len() + 4096);
    let mut copied = 0;
    for node in doc.descendants() {
        if !node.is_element() || node.tag_name().name() != "text" {
            continue;
        }
        let range = node.range();
        if range.start < copied {
            continue;
        }
        out.push_str(&svg[copied..range.start]);
        text_element(node, layout, &mut out);
        copied = range.end;
    }
    out.push_str(&svg[copied..]);
    Ok(out)
}

/// A presentation property of `node` or the nearest ancestor that sets it, as an
/// attribute or a `style` declaration.
fn property<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.ancestors().filter(|n| n.is_element()).find_map(|n| {
        let from_style = n.attribute("style").and_then(|style| {
            style.split(';').find_map(|decl| {
                let (key, value) = decl.split_once(':')?;
                (key.trim() == name).then(|| value.trim())
            })
        });
        from_style.or_else(|| n.attribute(name).map(str::trim))
    })
}

/// The first number of an attribute (`x="80"`, `x="80 90"`, `font-size="26px"`).
fn number(value: Option<&str>) -> Option<f32> {
    let first = value?
        .split(|c: char| c == ',' || c.is_whitespace())
        .find(|s| !s.is_empty())?;
    first.trim_end_matches("px").parse().ok()
}

fn style_of(node: roxmltree::Node) -> (Style, Option<String>, f32) {
    let px = number(property(node, "font-size"))
        .unwrap_or(16.0)
        .clamp(0.0, 1000.0);
    let bold = match property(node, "font-weight") {
        Some("bold" | "bolder") => true,
        Some(w) => w.parse::<u16>().is_ok_and(|w| w >= 600),
        None => false,
    };
    let family = property(node, "font-family")
        .and_then(|f| f.split(',').next())
        .map(|f| f.trim().trim_matches(['"', '\'']).to_string())
        .filter(|f| !f.is_empty() && !matches!(f.as_str(), "sans-serif" | "serif" | "system-ui"))
        .filter(|f| f != FAMILY);
    let spacing = number(property(node, "letter-spacing"))
        .unwrap_or(0.0)
        .clamp(-100.0, 100.0);
    (Style { px, bold }, family, spacing)
}

/// One piece of the text's words and the element whose style it has.
struct Piece<'a> {
    text: String,
    node: roxmltree::Node<'a, 'a>,
}

/// The `<text>`'s words as SVG lays them out by default (`xml:space` not
/// `preserve`): newlines gone, tabs as spaces, runs of spaces as one, none at the
/// start or end.
fn pieces<'a>(text: roxmltree::Node<'a, 'a>) -> Vec<Piece<'a>> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut last_space = true;
    for node in text.descendants().filter(|n| n.is_text()) {
        let Some(parent) = node.parent_element() else {
            continue;
        };
        let mut words = String::new();
        for c in node.text().unwrap_or_default().chars() {
            match c {
                '\n' | '\r' => {}
                ' ' | '\t' => {
                    if !last_space {
                        words.push(' ');
                        last_space = true;
                    }
                }
                c => {
                    words.push(c);
                    last_space = false;
                }
            }
        }
        if !words.is_empty() {
            pieces.push(Piece {
                text: words,
                node: parent,
            });
        }
    }
    if let Some(last) = pieces.last_mut() {
        if last.text.ends_with(' ') {
            last.text.pop();
        }
    }
    pieces.retain(|p| !p.text.is_empty());
    pieces
}

fn text_element(node: roxmltree::Node, layout: &TextLayout, out: &mut String) {
    let pieces = pieces(node);
    let styles: Vec<(Style, Option<String>, f32)> =
        pieces.iter().map(|p| style_of(p.node)).collect();
    let spans: Vec<Span> = pieces
        .iter()
        .zip(&styles)
        .map(|(p, (style, family, spacing))| Span {
            text: &p.text,
            style: *style,
            family: family.as_deref(),
            letter_spacing: *spacing,
        })
        .collect();
    let shaped = layout.shape(&spans);
    let x =
        number(node.attribute("x")).unwrap_or(0.0) + number(node.attribute("dx")).unwrap_or(0.0);
    let y =
        number(node.attribute("y")).unwrap_or(0.0) + number(node.attribute("dy")).unwrap_or(0.0);
    let start = match property(node, "text-anchor") {
        Some("middle") => x - shaped.width / 2.0,
        Some("end") => x - shaped.width,
        _ => x,
    };

    out.push_str("<g");
    for a in node.attributes() {
        if a.namespace().is_some() || TEXT_ONLY.contains(&a.name()) {
            continue;
        }
        let _ = write!(out, " {}=\"{}\"", a.name(), crate::escape::xml(a.value()));
    }
    out.push('>');
    // One path a span (its own fill, when a <tspan> gives one), then the pictures.
    for (i, piece) in pieces.iter().enumerate() {
        let mut d = String::new();
        for g in shaped.glyphs.iter().filter(|g| g.span == i) {
            if let Drawing::Outline(segments) = &*g.drawing {
                path_data(&mut d, segments, start + g.x, y + g.y, g.px);
            }
        }
        if d.is_empty() {
            continue;
        }
        out.push_str("<path");
        if piece.node != node {
            for key in ["fill", "fill-opacity"] {
                if let Some(v) = piece.node.attribute(key) {
                    let _ = write!(out, " {key}=\"{}\"", crate::escape::xml(v));
                }
            }
        }
        let _ = write!(out, " d=\"{d}\"/>");
    }
    for g in &shaped.glyphs {
        if let Drawing::Picture {
            href,
            left,
            top,
            width,
            height,
        } = &*g.drawing
        {
            let _ = write!(
                out,
                "<image x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" preserveAspectRatio=\"none\" href=\"{href}\"/>",
                start + g.x + left * g.px,
                y + g.y - top * g.px,
                width * g.px,
                height * g.px,
            );
        }
    }
    out.push_str("</g>");
}

/// Appends a glyph's outline at pen position (`x`, `y`) and size `px` to path data
/// (fonts have y up, SVG down).
fn path_data(d: &mut String, segments: &[Segment], x: f32, y: f32, px: f32) {
    let p = |d: &mut String, ex: f32, ey: f32| {
        let _ = write!(d, "{:.2} {:.2} ", x + ex * px, y - ey * px);
    };
    for s in segments {
        match *s {
            Segment::Move(a, b) => {
                d.push('M');
                p(d, a, b);
            }
            Segment::Line(a, b) => {
                d.push('L');
                p(d, a, b);
            }
            Segment::Quad(a, b, c, e) => {
                d.push('Q');
                p(d, a, b);
                p(d, c, e);
            }
            Segment::Cubic(a, b, c, e, f, g) => {
                d.push('C');
                p(d, a, b);
                p(d, c, e);
                p(d, f, g);
            }
            Segment::Close => d.push('Z'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> TextLayout {
        TextLayout::new(&super::super::raster::builtin_fonts(), false)
    }

    #[test]
    fn a_text_becomes_a_group_of_outlines_that_keeps_its_paint() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"><text x="10" y="60" font-family="Inter" font-weight="700" font-size="40" fill="#123456" opacity="0.5">Hi &amp; bye</text></svg>"##;
        let drawn = draw(svg, &layout()).unwrap();
        assert!(!drawn.contains("<text"), "{drawn}");
        assert!(
            drawn.contains(r##"<g fill="#123456" opacity="0.5"><path d="M"##),
            "{drawn}"
        );
    }

    #[test]
    fn an_emoji_anywhere_in_a_line_is_a_picture() {
        for (text, expected) in [
            ("🎉 Welcome!", 1),
            ("Hi 👍 and 🇵🇹", 2),
            ("code 👩🏽‍💻", 1),
            ("1️⃣ 👋🏽", 2),
        ] {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="900" height="100"><text x="10" y="60" font-size="40">{text}</text></svg>"#
            );
            let drawn = draw(&svg, &layout()).unwrap();
            assert_eq!(drawn.matches("<image").count(), expected, "{text}: {drawn}");
        }
    }

    #[test]
    fn the_anchor_sets_where_the_line_ends() {
        let l = layout();
        let at = |anchor: &str| {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="900" height="100"><text x="500" y="60" font-size="40" text-anchor="{anchor}">Hello</text></svg>"#
            );
            let drawn = draw(&svg, &l).unwrap();
            let d = drawn.split(" d=\"M").nth(1).unwrap().to_string();
            d.split(' ').next().unwrap().parse::<f32>().unwrap()
        };
        let (start, middle, end) = (at("start"), at("middle"), at("end"));
        assert!((500.0..510.0).contains(&start), "{start}");
        assert!(middle < start && end < middle, "{start} {middle} {end}");
    }
}
