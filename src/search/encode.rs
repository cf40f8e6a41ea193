//! One language's index in Pagefind's format, from its digests: the word index
//! split into chunks by word range, the kind filter, and the metadata file that
//! lists the pages and chunks. Files are CBOR (as Pagefind's browser code reads
//! them), gzip-compressed after a `pagefind_dcd` signature, and named by a prefix
//! of their content's hash, long enough to be unique among their kind.
//!
//! Words are merged from the digests in parallel (each thread owns the words
//! whose hash falls to it), sorted once, cut into chunks, and each chunk encoded
//! and compressed on its own: nothing here depends on how many threads there are.

use std::collections::HashMap;
use std::hash::BuildHasher;

use bytes::Bytes;
use minicbor::Encoder;
use rayon::prelude::*;

use super::digest::{gzip, Digest, SIGNATURE};
use super::varint::Reader;

/// A chunk of the word index holds about this many positions (Pagefind's size):
/// a query loads one chunk per word.
pub const CHUNK_SIZE: u64 = 20_000;
/// Hash prefixes in file names are at least this long (as Pagefind's).
const SHORT_HASH: usize = 7;
/// Fragment names are shorter: every query loads the list of every page's
/// fragment name (at 10,000 pages, 5 hex digits instead of 7 take ~10 KB off
/// it); a name grows a digit for each hash that shares its prefix.
const FRAGMENT_HASH: usize = 5;

/// One language's files, named relative to the bundle folder; its fragments
/// are not among them (they are the digests' own files, and the cache keeps
/// them with the digests).
pub struct LanguageIndex {
    pub language: String,
    /// The metadata file's hash name (`en_1234abc`): the entry file points to it.
    pub hash: String,
    pub pages: usize,
    pub files: Vec<(String, Bytes)>,
}

/// Where a word stands in one digest: the page's number and the offset of the
/// word's entry (after its stem) in the digest's packed words.
pub(super) type Posting = (u32, u32);

pub(super) struct Word<'a> {
    pub(super) stem: &'a str,
    pub(super) postings: Vec<Posting>,
    pub(super) size: u64,
}

/// Encodes `pages` (in page order) as the index for `language`.
pub fn language(
    language: &str,
    version: &str,
    pages: &[&Digest],
    chunk_level: u32,
) -> LanguageIndex {
    let (fields, renumber) = fields_of(pages);
    let words = merge(pages);
    let chunks = cut(words.iter().map(|w| w.size));
    let ranges = chunk_ranges(&words.iter().map(|w| w.stem).collect::<Vec<_>>(), &chunks);
    let encoded: Vec<Vec<u8>> = chunks
        .par_iter()
        .map(|range| {
            let mut out = Vec::with_capacity(64 * 1024);
            let mut e = Encoder::new(&mut out);
            let list = &words[range.clone()];
            let _ = e.array(1).and_then(|e| e.array(list.len() as u64));
            for w in list {
                encode_word(&mut e, w, pages, &renumber);
            }
            gzip(&[SIGNATURE, &out], chunk_level)
        })
        .collect();
    assemble(language, version, pages, &fields, ranges, encoded)
}

/// Every page's metadata fields, sorted, and each page's own numbering of its
/// fields mapped into that list.
pub(super) fn fields_of(pages: &[&Digest]) -> (Vec<String>, Vec<Vec<i64>>) {
    let mut fields: Vec<&str> = pages
        .iter()
        .flat_map(|d| d.fields.iter().map(String::as_str))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    let renumber = pages
        .iter()
        .map(|d| {
            d.fields
                .iter()
                .map(|f| fields.binary_search(&f.as_str()).unwrap_or(0) as i64)
                .collect()
        })
        .collect();
    (fields.into_iter().map(str::to_string).collect(), renumber)
}

/// Each word of a digest with the offset of its entry.
pub(super) fn entries(words: &[u8]) -> impl Iterator<Item = (&str, u32)> {
    let mut r = Reader::new(words);
    std::iter::from_fn(move || {
        if r.done() {
            return None;
        }
        let stem = r.str()?;
        let at = r.at as u32;
        skip_entry(&mut r)?;
        Some((stem, at))
    })
}

