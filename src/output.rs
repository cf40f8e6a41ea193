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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};

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

/// Folders of a site that hold sources: the output may not be inside one.
pub const SOURCE_DIRS: &[&str] = &[
    "content",
    "static",
    "templates",
    "themes",
    "members",
    "links",
    "guidelines",
    crate::site_fs::CACHE_DIR,
];

/// The file inside an output folder that says hearth wrote it.
pub const MARKER: &str = ".hearth-output";
const MARKER_TEXT: &str =
    "This folder was written by hearth. The next build replaces it whole: keep nothing else here.\n";

/// Resolves the output folder to an absolute path and refuses dangerous ones: the
/// site, its sources and cache, a `.git` folder, the home folder, `/`, and any folder
/// with files in it that hearth did not write.
pub fn check_target(site_root: &Path, out: &Path) -> Result<PathBuf, String> {
    let site = fs::canonicalize(site_root)
        .map_err(|e| format!("cannot open the site folder {}: {e}", site_root.display()))?;
    let out = absolute(out)?;
    if out == site {
        return Err(format!(
            "the output folder {} is the site itself; building there would delete your sources",
            out.display()
        ));
    }
    if site.starts_with(&out) {
        return Err(format!(
            "the output folder {} contains the site; building there would delete your sources",
            out.display()
        ));
    }
    for dir in SOURCE_DIRS {
        if out.starts_with(site.join(dir)) {
            return Err(format!(
                "the output folder {} is inside the site's {dir}/ folder",
                out.display()
            ));
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return Err(format!(
            "the output folder {} is inside a .git folder; building there would destroy the repository",
            out.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = fs::canonicalize(&home).unwrap_or_else(|_| PathBuf::from(home));
        if home.starts_with(&out) {
            return Err(format!(
                "the output folder {} is your home folder or contains it",
                out.display()
            ));
        }
    }
    if out.file_name().is_none() {
        return Err(format!("{} cannot be an output folder", out.display()));
    }
    if fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; hearth replaces only real folders it wrote",
            out.display()
        ));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        if !owned(&out) {
            return Err(format!(
                "{} has files in it and was not written by hearth (there is no {MARKER} in it); \
                 hearth replaces only empty folders and its own output. Empty or delete it \
                 yourself, or choose another folder",
                out.display()
            ));
        }
    }
    Ok(out)
}

/// Whether hearth may replace an existing folder: it is empty or has the marker.
fn owned(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Makes `p` absolute with its existing part resolved through symlinks, so the checks
/// above compare real locations.
fn absolute(p: &Path) -> Result<PathBuf, String> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current folder: {e}"))?
            .join(p)
    };
    // Resolve the longest existing ancestor, then re-apply the missing tail.
    let mut existing = p.as_path();
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            // The output itself is resolved only up to its parent: a link named as
            // the output is refused above, not silently replaced by its target.
            let mut out = if tail.is_empty() && existing.file_name().is_some() {
                let parent = existing.parent().map(fs::canonicalize);
                match (parent, existing.file_name()) {
                    (Some(Ok(parent)), Some(name)) => parent.join(name),
                    _ => real,
                }
            } else {
                real
            };
            for part in tail.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return Ok(out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_owned());
                existing = parent;
            }
            _ => return Ok(p),
        }
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.hearth-{suffix}"))
}

/// Removes a folder (or a file planted where one was expected).
fn remove(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            if let Some(dir) = pinned_dir(path, &m) {
                remove_entries_in_parallel(&dir)?;
            }
            // What is left (all of it where the folder could not be pinned) goes the
            // standard library's way, which never follows a symlink.
            fs::remove_dir_all(path)
        }
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The folder at `path` reached through an open handle (`/proc/self/fd/N`), so
/// that what is removed below it is inside that very folder even if `path` were
/// swapped for a symlink meanwhile; None where that cannot be had (no `/proc`, or
/// `path` is no longer the folder `seen` described).
#[cfg(target_os = "linux")]
fn pinned_dir(path: &Path, seen: &fs::Metadata) -> Option<PinnedDir> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let handle = fs::File::open(path).ok()?;
    let now = handle.metadata().ok()?;
    if !now.is_dir() || now.dev() != seen.dev() || now.ino() != seen.ino() {
        return None;
    }
    let via = PathBuf::from(format!("/proc/self/fd/{}", handle.as_raw_fd()));
    fs::symlink_metadata(&via).ok()?;
    Some(PinnedDir {
        path: via,
        _handle: handle,
    })
}

#[cfg(not(target_os = "linux"))]
fn pinned_dir(_: &Path, _: &fs::Metadata) -> Option<PinnedDir> {
    None
}

