//! Everything loaded from the site folder, cross-referenced: later stages borrow it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::date::Date;
use super::guideline::Guideline;
use super::link::CuratedLink;
use super::member::Member;
use super::page::{Page, SortBy};
use crate::config::Config;

/// A folder under `content/`: its pages in display order and its subsections.
#[derive(Debug, Clone)]
pub struct Section {
    /// Site path: "/" for content/ itself, "/news/" for content/news/.
    pub path: String,
    /// The folder relative to the site ("content/news").
    pub dir: PathBuf,
    /// Index into `Site::pages` of its `_index.md`, when it has one.
    pub index: Option<usize>,
    pub title: String,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub feed: bool,
    /// Indices into `Site::pages`, sorted by `sort_by`, drafts excluded unless built.
    pub pages: Vec<usize>,
    /// Site paths of the direct subsections, sorted.
    pub subsections: Vec<String>,
}

/// A file copied into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path relative to the output root, with `/` separators.
    pub dest: String,
    /// What to publish instead of the file's bytes: an avatar made safe.
    pub bytes: Option<std::sync::Arc<Vec<u8>>>,
}

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Every page and section index that will be built, in source-path order.
    pub pages: Vec<Page>,
    /// Sections by site path.
    pub sections: BTreeMap<String, Section>,
    /// Tag slug → (display name, page indices newest first).
    pub tags: BTreeMap<String, Tag>,
    /// Files copied beside pages (content/) and from static/.
    pub assets: Vec<Asset>,
    /// The pictures of content/, static/ and avatars, published by `pictures`
    /// (shared by every language's edition).
    pub pictures: std::sync::Arc<crate::model::picture::Pictures>,
    /// Members by handle.
    pub members: BTreeMap<String, Member>,
    /// Curated links, newest first.
    pub links: Vec<CuratedLink>,
    /// Guidelines by `order`, then title.
    pub guidelines: Vec<Guideline>,
    /// Handle → indices of the pages that @mention the member.
    pub mentions: BTreeMap<String, Vec<usize>>,
    /// The build's "now": SOURCE_DATE_EPOCH when set.
    pub now: Date,
    /// The language of this edition of the site (SPEC §5): `None` for the default
    /// language's, at the root; `Some("fr")` for the French one, published under
    /// /fr/, whose `config.base_url` ends in `fr/` and whose paths are relative to
    /// it. Its pages are the French ones and, in lists only, the originals of the
    /// rest ([`Site::renders`]).
    pub lang: Option<String>,
    /// In a translated edition: (page here, page of the default edition) for each
    /// original shown in its lists for want of a translation; its rendered text is
    /// the default edition's.
    pub borrowed: Vec<(usize, usize)>,
    /// Every language of the site and where each page exists in each (none
    /// without `languages`).
    pub languages: Option<std::sync::Arc<super::languages::Languages>>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub pages: Vec<usize>,
    /// Curated links with this tag (indices into `Site::links`, newest first): one
    /// tag system for pages and links, so /tags/TAG/ shows both.
    pub links: Vec<usize>,
}

impl Site {
    /// Whether a text in the language `translation` (`None`: the default one) is
    /// this edition's own: a translated edition also lists the originals it has
    /// no translation of, but does not publish them.
    pub fn owns(&self, translation: &Option<String>) -> bool {
        *translation == self.lang
    }

    /// Gives the originals a translated edition shows in its lists (`borrowed`)
    /// the text the default edition rendered for them.
    pub fn borrow_texts(&mut self, default: &Site) {
        for &(here, there) in &self.borrowed {
            self.pages[here].content = default.pages[there].content.clone();
        }
    }

    /// Whether this edition publishes page `i`.
    pub fn renders(&self, i: usize) -> bool {
        self.owns(&self.pages[i].translation)
    }

    /// The prefixed URL of `path` of a text in the language `translation`: in
    /// this edition when it is its own, else at the root (an original a
    /// translated edition falls back to).
    pub fn url_in(&self, translation: &Option<String>, path: &str) -> String {
        match self.owns(translation) {
            true => self.config.url(path),
            false => self.config.root_url(path),
        }
    }

    /// The absolute URL of [`Site::url_in`].
    pub fn permalink_in(&self, translation: &Option<String>, path: &str) -> String {
        match self.owns(translation) {
            true => self.config.permalink(path),
            false => self.config.root_permalink(path),
        }
    }

    /// The prefixed URL of a page listed here.
    pub fn page_url(&self, p: &Page) -> String {
        self.url_in(&p.translation, &p.path)
    }

    /// The absolute URL of [`Site::page_url`].
    pub fn page_permalink(&self, p: &Page) -> String {
        self.permalink_in(&p.translation, &p.path)
    }

    /// The prefixed URL of a guideline listed here.
    pub fn guideline_url(&self, g: &Guideline) -> String {
        self.url_in(&g.translation, &g.path)
    }

