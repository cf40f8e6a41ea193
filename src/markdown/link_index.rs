//! The link index: every markdown file and content asset by its source path, so that
//! markdown links written to files (`../about.md#team`) become page URLs, and links
//! to files that do not exist (or are drafts) become errors at their place.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path};

use super::LinkContext;
use crate::diagnostics::did_you_mean;

/// A markdown file as a link target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    Page {
        path: String,
        draft: bool,
    },
    /// The file failed to load; its own error is reported, links to it are not.
    Broken,
}

/// What links in markdown can point at, site-wide.
pub struct LinkIndex {
    pub base_path: String,
    /// Site-relative source path ("content/news/x.md") → what it became.
    pub pages: HashMap<String, LinkTarget>,
    /// Site-relative path of a content/ file → its site path.
    pub assets: HashMap<String, String>,
    pub drafts_built: bool,
    pub members: BTreeSet<String>,
    /// Highlighted code blocks kept between builds.
    pub highlights: std::sync::Arc<super::highlight::HighlightCache>,
    /// Pages' rendered markdown kept between builds.
    pub texts: std::sync::Arc<super::text_cache::TextCache>,
    /// Cleans what strangers wrote: bios, link notes, and pages when
    /// `content.sanitize` is on (`sanitize_pages`).
    pub sanitizer: std::sync::Arc<super::sanitize::Sanitizer>,
    pub sanitize_pages: bool,
}

impl LinkIndex {
    /// A page's rendered content, sanitized when the site takes posts from strangers.
    pub fn page_content(
        &self,
        mut content: crate::model::page::Content,
    ) -> crate::model::page::Content {
        if self.sanitize_pages {
            content.html = self.sanitizer.clean(&content.html);
            content.summary = content.summary.map(|s| self.sanitizer.clean(&s));
        }
        content
    }
}

/// Link context for one page: resolves relative links from its folder.
pub struct LinkResolver<'a> {
    pub site: &'a LinkIndex,
    pub dir: &'a Path,
    /// The markdown files (site-relative) the text linked to, so a later load can
    /// tell whether the rendered text still holds when other pages appear or move.
    consulted: std::cell::RefCell<Vec<String>>,
    /// The other files and the handles it asked about (for the text cache, which
    /// outlives the build and so cannot compare whole indices).
    assets: std::cell::RefCell<Vec<String>>,
    members: std::cell::RefCell<Vec<String>>,
    blocks: std::cell::RefCell<Vec<[u8; 16]>>,
}

/// The content files (site-relative) and member handles a text asked the index
/// about, each once: with the markdown files it links to, all that its HTML depends
/// on beyond its own words, folder and the site's settings.
#[derive(Debug, Default, Clone)]
pub struct Asked {
    pub assets: Vec<String>,
    pub members: Vec<String>,
    /// The highlight cache's keys of its code blocks (kept there while the text is).
    pub blocks: Vec<[u8; 16]>,
}

fn note_once(list: &std::cell::RefCell<Vec<String>>, item: &str) {
    let mut list = list.borrow_mut();
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

impl<'a> LinkResolver<'a> {
    pub fn new(site: &'a LinkIndex, dir: &'a Path) -> Self {
        LinkResolver {
            site,
            dir,
            consulted: Default::default(),
            assets: Default::default(),
            members: Default::default(),
            blocks: Default::default(),
        }
    }

    /// The markdown files looked up, each once, in order of first use, and the
    /// other files and handles asked about.
    pub fn into_consulted(self) -> (Vec<String>, Asked) {
        let asked = Asked {
            assets: self.assets.into_inner(),
            members: self.members.into_inner(),
            blocks: self.blocks.into_inner(),
        };
        (self.consulted.into_inner(), asked)
    }
}

impl LinkIndex {
    /// Whether a text rendered against `earlier` renders the same against `self`:
    /// the same settings, members and assets, and every markdown file it linked to
    /// is the same target in both.
    pub fn resolves_alike(&self, earlier: &LinkIndex, linked: &[String]) -> bool {
        linked
            .iter()
            .all(|source| self.pages.get(source) == earlier.pages.get(source))
    }

    /// Whether everything but the markdown files is the same in both indices (what
    /// `resolves_alike` does not compare per text).
    pub fn same_settings(&self, earlier: &LinkIndex) -> bool {
        self.base_path == earlier.base_path
            && self.drafts_built == earlier.drafts_built
            && self.sanitize_pages == earlier.sanitize_pages
            && self.members == earlier.members
            && self.assets == earlier.assets
    }
}

/// Joins `target` onto `dir` and folds `.` and `..` without touching the disk. `None`
/// when the result would climb out of the site.
fn join_relative(dir: &Path, target: &str) -> Option<String> {
    let mut parts: Vec<String> = dir
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p.to_string()),
        }
    }
    Some(parts.join("/"))
}

