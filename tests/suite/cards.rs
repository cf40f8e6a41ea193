//! Promotion cards and sharing: every shareable page carries the full Open Graph and
//! Twitter tag set pointing at a real 1200×630 PNG (read back with npm's
//! open-graph-scraper), a warm rebuild draws no card and changes no byte, and
//! tracking parameters stay out of canonical URLs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{run, snapshot, write};

/// Copies the example site (cache and output left behind) into a temp folder.
fn example_copy() -> tempfile::TempDir {
    common::copy_dir(&common::example_site(), &["public", ".hearth-cache"])
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is a PNG",
        path.display()
    );
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

/// Every HTML page that has a card of its own: the shareable ones.
fn shareable_pages(out: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out.join("cards"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(out.join("cards"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some(stem) = rel.strip_suffix(".png") else {
            continue;
        };
        if stem.starts_with("links/") || stem.contains("/links/") {
            continue; // curated links share the /links/ page
        }
        // A language's home card is `cards/fr/index.png` (SPEC §5).
        let page = match stem.strip_suffix("index") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => {
                format!("{folder}index.html")
            }
            _ => format!("{stem}/index.html"),
        };
        assert!(out.join(&page).is_file(), "card {rel} has no page {page}");
        pages.push(page);
    }
    pages.sort();
    pages
}

fn build(site: &Path) -> common::Run {
    let r = run(&["build", "."], site);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// Needs no outside tool, so it never skips.
#[test]
fn every_card_is_a_1200_by_630_png_under_a_megabyte() {
    let site = example_copy();
    build(site.path());
    let cards: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("public/cards"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .map(|e| e.into_path())
        .collect();
    assert!(cards.len() >= 25, "{} cards", cards.len());
    for card in &cards {
        assert_eq!(png_size(card), (1200, 630), "{}", card.display());
        assert!(
            std::fs::metadata(card).unwrap().len() < 1024 * 1024,
            "{} under 1 MB",
            card.display()
        );
    }
}

#[test]
fn every_shareable_page_has_the_full_tag_set_and_a_real_card() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools");
    let ogs_found = tools.join("node_modules/open-graph-scraper").is_dir();
    if !common::require_tool(
        ogs_found && common::has_command("node", "--version"),
        "node with npm's open-graph-scraper",
    ) {
        return;
    }
    let site = example_copy();
    build(site.path());
    let out = site.path().join("public");
    let pages = shareable_pages(&out);
    assert!(pages.len() >= 25, "{} shareable pages", pages.len());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/og_check.mjs");
    let result = Command::new("node")
        .arg(&script)
        .arg(&tools)
        .arg(&out)
        .args(&pages)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let base = "https://example.org/hub/";
    for page in &pages {
        let og = &parsed[page];
        let ctx = format!("{page}: {og}");
        for key in [
            "ogTitle",
            "ogDescription",
            "ogType",
            "ogUrl",
            "ogSiteName",
            "ogLocale",
            "twitterTitle",
            "twitterDescription",
        ] {
            assert!(
                og[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} missing in {ctx}"
            );
        }
        assert_eq!(og["twitterCard"], "summary_large_image", "{ctx}");
        let url = og["ogUrl"].as_str().unwrap();
        assert!(url.starts_with(base) && !url.contains("utm_"), "{ctx}");
        let image = &og["ogImage"][0];
        assert_eq!(image["width"], "1200", "{ctx}");
        assert_eq!(image["height"], "630", "{ctx}");
        assert_eq!(image["type"], "image/png", "{ctx}");
        assert!(
            image["alt"].as_str().is_some_and(|a| !a.is_empty()),
            "{ctx}"
        );
        let image_url = image["url"].as_str().unwrap();
        let local: PathBuf = out.join(image_url.strip_prefix(base).expect("absolute og:image"));
        assert_eq!(png_size(&local), (1200, 630), "{ctx}");
        assert!(
            std::fs::metadata(&local).unwrap().len() < 1024 * 1024,
            "{} under 1 MB",
            local.display()
        );
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{page} canonical"
        );
        assert!(html.contains("<meta name=\"twitter:image:alt\""), "{page}");
        assert!(html.contains("<meta name=\"theme-color\""), "{page}");
    }
}

#[test]
fn a_warm_rebuild_draws_no_card_and_changes_no_byte() {
    let site = example_copy();
    let first = build(site.path());
    assert!(
        first.stderr.contains(" rendered, 0 from cache"),
        "{}",
        first.stderr
    );
    let before = snapshot(&site.path().join("public"));
    let second = build(site.path());
    assert!(second.stderr.contains("(0 rendered, "), "{}", second.stderr);
    assert_eq!(snapshot(&site.path().join("public")), before);
}

#[test]
fn an_edit_redraws_only_the_cards_it_touches() {
    let site = example_copy();
    build(site.path());
    let text = std::fs::read_to_string(site.path().join("content/about.md")).unwrap();
    write(
        site.path(),
        "content/about.md",
        &text.replace("title: About Rust Makers", "title: About us"),
    );
    let r = build(site.path());
    assert!(r.stderr.contains("(1 rendered, "), "{}", r.stderr);
}

#[test]
fn card_false_opts_out_and_the_page_falls_back_to_the_site_card() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ncard: false\n---\nx\n",
    );
    write(
        site.path(),
        "content/news/2026-11-02-second.md",
        "---\ntitle: Second post\ncard: { title: A better title, subtitle: And more }\n---\nx\n",
    );
    build(site.path());
    let out = site.path().join("public");
    assert!(!out.join("cards/about.png").exists());
    let about = std::fs::read_to_string(out.join("about/index.html")).unwrap();
    assert!(
        about.contains(
            "<meta property=\"og:image\" content=\"https://example.org/hub/cards/index.png\">"
        ),
        "{about}"
    );
    assert!(
        !about.contains("class=\"share\""),
        "no share links without a card of its own"
    );
    assert!(out.join("cards/news/second.png").is_file());
    let second = std::fs::read_to_string(out.join("news/second/index.html")).unwrap();
    assert!(
        second.contains("utm_source%3Dx%26utm_medium%3Dsocial%26utm_campaign%3Dcommunity"),
        "share links tagged: {second}"
    );
}

