//! `content/` → pages and section indices, with their URLs; other files become assets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter;
use super::source::{display_path, read, slash_path};
use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::model::page::{Content, Page, PageKind, PageMeta};
use crate::model::url::{file_slug, slugify};
use crate::model::{Asset, Date};

/// What walking `content/` found.
#[derive(Default)]
pub struct Found {
    pub markdown: Vec<PathBuf>,
    pub assets: Vec<PathBuf>,
    /// Every folder, relative to content/ ("" for content/ itself).
    pub dirs: Vec<PathBuf>,
}

/// Lists content/ through the guarded door: links into the site are followed, links
/// out of it, loops and unreadable entries are diagnostics, not hangs or leaks.
pub fn walk(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Found {
    let walked = crate::site_fs::walk(root, dir, problems);
    let rel = |p: &Path| p.strip_prefix(dir).unwrap_or(p).to_path_buf();
    let mut found = Found {
        dirs: walked.dirs.iter().map(|d| rel(d)).collect(),
        ..Found::default()
    };
    for file in walked.files {
        if file.extension().is_some_and(|e| e == "md") {
            found.markdown.push(file);
        } else {
            found.assets.push(file);
        }
    }
    found
}

/// Reads and parses every markdown file in parallel; URLs are assigned later, once
/// every page is known.
/// `languages[i]` is the language of `files[i]` when it is a translation
/// (`welcome.fr.md`), as `translations::language_of` found it.
pub fn read_pages(
    root: &Path,
    files: &[PathBuf],
    languages: &[Option<String>],
) -> Vec<Result<Page, Vec<Diagnostic>>> {
    files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let translation = languages.get(i).and_then(|l| l.as_deref());
            parse_page(root, f, translation)
        })
        .collect()
}

fn parse_page(
    root: &Path,
    file: &Path,
    translation: Option<&str>,
) -> Result<Page, Vec<Diagnostic>> {
    let source = read(root, file).map_err(|d| vec![d])?;
    from_source(source, kind_of(file, translation), root, file, translation)
}

/// `_index.md` (or its translation `_index.fr.md`) describes its section.
pub fn kind_of(file: &Path, translation: Option<&str>) -> PageKind {
    match crate::model::languages::logical_name(file, translation) == "_index.md" {
        true => PageKind::SectionIndex,
        false => PageKind::Page,
    }
}