/// The language's files from its encoded word chunks: the fragments' names, the
/// kind filter and the page list.
pub(super) fn assemble(
    language: &str,
    version: &str,
    pages: &[&Digest],
    fields: &[String],
    mut ranges: Vec<(String, String, String)>,
    encoded: Vec<Vec<u8>>,
) -> LanguageIndex {
    // Fragments are written by the caller (they are the digests' own files).
    let mut files: Vec<(String, Bytes)> = Vec::new();
    let fragment_names = fragment_names(language, pages);
    let hashes: Vec<String> = encoded
        .iter()
        .map(|b| blake3::hash(b).to_hex().to_string())
        .collect();
    let chunk_names = unique_names(language, hashes.iter().map(String::as_str), SHORT_HASH);
    for (range, name) in ranges.iter_mut().zip(&chunk_names) {
        range.2 = name.clone();
    }
    for (bytes, name) in encoded.into_iter().zip(&chunk_names) {
        files.push((format!("index/{name}.pf_index"), Bytes::from(bytes)));
    }

    // The one filter: kind.
    let mut kinds: Vec<(&str, Vec<u64>)> = Vec::new();
    for (i, d) in pages.iter().enumerate() {
        match kinds.iter_mut().find(|(k, _)| *k == d.kind) {
            Some((_, list)) => list.push(i as u64),
            None => kinds.push((d.kind.as_str(), vec![i as u64])),
        }
    }
    kinds.sort_by(|a, b| a.0.cmp(b.0));
    let mut filters = Vec::new();
    if !kinds.is_empty() {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out);
        let _ = e
            .array(2)
            .and_then(|e| e.str("kind"))
            .and_then(|e| e.array(kinds.len() as u64));
        for (value, list) in &kinds {
            let _ = e
                .array(2)
                .and_then(|e| e.str(value))
                .and_then(|e| e.array(list.len() as u64));
            for &p in list {
                let _ = e.u64(p);
            }
        }
        let bytes = gzip(&[SIGNATURE, &out], super::SMALL_LEVEL);
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let name = format!("{language}_{}", &hash[..SHORT_HASH]);
        files.push((format!("filter/{name}.pf_filter"), Bytes::from(bytes)));
        filters.push(("kind", name));
    }

    // The metadata file: version, pages, chunks, filters, sorts, fields.
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out);
    let _ = e
        .array(6)
        .and_then(|e| e.str(version))
        .and_then(|e| e.array(pages.len() as u64));
    for (d, name) in pages.iter().zip(&fragment_names) {
        let _ = e
            .array(3)
            .and_then(|e| e.str(name))
            .and_then(|e| e.u32(d.word_count))
            .and_then(|e| e.str(""));
    }
    let _ = e.array(ranges.len() as u64);
    for (from, to, hash) in &ranges {
        let _ = e
            .array(3)
            .and_then(|e| e.str(from))
            .and_then(|e| e.str(to))
            .and_then(|e| e.str(hash));
    }
    let _ = e.array(filters.len() as u64);
    for (filter, hash) in &filters {
        let _ = e
            .array(2)
            .and_then(|e| e.str(filter))
            .and_then(|e| e.str(hash));
    }
    let _ = e.array(0).and_then(|e| e.array(fields.len() as u64));
    for f in fields {
        let _ = e.str(f);
    }
    let meta_hash = blake3::hash(&out).to_hex().to_string();
    let hash = format!("{language}_{}", &meta_hash[..SHORT_HASH]);
    files.push((
        format!("pagefind.{hash}.pf_meta"),
        Bytes::from(gzip(&[SIGNATURE, &out], super::SMALL_LEVEL)),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    LanguageIndex {
        language: language.to_string(),
        hash,
        pages: pages.len(),
        files,
    }
}

/// Each page's fragment name: the shortest unique prefix of its hash.
pub fn fragment_names(language: &str, pages: &[&Digest]) -> Vec<String> {
    unique_names(
        language,
        pages.iter().map(|d| d.hash.as_str()),
        FRAGMENT_HASH,
    )
}

/// `LANG_PREFIX` for each hash: the shortest prefix (at least `shortest`) that no other
/// distinct hash of the list shares, so the names do not depend on order.
fn unique_names<'a>(
    language: &str,
    hashes: impl Iterator<Item = &'a str>,
    shortest: usize,
) -> Vec<String> {
    let hashes: Vec<&str> = hashes.collect();
    let mut sorted: Vec<&str> = hashes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let common = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let lengths: HashMap<&str, usize> = sorted
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let before = i.checked_sub(1).map_or(0, |j| common(sorted[j], h) + 1);
            let after = sorted.get(i + 1).map_or(0, |n| common(n, h) + 1);
            let len = shortest.max(before).max(after).min(h.len());
            (*h, len)
        })
        .collect();
    hashes
        .iter()
        .map(|h| {
            format!(
                "{language}_{}",
                &h[..lengths.get(h).copied().unwrap_or(h.len())]
            )
        })
        .collect()
}

