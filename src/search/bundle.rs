//! Pagefind driven through its API, and the cache of what it made.
//!
//! The cache keeps only the index's data (`pagefind-entry.json` and the `.pf_*`
//! files). The JavaScript and WebAssembly always come from the Pagefind inside
//! this binary: a cache folder can arrive in a pull request, and a script taken
//! from it would run on the published site. Data read from it is at worst wrong
//! results, which the search page shows as text and links within the site only.

use std::collections::BTreeSet;
use std::path::Path;

use bytes::Bytes;

use super::Record;
use crate::site_fs;

/// A file of the bundle: its name under `/pagefind/` and its bytes.
pub type File = (String, Bytes);

/// Bump when what a record turns into changes without the records changing.
const CACHE_VERSION: &str = "hearth-search-2";
const CACHE_FILE: &str = "bundle";
/// What Pagefind leaves out of every record: heading permalinks ("#").
const EXCLUDED: &str = ".anchor";

/// The files a search page needs; Pagefind's own UIs are left out (the theme has
/// its own search page).
fn wanted(name: &str) -> bool {
    !(name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight.")
        || name.starts_with("playground/"))
}

/// The index's own data, as opposed to the code that reads it.
fn is_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A name Pagefind writes: a relative path of plain characters, never `..`.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.split('/').any(|part| part.is_empty() || part == "..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

/// The hash of everything the index is made from.
pub fn key(records: &[Record]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(CACHE_VERSION.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(EXCLUDED.as_bytes());
    for r in records {
        for part in [&r.url, &r.language, &r.html] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().to_hex().to_string()
}

/// Indexes the records with Pagefind. Runs on a thread of its own: Pagefind's API
/// is async and needs a runtime, which must not be started inside `serve`'s, and a
/// panic inside Pagefind becomes an error here instead of ending hearth.
pub fn build(records: Vec<Record>) -> Result<Vec<File>, String> {
    run_pagefind(records.into_iter().map(|r| (r.url, r.html)).collect())
}

fn run_pagefind(docs: Vec<(String, String)>) -> Result<Vec<File>, String> {
    let worker = std::thread::Builder::new()
        .name("search index".into())
        .spawn(move || -> Result<Vec<File>, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let options = pagefind::options::PagefindServiceConfig::builder()
                    .exclude_selectors(vec![EXCLUDED.into()])
                    .build();
                let mut index =
                    pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
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
                    .filter(|(name, _)| wanted(name))
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

/// The cached bundle for `key`, completed with this binary's scripts, or None.
pub fn cached(dir: &Path, key: &str, records: &[Record]) -> Option<Vec<File>> {
    let bytes = site_fs::cache_read(&dir.join(CACHE_FILE))?;
    let data = decode(bytes::Bytes::from(bytes), key)?;
    let mut files = scripts(records).ok()?;
    files.extend(data);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Some(files)
}

/// Pagefind's JavaScript and WebAssembly for the languages of these records, from
/// an index of one word per language (the files do not depend on the content).
fn scripts(records: &[Record]) -> Result<Vec<File>, String> {
    let languages: BTreeSet<&str> = records.iter().map(|r| r.language.as_str()).collect();
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
    Ok(files.into_iter().filter(|(n, _)| !is_data(n)).collect())
}

/// Saves the bundle's data for the next build (a failure only costs that build
/// the time to index again).
pub fn store(dir: &Path, key: &str, files: &[File]) {
    // A failed build does not wait for the index, so a process can end while
    // storing one: what such a process left is swept once it is old.
    let _ = site_fs::cache_sweep(dir);
    let mut out = Vec::new();
    out.extend_from_slice(CACHE_VERSION.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(key.as_bytes());
    out.push(b'\n');
    for (name, bytes) in files.iter().filter(|(n, _)| is_data(n)) {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let _ = site_fs::cache_write(&dir.join(CACHE_FILE), &out);
}

/// Reads a stored bundle; anything unexpected (another key, a cut file, a name
/// that is not Pagefind's) reads as no cache.
fn decode(bytes: Bytes, key: &str) -> Option<Vec<File>> {
    let header = format!("{CACHE_VERSION}\n{key}\n");
    if !bytes.starts_with(header.as_bytes()) {
        return None;
    }
    let mut at = header.len();
    let mut files = Vec::new();
    while at < bytes.len() {
        let (len, next) = take_number::<4>(&bytes, at)?;
        let name = std::str::from_utf8(bytes.get(next..next.checked_add(len)?)?).ok()?;
        if !is_safe_name(name) || !is_data(name) {
            return None;
        }
        let (len, start) = take_number::<8>(&bytes, next + len)?;
        let end = start.checked_add(len)?;
        if end > bytes.len() {
            return None;
        }
        files.push((name.to_string(), bytes.slice(start..end)));
        at = end;
    }
    files
        .iter()
        .any(|(n, _)| n == "pagefind-entry.json")
        .then_some(files)
}

/// The little-endian number of N bytes at `at`, and where it ends.
fn take_number<const N: usize>(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let head = bytes.get(at..at.checked_add(N)?)?;
    let mut buf = [0u8; 8];
    buf[..N].copy_from_slice(head);
    Some((usize::try_from(u64::from_le_bytes(buf)).ok()?, at + N))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_bundle_reads_back_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<File> = vec![
            ("pagefind-entry.json".into(), Bytes::from_static(b"{}")),
            (
                "fragment/en_1.pf_fragment".into(),
                Bytes::from_static(&[1, 2, 3]),
            ),
            ("pagefind.js".into(), Bytes::from_static(b"alert(1)")),
        ];
        store(dir.path(), "k1", &files);
        let bytes = Bytes::from(std::fs::read(dir.path().join(CACHE_FILE)).unwrap());
        let back = decode(bytes.clone(), "k1").unwrap();
        assert_eq!(back, files[..2].to_vec(), "scripts are never cached");
        assert!(decode(bytes.clone(), "k2").is_none());
        assert!(decode(bytes.slice(..bytes.len() - 1), "k1").is_none());
    }

    #[test]
    fn a_planted_cache_cannot_name_a_script_or_leave_the_folder() {
        for name in [
            "pagefind.js",
            "../x.pf_meta",
            "/abs.pf_meta",
            "a//b.pf_index",
        ] {
            let mut bytes = format!("{CACHE_VERSION}\nk\n").into_bytes();
            bytes.extend_from_slice(&(name.len() as u32).to_le_bytes());
            bytes.extend_from_slice(name.as_bytes());
            bytes.extend_from_slice(&1u64.to_le_bytes());
            bytes.push(b'x');
            assert!(decode(Bytes::from(bytes), "k").is_none(), "{name}");
        }
    }
}
