//! Search: the records (`records.rs`) indexed by Pagefind into the files under
//! `/pagefind/`, which the theme's search page loads in the browser.
//!
//! Pagefind does the hard parts (stemming per language, a chunked index so a
//! visitor downloads a few hundred KB, WebAssembly search); hearth decides what is
//! found and caches the result. Indexing is the dearest step of a build, so the
//! whole bundle is cached under the hash of every record: a build whose records
//! are the same as the last one's indexes nothing.

mod bundle;
pub mod records;

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::output::{Body, Output};
pub use records::{records, Kind, Record};

/// Where the bundle goes in the output (`model::url::SEARCH_BUNDLE`).
pub const BUNDLE_DIR: &str = "pagefind/";
/// The cache folder (`.hearth-cache/search`).
pub const CACHE_DIR: &str = "search";

/// Every record of a site with the hash of them all: the cache's key, and what
/// `serve` compares to skip indexing a site whose records did not change.
pub struct Records {
    pub list: Vec<Record>,
    pub key: String,
}

impl Records {
    pub fn of(site: &Site) -> Records {
        let list = records(site);
        let key = bundle::key(&list);
        Records { list, key }
    }
}

/// What indexing did, for the build's report and the benchmarks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SearchStats {
    pub records: usize,
    pub from_cache: bool,
}

/// The `/pagefind/` files for these records: from the cache when every record is
/// the same as the cached bundle's, else indexed (and cached when `cache` is given).
pub fn index(
    records: Records,
    cache: Option<&Path>,
) -> Result<(Vec<Output>, SearchStats), Diagnostic> {
    let stats = |from_cache| SearchStats {
        records: records.list.len(),
        from_cache,
    };
    if let Some(files) = cache.and_then(|dir| bundle::cached(dir, &records.key, &records.list)) {
        return Ok((outputs(files), stats(true)));
    }
    let stats = stats(false);
    let files = bundle::build(records.list).map_err(|why| {
        Diagnostic::error(Code::Search, format!("the search index failed: {why}")).with_help(
            "this is a bug in hearth or Pagefind; `search: { enabled: false }` in site.yaml builds without search meanwhile",
        )
    })?;
    if let Some(dir) = cache {
        bundle::store(dir, &records.key, &files);
    }
    Ok((outputs(files), stats))
}

fn outputs(files: Vec<bundle::File>) -> Vec<Output> {
    files
        .into_iter()
        .map(|(name, bytes)| Output {
            path: format!("{BUNDLE_DIR}{name}"),
            body: Body::Bytes(bytes),
            origin: "generated search index".into(),
        })
        .collect()
}
