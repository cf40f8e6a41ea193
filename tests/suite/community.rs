//! Members, mentions, spotlights, curated links, guidelines and events, built from a
//! small community site; then each broken input of the community model.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use crate::common::{run, write};
use std::path::Path;

fn built() -> TestSite {
    let site = TestSite::community();
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
}

#[test]
fn member_pages_show_answered_questions_and_what_they_did() {
    let site = built();
    let ada = common::read(site.path(), "public/members/ada/index.html");
    assert!(
        ada.contains("How did you find us?") && ada.contains("A meetup flyer."),
        "{ada}"
    );
    assert!(
        !ada.contains("What is your favourite build?"),
        "unanswered questions are left out"
    );
    assert!(
        ada.contains("href=\"/hub/news/spotlight-ada/\""),
        "spotlights about her are listed"
    );
    assert!(
        ada.contains("Async in depth"),
        "links she curated are listed"
    );
    assert!(
        ada.contains(
            "src=\"/hub/members/ada/ada-1x1.webp\" srcset=\"/hub/members/ada/ada-1x1.webp 1w\""
        ),
        "avatar referenced, as its square crop (never larger than the picture)"
    );
    assert!(
        site.path().join("public/members/ada/ada.png").is_file(),
        "avatar copied"
    );
    assert!(ada.contains("rel=\"me noopener\""));
    let bob = common::read(site.path(), "public/members/bob/index.html");
    assert!(
        bob.contains("avatar-placeholder") && bob.contains(">BB<"),
        "placeholder initials: {bob}"
    );
    assert!(bob.contains("Meet Ada"), "pages he wrote are listed");
}

#[test]
fn bios_are_sanitized() {
    let site = built();
    let ada = common::read(site.path(), "public/members/ada/index.html");
    assert!(ada.contains("<em>engines</em>"), "harmless markup kept");
    assert!(!ada.contains("<script>alert"), "scripts removed");
    assert!(
        !ada.contains("javascript:alert") && !ada.contains("onclick"),
        "handlers and js: URLs removed"
    );
}

#[test]
fn mentions_link_members_but_not_emails_and_are_listed_on_the_profile() {
    let site = built();
    let page = common::read(site.path(), "public/news/spotlight-ada/index.html");
    assert!(
        page.contains("<a class=\"mention\" href=\"/hub/members/ada/\">@ada</a>"),
        "{page}"
    );
    assert!(page.contains("ada@example.org"));
    assert_eq!(page.matches("class=\"mention\"").count(), 1);
    let ada = common::read(site.path(), "public/members/ada/index.html");
    assert!(ada.contains("Mentioned in"), "{ada}");
}

#[test]
fn the_directory_lists_everyone_once_with_roles_as_a_filter_and_marks_the_newest() {
    let dir = common::read(built().path(), "public/members/index.html");
    let once = |name: &str| dir.matches(name).count() == 1;
    assert!(once("Ada Lovelace") && once("Bob Builder"), "{dir}");
    // One radio button per role; the page's own style hides the other roles' cards.
    let radio = "type=\"radio\" name=\"role\" id=\"role-moderator\"";
    let hide = ":has(#role-moderator:checked) .member-card:not([data-role=\"role-moderator\"])";
    assert!(dir.contains(radio) && dir.contains("id=\"role-members\"") && dir.contains(hide));
    let ada = dir.find("Ada Lovelace").unwrap();
    let card = &dir[dir[..ada].rfind("<li class=\"member-card\"").unwrap()..ada];
    assert!(card.contains("data-role=\"role-moderator\""));
    let bob = &dir[dir.find("Bob Builder").unwrap()..];
    let bob = &bob[..bob.find("</li>").unwrap()];
    assert!(bob.contains("badge-new"), "the newest is marked: {bob}");
}

#[test]
fn spotlights_are_listed_and_show_the_member_card() {
    let site = built();
    let list = common::read(site.path(), "public/spotlights/index.html");
    assert!(list.contains("Meet Ada"));
    let page = common::read(site.path(), "public/news/spotlight-ada/index.html");
    assert!(
        page.contains("spotlight-card") && page.contains("A meetup flyer."),
        "{page}"
    );
    assert!(
        page.contains("By <a href=\"/hub/members/bob/\">Bob Builder</a>"),
        "{page}"
    );
}

#[test]
fn the_build_names_members_never_spotlighted_oldest_first() {
    let site = TestSite::community();
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let note = r
        .stderr
        .lines()
        .find(|l| l.contains("never been spotlighted"))
        .expect("note");
    assert!(note.contains("2 of 3 members"), "{note}");
    assert!(
        note.find("Cy Young") < note.find("Bob Builder"),
        "oldest member first: {note}"
    );
    assert!(!note.contains("Ada"), "{note}");
}

