//! The search cache (`.hearth-cache/search/`): every record's digest under the
//! hash of what it was made from (`records.bin`), and the last index's own files
//! under the hash of every record in order (`index.bin`).
//!
//! A cache can arrive in a pull request or be restored in CI, so it is read as
//! untrusted input: each entry carries a CRC-32 and is checked when it is used
//! (a damaged entry is a miss, never published); every length is checked against
//! the bytes really there before anything is allocated from it; file names must
//! be the index's own (no script, no folder outside the bundle). The scripts are
//! never cached: they always come from the Pagefind inside this binary.

use std::path::Path;

use bytes::Bytes;

use super::digest::Digest;
use super::encode::LanguageIndex;
use super::varint::{self, Reader};
use crate::site_fs;
use crate::store::{self, Store};

/// Bump when what a record turns into changes without the records changing.
const VERSION: &str = "hearth-search-4";
/// `records.bin` is a keyed store (crate::store) of this version and code.
const RECORDS_MAGIC: &[u8] =
    concat!("hearth-search-records-4 ", env!("HEARTH_SOURCE_ID"), "\n").as_bytes();
const RECORDS: &str = "records.bin";
const INDEX: &str = "index.bin";

/// What a record's digest is keyed by.
pub type Key = [u8; 32];

/// The header of the index file: format and the code that wrote it.
fn header() -> String {
    format!("{VERSION} {}\n", env!("HEARTH_SOURCE_ID"))
}

/// Digests from the last build, read when asked for.
#[derive(Default)]
pub struct Stored {
    store: Store,
}

