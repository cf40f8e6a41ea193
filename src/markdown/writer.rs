//! The HTML writer: pulldown-cmark's events turned into hearth's HTML, with heading
//! ids and permalinks, numbered rules, alerts, highlighted code, rewritten links,
//! @mentions, the lead and the summary, and every problem at its span.

use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd,
};

use super::links::rewrite_url;
use super::picture::responsive_img;
use super::{
    nest_toc, shorten, LinkContext, Problem, RenderOptions, Rendered, HIGHLIGHT_MAX,
    HIGHLIGHT_RATIO, MORE_MARKER,
};
use crate::escape;
use crate::model::page::{Content, Rule};
use crate::model::url::{heading_id, IdRegistry};

struct HeadingState<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    inner: Vec<Event<'a>>,
    text: String,
}

pub(super) struct HtmlWriter<'a, 'c> {
    ctx: &'c dyn LinkContext,
    opts: RenderOptions,
    out: Vec<Event<'a>>,
    ids: IdRegistry,
    problems: Vec<Problem>,
    mentions: Vec<String>,
    headings: Vec<(u8, String, String)>,
    rules: Vec<Rule>,
    rule_counters: [usize; 2],
    heading: Option<HeadingState<'a>>,
    code: Option<(String, String)>,
    /// Where the code block being read starts in the markdown.
    code_at: usize,
    link_depth: usize,
    /// The picture being read: where its `![` is, and its alt text so far.
    picture: Option<(usize, String)>,
    /// The site's picture being read, written as one responsive `<img>` at its
    /// end (its title, and how many pictures are nested in its alt text).
    shown: Option<(super::Shown, CowStr<'a>, usize)>,
    /// Pictures written so far: the first is not lazy (it is often the page's
    /// largest paint).
    pictures: usize,
    depth: usize,
    first_para: Option<Range<usize>>,
    first_para_done: bool,
    lead: String,
    in_first_para: bool,
    more_at: Option<usize>,
    words: usize,
}

impl<'a, 'c> HtmlWriter<'a, 'c> {
    /// A picture without alt text tells people who cannot see it nothing
    /// (SPEC §6: `hearth::missing-alt`, a warning).
    fn picture_ends(&mut self) {
        let Some((at, alt)) = self.picture.take() else {
            return;
        };
        if alt.trim().is_empty() {
            self.problems.push(Problem {
                span: at..at + 2,
                message: "this picture has no alt text: people who cannot see it are told nothing".into(),
                help: Some(
                    "say what it shows between the brackets: `![The December meetup in Porto](porto.jpg)`"
                        .into(),
                ),
                warning: true,
                code: crate::diagnostics::Code::MissingAlt,
            });
        }
    }

