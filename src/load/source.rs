//! Reading users' text files through the guarded door (`site_fs`): UTF-8 checked, a
//! byte-order mark dropped, characters that no web page or feed may hold refused, and
//! paths shown relative to the site.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, SourceText};
pub use crate::site_fs::{is_ignored, list_files, shown as display_path};

/// Reads a text file; an unreadable or non-UTF-8 file, a link out of the site or a
/// character XML forbids is a diagnostic naming it.
pub fn read(root: &Path, path: &Path) -> Result<SourceText, Diagnostic> {
    let shown = display_path(root, path);
    let mut bytes = crate::site_fs::read_text_bytes(root, path)?;
    // Editors on Windows save UTF-8 with a byte-order mark; it is not content.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let source = match String::from_utf8(bytes) {
        Ok(text) => SourceText {
            path: shown,
            text: Arc::from(text),
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = SourceText {
                path: shown,
                text: Arc::from(lossy),
            };
            let (line, _) = crate::diagnostics::line_col(&source.text, at);
            return Err(Diagnostic::error(
                Code::Encoding,
                format!("this file is not UTF-8 text (bad byte on line {line})"),
            )
            .at(&source, at..at + 1)
            .with_help("save the file as UTF-8 in your editor"));
        }
    };
    if let Some((at, c)) = crate::escape::first_forbidden_in_xml(&source.text) {
        return Err(Diagnostic::forbidden_character(
            &source,
            at..at + c.len_utf8(),
            c,
        ));
    }
    Ok(source)
}

/// Turns a relative path into `/`-separated text for URLs and lookups.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