#[test]
fn the_link_library_groups_by_month_with_anchors_tags_and_a_feed() {
    let site = built();
    let links = common::read(site.path(), "public/links/index.html");
    assert!(
        links.contains("id=\"async-in-depth\""),
        "anchor from the title slug"
    );
    assert!(
        links.find("November 2026") < links.find("October 2026"),
        "newest month first"
    );
    assert!(
        links.contains("href=\"https://blog.example.com/async\" rel=\"noopener\""),
        "{links}"
    );
    assert!(
        links.contains("Worth <em>your</em> evening."),
        "note is inline markdown"
    );
    assert!(
        links.contains("href=\"/hub/news/welcome/\">Discuss: Welcome</a>"),
        "{links}"
    );
    let tag = common::read(site.path(), "public/links/tags/books/index.html");
    assert!(tag.contains("Another read") && !tag.contains("Async in depth"));
    let feed: atom_syndication::Feed = common::read(site.path(), "public/links/feed.xml")
        .parse()
        .expect("valid Atom");
    assert_eq!(feed.entries().len(), 2);
    assert_eq!(feed.entries()[0].title().as_str(), "Async in depth");
}

#[test]
fn guideline_rules_are_numbered_citable_and_linked_from_every_page() {
    let site = built();
    let g = common::read(site.path(), "public/guidelines/code-of-conduct/index.html");
    assert!(
        g.contains("<h2 id=\"be-kind\"><span class=\"rule-number\">1.</span> Be kind"),
        "{g}"
    );
    assert!(
        g.contains("<h3 id=\"online\"><span class=\"rule-number\">1.1</span> Online"),
        "{g}"
    );
    assert!(g.contains("<span class=\"rule-number\">1.2</span> Offline"));
    assert!(g.contains("<span class=\"rule-number\">2.</span> Be safe"));
    assert!(g.contains("href=\"#online\""), "visible permalink");
    assert!(
        g.contains("2.1") && g.contains("Ladder"),
        "version and change log"
    );
    for page in ["index.html", "about/index.html", "members/bob/index.html"] {
        assert!(
            common::read(site.path(), &format!("public/{page}"))
                .contains("href=\"/hub/guidelines/code-of-conduct/\""),
            "{page}"
        );
    }
    assert!(common::read(site.path(), "public/guidelines/index.html").contains("Code of Conduct"));
}

#[test]
fn a_guideline_due_for_review_warns_and_fails_strict_builds() {
    let site = TestSite::community();
    write(
        site.path(),
        "guidelines/old.md",
        "---\ntitle: Old rules\nreviewed: 2025-01-01\n---\n## One\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("guidelines/old.md:3:1") && r.stderr.contains("last reviewed"),
        "{}",
        r.stderr
    );
    let r = run(&["build", ".", "--strict"], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn events_list_upcoming_soonest_first_then_past_and_have_calendars() {
    let site = built();
    let events = common::read(site.path(), "public/events/index.html");
    let (up, past) = events.split_at(events.find("id=\"past\"").expect("past section"));
    assert!(
        up.find("Next call") < up.find("Later call"),
        "soonest first"
    );
    assert!(past.contains("Past call") && !up.contains("Past call"));
    let page = common::read(site.path(), "public/events/soon/index.html");
    assert!(
        page.contains("href=\"/hub/events/soon.ics\""),
        "add-to-calendar link"
    );
    let ics = std::fs::read_to_string(site.path().join("public/events/soon.ics")).unwrap();
    assert!(ics.contains("\r\nDTSTART:20261203T170000Z\r\n"), "{ics}");
    assert!(
        ics.contains("LOCATION:Room 1\\, Main St\\; Floor 2"),
        "text escaped: {ics}"
    );
    assert!(ics.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    let all = std::fs::read_to_string(site.path().join("public/events.ics")).unwrap();
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
}

#[test]
fn lists_are_written_only_when_there_is_something_to_list() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    for list in ["members", "spotlights", "links", "guidelines", "events"] {
        assert!(!site.path().join("public").join(list).exists(), "{list}");
    }
    assert!(!site.path().join("public/events.ics").exists());
}

#[test]
fn a_content_section_supplies_the_title_and_intro_of_a_generated_list() {
    let site = TestSite::community();
    write(
        site.path(),
        "content/events/_index.md",
        "---\ntitle: Our gatherings\n---\nCome along.\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let events = common::read(site.path(), "public/events/index.html");
    assert!(
        events.contains("<h1>Our gatherings</h1>") && events.contains("Come along."),
        "{events}"
    );
    assert!(events.contains("Next call"));
}

#[test]
fn a_content_page_and_a_member_on_one_url_is_an_error_naming_both() {
    let site = TestSite::community();
    write(
        site.path(),
        "content/members/bob.md",
        "---\ntitle: Bob page\n---\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/members/bob.md") && r.stderr.contains("members/bob.md"),
        "{}",
        r.stderr
    );
}

/// Builds the good community site, breaks it, builds again: exit 1, the place named,
/// no panic, output untouched.
/// The community site, broken by `edit`: exit code 1, the previous output kept, the
/// transcript as its snapshot says.
fn breaks(edit: impl FnOnce(&Path)) -> common::Run {
    let outcome = common::site::TestSite::community().breaks(edit);
    outcome.exits_with(1);
    outcome.run
}

fn assert_names(r: &common::Run, place: &str, words: &str) {
    assert!(
        r.stderr.contains(place),
        "expected {place} in:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(words),
        "expected “{words}” in:\n{}",
        r.stderr
    );
}

#[test]
fn an_unknown_curator_is_an_error_at_its_line() {
    let r = breaks(|s| {
        let text = std::fs::read_to_string(s.join("links/reading.yaml")).unwrap();
        write(
            s,
            "links/reading.yaml",
            &text.replace("curated_by: ada", "curated_by: adda"),
        );
    });
    assert_names(
        &r,
        "links/reading.yaml:6:",
        "`curated_by: adda` is not a member",
    );
    assert!(r.stderr.contains("did you mean `ada`?"), "{}", r.stderr);
}

#[test]
fn an_unknown_author_is_an_error_at_its_line() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\nauthors: [bobb]\n---\n",
        )
    });
    assert_names(&r, "content/about.md:3:", "author `bobb` is not a member");
}

