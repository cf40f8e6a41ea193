//! The community digest's outputs (SPEC §7): `/digest/`, each period's page,
//! the same as an email body (`email.html`: styles inline, tables, absolute
//! links carrying `utm_source=digest&utm_medium=email`) and as plain text
//! (`email.txt`, lines under 80 characters), and `/digest/feed.xml`. What a
//! period holds is `crate::digest`'s; this only says it.

use serde::Serialize;

use super::*;
use crate::digest::{self, Digest, Every, Period};
use crate::model::url::{self, Lang};

/// Where a digest's links go: the site's pages as they are, or (in an email)
/// absolute, tagged for the site's analytics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Links {
    Site,
    Email,
    /// Absolute, untagged: a plain-text line holds a URL whole, and lines stay
    /// under 80 characters.
    Text,
}

/// The UTM tags of a link in a digest's email.
const EMAIL_UTM: &str = "utm_source=digest&utm_medium=email";
/// The widest line of a digest's plain text.
const TEXT_WIDTH: usize = 78;

#[derive(Serialize)]
pub(super) struct DigestView {
    pub slug: String,
    pub title: String,
    pub start: String,
    pub end: String,
    /// "2 new members, 3 posts".
    pub summary: String,
    pub url: String,
    pub permalink: String,
    pub email_url: String,
    pub text_url: String,
    pub list_url: String,
    pub site_url: String,
    pub sections: Vec<SectionView>,
}

#[derive(Serialize)]
pub(super) struct SectionView {
    pub key: &'static str,
    /// In the edition's language (the theme's `digest_*` words).
    pub title: String,
    pub items: Vec<Item>,
}

/// One thing a digest tells of, whatever its kind.
#[derive(Serialize)]
pub(super) struct Item {
    pub title: String,
    pub url: String,
    pub date: Option<String>,
    /// Who: a member's role, a link's curator, a spotlight's member.
    pub by: Option<String>,
    /// A line of text: a summary, a curator's note, an answer, a change note.
    pub text: String,
    /// A new member's "say hello" link (the introductions page).
    pub hello: Option<String>,
    /// The item as plain text, wrapped, its URL on a line of its own.
    pub lines: String,
}

