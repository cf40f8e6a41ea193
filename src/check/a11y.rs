//! The start of an accessibility check (SPEC §6, `hearth check`): in the
//! markdown of pages, bios and guidelines, headings that skip a level and links
//! with no text. Read from the markdown rather than the rendered page, so each
//! warning points at its line and the theme's own markup is not blamed on a
//! writer.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic, SourceText};

/// The warnings of one text whose body starts at `body_start` of `source`.
/// Its page's title is the `<h1>` above it, so the body's headings start at `##`.
pub fn check(source: &SourceText, body_start: usize) -> Vec<Diagnostic> {
    let Some(body) = source.text.get(body_start..) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut level = 1u8;
    // Open links: where each starts and whether it has said anything yet.
    let mut links: Vec<(usize, bool)> = Vec::new();
    for (event, span) in Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter()
    {
        let at = body_start + span.start;
        match event {
            Event::Start(Tag::Heading { level: h, .. }) => {
                let h = h as u8;
                if h > level + 1 {
                    out.push(
                        Diagnostic::warning(
                            Code::A11yHeadingSkip,
                            format!(
                                "this heading is level {h} after level {level}: people who move by headings meet a hole in the outline"
                            ),
                        )
                        .at(source, at..at + usize::from(h))
                        .with_help(format!(
                            "use `{}` here (a page's title is its level 1 heading)",
                            "#".repeat(usize::from(level) + 1)
                        )),
                    );
                }
                level = h;
            }
            Event::Start(Tag::Link { .. }) => links.push((at, false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(open) = links.last_mut() {
                    open.1 = true;
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                // Markup inside a link may well label it: not guessed at.
                if let Some(open) = links.last_mut() {
                    open.1 = true;
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, false)) = links.pop() {
                    out.push(
                        Diagnostic::warning(
                            Code::A11yEmptyLink,
                            "this link has no text: a screen reader can only say \"link\"",
                        )
                        .at(source, start..start + 1)
                        .with_help("put words between the brackets, or give the picture inside it alt text"),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &str) -> Vec<(Code, usize)> {
        let source = SourceText {
            path: "content/x.md".into(),
            text: format!("---\ntitle: X\n---\n{body}").into(),
        };
        check(&source, 17)
            .into_iter()
            .map(|d| (d.code, d.span.map_or(0, |s| s.start - 17)))
            .collect()
    }

    #[test]
    fn skipped_heading_levels_and_empty_links_are_found_and_nothing_else() {
        assert_eq!(
            codes("## A\n\n### B\n\n## C\n\n[ok](x) <https://a.example>\n"),
            []
        );
        assert_eq!(
            codes("### Too deep\n\n## Fine\n\n#### Skips\n"),
            [(Code::A11yHeadingSkip, 0), (Code::A11yHeadingSkip, 23)]
        );
        assert_eq!(
            codes("See [](https://a.example) and [![](p.png)](x) and [![A map](p.png)](x).\n"),
            [(Code::A11yEmptyLink, 4), (Code::A11yEmptyLink, 30)]
        );
    }
}
