//! Writes the built site: into a fresh folder beside the output, swapped in only when
//! every file was written, so a failed build leaves the previous output as it was.
//!
//! hearth owns an output folder only when it wrote it: a marker file
//! (`.hearth-output`) says so. Any other folder that is not empty is refused, so a
//! one-line `output: ../victim` in a stranger's pull request deletes nothing. Besides
//! the output folder hearth writes only its siblings `.NAME.hearth-new` (the build in
//! progress), `.NAME.hearth-old` (the previous output while it is swapped out) and
//! `.NAME.hearth-lock` (held while a build writes, so two builds of one output take
//! turns instead of interleaving).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

mod carry;
mod file_cache;
mod staging;
mod target;

pub use file_cache::FileCache;
pub use staging::{lock, OutputLock, Staging, StagingError};
pub use target::{check_target, write_requested_file, MARKER};

/// One file of the built site.
#[derive(Debug)]
pub struct Output {
    /// Path inside the output folder, `/`-separated ("news/welcome/index.html").
    pub path: String,
    pub body: Body,
    /// What produced it, to name both sides when two outputs claim one path.
    pub origin: String,
}

#[derive(Debug, Clone)]
pub enum Body {
    /// Shared, so serve hands a page to many requests without copying it.
    Bytes(bytes::Bytes),
    /// A file copied as it is.
    Copy(PathBuf),
    /// A file from hearth's own cache, hard-linked when the output shares its file
    /// system, else copied. Whoever puts one here checks its bytes first (an
    /// optimiser editing the output in place edits the cache through the link).
    Cached(PathBuf),
    Static(&'static [u8]),
}

/// Generated outputs (rendered pages, cards) are never silently replaced; copied
/// files (static, theme) may replace each other, later wins.
pub fn is_generated(body: &Body) -> bool {
    matches!(body, Body::Bytes(_) | Body::Cached(_))
}

/// An output path as the file system sees it: `news//index.html` and
/// `news/index.html` are one file.
fn normalize(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins an output path under `dir`, or `None` if it would leave it (`..`, absolute).
pub fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains(':') && cfg!(windows) => return None,
            p => out.push(p),
        }
    }
    (out != dir).then_some(out)
}

pub(super) fn outside(path: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing to write outside the output folder: {path}"),
    )
}

/// Links a file of hearth's cache into the output: only a plain file (see
/// [`Body::Cached`]).
pub(super) fn link_cached(src: &Path, dest: &Path) -> io::Result<()> {
    if crate::site_fs::cache_has(src) {
        link_or_copy(src, dest)
    } else {
        Err(io::Error::other(format!(
            "the cached file {} vanished or is not a plain file",
            src.display()
        )))
    }
}

/// A hard link where the file system allows one (another device, or none of them),
/// else a copy. Never over an existing file: a copy onto a link would write into
/// the cache.
pub(super) fn link_or_copy(src: &Path, dest: &Path) -> io::Result<()> {
    match fs::hard_link(src, dest) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => fs::copy(src, dest).map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_climb_out() {
        let d = Path::new("/tmp/out");
        assert_eq!(
            safe_join(d, "a/b.html"),
            Some(PathBuf::from("/tmp/out/a/b.html"))
        );
        assert_eq!(safe_join(d, "../etc/passwd"), None);
        assert_eq!(safe_join(d, "a/../../x"), None);
        assert_eq!(
            safe_join(d, "/etc/passwd"),
            Some(PathBuf::from("/tmp/out/etc/passwd"))
        );
    }

    #[test]
    fn output_paths_are_compared_as_the_file_system_sees_them() {
        assert_eq!(normalize("news//index.html"), "news/index.html");
        assert_eq!(normalize("/news/./index.html"), "news/index.html");
    }
}