/// Builds a page from its text. Public so `serve` can re-parse one file.
pub fn from_source(
    source: SourceText,
    kind: PageKind,
    root: &Path,
    file: &Path,
    translation: Option<&str>,
) -> Result<Page, Vec<Diagnostic>> {
    let (mut meta, split): (PageMeta, _) = front_matter::parse(
        &source,
        &front_matter::Kind {
            name: "page",
            what: "page front matter",
            example: "title: Your title",
        },
    )?;
    let mut problems = Vec::new();
    let key_at = |key: &str| {
        let r = crate::config::key_span(&source.text[split.yaml.clone()], key);
        if r == (0..0) {
            split.block.start..split.block.start + 3
        } else {
            r.start + split.yaml.start..r.end + split.yaml.start
        }
    };
    // Where a value is written, or its key when the value cannot be found as written.
    let value_at = |value: &str, key: &str| {
        let r = crate::config::value_span(&source.text[split.yaml.clone()], value);
        if r == (0..0) {
            key_at(key)
        } else {
            r.start + split.yaml.start..r.end + split.yaml.start
        }
    };
    let title = match &meta.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ if kind == PageKind::SectionIndex => String::new(),
        _ => {
            problems.push(
                Diagnostic::error(Code::FrontMatter, "this page has no title")
                    .at(&source, split.block.start..split.block.start + 3)
                    .with_help("add `title: …` to the front matter"),
            );
            String::new()
        }
    };
    if kind == PageKind::Page {
        for (key, set) in [
            ("sort_by", meta.sort_by.is_some()),
            ("paginate_by", meta.paginate_by.is_some()),
            ("feed", meta.feed.is_some()),
        ] {
            if set {
                problems.push(
                    Diagnostic::error(
                        Code::FrontMatter,
                        format!("`{key}` only applies to a section's _index.md"),
                    )
                    .at(&source, key_at(key))
                    .with_help("move it to the _index.md of this folder"),
                );
            }
        }
    }
    if meta.paginate_by == Some(0) {
        problems.push(
            Diagnostic::error(Code::FrontMatter, "`paginate_by` must be at least 1")
                .at(&source, key_at("paginate_by")),
        );
    }
    if let Some(lang) = &meta.language {
        if !crate::model::page::is_language_tag(lang) {
            problems.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("`language: {lang}` is not a language tag"),
                )
                .at(&source, value_at(lang, "language"))
                .with_help("write a BCP 47 tag such as `ar`, `pt-BR` or `zh-Hant`"),
            );
        }
    }
    if let Some(code) = translation {
        match &meta.language {
            Some(lang) if !lang.eq_ignore_ascii_case(code) => problems.push(
                Diagnostic::error(
                    Code::Translation,
                    format!("`language: {lang}` contradicts the file name, which says `{code}`"),
                )
                .at(&source, value_at(lang, "language"))
                .with_help(format!(
                    "remove `language:` (the `.{code}.md` ending says it), or rename the file"
                )),
            ),
            _ => meta.language = Some(code.to_string()),
        }
    }
    if let Some(ev) = &meta.event {
        if let Some(url) = &ev.url {
            if let Err(why) = crate::model::url::check_web_url(url) {
                let span = value_at(url, "url");
                problems.push(
                    Diagnostic::error(Code::Event, format!("event `url: {url}` {why}"))
                        .at(&source, span)
                        .with_help("an event's link must start with https:// or http://"),
                );
            }
        }
        if let Some(end) = ev.end {
            if end < ev.start {
                problems.push(
                    Diagnostic::error(Code::Event, "this event ends before it starts")
                        .at(&source, key_at("end"))
                        .with_help("check the `end` date and time, and their offsets"),
                );
            }
        }
    }
    let logical = crate::model::languages::logical_name(file, translation);
    let stem = logical.strip_suffix(".md").unwrap_or(&logical).to_string();
    let bundle = stem == "index";
    let name_for_slug = if bundle {
        file.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        stem
    };
    let (slug_from_name, name_date) = file_slug(&name_for_slug);
    let slug = match &meta.slug {
        Some(s) => {
            let slug = slugify(s);
            if slug.is_empty() {
                problems.push(
                    Diagnostic::error(
                        Code::FrontMatter,
                        format!("`slug: {s}` leaves nothing usable in a URL"),
                    )
                    .at(&source, key_at("slug"))
                    .with_help("use letters, digits and hyphens"),
                );
            }
            slug
        }
        None => {
            if slug_from_name.is_empty() && kind == PageKind::Page {
                problems.push(
                    Diagnostic::error(
                        Code::EmptySlug,
                        format!("the name `{name_for_slug}` leaves nothing usable in a URL"),
                    )
                    .in_file(display_path(root, file))
                    .with_help(
                        "rename it with letters or digits, or set `slug:` in the front matter",
                    ),
                );
            }
            slug_from_name
        }
    };
    let rel_dir = display_path(root, file);
    for part in rel_dir
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .skip(1)
    {
        let name = part.as_os_str().to_string_lossy();
        if slugify(&name).is_empty() {
            problems.push(
                Diagnostic::error(
                    Code::EmptySlug,
                    format!("the folder name `{name}` leaves nothing usable in a URL"),
                )
                .in_file(display_path(root, file))
                .with_help("rename the folder with letters or digits"),
            );
        }
    }
    let name_date = match name_date.map(|d| (d, Date::parse(d))) {
        Some((_, Ok(d))) => Some(d),
        Some((d, Err(why))) => {
            problems.push(
                Diagnostic::error(
                    Code::Date,
                    format!("the file name starts with `{d}`, which is not a date: {why}"),
                )
                .in_file(display_path(root, file))
                .with_help("rename the file with a real date (YYYY-MM-DD-name.md)"),
            );
            None
        }
        None => None,
    };
    for tag in &meta.tags {
        if slugify(tag).is_empty() {
            let span = value_at(tag, "tags");
            problems.push(
                Diagnostic::error(
                    Code::Tag,
                    format!("the tag `{tag}` leaves nothing usable in a URL"),
                )
                .at(&source, span)
                .with_help("use letters or digits in tags"),
            );
        }
    }
    let date = meta.date.or(name_date);
    if !problems.is_empty() {
        return Err(problems);
    }
    let rel = display_path(root, file);
    let dir = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Page {
        kind,
        title,
        date,
        slug,
        path: String::new(),
        section: String::new(),
        dir,
        body_start: split.body_start,
        front_matter: split.block,
        meta,
        source,
        content: Content::default(),
        translation: translation.map(str::to_string),
    })
}

