//! The site's folders in one table: each folder's name, what it holds, whether
//! `serve` watches it, and what an edit there rebuilds. `load` reads its sources
//! by these names, `output` refuses to write inside any of them, serve's watcher
//! watches the watched ones and `serve::watch::classify` turns a changed path into
//! the folder's [`Edits`]. A new kind of source (a theme's `i18n/`, `digests/`) is
//! one row here.

use crate::site_fs::CACHE_DIR;

/// Pages and sections (markdown), and the pictures and files beside them.
pub const CONTENT: &str = "content";
/// Member profiles, one markdown file each.
pub const MEMBERS: &str = "members";
/// Curated links files (YAML).
pub const LINKS: &str = "links";
/// Guideline pages with citable rules.
pub const GUIDELINES: &str = "guidelines";
/// Files published as they are.
pub const STATIC: &str = "static";
/// The site's own templates, over the theme's.
pub const TEMPLATES: &str = "templates";
/// Local themes.
pub const THEMES: &str = "themes";
/// The site's words for the theme, by language (`i18n/fr.yaml`), over the theme's.
pub const I18N: &str = "i18n";

/// What an edit under a folder makes `serve` do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edits {
    /// Markdown pages: an edited page is rendered again with the lists that show
    /// it; pages that appear, move or go reload the sources. Other files beside
    /// them reload everything.
    Pages,
    /// Everything is loaded again (profiles, links, guidelines, themes).
    Reload,
    /// Every page rendered again from the markdown in memory.
    Templates,
    /// The files are served again as they are.
    StaticFiles,
    /// Nothing: hearth's own.
    Nothing,
}

/// One folder of a site.
#[derive(Debug)]
pub struct SiteFolder {
    pub name: &'static str,
    /// What it holds, in words (errors and docs say it).
    pub holds: &'static str,
    /// Whether `serve` watches it for edits.
    pub watched: bool,
    pub edits: Edits,
}

/// Every folder a site may have; all hold sources or hearth's cache, so no
/// output goes inside one.
pub const SITE_FOLDERS: &[SiteFolder] = &[
    SiteFolder {
        name: CONTENT,
        holds: "pages and sections, and the files beside them",
        watched: true,
        edits: Edits::Pages,
    },
    SiteFolder {
        name: MEMBERS,
        holds: "member profiles",
        watched: true,
        edits: Edits::Reload,
    },
    SiteFolder {
        name: LINKS,
        holds: "curated links",
        watched: true,
        edits: Edits::Reload,
    },
    SiteFolder {
        name: GUIDELINES,
        holds: "guidelines",
        watched: true,
        edits: Edits::Reload,
    },
    SiteFolder {
        name: STATIC,
        holds: "files published as they are",
        watched: true,
        edits: Edits::StaticFiles,
    },
    SiteFolder {
        name: TEMPLATES,
        holds: "the site's templates",
        watched: true,
        edits: Edits::Templates,
    },
    SiteFolder {
        name: THEMES,
        holds: "local themes",
        watched: true,
        edits: Edits::Reload,
    },
    SiteFolder {
        name: I18N,
        holds: "the theme's words in each language",
        watched: true,
        edits: Edits::Reload,
    },
    SiteFolder {
        name: CACHE_DIR,
        holds: "hearth's cache",
        watched: false,
        edits: Edits::Nothing,
    },
];

/// The folder of the site named `name` (a path's first part).
pub fn site_folder(name: &str) -> Option<&'static SiteFolder> {
    SITE_FOLDERS.iter().find(|f| f.name == name)
}

/// The folders `serve` watches.
pub fn watched() -> impl Iterator<Item = &'static SiteFolder> {
    SITE_FOLDERS.iter().filter(|f| f.watched)
}
