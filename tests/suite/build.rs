//! Whole builds of small sites: the URLs SPEC §2 promises, prefixes, drafts,
//! pagination, template overrides, and byte-identical rebuilds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use crate::common::{read, run, snapshot, write, write_bytes};
use std::path::Path;

#[test]
fn a_build_writes_every_promised_url() {
    let site = TestSite::minimal();
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = site.path().join("public");
    for f in [
        "index.html",
        "about/index.html",
        "news/index.html",
        "news/welcome/index.html",
        "news/second/index.html",
        "news/feed.xml",
        "tags/index.html",
        "tags/meta/index.html",
        "tags/rust/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "feed.xml",
        "style.css",
        "syntax.css",
    ] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
    assert!(r.stderr.contains("Built "), "summary line: {}", r.stderr);
}

#[test]
fn every_link_carries_the_base_url_prefix() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let out = site.path().join("public");
    let welcome = common::read(&out, "news/welcome/index.html");
    assert!(
        welcome.contains("href=\"/hub/about/#who-we-are\""),
        "md link rewritten: {welcome}"
    );
    assert!(welcome.contains("href=\"/hub/news/\""), "menu prefixed");
    assert!(welcome.contains("href=\"/hub/style.css\""));
    assert!(
        welcome.contains("<link rel=\"canonical\" href=\"https://example.org/hub/news/welcome/\">")
    );
    assert!(
        !welcome.contains("href=\"/news/"),
        "no unprefixed site links"
    );
    let home = common::read(&out, "index.html");
    assert!(home.contains("href=\"/hub/news/\""), "{home}");
    let sitemap = common::read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/hub/news/welcome/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-11-01</lastmod>"));
    let robots = common::read(&out, "robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/hub/sitemap.xml"));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = TestSite::minimal();
    let r = run(
        &["build", ".", "--base-url", "http://127.0.0.1:9999/sub"],
        site.path(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = common::read(&site.path().join("public"), "about/index.html");
    assert!(page.contains("href=\"/sub/news/\""), "{page}");
    assert!(page.contains("href=\"http://127.0.0.1:9999/sub/about/\""));
}

#[test]
fn headings_have_ids_and_permalinks() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let page = common::read(&site.path().join("public"), "news/welcome/index.html");
    assert!(
        page.contains("<h2 id=\"agenda\">Agenda <a class=\"anchor\" href=\"#agenda\""),
        "{page}"
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/news/draft.md",
        "---\ntitle: Secret\ndraft: true\ndate: 2026-11-03\n---\nx\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let out = site.path().join("public");
    assert!(!out.join("news/draft/index.html").exists());
    assert!(!common::read(&out, "news/index.html").contains("Secret"));
    assert!(!common::read(&out, "feed.xml").contains("Secret"));
    assert_eq!(run(&["build", ".", "--drafts"], site.path()).code, 0);
    assert!(out.join("news/draft/index.html").exists());
}

#[test]
fn sections_paginate_and_sort() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/news/_index.md",
        "---\ntitle: News\npaginate_by: 1\n---\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let out = site.path().join("public");
    let first = common::read(&out, "news/index.html");
    let second = common::read(&out, "news/page/2/index.html");
    assert!(
        first.contains("Second post") && !first.contains(">Welcome<"),
        "newest first: {first}"
    );
    assert!(second.contains(">Welcome<"), "{second}");
    assert!(
        first.contains("href=\"/hub/news/page/2/\""),
        "next link: {first}"
    );

    write(
        site.path(),
        "content/news/_index.md",
        "---\ntitle: News\nsort_by: title\n---\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let list = common::read(&out, "news/index.html");
    assert!(
        list.find("Second post") < list.find(">Welcome<"),
        "alphabetical"
    );
}

#[test]
fn site_templates_override_and_extend_the_theme() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "templates/page.html",
        "{% extends \"hearth/page.html\" %}{% block title %}Custom: {{ page.title }}{% endblock title %}",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let page = common::read(&site.path().join("public"), "about/index.html");
    assert!(page.contains("<title>Custom: About</title>"), "{page}");
    assert!(
        page.contains("<h2 id=\"who-we-are\">"),
        "theme body still rendered"
    );
}

#[test]
fn a_page_can_pick_its_template_and_a_missing_one_is_an_error() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "templates/plain.html",
        "PLAIN {{ page.title }}",
    );
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ntemplate: plain.html\n---\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    assert_eq!(
        common::read(&site.path().join("public"), "about/index.html"),
        "PLAIN About"
    );
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ntemplate: plian.html\n---\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:3:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `plain.html`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_atom_feed_parses_and_lists_dated_pages_newest_first() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let xml = common::read(&site.path().join("public"), "feed.xml");
    let feed: atom_syndication::Feed = xml.parse().expect("valid Atom");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["Second post", "Welcome"]);
    let content = feed.entries()[1]
        .content()
        .and_then(|c| c.value())
        .unwrap_or_default();
    assert!(
        content.contains("href=\"https://example.org/hub/about/#who-we-are\""),
        "absolute links: {content}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    for dir in [&a, &b] {
        let r = run(
            &[
                "build",
                example.to_str().unwrap(),
                "-o",
                dir.to_str().unwrap(),
            ],
            out.path(),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 20, "the example site has content");
    assert_eq!(sa, sb);
}

#[test]
fn a_rebuild_replaces_the_output_and_leaves_no_staging_folders() {
    let site = TestSite::minimal();
    write(site.path(), "content/extra.md", "---\ntitle: Extra\n---\n");
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    assert!(site.path().join("public/extra/index.html").exists());
    std::fs::remove_file(site.path().join("content/extra.md")).unwrap();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    assert!(
        !site.path().join("public/extra").exists(),
        "stale pages are gone"
    );
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".public.hearth-")),
        "{names:?}"
    );
}

