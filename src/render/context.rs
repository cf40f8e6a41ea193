//! The views handed to templates. Each list item is turned into a Tera value once and
//! shared (values are reference-counted), so long lists cost no copies per page.
//!
//! Every field here is documented for theme authors in docs/templates.md. The
//! smaller views every list shares (members, events, curated links, tags) are in
//! views.rs.

use serde::Serialize;

use super::views::{EventView, MemberCard, MemberRef};
pub use super::views::{NamedLink, TagRef};
use tera::Value;

use crate::model::page::{PageKind, TocEntry};
use crate::model::url::Lang;
use crate::model::{Page, Section, Site};

/// `site`: the same on every page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    /// Where the theme's files are (the stylesheet, scripts): `base_path`, except
    /// in a translated edition, whose `base_path` is its folder ("/hub/fr/").
    pub root_path: &'a str,
    /// The site's languages, for a language switcher (empty for one language).
    pub languages: Vec<LanguageView>,
    pub menu: Vec<MenuView>,
    /// site.yaml's `join:` link, prefixed when it is a site path.
    pub join: Option<MenuView>,
    pub extra: &'a serde_json::Value,
    pub has_tags: bool,
    pub has_members: bool,
    pub has_links: bool,
    pub has_events: bool,
    /// Whether a page has a date (a post), for the search page's kind filter.
    pub has_posts: bool,
    pub has_spotlights: bool,
    /// Whether /promote/ (the promotion kit) exists.
    pub has_promote: bool,
    /// The search page (prefixed) when the site has search, for the header's form.
    pub search_url: Option<String>,
    /// The folder of the search index (prefixed), for the search page's script.
    pub search_bundle: Option<String>,
    /// The site's icon (`static/favicon.svg`, `.png` or `.ico`), prefixed, when it has
    /// one: linked from every page, so browsers do not ask for a missing /favicon.ico.
    pub favicon: Option<Favicon>,
    /// `og:locale`: the language with `_` ("en", "pt_BR").
    pub locale: String,
    /// The card accent, for `theme-color`.
    pub accent: &'a str,
    /// Every guideline as `{title, url}`, for the footer.
    pub guidelines: Vec<NamedLink>,
    /// The build's "now" (RFC 3339), from SOURCE_DATE_EPOCH when set.
    pub now: String,
    pub generator: &'static str,
}

/// One language of the site.
#[derive(Serialize)]
pub struct LanguageView {
    pub lang: String,
    /// Its own name ("Français").
    pub name: String,
    /// Its home page (prefixed).
    pub url: String,
}

#[derive(Serialize)]
pub struct MenuView {
    pub label: String,
    /// The link, with the base_url prefix for site paths.
    pub url: String,
    /// The prefixed site path for site links (to mark the current section), else none.
    pub path: Option<String>,
}

