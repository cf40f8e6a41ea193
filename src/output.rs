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

/// Beside the output, while folders of cached files are carried out of it into
/// the new one: their names, one a line, so a build killed before the swap has
/// them put back by the next one.
const CARRIED: &str = "carried";

/// A plain folder name of the output's top level (not `.`, `..`, nor a path).
fn is_top_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

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

/// Writes a file a command was asked for with `-o` (`report -o`), with the output
/// folder's guards: never through a symbolic link, never onto anything but a plain
/// file (a FIFO would hang the command, a folder is not a file), never onto the
/// site's configuration or into its sources or cache, and atomically (a temporary
/// file beside it, renamed into place), so an interrupted write leaves the old file.
pub fn write_requested_file(site_root: &Path, file: &Path, bytes: &[u8]) -> Result<(), String> {
    let shown = file.display();
    if let Ok(meta) = fs::symlink_metadata(file) {
        if meta.file_type().is_symlink() {
            return Err(format!(
                "{shown} is a symbolic link; hearth writes only plain files"
            ));
        }
        if !meta.is_file() {
            return Err(format!("{shown} exists and is not a plain file"));
        }
    }
    let target = absolute(file)?;
    let Some(name) = target.file_name().map(|n| n.to_os_string()) else {
        return Err(format!("{shown} is not a file name"));
    };
    if let Ok(site) = fs::canonicalize(site_root) {
        if let Ok(inside) = target.strip_prefix(&site) {
            let first = inside.components().next().map(|c| c.as_os_str());
            let config = inside.components().count() == 1
                && name.to_str().is_some_and(|n| n.starts_with("site."));
            if config || first.is_some_and(|f| SOURCE_DIRS.iter().any(|d| f == *d)) {
                return Err(format!(
                    "{shown} is one of the site's own files; write the report outside its sources"
                ));
            }
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(&name);
    tmp_name.push(format!(".hearth-tmp{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {shown}: {e}"));
    }
    Ok(())
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
    /// Files from hearth's cache (cards), placed when the build is swapped in: see
    /// [`Staging::place_cached`]. Output path (normalized) → the cache's file.
    cached: Mutex<Vec<(String, PathBuf)>>,
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
    fn make_folders<'p>(&self, paths: impl Iterator<Item = &'p str>) -> io::Result<()> {
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

    /// Puts the cache's files (cards) into the new output, as hard links (copies
    /// where the cache is on another file system).
    ///
    /// Linking 10,000 cards into the new output and unlinking them from the old one
    /// was a tenth of the CPU of a warm build with cards. Most cards are the same as
    /// last time, and the previous output, about to be deleted, holds links to
    /// them already: its folder of cards (`cards/`) is moved into the new output
    /// with one rename, and only what differs is mended. A file in it stays when it
    /// is the very file (inode) of the cache the new output wants at that path;
    /// anything else (a card drawn again, one that is no longer made, a file
    /// someone added, a link) is removed, without following links, and the missing
    /// ones linked. Returns the folders carried over, which go back to the previous
    /// output if the swap fails.
    fn place_cached(&self, from: &Path) -> io::Result<(Vec<String>, Vec<PathBuf>)> {
        let cached = self
            .cached
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default();
        let carried = self.carry_folders(from, &cached);
        let mut kept = HashSet::new();
        let mut stale = Vec::new();
        if !carried.is_empty() {
            let dirs: HashSet<&str> = cached.iter().flat_map(|(p, _)| ancestors(p)).collect();
            // Reading the cache's folder and the carried ones, side by side.
            let (wanted, found) = rayon::join(
                || cache_inodes(&cached),
                || {
                    carried
                        .par_iter()
                        .map(|top| walk(&self.dir, top, &dirs))
                        .collect::<io::Result<Vec<_>>>()
                },
            );
            let mended = found.and_then(|found| {
                let gone: Vec<PathBuf> = found
                    .into_iter()
                    .flatten()
                    .filter_map(|entry| match entry {
                        Found::File(rel, ino, path) => match wanted.get_key_value(rel.as_str()) {
                            Some((&rel, &want)) if want == ino => {
                                kept.insert(rel);
                                None
                            }
                            // Another file where this build's goes: replaced now.
                            Some(_) => Some(path),
                            // A file this build does not have: removed after the swap.
                            None => {
                                stale.push(path);
                                None
                            }
                        },
                        // Links and anything else: never published.
                        Found::Other(path) => Some(path),
                    })
                    .collect();
                gone.par_iter().try_for_each(|path| remove(path))
            });
            if let Err(e) = mended {
                self.carry_back(&carried, from);
                return Err(e);
            }
        }
        let missing: Vec<&(String, PathBuf)> = cached
            .iter()
            .filter(|(path, _)| !kept.contains(path.as_str()))
            .collect();
        let linked = self
            .make_folders(missing.iter().map(|(path, _)| path.as_str()))
            .and_then(|()| {
                missing.par_iter().try_for_each(|(path, src)| {
                    let dest = safe_join(&self.dir, path).ok_or_else(|| outside(path))?;
                    link_cached(src, &dest)
                })
            });
        if let Err(e) = linked {
            self.carry_back(&carried, from);
            return Err(e);
        }
        Ok((carried, stale))
    }

    /// Moves the previous output's (set aside at `from`) top folders of cached
    /// files into the new output, where the new output has nothing else in them yet
    /// (no folder of that name) and the cache shares their file system: an inode
    /// says which file it is only there.
    #[cfg(unix)]
    fn carry_folders(&self, from: &Path, cached: &[(String, PathBuf)]) -> Vec<String> {
        use std::os::unix::fs::MetadataExt;
        let Ok(out) = fs::symlink_metadata(from) else {
            return Vec::new();
        };
        let tops: BTreeSet<&str> = cached
            .iter()
            .filter_map(|(p, _)| p.split_once('/').map(|(top, _)| top))
            .collect();
        // Keyed by the folder's bytes: hashing a `Path` parses its components.
        let sources: HashSet<&std::ffi::OsStr> = cached
            .iter()
            .filter_map(|(_, s)| s.parent().map(Path::as_os_str))
            .collect();
        let same_device = sources
            .iter()
            .all(|dir| fs::symlink_metadata(dir).is_ok_and(|m| m.dev() == out.dev()));
        if !same_device {
            return Vec::new();
        }
        // Written (and synced) before anything moves: see `CARRIED`.
        let journal = sibling(&self.out, CARRIED);
        let names: String = tops.iter().map(|t| format!("{t}\n")).collect();
        let written = fs::File::create(&journal).and_then(|mut f| {
            io::Write::write_all(&mut f, names.as_bytes())?;
            f.sync_all()
        });
        if written.is_err() {
            let _ = fs::remove_file(&journal);
            return Vec::new();
        }
        tops.into_iter()
            .filter(|top| {
                let (source, to) = (from.join(top), self.dir.join(top));
                fs::symlink_metadata(&source).is_ok_and(|m| m.is_dir() && m.dev() == out.dev())
                    && fs::symlink_metadata(&to).is_err()
                    && fs::rename(&source, &to).is_ok()
            })
            .map(str::to_string)
            .collect()
    }

    #[cfg(not(unix))]
    fn carry_folders(&self, _: &Path, _: &[(String, PathBuf)]) -> Vec<String> {
        Vec::new()
    }

    /// Returns carried folders to the previous output, at `to` (the build did not
    /// go in).
    fn carry_back(&self, carried: &[String], to: &Path) {
        for top in carried {
            let _ = fs::rename(self.dir.join(top), to.join(top));
        }
        let _ = fs::remove_file(sibling(&self.out, CARRIED));
    }
}

/// Output path → the inode of the cache file it should be, each cache folder read
/// once (`readdir` names the inodes; nothing is opened or stat-ed).
#[cfg(unix)]
fn cache_inodes(cached: &[(String, PathBuf)]) -> HashMap<&str, u64> {
    use std::os::unix::fs::DirEntryExt;
    // Keyed by the folder's bytes: hashing a `Path` parses its components.
    let mut by_dir: HashMap<&std::ffi::OsStr, HashMap<std::ffi::OsString, u64>> = HashMap::new();
    let mut wanted = HashMap::with_capacity(cached.len());
    for (path, src) in cached {
        let (Some(dir), Some(name)) = (src.parent(), src.file_name()) else {
            continue;
        };
        let inodes = by_dir.entry(dir.as_os_str()).or_insert_with(|| {
            fs::read_dir(dir)
                .map(|d| d.flatten().map(|e| (e.file_name(), e.ino())).collect())
                .unwrap_or_default()
        });
        if let Some(&ino) = inodes.get(name) {
            wanted.insert(path.as_str(), ino);
        }
    }
    wanted
}

#[cfg(not(unix))]
fn cache_inodes(_: &[(String, PathBuf)]) -> HashMap<&str, u64> {
    HashMap::new()
}

/// The folders a path is in: "cards/news/a.png" → "cards", "cards/news".
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(i, _)| &path[..i])
}

