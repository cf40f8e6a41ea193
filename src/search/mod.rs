//! Search: hearth writes Pagefind's index itself, and Pagefind's browser code
//! (`pagefind.js` and its WebAssembly, from the crate) searches it.
//!
//! ```text
//! model ─ records.rs ─▶ Record ─ digest.rs (text.rs, words.rs) ─▶ Digest ─┐
//!                      (one per page, member, link, rule)    cache.rs ◀─┤
//!                                       encode.rs (per language) ◀──────┘ ─▶ /pagefind/
//! ```
//!
//! Records are digested in parallel as the build's batches of pages are rendered
//! (their text is let go after), each digest cached under the hash of its record,
//! so a warm build digests only what changed and a build of the same records
//! takes the whole index from the cache. The index is the same byte for byte for
//! the same records, whatever the number of threads.

mod bundle;
pub mod cache;
pub mod digest;
mod encode;
mod html_tags;
mod kept;
mod postings;
pub mod records;
mod text;
mod varint;
pub mod words;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::output::{Body, Output};
pub use digest::Digest;
pub use records::{
    in_edition, other_records, page_records, records, slotted_records, Kind, Record, Slot,
};

/// Where the bundle goes in the output (`model::url::SEARCH_BUNDLE`).
pub const BUNDLE_DIR: &str = "pagefind/";
/// The cache folder (`.hearth-cache/search`).
pub const CACHE_DIR: &str = "search";
/// gzip levels (the browser reads any). Fragments: level 1 is 3% larger than 6
/// and much faster, and a query loads only the results it shows. Word chunks:
/// level 6, 13% smaller than 1 (a query loads one per word). The metadata and
/// filter files, which every query loads: 9. Measured in BENCHMARKS.md.
pub const FRAGMENT_LEVEL: u32 = 1;
pub const CHUNK_LEVEL: u32 = 2;
pub const SMALL_LEVEL: u32 = 9;

/// What indexing did, for the build's report and the benchmarks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SearchStats {
    pub records: usize,
    /// Records digested this time (the rest came from the cache).
    pub digested: usize,
    /// The whole index came from the cache: no record changed.
    pub from_cache: bool,
}

/// The search index being made: records are added (digested, or taken from the
/// cache or from the last index `serve` made), then `finish` writes the files.
pub struct Index {
    cache: Option<PathBuf>,
    stored: cache::Stored,
    /// This index's digests, by slot.
    digests: Vec<(Slot, cache::Key, Option<Arc<Digest>>)>,
    /// The last index's digests by key (`serve` keeps them between rebuilds).
    kept: HashMap<cache::Key, Option<Arc<Digest>>>,
    /// The last index's records by slot, for `replace_pages`.
    last: Vec<(Slot, cache::Key, Option<Arc<Digest>>)>,
    digested: usize,
    from_stored: usize,
    /// The hash of the last index's records, in order.
    last_set: cache::Key,
    /// The gzip level of the word chunks: `serve` stores them (level 0), as
    /// nothing goes over a network there.
    chunk_level: u32,
    /// `serve`: each language's encoded words, kept so that an edit encodes
    /// again only the words of the records it changed (None: a build).
    encoded: Option<HashMap<String, kept::Kept>>,
}

impl Index {
    /// An index that reads and writes the cache in `cache` (none: memory only).
    pub fn open(cache: Option<&Path>) -> Index {
        let stored = cache.map(cache::Stored::open).unwrap_or_default();
        Index {
            cache: cache.map(Path::to_path_buf),
            stored,
            digests: Vec::new(),
            kept: HashMap::new(),
            last: Vec::new(),
            digested: 0,
            from_stored: 0,
            last_set: [0; 32],
            chunk_level: CHUNK_LEVEL,
            encoded: None,
        }
    }

    /// Digests these records (in parallel), or takes them from what is kept.
    pub fn add(&mut self, records: Vec<(Slot, Record)>) {
        let (stored, kept) = (&self.stored, &self.kept);
        let made: Vec<(Slot, cache::Key, Option<Arc<Digest>>, u8)> = records
            .into_par_iter()
            .map(|(slot, record)| {
                let key = key_of(&record);
                if let Some(d) = kept.get(&key) {
                    return (slot, key, d.clone(), 0);
                }
                if let Some(d) = stored.get(&key) {
                    return (slot, key, Some(Arc::new(d)), 1);
                }
                (
                    slot,
                    key,
                    digest::digest(&record, FRAGMENT_LEVEL).map(Arc::new),
                    2,
                )
            })
            .collect();
        for (slot, key, d, from) in made {
            match from {
                1 => self.from_stored += 1,
                2 => self.digested += 1,
                _ => {}
            }
            self.digests.push((slot, key, d));
        }
    }

