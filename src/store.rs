//! The keyed store: one file of `.hearth-cache` holding entries under 16-byte keys,
//! the form every cache of a build shares (rendered texts, highlighted code, search
//! digests). One implementation of what a cache restored in CI must survive:
//! entries are read where they lie (the file is never held whole), each is checked
//! against its CRC-32 when it is used, every length is checked against the file
//! before anything is allocated from it, and new entries are streamed into a temp
//! file that replaces the store only when the build saves. What a store keeps is
//! what this build used and what it added; the rest goes at the save.
//!
//! Layout: the store's magic line, entries, then the index (key, offset, length
//! and CRC-32 per entry), its count (8 bytes, LE) and the magic again. Anything
//! malformed reads as an empty store. Entries are stored as given: a cache
//! compresses its own when that pays (highlighted HTML does, texts do not).

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a file looked like when hearth last read or wrote it: the same length,
/// modification time and inode mean the same bytes, unless someone wrote into it
/// and set its time back (a cache vouches only for what anyone could make).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: u128,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a plain file at `path` (never through a link).
    pub fn of(path: &Path) -> Option<Stamp> {
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

/// What an entry is found by: the first 16 bytes of a BLAKE3 hash of what it was
/// made from.
pub type Key = [u8; 16];

/// The key of `parts`, each length-prefixed so that two lists of parts never run
/// together into the same bytes.
pub fn key_of(parts: &[&[u8]]) -> Key {
    let mut h = blake3::Hasher::new();
    for part in parts {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    key_from_hash(h.finalize().as_bytes())
}

/// A key from a 32-byte hash: its first half (128 bits, as every key).
pub fn key_from_hash(hash: &[u8; 32]) -> Key {
    let mut key = [0; 16];
    key.copy_from_slice(&hash[..16]);
    key
}

/// One index row: a 16-byte key, an 8-byte offset, a 4-byte length, and the
/// entry's CRC-32 (a file cut or damaged on disk is caught, not published).
const ROW: usize = 32;

/// The most entries an index may list (128 MB of rows): forty times the texts of
/// 100,000 pages, and a bound on what a planted or sparse file can make hearth
/// allocate.
const MAX_ROWS: u64 = 1 << 22;

/// Where an entry lies, and the CRC-32 of its bytes.
#[derive(Clone, Copy)]
struct Row {
    at: u64,
    len: u32,
    sum: u32,
}

/// A checksum against damage, not a defence against tampering: whoever can write
/// the cache can write a matching sum (SECURITY.md says what the cache is trusted
/// with).
fn sum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The entries of an earlier build, and the ones this build adds.
pub struct Store {
    magic: &'static [u8],
    path: Option<PathBuf>,
    file: Option<File>,
    old: HashMap<Key, Row>,
    used: Mutex<HashSet<Key>>,
    new: Mutex<Option<Writer>>,
}

/// The temp file new entries stream into, and where each lies in it.
struct Writer {
    tmp: PathBuf,
    out: BufWriter<File>,
    at: u64,
    rows: Vec<(Key, Row)>,
    keys: HashSet<Key>,
    failed: bool,
    done: bool,
}

/// A build that never saves (`check`, an edit in `serve`) leaves no temp file.
impl Drop for Writer {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::none()
    }
}

impl Store {
    /// No file: nothing found, nothing kept.
    pub fn none() -> Self {
        Store {
            magic: b"",
            path: None,
            file: None,
            old: HashMap::new(),
            used: Mutex::new(HashSet::new()),
            new: Mutex::new(None),
        }
    }

    /// Opens the store at `path` (inside the cache folder); a missing, malformed,
    /// foreign (another `magic`) or linked file is an empty store. Temp files a
    /// killed build left beside it go.
    pub fn open(path: PathBuf, magic: &'static [u8]) -> Self {
        if let Some(dir) = path.parent() {
            crate::site_fs::cache_sweep(dir);
        }
        Store::open_swept(path, magic)
    }

    /// [`Store::open`] in a folder its owner has just swept (the card cache reads
    /// its folder's names that way).
    pub fn open_swept(path: PathBuf, magic: &'static [u8]) -> Self {
        let file = crate::site_fs::cache_has(&path)
            .then(|| File::open(&path).ok())
            .flatten();
        let old = file
            .as_ref()
            .map(|f| read_index(f, magic))
            .unwrap_or_default();
        Store {
            magic,
            path: Some(path),
            file,
            old,
            ..Store::none()
        }
    }

    /// How many entries the earlier build left.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// The keys the earlier build left (for fuzzing and tests).
    pub fn keys(&self) -> Vec<Key> {
        self.old.keys().copied().collect()
    }

    /// Whether an earlier build left an entry under `key` (unchecked): for tests,
    /// since a build asks [`Store::get`] or [`Store::was_used`].
    #[cfg(test)]
    pub(crate) fn has(&self, key: &Key) -> bool {
        self.old.contains_key(key)
    }

    /// The bytes kept under `key`, when they are there and undamaged; the entry
    /// then stays at the save.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let row = *self.old.get(key)?;
        let mut bytes = vec![0; row.len as usize];
        read_at(self.file.as_ref()?, &mut bytes, row.at).ok()?;
        (sum(&bytes) == row.sum).then_some(())?;
        self.keep(std::slice::from_ref(key));
        Some(bytes)
    }

    /// Whether this build read the entry under `key` undamaged (or kept it).
    pub fn was_used(&self, key: &Key) -> bool {
        self.used.lock().is_ok_and(|used| used.contains(key))
    }

    /// Counts entries as used by this build without reading them (what a kept
    /// text depends on stays with it).
    pub fn keep(&self, keys: &[Key]) {
        if let Ok(mut used) = self.used.lock() {
            used.extend(keys.iter().filter(|k| self.old.contains_key(*k)));
        }
    }

    /// Adds an entry (once per key and build; it replaces an earlier build's entry
    /// under the same key, a damaged one say). A store that cannot be written only
    /// costs the next build time.
    pub fn put(&self, key: Key, bytes: &[u8]) {
        let Some(path) = &self.path else { return };
        let Ok(mut new) = self.new.lock() else { return };
        if new.is_none() {
            *new = Writer::start(path, self.magic);
        }
        if let Some(w) = new.as_mut() {
            w.add(key, bytes, sum(bytes));
        }
    }

    /// Lets go of what this build added, unsaved (its temp file goes).
    pub fn discard(&self) {
        if let Ok(mut new) = self.new.lock() {
            new.take();
        }
    }

    /// Replaces the file with the entries this build used and the ones it added,
    /// when anything changed. Only a load that looked up every entry it could use
    /// may save: the markdown environment says when (`markdown::Caches::save`).
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let (Ok(used), Ok(mut new)) = (self.used.lock(), self.new.lock()) else {
            return;
        };
        if new.is_none() && used.len() == self.old.len() {
            return;
        }
        let Some(mut w) = new.take().or_else(|| Writer::start(path, self.magic)) else {
            return;
        };
        let mut kept: Vec<(&Key, &Row)> = self
            .old
            .iter()
            .filter(|(k, _)| used.contains(*k) && !w.keys.contains(*k))
            .collect();
        kept.sort_by_key(|(_, row)| row.at);
        if let Some(file) = &self.file {
            let mut buf = Vec::new();
            for (key, row) in kept {
                buf.resize(row.len as usize, 0);
                if read_at(file, &mut buf, row.at).is_err() {
                    w.failed = true;
                    break;
                }
                w.add(*key, &buf, row.sum);
            }
        }
        w.finish(path, self.magic);
    }
}

