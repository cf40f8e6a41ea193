//! A folder of made files that a build links into its output: the cards in
//! `.hearth-cache/cards` and the pictures' variants in `.hearth-cache/pictures`,
//! each named `KEY.DIGEST.EXT`: the key is a hash of what the file is made from
//! (a card's inputs; a picture's bytes and settings), the digest is the start of
//! the BLAKE3 hash of the file's bytes. Cached files are hard-linked into the
//! output (ten thousand cards are 300 MB to copy on every build), so a tool that
//! edits `public/cards/*.png` in place edits the cache too; the digest catches
//! that, and such a file is made again.
//!
//! Reading and hashing every card on every build cost a tenth of a second at
//! 10,000 cards, so hearth also keeps, in a keyed store (`seen.bin`, crate::store)
//! under each card's key, the file name and the size, modification time and inode
//! the card had when hearth last read or wrote it. A card that still
//! has all three is the file hearth checked: writing into it changes its time.
//! Anything else (a card edited in place, a cache restored by CI onto new inodes,
//! no list at all) is read and hashed as before. A planted list is no hazard: it
//! can only vouch for a file whose digest anyone can compute, so a card planted in
//! the cache passes either way, and the most a card can do is show a picture.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::site_fs;
use crate::store::{self, Stamp, Store};

/// Hex digits of a file's content hash kept in its name.
const DIGEST_LEN: usize = 32;
/// The stamps of the files as hearth last saw them, beside them.
const SEEN_FILE: &str = "seen.bin";
/// The stamps store's magic; a store of another format is not read.
const SEEN_MAGIC: &[u8] = b"hearth-file-stamps-1\n";

pub struct FileCache {
    dir: PathBuf,
    /// Key → file name, read from the folder once per build.
    names: HashMap<String, String>,
    /// Card key → its file name and stamp as the last build left them; what this
    /// build used or drew is kept for the next.
    seen: Store,
}

impl FileCache {
    /// Reads the folder once, sweeping away what interrupted builds left.
    pub fn open(dir: &Path) -> FileCache {
        let names = site_fs::cache_sweep(dir)
            .into_iter()
            .filter_map(|name| {
                let (rest, _ext) = name.rsplit_once('.')?;
                let (key, digest) = rest.split_once('.')?;
                (digest.len() == DIGEST_LEN).then(|| (key.to_string(), name.clone()))
            })
            .collect();
        FileCache {
            dir: dir.to_path_buf(),
            names,
            seen: Store::open_swept(dir.join(SEEN_FILE), SEEN_MAGIC),
        }
    }

    /// The cached card for `key` when its bytes are still the ones it was stored
    /// with; a card that changed is removed.
    pub fn verified(&self, key: &str) -> Option<PathBuf> {
        let name = self.names.get(key)?;
        let path = self.dir.join(name);
        let stamp = Stamp::of(&path)?;
        let seen_key = seen_key(key);
        let vouched = self
            .seen
            .get(&seen_key)
            .and_then(|bytes| read_stamp(&bytes))
            .is_some_and(|(was, at)| was == *name && at == stamp);
        if !vouched {
            let bytes = site_fs::cache_read(&path)?;
            // The stamp is taken before reading: a write in between changes the
            // time, and the next build reads the card again.
            if name[key.len() + 1..][..DIGEST_LEN] != digest(&bytes) {
                site_fs::cache_remove(&path);
                return None;
            }
        }
        if !vouched {
            self.seen.put(seen_key, &stamp_bytes(name, stamp));
        }
        Some(path)
    }

    /// Stores a freshly made file with the extension `ext` (atomically: a temp
    /// file renamed into place, so a parallel or interrupted build never leaves
    /// half a PNG behind).
    pub fn store(&self, key: &str, ext: &str, bytes: &[u8]) -> Option<PathBuf> {
        let name = format!("{key}.{}.{ext}", digest(bytes));
        let path = self.dir.join(&name);
        site_fs::cache_write(&path, bytes).ok()?;
        if let Some(stamp) = Stamp::of(&path) {
            self.seen.put(seen_key(key), &stamp_bytes(&name, stamp));
        }
        Some(path)
    }

