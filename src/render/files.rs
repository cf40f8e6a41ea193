//! The files a site gets besides its pages: feeds, the sitemap, robots.txt, the 404
//! page and the highlight stylesheet.

use super::*;

impl Renderer<'_> {
    /// With `feeds`, the feeds (they carry pages' full text); with `lists`, the
    /// sitemap; with `all`, robots.txt and the highlight stylesheet too.
    pub(super) fn generated_files(&self, feeds: bool, all: bool, lists: bool) -> Vec<Output> {
        let site = self.site;
        let mut out = Vec::new();
        let bytes = |path: &str, text: String, origin: &str| Output {
            path: path.to_string(),
            body: Body::Bytes(text.into()),
            origin: origin.to_string(),
        };
        if feeds {
            for (section, pages) in feeds::page_feeds(site) {
                out.push(match section {
                    None => bytes(
                        "feed.xml",
                        feeds::atom(
                            site,
                            crate::model::url::FEED_PATH,
                            &site.config.title,
                            "/",
                            &pages,
                        ),
                        "generated site feed",
                    ),
                    Some(s) => {
                        let feed_path = format!("{}feed.xml", s.path);
                        let title = format!("{} · {}", s.title, site.config.title);
                        bytes(
                            feed_path.trim_start_matches('/'),
                            feeds::atom(site, &feed_path, &title, &s.path, &pages),
                            &format!("feed of {}", s.dir.display()),
                        )
                    }
                });
            }
        }
        if !lists {
            return out;
        }
        let mut entries = Vec::new();
        for p in &site.pages {
            entries.push(sitemap::Entry {
                path: p.path.clone(),
                lastmod: p.meta.updated.or(p.date).map(|d| d.ymd()),
            });
        }
        for s in site.sections.values() {
            entries.push(sitemap::Entry {
                path: s.path.clone(),
                lastmod: None,
            });
        }
        for list in generated_lists(site) {
            entries.push(sitemap::Entry {
                path: list.into(),
                lastmod: None,
            });
        }
        for m in site.members.values() {
            entries.push(sitemap::Entry {
                path: m.path.clone(),
                lastmod: None,
            });
        }
        for g in &site.guidelines {
            entries.push(sitemap::Entry {
                path: g.path.clone(),
                lastmod: g.meta.reviewed.or(g.meta.effective).map(|d| d.ymd()),
            });
        }
        for l in &site.links {
            entries.push(sitemap::Entry {
                path: crate::model::url::link_page_path(&l.anchor),
                lastmod: Some(l.meta.date.ymd()),
            });
        }
        for t in self.link_tag_slugs() {
            entries.push(sitemap::Entry {
                path: format!("{}tags/{t}/", community::LINKS_PATH),
                lastmod: None,
            });
        }
        if !site.tags.is_empty() {
            for t in site.tags.values() {
                entries.push(sitemap::Entry {
                    path: format!("{TAGS_PATH}{}/", t.slug),
                    lastmod: None,
                });
            }
        }
        out.push(bytes(
            "sitemap.xml",
            sitemap::sitemap(site, entries),
            "generated sitemap",
        ));
        if !all {
            return out;
        }
        out.push(bytes(
            "robots.txt",
            sitemap::robots(site),
            "generated robots.txt",
        ));
        let css = highlight::stylesheet(&site.config.highlight.light, &site.config.highlight.dark)
            .unwrap_or_default();
        out.push(bytes(HIGHLIGHT_CSS, css, "generated highlight stylesheet"));
        out
    }
}
