//! `links/*.yaml` → curated links: each checked at its line (scheme, curator,
//! discussion page, duplicates across files).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::source::{list_files, read};
use super::LinkTarget;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, SourceText};
use crate::markdown;
use crate::model::link::{normalize, CuratedLink, LinkMeta};
use crate::model::member::Member;
use crate::model::url::{slugify, IdRegistry};
use crate::yaml::Document;

pub use crate::model::folders::LINKS as LINKS_DIR;

/// Loads every links file in name order; returns links newest first.
/// What a curated link may refer to.
pub struct Known<'a> {
    pub members: &'a BTreeMap<String, Member>,
    /// Handles whose member file failed to load (already reported).
    pub broken_members: &'a BTreeSet<String>,
    /// Every markdown file under content/, drafts included.
    pub pages: &'a HashMap<String, LinkTarget>,
    pub drafts_built: bool,
}

pub fn load(
    root: &Path,
    known: &Known,
    sanitizer: &markdown::sanitize::Sanitizer,
    problems: &mut Vec<Diagnostic>,
) -> Vec<CuratedLink> {
    let dir = root.join(LINKS_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let files = list_files(root, &dir, &["yaml", "yml"], problems);
    let mut anchors = IdRegistry::default();
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut links = Vec::new();
    for file in files {
        let source = match read(root, &file) {
            Ok(s) => s,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let entries: Vec<LinkMeta> = match Document::whole(&source).parse("a links file") {
            Ok(e) => e,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let mut cursor = 0;
        for meta in entries {
            let span = find_after(&source.text, &meta.url, cursor);
            cursor = span.end;
            if let Some(link) = check(
                &source,
                span,
                meta,
                known,
                &mut seen,
                &mut anchors,
                problems,
            ) {
                let note_html = sanitizer.clean(&link.note_html);
                links.push(CuratedLink { note_html, ..link });
            }
        }
    }
    links.sort_by(|a, b| {
        b.meta.date.cmp(&a.meta.date).then_with(|| {
            a.meta
                .title
                .to_lowercase()
                .cmp(&b.meta.title.to_lowercase())
        })
    });
    links
}

/// Normalised URLs of every link already curated (files that do not parse are
/// skipped: the build reports them).
pub fn known_urls(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in list_files(
        root,
        &root.join(LINKS_DIR),
        &["yaml", "yml"],
        &mut Vec::new(),
    ) {
        let Ok(source) = read(root, &file) else {
            continue;
        };
        let Ok(entries) = Document::whole(&source).parse::<Vec<LinkMeta>>("a links file") else {
            continue;
        };
        out.extend(
            entries
                .iter()
                .filter_map(|e| url::Url::parse(e.url.trim()).ok())
                .map(|u| normalize(&u)),
        );
    }
    out
}

/// The span of `value`'s first occurrence at or after `from`.
fn find_after(text: &str, value: &str, from: usize) -> std::ops::Range<usize> {
    match text.get(from..).and_then(|rest| rest.find(value)) {
        Some(i) if !value.is_empty() => from + i..from + i + value.len(),
        _ => from..from,
    }
}

#[allow(clippy::too_many_arguments)]
fn check(
    source: &SourceText,
    span: std::ops::Range<usize>,
    meta: LinkMeta,
    known: &Known,
    seen: &mut HashMap<String, (PathBuf, usize)>,
    anchors: &mut IdRegistry,
    problems: &mut Vec<Diagnostic>,
) -> Option<CuratedLink> {
    let before = problems.len();
    let url = match crate::model::url::check_web_url(&meta.url) {
        Ok(u) => Some(u),
        Err(why) => {
            problems.push(
                Diagnostic::error(Code::Link, format!("`{}` {why}", meta.url))
                    .at(source, span.clone())
                    .with_help("curated links must start with https:// or http://"),
            );
            None
        }
    };
    for (key, value) in [("title", &meta.title), ("note", &meta.note)] {
        if value.trim().is_empty() {
            problems.push(
                Diagnostic::error(Code::Link, format!("this link's `{key}` is empty"))
                    .at(source, span.clone())
                    .with_help(if key == "note" {
                        "say in your own words why this is worth reading"
                    } else {
                        "give the link a title"
                    }),
            );
        }
    }
    for tag in &meta.tags {
        if slugify(tag).is_empty() {
            problems.push(
                Diagnostic::error(
                    Code::Tag,
                    format!("the tag `{tag}` leaves nothing usable in a URL"),
                )
                .at(source, find_after(&source.text, tag, span.start))
                .with_help("use letters or digits in tags"),
            );
        }
    }
    if let Some(curator) = &meta.curated_by {
        let members = known.members;
        if !members.contains_key(curator) && !known.broken_members.contains(curator) {
            let at = find_after(&source.text, curator, span.start);
            let mut d = Diagnostic::error(
                Code::Link,
                format!("`curated_by: {curator}` is not a member"),
            )
            .at(source, at);
            d = match did_you_mean(curator, members.keys().map(String::as_str)) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d.with_help(format!(
                    "add members/{curator}.md, or use a member's handle"
                )),
            };
            problems.push(d);
        }
    }
    let mut discuss_path = None;
    if let Some(discuss) = &meta.discuss {
        let key = format!(
            "{}/{}",
            super::CONTENT_DIR,
            discuss.trim_start_matches("./")
        );
        let pages = known.pages;
        match pages.get(&key) {
            Some(LinkTarget::Page { draft: true, .. }) if !known.drafts_built => {
                problems.push(
                    Diagnostic::error(
                        Code::Link,
                        format!("`discuss: {discuss}` is a draft, which this build leaves out"),
                    )
                    .at(source, find_after(&source.text, discuss, span.start))
                    .with_help("publish the page (remove `draft: true`), or remove `discuss:`"),
                );
            }
            Some(LinkTarget::Page { path, .. }) => discuss_path = Some(path.clone()),
            Some(LinkTarget::Broken) => {}
            None => {
                let at = find_after(&source.text, discuss, span.start);
                let names: Vec<&str> = pages
                    .keys()
                    .filter_map(|k| k.strip_prefix("content/"))
                    .collect();
                let mut d = Diagnostic::error(
                    Code::Link,
                    format!("`discuss: {discuss}` is not a page under content/"),
                )
                .at(source, at);
                if let Some(best) = did_you_mean(discuss, names.iter().copied()) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                problems.push(d);
            }
        }
    }
    let url = url?;
    let key = normalize(&url);
    let line = crate::diagnostics::line_col(&source.text, span.start).0;
    if let Some((first_file, first_line)) = seen.get(&key) {
        problems.push(
            Diagnostic::error(
                Code::DuplicateLink,
                format!(
                    "{} is already curated at {}:{first_line}",
                    meta.url,
                    first_file.display()
                ),
            )
            .at(source, span.clone())
            .with_help("keep one of the two entries (the same page, after ignoring case of the host, a trailing slash and #fragment)"),
        );
    } else {
        seen.insert(key, (source.path.clone(), line));
    }
    if problems.len() > before {
        return None;
    }
    let anchor = anchors.unique(&slugify(&meta.title));
    // Sanitized by the caller, with the site's policy.
    let note_html = markdown::inline(&meta.note);
    Some(CuratedLink {
        host: url
            .host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_string(),
        anchor,
        note_html,
        discuss_path,
        source: source.clone(),
        span,
        meta,
    })
}
