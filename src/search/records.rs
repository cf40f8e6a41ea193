//! What search finds: one record per page, post, event, member, curated link and
//! guideline rule, each its metadata and a body of HTML.
//!
//! Records are made from the model, not from the rendered pages: the theme's
//! header, footer and share block would otherwise be in every result, and a
//! guideline's rules could not be results of their own.

use rayon::prelude::*;

use crate::escape;
use crate::model::page::PageKind;
use crate::model::url::Lang;
use crate::model::{url, Page, Site};

/// The kinds a visitor can filter by, as the search page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Member,
    Link,
    Rule,
    Post,
    Event,
    Page,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Member => "Member",
            Kind::Link => "Link",
            Kind::Rule => "Guideline",
            Kind::Post => "Post",
            Kind::Event => "Event",
            Kind::Page => "Page",
        }
    }
}

/// One search result to be: its URL (base path included), its language (which
/// picks the stemming), its kind, its metadata (title first) and its body, HTML
/// from the markdown stage and hearth's own `<p>`/`<h2>` around plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub url: String,
    pub language: String,
    pub kind: Kind,
    pub meta: Vec<(String, String)>,
    pub body: String,
}

impl Record {
    /// The record as one HTML document in Pagefind's terms (filters and metadata
    /// in an element whose own text is not indexed, then the body): what
    /// Pagefind's own indexer is given in the differential test.
    pub fn html(&self) -> String {
        let mut head = String::with_capacity(256);
        head.push_str("<div data-pagefind-ignore>");
        push_tagged(&mut head, "data-pagefind-filter", "kind", self.kind.label());
        for (name, value) in &self.meta {
            push_tagged(&mut head, "data-pagefind-meta", name, value);
        }
        format!(
            "<!doctype html><html lang=\"{}\"><body><main data-pagefind-body>{}</div>{}</main></body></html>",
            escape::html(&self.language),
            head,
            self.body
        )
    }
}

/// Where a record stands in the index: pages by their place in the site, then
/// members, links and guidelines (a rule after its guideline). The index is the
/// same whatever order records are made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(pub u8, pub u32, pub u32);

