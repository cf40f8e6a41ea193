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

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.permalink("/sitemap.xml")
    )
}
