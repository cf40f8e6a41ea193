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
type Posting = (u32, u32);

struct Word<'a> {
    stem: &'a str,
    postings: Vec<Posting>,
    size: u64,
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
fn fields_of(pages: &[&Digest]) -> (Vec<String>, Vec<Vec<i64>>) {
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

/// What `serve` keeps of one language's last index, so that the next one, after
/// an edit, encodes again only the words of the records that changed: each
/// word's postings and its encoded entry, against the digests they point into.
pub struct Kept {
    pages: Vec<std::sync::Arc<Digest>>,
    fields: Vec<String>,
    words: Vec<KeptWord>,
}

struct KeptWord {
    stem: Box<str>,
    postings: Vec<Posting>,
    size: u64,
    cbor: Vec<u8>,
    marks: Marks,
}

impl KeptWord {
    /// Encodes the word again from its postings.
    fn encode(&mut self, refs: &[&Digest], renumber: &[Vec<i64>]) {
        self.size = self
            .postings
            .iter()
            .filter_map(|&(page, offset)| {
                let mut r = Reader::new(&refs[page as usize].words);
                r.at = offset as usize;
                skip_entry(&mut r)
            })
            .sum();
        let word = Word {
            stem: &self.stem,
            postings: std::mem::take(&mut self.postings),
            size: self.size,
        };
        self.cbor.clear();
        self.marks = Marks::default();
        encode_word_marked(
            &mut Encoder::new(&mut self.cbor),
            &word,
            refs,
            renumber,
            Some(&mut self.marks),
        );
        self.postings = word.postings;
    }

    /// Replaces page `page`'s plain entry, which the word keeps, with the one at
    /// `now` in `digest` (no accented forms either side): the pages around it
    /// and so the page numbers' deltas stay. False when that does not hold.
    fn splice(
        &mut self,
        page: u32,
        digest: &Digest,
        now: u32,
        was: (&Digest, u32),
        renumber: &[i64],
    ) -> bool {
        let simple = |d: &Digest, at: u32| {
            let mut r = Reader::new(&d.words);
            r.at = at as usize;
            r.byte() == Some(1) && r.skip_list().and(r.skip_list()).is_some() && r.len() == Some(0)
        };
        if self.marks.forms || !simple(digest, now) || !simple(was.0, was.1) {
            return false;
        }
        let Some(k) = self.marks.plain.iter().position(|&(p, _)| p == page) else {
            return false;
        };
        let start = self.marks.plain[k].1 as usize;
        let end = match self.marks.plain.get(k + 1) {
            Some(&(_, next)) => next as usize,
            None => {
                // The last plain entry ends where the (empty) forms list starts:
                // one byte, an empty CBOR array.
                self.cbor.len() - 1
            }
        };
        let previous = k.checked_sub(1).map_or(0, |j| self.marks.plain[j].0);
        let mut entry = Vec::new();
        let mut e = Encoder::new(&mut entry);
        let _ = e.array(3).and_then(|e| e.u64(u64::from(page - previous)));
        let mut r = Reader::new(&digest.words);
        r.at = now as usize + 1;
        if write_list(&mut e, &mut r)
            .and_then(|()| write_meta(&mut e, &mut r, renumber))
            .is_none()
        {
            return false;
        }
        let size_of = |d: &Digest, at: u32| {
            let mut r = Reader::new(&d.words);
            r.at = at as usize;
            skip_entry(&mut r).unwrap_or(0)
        };
        self.size = self.size + size_of(digest, now)
            - size_of(was.0, was.1).min(self.size + size_of(digest, now));
        let shift = entry.len() as i64 - (end - start) as i64;
        self.cbor.splice(start..end, entry);
        for m in &mut self.marks.plain[k + 1..] {
            m.1 = (i64::from(m.1) + shift) as u32;
        }
        if let Some(p) = self.postings.iter_mut().find(|p| p.0 == page) {
            p.1 = now;
        }
        true
    }
}

/// Past this many changed records a full encoding is as quick.
const INCREMENTAL_AT_MOST: usize = 256;

/// [`language`] for `serve`: from the last index's [`Kept`] when the records are
/// the same ones in the same order, some of them changed (an edit), else from
/// scratch; with what to keep for the next.
pub fn language_kept(
    language: &str,
    version: &str,
    pages: &[std::sync::Arc<Digest>],
    chunk_level: u32,
    previous: Option<Kept>,
) -> (LanguageIndex, Kept) {
    let refs: Vec<&Digest> = pages.iter().map(|d| &**d).collect();
    let (fields, renumber) = fields_of(&refs);
    let words = match previous {
        Some(kept)
            if kept.pages.len() == pages.len()
                && kept.fields == fields
                && kept
                    .pages
                    .iter()
                    .zip(pages)
                    .filter(|(a, b)| !std::sync::Arc::ptr_eq(a, b))
                    .count()
                    <= INCREMENTAL_AT_MOST =>
        {
            update(kept, pages, &refs, &renumber)
        }
        _ => merge(&refs)
            .into_par_iter()
            .map(|w| {
                let mut kept = KeptWord {
                    stem: w.stem.into(),
                    postings: w.postings,
                    size: 0,
                    cbor: Vec::new(),
                    marks: Marks::default(),
                };
                kept.encode(&refs, &renumber);
                kept
            })
            .collect(),
    };
    let chunks = cut(words.iter().map(|w| w.size));
    let stems: Vec<&str> = words.iter().map(|w| &*w.stem).collect();
    let ranges = chunk_ranges(&stems, &chunks);
    let encoded: Vec<Vec<u8>> = chunks
        .par_iter()
        .map(|range| {
            let list = &words[range.clone()];
            let mut head = Vec::new();
            let _ = Encoder::new(&mut head)
                .array(1)
                .and_then(|e| e.array(list.len() as u64));
            let mut parts: Vec<&[u8]> = vec![SIGNATURE, &head];
            parts.extend(list.iter().map(|w| w.cbor.as_slice()));
            gzip(&parts, chunk_level)
        })
        .collect();
    let index = assemble(language, version, &refs, &fields, ranges, encoded);
    let kept = Kept {
        pages: pages.to_vec(),
        fields,
        words,
    };
    (index, kept)
}

/// The last index's words with the changed records' postings replaced, and
/// those words (only) encoded again.
fn update(
    kept: Kept,
    pages: &[std::sync::Arc<Digest>],
    refs: &[&Digest],
    renumber: &[Vec<i64>],
) -> Vec<KeptWord> {
    let Kept {
        pages: old,
        mut words,
        ..
    } = kept;
    let mut at: HashMap<Box<str>, usize> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (w.stem.clone(), i))
        .collect();
    let mut dirty = std::collections::BTreeSet::new();
    for (p, (was, now)) in old.iter().zip(pages).enumerate() {
        if std::sync::Arc::ptr_eq(was, now) {
            continue;
        }
        let p = p as u32;
        let before: HashMap<&str, u32> = entries(&was.words).collect();
        let after: HashMap<&str, u32> = entries(&now.words).collect();
        // A word on the page before and after, with no accented forms: only its
        // entry for this page changes, spliced into its encoding in place.
        for (stem, &offset) in &after {
            let Some((&i, &old_at)) = at.get(*stem).zip(before.get(stem)) else {
                continue;
            };
            if !dirty.contains(&i)
                && words[i].splice(p, now, offset, (was, old_at), &renumber[p as usize])
            {
                continue;
            }
            if let Some(posting) = words[i].postings.iter_mut().find(|x| x.0 == p) {
                posting.1 = offset;
            }
            dirty.insert(i);
        }
        // Words that left the page or came to it: their page lists change.
        for stem in before.keys().filter(|s| !after.contains_key(*s)) {
            if let Some(&i) = at.get(*stem) {
                words[i].postings.retain(|&(page, _)| page != p);
                dirty.insert(i);
            }
        }
        for (stem, &offset) in after.iter().filter(|(s, _)| !before.contains_key(*s)) {
            let i = match at.get(*stem) {
                Some(&i) => i,
                None => {
                    words.push(KeptWord {
                        stem: (*stem).into(),
                        postings: Vec::new(),
                        size: 0,
                        cbor: Vec::new(),
                        marks: Marks::default(),
                    });
                    at.insert((*stem).into(), words.len() - 1);
                    words.len() - 1
                }
            };
            let list = &mut words[i].postings;
            let slot = list.partition_point(|&(page, _)| page < p);
            list.insert(slot, (p, offset));
            dirty.insert(i);
        }
    }
    // The other changed words, encoded again in parallel.
    let mut changed: Vec<(usize, KeptWord)> = dirty
        .iter()
        .map(|&i| {
            let w = &mut words[i];
            let taken = KeptWord {
                stem: w.stem.clone(),
                postings: std::mem::take(&mut w.postings),
                size: 0,
                cbor: Vec::new(),
                marks: Marks::default(),
            };
            (i, taken)
        })
        .collect();
    changed
        .par_iter_mut()
        .for_each(|(_, w)| w.encode(refs, renumber));
    for (i, w) in changed {
        words[i] = w;
    }
    words.retain(|w| !w.postings.is_empty());
    words.sort_unstable_by(|a, b| a.stem.cmp(&b.stem));
    words
}

/// Each word of a digest with the offset of its entry.
fn entries(words: &[u8]) -> impl Iterator<Item = (&str, u32)> {
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
fn assemble(
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
fn skip_entry(r: &mut Reader) -> Option<u64> {
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
fn merge<'a>(pages: &[&'a Digest]) -> Vec<Word<'a>> {
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
fn cut(sizes: impl Iterator<Item = u64>) -> Vec<std::ops::Range<usize>> {
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
fn chunk_ranges(
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
fn write_meta(e: &mut Encoder<&mut Vec<u8>>, r: &mut Reader, renumber: &[i64]) -> Option<()> {
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

fn write_list(e: &mut Encoder<&mut Vec<u8>>, r: &mut Reader) -> Option<()> {
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
struct Marks {
    plain: Vec<(u32, u32)>,
    forms: bool,
}

fn encode_word(e: &mut Encoder<&mut Vec<u8>>, w: &Word, pages: &[&Digest], renumber: &[Vec<i64>]) {
    encode_word_marked(e, w, pages, renumber, None);
}

fn encode_word_marked(
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
