//! Pagefind's browser files: `pagefind.js`, its worker and the WebAssembly that
//! searches (one per stemming language). hearth writes the index itself; these
//! files come from the Pagefind crate inside this binary (pinned to one version,
//! whose index format `encode` writes), never from a cache: a script taken from
//! a cache folder planted in a pull request would run on the published site.
//!
//! Pagefind's API makes them only alongside an index, so it is given one tiny
//! document per language, once per process, and its data files are dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;

/// A file of the bundle: its name under `/pagefind/` and its bytes.
pub type File = (String, Bytes);

/// The browser files for a set of languages, with what the entry file must say.
pub struct Scripts {
    pub files: Vec<File>,
    /// Pagefind's version, which the entry and metadata files carry.
    pub version: String,
    /// Per language, the WebAssembly that stems it (None: no stemming).
    pub wasm: BTreeMap<String, Option<String>>,
}

/// The files a search page needs; Pagefind's own UIs are left out (the theme has
/// its own search page).
fn wanted(name: &str) -> bool {
    name == "pagefind.js" || name == "pagefind-worker.js" || name.starts_with("wasm.")
}

/// The browser files for these languages, made once per process.
pub fn scripts(languages: &BTreeSet<String>) -> Result<Arc<Scripts>, String> {
    static MADE: OnceLock<Mutex<HashMap<BTreeSet<String>, Arc<Scripts>>>> = OnceLock::new();
    let made = MADE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = made.lock().ok().and_then(|m| m.get(languages).cloned()) {
        return Ok(found);
    }
    let docs = languages
        .iter()
        .enumerate()
        .map(|(i, lang)| {
            (
                format!("/{i}/"),
                format!(
                    "<html lang=\"{}\"><body><p>hearth</p></body></html>",
                    crate::escape::html(lang)
                ),
            )
        })
        .collect();
    let files = run_pagefind(docs)?;
    let entry = files
        .iter()
        .find(|(n, _)| n == "pagefind-entry.json")
        .ok_or("Pagefind wrote no entry file")?;
    let entry: serde_json::Value =
        serde_json::from_slice(&entry.1).map_err(|e| format!("Pagefind's entry file: {e}"))?;
    let version = entry["version"]
        .as_str()
        .ok_or("Pagefind's entry file has no version")?
        .to_string();
    let wasm = languages
        .iter()
        .map(|l| {
            let w = entry["languages"][l]["wasm"].as_str().map(str::to_string);
            (l.clone(), w)
        })
        .collect();
    let scripts = Arc::new(Scripts {
        files: files.into_iter().filter(|(n, _)| wanted(n)).collect(),
        version,
        wasm,
    });
    if let Ok(mut m) = made.lock() {
        m.insert(languages.clone(), scripts.clone());
    }
    Ok(scripts)
}

/// Runs Pagefind's API on its own thread: it is async and needs a runtime, which
/// must not be started inside `serve`'s, and a panic inside Pagefind becomes an
/// error here instead of ending hearth.
fn run_pagefind(docs: Vec<(String, String)>) -> Result<Vec<File>, String> {
    let worker = std::thread::Builder::new()
        .name("search scripts".into())
        .spawn(move || -> Result<Vec<File>, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let mut index =
                    pagefind::api::PagefindIndex::new(None).map_err(|e| e.to_string())?;
                for (url, html) in docs {
                    index
                        .add_html_file(None, Some(url), html)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                let files = index.get_files().await.map_err(|e| e.to_string())?;
                let mut out: Vec<File> = files
                    .into_iter()
                    .map(|f| {
                        let name = f.filename.to_string_lossy().replace('\\', "/");
                        (name, Bytes::from(f.contents))
                    })
                    .collect();
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Ok(out)
            })
        })
        .map_err(|e| e.to_string())?;
    worker
        .join()
        .map_err(|_| "Pagefind stopped with a panic".to_string())?
}

/// The entry file the browser reads first: the version, each language's metadata
/// file, its WebAssembly and page count, and the characters that count as word
/// characters.
pub fn entry(version: &str, languages: &[(String, String, Option<String>, usize)]) -> Bytes {
    #[derive(serde::Serialize)]
    struct Language<'a> {
        hash: &'a str,
        wasm: &'a Option<String>,
        page_count: usize,
    }
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        version: &'a str,
        languages: BTreeMap<&'a str, Language<'a>>,
        include_characters: &'a [char],
    }
    let entry = Entry {
        version,
        languages: languages
            .iter()
            .map(|(lang, hash, wasm, pages)| {
                (
                    lang.as_str(),
                    Language {
                        hash,
                        wasm,
                        page_count: *pages,
                    },
                )
            })
            .collect(),
        include_characters: &super::words::WORD_SYMBOLS,
    };
    Bytes::from(serde_json::to_vec(&entry).unwrap_or_default())
}
