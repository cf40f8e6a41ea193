//! The staging folder a build writes into, the output's lock, and the swap that
//! puts the new output in place (or leaves the previous one whole).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::target::{MARKER, MARKER_TEXT};
use super::{is_generated, link_cached, normalize, outside, safe_join, Body, Output};
use crate::diagnostics::{Code, Diagnostic};

/// Beside the output, while folders of cached files are carried out of it into
/// the new one: their names, one a line, so a build killed before the swap has
/// them put back by the next one.
pub(super) const CARRIED: &str = "carried";

/// A plain folder name of the output's top level (not `.`, `..`, nor a path).
fn is_top_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

pub(super) fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.hearth-{suffix}"))
}

/// Removes a folder (or a file planted where one was expected).
pub(super) fn remove(path: &Path) -> io::Result<()> {
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
    pub(super) out: PathBuf,
    pub(super) dir: PathBuf,
    /// Where the previous output goes while the new one is swapped in.
    pub(super) old: PathBuf,
    /// The site folder: copied files are read through the guarded door below it.
    pub(super) site: PathBuf,
    pub(super) made: Mutex<HashSet<PathBuf>>,
    /// Output path → (what wrote it, whether it was generated rather than copied).
    pub(super) claims: Mutex<HashMap<String, (String, bool)>>,
    /// Files from hearth's cache (cards), placed when the build is swapped in: see
    /// [`Staging::place_cached`]. Output path (normalized) → the cache's file.
    pub(super) cached: Mutex<Vec<(String, PathBuf)>>,
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
        // A build killed after carrying folders of cached files (cards/) out of the
        // output into the new one, before the swap: they go back, so the output is
        // whole again before anything else happens to it.
        let journal = sibling(out, CARRIED);
        if let Ok(text) = fs::read_to_string(&journal) {
            let mut back = 0;
            for top in text.lines().filter(|t| is_top_name(t)) {
                let (from, to) = (dir.join(top), out.join(top));
                if fs::symlink_metadata(&from).is_ok_and(|m| m.is_dir())
                    && fs::symlink_metadata(out).is_ok_and(|m| m.is_dir())
                    && fs::symlink_metadata(&to).is_err()
                    && fs::rename(&from, &to).is_ok()
                {
                    back += 1;
                }
            }
            if back > 0 {
                notices.push(format!(
                    "put {back} folder(s) of cached files back into {} (an interrupted build had moved them)",
                    out.display()
                ));
            }
            let _ = fs::remove_file(&journal);
        }
        remove(&dir).map_err(|e| {
            io::Error::other(format!(
                "cannot remove {}, left by an interrupted build ({e}); delete it by hand",
                dir.display()
            ))
        })?;
        fs::create_dir(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            site: site.to_path_buf(),
            made: Mutex::new(HashSet::new()),
            claims: Mutex::new(HashMap::new()),
            cached: Mutex::new(Vec::new()),
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
        let (cached, outputs): (Vec<&Output>, Vec<&Output>) = outputs
            .iter()
            .partition(|o| matches!(o.body, Body::Cached(_)));
        if let Ok(mut later) = self.cached.lock() {
            for o in cached {
                if let Body::Cached(src) = &o.body {
                    if safe_join(&self.dir, &o.path).is_none() {
                        return Err(StagingError::Io(outside(&o.path)));
                    }
                    later.push((normalize(&o.path), src.clone()));
                }
            }
        }
        self.make_folders(outputs.iter().map(|o| o.path.as_str()))
            .map_err(StagingError::Io)?;
        write_files(&self.site, &self.dir, &outputs).map_err(StagingError::Io)
    }

    /// Makes the folders these output paths go in, each once per build.
    pub(super) fn make_folders<'p>(&self, paths: impl Iterator<Item = &'p str>) -> io::Result<()> {
        let parents: BTreeSet<PathBuf> = paths
            .filter_map(|path| {
                safe_join(&self.dir, path).and_then(|p| p.parent().map(Path::to_path_buf))
            })
            .collect();
        if let Ok(mut made) = self.made.lock() {
            for p in parents {
                if !made.contains(&p) {
                    fs::create_dir_all(&p)?;
                    made.insert(p);
                }
            }
        }
        Ok(())
    }

    /// Swaps the finished folder in for the output. An error means the previous
    /// output is in place as it was; success may carry warnings about leftovers.
    pub fn commit(self) -> io::Result<Vec<String>> {
        let mut notices = self.notices.clone();
        if fs::symlink_metadata(&self.out).is_err() {
            // The first build here: nothing to set aside or carry.
            self.place_cached(&self.old)?;
            fs::rename(&self.dir, &self.out)?;
            return Ok(notices);
        }
        // The previous output is set aside whole before anything is taken from it;
        // only then are its folders of cached files (cards/) carried into the new
        // one. A kill at any point leaves the previous output whole (in place, or
        // set aside and put back, its folders with it, by the next build) or the
        // new one in place.
        fs::rename(&self.out, &self.old)?;
        let (carried, stale) = match self.place_cached(&self.old) {
            Ok(placed) => placed,
            Err(e) => {
                let _ = fs::rename(&self.old, &self.out);
                return Err(e);
            }
        };
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            self.carry_back(&carried, &self.old);
            let _ = fs::rename(&self.old, &self.out);
            let _ = remove(&self.dir);
            return Err(e);
        }
        let _ = fs::remove_file(sibling(&self.out, CARRIED));
        // Cached files this build no longer has (the card of a page deleted) stayed
        // in the carried folder until the swap, so the previous output had them.
        for path in stale {
            if let Ok(rel) = path.strip_prefix(&self.dir) {
                let _ = remove(&self.out.join(rel));
            }
        }
        if let Err(e) = remove(&self.old) {
            notices.push(format!(
                "the new output is in place, but the previous one, moved to {}, could not be removed ({e}); delete it by hand",
                self.old.display()
            ));
        }
        Ok(notices)
    }

    /// Drops the unfinished folder; the previous output stays as it was.
    pub fn abandon(self) {
        let _ = remove(&self.dir);
    }
}

#[derive(Debug)]
pub enum StagingError {
    Site(Vec<Diagnostic>),
    Io(io::Error),
}

/// Writes the outputs under `dir`, whose folders exist. Copied files are read
/// through the guarded door.
fn write_files(site: &Path, dir: &Path, outputs: &[&Output]) -> io::Result<()> {
    outputs.par_iter().try_for_each(|o| {
        let dest = safe_join(dir, &o.path).ok_or_else(|| outside(&o.path))?;
        match &o.body {
            Body::Bytes(b) => fs::write(&dest, b),
            Body::Static(b) => fs::write(&dest, b),
            Body::Copy(src) => crate::site_fs::copy(site, src, &dest),
            Body::Cached(src) => link_cached(src, &dest),
        }
    })
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
}
