//! The cards in `.hearth-cache/cards`, each named `KEY.DIGEST.png`: the key is
//! `cache_key` (what the card is drawn from), the digest is the start of the
//! BLAKE3 hash of the file's bytes. Cached cards are hard-linked into the output
//! (ten thousand cards are 300 MB to copy on every build), so a tool that edits
//! `public/cards/*.png` in place edits the cache too; the digest catches that, and
//! such a card is drawn again.
//!
//! Reading and hashing every card on every build cost a tenth of a second at
//! 10,000 cards, so hearth also keeps a list (`seen`) of the size, modification
//! time and inode each card had when it last read or wrote it. A card that still
//! has all three is the file hearth checked: writing into it changes its time.
//! Anything else (a card edited in place, a cache restored by CI onto new inodes,
//! no list at all) is read and hashed as before. A planted list is no hazard: it
//! can only vouch for a file whose digest anyone can compute, so a card planted in
//! the cache passes either way, and the most a card can do is show a picture.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::site_fs;

/// Hex digits of a card's content hash kept in its name.
const DIGEST_LEN: usize = 32;
/// The list of cards as hearth last saw them, beside them.
const SEEN_FILE: &str = "seen";
/// The list's first line; a list that starts otherwise is not read.
const SEEN_HEADER: &str = "hearth-card-stamps-1";

/// What a card file looked like when hearth last read or wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified_ns: u128,
    inode: u64,
}

impl Stamp {
    /// The stamp of a plain file at `path` (never through a link).
    fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::symlink_metadata(path).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let modified_ns = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified_ns,
            inode,
        })
    }
}

pub struct CardCache {
    dir: PathBuf,
    /// Key → file name, read from the folder once per build.
    names: HashMap<String, String>,
    /// File name → its stamp as the last build left it.
    seen: HashMap<String, Stamp>,
    /// The stamps of the cards this build used, for the next one.
    used: Mutex<Vec<(String, Stamp)>>,
}

impl CardCache {
    /// Reads the folder once, sweeping away what interrupted builds left.
    pub fn open(dir: &Path) -> CardCache {
        let names = site_fs::cache_sweep(dir)
            .into_iter()
            .filter_map(|name| {
                let (key, digest) = name.strip_suffix(".png")?.split_once('.')?;
                (digest.len() == DIGEST_LEN).then(|| (key.to_string(), name.clone()))
            })
            .collect();
        let seen = site_fs::cache_read(&dir.join(SEEN_FILE))
            .map(|bytes| read_seen(&String::from_utf8_lossy(&bytes)))
            .unwrap_or_default();
        CardCache {
            dir: dir.to_path_buf(),
            names,
            seen,
            used: Mutex::new(Vec::new()),
        }
    }

    /// The cached card for `key` when its bytes are still the ones it was stored
    /// with; a card that changed is removed.
    pub(super) fn verified(&self, key: &str) -> Option<PathBuf> {
        let name = self.names.get(key)?;
        let path = self.dir.join(name);
        let stamp = Stamp::of(&path)?;
        if self.seen.get(name) != Some(&stamp) {
            let bytes = site_fs::cache_read(&path)?;
            // The stamp is taken before reading: a write in between changes the
            // time, and the next build reads the card again.
            if name[key.len() + 1..][..DIGEST_LEN] != digest(&bytes) {
                site_fs::cache_remove(&path);
                return None;
            }
        }
        self.note(name, stamp);
        Some(path)
    }

    /// Stores a freshly drawn card (atomically: a temp file renamed into place, so
    /// a parallel or interrupted build never leaves half a PNG behind).
    pub(super) fn store(&self, key: &str, png: &[u8]) -> Option<PathBuf> {
        let name = format!("{key}.{}.png", digest(png));
        let path = self.dir.join(&name);
        site_fs::cache_write(&path, png).ok()?;
        if let Some(stamp) = Stamp::of(&path) {
            self.note(&name, stamp);
        }
        Some(path)
    }

