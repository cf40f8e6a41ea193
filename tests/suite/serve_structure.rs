//! `serve` when pages appear, move or disappear: it reads the sources again but keeps
//! the rendered markdown of every page that still renders alike. Whatever it keeps,
//! the files it serves afterwards must be exactly those of a fresh build of the same
//! folder: no stale page, list or link, nothing missing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hearth::load::LoadOptions;
use hearth::output::Body;
use hearth::serve::state::Live;
use hearth::serve::watch;

fn options() -> LoadOptions {
    LoadOptions {
        drafts: true,
        base_url: None,
        now: hearth::model::Date::parse("2026-11-22").unwrap(),
    }
}

/// `serve`'s state for the site, which must have built.
fn started(root: &Path) -> Live {
    let live = Live::start(root, options());
    assert!(live.problem.is_none(), "{:?}", live.problem);
    live
}

fn bytes(body: &Body) -> Vec<u8> {
    match body {
        Body::Bytes(b) => b.to_vec(),
        Body::Static(b) => b.to_vec(),
        Body::Copy(p) | Body::Cached(p) => std::fs::read(p).unwrap(),
    }
}

/// Every served file but the cards (drawn on request), as bytes.
fn served(live: &Live) -> BTreeMap<String, Vec<u8>> {
    live.files
        .iter()
        .filter(|(path, _)| !path.starts_with("cards/"))
        .map(|(path, body)| (path.clone(), bytes(body)))
        .collect()
}

/// What a fresh load and render of the folder gives.
fn fresh(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let built = hearth::prepare(root, &options()).unwrap_or_else(|d| panic!("{d:?}"));
    built
        .outputs
        .iter()
        .map(|o| (o.path.clone(), bytes(&o.body)))
        .collect()
}

/// Applies the rebuild that `serve` would plan for these changed files and returns
/// its one-line report.
fn changed(live: &mut Live, files: &[&str]) -> Result<String, String> {
    let root = live.root.clone();
    let paths: Vec<PathBuf> = files.iter().map(|f| root.join(f)).collect();
    let plan = watch::plan(&root, None, &paths, |p| live.is_page(p));
    assert!(!plan.full, "{files:?} should not need a full rebuild");
    live.apply(&plan)
        .map(|r| r.what)
        .map_err(|d| format!("{d:?}"))
}

