//! SPEC §5: one site in several languages. The fixture (`tests/fixtures/languages`)
//! is in English, French and Arabic, with a translated and an untranslated post, a
//! French guideline that follows an older version, a member with a French bio,
//! and a base_url with a path (`/hub/`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::site::TestSite;

fn built() -> TestSite {
    let site = TestSite::fixture("languages");
    site.build().succeeds();
    site
}

fn html_files(public: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html") && !p.ends_with("404.html"))
        .collect()
}

/// `(hreflang, href)` of every alternate link in a page's head.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.split(r#"<link rel="alternate" hreflang=""#)
        .skip(1)
        .filter_map(|rest| {
            let (lang, rest) = rest.split_once('"')?;
            let href = rest.strip_prefix(r#" href=""#)?.split('"').next()?;
            Some((lang.to_string(), href.to_string()))
        })
        .collect()
}

fn canonical(html: &str) -> String {
    html.split(r#"<link rel="canonical" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_output_kind_has_its_url_under_the_language() {
    let site = built();
    let public = site.path().join("public");
    for path in [
        "fr/index.html",
        "fr/news/bienvenue/index.html",
        "fr/news/index.html",
        "fr/members/ada/index.html",
        "fr/members/index.html",
        "fr/links/index.html",
        "fr/links/async-in-depth/index.html",
        "fr/guidelines/code-of-conduct/index.html",
        "fr/guidelines/index.html",
        "fr/events/index.html",
        "fr/events/meetup/index.html",
        "fr/events.ics",
        "fr/events/meetup.ics",
        "fr/tags/communaute/index.html",
        "fr/search/index.html",
        "fr/feed.xml",
        "ar/index.html",
        "ar/news/welcome/index.html",
        "news/welcome/index.html",
        "news/release/index.html",
    ] {
        assert!(public.join(path).is_file(), "{path} is missing");
    }
    // An untranslated page is published in its own language only, and what the
    // whole site has once stays at the root.
    for path in [
        "fr/news/release/index.html",
        "ar/guidelines/code-of-conduct/index.html",
        "fr/404.html",
        "fr/sitemap.xml",
        "fr/style.css",
    ] {
        assert!(!public.join(path).exists(), "{path} should not exist");
    }
    let page = std::fs::read_to_string(public.join("fr/news/bienvenue/index.html")).unwrap();
    assert!(page.contains(r#"<html lang="fr" dir="ltr">"#), "{page}");
    assert!(
        page.contains(r#"href="/hub/style.css""#),
        "theme files stay at the root"
    );
    let arabic = std::fs::read_to_string(public.join("ar/news/welcome/index.html")).unwrap();
    assert!(arabic.contains(r#"<html lang="ar" dir="rtl">"#));
}

#[test]
fn hreflang_sets_are_reciprocal_and_every_page_has_a_switcher() {
    let site = built();
    let public = site.path().join("public");
    let mut by_url: BTreeMap<String, String> = BTreeMap::new();
    for file in html_files(&public) {
        let html = std::fs::read_to_string(&file).unwrap();
        by_url.insert(canonical(&html), html);
    }
    assert!(by_url.len() > 40, "{} pages", by_url.len());
    for (url, html) in &by_url {
        assert!(
            html.contains(r#"<nav class="lang-switch""#),
            "{url} has no switcher"
        );
        let alts = alternates(html);
        assert!(
            alts.iter().any(|(l, u)| u == url && l != "x-default"),
            "{url} does not list itself among its alternates"
        );
        assert_eq!(
            alts.iter().any(|(l, _)| l == "x-default"),
            alts.iter().any(|(l, _)| l == "en"),
            "{url}: x-default is the default language's version"
        );
        let own: BTreeSet<&(String, String)> = alts.iter().collect();
        for (lang, target) in &alts {
            let Some(other) = by_url.get(target) else {
                panic!("{url} names {target} ({lang}), which is not a page of the site");
            };
            let theirs: BTreeSet<(String, String)> = alternates(other).into_iter().collect();
            let mine: BTreeSet<(String, String)> = own.iter().map(|&x| x.clone()).collect();
            assert_eq!(
                theirs, mine,
                "{url} and {target} disagree on their alternates"
            );
        }
    }
    let welcome = &by_url["https://example.org/hub/fr/news/bienvenue/"];
    assert!(welcome.contains(r#"hreflang="en" href="https://example.org/hub/news/welcome/""#));
    assert!(welcome.contains(r#"hreflang="ar" href="https://example.org/hub/ar/news/welcome/""#));
    // The switcher names each language in itself; with no translation it leads
    // to that language's home.
    let release = &by_url["https://example.org/hub/news/release/"];
    assert!(
        release.contains(r#"<a href="/hub/fr/" hreflang="fr" lang="fr" dir="ltr">Français</a>"#),
        "{release}"
    );
    assert!(release.contains(">العربية</a>"));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="fr" href="https://example.org/hub/fr/news/bienvenue/"/>"#), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/hub/fr/news/bienvenue/</loc>"));
}

#[test]
fn lists_show_the_original_where_there_is_no_translation() {
    let site = built();
    let out = site.build();
    let news = out.output("fr/news/index.html");
    assert!(
        news.contains(r#"<li class="page-item" lang="en">"#),
        "{news}"
    );
    assert!(news.contains(r#"<a href="/hub/news/release/">Our release notes for November</a>"#));
    assert!(news.contains(r#"<a href="/hub/fr/news/bienvenue/">Bienvenue au hub</a>"#));
    // Dates and the theme's words in French.
    assert!(news.contains("1 novembre 2026"), "{news}");
    assert!(news.contains(">Aller au contenu<"));
    let arabic = out.output("ar/news/index.html");
    assert!(arabic.contains("نوفمبر"), "{arabic}");
    // The guideline list falls back too: French where translated.
    let guidelines = out.output("ar/guidelines/index.html");
    assert!(
        guidelines.contains(r#"href="/hub/guidelines/code-of-conduct/""#),
        "{guidelines}"
    );
    assert!(guidelines.contains(r#"<li class="page-item" lang="en">"#));
    assert!(
        arabic.contains(
            r#"<a href="/hub/guidelines/code-of-conduct/" lang="en">Code of Conduct</a>"#
        ),
        "the footer marks the English title"
    );
}

#[test]
fn feeds_carry_the_entries_of_their_language() {
    let site = built();
    let out = site.build();
    let fr = out.output("fr/feed.xml");
    assert!(fr.contains("Bienvenue au hub"));
    assert!(!fr.contains("Our release notes"), "{fr}");
    assert!(fr.contains("https://example.org/hub/fr/news/bienvenue/"));
    let en = out.output("feed.xml");
    assert!(en.contains("Our release notes") && !en.contains("Bienvenue"));
}

#[test]
fn a_translation_behind_its_original_says_so() {
    let site = TestSite::fixture("languages");
    let out = site.build();
    out.succeeds().says(&[
        "hearth::translation-behind",
        "follows version 2.1 of “Code of Conduct”; the current version is 2.3",
    ]);
    let page = out.output("fr/guidelines/code-of-conduct/index.html");
    assert!(
        page.contains("Cette traduction suit la version 2.1 ; la version actuelle est la 2.3.")
            && page.contains(r#"href="/hub/guidelines/code-of-conduct/" hreflang="en""#),
        "{page}"
    );
    let member = out.output("fr/members/ada/index.html");
    assert!(member.contains("Ada écrit sur Rust embarqué") && member.contains("Une affiche"));
    assert!(
        member.contains("Ada Lovelace"),
        "the profile is the member's one profile"
    );
}

#[test]
fn translations_that_cannot_be_placed_are_errors_naming_the_file() {
    let site = TestSite::fixture("languages")
        .file(
            "content/news/notes.de.md",
            "---\ntitle: Notizen\n---\nHallo.\n",
        )
        .file("content/news/old.en.md", "---\ntitle: Old\n---\nOld.\n")
        .file(
            "content/news/2026-11-20-release.fr.md",
            "---\ntitle: Notes\nlanguage: ar\n---\nNotes.\n",
        )
        .file("members/zed.fr.md", "---\nanswers: {}\n---\nBio.\n")
        .file(
            "guidelines/moderation.md",
            "---\ntitle: Moderation\n---\nHow we moderate.\n",
        )
        .file(
            "guidelines/moderation.fr.md",
            "---\ntitle: Modération\ntranslates: \"1.0\"\n---\nComment.\n",
        )
        .file(
            "guidelines/code-of-conduct.ar.md",
            "---\ntitle: مدونة السلوك\ntranslates: \"9.9\"\n---\nنص.\n",
        );
    site.build().exits_with(1).says(&[
        "content/news/notes.de.md ends in `.de`, which is not one of the site's `languages`",
        "content/news/old.en.md ends in `.en`, the default language",
        "`language: ar` contradicts the file name, which says `fr`",
        "there is no members/zed.md",
        "`translates: 9.9` names no version of guidelines/code-of-conduct.md",
        "`translates: 1.0`, but guidelines/moderation.md has no `version`",
        "hearth::translation",
    ]);
}

#[test]
fn the_site_overrides_the_theme_words_and_a_missing_word_is_a_warning() {
    let site = TestSite::fixture("languages")
        .file("i18n/fr.yaml", "skip_to_content: Sauter au texte\n")
        .file("content/about.de.md", "---\ntitle: Über uns\n---\nHallo.\n");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let site = site.file(
        "site.yaml",
        &yaml.replace("  ar:\n", "  de: { title: Rust-Macher }\n  ar:\n"),
    );
    let out = site.build();
    out.succeeds()
        .says(&["hearth::missing-word", "the theme has no `de` word for"]);
    assert!(out.output("fr/index.html").contains(">Sauter au texte<"));
    let german = out.output("de/about/index.html");
    assert!(
        german.contains(">Skip to content<"),
        "English stands in: {german}"
    );
    assert!(german.contains(">Deutsch</a>"));
}

#[test]
fn a_site_of_one_language_has_no_alternates_or_switcher() {
    let site = TestSite::minimal();
    let out = site.build();
    out.succeeds();
    let home = out.output("index.html");
    assert!(!home.contains("hreflang") && !home.contains("lang-switch"));
    assert!(!out.output("sitemap.xml").contains("xhtml"));
}

#[test]
fn search_has_an_index_per_language() {
    let site = built();
    let out = site.build();
    let entry = out.output("pagefind/pagefind-entry.json");
    for lang in ["\"en\"", "\"fr\"", "\"ar\""] {
        assert!(entry.contains(lang), "{entry}");
    }
    let search = out.output("fr/search/index.html");
    assert!(
        search.contains(r#"data-search-bundle="/hub/pagefind/""#),
        "{search}"
    );
    assert!(search.contains(r#"action="/hub/fr/search/""#));
}

#[test]
fn serve_rebuilds_what_shows_a_translation_and_picks_up_new_ones() {
    use crate::common::serve::{request, start, wait_for_page};
    use std::time::Duration;
    let site = TestSite::fixture("languages");
    let server = start(site.path());
    let (status, body) = request(server.port, "/hub/fr/news/bienvenue/");
    assert!(
        status.contains("200") && body.contains("lang-switch"),
        "{status}"
    );
    crate::common::write(
        site.path(),
        "content/news/2026-11-01-welcome.fr.md",
        "---\ntitle: Bienvenue, encore\nslug: bienvenue\n---\nTexte.\n",
    );
    wait_for_page(
        server.port,
        "/hub/fr/news/",
        "Bienvenue, encore",
        Duration::from_secs(5),
    );
    // A new translation: its page, and the list shows it instead of the original.
    crate::common::write(
        site.path(),
        "content/news/2026-11-20-release.fr.md",
        "---\ntitle: Nos notes de version\n---\nTrois crates.\n",
    );
    wait_for_page(
        server.port,
        "/hub/fr/news/",
        "Nos notes de version",
        Duration::from_secs(5),
    );
    assert!(request(server.port, "/hub/fr/news/release/")
        .0
        .contains("200"));
    let news = request(server.port, "/hub/fr/news/").1;
    assert!(!news.contains("Our release notes"), "{news}");
    // Removed: the list falls back to the original again.
    std::fs::remove_file(site.path().join("content/news/2026-11-20-release.fr.md")).unwrap();
    wait_for_page(
        server.port,
        "/hub/fr/news/",
        "Our release notes",
        Duration::from_secs(5),
    );
    assert!(request(server.port, "/hub/fr/news/release/")
        .0
        .contains("404"));
}

#[test]
fn hearth_new_page_makes_a_translation_stub_from_the_original() {
    let site = TestSite::fixture("languages");
    site.run(&["new", "page", "news/2026-11-20-release.fr.md"])
        .succeeds();
    let stub =
        std::fs::read_to_string(site.path().join("content/news/2026-11-20-release.fr.md")).unwrap();
    assert!(
        stub.contains("title: \"Our release notes for November\""),
        "{stub}"
    );
    assert!(stub.contains("draft: true") && stub.contains("Three new crates"));
    assert!(
        !stub.contains("date:"),
        "the date comes from the original: {stub}"
    );
    // A draft stub is not published, so the French list still shows the original.
    let out = site.build();
    out.succeeds();
    assert!(!site.path().join("public/fr/news/release").exists());
    site.run(&["new", "page", "news/missing.fr.md"])
        .exits_with(1)
        .says(&["there is no content/news/missing.md to translate"]);
}

#[test]
fn check_warns_and_report_counts_what_is_translated() {
    let site = TestSite::fixture("languages");
    site.run(&["check", "."])
        .succeeds()
        .says(&["hearth::translation-behind"]);
    let report = site.run(&["report", ".", "--format", "json"]);
    report.succeeds();
    let json: serde_json::Value = serde_json::from_str(&report.run.stdout).unwrap();
    let fr = json["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lang"] == "fr")
        .unwrap();
    assert_eq!(fr["pages"]["translated"], 2);
    assert_eq!(fr["pages"]["of"], 3);
    assert_eq!(fr["guidelines"]["translated"], 1);
    assert_eq!(fr["bios"]["translated"], 1);
    assert_eq!(fr["behind"][0]["follows"], "2.1");
    assert_eq!(fr["behind"][0]["current"], "2.3");
    let human = site.run(&["report", "."]);
    assert!(
        human
            .run
            .stdout
            .contains("In fr: 2 of 3 pages, 1 of 1 guidelines, 1 of 2 member bios translated"),
        "{}",
        human.run.stdout
    );
    // A site of one language reports no languages.
    let one = TestSite::minimal();
    let plain = one.run(&["report", ".", "--format", "json"]);
    assert!(!plain.run.stdout.contains("\"languages\""));
}

/// SPEC §5: search finds pages in the visitor's language, in a real browser.
#[test]
fn each_language_searches_its_own_pages_in_a_browser() {
    let Some(tools) = crate::common::browser_tools(&[], true) else {
        return;
    };
    let site = TestSite::fixture("languages");
    let (_out, _server, base) = crate::common::serve::publish(site.path(), "hub");
    let cases = [
        "fr/|bienvenue=fr/news/bienvenue/",
        "fr/|conduite=fr/guidelines/code-of-conduct/",
        // In both languages: the French page finds the French one only.
        "fr/|hub=fr/news/bienvenue/",
        "ar/|الملتقى=ar/news/welcome/",
        "|release notes=news/release/",
        "|welcome=news/welcome/",
    ];
    let stdout = crate::common::browser_script("search_languages.mjs", &tools, &base, &cases);
    assert!(
        stdout.contains("6 of 6 searches found their page, 0 problems")
            && stdout.contains("résultat"),
        "{stdout}"
    );
}

#[test]
fn a_language_code_that_names_a_published_folder_is_an_error() {
    let site = TestSite::fixture("languages");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let site = site.file(
        "site.yaml",
        &yaml.replace(
            "  ar:\n",
            "  news: { title: News }\n  tags: { title: Tags }\n  ar:\n",
        ),
    );
    site.build().exits_with(1).says(&[
        "the language `news` would be served under /news/, but content/ has a section at /news/",
        "the language `tags` would be served under /tags/, but hearth publishes its own /tags/",
    ]);
}

#[test]
fn an_empty_languages_map_gives_a_one_language_site_the_words_of_its_language() {
    let site = TestSite::minimal().config("languages: {}");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let site = site.file("site.yaml", &format!("language: fr\n{yaml}"));
    let out = site.build();
    out.succeeds();
    let home = out.output("index.html");
    assert!(home.contains(">Aller au contenu<"), "{home}");
    assert!(!home.contains("hreflang") && !home.contains("lang-switch"));
}
