//! One record made ready for the index: its fragment file (what a result shows:
//! URL, text for the excerpt, metadata, anchors), compressed, and its words with
//! their positions and weights, packed as the index stores them.
//!
//! A digest depends on its record alone, so records are digested in parallel, in
//! any order, and a digest is what the cache keeps between builds: a warm build
//! digests only the records whose text changed.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use bytes::Bytes;
use serde::Serialize;

use super::text::{self, MARK};
use super::varint;
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

/// Where a word stands in a record: its position and weight in the text, and
/// the form it had before its accents were taken off.
struct Seen {
    position: u32,
    weight: u8,
    original: Option<String>,
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
    let splitter = Splitter::new(&language);
    let read = text::read(&record.body);

    let mut body: HashMap<String, Vec<Seen>> = HashMap::new();
    let mut content = String::with_capacity(read.text.len());
    let mut anchors = Vec::new();
    let mut weights: Vec<u8> = vec![BASE_WEIGHT];
    let mut position: u32 = 0;
    let mut last_position: u32 = 0;
    for token in read.text.split_whitespace() {
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
        let cleaned;
        let word = if token.contains('\u{200B}') {
            cleaned = token.replace('\u{200B}', "");
            cleaned.as_str()
        } else {
            token
        };
        if word.is_empty() {
            continue;
        }
        content.push_str(word);
        content.push(' ');
        let weight = weights.last().copied().unwrap_or(1);
        let found = splitter.body(word);
        let parts = found.iter().filter(|w| w.part).count();
        let partial = if parts > 0 && weight > 0 {
            (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1)
        } else {
            0
        };
        for w in found.iter() {
            let seen = Seen {
                position,
                weight: if w.part { partial } else { weight },
                original: w.original.clone(),
            };
            match body.get_mut(w.stem.as_str()) {
                Some(list) => list.push(seen),
                None => {
                    body.insert(w.stem.clone(), vec![seen]);
                }
            }
        }
        last_position = position;
        position += 1;
    }
    if body.is_empty() {
        return None;
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
    let mut in_meta: HashMap<String, Vec<(u16, u32, Option<String>)>> = HashMap::new();
    for (field, value) in meta.values().enumerate() {
        for (i, token) in value.split_whitespace().enumerate() {
            for w in splitter.meta(token) {
                in_meta.entry(w.stem).or_default().push((
                    u16::try_from(field).unwrap_or(u16::MAX),
                    u32::try_from(i).unwrap_or(u32::MAX),
                    w.original,
                ));
            }
        }
    }

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
    let fragment = Bytes::from(gzip(&[SIGNATURE, fragment_json.as_bytes()], level));
    let words = Bytes::from(pack(body, in_meta));
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

/// gzip of the parts, one after the other.
pub fn gzip(parts: &[&[u8]], level: u32) -> Vec<u8> {
    let size: usize = parts.iter().map(|p| p.len()).sum();
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(size / 3 + 64),
        flate2::Compression::new(level),
    );
    for p in parts {
        // Writing to a Vec cannot fail.
        let _ = gz.write_all(p);
    }
    gz.finish().unwrap_or_default()
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

/// Positions in the text, as the index stores them: sorted by weight (ordinary
/// weight first only when it is 25, which it never is: Pagefind's rule) then
/// position; a change of weight is `-(weight + 1)` and the position itself,
/// else the distance from the last position.
fn pack_positions(mut seen: Vec<(u32, u8)>) -> Vec<i64> {
    seen.sort_by_key(|&(position, weight)| (if weight == 25 { 0 } else { weight }, position));
    let mut out = Vec::with_capacity(seen.len() + 2);
    let mut current = 25u8;
    let mut last = 0u32;
    for (position, weight) in seen {
        if weight != current {
            out.push(-i64::from(weight) - 1);
            out.push(i64::from(position));
            current = weight;
        } else {
            out.push(i64::from(position - last));
        }
        last = position;
    }
    out
}

/// Positions in the metadata: by field, `-(field + 1)` at each new field, then
/// each position as the distance from the last one in that field.
fn pack_meta(mut seen: Vec<(u16, u32)>) -> Vec<i64> {
    seen.sort_unstable();
    let mut out = Vec::with_capacity(seen.len() + 2);
    let mut field = None;
    let mut last = 0u32;
    for (f, position) in seen {
        if field != Some(f) {
            out.push(-i64::from(f) - 1);
            field = Some(f);
            last = 0;
        }
        out.push(i64::from(position - last));
        last = position;
    }
    out
}

/// A word's entry for one record: its own positions (text and metadata) and its
/// accented forms' (each with theirs), in Pagefind's order.
#[derive(Default)]
struct Entry {
    locs: Vec<i64>,
    meta: Vec<i64>,
    variants: Vec<(String, Vec<i64>, Vec<i64>)>,
}

/// The record's words, sorted by their bytes, each as: stem, then 1 and its
/// positions (text, then metadata, each a count and zigzag varints) when the
/// plain form occurs, else 0; then the count of accented forms, each its form and
/// positions likewise. Metadata fields are numbered by the record's own sorted
/// list; `encode` renumbers them for the language's list.
fn pack(
    body: HashMap<String, Vec<Seen>>,
    meta: HashMap<String, Vec<(u16, u32, Option<String>)>>,
) -> Vec<u8> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (stem, seen) in body {
        let mut plain = Vec::new();
        let mut forms: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
        for s in seen {
            match s.original {
                None => plain.push((s.position, s.weight)),
                Some(form) => forms.entry(form).or_default().push((s.position, s.weight)),
            }
        }
        let entry = entries.entry(stem).or_default();
        if !plain.is_empty() {
            entry.locs = pack_positions(plain);
        }
        for (form, at) in forms {
            entry.variants.push((form, pack_positions(at), Vec::new()));
        }
    }
    for (stem, seen) in meta {
        let mut plain = Vec::new();
        let mut forms: BTreeMap<String, Vec<(u16, u32)>> = BTreeMap::new();
        for (field, position, original) in seen {
            match original {
                None => plain.push((field, position)),
                Some(form) => forms.entry(form).or_default().push((field, position)),
            }
        }
        let entry = entries.entry(stem).or_default();
        if !plain.is_empty() {
            entry.meta = pack_meta(plain);
        }
        for (form, at) in forms {
            let packed = pack_meta(at);
            match entry.variants.iter_mut().find(|v| v.0 == form) {
                Some(v) => v.2 = packed,
                None => entry.variants.push((form, Vec::new(), packed)),
            }
        }
    }
    let mut out = Vec::new();
    for (stem, e) in entries {
        varint::put_str(&mut out, &stem);
        let has_page = !e.locs.is_empty() || !e.meta.is_empty();
        out.push(u8::from(has_page));
        if has_page {
            varint::put_list(&mut out, &e.locs);
            varint::put_list(&mut out, &e.meta);
        }
        varint::put(&mut out, e.variants.len() as u64);
        for (form, locs, meta) in &e.variants {
            varint::put_str(&mut out, form);
            varint::put_list(&mut out, locs);
            varint::put_list(&mut out, meta);
        }
    }
    out
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
    fn positions_pack_with_weight_changes_first() {
        // Pagefind's own example: ordinary weight 24 still starts with a marker.
        assert_eq!(
            pack_positions(vec![(0, 24), (3, 24), (5, 24)]),
            vec![-25, 0, 3, 2]
        );
        assert_eq!(
            pack_positions(vec![(4, 24), (1, 168)]),
            vec![-25, 4, -169, 1]
        );
        assert_eq!(
            pack_meta(vec![(3, 2), (0, 0), (0, 5)]),
            vec![-1, 0, 5, -4, 2]
        );
    }

    #[test]
    fn languages_that_could_name_a_path_are_unknown() {
        assert_eq!(index_language("pt-BR"), "pt-br");
        assert_eq!(index_language("../../x"), "unknown");
        assert_eq!(index_language(""), "unknown");
    }
}