/// Words wrapped to `width`, each line indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > width
        {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub(super) fn digest_path(lang: Lang, p: &Period) -> String {
    lang.path(&digest::page_path(p))
}

fn every(site: &Site) -> Option<Every> {
    digest::every(&site.config)
}

impl Renderer<'_> {
    /// A site path of a text in the language `translation` as a digest links
    /// to it: in this edition when it is its own, else at the root (an original
    /// a translated edition falls back to).
    fn digest_link(&self, translation: &Option<String>, path: &str, links: Links) -> String {
        let site = self.site;
        match links {
            Links::Site => site.url_in(translation, path),
            Links::Text => site.permalink_in(translation, path),
            Links::Email => {
                let url = site.permalink_in(translation, path);
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}{EMAIL_UTM}")
            }
        }
    }

    /// The view of one period's digest.
    pub(super) fn digest_view(&self, d: &Digest, links: Links) -> DigestView {
        let site = self.site;
        let lang = self.lang();
        // What the edition itself publishes (members, links, lists).
        let own = &site.lang;
        let link = |path: &str| self.digest_link(own, path, links);
        let item =
            |title: String, url: String, date: Option<String>, by: Option<String>, text: String| {
                let mut lines = wrap(&format!("- {title}"), TEXT_WIDTH, "");
                if let Some(by) = &by {
                    lines.push_str(&wrap(by, TEXT_WIDTH, "  "));
                }
                if !text.is_empty() {
                    lines.push_str(&wrap(&text, TEXT_WIDTH, "  "));
                }
                lines.push_str(&format!("  {url}"));
                Item {
                    title,
                    url,
                    date,
                    by,
                    text,
                    hello: None,
                    lines,
                }
            };
        let page = |i: usize| {
            let p = &site.pages[i];
            item(
                p.title.clone(),
                self.digest_link(&p.translation, &p.path, links),
                p.date.map(|d| d.ymd()),
                None,
                p.description().to_string(),
            )
        };
        let hello = site
            .pages
            .iter()
            .find(|p| p.path.trim_matches('/') == "introductions")
            .map(|p| self.digest_link(&p.translation, &p.path, links));
        let first_question = site.config.members.questions.first();
        let mut sections = Vec::new();
        let mut section = |key: &'static str, english: &str, items: Vec<Item>| {
            if !items.is_empty() {
                let title = self
                    .templates
                    .words
                    .get(&format!("digest_{key}"))
                    .map_or_else(|| english.to_string(), Clone::clone);
                sections.push(SectionView { key, title, items });
            }
        };
        section(
            "new_members",
            "New members",
            d.members
                .iter()
                .map(|m| {
                    let answer = first_question
                        .and_then(|q| m.meta.answers.get(&q.key).map(|a| format!("{} {a}", q.ask)))
                        .unwrap_or_default();
                    let mut it = item(
                        m.name.clone(),
                        link(&m.path),
                        m.meta.joined.map(|d| d.ymd()),
                        m.meta.role.clone(),
                        answer,
                    );
                    it.hello = hello.clone();
                    it
                })
                .collect(),
        );
        section(
            "spotlights",
            "Spotlights",
            d.spotlights
                .iter()
                .map(|&i| {
                    let mut it = page(i);
                    it.by = site.pages[i]
                        .meta
                        .spotlight
                        .as_ref()
                        .and_then(|h| site.members.get(h))
                        .map(|m| m.name.clone());
                    it
                })
                .collect(),
        );
        section("posts", "Posts", d.posts.iter().map(|&i| page(i)).collect());
        section(
            "links",
            "Links worth reading",
            d.links
                .iter()
                .map(|l| {
                    let curator = l
                        .meta
                        .curated_by
                        .as_ref()
                        .and_then(|h| site.members.get(h))
                        .map(|m| format!("Shared by {} · {}", m.name, l.host))
                        .or(Some(l.host.clone()));
                    item(
                        l.meta.title.clone(),
                        link(&url::link_page_path(lang, &l.anchor)),
                        Some(l.meta.date.ymd()),
                        curator,
                        crate::escape::text_of(&l.note_html).trim().to_string(),
                    )
                })
                .collect(),
        );
        let event = |i: usize| {
            let mut it = page(i);
            it.date = site.pages[i].meta.event.as_ref().map(|e| e.start.ymd());
            it
        };
        section(
            "events",
            "Events held",
            d.events.iter().map(|&i| event(i)).collect(),
        );
        section(
            "changes",
            "Guideline changes",
            d.changes
                .iter()
                .map(|(g, c)| {
                    let version = c.version.as_ref().map(|v| format!("version {}", v.0));
                    item(
                        g.title.clone(),
                        self.digest_link(&g.translation, &g.path, links),
                        Some(c.date.ymd()),
                        version,
                        c.note.clone(),
                    )
                })
                .collect(),
        );
        section(
            "coming",
            "Coming up",
            d.coming.iter().map(|&i| event(i)).collect(),
        );
        let p = &d.period;
        let path = digest_path(lang, p);
        DigestView {
            slug: p.slug(),
            title: p.title(),
            start: p.start.to_string(),
            end: p.last_day().to_string(),
            summary: d.summary(),
            url: site.config.url(&path),
            permalink: link(&path),
            email_url: site.config.url(&format!("{path}email.html")),
            text_url: site.config.url(&format!("{path}email.txt")),
            list_url: link(&lang.path(url::DIGEST_PATH)),
            site_url: link(&lang.path("/")),
            sections,
        }
    }

    /// The site's language of this edition's paths.
    /// Paths within an edition are its own (as `Job::path` makes them); its
    /// `base_url` says which language.
    fn lang(&self) -> Lang<'_> {
        Lang::SITE
    }

    /// `/digest/`: every digest, newest first.
    pub(super) fn digests_page(&self) -> Result<Output, Diagnostic> {
        let periods = &self.digests;
        let path = self.lang().path(url::DIGEST_PATH);
        let intro = self.intro(
            url::DIGEST_PATH,
            "Digest",
            "What happened in the community, period by period",
        );
        let mut ctx = self.context(self.meta(intro.title, intro.description, &path, "website"));
        let views: Vec<DigestView> = periods
            .iter()
            .map(|&p| self.digest_view(&digest::of(self.site, p), Links::Site))
            .collect();
        ctx.insert("section", &intro);
        ctx.insert("digests", &views);
        ctx.insert(
            "feed",
            &self.site.config.url(&self.lang().path(url::DIGEST_FEED)),
        );
        self.render("digests.html", &ctx, &path, "generated digest list")
    }

    /// One period's digest: its page, its email body or its plain text.
    pub(super) fn digest_output(&self, p: Period, kind: DigestKind) -> Result<Output, Diagnostic> {
        let d = digest::of(self.site, p);
        let path = digest_path(self.lang(), &p);
        let links = match kind {
            DigestKind::Page => Links::Site,
            DigestKind::Email => Links::Email,
            DigestKind::Text => Links::Text,
        };
        let view = self.digest_view(&d, links);
        let description = view.summary.clone();
        let title = format!("Digest: {}", view.title);
        let mut ctx = self.context(self.meta(&title, &description, &path, "article"));
        ctx.insert("digest", &view);
        ctx.insert("accent", &self.site.config.cards.accent);
        let origin = format!("generated digest {}", p.slug());
        match kind {
            DigestKind::Page => self.render("digest.html", &ctx, &path, &origin),
            DigestKind::Email | DigestKind::Text => {
                let (template, file) = match kind {
                    DigestKind::Email => ("digest/email.html", "email.html"),
                    _ => ("digest/email.txt", "email.txt"),
                };
                let text = self.templates.tera.render(template, &ctx).map_err(|e| {
                    self.templates
                        .diagnostic(&e, Some(std::path::Path::new(&origin)))
                })?;
                Ok(Output {
                    path: format!("{}{file}", path.trim_start_matches('/')),
                    body: Body::Bytes(text.into()),
                    origin,
                })
            }
        }
    }
}