/// `site.favicon`: where the icon is and its type.
#[derive(Serialize)]
pub struct Favicon {
    pub url: String,
    pub mime: &'static str,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site, has_promote: bool) -> Self {
        let c = &site.config;
        let menu_view = |m: &crate::config::MenuItem| {
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
        };
        let menu = c.menu.iter().map(menu_view).collect();
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            base_path: &c.base_path,
            root_path: &c.root_path,
            languages: site
                .languages
                .iter()
                .flat_map(|l| &l.all)
                .map(|l| LanguageView {
                    lang: l.code.clone(),
                    name: l.name.clone(),
                    url: c.root_url(&l.lang().path("/")),
                })
                .collect(),
            menu,
            join: c.join.as_ref().map(menu_view),
            extra: &c.extra,
            has_tags: !site.tags.is_empty(),
            has_members: !site.members.is_empty(),
            has_links: !site.links.is_empty(),
            has_events: !site.events().is_empty(),
            has_posts: site.pages.iter().any(Page::is_post),
            has_spotlights: !site.spotlights().is_empty(),
            has_promote,
            search_url: c
                .search
                .enabled
                .then(|| c.url(crate::model::url::SEARCH_PATH)),
            // One bundle for every language: Pagefind picks the index of the
            // page's `<html lang>`.
            search_bundle: c
                .search
                .enabled
                .then(|| c.root_url(crate::model::url::SEARCH_BUNDLE)),
            favicon: [
                ("favicon.svg", "image/svg+xml"),
                ("favicon.png", "image/png"),
                ("favicon.ico", "image/x-icon"),
            ]
            .into_iter()
            .find(|(name, _)| site.assets.iter().any(|a| a.dest == *name))
            .map(|(name, mime)| Favicon {
                url: c.root_url(name),
                mime,
            }),
            locale: c.language.replace('-', "_"),
            accent: &c.cards.accent,
            guidelines: site
                .guidelines
                .iter()
                .map(|g| NamedLink {
                    title: g.title.clone(),
                    url: site.guideline_url(g),
                    lang: super::views::fallback_lang(site, &g.translation),
                })
                .collect(),
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
    /// The promotion card: the page's own, or the site's.
    pub image: Option<ImageMeta>,
    /// Share links, on pages that have a card of their own.
    pub share: Option<super::share::ShareView>,
    /// The language of the page (`<html lang>`): its own `language:`, else the site's.
    pub lang: String,
    /// `rtl` for right-to-left languages, else `ltr` (`<html dir>`).
    pub dir: &'static str,
    /// The languages this output exists in, itself included, for
    /// `<link rel="alternate" hreflang>` (empty for a site of one language).
    pub alternates: Vec<AlternateView>,
    /// Every language of the site, for a language switcher: this output in that
    /// language, or that language's home page (empty for one language).
    pub languages: Vec<SwitchView>,
}

/// One `hreflang` alternate of an output.
#[derive(Serialize)]
pub struct AlternateView {
    pub lang: String,
    /// Absolute URL.
    pub url: String,
    /// Whether it is the default language's (`hreflang="x-default"` too).
    pub default: bool,
}

/// One language in the switcher.
#[derive(Serialize)]
pub struct SwitchView {
    pub lang: String,
    /// The language's own name ("Français").
    pub name: String,
    pub dir: &'static str,
    /// This output in that language, or that language's home (prefixed).
    pub url: String,
    /// Whether it is the language shown.
    pub current: bool,
    /// Whether this output exists in that language (else `url` is its home).
    pub translated: bool,
}

/// `og:image` and friends.
#[derive(Serialize)]
pub struct ImageMeta {
    /// Absolute URL.
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
}

/// A page as it appears in lists: everything but its full content.
#[derive(Serialize)]
pub struct PageRef<'a> {
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
    /// Authors as members (`{handle, name, url, avatar, …}`).
    authors: Vec<MemberRef<'a>>,
    /// Set on event pages.
    event: Option<EventView>,
    /// Handle of the member a spotlight features.
    spotlight: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    words: usize,
    reading_time: usize,
    extra: &'a serde_json::Value,
    source: String,
    /// The page's language, on a site of several (a list in French shows the
    /// originals it has no translation of: their `lang` says so).
    lang: Option<&'a str>,
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
                url: site
                    .config
                    .url(&crate::model::url::tag_path(Lang::SITE, &slug)),
                slug,
            })
        })
        .collect()
}

/// One page in a list, as templates see it: a template value made once (kept by
/// `serve` between edits, or made by a build for its lists), which goes into each
/// list's context as a shared reference, not a copy.
pub enum Entry<'a> {
    Kept(&'a Value),
    /// Made on the spot (a list no entries were made for).
    Fresh(Box<PageRef<'a>>),
}

impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Entry::Kept(v) => v.serialize(s),
            Entry::Fresh(r) => r.serialize(s),
        }
    }
}

/// Every page's list entry, for one rendering. `serve` keeps them between edits; a
/// build makes them here, once, since a page shows in several lists (its section,
/// its tags, its authors' pages). Template values, not plain structs: a value put
/// in a list's context is shared (tera's maps sit behind an `Arc`), where a struct
/// is serialized again for every list that shows it (a warm 10,000-page build's
/// lists took 170 ms that way, 125 ms now, at the same peak memory).
pub struct Entries<'a> {
    site: &'a Site,
    kept: &'a [Value],
    made: Vec<Value>,
}