    pub(super) fn new(ctx: &'c dyn LinkContext, opts: RenderOptions) -> Self {
        HtmlWriter {
            ctx,
            opts,
            out: Vec::new(),
            ids: IdRegistry::default(),
            problems: Vec::new(),
            mentions: Vec::new(),
            headings: Vec::new(),
            rules: Vec::new(),
            rule_counters: [0; 2],
            heading: None,
            code: None,
            code_at: 0,
            picture: None,
            shown: None,
            pictures: 0,
            link_depth: 0,
            depth: 0,
            first_para: None,
            first_para_done: false,
            lead: String::new(),
            in_first_para: false,
            more_at: None,
            words: 0,
        }
    }
}

impl<'a> HtmlWriter<'a, '_> {
    fn emit(&mut self, e: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.inner.push(e),
            None => self.out.push(e),
        }
    }

    pub(super) fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        if let Some((_, buf)) = &mut self.code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        if let Some((_, _, nested)) = &mut self.shown {
            // Inside a responsive picture only its alt text is kept.
            match &event {
                Event::Start(Tag::Image { .. }) => {
                    *nested += 1;
                    return;
                }
                Event::End(TagEnd::Image) if *nested > 0 => {
                    *nested -= 1;
                    return;
                }
                Event::End(TagEnd::Image) | Event::Text(_) => {}
                Event::Code(code) => {
                    if let Some((_, alt)) = &mut self.picture {
                        alt.push_str(code);
                    }
                    return;
                }
                _ => return,
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(HeadingState {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.into_iter().map(|c| c.to_string()).collect(),
                    inner: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                self.code_at = span.start;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.depth += 1;
                let (class, label) = alert_label(kind);
                self.emit(Event::Html(
                    format!(
                        "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.depth = self.depth.saturating_sub(1);
                self.emit(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Table(align)) => {
                self.depth += 1;
                self.emit(Event::Html("<div class=\"table-wrap\">".into()));
                self.emit(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.depth = self.depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Table));
                self.emit(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Paragraph) => {
                if self.depth == 0 && !self.first_para_done && self.heading.is_none() {
                    self.in_first_para = true;
                    self.first_para = Some(self.out.len()..self.out.len());
                }
                self.depth += 1;
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.depth = self.depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Paragraph));
                if self.in_first_para {
                    self.in_first_para = false;
                    self.first_para_done = true;
                    if let Some(r) = &mut self.first_para {
                        r.end = self.out.len();
                    }
                }
            }
            // Links and images alike: their destination is rewritten (markdown files
            // to page URLs, site paths to the base_url prefix), and no @mention is made
            // inside them.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.enter_link(link_type, dest_url, &span);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(shown) = self.ctx.picture(&dest_url) {
                    self.link_depth += 1;
                    self.picture = Some((span.start, String::new()));
                    self.shown = Some((shown, title, 0));
                    return;
                }
                let dest_url = self.enter_link(link_type, dest_url, &span);
                self.picture = Some((span.start, String::new()));
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                let alt = match &self.picture {
                    Some((_, alt)) if end == TagEnd::Image => alt.clone(),
                    _ => String::new(),
                };
                if end == TagEnd::Image {
                    self.picture_ends();
                    self.pictures += 1;
                }
                match self.shown.take() {
                    Some((shown, title, _)) if end == TagEnd::Image => {
                        let html = responsive_img(&shown, &alt, &title, self.pictures == 1);
                        self.emit(Event::InlineHtml(html.into()));
                    }
                    _ => self.emit(Event::End(end)),
                }
            }
            Event::Text(text) => {
                if let Some((_, alt)) = &mut self.picture {
                    alt.push_str(&text);
                }
                self.words += text.split_whitespace().count();
                if self.in_first_para {
                    self.lead.push_str(&text);
                }
                if self.shown.is_some() {
                    return;
                }
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&text);
                    h.inner.push(Event::Text(text));
                } else if self.link_depth == 0 && text.contains('@') {
                    self.mentions_in(text);
                } else {
                    self.emit(Event::Text(text));
                }
            }
            Event::Code(code) => {
                if self.in_first_para {
                    self.lead.push_str(&code);
                }
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&code);
                }
                self.emit(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.in_first_para {
                    self.lead.push(' ');
                }
                self.emit(event);
            }
            // A task's box says what it shows: screen readers (and axe) meet an
            // unlabelled checkbox otherwise.
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", "done")
                } else {
                    ("", "to do")
                };
                self.emit(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Html(html) | Event::InlineHtml(html) if html.trim() == MORE_MARKER => {
                if self.more_at.is_none() && self.heading.is_none() {
                    self.more_at = Some(self.out.len());
                }
            }
            Event::Start(tag) => {
                if is_block_container(&tag) {
                    self.depth += 1;
                }
                self.emit(Event::Start(tag));
            }
            Event::End(tag) => {
                if is_block_container_end(&tag) {
                    self.depth = self.depth.saturating_sub(1);
                }
                self.emit(Event::End(tag));
            }
            other => self.emit(other),
        }
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let plain = |why: String| (crate::escape::html(&code), Some(why));
        let (highlighted, why) = if lang.is_empty() {
            (self.ctx.highlight(&code, &lang), None)
        } else if code.len() > HIGHLIGHT_MAX {
            plain(format!(
                "this {lang} block is {} KiB; blocks over {} KiB are shown without highlighting",
                code.len() / 1024,
                HIGHLIGHT_MAX / 1024
            ))
        } else {
            let html = self.ctx.highlight(&code, &lang);
            if html.len() > code.len().saturating_mul(HIGHLIGHT_RATIO).max(4096) {
                plain(format!(
                    "highlighting this {lang} block would make {} KiB of HTML from {} KiB of code; it is shown without highlighting",
                    html.len() / 1024,
                    code.len().div_ceil(1024)
                ))
            } else {
                (html, None)
            }
        };
        if let Some(message) = why {
            self.problems.push(Problem {
                span: self.code_at..self.code_at + 3,
                message,
                help: Some("split the block, or link to the file instead of pasting it".into()),
                warning: true,
                code: crate::diagnostics::Code::LongCode,
            });
        }
        // `tabindex`: a long line scrolls sideways, and keyboard users must be able
        // to reach the scrolling box.
        let html = if lang.is_empty() {
            format!("<pre class=\"code\" tabindex=\"0\"><code>{highlighted}</code></pre>\n")
        } else {
            let lang = escape::html(&lang);
            format!(
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{highlighted}</code></pre>\n"
            )
        };
        self.emit(Event::Html(html.into()));
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let level = h.level as u8;
        let id = match &h.id {
            Some(id) => {
                self.ids.reserve(id);
                id.clone()
            }
            None => self.ids.unique(&heading_id(&h.text)),
        };
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, h.inner.into_iter());
        let title = h.text.trim().to_string();
        let mut number = String::new();
        if self.opts.numbered_rules && (level == 2 || level == 3) {
            if level == 2 {
                self.rule_counters = [self.rule_counters[0] + 1, 0];
                number = format!("{}.", self.rule_counters[0]);
            } else {
                self.rule_counters[1] += 1;
                number = format!("{}.{}", self.rule_counters[0].max(1), self.rule_counters[1]);
            }
            self.rules.push(Rule {
                number: number.trim_end_matches('.').to_string(),
                id: id.clone(),
                title: title.clone(),
            });
        }
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape::html(&h.classes.join(" ")))
        };
        let id_attr = escape::html(&id);
        let number_html = if number.is_empty() {
            String::new()
        } else {
            format!("<span class=\"rule-number\">{number}</span> ")
        };
        let label = escape::html(&if number.is_empty() {
            format!("Permalink to “{title}”")
        } else {
            format!("Permalink to rule {}", number.trim_end_matches('.'))
        });
        let html = format!(
            "<h{level} id=\"{id_attr}\"{class}>{number_html}{inner} <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"{label}\">#</a></h{level}>\n"
        );
        self.headings.push((level, id, title));
        self.out.push(Event::Html(html.into()));
    }

    /// Splits `@handle` mentions of existing members out of a text run.
    fn mentions_in(&mut self, text: CowStr<'a>) {
        let s: &str = &text;
        let bytes = s.as_bytes();
        let mut pieces: Vec<Event<'a>> = Vec::new();
        let mut last = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'@' {
                let prev_ok = i == 0 || {
                    let prev = s[..i].chars().next_back().unwrap_or(' ');
                    !(prev.is_alphanumeric() || matches!(prev, '.' | '_' | '-' | '@' | '/'))
                };
                let end = s[i + 1..]
                    .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                    .map_or(s.len(), |n| i + 1 + n);
                let handle = s[i + 1..end].trim_end_matches('-');
                let end = i + 1 + handle.len();
                let next_ok = !s[end..].starts_with('@')
                    && !s[end..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                if prev_ok && next_ok && !handle.is_empty() {
                    if let Some(url) = self.ctx.member_url(handle) {
                        if last < i {
                            pieces.push(Event::Text(s[last..i].to_string().into()));
                        }
                        pieces.push(Event::Html(
                            format!(
                                "<a class=\"mention\" href=\"{}\">@{}</a>",
                                escape::href(&url),
                                escape::html(handle)
                            )
                            .into(),
                        ));
                        if !self.mentions.iter().any(|m| m == handle) {
                            self.mentions.push(handle.to_string());
                        }
                        last = end;
                        i = end;
                        continue;
                    }
                }
            }
            i += 1;
        }
        if last == 0 {
            self.emit(Event::Text(text));
            return;
        }
        if last < s.len() {
            pieces.push(Event::Text(s[last..].to_string().into()));
        }
        for p in pieces {
            self.emit(p);
        }
    }

    /// Enters a link or image: counts the depth (mentions stay out of it) and
    /// rewrites the destination.
    fn enter_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        span: &Range<usize>,
    ) -> CowStr<'a> {
        self.link_depth += 1;
        self.rewrite_link(link_type, dest_url, span)
    }

    fn rewrite_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        span: &Range<usize>,
    ) -> CowStr<'a> {
        if matches!(link_type, LinkType::Email | LinkType::Autolink) {
            return dest;
        }
        match rewrite_url(&dest, self.ctx) {
            Ok(Some(url)) => url.into(),
            Ok(None) => dest,
            Err((message, help)) => {
                self.problems.push(Problem {
                    span: span.clone(),
                    message,
                    help,
                    warning: false,
                    code: crate::diagnostics::Code::Link,
                });
                dest
            }
        }
    }

    pub(super) fn finish(self) -> Rendered {
        let mut html = String::with_capacity(self.out.len() * 32);
        let summary_events = match (self.more_at, &self.first_para) {
            (Some(end), _) => Some(0..end),
            (None, Some(r)) if r.end > r.start => Some(r.clone()),
            _ => None,
        };
        let summary = summary_events.map(|r| {
            let mut s = String::new();
            pulldown_cmark::html::push_html(&mut s, self.out[r].iter().cloned());
            s
        });
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        // A build holds every page's HTML until it is written: the room a growing
        // string keeps spare was a third of it (40 MB at 10,000 pages).
        html.shrink_to_fit();
        Rendered {
            content: Content {
                html,
                summary,
                lead: shorten(self.lead.trim(), 200),
                toc: nest_toc(&self.headings),
                words: self.words,
                mentions: self.mentions,
                links_to: Vec::new(),
            },
            problems: self.problems,
            rules: self.rules,
            asked: Default::default(),
        }
    }
}

fn alert_label(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn is_block_container(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_) | Tag::HtmlBlock
    )
}

fn is_block_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}
