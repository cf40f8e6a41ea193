//! Search end to end: the example site published under a sub-path and searched in
//! a real browser for each kind of thing; what is indexed and what is left out;
//! the same index for the same site, and from the cache the second time; search
//! turned off; and `serve`'s index following an edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::site::TestSite;

/// QUERY=PATH: searching QUERY must find PATH (under the base URL).
const SEARCHES: &[&str] = &[
    // A member, by surname (from the profile's name).
    "Okafor=members/ada/",
    // A curated link, by words of its title.
    "tokio tutorial=links/the-tokio-tutorial/",
    // A guideline rule, at its own anchor.
    "harassment=guidelines/code-of-conduct/#no-harassment",
    // A post.
    "reading group=news/async-reading-group/",
    // An event, by its place.
    "Makerspace Porto=events/embedded-workshop/",
];

#[test]
fn the_example_site_under_a_sub_path_finds_each_kind_in_a_browser() {
    let Some(tools) = common::browser_tools(&["axe-core"], true) else {
        return;
    };
    let (out, _server, base) = common::serve::publish_example("hub");
    assert!(out.path().join("hub/search/index.html").is_file());
    assert!(out.path().join("hub/pagefind/pagefind.js").is_file());
    let stdout = common::browser_script("search_page.mjs", &tools, &base, SEARCHES);
    assert!(
        stdout.contains(&format!(
            "{0} of {0} searches found their page, 0 problems",
            SEARCHES.len()
        )),
        "{stdout}"
    );
}

/// The URLs of every search record of a site, as serve loads it (drafts in).
fn record_urls(root: &Path) -> Vec<String> {
    let opts = hearth::load::LoadOptions {
        drafts: true,
        base_url: None,
        now: hearth::model::Date::parse("2026-12-01").unwrap(),
    };
    let built = hearth::load_site(root, &opts).unwrap_or_else(|d| panic!("{d:?}"));
    hearth::search::records(&built.site)
        .into_iter()
        .map(|r| r.url)
        .collect()
}

#[test]
fn drafts_and_pages_with_search_false_are_left_out_and_every_kind_is_in() {
    let site = TestSite::community()
        .page(
            "news/2026-11-05-draft",
            "title: Draft\ndraft: true",
            "Secret.",
        )
        .page("hidden", "title: Hidden\nsearch: false", "Not here.");
    let urls = record_urls(site.path());
    for want in [
        "/hub/about/",
        "/hub/news/welcome/",
        "/hub/members/ada/",
        "/hub/guidelines/code-of-conduct/",
    ] {
        assert!(urls.iter().any(|u| u == want), "{want} in {urls:?}");
    }
    assert!(
        urls.iter().any(|u| u.starts_with("/hub/links/")),
        "{urls:?}"
    );
    assert!(
        urls.iter()
            .any(|u| u.starts_with("/hub/guidelines/code-of-conduct/#")),
        "each rule is a record at its anchor: {urls:?}"
    );
    assert!(!urls.iter().any(|u| u.contains("draft")), "{urls:?}");
    assert!(!urls.iter().any(|u| u.contains("hidden")), "{urls:?}");
}

#[test]
fn the_index_is_the_same_for_the_same_site_and_is_taken_from_the_cache_next_time() {
    let a = common::copy_dir(&common::example_site(), &["public", ".hearth-cache"]);
    let b = common::copy_dir(&common::example_site(), &["public", ".hearth-cache"]);
    let index_of = |site: &Path| {
        let r = common::run(&["build", ".", "-o", "out"], site);
        assert_eq!(r.code, 0, "{}", r.stderr);
        (r.stderr, common::snapshot(&site.join("out/pagefind")))
    };
    let (said, first) = index_of(a.path());
    assert!(
        said.contains("search over") && !said.contains("records from cache"),
        "{said}"
    );
    assert!(first.len() > 5, "{first:?}");
    let (_, other) = index_of(b.path());
    assert!(
        first == other,
        "two fresh builds of one site give byte-identical index files"
    );
    let (said, cached) = index_of(a.path());
    assert!(said.contains("records from cache"), "{said}");
    assert!(
        first == cached,
        "the cached index is the same as a fresh one"
    );
    // A changed page is indexed again.
    common::write(
        a.path(),
        "content/about.md",
        "---\ntitle: About\n---\nA new word: zyzzyva.\n",
    );
    let (said, changed) = index_of(a.path());
    assert!(!said.contains("records from cache"), "{said}");
    assert!(changed != first);
}

#[test]
fn search_turned_off_writes_no_page_no_index_and_no_field() {
    let on = TestSite::minimal();
    on.build()
        .succeeds()
        .has_page("search/index.html", "name=\"q\"")
        .has_page("about/index.html", "class=\"site-search\"");
    assert!(on
        .path()
        .join("public/pagefind/pagefind-entry.json")
        .is_file());
    let off = TestSite::minimal().config("search: { enabled: false }");
    off.build().succeeds();
    let public = off.path().join("public");
    assert!(!public.join("search").exists());
    assert!(!public.join("pagefind").exists());
    assert!(!common::read(&public, "about/index.html").contains("site-search"));
}

#[test]
fn serve_indexes_in_memory_and_follows_an_edit() {
    let site = TestSite::minimal();
    let server = common::serve::start(site.path());
    let entry = |within: Duration, unlike: &str| {
        let started = Instant::now();
        loop {
            let (status, body) =
                common::serve::request(server.port, "/hub/pagefind/pagefind-entry.json");
            if status.contains("200") && body != unlike {
                return body;
            }
            assert!(
                started.elapsed() < within,
                "no new index within {within:?}: {status} {body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let first = entry(Duration::from_secs(20), "");
    assert!(first.contains("\"languages\""), "{first}");
    let (status, _) = common::serve::request(server.port, "/hub/pagefind/pagefind.js");
    assert!(status.contains("200"), "{status}");
    common::write(
        site.path(),
        "content/news/2026-11-03-third.md",
        "---\ntitle: Third\n---\nA word no page had: quokka.\n",
    );
    let next = entry(Duration::from_secs(20), &first);
    assert!(next.contains("\"languages\""), "{next}");
    // The old index stayed served until the new one was in place.
    let (status, _) = common::serve::request(server.port, "/hub/pagefind/pagefind.js");
    assert!(status.contains("200"), "{status}");
}
