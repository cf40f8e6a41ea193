//! The one guarded door to the file system: every read of a user's file and every
//! read and write of `.hearth-cache` goes through here.
//!
//! Sites arrive by pull request from strangers and are built in CI next to secrets,
//! so a file in the site may be a symbolic link to `/proc/self/environ` or
//! `~/.ssh/id_ed25519`. This module resolves every path before it is read and refuses
//! any that leads out of the site folder, naming the link, never showing what it
//! points at. Links that stay inside the site are followed, as Zola and Hugo do.
//!
//! The cache is hearth's own, so it is stricter: no link at all, anywhere in it. Cache
//! files are written to a temp file created fresh (never through an existing name)
//! and renamed into place, which replaces a planted link instead of following it.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::diagnostics::{Code, Diagnostic};

/// The folder inside a site where hearth keeps what it may reuse between builds.
pub const CACHE_DIR: &str = ".hearth-cache";

/// Text files bigger than this are refused: no page, profile or links file is this
/// long, and parsing and rendering one holds many times its size in memory.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// The path as the user should read it: relative to the site folder when inside it.
pub fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Resolves `path` through any links and returns where it really is, or an error
/// naming the first link on the way that leads out of the site folder. A path that
/// does not exist is returned as it is (reading it then fails normally).
pub fn resolve(root: &Path, path: &Path) -> Result<PathBuf, Diagnostic> {
    // The common case, cheaply: a path below the site with no link on the way needs
    // one `lstat` per part below the site, not a full `canonicalize` of both paths.
    if let Ok(rel) = path.strip_prefix(root) {
        if rel.components().all(|c| matches!(c, Component::Normal(_))) {
            let mut at = root.to_path_buf();
            let mut linked = false;
            for part in rel.components() {
                at.push(part);
                match fs::symlink_metadata(&at) {
                    Ok(m) if m.file_type().is_symlink() => {
                        linked = true;
                        break;
                    }
                    Ok(_) => {}
                    Err(_) => return Ok(path.to_path_buf()),
                }
            }
            if !linked {
                return Ok(path.to_path_buf());
            }
        }
    }
    let real = match fs::canonicalize(path) {
        Ok(p) => p,
        // A dangling link is refused too: it may be made to point anywhere later.
        Err(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(refusal(root, path));
        }
        Err(_) => return Ok(path.to_path_buf()),
    };
    let site = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&site) {
        Ok(real)
    } else {
        Err(refusal(root, path))
    }
}

/// Opens a file below the site that has no symbolic link anywhere on its path, in
/// one call: Linux's `openat2` with `RESOLVE_NO_SYMLINKS`, which refuses a link in
/// any part of the path at the moment of opening. That is [`resolve`]'s common case
/// (one `lstat` per part, then an open) without the gap between checking and
/// opening, and one system call instead of four for each of a big site's 10,000
/// sources. `None` whenever it cannot say (a link on the way, a missing file, a
/// kernel before 5.6 or a sandbox without the call): the caller then takes
/// `resolve`, which gives the same answers and errors as always.
#[cfg(target_os = "linux")]
fn open_linkless(root: &Path, path: &Path) -> Option<fs::File> {
    use rustix::fs::{Mode, OFlags, ResolveFlags, CWD};
    let rel = path.strip_prefix(root).ok()?;
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    rustix::fs::openat2(
        CWD,
        path,
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::NO_SYMLINKS,
    )
    .ok()
    .map(fs::File::from)
}

#[cfg(not(target_os = "linux"))]
fn open_linkless(_: &Path, _: &Path) -> Option<fs::File> {
    None
}

/// The diagnostic for a link out of the site, at the first link on the path.
fn refusal(root: &Path, path: &Path) -> Diagnostic {
    let rel = shown(root, path);
    let mut at = root.to_path_buf();
    let mut link = rel.clone();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            link = shown(root, &at);
            break;
        }
    }
    Diagnostic::error(
        Code::Symlink,
        "this is a symbolic link that leads outside the site folder; hearth does not follow it",
    )
    .in_file(link)
    .with_help("copy the file into the site instead of linking to it")
}

