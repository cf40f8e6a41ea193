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
pub fn sort_pages(pages: &[Page], ids: &mut [usize], by: SortBy) {
    ids.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        let primary = match by {
            SortBy::Date => match (pa.date, pb.date) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortBy::Weight => match (pa.meta.weight, pb.meta.weight) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortBy::Title => std::cmp::Ordering::Equal,
        };
        primary
            .then_with(|| cmp_lowercase(&pa.title, &pb.title))
            .then_with(|| pa.path.cmp(&pb.path))
    });
}

/// `a.to_lowercase().cmp(&b.to_lowercase())` without making the two strings: pages
/// of one date are ordered by title, and `serve` sorts every section and tag again
/// after a title edit, where lowercasing in each comparison was a third of the work.
/// A capital sigma lowercases by its place in the word, so such titles take the
/// long way.
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
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
