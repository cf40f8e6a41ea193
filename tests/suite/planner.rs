//! The incremental planner (`render::select` with `Lists::Related`): when `serve`
//! re-renders one edited page, which list pages are redone with it. Too few and a
//! list shows stale text; too many and a big site's edit is slow.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::site::TestSite;
use hearth::render::{self, Lists, Pages, Selection};

/// Loads the community fixture as `serve` does and returns the output paths that
/// re-rendering the page from `source` (and the lists that show it) writes.
fn redone_with(source: &str) -> Vec<String> {
    let site = TestSite::community();
    let opts = hearth::load::LoadOptions {
        drafts: true,
        base_url: None,
        now: hearth::model::Date::parse("2026-11-22").unwrap(),
    };
    let built = hearth::prepare(site.path(), &opts).unwrap_or_else(|d| panic!("{d:?}"));
    let i = built
        .site
        .pages
        .iter()
        .position(|p| p.source.path.to_string_lossy() == source)
        .unwrap_or_else(|| panic!("no page {source}"));
    let tags = built.site.pages[i]
        .meta
        .tags
        .iter()
        .map(|t| hearth::model::url::slugify(t))
        .collect();
    let selection = Selection {
        pages: Pages::These(vec![i]),
        lists: Lists::Related {
            pages: vec![i],
            tags,
            before: Default::default(),
            sitemap: true,
        },
        feeds: false,
        extras: false,
    };
    let (outputs, problems) =
        render::select(&built.site, &built.templates, &built.plan, &selection, None);
    assert!(problems.is_empty(), "{problems:?}");
    let mut paths: Vec<String> = outputs.into_iter().map(|o| o.path).collect();
    paths.sort();
    paths
}

fn has(paths: &[String], path: &str) -> bool {
    paths.iter().any(|p| p == path)
}

#[test]
fn a_spotlight_redoes_its_section_home_spotlights_tags_and_its_members_only() {
    let paths = redone_with("content/news/2026-11-05-spotlight-ada.md");
    for wanted in [
        "news/spotlight-ada/index.html",
        "news/index.html",
        "index.html",
        "spotlights/index.html",
        "members/ada/index.html",
        "members/bob/index.html",
    ] {
        assert!(has(&paths, wanted), "{wanted} missing from {paths:?}");
    }
    for unwanted in [
        "members/cy/index.html",
        "events/index.html",
        "about/index.html",
        "links/index.html",
    ] {
        assert!(
            !has(&paths, unwanted),
            "{unwanted} redone needlessly: {paths:?}"
        );
    }
}

#[test]
fn an_event_redoes_the_events_list_but_no_member() {
    let paths = redone_with("content/events/soon.md");
    assert!(has(&paths, "events/soon/index.html"), "{paths:?}");
    assert!(has(&paths, "events/index.html"), "{paths:?}");
    assert!(
        !paths.iter().any(|p| p.starts_with("members/")),
        "{paths:?}"
    );
    assert!(!has(&paths, "spotlights/index.html"), "{paths:?}");
}

#[test]
fn a_page_a_curated_link_discusses_redoes_the_link_library() {
    let paths = redone_with("content/news/2026-11-01-welcome.md");
    assert!(has(&paths, "links/index.html"), "{paths:?}");
    assert!(has(&paths, "tags/meta/index.html"), "its tag: {paths:?}");
    assert!(
        !has(&paths, "tags/rust/index.html"),
        "another tag: {paths:?}"
    );
}

#[test]
fn a_page_no_list_shows_beyond_home_redoes_no_community_list() {
    let paths = redone_with("content/about.md");
    assert!(has(&paths, "about/index.html"), "{paths:?}");
    for list in [
        "links/index.html",
        "events/index.html",
        "spotlights/index.html",
    ] {
        assert!(!has(&paths, list), "{list}: {paths:?}");
    }
    assert!(
        !paths.iter().any(|p| p.starts_with("members/")),
        "{paths:?}"
    );
}
