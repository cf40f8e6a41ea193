//! Carrying cards over: the previous output's folder of cached files moves into the
//! new one with one rename, and only what differs is mended (by inode).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::staging::{remove, sibling, Staging, CARRIED};
use super::{link_cached, outside, safe_join};

impl Staging {
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
    pub(super) fn place_cached(&self, from: &Path) -> io::Result<(Vec<String>, Vec<PathBuf>)> {
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
    pub(super) fn carry_back(&self, carried: &[String], to: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Body, Output};

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
}