    /// Keeps the stamps of the files this build used (a failure only costs the
    /// next build the reading and hashing).
    pub fn save(self) {
        self.seen.save();
    }
}

/// Where a card's stamp is kept in the store: under its key.
fn seen_key(key: &str) -> store::Key {
    store::key_of(&[key.as_bytes()])
}

/// A card's file name and stamp as the store keeps them: the stamp's three
/// numbers (8, 16 and 8 bytes, LE), then the name.
fn stamp_bytes(name: &str, s: Stamp) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + name.len());
    out.extend_from_slice(&s.len.to_le_bytes());
    out.extend_from_slice(&s.modified_ns.to_le_bytes());
    out.extend_from_slice(&s.inode.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out
}

/// The name and stamp of an entry; `None` when it does not read (that card is
/// hashed).
fn read_stamp(bytes: &[u8]) -> Option<(String, Stamp)> {
    let (len, rest) = bytes.split_first_chunk::<8>()?;
    let (modified, rest) = rest.split_first_chunk::<16>()?;
    let (inode, name) = rest.split_first_chunk::<8>()?;
    let stamp = Stamp {
        len: u64::from_le_bytes(*len),
        modified_ns: u128::from_le_bytes(*modified),
        inode: u64::from_le_bytes(*inode),
    };
    Some((std::str::from_utf8(name).ok()?.to_string(), stamp))
}

fn digest(bytes: &[u8]) -> String {
    let mut hex = blake3::hash(bytes).to_hex().to_string();
    hex.truncate(DIGEST_LEN);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const KEY: &str = "k1";

    /// A cache holding one card, as a build leaves it, and that card's path.
    fn cache_with_one_card() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::open(dir.path());
        let path = cache.store(KEY, "png", b"png bytes").unwrap();
        cache.save();
        (dir, path)
    }

    #[test]
    fn a_card_as_hearth_left_it_is_used_without_reading_it() {
        let (dir, path) = cache_with_one_card();
        let cache = FileCache::open(dir.path());
        assert!(cache.seen.has(&seen_key(KEY)));
        // Its bytes are not read: bytes of the same length written in place with
        // the old time put back (the stamp still vouches) pass, though their
        // digest would not.
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        fs::write(&path, b"PNG BYTES").unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        assert_eq!(cache.verified(KEY), Some(path));
    }

    #[test]
    fn a_card_edited_in_place_is_read_and_refused() {
        let (dir, path) = cache_with_one_card();
        // Same length, different bytes: only its time and the digest tell.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"PNG BYTES").unwrap();
        let cache = FileCache::open(dir.path());
        assert_eq!(cache.verified(KEY), None);
        assert!(
            !path.exists(),
            "the edited card is removed, to be drawn again"
        );
    }

    #[test]
    fn without_stamps_every_card_is_hashed_and_a_good_one_still_used() {
        let (dir, path) = cache_with_one_card();
        fs::write(dir.path().join(SEEN_FILE), "something else\n").unwrap();
        let cache = FileCache::open(dir.path());
        assert!(cache.seen.is_empty());
        assert_eq!(cache.verified(KEY), Some(path.clone()));
        cache.save();
        // A stamp that vouches for other bytes does not save a changed card.
        fs::write(&path, b"other").unwrap();
        let cache = FileCache::open(dir.path());
        assert!(!cache.seen.is_empty());
        assert_eq!(cache.verified(KEY), None);
    }

    #[test]
    fn stamps_read_back_and_short_entries_do_not() {
        let stamp = Stamp {
            len: 1,
            modified_ns: 2,
            inode: 3,
        };
        let bytes = stamp_bytes("a.png", stamp);
        assert_eq!(read_stamp(&bytes), Some(("a.png".to_string(), stamp)));
        assert_eq!(read_stamp(&bytes[..20]), None);
    }
}