impl Writer {
    /// A fresh temp file beside the store (`create_new` never opens a planted link).
    fn start(path: &Path, magic: &[u8]) -> Option<Writer> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .ok()?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let failed = out.write_all(magic).is_err();
        Some(Writer {
            tmp,
            out,
            at: magic.len() as u64,
            rows: Vec::new(),
            keys: HashSet::new(),
            failed,
            done: false,
        })
    }

    /// Adds an entry whose CRC is known (one copied from the old file keeps its).
    fn add(&mut self, key: Key, bytes: &[u8], sum: u32) {
        if self.failed || !self.keys.insert(key) {
            return;
        }
        if self.out.write_all(bytes).is_err() {
            self.failed = true;
            return;
        }
        let row = Row {
            at: self.at,
            len: bytes.len() as u32,
            sum,
        };
        self.rows.push((key, row));
        self.at += bytes.len() as u64;
    }

    /// Writes the index and renames the temp file over the store; on any failure
    /// the temp file goes (on drop) and the old store stays.
    fn finish(mut self, path: &Path, magic: &[u8]) {
        let mut tail = Vec::with_capacity(self.rows.len() * ROW + 32);
        for (key, row) in &self.rows {
            tail.extend_from_slice(key);
            tail.extend_from_slice(&row.at.to_le_bytes());
            tail.extend_from_slice(&row.len.to_le_bytes());
            tail.extend_from_slice(&row.sum.to_le_bytes());
        }
        tail.extend_from_slice(&(self.rows.len() as u64).to_le_bytes());
        tail.extend_from_slice(magic);
        self.done = !self.failed
            && self.out.write_all(&tail).is_ok()
            && self.out.flush().is_ok()
            && std::fs::rename(&self.tmp, path).is_ok();
    }
}

