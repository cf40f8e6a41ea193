//! Reading users' files: UTF-8 checked, paths shown relative to the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, SourceText};

/// Reads a text file; an unreadable or non-UTF-8 file is a diagnostic naming it.
pub fn read(root: &Path, path: &Path) -> Result<SourceText, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("io", format!("cannot read this file: {e}")).in_file(&shown)
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText {
            path: shown,
            text: Arc::from(text),
        }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = SourceText {
                path: shown,
                text: Arc::from(lossy),
            };
            let (line, _) = crate::diagnostics::line_col(&source.text, at);
            Err(Diagnostic::error(
                "encoding",
                format!("this file is not UTF-8 text (bad byte on line {line})"),
            )
            .at(&source, at..at + 1)
            .with_help("save the file as UTF-8 in your editor"))
        }
    }
}

/// The path as the user should read it: relative to the site folder when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Turns a relative path into `/`-separated text for URLs and lookups.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Skips dot-files and editor droppings (`.git`, `.DS_Store`, `foo.md~`, `#foo#`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// The files directly in `dir` whose extension is one of `exts`, sorted, dot-files
/// and editor droppings left out. A missing folder has none.
pub fn list_files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| is_ignored(&n.to_string_lossy()))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Whether `path` (typically a symlink) resolves to somewhere inside `root`. Files
/// from strangers' pull requests must not pull in `/etc/passwd` through a link.
pub fn resolves_inside(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
        (Ok(target), Ok(site)) => target.starts_with(site),
        _ => false,
    }
}