#[test]
fn init_scaffolds_a_site_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["init", "hub"], dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["build", "hub"], dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    // One of everything, so a new user sees every community feature at once.
    for page in [
        "news/hello-world/index.html",
        "members/index.html",
        "members/alex/index.html",
        "spotlights/index.html",
        "links/markdown-basic-syntax/index.html",
        "guidelines/code-of-conduct/index.html",
        "events/first-call/index.html",
        "events.ics",
    ] {
        assert!(dir.path().join("hub/public").join(page).is_file(), "{page}");
    }
    let r = run(&["check", "hub", "--strict"], dir.path());
    assert_eq!(
        r.code, 0,
        "a new site has no warnings: {}{}",
        r.stdout, r.stderr
    );
    let r = run(&["init", "hub"], dir.path());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("will not overwrite"), "{}", r.stderr);
}

#[test]
fn static_files_and_page_assets_are_copied() {
    let site = TestSite::minimal();
    write(site.path(), "static/img/logo.svg", "<svg/>");
    write(site.path(), "content/news/photo.txt", "asset");
    write(
        site.path(),
        "content/news/2026-11-02-second.md",
        "---\ntitle: Second post\n---\n![a photo](photo.txt)\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let out = site.path().join("public");
    assert!(out.join("img/logo.svg").is_file());
    assert!(out.join("news/photo.txt").is_file());
    let page = common::read(&out, "news/second/index.html");
    assert!(page.contains("src=\"/hub/news/photo.txt\""), "{page}");
}

#[test]
fn a_page_in_another_language_gets_its_lang_and_direction() {
    use crate::common::site::TestSite;
    let site = TestSite::minimal()
        .page(
            "ar-welcome",
            "title: أهلا\nlanguage: ar\nsearch: false",
            "مرحبا بكم",
        )
        .page("pt", "title: Olá\nlanguage: pt-BR", "Bem-vindos");
    let built = site.build();
    built
        .succeeds()
        .has_page("ar-welcome/index.html", "<html lang=\"ar\" dir=\"rtl\">")
        .has_page("pt/index.html", "<html lang=\"pt-BR\">")
        .has_page("about/index.html", "<html lang=\"en\">");
    let site = site.config("language: he");
    site.build()
        .succeeds()
        .has_page("about/index.html", "<html lang=\"he\" dir=\"rtl\">");
    site.page("bad", "title: Bad\nlanguage: english please", "x")
        .build()
        .exits_with(1)
        .says(&["content/bad.md:3:", "not a language tag"]);
}

#[test]
fn the_favicon_is_linked_when_the_site_has_one_and_only_then() {
    let site = TestSite::minimal();
    let without = site.build();
    without.succeeds();
    assert!(!without.output("about/index.html").contains("rel=\"icon\""));
    let site = site.file(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().succeeds().has_page(
        "about/index.html",
        "<link rel=\"icon\" href=\"/hub/favicon.svg\" type=\"image/svg+xml\">",
    );
}

/// A clash found while the lists are written, after the search index has started:
/// the build fails with the clash named, writes nothing, and (as BENCHMARKS.md
/// measures) does not wait for the index.
#[test]
fn a_clash_found_after_the_index_started_fails_the_build() {
    let site = TestSite::minimal();
    write(site.path(), "static/tags/index.html", "mine");
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("both want to write /tags/index.html"),
        "{}",
        r.stderr
    );
    assert!(!site.path().join("public/index.html").exists());
    assert!(!site.path().join("public/pagefind").exists());
}

/// The text cache (`.hearth-cache/texts.bin`) hands a warm build a page's earlier
/// HTML only while everything that HTML was made from holds: a page a text links
/// to taking another URL, a new member it @mentions, a picture it shows going.
/// After each change the warm build equals a build without any cache.
#[test]
fn a_warm_build_renders_again_what_the_change_reaches_and_equals_a_cold_one() {
    let site = TestSite::community();
    let root = site.path();
    write(
        root,
        "content/news/2026-11-03-third.md",
        "---\ntitle: Third\n---\nSee [about](../about.md), ![map](map.png), and @grace.\n",
    );
    write_bytes(root, "content/news/map.png", common::TINY_PNG);
    let build = |out: &str| {
        let r = run(&["build", ".", "-o", out], root);
        assert_eq!(r.code, 0, "{}", r.stderr);
        snapshot(&root.join(out))
    };
    build("warm");
    assert!(root.join(".hearth-cache/texts.bin").is_file());
    let third = "warm/news/third/index.html";
    assert!(read(root, third).contains("href=\"/hub/about/\""));
    assert!(!read(root, third).contains("/members/grace/"));
    assert!(read(root, third).contains("src=\"/hub/news/map-"));
    let changes: [&dyn Fn(); 3] = [
        &|| {
            write(
                root,
                "content/about.md",
                "---\ntitle: About\nslug: team\n---\nPeople.\n",
            )
        },
        &|| {
            write(
                root,
                "members/grace.md",
                "---\nname: Grace\njoined: 2025-02-01\n---\nHi.\n",
            )
        },
        &|| std::fs::remove_file(root.join("content/news/map.png")).unwrap(),
    ];
    for change in changes {
        change();
        let warm = build("warm");
        std::fs::remove_dir_all(root.join(".hearth-cache")).unwrap();
        assert_eq!(
            warm,
            build("cold"),
            "the warm build differs from a cold one"
        );
    }
    let page = read(root, third);
    assert!(page.contains("href=\"/hub/team/\""), "{page}");
    assert!(page.contains("/hub/members/grace/"), "{page}");
    assert!(!page.contains("/hub/news/map"), "{page}");
}