/// Every record of the site, in a fixed order (so the index is the same for the
/// same input). Drafts and pages with `search: false` are left out.
pub fn records(site: &Site) -> Vec<Record> {
    let mut all = slotted_records(site);
    all.sort_by_key(|(slot, _)| *slot);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Every record of the site with its slot (in no particular order: the index
/// sorts by slot).
pub fn slotted_records(site: &Site) -> Vec<(Slot, Record)> {
    let mut all = page_records(site, &(0..site.pages.len()).collect::<Vec<_>>());
    all.extend(other_records(site));
    all
}

/// Records of edition `k` of a site in several languages (0: the default
/// language's), slotted apart from the other editions' in the one index.
pub fn in_edition(records: Vec<(Slot, Record)>, k: usize) -> Vec<(Slot, Record)> {
    let k = u8::try_from(k).unwrap_or(u8::MAX / 16);
    records
        .into_iter()
        .map(|(s, r)| (Slot(s.0.saturating_add(k.saturating_mul(16)), s.1, s.2), r))
        .collect()
}

/// The records of these pages (whose markdown is rendered).
pub fn page_records(site: &Site, pages: &[usize]) -> Vec<(Slot, Record)> {
    pages
        .par_iter()
        .filter_map(|&i| {
            let p = site.pages.get(i).filter(|_| site.renders(i))?;
            Some((Slot(0, i as u32, 0), page_record(site, p)?))
        })
        .collect()
}

/// The records of members, curated links and guideline rules.
pub fn other_records(site: &Site) -> Vec<(Slot, Record)> {
    let mut out = Vec::new();
    for (j, m) in site.members.values().enumerate() {
        let mut doc = Doc::new(site, &m.path, Kind::Member, &m.name);
        doc.meta("handle", &format!("@{}", m.handle));
        let mut facts = vec![format!("@{}", m.handle)];
        facts.extend(m.meta.role.clone());
        facts.extend(m.meta.pronouns.clone());
        facts.extend(m.meta.location.clone());
        doc.meta("detail", &facts.join(" · "));
        doc.html(&m.bio_html);
        for q in &site.config.members.questions {
            if let Some(answer) = m.meta.answers.get(&q.key) {
                doc.heading(&q.ask);
                doc.text(answer);
            }
        }
        for l in &m.meta.links {
            doc.text(&l.label);
        }
        out.push((Slot(1, j as u32, 0), doc.finish(&site.config.language)));
    }
    for (j, l) in site.links.iter().enumerate() {
        let path = url::link_page_path(Lang::SITE, &l.anchor);
        let mut doc = Doc::new(site, &path, Kind::Link, &l.meta.title);
        let curator = l
            .meta
            .curated_by
            .as_ref()
            .map(|h| site.members.get(h).map_or(h.as_str(), |m| m.name.as_str()));
        let mut facts = vec![l.host.clone()];
        facts.extend(curator.map(|c| format!("curated by {c}")));
        doc.meta("detail", &facts.join(" · "));
        doc.meta("date", &l.meta.date.ymd());
        doc.html(&l.note_html);
        doc.tags(&l.meta.tags);
        out.push((Slot(2, j as u32, 0), doc.finish(&site.config.language)));
    }
    for (j, g) in site.guidelines.iter().enumerate() {
        // A translated edition finds its own translations; the originals it
        // falls back to are found in the default language's index.
        if !site.owns(&g.translation) {
            continue;
        }
        let parts = split_rules(&g.content.html, &g.rules);
        let mut doc = Doc::new(site, &g.path, Kind::Rule, &g.title);
        doc.text(g.meta.summary.as_deref().unwrap_or(""));
        doc.html(parts.intro);
        out.push((Slot(3, j as u32, 0), doc.finish(&site.config.language)));
        for (k, (rule, body)) in g.rules.iter().zip(parts.rules).enumerate() {
            let path = format!("{}#{}", g.path, rule.id);
            let title = format!("{} {} · {}", rule.number, rule.title, g.title);
            let mut doc = Doc::new(site, &path, Kind::Rule, &title);
            doc.meta("detail", &format!("Rule {} of {}", rule.number, g.title));
            doc.html(body);
            out.push((
                Slot(3, j as u32, k as u32 + 1),
                doc.finish(&site.config.language),
            ));
        }
    }
    out
}

fn page_record(site: &Site, p: &Page) -> Option<Record> {
    if p.is_draft() || p.meta.search == Some(false) {
        return None;
    }
    if p.kind == PageKind::SectionIndex && p.content.words == 0 {
        return None;
    }
    let kind = if p.meta.event.is_some() {
        Kind::Event
    } else if p.is_post() {
        Kind::Post
    } else {
        Kind::Page
    };
    let mut doc = Doc::new(site, &p.path, kind, &p.title);
    if let Some(e) = &p.meta.event {
        let mut facts = vec![e.start.ymd()];
        facts.extend(e.location.clone());
        doc.meta("detail", &facts.join(" · "));
    } else if let Some(d) = p.date {
        doc.meta("date", &d.ymd());
    }
    if let Some(d) = &p.meta.description {
        doc.text(d);
    }
    doc.html(&p.content.html);
    doc.tags(&p.meta.tags);
    let language = p.meta.language.as_deref().unwrap_or(&site.config.language);
    Some(doc.finish(language))
}

/// A guideline's HTML cut at its rule headings: the text before the first rule,
/// then each rule's own text (a `##` rule ends where its first `###` begins).
struct RuleParts<'a> {
    intro: &'a str,
    rules: Vec<&'a str>,
}

fn split_rules<'a>(html: &'a str, rules: &[crate::model::page::Rule]) -> RuleParts<'a> {
    // The markdown writer puts every heading at the start of a line as
    // `<hN id="ID"`; rules come in document order.
    let mut starts = Vec::with_capacity(rules.len());
    let mut from = 0;
    for r in rules {
        let found = ["2", "3"].iter().find_map(|level| {
            let needle = format!("<h{level} id=\"{}\"", escape::html(&r.id));
            html[from..].find(&needle).map(|at| from + at)
        });
        let at = found.unwrap_or(html.len());
        starts.push(at);
        from = at.min(html.len());
    }
    let intro_end = starts.first().copied().unwrap_or(html.len());
    let rules = (0..starts.len())
        .map(|i| {
            let end = starts.get(i + 1).copied().unwrap_or(html.len());
            html.get(starts[i]..end.max(starts[i])).unwrap_or("")
        })
        .collect();
    RuleParts {
        intro: &html[..intro_end],
        rules,
    }
}