/// What a read of a user's file that failed says, at the file.
fn cannot_read(root: &Path, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("cannot read this file: {e}")).in_file(shown(root, path))
}

/// Reads a user's file through the door.
pub fn read(root: &Path, path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let real = resolve(root, path)?;
    fs::read(real).map_err(|e| cannot_read(root, path, e))
}

/// The BLAKE3 hash of a user's file, read through the door in pieces: a video or
/// a big PDF beside a page is hashed without being held in memory.
pub fn hash(root: &Path, path: &Path) -> Result<blake3::Hash, Diagnostic> {
    let real = resolve(root, path)?;
    let cannot = |e| cannot_read(root, path, e);
    let file = fs::File::open(real).map_err(cannot)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file).map_err(cannot)?;
    Ok(hasher.finalize())
}

/// Reads a user's text file through the door, refusing one over [`MAX_TEXT_BYTES`]
/// before reading it.
pub fn read_text_bytes(root: &Path, path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |e| cannot_read(root, path, e);
    let mut file = match open_linkless(root, path) {
        Some(file) => file,
        None => fs::File::open(resolve(root, path)?).map_err(cannot)?,
    };
    let len = file.metadata().map_err(cannot)?.len();
    {
        if len > MAX_TEXT_BYTES {
            return Err(Diagnostic::error(
                Code::TooBig,
                format!(
                    "this file is {} MB; hearth reads text files of at most {} MB",
                    len / (1024 * 1024),
                    MAX_TEXT_BYTES / (1024 * 1024)
                ),
            )
            .in_file(shown(root, path))
            .with_help("split it into several pages"));
        }
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// Whether `path` is a file that may be read: `Ok(false)` when nothing is there, an
/// error when it is a link out of the site.
pub fn is_file(root: &Path, path: &Path) -> Result<bool, Diagnostic> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(false);
    }
    let real = resolve(root, path)?;
    Ok(real.is_file())
}

/// Copies a user's file into the output through the door.
pub fn copy(root: &Path, from: &Path, to: &Path) -> io::Result<()> {
    let real = resolve(root, from).map_err(|d| io::Error::other(d.message))?;
    fs::copy(real, to).map(|_| ())
}

/// Writes a source file for `hearth init` and `hearth new`: never through a link
/// (a planted `members/ada.md -> ~/.bashrc` would otherwise be written), never
/// outside the site, and, unless `replace`, never over an existing file.
pub fn write_source(root: &Path, path: &Path, text: &str, replace: bool) -> Result<(), String> {
    let shown = shown(root, path);
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{} is a symbolic link; hearth writes only plain files",
                shown.display()
            ))
        }
        Ok(_) if !replace => {
            return Err(format!(
                "{} already exists; hearth new never overwrites a file",
                shown.display()
            ))
        }
        _ => {}
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        resolve(root, parent).map_err(|d| format!("{}: {}", shown.display(), d.message))?;
    }
    let tmp = path.with_extension(format!("hearth-tmp{}", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", shown.display()));
    }
    Ok(())
}

/// What [`walk`] found under a folder: files and folders in name order, links into
/// the site followed, links out refused.
#[derive(Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    /// Folders, the walked folder itself first.
    pub dirs: Vec<PathBuf>,
}

