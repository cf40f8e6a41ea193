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

use std::collections::HashMap;
use std::path::Path;

use bytes::Bytes;

use super::digest::Digest;
use super::encode::LanguageIndex;
use super::varint::{self, Reader};
use crate::site_fs;

/// Bump when what a record turns into changes without the records changing.
const VERSION: &str = "hearth-search-3";
const RECORDS: &str = "records.bin";
const INDEX: &str = "index.bin";

/// What a record's digest is keyed by.
pub type Key = [u8; 32];

/// The header of both files: format and the code that wrote them.
fn header() -> String {
    format!("{VERSION} {}\n", env!("HEARTH_SOURCE_ID"))
}

/// Digests from the last build, read when asked for.
#[derive(Default)]
pub struct Stored {
    bytes: Bytes,
    entries: HashMap<Key, (usize, usize)>,
}

impl Stored {
    /// Reads `records.bin`; a missing or foreign file is an empty cache.
    pub fn open(dir: &Path) -> Stored {
        site_fs::cache_read(&dir.join(RECORDS))
            .map(|b| Stored::parse(Bytes::from(b)))
            .unwrap_or_default()
    }

    fn parse(bytes: Bytes) -> Stored {
        let header = header();
        let mut entries = HashMap::new();
        if !bytes.starts_with(header.as_bytes()) {
            return Stored::default();
        }
        let mut at = header.len();
        while at + 8 <= bytes.len() {
            let len = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            let start = at + 8;
            let Some(end) = start.checked_add(len).filter(|&e| e <= bytes.len()) else {
                break;
            };
            if len >= 32 {
                let mut key = [0u8; 32];
                key.copy_from_slice(&bytes[start..start + 32]);
                entries.insert(key, (at, end));
            }
            at = end;
        }
        Stored { bytes, entries }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The digest stored under `key`, if it is there and undamaged.
    pub fn get(&self, key: &Key) -> Option<Digest> {
        let &(at, end) = self.entries.get(key)?;
        let crc = u32::from_le_bytes(self.bytes.get(at + 4..at + 8)?.try_into().ok()?);
        let payload = self.bytes.get(at + 8..end)?;
        if crc32fast::hash(payload) != crc {
            return None;
        }
        decode(&self.bytes.slice(at + 8 + 32..end))
    }
}

fn encode(out: &mut dyn std::io::Write, key: &Key, d: &Digest) -> std::io::Result<()> {
    let mut payload = Vec::with_capacity(64 + d.fragment.len() + d.words.len());
    payload.extend_from_slice(key);
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
    out.write_all(&(payload.len() as u32).to_le_bytes())?;
    out.write_all(&crc32fast::hash(&payload).to_le_bytes())?;
    out.write_all(&payload)
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

/// Writes every digest of this build (and only those) for the next one,
/// streamed (at 100,000 pages the file is half a gigabyte).
pub fn store_records(dir: &Path, digests: &[(Key, &Digest)]) {
    let _ = site_fs::cache_sweep(dir);
    let _ = site_fs::cache_write_with(&dir.join(RECORDS), |out| {
        out.write_all(header().as_bytes())?;
        for (key, d) in digests {
            encode(out, key, d)?;
        }
        Ok(())
    });
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
    // records.bin: entries of length, CRC, payload; each CRC set to its payload's.
    let mut records = header.clone().into_bytes();
    let mut rest = bytes;
    while rest.len() >= 4 {
        let len = usize::from(u16::from_le_bytes([rest[0], rest[1]]));
        let payload = &rest[2..(2 + len).min(rest.len())];
        records.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        records.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        records.extend_from_slice(payload);
        rest = &rest[(2 + len).min(rest.len())..];
    }
    let _ = std::fs::write(dir.join(RECORDS), &records);
    let stored = Stored::open(dir);
    let keys: Vec<Key> = stored.entries.keys().copied().collect();
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
        store_records(dir.path(), &[(key, &digest())]);
        assert_eq!(Stored::open(dir.path()).get(&key), Some(digest()));
        let path = dir.path().join(RECORDS);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(Stored::open(dir.path()).get(&key), None);
        // A length that claims more than the file holds allocates nothing.
        let mut lying = header().into_bytes();
        lying.extend_from_slice(&u32::MAX.to_le_bytes());
        lying.extend_from_slice(&[0; 40]);
        std::fs::write(&path, &lying).unwrap();
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