    fn note(&self, name: &str, stamp: Stamp) {
        if let Ok(mut used) = self.used.lock() {
            used.push((name.to_string(), stamp));
        }
    }

    /// Keeps the stamps of the cards this build used (a failure only costs the
    /// next build the reading and hashing).
    pub fn save(self) {
        let mut used = self.used.into_inner().unwrap_or_default();
        used.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(used.len() * 96);
        text.push_str(SEEN_HEADER);
        text.push('\n');
        for (name, s) in used {
            text.push_str(&format!("{name} {} {} {}\n", s.len, s.modified_ns, s.inode));
        }
        let _ = site_fs::cache_write(&self.dir.join(SEEN_FILE), text.as_bytes());
    }
}

/// The stamps list; a line that does not read is skipped (that card is hashed).
fn read_seen(text: &str) -> HashMap<String, Stamp> {
    let mut lines = text.lines();
    if lines.next() != Some(SEEN_HEADER) {
        return HashMap::new();
    }
    lines
        .filter_map(|line| {
            let mut parts = line.split(' ');
            let name = parts.next()?;
            let stamp = Stamp {
                len: parts.next()?.parse().ok()?,
                modified_ns: parts.next()?.parse().ok()?,
                inode: parts.next()?.parse().ok()?,
            };
            parts.next().is_none().then(|| (name.to_string(), stamp))
        })
        .collect()
}

fn digest(bytes: &[u8]) -> String {
    let mut hex = blake3::hash(bytes).to_hex().to_string();
    hex.truncate(DIGEST_LEN);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "k1";

    /// A cache holding one card, as a build leaves it, and that card's path.
    fn cache_with_one_card() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let cache = CardCache::open(dir.path());
        let path = cache.store(KEY, b"png bytes").unwrap();
        cache.save();
        (dir, path)
    }

    #[test]
    fn a_card_as_hearth_left_it_is_used_without_reading_it() {
        let (dir, path) = cache_with_one_card();
        let cache = CardCache::open(dir.path());
        assert!(cache
            .seen
            .contains_key(path.file_name().unwrap().to_str().unwrap()));
        assert_eq!(cache.verified(KEY), Some(path));
    }

    #[test]
    fn a_card_edited_in_place_is_read_and_refused() {
        let (dir, path) = cache_with_one_card();
        // Same length, different bytes: only its time and the digest tell.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"PNG BYTES").unwrap();
        let cache = CardCache::open(dir.path());
        assert_eq!(cache.verified(KEY), None);
        assert!(
            !path.exists(),
            "the edited card is removed, to be drawn again"
        );
    }

    #[test]
    fn without_a_list_every_card_is_hashed_and_a_good_one_still_used() {
        let (dir, path) = cache_with_one_card();
        fs::write(dir.path().join(SEEN_FILE), "something else\n").unwrap();
        let cache = CardCache::open(dir.path());
        assert!(cache.seen.is_empty());
        assert_eq!(cache.verified(KEY), Some(path.clone()));
        // A stamp that vouches for other bytes does not save a changed card.
        let stamp = Stamp::of(&path).unwrap();
        fs::write(&path, b"other").unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let line = format!(
            "{SEEN_HEADER}\n{name} {} {} {}\n",
            stamp.len, stamp.modified_ns, stamp.inode
        );
        fs::write(dir.path().join(SEEN_FILE), line).unwrap();
        assert_eq!(CardCache::open(dir.path()).verified(KEY), None);
    }

    #[test]
    fn bad_lines_are_skipped() {
        let seen = read_seen(&format!(
            "{SEEN_HEADER}\na.png 1 2 3\nb.png x 2 3\nc.png 1 2\nd.png 1 2 3 4\n"
        ));
        assert_eq!(seen.len(), 1);
        assert!(seen.contains_key("a.png"));
    }
}
