//! What `serve` keeps of one language's last search index, so that the index after
//! an edit encodes again only the words of the records that changed (the rest of
//! encode.rs makes an index from scratch, as a build does).

use std::collections::HashMap;

use minicbor::Encoder;
use rayon::prelude::*;

use super::digest::{gzip, Digest, SIGNATURE};
use super::encode::*;
use super::varint::Reader;

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
