//! Whole outputs a reviewer would rather read than assert on: the example site's key
//! pages and files, as insta snapshots in `tests/suite/snapshots/`. A change to the theme
//! or the pipeline shows up here as a readable diff; accept it with
//! `INSTA_UPDATE=always cargo test --test suite snapshots::` (or `cargo insta review`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

/// The example site's outputs that show every kind of page once.
const KEY_OUTPUTS: &[&str] = &[
    "index.html",
    "news/welcome/index.html",
    "members/index.html",
    "members/ada/index.html",
    "spotlights/index.html",
    "links/index.html",
    "links/the-proptest-book/index.html",
    "guidelines/code-of-conduct/index.html",
    "events/index.html",
    "events/december-call/index.html",
    "events.ics",
    "feed.xml",
    "links/feed.xml",
    "sitemap.xml",
    "promote/posts.csv",
    "404.html",
];

#[test]
fn the_example_sites_key_pages_are_as_reviewed() {
    let out = tempfile::tempdir().unwrap();
    common::build_example(out.path(), &[]);
    for file in KEY_OUTPUTS {
        let text = std::fs::read_to_string(out.path().join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let name = file.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
}
