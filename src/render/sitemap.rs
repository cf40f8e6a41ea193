//! `/sitemap.xml` and `/robots.txt`. Written by hand: the format is a dozen lines and
//! the crates for it add nothing but a dependency.

use crate::escape::xml;
use crate::model::Site;

/// One URL of the sitemap: site path and last modification.
pub struct Entry {
    pub path: String,
    pub lastmod: Option<String>,
}

pub fn sitemap(site: &Site, mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries.dedup_by(|a, b| a.path == b.path);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&xml(&site.config.permalink(&e.path)));
        out.push_str("</loc>\n");
        if let Some(lastmod) = e.lastmod {
            out.push_str("    <lastmod>");
            out.push_str(&xml(&lastmod));
            out.push_str("</lastmod>\n");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The sitemap of a site in several languages (SPEC §5): every edition's pages,
/// each with its `xhtml:link` alternates (itself included, and `x-default`).
pub fn sitemap_in_languages(site: &Site, langs: &crate::model::languages::Languages) -> String {
    let mut entries = langs.sitemap.clone();
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let root = |path: &str| xml(&site.config.root_permalink(path));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (path, lastmod) in entries {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&root(&path));
        out.push_str("</loc>\n");
        if let Some(lastmod) = lastmod {
            out.push_str("    <lastmod>");
            out.push_str(&xml(&lastmod));
            out.push_str("</lastmod>\n");
        }
        let key = langs.keys.get(&path).map_or(path.as_str(), String::as_str);
        let alternates = langs.alternates(key);
        if alternates.len() > 1 {
            for (at, p) in alternates {
                let l = &langs.all[*at];
                let mut link = |hreflang: &str| {
                    out.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        xml(hreflang),
                        root(p)
                    ));
                };
                link(&l.code);
                if l.default {
                    link("x-default");
                }
            }
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.permalink("/sitemap.xml")
    )
}