/// What a carried folder holds.
enum Found {
    /// A plain file: its output path, inode and place.
    File(String, u64, PathBuf),
    /// Anything else that is not a folder on the way to a wanted file: a link, a
    /// folder no file is wanted in, a name that is not UTF-8.
    Other(PathBuf),
}

/// Lists a carried folder (`rel` under `root`), going into the folders on the way
/// to wanted files (`dirs`) and into nothing else; subfolders side by side.
#[cfg(unix)]
fn walk(root: &Path, rel: &str, dirs: &HashSet<&str>) -> io::Result<Vec<Found>> {
    use std::os::unix::fs::DirEntryExt;
    let mut found = Vec::new();
    let mut deeper = Vec::new();
    for entry in fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let child = entry
            .file_name()
            .to_str()
            .map(|name| format!("{rel}/{name}"));
        match child {
            Some(c) if kind.is_dir() && dirs.contains(c.as_str()) => deeper.push(c),
            Some(c) if kind.is_file() => found.push(Found::File(c, entry.ino(), entry.path())),
            _ => found.push(Found::Other(entry.path())),
        }
    }
    let below = deeper
        .par_iter()
        .map(|c| walk(root, c, dirs))
        .collect::<io::Result<Vec<_>>>()?;
    found.extend(below.into_iter().flatten());
    Ok(found)
}