impl Stored {
    /// Opens `records.bin`; a missing or foreign file is an empty cache.
    pub fn open(dir: &Path) -> Stored {
        Stored {
            store: Store::open(dir.join(RECORDS), RECORDS_MAGIC),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.store.len()
    }

    /// The digest stored under `key`, if it is there and undamaged.
    pub fn get(&self, key: &Key) -> Option<Digest> {
        decode(&Bytes::from(self.store.get(&store::key_from_hash(key))?))
    }
}

fn encode(d: &Digest) -> Vec<u8> {
    let mut payload = Vec::with_capacity(64 + d.fragment.len() + d.words.len());
    varint::put_str(&mut payload, &d.language);
    varint::put_str(&mut payload, &d.kind);
    varint::put(&mut payload, u64::from(d.word_count));
    varint::put_str(&mut payload, &d.hash);
    varint::put(&mut payload, d.fragment.len() as u64);
    payload.extend_from_slice(&d.fragment);
    varint::put(&mut payload, d.fields.len() as u64);
    for f in &d.fields {
        varint::put_str(&mut payload, f);
    }
    varint::put(&mut payload, d.words.len() as u64);
    payload.extend_from_slice(&d.words);
    payload
}

fn decode(bytes: &Bytes) -> Option<Digest> {
    let mut r = Reader::new(bytes);
    let language = r.str()?.to_string();
    let kind = r.str()?.to_string();
    let word_count = u32::try_from(r.get()?).ok()?;
    let hash = r.str()?.to_string();
    if hash.len() < 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let n = r.len()?;
    let fragment = bytes.slice(r.at..r.at + n);
    r.at += n;
    let fields = (0..r.len()?)
        .map(|_| r.str().map(str::to_string))
        .collect::<Option<Vec<_>>>()?;
    let n = r.len()?;
    let words = bytes.slice(r.at..r.at + n);
    r.at += n;
    let fine = r.done() && super::digest::index_language(&language) == language;
    fine.then_some(Digest {
        language,
        kind,
        word_count,
        hash,
        fragment,
        fields,
        words,
    })
}

/// Keeps every digest of this build (and only those) for the next one: those
/// read from the store stay, the others (new, or digested again because the
/// stored one was damaged) are streamed in.
pub fn store_records(stored: &Stored, digests: &[(Key, &Digest)]) {
    for (key, d) in digests {
        let key = store::key_from_hash(key);
        if !stored.store.was_used(&key) {
            stored.store.put(key, &encode(d));
        }
    }
    stored.store.save();
}

/// A name the index writes: `pagefind.*.pf_meta`, or a fragment, chunk or filter
/// in its folder; letters, digits, `_`, `-` and one dot.
pub fn is_index_file(name: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let of = |folder: &str, ext: &str| {
        name.strip_prefix(folder)
            .and_then(|n| n.strip_suffix(ext))
            .is_some_and(plain)
    };
    of("pagefind.", ".pf_meta")
        || of("fragment/", ".pf_fragment")
        || of("index/", ".pf_index")
        || of("filter/", ".pf_filter")
}

/// The last index's files, if it was made from exactly these records.
pub fn load_index(dir: &Path, set: &Key) -> Option<Vec<LanguageIndex>> {
    let bytes = Bytes::from(site_fs::cache_read(&dir.join(INDEX))?);
    let header = header();
    let body = bytes.get(header.len()..)?;
    if !bytes.starts_with(header.as_bytes()) || body.len() < 36 || &body[4..36] != set {
        return None;
    }
    let crc = u32::from_le_bytes(body[..4].try_into().ok()?);
    if crc32fast::hash(&body[4..]) != crc {
        return None;
    }
    let base = header.len() + 36;
    let rest = bytes.slice(base..);
    let mut r = Reader::new(&rest);
    let mut out = Vec::new();
    for _ in 0..r.len()? {
        let language = r.str()?.to_string();
        let hash = r.str()?.to_string();
        let pages = usize::try_from(r.get()?).ok()?;
        let mut files = Vec::new();
        for _ in 0..r.len()? {
            let name = r.str()?.to_string();
            let n = r.len()?;
            if !is_index_file(&name) || name.starts_with("fragment/") {
                return None;
            }
            files.push((name, rest.slice(r.at..r.at + n)));
            r.at += n;
        }
        if super::digest::index_language(&language) != language {
            return None;
        }
        out.push(LanguageIndex {
            language,
            hash,
            pages,
            files,
        });
    }
    r.done().then_some(out)
}

/// Fuzzing's door (`fuzz/fuzz_targets/caches.rs`): `bytes` as the body of both
/// search cache files in `dir`, with this binary's header and with the CRC-32s
/// made right (so the fuzzer reaches the decoding behind them), read as a build
/// reads them. Whatever the bytes, no panic and no allocation past the file.
#[doc(hidden)]
pub fn fuzz_read(dir: &Path, bytes: &[u8]) -> usize {
    let header = header();
    // records.bin: the bytes cut into entries, stored as a build stores them, then
    // read back with the store's checks and decoded.
    let stored = Stored::open(dir);
    let mut keys = Vec::new();
    for (n, entry) in bytes.chunks(64).enumerate() {
        let key: Key = std::array::from_fn(|i| (n >> (i % 8)) as u8);
        stored.store.put(store::key_from_hash(&key), entry);
        keys.push(key);
    }
    stored.store.save();
    let stored = Stored::open(dir);
    let found = keys.iter().filter(|k| stored.get(k).is_some()).count();
    // index.bin: a CRC over the set key and the files.
    let set: Key = std::array::from_fn(|i| bytes.get(i).copied().unwrap_or(0));
    let mut body = set.to_vec();
    body.extend_from_slice(bytes);
    let mut index = header.into_bytes();
    index.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    index.extend_from_slice(&body);
    let _ = std::fs::write(dir.join(INDEX), &index);
    found + load_index(dir, &set).map_or(0, |l| l.len())
}

/// Keeps this index's files (not its fragments) for a build of the same records.
pub fn store_index(dir: &Path, set: &Key, languages: &[LanguageIndex]) {
    let mut body = Vec::new();
    body.extend_from_slice(set);
    varint::put(&mut body, languages.len() as u64);
    for l in languages {
        varint::put_str(&mut body, &l.language);
        varint::put_str(&mut body, &l.hash);
        varint::put(&mut body, l.pages as u64);
        varint::put(&mut body, l.files.len() as u64);
        for (name, bytes) in &l.files {
            varint::put_str(&mut body, name);
            varint::put(&mut body, bytes.len() as u64);
            body.extend_from_slice(bytes);
        }
    }
    let mut out = header().into_bytes();
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    let _ = site_fs::cache_write(&dir.join(INDEX), &out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest() -> Digest {
        Digest {
            language: "en".into(),
            kind: "Post".into(),
            word_count: 3,
            hash: "0123456789abcdef0123".into(),
            fragment: Bytes::from_static(b"gz"),
            fields: vec!["title".into()],
            words: Bytes::from_static(&[1, 2, 3]),
        }
    }

    #[test]
    fn digests_read_back_and_a_flipped_bit_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        store_records(&Stored::open(dir.path()), &[(key, &digest())]);
        assert_eq!(Stored::open(dir.path()).get(&key), Some(digest()));
        let path = dir.path().join(RECORDS);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[RECORDS_MAGIC.len() + 1] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(Stored::open(dir.path()).get(&key), None);
        // The build that digests it again replaces the damaged entry.
        let stored = Stored::open(dir.path());
        assert_eq!(stored.get(&key), None);
        store_records(&stored, &[(key, &digest())]);
        assert_eq!(Stored::open(dir.path()).get(&key), Some(digest()));
        let bytes = std::fs::read(&path).unwrap();
        // Another build's store (another magic) is empty.
        let mut foreign = bytes.clone();
        foreign[0] ^= 1;
        std::fs::write(&path, &foreign).unwrap();
        assert_eq!(Stored::open(dir.path()).len(), 0);
    }

    #[test]
    fn only_the_index_own_names_are_taken_from_a_cache() {
        for bad in [
            "pagefind.js",
            "../x.pf_meta",
            "index/../../x.pf_index",
            "fragment/a/b.pf_fragment",
            "wasm.en.pagefind",
        ] {
            assert!(!is_index_file(bad), "{bad}");
        }
        assert!(is_index_file("index/en_12ab.pf_index"));
        assert!(is_index_file("pagefind.en_12ab.pf_meta"));
    }
}