    /// `serve` after an edit to pages only: the last index's records stand but
    /// for these pages', given again (making and hashing every record of 10,000
    /// pages costs more than the rest of an edit's index).
    pub fn replace_pages(&mut self, pages: &[usize], records: Vec<(Slot, Record)>) {
        let edited: std::collections::HashSet<u32> = pages.iter().map(|&i| i as u32).collect();
        self.digests = self
            .last
            .iter()
            .filter(|(slot, _, _)| !(slot.0 == 0 && edited.contains(&slot.1)))
            .cloned()
            .collect();
        self.add(records);
    }

    /// Whether the records added are the last index's, in the same order (then
    /// they are let go, and `finish` need not be called).
    pub fn unchanged(&mut self) -> bool {
        let same = self.digested == 0
            && self.from_stored == 0
            && self.digests.len() == self.kept.len()
            && self.set_of(&self.digests) == self.last_set;
        if same {
            self.digests.clear();
        }
        same
    }

    /// An index for `serve`: made again after each edit and read from memory on
    /// this machine, so its word chunks are stored, not compressed.
    pub fn for_serve(mut self) -> Index {
        self.chunk_level = 0;
        self.encoded = Some(HashMap::new());
        self
    }

    /// From now on the cache is neither read nor written (`serve` keeps its
    /// digests in memory after its first index).
    pub fn forget_cache(&mut self) {
        self.cache = None;
        self.stored = cache::Stored::default();
    }

    fn set_of(&self, digests: &[(Slot, cache::Key, Option<Arc<Digest>>)]) -> cache::Key {
        let mut sorted: Vec<(Slot, &cache::Key)> =
            digests.iter().map(|(s, k, _)| (*s, k)).collect();
        sorted.sort();
        let mut set = blake3::Hasher::new();
        set.update(&[
            FRAGMENT_LEVEL as u8,
            self.chunk_level as u8,
            SMALL_LEVEL as u8,
        ]);
        for (_, key) in sorted {
            set.update(key);
        }
        set.finalize().into()
    }

