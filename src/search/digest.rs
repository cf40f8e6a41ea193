//! One record made ready for the index: its fragment file (what a result shows:
//! URL, text for the excerpt, metadata, anchors), compressed, and its words with
//! their positions and weights, packed as the index stores them.
//!
//! A digest depends on its record alone, so records are digested in parallel, in
//! any order, and a digest is what the cache keeps between builds: a warm build
//! digests only the records whose text changed.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::Serialize;

use super::postings::{entry, occur, pack, release, Entry, SLOTS};
use super::text::{self, MARK};
use super::words::Splitter;
use super::Record;

/// The weight of ordinary text (Pagefind's 1.0, times 24).
const BASE_WEIGHT: u8 = 24;
/// What every compressed index file starts with once decompressed.
pub const SIGNATURE: &[u8] = b"pagefind_dcd";

/// A record ready for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The language whose index holds it (Pagefind's: lowercase, or "unknown").
    pub language: String,
    /// Its kind, the one filter.
    pub kind: String,
    /// Words in its text (Pagefind's `word_count`: last position + 1).
    pub word_count: u32,
    /// The fragment's hash (hex): its file name is a prefix of it.
    pub hash: String,
    /// The fragment file: gzip of `pagefind_dcd` and the fragment's JSON.
    pub fragment: Bytes,
    /// Its metadata fields' names, sorted: `words` numbers fields by this list.
    pub fields: Vec<String>,
    /// Its words, sorted by their bytes, packed (see `pack`).
    pub words: Bytes,
}

#[derive(Serialize)]
struct FragmentJson<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: BTreeMap<&'a str, Vec<&'a str>>,
    meta: &'a BTreeMap<String, String>,
    anchors: Vec<AnchorJson>,
}

#[derive(Serialize)]
struct AnchorJson {
    element: String,
    id: String,
    text: String,
    location: u32,
}

/// The language tag as the index names it: lowercase letters, digits and `-`;
/// anything else (a tag that could name a path) is "unknown".
pub fn index_language(tag: &str) -> String {
    let tag = tag.trim().to_ascii_lowercase();
    let fine = !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if fine {
        tag
    } else {
        "unknown".to_string()
    }
}

/// Digests one record at the given gzip level. None when its body has no word
/// (Pagefind leaves such pages out).
pub fn digest(record: &Record, level: u32) -> Option<Digest> {
    let language = index_language(&record.language);
    Splitter::with(&language.clone(), |splitter| {
        digest_with(record, level, language, splitter)
    })
}

fn digest_with(
    record: &Record,
    level: u32,
    language: String,
    splitter: &mut Splitter,
) -> Option<Digest> {
    let read = text::read(&record.body);

    let mut entries: Vec<Entry> = Vec::new();
    let mut content = String::with_capacity(read.text.len());
    let mut anchors = Vec::new();
    let mut weights: Vec<u8> = vec![BASE_WEIGHT];
    let mut position: u32 = 0;
    let mut last_position: u32 = 0;
    let segmenting = super::words::segments(&language);
    let mut slots = SLOTS.with(|s| std::mem::take(&mut *s.borrow_mut()));
    // Every plain occurrence in the text (entry, position, weight), in order:
    // one list, not one per word, grouped by entry when packed.
    let mut plain: Vec<(u32, u32, u8)> = Vec::with_capacity(read.text.len() / 5);
    let mut track = Track {
        splitter: &mut *splitter,
        entries: &mut entries,
        slots: &mut slots,
        plain: &mut plain,
        content: &mut content,
    };
    for token in text::tokens(&read.text) {
        if let Some(mark) = token.strip_prefix(MARK) {
            let (what, arg) = mark.split_at(mark.chars().next().map_or(0, char::len_utf8));
            match what {
                "a" => {
                    if let Some(a) = arg.parse::<usize>().ok().and_then(|i| read.anchors.get(i)) {
                        let once = normalize_content(&a.raw);
                        anchors.push(AnchorJson {
                            element: a.element.clone(),
                            id: a.id.clone(),
                            text: normalize_content(&once),
                            location: position,
                        });
                    }
                }
                "w" => {
                    let auto = arg.parse::<u8>().unwrap_or(1).min(10) * BASE_WEIGHT;
                    let next = if weights.len() == 1 {
                        auto
                    } else {
                        weights.last().copied().unwrap_or(0)
                    };
                    weights.push(next);
                }
                _ => {
                    weights.pop();
                }
            }
            continue;
        }
        if segmenting && !token.starts_with("___") {
            let words = super::words::segment(token);
            let mut previous: Option<&str> = None;
            for (i, word) in words.iter().enumerate() {
                let last = i + 1 == words.len();
                if track.word(word, last, previous, true, &weights, position, segmenting) {
                    last_position = position;
                    position += 1;
                }
                previous = super::words::last_cluster(word);
            }
            continue;
        }
        if track.word(token, true, None, false, &weights, position, segmenting) {
            last_position = position;
            position += 1;
        }
    }
    let has_body = !entries.is_empty();
    if !has_body {
        release(slots, &entries);
        return None;
    }
    if content.ends_with('\u{200B}') {
        content.pop();
    }
    if content.ends_with(' ') {
        content.pop();
    }
    let word_count = last_position + 1;

    // Metadata, as the head of the record's document gives it to Pagefind.
    let mut meta: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &record.meta {
        if !value.is_empty() {
            meta.insert(name.clone(), without_private(&tidy(value)));
        }
    }
    let titled = meta.contains_key("title") || read.h1.is_some();
    if let (Some((src, alt)), true) = (&read.image, titled) {
        if !meta.contains_key("image") {
            meta.insert("image".into(), normalize_content(src));
            meta.insert("image_alt".into(), normalize_content(alt));
        }
    }
    if let Some(h1) = &read.h1 {
        if !meta.contains_key("title") {
            meta.insert("title".into(), tidy(h1));
        }
    }
    let kind = without_private(&tidy(record.kind.label()));
    let fields: Vec<String> = meta.keys().cloned().collect();
    for (field, value) in meta.values().enumerate() {
        let field = u16::try_from(field).unwrap_or(u16::MAX);
        for (i, token) in value.split_whitespace().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for w in splitter.meta(token) {
                let at = entry(&mut entries, &mut slots, &w);
                let e = &mut entries[at as usize];
                match &w.original {
                    None => e.meta.push((field, i)),
                    Some(form) => e.meta_forms.push((form.clone(), field, i)),
                }
            }
        }
    }
    release(slots, &entries);

    let fragment_json = serde_json::to_string(&FragmentJson {
        url: &record.url,
        content: &content,
        word_count: word_count as usize,
        filters: BTreeMap::from([("kind", vec![kind.as_str()])]),
        meta: &meta,
        anchors,
    })
    .ok()?;
    let hash = blake3::hash(fragment_json.as_bytes()).to_hex().to_string();
    // Kept until the index is written: without the slack a growing Vec leaves.
    let mut fragment = gzip(&[SIGNATURE, fragment_json.as_bytes()], level);
    fragment.shrink_to_fit();
    let fragment = Bytes::from(fragment);
    let mut words = pack(entries, plain);
    words.shrink_to_fit();
    let words = Bytes::from(words);
    Some(Digest {
        language,
        kind,
        word_count,
        hash,
        fragment,
        fields,
        words,
    })
}