/// Reads one word's entry at `r`, returning its size in Pagefind's chunk units
/// (positions and one per page), or None if the entry is damaged.
pub(super) fn skip_entry(r: &mut Reader) -> Option<u64> {
    let mut size = 0u64;
    if r.byte()? == 1 {
        size += (r.skip_list()? + r.skip_list()? + 1) as u64;
    }
    let variants = r.len()?;
    for _ in 0..variants {
        r.bytes()?;
        size += (r.skip_list()? + r.skip_list()? + 2) as u64;
    }
    Some(size)
}

/// Every word of the pages with where it occurs, sorted by the word's bytes.
pub(super) fn merge<'a>(pages: &[&'a Digest]) -> Vec<Word<'a>> {
    let shards = rayon::current_num_threads().clamp(1, 64) as u64;
    let hasher = foldhash::fast::FixedState::with_seed(0x4845_4152_5448);
    let mut words: Vec<Word<'a>> = (0..shards)
        .into_par_iter()
        .flat_map_iter(|shard| {
            let mut map: HashMap<&'a str, usize, foldhash::fast::FixedState> =
                HashMap::with_hasher(hasher.clone());
            let mut list: Vec<Word<'a>> = Vec::new();
            for (page, d) in pages.iter().enumerate() {
                let mut r = Reader::new(&d.words);
                while !r.done() {
                    let Some(stem) = r.str() else { break };
                    let at = r.at as u32;
                    let Some(size) = skip_entry(&mut r) else {
                        break;
                    };
                    if hasher.hash_one(stem) % shards != shard {
                        continue;
                    }
                    let i = *map.entry(stem).or_insert_with(|| {
                        list.push(Word {
                            stem,
                            postings: Vec::new(),
                            size: 0,
                        });
                        list.len() - 1
                    });
                    list[i].postings.push((page as u32, at));
                    list[i].size += size;
                }
            }
            list
        })
        .collect();
    words.par_sort_unstable_by(|a, b| a.stem.cmp(b.stem));
    words
}