    /// The `/pagefind/` files for every record added; the digests are kept for
    /// the next records (`serve`), and the cache written when anything changed.
    pub fn finish(&mut self) -> Result<(Vec<Output>, SearchStats), Diagnostic> {
        let failed = |why: String| {
            Diagnostic::error(Code::Search, format!("the search index failed: {why}")).with_help(
                "this is a bug in hearth or Pagefind; `search: { enabled: false }` in site.yaml builds without search meanwhile",
            )
        };
        let mut digests = std::mem::take(&mut self.digests);
        digests.sort_by_key(|(slot, _, _)| *slot);
        let set = self.set_of(&digests);
        self.last_set = set;
        let records = digests.iter().filter(|(_, _, d)| d.is_some()).count();
        let stats = SearchStats {
            records,
            digested: self.digested,
            from_cache: false,
        };

        let present: Vec<Arc<Digest>> = digests.iter().filter_map(|(_, _, d)| d.clone()).collect();
        let by_language = group_languages(&present);
        let languages: BTreeSet<String> = by_language.iter().map(|(l, _)| l.clone()).collect();
        let scripts = bundle::scripts(&languages).map_err(failed)?;

        let reused = self
            .cache
            .as_deref()
            .filter(|_| self.digested == 0)
            .and_then(|dir| cache::load_index(dir, &set))
            .filter(|stored| {
                stored.len() == by_language.len()
                    && stored
                        .iter()
                        .zip(&by_language)
                        .all(|(s, (l, p))| s.language == *l && s.pages == p.len())
            });
        let from_cache = reused.is_some();
        let built: Vec<encode::LanguageIndex> = match reused {
            Some(stored) => stored,
            None => by_language
                .iter()
                .map(|(language, pages)| match &mut self.encoded {
                    Some(encoded) => {
                        let previous = encoded.remove(language);
                        let (made, kept) = kept::language_kept(
                            language,
                            &scripts.version,
                            pages,
                            self.chunk_level,
                            previous,
                        );
                        encoded.insert(language.clone(), kept);
                        made
                    }
                    None => {
                        let refs: Vec<&Digest> = pages.iter().map(|d| &**d).collect();
                        encode::language(language, &scripts.version, &refs, self.chunk_level)
                    }
                })
                .collect(),
        };

        let mut files: Vec<bundle::File> = scripts.files.clone();
        let mut entry_languages = Vec::new();
        for (l, (language, pages)) in built.iter().zip(&by_language) {
            let wasm = scripts.wasm.get(language).cloned().flatten();
            entry_languages.push((l.language.clone(), l.hash.clone(), wasm, l.pages));
            files.extend(l.files.iter().cloned());
            let refs: Vec<&Digest> = pages.iter().map(|d| &**d).collect();
            let names = encode::fragment_names(language, &refs);
            let mut seen = BTreeSet::new();
            for (d, name) in pages.iter().zip(names) {
                if seen.insert(name.clone()) {
                    files.push((format!("fragment/{name}.pf_fragment"), d.fragment.clone()));
                }
            }
        }
        files.push((
            "pagefind-entry.json".to_string(),
            bundle::entry(&scripts.version, &entry_languages),
        ));
        files.sort_by(|a, b| a.0.cmp(&b.0));

        if let Some(dir) = &self.cache {
            if self.digested > 0 || self.from_stored != self.stored.len() {
                let keyed: Vec<(cache::Key, &Digest)> = digests
                    .iter()
                    .filter_map(|(_, k, d)| d.as_deref().map(|d| (*k, d)))
                    .collect();
                cache::store_records(&self.stored, &keyed);
            }
            if !from_cache {
                cache::store_index(dir, &set, &built);
            }
        }
        self.kept = digests.iter().map(|(_, k, d)| (*k, d.clone())).collect();
        self.last = digests;
        self.digested = 0;
        self.from_stored = 0;
        let outputs = files
            .into_iter()
            .map(|(name, bytes)| Output {
                path: format!("{BUNDLE_DIR}{name}"),
                body: Body::Bytes(bytes),
                origin: "generated search index".into(),
            })
            .collect();
        Ok((
            outputs,
            SearchStats {
                from_cache,
                ..stats
            },
        ))
    }
}

/// The hash of everything a record's digest is made from.
fn key_of(r: &Record) -> cache::Key {
    let mut h = blake3::Hasher::new();
    h.update(env!("HEARTH_SOURCE_ID").as_bytes());
    h.update(&FRAGMENT_LEVEL.to_le_bytes());
    let mut part = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    part(&r.url);
    part(&r.language);
    part(r.kind.label());
    for (name, value) in &r.meta {
        part(name);
        part(value);
    }
    part(&r.body);
    h.finalize().into()
}

/// The digests by language, in record order; records of no known language join
/// the language with the most records (as Pagefind does), at its end.
fn group_languages(digests: &[Arc<Digest>]) -> Vec<(String, Vec<Arc<Digest>>)> {
    let mut groups: Vec<(String, Vec<Arc<Digest>>)> = Vec::new();
    for d in digests {
        match groups.iter_mut().find(|(l, _)| *l == d.language) {
            Some((_, list)) => list.push(d.clone()),
            None => groups.push((d.language.clone(), vec![d.clone()])),
        }
    }
    if let Some(at) = groups.iter().position(|(l, _)| l == "unknown") {
        let primary = groups
            .iter()
            .enumerate()
            .filter(|(_, (l, _))| l != "unknown")
            .max_by(|a, b| a.1 .1.len().cmp(&b.1 .1.len()).then(b.1 .0.cmp(&a.1 .0)))
            .map(|(i, _)| i);
        if let Some(primary) = primary {
            let (_, unknown) = groups.remove(at);
            let primary = if primary > at { primary - 1 } else { primary };
            groups[primary].1.extend(unknown);
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

/// The whole site's index in one go (the tests).
pub fn index_site(
    site: &Site,
    cache: Option<&Path>,
) -> Result<(Vec<Output>, SearchStats), Diagnostic> {
    let mut index = Index::open(cache);
    index.add(slotted_records(site));
    index.finish()
}
