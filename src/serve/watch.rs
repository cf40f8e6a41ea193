//! File events → what to rebuild. Pure: given the site folder and the changed paths
//! (after debouncing), decide the smallest rebuild that is still correct.

use std::path::{Path, PathBuf};

use crate::load::source::is_ignored;
use crate::model::folders::{self, Edits};

/// What a changed path is, by where it lives in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Config,
    /// A markdown file under content/.
    Content,
    /// Any other file under content/ (pictures beside pages).
    ContentAsset,
    /// A file of a folder whose edits reload everything (members, links,
    /// guidelines, themes), named.
    Sources(&'static str),
    Template,
    Static,
    /// Not part of the site's sources (the output, the cache, editor swap files).
    Ignored,
}

/// Classifies one path. `output` is the output folder, whose own events are ignored.
pub fn classify(root: &Path, output: Option<&Path>, path: &Path) -> ChangeKind {
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    if output.is_some_and(|o| path.starts_with(o)) {
        return ChangeKind::Ignored;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .iter()
        .any(|p| is_ignored(p) || p.ends_with(".swp") || p.ends_with(".tmp"))
    {
        return ChangeKind::Ignored;
    }
    let is_md = rel.extension().is_some_and(|e| e == "md");
    let first = parts.first().map(String::as_str);
    if first == Some("site.yaml") && parts.len() == 1 {
        return ChangeKind::Config;
    }
    match first
        .and_then(folders::site_folder)
        .map(|f| (f.edits, f.name))
    {
        Some((Edits::Pages, _)) if is_md => ChangeKind::Content,
        Some((Edits::Pages, _)) => ChangeKind::ContentAsset,
        Some((Edits::Reload, name)) => ChangeKind::Sources(name),
        Some((Edits::Templates, _)) => ChangeKind::Template,
        Some((Edits::StaticFiles, _)) => ChangeKind::Static,
        Some((Edits::Nothing, _)) | None => ChangeKind::Ignored,
    }
}

/// The rebuild a batch of changes needs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rebuild {
    /// Reload everything (configuration, members, links, guidelines, new or
    /// deleted pages, themes).
    pub full: bool,
    /// Re-render every page without re-reading markdown.
    pub templates: bool,
    /// Files under static/ to copy again (or drop, when deleted).
    pub static_files: Vec<PathBuf>,
    /// Edited markdown files that already were pages.
    pub pages: Vec<PathBuf>,
    /// Pages appeared or disappeared: read the sources again, keep the rendered
    /// markdown of every page it still holds for, render the rest and every list.
    pub structure: bool,
}

impl Rebuild {
    pub fn is_empty(&self) -> bool {
        !self.full
            && !self.templates
            && !self.structure
            && self.static_files.is_empty()
            && self.pages.is_empty()
    }

    /// Only pages already served were edited: `serve` can serve them first and
    /// their lists after.
    pub fn only_pages(&self) -> bool {
        !self.pages.is_empty()
            && !self.full
            && !self.templates
            && !self.structure
            && self.static_files.is_empty()
    }
}

/// Plans the rebuild for changed paths. `is_page` tells whether a path is the source of
/// a page the site already has: editing one is cheap, adding or removing one is not.
pub fn plan(
    root: &Path,
    output: Option<&Path>,
    paths: &[PathBuf],
    is_page: impl Fn(&Path) -> bool,
) -> Rebuild {
    let mut r = Rebuild::default();
    for path in paths {
        match classify(root, output, path) {
            ChangeKind::Ignored => {}
            ChangeKind::Content if path.is_file() && is_page(path) => {
                if !r.pages.contains(path) {
                    r.pages.push(path.clone());
                }
            }
            // New, deleted or renamed (both names arrive) markdown files.
            ChangeKind::Content => r.structure = true,
            ChangeKind::Template => r.templates = true,
            // A picture is measured at loading (its pages' `<img>` hold its size).
            ChangeKind::Static
                if !path.is_dir() && !crate::images::photo::is_picture(&path.to_string_lossy()) =>
            {
                if !r.static_files.contains(path) {
                    r.static_files.push(path.clone());
                }
            }
            _ => r.full = true,
        }
    }
    if r.full {
        return Rebuild {
            full: true,
            ..Rebuild::default()
        };
    }
    r.pages.sort();
    r.static_files.sort();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> &'static Path {
        Path::new("/site")
    }

    #[test]
    fn paths_are_classified_by_folder() {
        let c = |p: &str| classify(root(), Some(Path::new("/site/public")), Path::new(p));
        assert_eq!(c("/site/site.yaml"), ChangeKind::Config);
        assert_eq!(c("/site/content/news/a.md"), ChangeKind::Content);
        assert_eq!(c("/site/content/news/a.png"), ChangeKind::ContentAsset);
        assert_eq!(c("/site/members/ada.md"), ChangeKind::Sources("members"));
        assert_eq!(c("/site/links/x.yaml"), ChangeKind::Sources("links"));
        assert_eq!(
            c("/site/guidelines/coc.md"),
            ChangeKind::Sources("guidelines")
        );
        assert_eq!(c("/site/templates/page.html"), ChangeKind::Template);
        assert_eq!(c("/site/static/a.css"), ChangeKind::Static);
        assert_eq!(
            c("/site/themes/x/templates/a.html"),
            ChangeKind::Sources("themes")
        );
        assert_eq!(c("/site/public/index.html"), ChangeKind::Ignored);
        assert_eq!(c("/site/.hearth-cache/cards/x.png"), ChangeKind::Ignored);
        assert_eq!(c("/site/content/.a.md.swp"), ChangeKind::Ignored);
        assert_eq!(c("/site/content/a.md~"), ChangeKind::Ignored);
        assert_eq!(c("/elsewhere/a.md"), ChangeKind::Ignored);
    }

    #[test]
    fn a_config_change_means_a_full_rebuild() {
        let r = plan(
            root(),
            None,
            &[
                PathBuf::from("/site/site.yaml"),
                PathBuf::from("/site/templates/a.html"),
            ],
            |_| true,
        );
        assert!(r.full && !r.templates);
    }

    #[test]
    fn template_changes_rerender_without_reloading() {
        let r = plan(
            root(),
            None,
            &[PathBuf::from("/site/templates/page.html")],
            |_| true,
        );
        assert_eq!(
            r,
            Rebuild {
                templates: true,
                ..Rebuild::default()
            }
        );
    }

    #[test]
    fn a_markdown_file_that_is_not_a_known_page_changes_the_structure() {
        // A new or deleted page changes lists and links, but not every page's text.
        let r = plan(
            root(),
            None,
            &[PathBuf::from("/site/content/new.md")],
            |_| false,
        );
        assert!(r.structure && !r.full && r.pages.is_empty());
    }

    #[test]
    fn a_folder_or_file_beside_pages_still_means_a_full_rebuild() {
        let r = plan(
            root(),
            None,
            &[PathBuf::from("/site/content/news/photo.png")],
            |_| false,
        );
        assert!(r.full);
    }

    #[test]
    fn only_ignored_paths_need_nothing() {
        let r = plan(
            root(),
            Some(Path::new("/site/public")),
            &[PathBuf::from("/site/public/x.html")],
            |_| true,
        );
        assert!(r.is_empty());
    }
}