/// A folder held open, and the path that reaches it through the handle.
struct PinnedDir {
    path: PathBuf,
    _handle: fs::File,
}

/// Removes the folder's entries, several at a time: removing the previous output
/// is a fifth of a rebuild of a big site (20,000 files at 10,000 pages), and one
/// thread spends it waiting on the file system. Each entry goes by `remove_dir_all`,
/// which removes a symlink itself, never what it points to.
fn remove_entries_in_parallel(dir: &PinnedDir) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(&dir.path)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let removed = match entry.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(entry.path()),
            _ => fs::remove_file(entry.path()),
        };
        match removed {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    })
}

/// Holds the output's lock file: while it lives no other hearth writes this output.
/// The file is deleted when the build ends, so nothing is left beside the output.
pub struct OutputLock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Deleted while still locked: a build waiting on this file sees, once it gets
        // the lock, that the file is gone, and takes a fresh one (see `lock`).
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `file` is still the file at `path` (not deleted or replaced meanwhile).
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Takes the output's lock, waiting (and saying so) while another build holds it.
pub fn lock(out: &Path) -> io::Result<OutputLock> {
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)?;
    }
    let path = sibling(out, "lock");
    let mut said = false;
    loop {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        if let Err(fs::TryLockError::WouldBlock) = file.try_lock() {
            if !said {
                eprintln!(
                    "Waiting for another build that is writing {}…",
                    out.display()
                );
                said = true;
            }
            file.lock()?;
        }
        if same_file(&file, &path) {
            return Ok(OutputLock { file, path });
        }
    }
}

/// A build in progress: outputs are written into a fresh folder beside the output
/// as they are rendered (so a big site never sits in memory whole), and the folder is
/// swapped in only when everything succeeded.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the previous output goes while the new one is swapped in.
    old: PathBuf,
    /// The site folder: copied files are read through the guarded door below it.
    site: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    /// Output path → (what wrote it, whether it was generated rather than copied).
    claims: Mutex<HashMap<String, (String, bool)>>,
    /// What the build should tell the user about leftovers it found and dealt with.
    pub notices: Vec<String>,
    _lock: OutputLock,
}

impl Staging {
    /// Starts a build of `out` (already checked by [`check_target`]), holding its
    /// lock, after finishing or clearing what an interrupted build left behind.
    pub fn new(out: &Path, site: &Path) -> io::Result<Staging> {
        let lock = lock(out)?;
        let dir = sibling(out, "new");
        let mut old = sibling(out, "old");
        let mut notices = Vec::new();
        remove(&dir).map_err(|e| {
            io::Error::other(format!(
                "cannot remove {}, left by an interrupted build ({e}); delete it by hand",
                dir.display()
            ))
        })?;
        if fs::symlink_metadata(&old).is_ok() {
            if fs::symlink_metadata(out).is_err() {
                // The last build died between its two renames: put the output back.
                fs::rename(&old, out)?;
                notices.push(format!(
                    "restored the previous output into {} (an interrupted build had moved it aside)",
                    out.display()
                ));
            } else if let Err(e) = remove(&old) {
                let stuck = old.clone();
                old = (1..)
                    .map(|n| sibling(out, &format!("old-{n}")))
                    .find(|p| fs::symlink_metadata(p).is_err())
                    .unwrap_or_else(|| sibling(out, "old-x"));
                notices.push(format!(
                    "{} (the output before last) could not be removed ({e}); delete it by hand",
                    stuck.display()
                ));
            }
        }
        fs::create_dir(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            site: site.to_path_buf(),
            made: Mutex::new(HashSet::new()),
            claims: Mutex::new(HashMap::new()),
            notices,
            _lock: lock,
        })
    }

    /// Writes a batch. Two sources for one path are an error naming both, except
    /// that a copied file (static, theme) may replace another copied file: later wins.
    pub fn write(&self, outputs: &[Output]) -> Result<(), StagingError> {
        let mut problems = Vec::new();
        if let Ok(mut claims) = self.claims.lock() {
            for o in outputs {
                let generated = is_generated(&o.body);
                let key = normalize(&o.path);
                if let Some((origin, was_generated)) = claims.get(&key) {
                    if generated || *was_generated {
                        problems.push(
                            Diagnostic::error(
                                Code::DuplicateUrl,
                                format!("{origin} and {} both want to write /{key}", o.origin),
                            )
                            .with_help("rename or move one of them"),
                        );
                        continue;
                    }
                }
                claims.insert(key, (o.origin.clone(), generated));
            }
        }
        if !problems.is_empty() {
            return Err(StagingError::Site(problems));
        }
        let parents: BTreeSet<PathBuf> = outputs
            .iter()
            .filter_map(|o| {
                safe_join(&self.dir, &o.path).and_then(|p| p.parent().map(Path::to_path_buf))
            })
            .collect();
        if let Ok(mut made) = self.made.lock() {
            for p in parents {
                if !made.contains(&p) {
                    fs::create_dir_all(&p).map_err(StagingError::Io)?;
                    made.insert(p);
                }
            }
        }
        write_files(&self.site, &self.dir, outputs).map_err(StagingError::Io)
    }

    /// Swaps the finished folder in for the output. An error means the previous
    /// output is in place as it was; success may carry warnings about leftovers.
    pub fn commit(self) -> io::Result<Vec<String>> {
        let mut notices = self.notices.clone();
        if fs::symlink_metadata(&self.out).is_ok() {
            fs::rename(&self.out, &self.old)?;
            if let Err(e) = fs::rename(&self.dir, &self.out) {
                let _ = fs::rename(&self.old, &self.out);
                let _ = remove(&self.dir);
                return Err(e);
            }
            if let Err(e) = remove(&self.old) {
                notices.push(format!(
                    "the new output is in place, but the previous one, moved to {}, could not be removed ({e}); delete it by hand",
                    self.old.display()
                ));
            }
        } else {
            fs::rename(&self.dir, &self.out)?;
        }
        Ok(notices)
    }

    /// Drops the unfinished folder; the previous output stays as it was.
    pub fn abandon(self) {
        let _ = remove(&self.dir);
    }
}