#[cfg(not(unix))]
fn walk(_: &Path, _: &str, _: &HashSet<&str>) -> io::Result<Vec<Found>> {
    Ok(Vec::new())
}

fn outside(path: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing to write outside the output folder: {path}"),
    )
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

/// Links a file of hearth's cache into the output: only a plain file (see
/// [`Body::Cached`]).
fn link_cached(src: &Path, dest: &Path) -> io::Result<()> {
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

    /// A warm build moves the previous output's cards over instead of linking them
    /// again, and the result is what linking every card would give: the cache's
    /// very files, nothing someone left there, no links, nothing outside touched.
    #[cfg(unix)]
    #[test]
    fn cards_are_carried_over_and_only_what_differs_is_mended() {
        use std::os::unix::fs::MetadataExt;
        let root = tempfile::tempdir().unwrap();
        let (site, cache) = (root.path().join("site"), root.path().join("cache"));
        fs::create_dir_all(&site).unwrap();
        fs::create_dir_all(&cache).unwrap();
        for name in ["a", "b", "c", "d"] {
            fs::write(cache.join(format!("{name}.png")), name).unwrap();
        }
        let outside = root.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let out = root.path().join("public");
        let build = |cards: &[(&str, &str)]| {
            let staging = Staging::new(&out, &site).unwrap();
            let page = Output {
                path: "index.html".into(),
                body: Body::Bytes("home".into()),
                origin: "home".into(),
            };
            let cards: Vec<Output> = cards
                .iter()
                .map(|(path, src)| Output {
                    path: path.to_string(),
                    body: Body::Cached(cache.join(format!("{src}.png"))),
                    origin: format!("card {path}"),
                })
                .collect();
            staging.write(&[page]).unwrap();
            staging.write(&cards).unwrap();
            staging.commit().unwrap();
        };
        let meta = |p: &Path| fs::symlink_metadata(p).unwrap();
        build(&[
            ("cards/one.png", "a"),
            ("cards/news/two.png", "b"),
            ("cards/gone.png", "c"),
        ]);
        let a_changed = meta(&cache.join("a.png")).ctime_nsec();
        // What a person or a tool left in the output, and a build whose cards differ.
        fs::write(out.join("cards/stray.txt"), "x").unwrap();
        fs::create_dir(out.join("cards/stray")).unwrap();
        std::os::unix::fs::symlink(root.path(), out.join("cards/news/link")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("cards/linked.png")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        build(&[
            ("cards/one.png", "a"),
            ("cards/news/two.png", "d"),
            ("cards/linked.png", "c"),
            ("cards/new/three.png", "b"),
        ]);
        let mut listing: Vec<String> = walkdir::WalkDir::new(out.join("cards"))
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                assert!(!e.path_is_symlink(), "{}", e.path().display());
                e.path().strip_prefix(&out).unwrap().display().to_string()
            })
            .collect();
        listing.sort();
        assert_eq!(
            listing,
            [
                "cards/linked.png",
                "cards/new",
                "cards/new/three.png",
                "cards/news",
                "cards/news/two.png",
                "cards/one.png"
            ]
        );
        for (path, src) in [
            ("cards/one.png", "a"),
            ("cards/news/two.png", "d"),
            ("cards/linked.png", "c"),
            ("cards/new/three.png", "b"),
        ] {
            assert_eq!(
                meta(&out.join(path)).ino(),
                meta(&cache.join(format!("{src}.png"))).ino(),
                "{path}"
            );
        }
        assert_eq!(
            meta(&cache.join("a.png")).nlink(),
            2,
            "the cache's and the output's"
        );
        assert_eq!(
            meta(&cache.join("a.png")).ctime_nsec(),
            a_changed,
            "a card that stayed was neither linked nor unlinked: it was carried over"
        );
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        let left: Vec<_> = root
            .path()
            .read_dir()
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 4, "site, cache, outside, public: {left:?}");
    }

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
