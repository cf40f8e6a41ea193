//! SPEC §7, the community digest: a period's page, email body, plain text and
//! feed, from the dated items of the site's files.

use crate::common::site::TestSite;

/// Items spread over three weeks before "now" (2026-11-22, a Sunday): week 43
/// an event and a spotlight, week 44 a member and a post, week 45 a post and a
/// curated link; week 46 nothing; week 47, not over yet, a member.
fn three_weeks() -> TestSite {
    TestSite::minimal()
        .config("members:\n  questions:\n    - { key: found_us, ask: How did you find us? }\ndigest:\n  every: week")
        .member("ada", "name: Ada\njoined: 2026-10-28\nrole: Maintainer\nanswers:\n  found_us: A meetup flyer.", "Ada builds things.")
        .member("grace", "name: Grace\njoined: 2026-11-18", "Grace.")
        .page("introductions", "title: Introductions", "Say who you are.")
        .page(
            "events/call",
            "title: The October call\ndate: 2026-10-19\nevent:\n  start: 2026-10-21T18:00:00+00:00",
            "We talk.",
        )
        .page(
            "news/meet-ada",
            "title: Meet Ada\ndate: 2026-10-20\nspotlight: ada",
            "Ada, in her words.",
        )
        .links(
            "reading",
            "- url: https://tokio.rs/tokio/tutorial\n  title: The Tokio tutorial\n  date: 2026-11-05\n  curated_by: ada\n  note: Builds a small Redis clone step by step.\n",
        )
}

#[test]
fn each_complete_week_with_something_gets_a_digest_of_exactly_its_items() {
    let site = three_weeks();
    let out = site.build();
    out.succeeds();
    let digest = site.path().join("public/digest");
    let mut weeks: Vec<String> = std::fs::read_dir(&digest)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    weeks.sort();
    assert_eq!(
        weeks,
        ["2026-w43", "2026-w44", "2026-w45"],
        "no digest for the empty week 46, nor for week 47, not over yet"
    );
    // Each digest's items, counted against the files above.
    for (week, titles) in [
        ("2026-w43", &["Meet Ada", "The October call"][..]),
        ("2026-w44", &["Ada", "Welcome"][..]),
        ("2026-w45", &["Second post", "The Tokio tutorial"][..]),
    ] {
        let page = out.output(&format!("digest/{week}/index.html"));
        let start = page.find("<div class=\"prose\">").unwrap();
        let article = &page[start..start + page[start..].find("</div>").unwrap()];
        assert_eq!(
            article.matches("<li>").count(),
            titles.len(),
            "{week}: {article}"
        );
        for t in titles {
            assert!(
                article.contains(&format!(">{t}</a>")),
                "{week} lacks {t}: {article}"
            );
        }
    }
    let w44 = out.output("digest/2026-w44/index.html");
    // Its card and share links, as every shareable page has.
    assert!(
        w44.contains("https://example.org/hub/cards/digest/2026-w44.png"),
        "{w44}"
    );
    assert!(w44.contains("class=\"share-links\""), "{w44}");
    assert!(site
        .path()
        .join("public/cards/digest/2026-w44.png")
        .is_file());
    assert!(
        w44.contains("How did you find us? A meetup flyer."),
        "the first answer"
    );
    assert!(
        w44.contains("<a href=\"/hub/introductions/\">Say hello</a>"),
        "{w44}"
    );
    // The list, newest first, and the feed of three entries.
    let list = out.output("digest/index.html");
    let at = |w: &str| list.find(&format!("/hub/digest/{w}/")).unwrap();
    assert!(at("2026-w45") < at("2026-w44") && at("2026-w44") < at("2026-w43"));
    let feed = out.output("digest/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(
        feed.contains("href=&quot;https://example.org/hub/news/second/&quot;"),
        "an entry's links are absolute, once prefixed: {feed}"
    );

    // The email body: one document, styles inline, tagged absolute links.
    let email = out.output("digest/2026-w45/email.html");
    for never in ["<script", "<form", "<link", "<style"] {
        assert!(!email.contains(never), "{never} in the email");
    }
    assert!(email.len() < 100 * 1024);
    assert!(email.contains("href=\"https://example.org/hub/links/the-tokio-tutorial/?utm_source=digest&amp;utm_medium=email\""), "{email}");
    // The plain text: lines under 80 characters, links whole.
    let text = out.output("digest/2026-w45/email.txt");
    assert!(text.lines().all(|l| l.chars().count() < 80), "{text}");
    assert!(
        text.contains("\n  https://example.org/hub/news/second/\n"),
        "{text}"
    );

    // `hearth digest` prints the latest complete week; a period by its name.
    let printed = site.run(&["digest", ".", "--format", "text"]);
    printed.succeeds();
    assert_eq!(printed.run.stdout, text);
    let w43 = site.run(&["digest", ".", "--period", "2026-w43", "--format", "html"]);
    assert!(
        w43.run.stdout.contains("Week 43, 2026"),
        "{}",
        w43.run.stdout
    );
    site.run(&["digest", ".", "--period", "yesterday"])
        .exits_with(2);
}

#[test]
fn digests_are_off_unless_site_yaml_asks() {
    let site = TestSite::minimal();
    site.build().succeeds();
    assert!(!site.path().join("public/digest").exists());
    // `hearth digest` still prints the latest week, for a try.
    let printed = site.run(&["digest", ".", "--format", "text"]);
    printed.succeeds();
    assert!(
        printed.run.stdout.contains("Week 45, 2026"),
        "{}",
        printed.run.stdout
    );
}

/// `hearth serve` shows the period not over yet at `/digest/latest/`, which a
/// build never writes.
#[test]
fn serve_shows_the_next_digest_so_far() {
    use crate::common::serve::{request, start};
    let site = three_weeks();
    let server = start(site.path());
    let (status, page) = request(server.port, "/hub/digest/latest/");
    assert!(status.contains("200"), "{status}");
    assert!(
        page.contains("Week 47, 2026") && page.contains(">Grace</a>"),
        "{page}"
    );
    site.build().succeeds();
    assert!(!site.path().join("public/digest/latest").exists());
}

/// With SPEC §5's languages, one digest per language: `/fr/digest/…`, in the
/// language's edition, its untranslated items linked at the root.
#[test]
fn each_language_has_its_own_digests() {
    let site = TestSite::fixture("languages").config("digest:\n  every: month");
    site.build().succeeds();
    let public = site.path().join("public");
    let months: Vec<String> = std::fs::read_dir(public.join("digest"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!months.is_empty(), "the fixture has dated items");
    for lang in ["fr", "ar"] {
        let theirs: Vec<String> = std::fs::read_dir(public.join(lang).join("digest"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!theirs.is_empty(), "{lang} has digests");
        for m in &theirs {
            assert!(months.contains(m), "{lang}/{m} is a period of the site's");
            let page = std::fs::read_to_string(
                public.join(lang).join("digest").join(m).join("index.html"),
            )
            .unwrap();
            assert!(page.contains(&format!("lang=\"{lang}\"")), "{lang}/{m}");
        }
        assert!(public.join(lang).join("digest/feed.xml").is_file());
    }
    let check = site.run(&["check", "."]);
    check.succeeds();
    assert!(
        !check.run.stderr.contains("broken-link"),
        "{}",
        check.run.stderr
    );
}