/// A record as it is put together: metadata (the title among them; the index
/// searches metadata too), then the text.
struct Doc {
    url: String,
    kind: Kind,
    meta: Vec<(String, String)>,
    body: String,
}

impl Doc {
    fn new(site: &Site, path: &str, kind: Kind, title: &str) -> Doc {
        Doc {
            url: site.config.url(path),
            kind,
            meta: vec![
                ("kind".to_string(), kind.label().to_string()),
                ("title".to_string(), title.to_string()),
            ],
            body: String::with_capacity(1024),
        }
    }

    fn meta(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.meta.push((name.to_string(), value.to_string()));
        }
    }

    /// Tags are words of the record (`#async`), not a filter: the search page
    /// filters by kind only, and a tag filter would add to what every query loads.
    fn tags(&mut self, tags: &[String]) {
        if !tags.is_empty() {
            let words: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
            self.text(&words.join(" "));
        }
    }

    fn heading(&mut self, text: &str) {
        self.body.push_str("<h2>");
        self.body.push_str(&escape::html(text));
        self.body.push_str("</h2>\n");
    }

    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.body.push_str("<p>");
            self.body.push_str(&escape::html(text));
            self.body.push_str("</p>\n");
        }
    }

    /// HTML the markdown stage made (sanitized where the site asks for it).
    fn html(&mut self, html: &str) {
        self.body.push_str(html);
        self.body.push('\n');
    }

    fn finish(self, language: &str) -> Record {
        Record {
            url: self.url,
            language: language.to_string(),
            kind: self.kind,
            meta: self.meta,
            body: self.body,
        }
    }
}

/// `<span ATTR="NAME">VALUE</span>`: the value as element text, so no attribute
/// syntax (commas, colons) can split it.
fn push_tagged(out: &mut String, attr: &str, name: &str, value: &str) {
    out.push_str("<span ");
    out.push_str(attr);
    out.push_str("=\"");
    out.push_str(name);
    out.push_str("\">");
    out.push_str(&escape::html(value));
    out.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::page::Rule;

    fn rule(id: &str) -> Rule {
        Rule {
            number: "1".into(),
            id: id.into(),
            title: id.into(),
        }
    }

    #[test]
    fn rules_are_cut_at_their_headings() {
        let html =
            "<p>intro</p>\n<h2 id=\"a\">A</h2>\n<p>one</p>\n<h3 id=\"b\">B</h3>\n<p>two</p>\n";
        let parts = split_rules(html, &[rule("a"), rule("b")]);
        assert_eq!(parts.intro, "<p>intro</p>\n");
        assert_eq!(parts.rules[0], "<h2 id=\"a\">A</h2>\n<p>one</p>\n");
        assert_eq!(parts.rules[1], "<h3 id=\"b\">B</h3>\n<p>two</p>\n");
    }

    #[test]
    fn a_rule_heading_not_found_gives_empty_text_not_a_panic() {
        let parts = split_rules("<p>x</p>", &[rule("gone"), rule("also")]);
        assert_eq!(parts.intro, "<p>x</p>");
        assert_eq!(parts.rules, vec!["", ""]);
    }
}