thread_local! {
    /// One deflate state per thread and level, reset between files: a new
    /// state per file cost more than compressing a 3 KB fragment, and its
    /// 300 KB of tables, freed and allocated 10,000 times over, fragmented the
    /// heap to a gigabyte.
    static DEFLATE: std::cell::RefCell<Vec<(u32, flate2::Compress)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// gzip of the parts, one after the other.
pub fn gzip(parts: &[&[u8]], level: u32) -> Vec<u8> {
    let size: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(size / 2 + 64);
    // A gzip header with no name and no time (the output is the same every
    // build), "unknown" system.
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    let mut crc = crc32fast::Hasher::new();
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        let at = match d.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                d.push((
                    level,
                    flate2::Compress::new(flate2::Compression::new(level), false),
                ));
                d.len() - 1
            }
        };
        let z = &mut d[at].1;
        z.reset();
        for (i, part) in parts.iter().enumerate() {
            crc.update(part);
            let last = i + 1 == parts.len();
            let flush = if last {
                flate2::FlushCompress::Finish
            } else {
                flate2::FlushCompress::None
            };
            let start = z.total_in();
            loop {
                if out.capacity() - out.len() < 1024 {
                    out.reserve(out.capacity().max(4096));
                }
                let done = (z.total_in() - start) as usize;
                match z.compress_vec(&part[done..], &mut out, flush) {
                    Ok(flate2::Status::StreamEnd) => break,
                    Ok(_) if !last && (z.total_in() - start) as usize == part.len() => break,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    });
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out
}

/// Pagefind's clean-up of a text: entities decoded, ends trimmed, each run of
/// line breaks one space, each run of two or more spaces one space.
pub fn normalize_content(raw: &str) -> String {
    tidy(&html_escape::decode_html_entities(raw))
}