/// Walks a user's folder, skipping dot-files and editor droppings. A link out of the
/// site, a link loop or an unreadable entry is a diagnostic, and nothing under it is
/// listed.
pub fn walk(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Walked {
    let mut found = Walked::default();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| shown(root, p)).unwrap_or_default();
                let msg = if e.loop_ancestor().is_some() {
                    "this symlink points back into a folder that contains it (a loop); hearth does not follow it".to_string()
                } else {
                    format!("cannot read this: {e}")
                };
                problems.push(Diagnostic::error(Code::Io, msg).in_file(path).with_help(
                    "remove the symlink, or point it at a folder that does not contain it",
                ));
                continue;
            }
        };
        if entry.depth() > 0 && is_ignored(&entry.file_name().to_string_lossy()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() || entry.depth() == 0 {
            if let Err(d) = resolve(root, entry.path()) {
                problems.push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_dir() {
            found.dirs.push(entry.into_path());
        } else if entry.file_type().is_file() {
            found.files.push(entry.into_path());
        }
    }
    found
}

/// The files directly in `dir` whose extension is one of `exts`, sorted, dot-files
/// and editor droppings left out. A missing folder has none; a link out is an error.
pub fn list_files(
    root: &Path,
    dir: &Path,
    exts: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    if fs::symlink_metadata(dir).is_err() {
        return Vec::new();
    }
    if let Err(d) = resolve(root, dir) {
        problems.push(d);
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name)
            || !path
                .extension()
                .is_some_and(|e| exts.iter().any(|x| e == *x))
        {
            continue;
        }
        match is_file(root, &path) {
            Ok(true) => files.push(path),
            Ok(false) => {}
            Err(d) => problems.push(d),
        }
    }
    files.sort();
    files
}

/// Skips dot-files and editor droppings (`.git`, `.DS_Store`, `foo.md~`, `#foo#`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// A folder of the cache (`.hearth-cache/NAME`), made when missing. Refused when the
/// cache or the folder is a link or not a folder: hearth would otherwise write its
/// files wherever the link points.
pub fn cache_dir(root: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let top = root.join(CACHE_DIR);
    let dir = if name.is_empty() {
        top.clone()
    } else {
        top.join(name)
    };
    for path in [&top, &dir] {
        match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_dir() => {}
            Ok(_) => {
                return Err(Diagnostic::error(
                    Code::Cache,
                    "hearth's cache folder is a link or a file; hearth does not write through it",
                )
                .in_file(shown(root, path))
                .with_help(format!(
                    "delete {} (hearth makes it again)",
                    shown(root, path).display()
                )));
            }
            Err(_) => fs::create_dir_all(path).map_err(|e| {
                Diagnostic::error(Code::Cache, format!("cannot make the cache folder: {e}"))
                    .in_file(shown(root, path))
            })?,
        }
    }
    Ok(dir)
}

