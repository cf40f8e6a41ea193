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
}

impl<'a> LinkResolver<'a> {
    pub fn new(site: &'a LinkIndex, dir: &'a Path) -> Self {
        LinkResolver {
            site,
            dir,
            consulted: Default::default(),
        }
    }

    /// The markdown files looked up, each once, in order of first use.
    pub fn into_consulted(self) -> Vec<String> {
        self.consulted.into_inner()
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
            return Ok(self.site.assets.get(&joined).map(|p| prefixed(p)));
        }
        {
            let mut consulted = self.consulted.borrow_mut();
            if !consulted.contains(&joined) {
                consulted.push(joined.clone());
            }
        }
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
        self.site.highlights.highlight(code, lang)
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