/// [`normalize_content`] of text whose entities are decoded already.
pub fn tidy(decoded: &str) -> String {
    let trimmed = decoded.trim();
    let mut lines = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if !starts_break {
            lines.push(c);
            continue;
        }
        if c == '\r' {
            chars.next();
        }
        loop {
            match chars.peek() {
                Some('\n') => {
                    chars.next();
                }
                Some('\r') => {
                    let mut ahead = chars.clone();
                    ahead.next();
                    if ahead.peek() == Some(&'\n') {
                        chars.next();
                        chars.next();
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        lines.push(' ');
    }
    let mut out = String::with_capacity(lines.len());
    let mut run: Option<char> = None;
    let mut run_len = 0;
    for c in lines.chars() {
        if c.is_whitespace() {
            run_len += 1;
            if run_len == 1 {
                run = Some(c);
            }
            continue;
        }
        flush_space(&mut out, run, run_len);
        run_len = 0;
        out.push(c);
    }
    flush_space(&mut out, run, run_len);
    out
}

fn flush_space(out: &mut String, run: Option<char>, len: usize) {
    match (run, len) {
        (_, 0) => {}
        (Some(c), 1) => out.push(c),
        _ => out.push(' '),
    }
}

/// Pagefind's private markers (`___PAGEFIND_…` and one space) taken out of a
/// value, as it does for metadata and filters.
fn without_private(value: &str) -> String {
    const PREFIX: &str = "___PAGEFIND_";
    if !value.contains(PREFIX) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        let word_end = after.find(char::is_whitespace).unwrap_or(after.len());
        if word_end == 0 {
            out.push_str(&rest[..at + PREFIX.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        let mut tail = &after[word_end..];
        if let Some(c) = tail.chars().next() {
            tail = &tail[c.len_utf8()..];
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// What the text loop writes into, for one word at a time.
struct Track<'a, 's> {
    splitter: &'a mut Splitter<'s>,
    entries: &'a mut Vec<Entry>,
    slots: &'a mut Vec<u32>,
    plain: &'a mut Vec<(u32, u32, u8)>,
    content: &'a mut String,
}

impl Track<'_, '_> {
    /// Indexes one word of the text at `position`; false when it is empty (then
    /// it takes no position). In a segmented language each segment also indexes
    /// its pairs of clusters, and the pair across the boundary from the segment
    /// before is indexed at that segment's position.
    #[allow(clippy::too_many_arguments)]
    fn word(
        &mut self,
        raw: &str,
        space: bool,
        previous: Option<&str>,
        segmented: bool,
        weights: &[u8],
        position: u32,
        segmenting: bool,
    ) -> bool {
        let cleaned;
        let word = if raw.contains('\u{200B}') {
            cleaned = raw.replace('\u{200B}', "");
            cleaned.as_str()
        } else {
            raw
        };
        if word.is_empty() {
            return false;
        }
        self.content.push_str(word);
        if space {
            self.content.push(' ');
        }
        if segmenting {
            self.content.push('\u{200B}');
        }
        let weight = weights.last().copied().unwrap_or(1);
        if !segmented {
            let (found, parts) = self.splitter.body(word);
            let partial = if parts > 0 && weight > 0 {
                (weight / parts).max(1)
            } else {
                0
            };
            for w in found {
                let weight = if w.part { partial } else { weight };
                occur(self.entries, self.slots, self.plain, w, position, weight);
            }
            return true;
        }
        let mut all = self.splitter.body(word).0.to_vec();
        for pair in super::words::pairs(word) {
            let k = self.splitter.pair(&pair);
            if !all.iter().any(|w| w.stem == k.stem) {
                all.push(k);
            }
        }
        let cross = super::words::cross_pair(word, previous)
            .map(|p| self.splitter.pair(&p))
            .filter(|k| !all.iter().any(|w| w.stem == k.stem));
        let parts = all.iter().filter(|w| w.part).count() + usize::from(cross.is_some());
        let partial = if parts > 0 && weight > 0 {
            (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1)
        } else {
            0
        };
        for w in &all {
            let weight = if w.part { partial } else { weight };
            occur(self.entries, self.slots, self.plain, w, position, weight);
        }
        if let (Some(k), Some(before)) = (cross, position.checked_sub(1)) {
            let at = entry(self.entries, self.slots, &k);
            let taken = match &k.original {
                None => self
                    .plain
                    .iter()
                    .rev()
                    .take_while(|&&(_, p, _)| p >= before)
                    .any(|&(e, p, _)| e == at && p == before),
                Some(_) => self.entries[at as usize]
                    .body_forms
                    .iter()
                    .any(|f| f.1 == before),
            };
            if !taken {
                match &k.original {
                    None => self.plain.push((at, before, partial)),
                    Some(form) => {
                        self.entries[at as usize]
                            .body_forms
                            .push((form.clone(), before, partial))
                    }
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_normalized_as_pagefind_does() {
        assert_eq!(
            normalize_content("\nHello  Wor\n ld? \n \n"),
            "Hello Wor ld?"
        );
        assert_eq!(normalize_content("a&amp;b\u{a0}c"), "a&b\u{a0}c");
        assert_eq!(normalize_content("a\r\n\r\nb"), "a b");
    }

    #[test]
    fn private_markers_are_taken_out_of_values() {
        assert_eq!(without_private("a ___PAGEFIND_X b"), "a b");
        assert_eq!(without_private("plain"), "plain");
    }

    #[test]
    fn languages_that_could_name_a_path_are_unknown() {
        assert_eq!(index_language("pt-BR"), "pt-br");
        assert_eq!(index_language("../../x"), "unknown");
        assert_eq!(index_language(""), "unknown");
    }
}