#[test]
fn an_unknown_spotlight_member_is_an_error() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\nspotlight: zed\n---\n",
        )
    });
    assert_names(&r, "content/about.md:3:", "spotlight `zed` is not a member");
}

#[test]
fn a_javascript_link_is_refused() {
    let r = breaks(|s| {
        write(
            s,
            "links/bad.yaml",
            "- url: javascript:alert(1)\n  title: Bad\n  note: Bad.\n  date: 2026-11-01\n",
        )
    });
    assert_names(&r, "links/bad.yaml:1:", "only http and https are allowed");
}

#[test]
fn a_member_link_with_another_scheme_is_refused() {
    let r = breaks(|s| {
        write(
            s,
            "members/bob.md",
            "---\nname: Bob\nlinks:\n  - { label: x, url: \"javascript:alert(1)\" }\n---\n",
        )
    });
    assert_names(&r, "members/bob.md:4:", "only http and https are allowed");
}

#[test]
fn the_same_link_twice_names_both_places() {
    let r = breaks(|s| {
        write(
            s,
            "links/more.yaml",
            "- url: HTTPS://Blog.Example.com/async/#intro\n  title: Again\n  note: Dup.\n  date: 2026-11-03\n",
        )
    });
    // Files are read in name order: more.yaml comes first, reading.yaml repeats it.
    assert_names(
        &r,
        "links/reading.yaml:1:",
        "already curated at links/more.yaml:1",
    );
}

#[test]
fn a_links_file_that_is_not_a_list_is_an_error() {
    let r = breaks(|s| write(s, "links/map.yaml", "url: https://x.org/\ntitle: X\n"));
    assert_names(&r, "links/map.yaml", "expected a list");
}

#[test]
fn a_member_file_name_that_is_not_a_handle_is_an_error() {
    let r = breaks(|s| write(s, "members/Bad Name.md", "---\nname: Bad\n---\n"));
    assert_names(&r, "members/Bad Name.md", "not a valid handle");
    assert!(
        r.stderr.contains("members/bad-name.md"),
        "suggests a name: {}",
        r.stderr
    );
}

#[test]
fn a_member_without_a_name_is_an_error() {
    let r = breaks(|s| write(s, "members/bob.md", "---\nrole: Builder\n---\n"));
    assert_names(&r, "members/bob.md:1:1", "has no name");
}