/// The site path of a folder under content/: each part slugified ("/news/2026/").
pub fn section_path(rel_dir: &Path) -> String {
    let mut path = String::from("/");
    for part in rel_dir.components() {
        let s = slugify(&part.as_os_str().to_string_lossy());
        if !s.is_empty() {
            path.push_str(&s);
            path.push('/');
        }
    }
    path
}

/// Gives each page its section and URL path. Page bundles (`x/index.md`) live in their
/// parent's section and take the folder as their URL. A section index without a
/// title takes its folder's name (the home page: the site's title).
pub fn assign_paths(pages: &mut [Page], content_rel: &Path, site_title: &str) {
    for page in pages.iter_mut() {
        let rel_dir = page.dir.strip_prefix(content_rel).unwrap_or(&page.dir);
        let is_bundle = page.is_bundle();
        match page.kind {
            PageKind::SectionIndex => {
                let path = section_path(rel_dir);
                page.section = parent_path(&path);
                page.path = path;
                if page.title.is_empty() {
                    page.title = default_section_title(rel_dir, site_title);
                }
            }
            PageKind::Page => {
                let section_dir = if is_bundle {
                    rel_dir.parent().unwrap_or(Path::new(""))
                } else {
                    rel_dir
                };
                let section = section_path(section_dir);
                page.path = format!("{section}{}/", page.slug);
                page.section = section;
            }
        }
    }
}

/// The parent's site path ("/news/2026/" → "/news/"; "/" stays "/").
pub fn parent_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => trimmed[..=i].to_string(),
        None => "/".to_string(),
    }
}

/// "content/community-calls" → "Community calls" for sections without an _index.md.
/// A section's title when its `_index.md` gives none: the folder's name, capitalised;
/// for content/ itself, the site's title. The one place this is chosen: headings,
/// lists and cards all read the section's (or its index page's) title.
pub fn default_section_title(rel_dir: &Path, site_title: &str) -> String {
    if rel_dir.as_os_str().is_empty() {
        return site_title.to_string();
    }
    let name = rel_dir
        .file_name()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where content/ files that are not markdown go: beside the pages of their folder.
/// Files inside a page bundle go under the page's URL.
pub fn asset_dest(rel: &Path, bundles: &BTreeMap<PathBuf, String>) -> String {
    let dir = rel.parent().unwrap_or(Path::new(""));
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = match bundles.get(dir) {
        Some(page_path) => page_path.clone(),
        None => section_path(dir),
    };
    format!("{}{}", base.trim_start_matches('/'), name)
}

/// The files of content/ that are not markdown, with where each is copied.
pub fn assets(
    content_dir: &Path,
    files: &[PathBuf],
    bundles: &BTreeMap<PathBuf, String>,
) -> Vec<Asset> {
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(content_dir).unwrap_or(f);
            Asset {
                source: f.clone(),
                dest: asset_dest(rel, bundles),
                bytes: None,
            }
        })
        .collect()
}

/// Lists static/ for copying to the output root.
pub fn static_files(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<Asset> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let found = walk(root, dir, problems);
    found
        .markdown
        .into_iter()
        .chain(found.assets)
        .map(|f| {
            let rel = f.strip_prefix(dir).unwrap_or(&f).to_path_buf();
            Asset {
                dest: slash_path(&rel),
                source: f,
                bytes: None,
            }
        })
        .collect()
}