    /// This edition's language code as `Lang`.
    pub fn edition(&self) -> super::url::Lang<'_> {
        match &self.lang {
            None => super::url::Lang::SITE,
            Some(code) => super::url::Lang::translation(code),
        }
    }

    /// Pages with `event:`, as indices.
    pub fn events(&self) -> Vec<usize> {
        (0..self.pages.len())
            .filter(|&i| {
                self.pages[i].meta.event.is_some()
                    && self.pages[i].kind == super::page::PageKind::Page
            })
            .collect()
    }

    /// Whether the event on page `i` is still to come (or under way) at the build's
    /// "now": its end, or its start when it has no end, is not before now.
    pub fn is_upcoming(&self, i: usize) -> bool {
        self.pages[i]
            .meta
            .event
            .as_ref()
            .is_some_and(|e| e.end.unwrap_or(e.start) >= self.now)
    }

    /// Members no spotlight page has featured yet, longest-standing first, so the
    /// team knows who to feature next.
    pub fn never_spotlighted(&self) -> Vec<&Member> {
        let featured: std::collections::BTreeSet<&str> = self
            .pages
            .iter()
            .filter_map(|p| p.meta.spotlight.as_deref())
            .collect();
        let mut v: Vec<&Member> = self
            .members
            .values()
            .filter(|m| !featured.contains(m.handle.as_str()))
            .collect();
        v.sort_by(|a, b| match (a.meta.joined, b.meta.joined) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.handle.cmp(&b.handle)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.handle.cmp(&b.handle),
        });
        v
    }

    /// The `n` members who joined last (those with a `joined` date), newest first:
    /// the directory marks them, the home page asks people to say hello.
    pub fn newest_members(&self, n: usize) -> Vec<&Member> {
        let mut newest: Vec<&Member> = self
            .members
            .values()
            .filter(|m| m.meta.joined.is_some())
            .collect();
        newest.sort_by(|a, b| {
            b.meta
                .joined
                .cmp(&a.meta.joined)
                .then(a.handle.cmp(&b.handle))
        });
        newest.truncate(n);
        newest
    }

    /// Spotlight pages, newest first.
    pub fn spotlights(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.pages.len())
            .filter(|&i| {
                self.pages[i].meta.spotlight.is_some()
                    && self.pages[i].kind == super::page::PageKind::Page
            })
            .collect();
        sort_pages(&self.pages, &mut v, SortBy::Date);
        v
    }

    /// Pages (not section indices) that carry a date, newest first.
    pub fn dated_pages(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == super::page::PageKind::Page && p.date.is_some())
            .map(|(i, _)| i)
            .collect();
        sort_pages(&self.pages, &mut v, SortBy::Date);
        v
    }
}

/// Orders page indices the way a section asks, ties broken by title then path so the
/// order never depends on the file system.
///
/// Sorted on a compact copy of what is compared (date, weight, title, path, side
/// by side), not through `pages`: a comparison through it touched two large
/// `Page`s in memory far apart, and `serve` sorts the site's 10,000 dated pages
/// twice after each title edit (the home page's news, the site feed).
pub fn sort_pages(pages: &[Page], ids: &mut [usize], by: SortBy) {
    struct Key<'a> {
        date: Option<super::date::Date>,
        weight: Option<i64>,
        title: &'a str,
        /// Whether the title is ASCII, asked once rather than in each comparison.
        ascii: bool,
        path: &'a str,
        id: usize,
    }
    let mut keys: Vec<Key> = ids
        .iter()
        .map(|&id| {
            let p = &pages[id];
            Key {
                date: p.date,
                weight: p.meta.weight,
                title: &p.title,
                ascii: p.title.is_ascii(),
                path: &p.path,
                id,
            }
        })
        .collect();
    keys.sort_by(|a, b| {
        let primary = match by {
            SortBy::Date => match (a.date, b.date) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortBy::Weight => match (a.weight, b.weight) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortBy::Title => std::cmp::Ordering::Equal,
        };
        primary
            .then_with(|| match a.ascii && b.ascii {
                true => cmp_ascii_lowercase(a.title, b.title),
                false => cmp_lowercase(a.title, b.title),
            })
            .then_with(|| a.path.cmp(b.path))
    });
    for (slot, key) in ids.iter_mut().zip(keys) {
        *slot = key.id;
    }
}

/// [`cmp_lowercase`] of two ASCII strings.
fn cmp_ascii_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// `a.to_lowercase().cmp(&b.to_lowercase())` without making the two strings: pages
/// of one date are ordered by title, and `serve` sorts every section and tag again
/// after a title edit, where lowercasing in each comparison was a third of the work.
/// A capital sigma lowercases by its place in the word, so such titles take the
/// long way.
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    // Most titles are ASCII, where lowercasing is a byte's, with no iterator of
    // characters per character.
    if a.is_ascii() && b.is_ascii() {
        return cmp_ascii_lowercase(a, b);
    }
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase().cmp(&b.to_lowercase());
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::cmp_lowercase;

    /// The same order as comparing the lowercased strings, which it replaces.
    #[test]
    fn titles_compare_as_their_lowercase_forms_do() {
        let words = [
            "",
            "a",
            "A",
            "ab",
            "Ab",
            "aB",
            "b",
            "Z",
            "é",
            "É",
            "e\u{301}",
            "İstanbul",
            "istanbul",
            "ΣΟΦΙΑ Σ",
            "σοφια ς",
            "ΟΔΟΣ",
            "ὈΔΥΣΣΕΎΣ",
            "ß",
            "SS",
            "ǅ",
            "ǆ",
            "日本",
            "Ⅻ",
            "ⅻ",
            "ﬃ",
            "K",
            "k",
            "\u{130}",
            "Straße",
            "STRASSE",
            // ASCII between the cases and around them.
            "_x",
            "[x]",
            "`x",
            "Zebra",
            "zebra!",
            "zebra",
            "@",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    cmp_lowercase(a, b),
                    a.to_lowercase().cmp(&b.to_lowercase()),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