#[test]
fn an_answer_to_an_unknown_question_is_an_error() {
    let r = breaks(|s| {
        write(
            s,
            "members/bob.md",
            "---\nname: Bob\nanswers:\n  found_su: x\n---\n",
        )
    });
    assert_names(
        &r,
        "members/bob.md:4:3",
        "`found_su` answers a question that site.yaml does not ask",
    );
    assert!(
        r.stderr.contains("did you mean `found_us`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_event_ending_before_it_starts_is_an_error() {
    let r = breaks(|s| {
        write(
            s,
            "content/events/soon.md",
            "---\ntitle: Next\nevent:\n  start: 2026-12-03T18:00:00+01:00\n  end: 2026-12-03T17:00:00+01:00\n---\n",
        )
    });
    assert_names(&r, "content/events/soon.md:5:", "ends before it starts");
}

#[test]
fn a_missing_avatar_is_an_error() {
    let r = breaks(|s| std::fs::remove_file(s.join("members/ada.png")).unwrap());
    assert_names(&r, "members/ada.md:6:", "avatar `ada.png` does not exist");
}

#[test]
fn a_discuss_path_that_does_not_exist_is_an_error() {
    let r = breaks(|s| {
        let text = std::fs::read_to_string(s.join("links/reading.yaml")).unwrap();
        write(
            s,
            "links/reading.yaml",
            &text.replace("news/2026-11-01-welcome.md", "news/nope.md"),
        );
    });
    assert_names(
        &r,
        "links/reading.yaml:7:",
        "`discuss: news/nope.md` is not a page",
    );
}

#[test]
fn new_writes_ready_to_fill_files_and_refuses_to_overwrite() {
    let site = TestSite::community();
    let root = site.path();
    let r = run(&["new", "member", "dee"], root);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(root.join("members/dee.md")).unwrap();
    assert!(
        text.contains("# How did you find us?\n  # found_us:"),
        "{text}"
    );
    assert_eq!(run(&["new", "member", "dee"], root).code, 1, "no overwrite");
    assert_eq!(
        run(&["new", "member", "Dee"], root).code,
        2,
        "invalid handle"
    );

    let r = run(&["new", "page", "news/hello-there"], root);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(root.join("content/news/hello-there.md")).unwrap();
    assert!(
        page.contains("date: 2026-11-22") && page.contains("title: Hello there"),
        "{page}"
    );
    assert_eq!(run(&["new", "page", "../escape"], root).code, 2);

    let r = run(&["new", "link", "https://fresh.example.net/post"], root);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(root.join("links/links.yaml"))
        .unwrap()
        .contains("- url: https://fresh.example.net/post"));
    assert_eq!(
        run(&["new", "link", "https://blog.example.com/async/"], root).code,
        1,
        "already curated"
    );
    assert_eq!(
        run(&["new", "link", "ftp://x.org/"], root).code,
        2,
        "not http(s)"
    );
    let r = run(&["build", "."], root);
    assert_eq!(r.code, 1, "the empty note asks for the curator's words");
    assert!(
        r.stderr.contains("links/links.yaml:1:") && r.stderr.contains("`note` is empty"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_member_may_opt_out_of_share_buttons_and_the_promotion_kit() {
    let site = common::site::TestSite::community()
        .member(
            "dee",
            "name: Dee Quiet\njoined: 2026-11-20\nshare: false\npromote: false",
            "Hi.",
        )
        .member("eve", "name: Eve Loud\njoined: 2026-11-21", "Hello.");
    let built = site.build();
    built.succeeds();
    let dee = built.output("members/dee/index.html");
    let eve = built.output("members/eve/index.html");
    assert!(eve.contains("utm_source="), "share links by default");
    assert!(
        !dee.contains("utm_source="),
        "no share links with share: false"
    );
    let kit = built.output("promote/posts.csv");
    assert!(
        kit.contains("Eve Loud") && !kit.contains("Dee Quiet"),
        "{kit}"
    );
}

#[test]
fn the_events_list_offers_a_webcal_subscription_and_the_file() {
    let site = common::site::TestSite::community();
    let built = site.build();
    built.succeeds().has_page(
        "events/index.html",
        "href=\"webcal://example.org/hub/events.ics\"",
    );
    built.has_page("events/index.html", "href=\"/hub/events.ics\" download");
}

#[test]
fn the_promotion_kit_is_built_but_not_linked_from_public_pages() {
    let site = common::site::TestSite::community();
    let built = site.build();
    built.succeeds().has_page("promote/index.html", "noindex");
    for page in ["index.html", "about/index.html", "members/ada/index.html"] {
        assert!(
            !built.output(page).contains("/promote/"),
            "{page} links the kit"
        );
    }
}

#[test]
fn a_profile_shows_the_person_before_the_share_buttons() {
    let site = common::site::TestSite::community();
    let built = site.build();
    built.succeeds();
    let page = built.output("members/ada/index.html");
    let answers = page.find("Getting to know").expect("answers");
    let share = page.find("Share this").expect("share block");
    assert!(
        answers < share,
        "the share block comes after the bio and answers"
    );
}

#[test]
fn one_tag_system_lists_pages_and_curated_links_together() {
    let site = common::site::TestSite::community().page(
        "news/2026-11-06-async-night",
        "title: Async night\ntags: [async]",
        "x",
    );
    let built = site.build();
    built
        .succeeds()
        .has_page(
            "tags/async/index.html",
            "1 page and 2 curated links tagged “async”",
        )
        .has_page("tags/async/index.html", "Async night")
        .has_page("tags/async/index.html", "Another read")
        .has_page("tags/books/index.html", "1 curated link tagged “books”")
        .has_page("tags/index.html", "/hub/tags/books/");
}