impl LinkContext for LinkResolver<'_> {
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, Option<String>)> {
        let is_md = target.to_ascii_lowercase().ends_with(".md");
        let Some(joined) = join_relative(self.dir, target) else {
            return if is_md {
                Err((format!("`{target}` points outside the site folder"), None))
            } else {
                Ok(None)
            };
        };
        let prefixed = |path: &str| crate::config::prefixed(&self.site.base_path, path);
        if !is_md {
            note_once(&self.assets, &joined);
            return Ok(self.site.assets.get(&joined).map(|p| prefixed(p)));
        }
        note_once(&self.consulted, &joined);
        match self.site.pages.get(&joined) {
            Some(LinkTarget::Broken) => Ok(None),
            Some(LinkTarget::Page { draft: true, .. }) if !self.site.drafts_built => Err((
                format!("`{target}` is a draft, so it is not published and this link would break"),
                Some("publish it (`draft: false`) or remove the link".into()),
            )),
            Some(LinkTarget::Page { path, .. }) => Ok(Some(prefixed(path))),
            None => {
                let name = joined.rsplit('/').next().unwrap_or(&joined);
                let file_name = |c: &str| c.rsplit('/').next().unwrap_or(c).to_string();
                let mut candidates: Vec<&str> =
                    self.site.pages.keys().map(String::as_str).collect();
                candidates.sort();
                let names: Vec<String> = candidates.iter().map(|c| file_name(c)).collect();
                let close = candidates
                    .iter()
                    .find(|c| file_name(c) == name)
                    .copied()
                    .or_else(|| {
                        let best = did_you_mean(name, names.iter().map(String::as_str))?;
                        candidates.iter().find(|c| file_name(c) == best).copied()
                    });
                let help = close.map(|c| format!("did you mean `{}`?", relative_from(self.dir, c)));
                Err((
                    format!("`{target}` does not exist (looked for {joined})"),
                    help,
                ))
            }
        }
    }

    fn member_url(&self, handle: &str) -> Option<String> {
        note_once(&self.members, handle);
        self.site.members.contains(handle).then(|| {
            crate::config::prefixed(
                &self.site.base_path,
                &crate::model::url::member_path(handle),
            )
        })
    }

    fn base_path(&self) -> &str {
        &self.site.base_path
    }

    fn highlight(&self, code: &str, lang: &str) -> String {
        self.site
            .highlights
            .highlight_noting(code, lang, &mut self.blocks.borrow_mut())
    }
}

/// `to` (site-relative) written relative to the folder `from`, for "did you mean".
fn relative_from(from: &Path, to: &str) -> String {
    let from: Vec<String> = from
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|s| s.to_string()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_fold_dots_and_refuse_to_leave_the_site() {
        assert_eq!(
            join_relative(Path::new("content/news"), "../members/ada.md").as_deref(),
            Some("content/members/ada.md")
        );
        assert_eq!(join_relative(Path::new("content"), "../../x.md"), None);
    }

    #[test]
    fn suggestions_are_written_relative_to_the_page() {
        assert_eq!(
            relative_from(Path::new("content/news"), "content/about.md"),
            "../about.md"
        );
    }
}
