//! Atom feeds: the site's `/feed.xml` of dated pages, and one per section with
//! `feed: true`. Written with the atom_syndication crate.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};

use crate::model::url::Lang;
use crate::model::{Date, Site};

/// How many entries a feed carries, newest first.
pub const FEED_LIMIT: usize = 20;

/// Makes root-relative links in rendered HTML absolute, for readers that show an
/// entry away from the site.
pub fn absolutize(html: &str, site: &Site) -> String {
    let origin = site.config.origin();
    let html = html
        .replace("href=\"/", &format!("href=\"{origin}/"))
        .replace("src=\"/", &format!("src=\"{origin}/"))
        .replace(&format!("href=\"{origin}//"), "href=\"//")
        .replace(&format!("src=\"{origin}//"), "src=\"//");
    absolutize_srcsets(&html, origin)
}

/// Each site path among a `srcset`'s candidates (a picture's variants, SPEC §6)
/// made absolute.
fn absolutize_srcsets(html: &str, origin: &str) -> String {
    const ATTR: &str = "srcset=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ATTR) {
        let start = at + ATTR.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        let candidates: Vec<String> = rest[start..start + len]
            .split(", ")
            .map(|c| match c.starts_with('/') && !c.starts_with("//") {
                true => format!("{origin}{c}"),
                false => c.to_string(),
            })
            .collect();
        out.push_str(&candidates.join(", "));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Atom categories from tags.
fn categories(tags: &[String]) -> Vec<Category> {
    tags.iter()
        .map(|t| Category {
            term: t.clone(),
            ..Default::default()
        })
        .collect()
}

/// HTML entry content, with links made absolute.
fn html_content(html: &str, site: &Site) -> Content {
    Content {
        value: Some(absolutize(html, site)),
        content_type: Some("html".into()),
        ..Default::default()
    }
}

/// The most HTML one feed entry carries. Feed readers fetch whole feeds on a timer;
/// a long page (a conference transcript) is summarised with a link instead, so one
/// page cannot make every reader download megabytes.
pub const MAX_ENTRY_CONTENT: usize = 64 * 1024;

/// A page's content for its feed entry: the whole page, or when that is longer than
/// [`MAX_ENTRY_CONTENT`], its summary and a link to the rest.
fn entry_content(p: &crate::model::Page, permalink: &str, site: &Site) -> Content {
    if p.content.html.len() <= MAX_ENTRY_CONTENT {
        return html_content(&p.content.html, site);
    }
    let lead = match &p.content.summary {
        Some(s) if s.len() <= MAX_ENTRY_CONTENT => s.clone(),
        _ => format!("<p>{}</p>", crate::escape::html(p.description())),
    };
    html_content(
        &format!(
            "{lead}<p><a href=\"{}\">Read the whole page on the site.</a></p>",
            crate::escape::html(permalink)
        ),
        site,
    )
}

pub(super) fn time(date: Date) -> FixedDateTime {
    // Our RFC 3339 output always parses; the epoch is a harmless fallback.
    FixedDateTime::parse_from_rfc3339(&date.rfc3339()).unwrap_or_default()
}

/// The site's feed (`None`) and each section's with `feed: true`, each with the
/// pages it carries, newest first and at most `FEED_LIMIT`: what the feeds are made
/// from, and so which pages a build keeps the HTML of after writing them.
pub fn page_feeds(site: &Site) -> Vec<(Option<&crate::model::site::Section>, Vec<usize>)> {
    let newest = |mut v: Vec<usize>| {
        v.truncate(FEED_LIMIT);
        v
    };
    // A translated edition's feeds carry its own pages only: entries in its
    // language.
    let own =
        |v: Vec<usize>| -> Vec<usize> { v.into_iter().filter(|&i| site.renders(i)).collect() };
    let mut feeds = vec![(None, newest(own(site.dated_pages())))];
    for s in site.sections.values().filter(|s| s.feed) {
        let mut v: Vec<usize> = s
            .pages
            .iter()
            .copied()
            .filter(|&i| site.pages[i].date.is_some() && site.renders(i))
            .collect();
        crate::model::site::sort_pages(&site.pages, &mut v, Default::default());
        feeds.push((Some(s), newest(v)));
    }
    feeds
}

/// The pages some feed carries the text of.
pub fn feed_pages(site: &Site) -> std::collections::HashSet<usize> {
    page_feeds(site)
        .into_iter()
        .flat_map(|(_, pages)| pages)
        .collect()
}

/// A feed at site path `feed_path` ("/feed.xml") over `pages` (indices, newest
/// first, as [`page_feeds`] gives them).
pub fn atom(site: &Site, feed_path: &str, title: &str, html_path: &str, pages: &[usize]) -> String {
    let config = &site.config;
    let entries: Vec<Entry> = pages
        .iter()
        .filter_map(|&i| {
            let p = &site.pages[i];
            let date = p.date?;
            let permalink = config.permalink(&p.path);
            let authors = if p.meta.authors.is_empty() {
                vec![Person {
                    name: config.title.clone(),
                    ..Default::default()
                }]
            } else {
                p.meta
                    .authors
                    .iter()
                    .map(|a| Person {
                        name: a.clone(),
                        uri: Some(config.permalink(&crate::model::url::member_path(Lang::SITE, a))),
                        ..Default::default()
                    })
                    .collect()
            };
            let content = entry_content(p, &permalink, site);
            Some(Entry {
                title: Text::plain(p.title.clone()),
                id: permalink.clone(),
                updated: time(p.meta.updated.unwrap_or(date)),
                published: Some(time(date)),
                authors,
                links: vec![Link {
                    href: permalink,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                categories: categories(&p.meta.tags),
                summary: Some(Text::plain(p.description().to_string()))
                    .filter(|s| !s.value.is_empty()),
                content: Some(content),
                ..Default::default()
            })
        })
        .collect();
    finish_feed(site, feed_path, title, html_path, entries)
}

/// `/links/feed.xml`: the newest curated links, each entry pointing at the outside
/// page with the curator's note as its content.
pub fn links_atom(site: &Site) -> String {
    let config = &site.config;
    let feed_path = crate::model::url::LINKS_FEED;
    let entries: Vec<Entry> = site
        .links
        .iter()
        .take(FEED_LIMIT)
        .map(|l| {
            let anchor = format!(
                "{}#{}",
                config.permalink(crate::model::url::LINKS_PATH),
                l.anchor
            );
            let curator = l.meta.curated_by.as_ref().and_then(|h| site.members.get(h));
            Entry {
                title: Text::plain(l.meta.title.clone()),
                id: anchor.clone(),
                updated: time(l.meta.date),
                published: Some(time(l.meta.date)),
                authors: vec![Person {
                    name: curator.map_or_else(|| config.title.clone(), |m| m.name.clone()),
                    uri: curator.map(|m| config.permalink(&m.path)),
                    ..Default::default()
                }],
                links: vec![
                    Link {
                        href: l.meta.url.clone(),
                        rel: "alternate".into(),
                        ..Default::default()
                    },
                    Link {
                        href: anchor,
                        rel: "related".into(),
                        mime_type: Some("text/html".into()),
                        ..Default::default()
                    },
                ],
                categories: categories(&l.meta.tags),
                content: Some(html_content(&l.note_html, site)),
                ..Default::default()
            }
        })
        .collect();
    let title = format!("Links · {}", config.title);
    finish_feed(
        site,
        feed_path,
        &title,
        crate::model::url::LINKS_PATH,
        entries,
    )
}

/// Wraps entries in a feed with its self and alternate links.
pub(super) fn finish_feed(
    site: &Site,
    feed_path: &str,
    title: &str,
    html_path: &str,
    entries: Vec<Entry>,
) -> String {
    let config = &site.config;
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| time(site.now));
    let feed = Feed {
        title: Text::plain(title.to_string()),
        id: config.permalink(feed_path),
        updated,
        subtitle: Some(Text::plain(config.description.clone())).filter(|s| !s.value.is_empty()),
        lang: Some(config.language.clone()),
        generator: Some(Generator {
            value: "hearth".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Default::default()
        }),
        links: vec![
            Link {
                href: config.permalink(feed_path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            Link {
                href: config.permalink(html_path),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        entries,
        ..Default::default()
    };
    feed.to_string()
}
