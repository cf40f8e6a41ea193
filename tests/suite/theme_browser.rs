//! The default theme in a real browser, as visitors meet it: every kind of page of
//! the example site, published under a sub-path and served by a plain static
//! server, opened in headless Chromium on a 390 px phone in light and in dark mode.
//! axe-core must find nothing, no page may be wider than the phone, and no request
//! may leave the site (tools: node, npm's playwright-core and axe-core, Chromium,
//! python3; .ci/run installs them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

/// One page of each kind: home, every list, one of each item page, the kit, 404.
const PAGE_KINDS: &[&str] = &[
    "",
    "about/",
    "news/",
    "news/error-handling-workshop/",
    "news/async-reading-group/",
    "events/",
    "events/december-call/",
    "members/",
    "members/ada/",
    "members/chen/",
    "spotlights/",
    "spotlights/ada/",
    "links/",
    "links/the-tokio-tutorial/",
    "links/tags/async/",
    "guidelines/",
    "guidelines/code-of-conduct/",
    "tags/",
    "tags/embedded/",
    "promote/",
    "search/",
    "404.html",
    // The example site's French (SPEC §5).
    "fr/",
    "fr/news/bienvenue/",
    "fr/news/",
    "fr/members/ada/",
    "fr/guidelines/code-of-conduct/",
];

#[test]
fn every_page_kind_passes_axe_and_fits_a_phone_in_light_and_dark() {
    let Some(tools) = common::browser_tools(&["axe-core"], true) else {
        return;
    };
    let (out, _server, base) = common::serve::publish_example("hub");
    for page in PAGE_KINDS {
        let file = if page.ends_with(".html") {
            page.to_string()
        } else {
            format!("{page}index.html")
        };
        assert!(
            out.path().join("hub").join(&file).is_file(),
            "{file} is built"
        );
    }
    let stdout = common::browser_script("axe_pages.mjs", &tools, &base, PAGE_KINDS);
    assert!(
        stdout.contains(&format!(
            "{} page views checked, 0 problems",
            PAGE_KINDS.len() * 2
        )),
        "{stdout}"
    );
}

/// SPEC §5: the French and Arabic (right to left) home and post of the
/// trilingual fixture, with its language switcher, pass axe and fit a phone.
#[test]
fn french_and_arabic_pages_pass_axe_and_fit_a_phone() {
    let Some(tools) = common::browser_tools(&["axe-core"], true) else {
        return;
    };
    let site = common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages"),
        &["public", ".hearth-cache"],
    );
    let (_out, _server, base) = common::serve::publish(site.path(), "hub");
    let pages = [
        "fr/",
        "fr/news/bienvenue/",
        "fr/news/",
        "ar/",
        "ar/news/welcome/",
        "ar/news/",
        "fr/guidelines/code-of-conduct/",
    ];
    let stdout = common::browser_script("axe_pages.mjs", &tools, &base, &pages);
    assert!(
        stdout.contains(&format!(
            "{} page views checked, 0 problems",
            pages.len() * 2
        )),
        "{stdout}"
    );
}
