//! Markdown → HTML with what a community hub needs on top of CommonMark: heading ids by
//! GitHub's rule with permalinks, highlighted code, GitHub alerts, links between `.md`
//! files rewritten to page URLs, and `@handle` mentions.
//!
//! Pure: it asks a `LinkContext` about the rest of the site and reports problems as
//! spans into the markdown, which the loader turns into diagnostics.

mod grammars;

/// Highlighted code's classes are prefixed so they never collide with a theme's own
/// CSS (tree-sitter's captures and syntect's scopes both become these).
pub const CLASS_PREFIX: &str = "hl-";

mod environment;
pub mod highlight;
pub mod highlight_cache;
mod link_index;
mod links;
pub mod picture;
mod resolver;
pub mod sanitize;
pub mod stage;
pub mod text_cache;
mod writer;

pub use environment::{Caches, Environment, HIGHLIGHT_CACHE, TEXT_CACHE};
pub use link_index::{Asked, AssetHash, LinkIndex, LinkTarget};
pub use links::rewrite_url;
pub use resolver::LinkResolver;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::page::{Content, Rule, TocEntry};
use writer::HtmlWriter;

/// What the markdown stage needs to know about the rest of the site.
pub trait LinkContext {
    /// Resolves a relative link (path part, fragment removed) from the page's folder.
    /// `Ok(Some(url))` rewrites it, `Ok(None)` leaves it as written, `Err` is a broken
    /// link with a message and maybe a hint.
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, Option<String>)>;
    /// The URL of a member's page, when `handle` is a member.
    fn member_url(&self, handle: &str) -> Option<String>;
    /// The base_url's path prefix ("/" or "/hub/").
    fn base_path(&self) -> &str;
    /// Highlights a code block (through the site's highlight cache when it has one).
    fn highlight(&self, code: &str, lang: &str) -> String {
        highlight::highlight(code, lang)
    }
    /// The site's picture at `dest` as written in markdown (relative, or a site
    /// path into static/), with its variants: shown as one responsive `<img>`.
    fn picture(&self, _dest: &str) -> Option<Shown> {
        None
    }
}

/// A picture of the site as a text shows it (SPEC §6): URLs with the base_url
/// prefix, the size of the original (for no layout shift).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub src: String,
    /// Each variant's URL and width, narrowest first.
    pub srcset: Vec<(String, u32)>,
    pub width: u32,
    pub height: u32,
}

/// How a particular kind of document renders its headings.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Guidelines number their `##` rules and `###` sub-rules (1., 1.1, …).
    pub numbered_rules: bool,
}

/// A problem at a byte span of the markdown body.
#[derive(Debug, Clone)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// A warning (the text is still right, only plainer), not an error.
    pub warning: bool,
    pub code: crate::diagnostics::Code,
}

/// The longest code block highlighted: a longer one is shown plain. Highlighting
/// is the costliest work of a build, and a pasted log of megabytes is no code to
/// read in colour.
pub const HIGHLIGHT_MAX: usize = 256 * 1024;
/// The most bytes of highlighted HTML per byte of code: past it, plain. Classed
/// HTML is 3–8 times its code; one class per character (a 5 MB block was a 365
/// MB page) is not worth what it costs to publish.
pub const HIGHLIGHT_RATIO: usize = 16;

#[derive(Debug, Default)]
pub struct Rendered {
    pub content: Content,
    pub problems: Vec<Problem>,
    /// The rule numbers given to headings, by id (guidelines only).
    pub rules: Vec<Rule>,
    /// The content files and handles the text asked about (for the text cache).
    pub asked: Asked,
}

const MORE_MARKER: &str = "<!-- more -->";

pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Renders a markdown body. Spans in the result are relative to `body`.
pub fn render(body: &str, ctx: &dyn LinkContext, opts: RenderOptions) -> Rendered {
    let mut r = HtmlWriter::new(ctx, opts);
    for (event, span) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        r.event(event, span);
    }
    r.finish()
}

/// Renders a line of inline markdown (a link's note) without the paragraph around it.
pub fn inline(text: &str) -> String {
    let mut html = String::new();
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION,
    )
    .filter(|e| {
        !matches!(
            e,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
        )
    });
    pulldown_cmark::html::push_html(&mut html, parser);
    html.trim_end().to_string()
}

/// Cuts plain text at a word boundary near `max` characters.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Turns the flat heading list into a tree: each heading holds the deeper ones after it.
fn nest_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(headings: &[(u8, String, String)], i: &mut usize, level: u8) -> Vec<TocEntry> {
        let mut out = Vec::new();
        while *i < headings.len() {
            let (l, id, title) = &headings[*i];
            if *l < level {
                break;
            }
            *i += 1;
            let children = take(headings, i, l + 1);
            out.push(TocEntry {
                level: *l,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        out
    }
    let min = headings.iter().map(|h| h.0).min().unwrap_or(1);
    let mut i = 0;
    take(headings, &mut i, min)
}

#[cfg(test)]
mod tests;