/// Whether a cache entry is a plain file that may be used: a planted link is not.
pub fn cache_has(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Removes a cache entry that went bad; failing to is harmless (it is checked again).
pub fn cache_remove(path: &Path) {
    if cache_has(path) {
        let _ = fs::remove_file(path);
    }
}

/// Reads a cache entry; a link or anything unreadable reads as absent.
pub fn cache_read(path: &Path) -> Option<Vec<u8>> {
    let meta = fs::symlink_metadata(path).ok()?;
    // A restored cache is untrusted: a file too big to be one of hearth's (a 64 GiB
    // sparse file costs no disk) is a miss, not an allocation.
    if !meta.file_type().is_file() || meta.len() > CACHE_READ_MAX {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(CACHE_READ_MAX)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// The most of a cache file read whole into memory (the highlight cache, cards'
/// stamps, external link answers): far above what 100,000 pages make.
pub const CACHE_READ_MAX: u64 = 1 << 30;

/// [`cache_write`] of bytes made as they are written (a cache too big to build
/// in memory first), through a buffer.
pub fn cache_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|f| {
            let mut out = io::BufWriter::with_capacity(1 << 20, f);
            write(&mut out)?;
            out.flush()
        })
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes a cache entry: a fresh temp file in the same folder (`create_new` never
/// opens an existing name, so never follows a planted link), renamed over the entry.
/// A failed write (a full disk) leaves no temp file behind.
pub fn cache_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Temp files older than this in a cache folder belong to a build that died.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// Removes temp files that an interrupted build left in a cache folder, and
/// returns the names of the plain files that stay (links and folders left out):
/// one pass over a folder of ten thousand cards.
pub fn cache_sweep(dir: &Path) -> Vec<String> {
    let now = SystemTime::now();
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let is_temp = name
            .rsplit_once(".tmp")
            .is_some_and(|(_, pid)| pid.chars().all(|c| c.is_ascii_digit()));
        if !is_temp {
            names.push(name);
            continue;
        }
        // Only a temp file's age is asked for.
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_link_out_of_the_site_is_refused_and_named() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "api_key: hunter2").unwrap();
        fs::create_dir(site.path().join("links")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            site.path().join("links/x.yaml"),
        )
        .unwrap();
        let err = read(site.path(), &site.path().join("links/x.yaml")).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("links/x.yaml")));
        assert!(!format!("{err:?}").contains("hunter2"));
    }

    #[test]
    fn a_linked_folder_is_named_as_the_link() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), site.path().join("members")).unwrap();
        let err = read(site.path(), &site.path().join("members/a.md")).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("members")));
        let mut problems = Vec::new();
        let found = walk(site.path(), &site.path().join("members"), &mut problems);
        assert!(found.files.is_empty());
        assert_eq!(problems.len(), 1);
    }

    /// Sources are opened in one call when no link is on their path; any link
    /// sends them the long way, which refuses links out and follows links in.
    #[test]
    fn text_sources_take_the_short_way_only_without_links() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        // Real path: a link above the temp folder would send everything the long way.
        let root = &fs::canonicalize(site.path()).unwrap();
        fs::write(outside.path().join("secret.md"), "hunter2").unwrap();
        fs::create_dir_all(root.join("content/news")).unwrap();
        fs::write(root.join("content/news/a.md"), "plain").unwrap();
        std::os::unix::fs::symlink(root.join("content/news"), root.join("content/alias")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/out")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            root.join("content/news/b.md"),
        )
        .unwrap();
        let plain = root.join("content/news/a.md");
        assert_eq!(read_text_bytes(root, &plain).unwrap(), b"plain");
        #[cfg(target_os = "linux")]
        assert!(
            open_linkless(root, &plain).is_some(),
            "no link on the way: one openat2"
        );
        let inside = root.join("content/alias/a.md");
        assert!(open_linkless(root, &inside).is_none());
        assert_eq!(read_text_bytes(root, &inside).unwrap(), b"plain");
        for out in ["content/out/secret.md", "content/news/b.md"] {
            let path = root.join(out);
            assert!(open_linkless(root, &path).is_none());
            let err = read_text_bytes(root, &path).unwrap_err();
            assert!(!format!("{err:?}").contains("hunter2"), "{out}");
        }
        assert!(open_linkless(root, &root.join("content/news/../news/a.md")).is_none());
    }

    #[test]
    fn links_inside_the_site_are_followed() {
        let site = tempfile::tempdir().unwrap();
        fs::write(site.path().join("real.md"), "hello").unwrap();
        std::os::unix::fs::symlink(site.path().join("real.md"), site.path().join("alias.md"))
            .unwrap();
        assert_eq!(
            read(site.path(), &site.path().join("alias.md")).unwrap(),
            b"hello"
        );
    }

    #[test]
    fn cache_writes_replace_a_planted_link_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep me").unwrap();
        let entry = dir.path().join("entry.json");
        std::os::unix::fs::symlink(&victim, &entry).unwrap();
        assert!(!cache_has(&entry));
        assert_eq!(cache_read(&entry), None);
        cache_write(&entry, b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(fs::read(&entry).unwrap(), b"new");
    }

    #[test]
    fn a_linked_cache_folder_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), site.path().join(CACHE_DIR)).unwrap();
        assert!(cache_dir(site.path(), "cards").is_err());
        assert!(fs::read_dir(elsewhere.path()).unwrap().next().is_none());
    }

    /// Trust round two: a cache file bigger than any hearth writes (a sparse one
    /// costs no disk) is a miss, not an allocation of its size.
    #[test]
    fn a_cache_file_too_big_to_be_ours_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.bin");
        let file = fs::File::create(&path).unwrap();
        if file.set_len(CACHE_READ_MAX + 1).is_err() {
            eprintln!("skipped: this file system cannot make a sparse file");
            return;
        }
        assert!(cache_read(&path).is_none());
        file.set_len(3).unwrap();
        assert_eq!(cache_read(&path), Some(vec![0, 0, 0]));
    }
}