impl<'a> Entries<'a> {
    /// `kept` when the caller keeps them, else made now when lists are rendered.
    pub fn new(site: &'a Site, kept: Option<&'a [Value]>, lists: bool) -> Self {
        use rayon::prelude::*;
        let made = match (kept, lists) {
            (None, true) => site
                .pages
                .par_iter()
                .map(|p| page_ref_value(site, p))
                .collect(),
            _ => Vec::new(),
        };
        Entries {
            site,
            kept: kept.unwrap_or_default(),
            made,
        }
    }

    pub fn get(&self, i: usize) -> Entry<'_> {
        if let Some(v) = self.kept.get(i) {
            return Entry::Kept(v);
        }
        match self.made.get(i) {
            Some(v) => Entry::Kept(v),
            None => Entry::Fresh(Box::new(page_ref(self.site, &self.site.pages[i]))),
        }
    }
}

/// The list form of every page, for `serve` to keep between edits.
pub fn page_refs(site: &Site) -> Vec<Value> {
    site.pages.iter().map(|p| page_ref_value(site, p)).collect()
}

/// The list form of one page (what `page_refs` holds for it).
pub fn page_ref_value(site: &Site, p: &Page) -> Value {
    to_value(&page_ref(site, p))
}

/// What lists show of a page, comparable: when an edit leaves it unchanged, no list
/// needs re-rendering (`serve` uses this).
pub fn list_entry(site: &Site, p: &Page) -> serde_json::Value {
    serde_json::to_value(page_ref(site, p)).unwrap_or_default()
}

fn page_ref<'a>(site: &'a Site, p: &'a Page) -> PageRef<'a> {
    PageRef {
        title: &p.title,
        url: site.page_url(p),
        permalink: site.page_permalink(p),
        path: &p.path,
        slug: &p.slug,
        date: p.date.map(|d| d.to_string()),
        updated: p.meta.updated.map(|d| d.to_string()),
        description: p.description(),
        summary: p.content.summary.as_deref(),
        tags: tag_refs(site, p),
        authors: p
            .meta
            .authors
            .iter()
            .filter_map(|h| site.members.get(h))
            .map(|m| MemberRef::new(site, m))
            .collect(),
        event: EventView::new(site, p),
        spotlight: p.meta.spotlight.as_deref(),
        weight: p.meta.weight,
        draft: p.is_draft(),
        words: p.content.words,
        reading_time: p.content.words.div_ceil(READING_SPEED).max(1),
        extra: &p.meta.extra,
        source: p.source.path.to_string_lossy().replace('\\', "/"),
        lang: site.languages.as_ref().map(|l| match &p.meta.language {
            Some(lang) => lang.as_str(),
            None => l.all.first().map_or("", |d| d.code.as_str()),
        }),
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
    /// On a spotlight: the member featured, with their answers.
    spotlight_member: Option<MemberCard<'a>>,
}

impl<'a> PageView<'a> {
    pub fn new(site: &'a Site, index: usize) -> Self {
        let p = &site.pages[index];
        PageView {
            base: page_ref(site, p),
            content: &p.content.html,
            toc: &p.content.toc,
            section: site.config.url(&p.section),
            spotlight_member: p
                .meta
                .spotlight
                .as_ref()
                .and_then(|h| site.members.get(h))
                .map(|m| MemberCard::new(site, m)),
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
    pub pages: Vec<Entry<'a>>,
    pub subsections: Vec<SubsectionRef>,
    pub extra: Option<&'a serde_json::Value>,
}

impl<'a> SectionView<'a> {
    pub fn new(site: &'a Site, entries: &'a Entries<'a>, section: &'a Section) -> Self {
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
            title: &section.title,
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
                section.pages.iter().map(|&i| entries.get(i)).collect()
            },
            subsections,
            extra: index.map(|p| &p.meta.extra),
        }
    }
}

/// `paginator`: one page of a section's list.
#[derive(Serialize)]
pub struct Paginator<'a> {
    pub pages: Vec<Entry<'a>>,
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

/// A template value from a view. Our views always serialize; should one not, the
/// template sees an empty value instead of the build panicking.
pub fn to_value<T: Serialize + ?Sized>(view: &T) -> Value {
    Value::try_from_serializable(view).unwrap_or_else(|_| Value::none())
}