#[test]
fn cards_can_be_turned_off() {
    let site = TestSite::minimal();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}cards:\n  enabled: false\n"),
    );
    build(site.path());
    assert!(!site.path().join("public/cards").exists());
    let page = std::fs::read_to_string(site.path().join("public/about/index.html")).unwrap();
    assert!(!page.contains("og:image"));
    assert!(page.contains("twitter:card\" content=\"summary\""));
}

#[test]
fn tracking_parameters_stay_out_of_canonical_urls_sitemaps_and_feeds() {
    let site = example_copy();
    build(site.path());
    let out = site.path().join("public");
    for file in ["sitemap.xml", "feed.xml", "links/feed.xml", "events.ics"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains("utm_"), "{file}");
    }
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for line in html
                .lines()
                .filter(|l| l.contains("rel=\"canonical\"") || l.contains("og:url"))
            {
                assert!(!line.contains("utm_"), "{}: {line}", entry.path().display());
            }
        }
    }
}

#[test]
fn the_promotion_kit_lists_items_with_tagged_links_and_a_csv() {
    let site = example_copy();
    build(site.path());
    let out = site.path().join("public");
    let kit = std::fs::read_to_string(out.join("promote/index.html")).unwrap();
    assert!(kit.contains("data-copy-from"), "copy buttons");
    assert!(kit.contains("utm_source=bluesky&amp;utm_medium=social&amp;utm_campaign=community"));
    assert!(kit.contains("src=\"/hub/cards/"), "cards shown");
    let mut reader = csv::Reader::from_path(out.join("promote/posts.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["date", "message", "link", "image_url"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 30, "{} rows", rows.len());
    for row in &rows {
        assert_eq!(row.len(), 4);
        assert!(row[2].contains("utm_source="), "{row:?}");
        assert!(row[3].starts_with("https://example.org/hub/cards/") && row[3].ends_with(".png"));
        let local = out.join(row[3].strip_prefix("https://example.org/hub/").unwrap());
        assert!(local.is_file(), "{}", local.display());
    }
    let dates: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    let raw = std::fs::read(out.join("promote/posts.csv")).unwrap();
    assert!(
        raw.windows(2).any(|w| w == b"\r\n"),
        "RFC 4180 line endings"
    );
}

#[test]
fn a_static_logo_goes_on_every_card() {
    let site = TestSite::minimal();
    let first = build(site.path());
    assert!(
        first.stderr.contains(" rendered, 0 from cache"),
        "{}",
        first.stderr
    );
    write(site.path(), "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"5\" fill=\"#123456\"/></svg>");
    let with_logo = build(site.path());
    assert!(
        with_logo.stderr.contains("(0 from cache)") || with_logo.stderr.contains(", 0 from cache)"),
        "every card is drawn again with the logo: {}",
        with_logo.stderr
    );
}
