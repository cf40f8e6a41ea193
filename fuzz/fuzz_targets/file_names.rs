//! File names as a contributor may commit them: slugs, dates in names, page URLs.
//! Whatever the name, hearth makes a URL of letters, digits and hyphens that fits a
//! file system, or says why it cannot; it never panics.
#![no_main]
use std::path::Path;
use std::sync::Arc;

use hearth::diagnostics::SourceText;
use hearth::load::content::{assign_paths, from_source};
use hearth::model::page::PageKind;
use hearth::model::url::{file_slug, slugify, MAX_SLUG};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (name, body) = text.split_once('\n').unwrap_or((&text, ""));
    // Any characters a file name can hold: everything but `/` and NUL.
    let name: String = name.chars().filter(|c| *c != '/' && *c != '\0').collect();
    let slug = slugify(&name);
    assert!(slug.len() <= MAX_SLUG, "{slug}");
    assert!(
        slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{slug}"
    );
    let _ = file_slug(&name);
    let root = Path::new("/site");
    let file = root.join("content/news").join(format!("{name}.md"));
    let source = SourceText {
        path: Path::new("content/news").join(format!("{name}.md")),
        text: Arc::from(format!("---\ntitle: T\n---\n{body}")),
    };
    match from_source(source, PageKind::Page, root, &file) {
        Ok(mut page) => {
            assign_paths(std::slice::from_mut(&mut page), Path::new("content"), "Test");
            assert!(!page.slug.is_empty());
            assert!(page.path.starts_with("/news/") && page.path.ends_with('/'), "{}", page.path);
            assert!(!page.path.contains("//") && !page.path.contains(".."), "{}", page.path);
        }
        Err(problems) => {
            for d in problems {
                let _ = d.render(false);
            }
        }
    }
});