/// Reads `buf.len()` bytes at `at` without moving a shared cursor (threads read
/// entries side by side).
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// The index at the end of the file; empty when anything about it is off.
fn read_index(file: &File, magic: &[u8]) -> HashMap<Key, Row> {
    let mut map = HashMap::new();
    let Ok(size) = file.metadata().map(|m| m.len()) else {
        return map;
    };
    let foot = (magic.len() + 8) as u64;
    if magic.is_empty() || size < foot + magic.len() as u64 {
        return map;
    }
    let mut head = vec![0; magic.len()];
    if read_at(file, &mut head, 0).is_err() || head != magic {
        return map;
    }
    let mut end = vec![0; foot as usize];
    if read_at(file, &mut end, size - foot).is_err() || &end[8..] != magic {
        return map;
    }
    let count = u64::from_le_bytes(end[..8].try_into().unwrap_or_default());
    // The index is held in memory: a footer may claim no more rows than the file
    // has room for, nor more than any site hearth builds could need.
    if count > MAX_ROWS {
        return map;
    }
    let Some(rows_len) = count.checked_mul(ROW as u64) else {
        return map;
    };
    let body_end = size - foot;
    if rows_len > body_end - magic.len() as u64 {
        return map;
    }
    let rows_at = body_end - rows_len;
    let mut rows = vec![0; rows_len as usize];
    if read_at(file, &mut rows, rows_at).is_err() {
        return map;
    }
    for row in rows.chunks_exact(ROW) {
        let mut key = [0; 16];
        key.copy_from_slice(&row[..16]);
        let at = u64::from_le_bytes(row[16..24].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(row[24..28].try_into().unwrap_or_default());
        let sum = u32::from_le_bytes(row[28..32].try_into().unwrap_or_default());
        if at < magic.len() as u64 || at.saturating_add(u64::from(len)) > rows_at {
            return HashMap::new();
        }
        map.insert(key, Row { at, len, sum });
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8] = b"hearth-test-store-1\n";

    #[test]
    fn entries_come_back_and_only_used_ones_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.bin");
        let s = Store::open(path.clone(), MAGIC);
        s.put(key_of(&[b"a"]), b"one");
        s.put(key_of(&[b"b"]), b"two");
        s.put(key_of(&[b"a"]), b"again");
        s.save();
        let s = Store::open(path.clone(), MAGIC);
        assert_eq!(s.len(), 2);
        assert_eq!(s.get(&key_of(&[b"a"])).as_deref(), Some(&b"one"[..]));
        s.save();
        let s = Store::open(path.clone(), MAGIC);
        assert_eq!(s.keys(), vec![key_of(&[b"a"])]);
        // Another store's magic reads as empty.
        assert!(Store::open(path, b"hearth-other-1\n").is_empty());
    }

    #[test]
    fn a_flipped_bit_is_a_miss_and_a_cut_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.bin");
        let s = Store::open(path.clone(), MAGIC);
        s.put(key_of(&[b"a"]), b"some bytes");
        s.save();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[MAGIC.len() + 2] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let s = Store::open(path.clone(), MAGIC);
        assert!(s.has(&key_of(&[b"a"])));
        assert_eq!(s.get(&key_of(&[b"a"])), None);
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Store::open(path, MAGIC).is_empty());
    }

    /// Trust round two: a sparse 64 GiB file (no disk used) whose footer claims
    /// as many rows as it has room for made hearth allocate them, and abort.
    #[test]
    fn a_huge_sparse_store_is_empty_without_allocating_it() {
        use std::io::{Seek, SeekFrom};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.bin");
        let size: u64 = 64 << 30;
        let mut file = File::create(&path).unwrap();
        file.write_all(MAGIC).unwrap();
        if file.set_len(size).is_err() {
            eprintln!("skipped: this file system cannot make a 64 GiB sparse file");
            return;
        }
        let foot = (MAGIC.len() + 8) as u64;
        file.seek(SeekFrom::Start(size - foot)).unwrap();
        let rows = (size - foot - MAGIC.len() as u64) / ROW as u64;
        file.write_all(&rows.to_le_bytes()).unwrap();
        file.write_all(MAGIC).unwrap();
        drop(file);
        assert!(Store::open(path, MAGIC).is_empty());
    }
}
