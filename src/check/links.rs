//! Internal links and anchors in the rendered site: every `href` and `src` that
//! points into the site must name a file the build writes, and every `#fragment` an
//! id on that page. Pure: it reads the outputs, never the disk.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::escape;

/// One HTML page of the build, as the checker sees it.
pub struct HtmlPage<'a> {
    /// Output path ("news/welcome/index.html").
    pub path: &'a str,
    pub html: &'a str,
    /// The source file, for the report ("content/news/x.md"), when there is one.
    pub origin: &'a str,
}

/// A link that goes nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub origin: String,
    /// The page it is on (site path with prefix).
    pub on: String,
    /// The link as written in the page.
    pub target: String,
    pub kind: BrokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenKind {
    /// No file at that path.
    Missing,
    /// The page exists but has no element with that id.
    Anchor,
    /// A site path without the base_url's prefix: it breaks when published under it.
    OutsideBase,
}

/// Attribute values of `href="…"` and `src="…"`, unescaped, in order.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(escape::text_of(&rest[..end]));
            }
        }
    }
    out
}

/// Every `id="…"` on a page.
pub fn ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(escape::text_of(&rest[..end]));
        }
    }
    out
}

/// The output file a site-internal URL names, if it is internal; `Err` when it is a
/// site path that skips the base_url's prefix.
fn resolve(
    url: &str,
    page_dir: &str,
    config: &Config,
) -> Option<Result<(String, Option<String>), ()>> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let site_path = if let Some(rest) = path.strip_prefix(config.base_url.as_str()) {
        format!("/{rest}")
    } else if path.starts_with("//")
        || path.contains("://")
        || path.contains(':') && !path.starts_with('/')
    {
        return None; // another site, mailto:, javascript: (never ours)
    } else if path.is_empty() {
        format!("/{page_dir}")
    } else if let Some(rest) = path.strip_prefix(config.base_path.as_str()) {
        format!("/{rest}")
    } else if path.starts_with('/') {
        return Some(Err(()));
    } else {
        format!("/{page_dir}{path}")
    };
    let decoded = crate::escape::percent_decode(&site_path);
    let key = normalize(decoded.trim_start_matches('/'));
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key
    };
    Some(Ok((key, fragment.filter(|f| !f.is_empty()))))
}

/// Folds `a/./b` and `a/x/../b`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Checks every page's links against the set of files the build writes.
pub fn check(pages: &[HtmlPage], files: &HashSet<String>, config: &Config) -> Vec<Broken> {
    let by_path: HashMap<&str, &HtmlPage> = pages.iter().map(|p| (p.path, p)).collect();
    let mut id_cache: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut broken = BTreeMap::new();
    for page in pages {
        let dir = match page.path.rfind('/') {
            Some(i) => &page.path[..=i],
            None => "",
        };
        let on = config.url(&format!("/{}", page.path.trim_end_matches("index.html")));
        for url in links(page.html) {
            let Some(resolved) = resolve(&url, dir, config) else {
                continue;
            };
            let kind = match resolved {
                Err(()) => Some(BrokenKind::OutsideBase),
                Ok((key, fragment)) => {
                    let exists = files.contains(&key);
                    let dir_index = format!("{key}/index.html");
                    let target_key = if exists {
                        Some(key.as_str())
                    } else if files.contains(&dir_index) {
                        None // "/news" for "/news/": static hosts redirect; fine.
                    } else {
                        return_missing(&mut broken, page, &on, &url);
                        continue;
                    };
                    match (fragment, target_key.and_then(|k| by_path.get(k))) {
                        (Some(f), Some(target)) => {
                            let ids = id_cache
                                .entry(target.path)
                                .or_insert_with(|| ids(target.html));
                            (!ids.contains(&crate::escape::percent_decode(&f)))
                                .then_some(BrokenKind::Anchor)
                        }
                        _ => None,
                    }
                }
            };
            if let Some(kind) = kind {
                broken.insert(
                    (page.origin.to_string(), url.clone()),
                    Broken {
                        origin: page.origin.to_string(),
                        on: on.clone(),
                        target: url,
                        kind,
                    },
                );
            }
        }
    }
    broken.into_values().collect()
}

fn return_missing(
    broken: &mut BTreeMap<(String, String), Broken>,
    page: &HtmlPage,
    on: &str,
    url: &str,
) {
    broken.insert(
        (page.origin.to_string(), url.to_string()),
        Broken {
            origin: page.origin.to_string(),
            on: on.to_string(),
            target: url.to_string(),
            kind: BrokenKind::Missing,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let src = crate::diagnostics::SourceText {
            path: "site.yaml".into(),
            text: std::sync::Arc::from("title: T\nbase_url: https://example.org/hub/\n"),
        };
        Config::from_yaml(&src).unwrap()
    }

    #[test]
    fn links_and_ids_are_read_from_html() {
        let html = r#"<a href="/hub/a/?x=1&amp;y=2#top">a</a><img src="pic.png" alt=""><h2 id="top">T</h2>"#;
        assert_eq!(links(html), ["/hub/a/?x=1&y=2#top", "pic.png"]);
        assert!(ids(html).contains("top"));
    }

    #[test]
    fn broken_links_missing_anchors_and_unprefixed_paths_are_found() {
        let c = config();
        let a = HtmlPage {
            path: "a/index.html",
            origin: "content/a.md",
            html: r##"<a href="/hub/b/#here">ok</a> <a href="/hub/b/#gone">x</a> <a href="/hub/nope/">x</a>
                     <a href="/b/">x</a> <a href="../b/">ok</a> <a href="https://other.org/">ok</a>
                     <a href="mailto:a@b.c">ok</a> <img src="/hub/img.png"> <a href="https://example.org/hub/b/">ok</a>
                     <a href="#local">x</a> <a href="/hub/b">ok</a>"##,
        };
        let b = HtmlPage {
            path: "b/index.html",
            origin: "content/b.md",
            html: r#"<h2 id="here">H</h2>"#,
        };
        let files: HashSet<String> = ["a/index.html", "b/index.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = check(&[a, b], &files, &c);
        let summary: Vec<(&str, BrokenKind)> =
            found.iter().map(|b| (b.target.as_str(), b.kind)).collect();
        assert_eq!(
            summary,
            [
                ("#local", BrokenKind::Anchor),
                ("/b/", BrokenKind::OutsideBase),
                ("/hub/b/#gone", BrokenKind::Anchor),
                ("/hub/img.png", BrokenKind::Missing),
                ("/hub/nope/", BrokenKind::Missing),
            ]
        );
    }
}
