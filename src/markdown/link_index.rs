//! The link index: every markdown file and content asset by its source path, so that
//! markdown links written to files (`../about.md#team`) become page URLs, and links
//! to files that do not exist (or are drafts) become errors at their place.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path};

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
    /// The pictures (SPEC §6): a picture a text shows is written with its variants.
    pub pictures: std::sync::Arc<crate::model::picture::Pictures>,
    /// The site folder, to read an asset's bytes for its hash.
    pub root: std::path::PathBuf,
    /// Content hashes of the assets asked about so far (each file read once a build).
    pub hashes: std::sync::Mutex<HashMap<String, Option<AssetHash>>>,
}

/// What an asset's bytes hash to: a text that asked about an asset is kept in the
/// text cache only while the file is the same, not merely at the same URL (a
/// picture replaced by one of another size must not keep a stale `width`).
pub type AssetHash = [u8; 16];

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

impl LinkIndex {
    /// An index of nothing, for the site at `root` (tests, fuzzing).
    pub fn empty(root: &Path) -> LinkIndex {
        LinkIndex {
            base_path: "/".into(),
            pages: HashMap::new(),
            assets: HashMap::new(),
            drafts_built: false,
            members: BTreeSet::new(),
            pictures: Default::default(),
            root: root.to_path_buf(),
            hashes: Default::default(),
        }
    }

    /// The hash of a content file's bytes (`None`: not an asset, or unreadable),
    /// read through the guarded door once per build, in pieces.
    pub fn asset_hash(&self, file: &str) -> Option<AssetHash> {
        // A picture was hashed at loading (its `<img>` holds its size).
        if let Some(p) = self.pictures.by_source(file) {
            return Some(p.hash);
        }
        if !self.assets.contains_key(file) {
            return None;
        }
        if let Some(known) = self.hashes.lock().ok()?.get(file) {
            return *known;
        }
        let hash = crate::site_fs::hash(&self.root, &self.root.join(file))
            .ok()
            .map(|h| crate::store::key_from_hash(h.as_bytes()));
        if let Ok(mut known) = self.hashes.lock() {
            known.insert(file.to_string(), hash);
        }
        hash
    }

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
            && self.members == earlier.members
            && self.assets == earlier.assets
    }
}

/// Joins `target` onto `dir` and folds `.` and `..` without touching the disk. `None`
/// when the result would climb out of the site.
pub(super) fn join_relative(dir: &Path, target: &str) -> Option<String> {
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

/// `to` (site-relative) written relative to the folder `from`, for "did you mean".
pub(super) fn relative_from(from: &Path, to: &str) -> String {
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
