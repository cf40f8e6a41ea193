//! What depends on every page of an edition: its sections (each folder's pages in
//! order) and its tags (each tag's pages and curated links). A build makes them
//! once per language; `serve` makes the tags again after an edit.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::content;
use super::CONTENT_DIR;
use crate::model::page::PageKind;
use crate::model::site::sort_pages;
use crate::model::url::slugify;
use crate::model::{Page, Section, Tag};

/// Sections by site path, titled by their `_index.md` or `default_section_title`.
pub fn build_sections(
    pages: &[Page],
    dirs: &[PathBuf],
    bundles: &BTreeMap<PathBuf, String>,
    site_title: &str,
) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for dir in dirs {
        if bundles
            .keys()
            .any(|b| dir.starts_with(b) && !b.as_os_str().is_empty())
        {
            continue;
        }
        let path = content::section_path(dir);
        sections.entry(path.clone()).or_insert_with(|| Section {
            title: content::default_section_title(dir, site_title),
            path,
            dir: Path::new(CONTENT_DIR).join(dir),
            index: None,
            sort_by: Default::default(),
            paginate_by: None,
            feed: false,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }
    for (i, p) in pages.iter().enumerate() {
        match p.kind {
            PageKind::SectionIndex => {
                if let Some(s) = sections.get_mut(&p.path) {
                    s.index = Some(i);
                    s.title = p.title.clone();
                    s.sort_by = p.meta.sort_by.unwrap_or_default();
                    s.paginate_by = p.meta.paginate_by;
                    s.feed = p.meta.feed.unwrap_or(false);
                }
            }
            PageKind::Page => {
                if let Some(s) = sections.get_mut(&p.section) {
                    s.pages.push(i);
                }
            }
        }
    }
    let paths: Vec<String> = sections.keys().cloned().collect();
    for path in &paths {
        if path != "/" {
            let parent = content::parent_path(path);
            if let Some(s) = sections.get_mut(&parent) {
                s.subsections.push(path.clone());
            }
        }
    }
    for s in sections.values_mut() {
        sort_pages(pages, &mut s.pages, s.sort_by);
    }
    sections
}

/// Every tag by slug, with the pages (sorted as lists show them) and curated links
/// (newest first, as they come) that carry it. Tags with no usable slug are errors
/// reported where they are written, so they are skipped here.
///
/// `serve` makes them again after every title edit, so each tag name is slugified
/// once (a hub has tens of tags over thousands of pages) and the tags are sorted
/// side by side.
pub fn build_tags(pages: &[Page], links: &[crate::model::CuratedLink]) -> BTreeMap<String, Tag> {
    let mut found = Tags::default();
    for (i, p) in pages.iter().enumerate() {
        for name in &p.meta.tags {
            if let Some(t) = found.entry(name) {
                // Pages come in order, so a repeated tag is the last one pushed.
                if t.pages.last() != Some(&i) {
                    t.pages.push(i);
                }
            }
        }
    }
    for (i, l) in links.iter().enumerate() {
        for name in &l.meta.tags {
            if let Some(t) = found.entry(name) {
                if t.links.last() != Some(&i) {
                    t.links.push(i);
                }
            }
        }
    }
    let mut tags = found.list;
    {
        use rayon::prelude::*;
        tags.par_iter_mut()
            .for_each(|t| sort_pages(pages, &mut t.pages, Default::default()));
    }
    tags.into_iter().map(|t| (t.slug.clone(), t)).collect()
}

/// The tags met so far: each name's tag (None: no usable slug), and each slug's.
#[derive(Default)]
struct Tags<'a> {
    by_name: HashMap<&'a str, Option<usize>>,
    by_slug: HashMap<String, usize>,
    list: Vec<Tag>,
}

impl<'a> Tags<'a> {
    /// The tag `name` belongs to; the first name met for a slug names the tag.
    fn entry(&mut self, name: &'a str) -> Option<&mut Tag> {
        let at = match self.by_name.get(name) {
            Some(&at) => at,
            None => {
                let slug = slugify(name);
                let at = (!slug.is_empty()).then(|| match self.by_slug.get(&slug) {
                    Some(&at) => at,
                    None => {
                        self.by_slug.insert(slug.clone(), self.list.len());
                        self.list.push(Tag {
                            name: name.to_string(),
                            slug,
                            pages: Vec::new(),
                            links: Vec::new(),
                        });
                        self.list.len() - 1
                    }
                });
                self.by_name.insert(name, at);
                at
            }
        };
        self.list.get_mut(at?)
    }
}
