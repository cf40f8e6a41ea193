//! The highlight cache (`.hearth-cache/highlight.bin`, a keyed store): highlighted
//! code blocks between builds, keyed by a hash of language and code. Highlighting
//! is most of a cold build's work, and most blocks do not change between two CI
//! runs. The store keeps only the blocks the last build used (a text the text
//! cache hands over keeps its blocks: [`HighlightCache::keep`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use super::highlight::{highlight, known};
use crate::store::{Key, Store};

/// An entry is the HTML LZ4-packed (see [`pack`]).
const CACHE_MAGIC: &[u8] = b"hearth-highlight-6\n";

#[derive(Default)]
pub struct HighlightCache {
    store: Store,
    /// Blocks highlighted by this build, packed: blocks repeat within one build
    /// too (shared snippets, boilerplate), and the store reads back only what an
    /// earlier build left.
    again: Mutex<HashMap<Key, Vec<u8>>>,
}

impl HighlightCache {
    /// No file: highlight everything, remember nothing.
    pub fn none() -> Self {
        HighlightCache::default()
    }

    /// Opens the cache file; a missing or unreadable one (or a planted link) is an
    /// empty cache.
    pub fn open(path: PathBuf) -> Self {
        HighlightCache {
            store: Store::open(path, CACHE_MAGIC),
            again: Mutex::default(),
        }
    }

    /// A cached block.
    fn cached(&self, key: &Key) -> Option<String> {
        unpack_html(&self.store.get(key)?)
    }

    pub(super) fn key(code: &str, lang: &str) -> Key {
        crate::store::key_of(&[CACHE_MAGIC, lang.as_bytes(), code.as_bytes()])
    }

    /// `highlight(code, lang)`, from the cache when the same block was seen before.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        self.highlight_noting(code, lang, &mut Vec::new())
    }

    /// [`HighlightCache::highlight`], noting the block's key in `keys` (a text kept
    /// in the text cache notes the blocks it holds: see [`HighlightCache::keep`]).
    pub(super) fn highlight_noting(&self, code: &str, lang: &str, keys: &mut Vec<Key>) -> String {
        if !known(lang) {
            return crate::escape::html(code);
        }
        let key = Self::key(code, lang);
        keys.push(key);
        if let Some(html) = self.cached(&key) {
            return html;
        }
        let again = self
            .again
            .lock()
            .ok()
            .and_then(|again| again.get(&key).and_then(|p| unpack_html(p)));
        if let Some(html) = again {
            return html;
        }
        let html = highlight(code, lang);
        let packed = pack(html.as_bytes());
        self.store.put(key, &packed);
        if let Ok(mut again) = self.again.lock() {
            again.insert(key, packed);
        }
        html
    }

    /// Counts blocks as used by this build without highlighting them: those of a
    /// text the text cache handed over, which must stay for when it renders again.
    pub(super) fn keep(&self, keys: &[Key]) {
        self.store.keep(keys);
    }

    /// Writes the blocks this build used, when anything changed. Failing to write
    /// the cache only costs time on the next build.
    pub fn save(&self) {
        self.store.save();
    }
}

/// Fuzzing's door (`fuzz/fuzz_targets/cache_highlight.rs`): `bytes` opened as a
/// `highlight.bin` at `path`, and every entry it lists unpacked as a build would.
#[doc(hidden)]
pub fn fuzz_read(path: &std::path::Path, bytes: &[u8]) -> usize {
    if std::fs::write(path, bytes).is_err() {
        return 0;
    }
    let cache = HighlightCache::open(path.to_path_buf());
    cache
        .store
        .keys()
        .iter()
        .filter(|k| cache.cached(k).is_some())
        .count()
}

/// A cache entry: the HTML's length (4 bytes, little-endian), then its LZ4 block.
/// Classed HTML shrinks several times, and LZ4 packs and unpacks it in a fraction
/// of the time deflate takes.
fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u32).to_le_bytes().to_vec();
    out.extend(lz4_flex::block::compress(bytes));
    out
}

/// The bytes of an entry; `None` when it is malformed, or claims more than LZ4 can
/// expand it to (a doctored file must not make hearth allocate gigabytes).
fn unpack(entry: &[u8]) -> Option<Vec<u8>> {
    let (len, block) = entry.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*len) as usize;
    if len > block.len().saturating_mul(255) + 16 {
        return None;
    }
    let bytes = lz4_flex::block::decompress(block, len).ok()?;
    (bytes.len() == len).then_some(bytes)
}

/// A highlight cache entry's HTML.
fn unpack_html(entry: &[u8]) -> Option<String> {
    String::from_utf8(unpack(entry)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry unpacks to what was packed; a doctored one (a length LZ4 could
    /// never reach, a cut block) reads as absent instead of allocating or failing.
    #[test]
    fn cache_entries_round_trip_and_doctored_ones_read_as_absent() {
        let html = "<span class=\"hl-keyword\">fn</span> main() {}\n".repeat(200);
        let packed = pack(html.as_bytes());
        assert!(packed.len() < html.len() / 4, "{}", packed.len());
        assert_eq!(unpack_html(&packed).as_deref(), Some(html.as_str()));
        let mut huge = packed.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&huge), None);
        assert_eq!(unpack(&packed[..packed.len() / 2]), None);
        assert_eq!(unpack(&[1, 0]), None);
    }

    #[test]
    fn the_cache_returns_what_highlighting_would_and_survives_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hl.bin");
        let cache = HighlightCache::open(path.clone());
        let fresh = cache.highlight("fn main() {}\n", "rust");
        assert_eq!(fresh, highlight("fn main() {}\n", "rust"));
        cache.save();
        let again = HighlightCache::open(path.clone());
        assert_eq!(again.store.len(), 1);
        assert_eq!(again.highlight("fn main() {}\n", "rust"), fresh);
        // A flipped bit in an entry is a miss (highlighted again), never published.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[CACHE_MAGIC.len() + 6] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        let flipped = HighlightCache::open(path.clone());
        assert_eq!(flipped.store.len(), 1);
        assert!(flipped
            .cached(&HighlightCache::key("fn main() {}\n", "rust"))
            .is_none());
        assert_eq!(flipped.highlight("fn main() {}\n", "rust"), fresh);
        std::fs::write(&path, b"garbage").unwrap();
        assert!(
            HighlightCache::open(path).store.is_empty(),
            "a broken file is an empty cache"
        );
    }
}