impl Renderer<'_> {
    /// `/digest/feed.xml`: one entry per digest, its sections as HTML.
    pub(super) fn digest_feed(&self) -> String {
        let periods = &self.digests;
        use atom_syndication::{Content, Entry, Link, Text};
        let site = self.site;
        let entries = periods
            .iter()
            .take(feeds::FEED_LIMIT)
            .map(|&p| {
                // Absolute links: a feed reader shows the entry away from the site.
                let view = self.digest_view(&digest::of(site, p), Links::Text);
                let permalink = site.config.permalink(&digest_path(self.lang(), &p));
                let mut html = format!("<p>{}</p>", crate::escape::html(&view.summary));
                for s in &view.sections {
                    html.push_str(&format!("<h2>{}</h2><ul>", crate::escape::html(&s.title)));
                    for i in &s.items {
                        html.push_str(&format!(
                            "<li><a href=\"{}\">{}</a>{}</li>",
                            crate::escape::html(&i.url),
                            crate::escape::html(&i.title),
                            if i.text.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", crate::escape::html(&i.text))
                            }
                        ));
                    }
                    html.push_str("</ul>");
                }
                let updated = crate::model::Date::parse(&view.end)
                    .map(feeds::time)
                    .unwrap_or_default();
                Entry {
                    title: Text::plain(view.title),
                    id: permalink.clone(),
                    updated,
                    published: Some(updated),
                    links: vec![Link {
                        href: permalink,
                        rel: "alternate".into(),
                        mime_type: Some("text/html".into()),
                        ..Default::default()
                    }],
                    content: Some(Content {
                        value: Some(html),
                        content_type: Some("html".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            })
            .collect();
        let lang = self.lang();
        feeds::finish_feed(
            site,
            &lang.path(url::DIGEST_FEED),
            &format!("Digest · {}", site.config.title),
            &lang.path(url::DIGEST_PATH),
            entries,
        )
    }
}

/// One digest as `hearth digest` prints it: the period asked for (`None`: the
/// latest complete one with something in it; weeks when `digest.every` is
/// off), as its page, email body or plain text.
pub fn one_digest(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
    period: Option<Period>,
    kind: DigestKind,
) -> Result<(Period, String), String> {
    let period = match period {
        Some(p) => p,
        None => {
            let every = every(site).unwrap_or(Every::Week);
            digest::complete(site, every, site.now)
                .first()
                .map(|d| d.period)
                .ok_or("no complete period has anything in it yet: nobody joined and nothing was posted, curated or held")?
        }
    };
    let r = Renderer::new(site, templates, cards, true);
    let out = r
        .digest_output(period, kind)
        .map_err(|d| d.message.clone())?;
    let text = match out.body {
        Body::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
        _ => String::new(),
    };
    Ok((period, text))
}

/// The page of the period not over yet (`hearth serve`'s `/digest/latest/`, SPEC
/// §7): what the next digest will say so far, for the team to read before it
/// goes out. Weeks when `digest.every` is off.
pub fn latest_digest(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
) -> Result<String, String> {
    let every = every(site).unwrap_or(Every::Week);
    let period = Period::of(site.now.day(), every);
    one_digest(site, templates, cards, Some(period), DigestKind::Page).map(|(_, html)| html)
}

/// What of a digest a job writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestKind {
    /// Its web page.
    #[value(name = "html")]
    Page,
    /// The email body: one HTML document, styles inline.
    Email,
    /// The plain-text part, lines under 80 characters.
    Text,
}

/// The complete periods with something in them, newest first, when digests are
/// on: one digest per language, each edition's own (`/fr/digest/…`).
pub(super) fn periods(site: &Site) -> Vec<Period> {
    match every(site) {
        Some(every) => digest::complete(site, every, site.now)
            .into_iter()
            .map(|d| d.period)
            .collect(),
        None => Vec::new(),
    }
}