/// An output path as the file system sees it: `news//index.html` and
/// `news/index.html` are one file.
fn normalize(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug)]
pub enum StagingError {
    Site(Vec<Diagnostic>),
    Io(io::Error),
}

/// Writes the outputs under `dir`, whose folders exist. Copied files are read
/// through the guarded door; cached ones are linked (see [`Body::Cached`]).
fn write_files(site: &Path, dir: &Path, outputs: &[Output]) -> io::Result<()> {
    outputs.par_iter().try_for_each(|o| {
        let Some(dest) = safe_join(dir, &o.path) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", o.path),
            ));
        };
        match &o.body {
            Body::Bytes(b) => fs::write(&dest, b),
            Body::Static(b) => fs::write(&dest, b),
            Body::Copy(src) => crate::site_fs::copy(site, src, &dest),
            Body::Cached(src) if crate::site_fs::cache_has(src) => link_or_copy(src, &dest),
            Body::Cached(src) => Err(io::Error::other(format!(
                "the cached file {} vanished or is not a plain file",
                src.display()
            ))),
        }
    })
}

/// A hard link where the file system allows one (another device, or none of them),
/// else a copy. Never over an existing file: a copy onto a link would write into
/// the cache.
fn link_or_copy(src: &Path, dest: &Path) -> io::Result<()> {
    match fs::hard_link(src, dest) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => fs::copy(src, dest).map(|_| ()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous output goes whole, symlinks inside it with it, and nothing
    /// they point to.
    #[cfg(unix)]
    #[test]
    fn removing_a_folder_removes_links_not_their_targets() {
        let root = tempfile::tempdir().unwrap();
        let outside = root.path().join("outside");
        fs::create_dir_all(outside.join("keep")).unwrap();
        fs::write(outside.join("keep/file.txt"), "keep").unwrap();
        let old = root.path().join("old");
        for dir in ["a/b/c", "cards/news", "empty"] {
            fs::create_dir_all(old.join(dir)).unwrap();
        }
        for (i, file) in ["a/1.html", "a/b/c/2.html", "cards/news/x.png", "top.txt"]
            .iter()
            .enumerate()
        {
            fs::write(old.join(file), i.to_string()).unwrap();
        }
        std::os::unix::fs::symlink(&outside, old.join("link-dir")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep/file.txt"), old.join("a/link-file")).unwrap();
        #[cfg(target_os = "linux")]
        assert!(
            pinned_dir(&old, &fs::symlink_metadata(&old).unwrap()).is_some(),
            "on Linux the entries go in parallel, through the held folder"
        );
        remove(&old).unwrap();
        assert!(fs::symlink_metadata(&old).is_err(), "the folder is gone");
        assert_eq!(
            fs::read_to_string(outside.join("keep/file.txt")).unwrap(),
            "keep"
        );
        remove(&old).unwrap();
        let file = root.path().join("planted");
        fs::write(&file, "x").unwrap();
        remove(&file).unwrap();
        assert!(!file.exists());
    }

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

    #[test]
    fn the_site_itself_and_its_parents_are_refused() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path(), site.path().parent().unwrap()).is_err());
        assert!(check_target(site.path(), &site.path().join("content/out")).is_err());
        assert!(check_target(site.path(), &site.path().join("public")).is_ok());
    }
}