fn assert_same_as_fresh(live: &Live, step: &str) {
    let (have, want) = (served(live), fresh(&live.root));
    let missing: Vec<&String> = want.keys().filter(|k| !have.contains_key(*k)).collect();
    let stale: Vec<&String> = have.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<&String> = want
        .iter()
        .filter(|(k, v)| have.get(*k).is_some_and(|h| h != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty() && differ.is_empty(),
        "after {step}: missing {missing:?}, stale {stale:?}, different {differ:?}"
    );
}

#[test]
fn pages_appearing_moving_and_disappearing_leave_what_a_fresh_build_has() {
    let site = TestSite::community();
    let root = site.path();
    let mut live = started(root);
    assert_same_as_fresh(&live, "the first build");

    // A new page with a new tag, in a new section, linking to an existing page.
    common::write(
        root,
        "content/guides/first-steps.md",
        "---\ntitle: First steps\ndate: 2026-11-10\ntags: [beginners]\n---\nStart with [about](../about.md).\n",
    );
    let what = changed(&mut live, &["content/guides/first-steps.md"]).unwrap();
    assert!(
        what.contains("kept"),
        "markdown kept, not a full rebuild: {what}"
    );
    assert!(live.files.contains_key("guides/first-steps/index.html"));
    assert!(live.files.contains_key("tags/beginners/index.html"));
    assert_same_as_fresh(&live, "adding a page");

    // The page it links to moves (a new slug): the linking page renders again.
    common::write(
        root,
        "content/about.md",
        "---\ntitle: About\nslug: who-we-are\n---\n## Who we are\n\nPeople.\n",
    );
    changed(&mut live, &["content/about.md"]).unwrap();
    let guide = String::from_utf8(bytes(&live.files["guides/first-steps/index.html"])).unwrap();
    assert!(
        guide.contains("/hub/who-we-are/"),
        "the link follows the move"
    );
    assert!(!live.files.contains_key("about/index.html"));
    assert_same_as_fresh(&live, "moving a linked page");

    // The first event: every page's navigation may change with it.
    common::write(
        root,
        "content/meetup.md",
        "---\ntitle: Meetup\nevent:\n  start: 2026-12-03T18:00:00+01:00\n---\nCome.\n",
    );
    changed(&mut live, &["content/meetup.md"]).unwrap();
    assert_same_as_fresh(&live, "adding an event");

    // Pages disappear: the guide (its tag and section go with it), then the event.
    std::fs::remove_file(root.join("content/guides/first-steps.md")).unwrap();
    changed(&mut live, &["content/guides/first-steps.md"]).unwrap();
    assert!(!live.files.contains_key("tags/beginners/index.html"));
    assert_same_as_fresh(&live, "removing a page");
    std::fs::remove_file(root.join("content/meetup.md")).unwrap();
    changed(&mut live, &["content/meetup.md"]).unwrap();
    assert_same_as_fresh(&live, "removing an event");
}

#[test]
fn removing_a_page_that_others_link_to_is_the_error_a_build_gives() {
    let site = TestSite::community();
    let root = site.path();
    let mut live = Live::start(root, options());
    std::fs::remove_file(root.join("content/about.md")).unwrap();
    let err = changed(&mut live, &["content/about.md"]).unwrap_err();
    assert!(
        err.contains("does not exist") && err.contains("2026-11-01-welcome.md"),
        "the kept page's link to it is checked again: {err}"
    );
    assert!(
        live.files.contains_key("about/index.html"),
        "the last good site is still served"
    );
}

/// Edits that keep a page's URL, tags and mentions only reorder the lists that hold
/// it (`load::reorder`); those that change its tags make the tags again. Either way
/// the lists are those of a fresh build.
#[test]
fn editing_titles_dates_and_tags_in_place_leaves_what_a_fresh_build_has() {
    let site = TestSite::community();
    let root = site.path();
    let page = |title: &str, date: &str, tags: &str| {
        format!("---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n---\nText.\n")
    };
    for (file, title) in [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")] {
        common::write(
            root,
            &format!("content/news/same-day-{file}.md"),
            &page(title, "2026-11-20", "same"),
        );
    }
    let mut live = started(root);
    let order = |live: &Live| {
        let html = String::from_utf8(bytes(&live.files["tags/same/index.html"])).unwrap();
        let mut found: Vec<(usize, &str)> = ["Aardvark", "Alpha", "Beta", "Gamma", "Delta"]
            .into_iter()
            .filter_map(|t| html.find(&format!(">{t}<")).map(|at| (at, t)))
            .collect();
        found.sort();
        found.into_iter().map(|(_, t)| t).collect::<Vec<_>>()
    };
    assert_eq!(order(&live), ["Alpha", "Beta", "Gamma"]);

    // Pages of one day go by title: a new title moves the page to the front.
    common::write(
        root,
        "content/news/same-day-c.md",
        &page("Aardvark", "2026-11-20", "same"),
    );
    changed(&mut live, &["content/news/same-day-c.md"]).unwrap();
    assert_eq!(order(&live), ["Aardvark", "Alpha", "Beta"]);
    assert_same_as_fresh(&live, "a title edit");

    // A newer date moves it to the front of the section and the tag.
    common::write(
        root,
        "content/news/same-day-b.md",
        &page("Beta", "2026-11-21", "same"),
    );
    changed(&mut live, &["content/news/same-day-b.md"]).unwrap();
    assert_eq!(order(&live), ["Beta", "Aardvark", "Alpha"]);
    assert_same_as_fresh(&live, "a date edit");

    // New tags: the tags are made again, with a new one.
    common::write(
        root,
        "content/news/same-day-a.md",
        &page("Delta", "2026-11-20", "same, other"),
    );
    changed(&mut live, &["content/news/same-day-a.md"]).unwrap();
    assert!(live.files.contains_key("tags/other/index.html"));
    assert_eq!(order(&live), ["Beta", "Aardvark", "Delta"]);
    assert_same_as_fresh(&live, "a tag edit");
}

/// An edit is served in two halves (the page, then its lists). When the lists
/// fail, the page's earlier file is put back: the last good site stays whole.
#[test]
fn when_the_lists_of_an_edit_fail_the_page_is_put_back() {
    let site = TestSite::community();
    let root = site.path();
    // A section list that breaks on one title, while the page itself renders.
    common::write(
        root,
        "templates/section.html",
        "{% for p in paginator.pages %}{% if p.title == \"Boom\" %}{{ nothing.here }}{% endif %}{{ p.title }}\n{% endfor %}",
    );
    let mut live = started(root);
    let page = "news/second/index.html";
    let before = bytes(&live.files[page]);
    let source = root.join("content/news/2026-11-02-second.md");
    common::write(
        root,
        "content/news/2026-11-02-second.md",
        "---\ntitle: Boom\ndate: 2026-11-02\ntags: [meta, rust]\n---\nMore.\n",
    );
    let edit = live
        .edit_first(std::slice::from_ref(&source))
        .unwrap()
        .expect("an edit in place");
    assert_eq!(edit.served(), [page]);
    let first = String::from_utf8(bytes(&live.files[page])).unwrap();
    assert!(first.contains("Boom"), "the first half serves the page");
    let lists = live.render_lists(&edit);
    assert!(lists.is_err(), "the section list fails");
    assert!(live.finish_edit(edit, lists).is_err());
    assert_eq!(bytes(&live.files[page]), before, "the page is put back");
    // Mended, the same edit in one go serves both halves.
    common::write(
        root,
        "templates/section.html",
        "{% for p in paginator.pages %}{{ p.title }}\n{% endfor %}",
    );
    common::write(
        root,
        "content/news/2026-11-02-second.md",
        "---\ntitle: Boom again\ndate: 2026-11-02\ntags: [meta, rust]\n---\nMore.\n",
    );
    live.apply(&watch::Rebuild {
        full: true,
        ..Default::default()
    })
    .unwrap();
    let list = String::from_utf8(bytes(&live.files["news/index.html"])).unwrap();
    assert!(list.contains("Boom again"), "{list}");
}

/// Edits that keep a page's file and URL take `serve`'s short way (the page, then
/// the lists that show it and those that showed it, the sitemap only when its
/// dates or lists can differ), except one that takes away a tag only that page had
/// or its event (a tag page or a calendar file goes: the sources are read again).
/// Each must leave exactly what a fresh build has.
#[test]
fn edits_to_a_page_leave_what_a_fresh_build_has() {
    let site = TestSite::community();
    let root = site.path();
    let mut live = started(root);
    let page = "content/news/2026-11-02-second.md";
    let sitemap_before = bytes(&live.files["sitemap.xml"]);
    for (step, short, text) in [
        (
            "a new title",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-02\ntags: [meta, rust]\n---\nMore.\n",
        ),
        (
            "a new date",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\ntags: [meta, rust]\n---\nMore.\n",
        ),
        (
            "an update date",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nupdated: 2026-11-20\ntags: [meta, rust]\n---\nMore.\n",
        ),
        (
            "the only page tagged rust loses the tag",
            false,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nupdated: 2026-11-20\ntags: [meta]\n---\nMore.\n",
        ),
        (
            "a new tag",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nupdated: 2026-11-20\ntags: [meta, go]\n---\nMore.\n",
        ),
        (
            "a mention of a member",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nupdated: 2026-11-20\ntags: [meta, go]\n---\nMore, with @cy.\n",
        ),
        (
            "an event, the site's first",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nevent:\n  start: 2026-12-03T18:00:00+01:00\ntags: [meta, go]\n---\nMore.\n",
        ),
        (
            "a spotlight instead of the event (its calendar file goes)",
            false,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nspotlight: bob\ntags: [meta, go]\n---\nMore.\n",
        ),
        (
            "no spotlight, by an author",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\nauthors: [cy]\ntags: [meta, go]\n---\nMore.\n",
        ),
        (
            "by nobody",
            true,
            "---\ntitle: Second post, renamed\ndate: 2026-11-04\ntags: [meta, go]\n---\nMore.\n",
        ),
    ] {
        common::write(root, page, text);
        let what = changed(&mut live, &[page]).unwrap();
        assert_eq!(!what.contains("kept"), short, "{step}: {what}");
        assert_same_as_fresh(&live, step);
        if step == "a new title" {
            assert_eq!(
                bytes(&live.files["sitemap.xml"]),
                sitemap_before,
                "a title is not in the sitemap"
            );
        }
    }
    assert!(!live.files.contains_key("tags/rust/index.html"));
}
