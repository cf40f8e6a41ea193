//! The views handed to templates. Each list item is turned into a Tera value once and
//! shared (values are reference-counted), so long lists cost no copies per page.
//!
//! Every field here is documented for theme authors in docs/templates.md.

use serde::Serialize;
use tera::Value;

use crate::model::page::{PageKind, TocEntry};
use crate::model::{Page, Section, Site};

/// `site`: the same on every page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub menu: Vec<MenuView>,
    pub extra: &'a serde_json::Value,
    pub has_tags: bool,
    /// The build's "now" (RFC 3339), from SOURCE_DATE_EPOCH when set.
    pub now: String,
    pub generator: &'static str,
}

#[derive(Serialize)]
pub struct MenuView {
    pub label: String,
    /// The link, with the base_url prefix for site paths.
    pub url: String,
    /// The prefixed site path for site links (to mark the current section), else none.
    pub path: Option<String>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        let menu = c
            .menu
            .iter()
            .map(|m| {
                if m.url.starts_with('/') && !m.url.starts_with("//") {
                    let url = c.url(&m.url);
                    MenuView {
                        label: m.label.clone(),
                        path: Some(url.clone()),
                        url,
                    }
                } else {
                    MenuView {
                        label: m.label.clone(),
                        url: m.url.clone(),
                        path: None,
                    }
                }
            })
            .collect();
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            base_path: &c.base_path,
            menu,
            extra: &c.extra,
            has_tags: !site.tags.is_empty(),
            now: site.now.rfc3339(),
            generator: concat!("hearth ", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// `meta`: what the `<head>` of every page needs, whatever the page is.
#[derive(Serialize)]
pub struct Meta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute URL, no tracking parameters.
    pub permalink: String,
    /// The prefixed site path ("/hub/news/"), to compare with menu paths.
    pub path: String,
    /// `website`, `article` or `profile`, for Open Graph.
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A page as it appears in lists: everything but its full content.
#[derive(Serialize)]
struct PageRef<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    slug: &'a str,
    date: Option<String>,
    updated: Option<String>,
    description: &'a str,
    summary: Option<&'a str>,
    tags: Vec<TagRef>,
    authors: &'a [String],
    weight: Option<i64>,
    draft: bool,
    words: usize,
    reading_time: usize,
    extra: &'a serde_json::Value,
    source: String,
}

/// Words per minute for `reading_time`.
const READING_SPEED: usize = 200;

pub fn tag_refs(site: &Site, page: &Page) -> Vec<TagRef> {
    page.meta
        .tags
        .iter()
        .filter_map(|name| {
            let slug = crate::model::url::slugify(name);
            site.tags.get(&slug).map(|t| TagRef {
                name: t.name.clone(),
                url: site.config.url(&format!("/tags/{slug}/")),
                slug,
            })
        })
        .collect()
}

/// The list form of every page, built once per build.
pub fn page_refs(site: &Site) -> Vec<Value> {
    site.pages
        .iter()
        .map(|p| Value::from_serializable(&page_ref(site, p)))
        .collect()
}

fn page_ref<'a>(site: &'a Site, p: &'a Page) -> PageRef<'a> {
    PageRef {
        title: &p.title,
        url: site.config.url(&p.path),
        permalink: site.config.permalink(&p.path),
        path: &p.path,
        slug: &p.slug,
        date: p.date.map(|d| d.to_string()),
        updated: p.meta.updated.map(|d| d.to_string()),
        description: p.description(),
        summary: p.content.summary.as_deref(),
        tags: tag_refs(site, p),
        authors: &p.meta.authors,
        weight: p.meta.weight,
        draft: p.is_draft(),
        words: p.content.words,
        reading_time: p.content.words.div_ceil(READING_SPEED).max(1),
        extra: &p.meta.extra,
        source: p.source.path.to_string_lossy().replace('\\', "/"),
    }
}

/// `page`: a page with its content.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    base: PageRef<'a>,
    content: &'a str,
    toc: &'a [TocEntry],
    /// The URL of the page's section.
    section: String,
}

impl<'a> PageView<'a> {
    pub fn new(site: &'a Site, index: usize) -> Self {
        let p = &site.pages[index];
        PageView {
            base: page_ref(site, p),
            content: &p.content.html,
            toc: &p.content.toc,
            section: site.config.url(&p.section),
        }
    }
}

#[derive(Serialize)]
pub struct SubsectionRef {
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// `section`: a section (or the home page) with its intro and pages.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub permalink: String,
    pub path: &'a str,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    /// All pages of the section; empty when it is paginated (use `paginator.pages`).
    pub pages: Vec<Value>,
    pub subsections: Vec<SubsectionRef>,
    pub extra: Option<&'a serde_json::Value>,
}

impl<'a> SectionView<'a> {
    pub fn new(site: &'a Site, refs: &[Value], section: &'a Section) -> Self {
        let index = section.index.map(|i| &site.pages[i]);
        let subsections = section
            .subsections
            .iter()
            .filter_map(|p| site.sections.get(p))
            .map(|s| SubsectionRef {
                title: s.title.clone(),
                url: site.config.url(&s.path),
                count: s.pages.len(),
            })
            .collect();
        SectionView {
            title: if section.path == "/" && index.is_none() {
                &site.config.title
            } else {
                &section.title
            },
            description: index
                .map(|p| p.description())
                .filter(|d| !d.is_empty())
                .unwrap_or(if section.path == "/" {
                    &site.config.description
                } else {
                    ""
                }),
            url: site.config.url(&section.path),
            permalink: site.config.permalink(&section.path),
            path: &section.path,
            content: index.map_or("", |p| p.content.html.as_str()),
            toc: index.map_or(&[], |p| p.content.toc.as_slice()),
            pages: if section.paginate_by.is_some() {
                Vec::new()
            } else {
                section.pages.iter().map(|&i| refs[i].clone()).collect()
            },
            subsections,
            extra: index.map(|p| &p.meta.extra),
        }
    }
}

/// `paginator`: one page of a section's list.
#[derive(Serialize)]
pub struct Paginator {
    pub pages: Vec<Value>,
    pub current_index: usize,
    pub number_pagers: usize,
    pub paginate_by: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The Open Graph type of a page.
pub fn og_kind(page: &Page) -> &'static str {
    match page.kind {
        PageKind::Page if page.date.is_some() => "article",
        _ => "website",
    }
}