/// Chunks of about `CHUNK_SIZE` positions, as ranges of the words (given by
/// their sizes, in order).
pub(super) fn cut(sizes: impl Iterator<Item = u64>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut len = 0;
    for (i, s) in sizes.enumerate() {
        len = i + 1;
        size += s;
        if size >= CHUNK_SIZE {
            out.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < len {
        out.push(start..len);
    }
    out
}

/// Each chunk's first and last word, shortened to the prefixes that still tell
/// neighbouring chunks apart (the browser loads the chunk whose range holds a
/// query word); the hash is filled in once the chunk is encoded.
pub(super) fn chunk_ranges(
    stems: &[&str],
    chunks: &[std::ops::Range<usize>],
) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = chunks
        .iter()
        .map(|r| {
            (
                stems[r.start].to_string(),
                stems[r.end - 1].to_string(),
                String::new(),
            )
        })
        .collect();
    for i in 1..out.len() {
        let (to, from) = (out[i - 1].1.clone(), out[i].0.clone());
        let common = from
            .chars()
            .zip(to.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let to_prefix: String = to.chars().take(common + 1).collect();
        let from_prefix: String = from.chars().take(common + 1).collect();
        if to_prefix >= out[i - 1].0 {
            out[i - 1].1 = to_prefix;
        }
        out[i].0 = from_prefix;
    }
    out
}

/// A metadata position list with the page's field numbers made the language's.
pub(super) fn write_meta(
    e: &mut Encoder<&mut Vec<u8>>,
    r: &mut Reader,
    renumber: &[i64],
) -> Option<()> {
    let n = r.len()?;
    let _ = e.array(n as u64);
    for _ in 0..n {
        let v = r.get_signed()?;
        let v = if v < 0 {
            let local = usize::try_from(-v - 1).ok()?;
            -renumber.get(local).copied().unwrap_or(0) - 1
        } else {
            v
        };
        let _ = e.i64(v);
    }
    Some(())
}

pub(super) fn write_list(e: &mut Encoder<&mut Vec<u8>>, r: &mut Reader) -> Option<()> {
    let n = r.len()?;
    let _ = e.array(n as u64);
    for _ in 0..n {
        let _ = e.i64(r.get_signed()?);
    }
    Some(())
}

/// `[word, [[page delta, locs, meta locs]…], [[form, [[page delta, …]…]]…]]`.
/// Where a word's encoding holds each page's plain entry, and whether it has
/// accented forms (`serve` splices an edited page's entry in place).
#[derive(Default)]
pub(super) struct Marks {
    pub(super) plain: Vec<(u32, u32)>,
    pub(super) forms: bool,
}

fn encode_word(e: &mut Encoder<&mut Vec<u8>>, w: &Word, pages: &[&Digest], renumber: &[Vec<i64>]) {
    encode_word_marked(e, w, pages, renumber, None);
}

pub(super) fn encode_word_marked(
    e: &mut Encoder<&mut Vec<u8>>,
    w: &Word,
    pages: &[&Digest],
    renumber: &[Vec<i64>],
    mut marks: Option<&mut Marks>,
) {
    let reader = |&(page, at): &Posting| {
        let mut r = Reader::new(&pages[page as usize].words);
        r.at = at as usize;
        r
    };
    // First pass: which pages have the plain form; which accented forms occur.
    let mut plain = 0u64;
    let mut forms: Vec<(&str, Vec<(Posting, usize)>)> = Vec::new();
    for p in &w.postings {
        let mut r = reader(p);
        let Some(flag) = r.byte() else { continue };
        if flag == 1 {
            plain += 1;
            if r.skip_list().and(r.skip_list()).is_none() {
                continue;
            }
        }
        let Some(n) = r.len() else { continue };
        for _ in 0..n {
            let Some(form) = r.str() else { break };
            let at = r.at;
            if r.skip_list().and(r.skip_list()).is_none() {
                break;
            }
            match forms.iter_mut().find(|(f, _)| *f == form) {
                Some((_, list)) => list.push((*p, at)),
                None => forms.push((form, vec![(*p, at)])),
            }
        }
    }
    let _ = e
        .array(3)
        .and_then(|e| e.str(w.stem))
        .and_then(|e| e.array(plain));
    let mut last_page = 0u32;
    for p in &w.postings {
        let mut r = reader(p);
        if r.byte() != Some(1) {
            continue;
        }
        if let Some(m) = marks.as_deref_mut() {
            m.plain.push((p.0, e.writer().len() as u32));
        }
        let _ = e.array(3).and_then(|e| e.u64(u64::from(p.0 - last_page)));
        last_page = p.0;
        let _ = write_list(e, &mut r);
        let _ = write_meta(e, &mut r, &renumber[p.0 as usize]);
    }
    if let Some(m) = marks {
        m.forms = !forms.is_empty();
    }
    let _ = e.array(forms.len() as u64);
    for (form, list) in &forms {
        let _ = e
            .array(2)
            .and_then(|e| e.str(form))
            .and_then(|e| e.array(list.len() as u64));
        let mut last_page = 0u32;
        for ((page, _), at) in list {
            let mut r = Reader::new(&pages[*page as usize].words);
            r.at = *at;
            let _ = e.array(3).and_then(|e| e.u64(u64::from(page - last_page)));
            last_page = *page;
            let _ = write_list(e, &mut r);
            let _ = write_meta(e, &mut r, &renumber[*page as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_prefixes_whatever_the_order() {
        let a = "aaaaaaa1xx";
        let b = "aaaaaaa2yy";
        let c = "bbbbbbbbbb";
        let names = unique_names("en", [a, b, c, a].into_iter(), 7);
        assert_eq!(
            names,
            vec!["en_aaaaaaa1", "en_aaaaaaa2", "en_bbbbbbb", "en_aaaaaaa1"]
        );
        let other = unique_names("en", [c, b, a].into_iter(), 7);
        assert_eq!(other, vec!["en_bbbbbbb", "en_aaaaaaa2", "en_aaaaaaa1"]);
    }
}
