//! `hearth serve` end to end: start it on port 0 over a copy of a site, listen on the
//! reload channel, edit a page, see the reload and the new text; break the page, see
//! the error served; fix it. Then path-traversal requests over a raw socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::serve::{listen, request, start, wait_for, wait_for_page};

#[test]
fn an_edit_reloads_the_page_and_a_broken_edit_shows_the_error() {
    let site = TestSite::minimal();
    let server = start(site.path());
    let (status, body) = request(server.port, "/hub/about/");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains("/__livereload"),
        "the reload script is injected"
    );
    let events = listen(server.port);

    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\n---\n## Who we are\n\nFreshly edited.\n",
    );
    let started = Instant::now();
    wait_for(&events, "reload", Duration::from_secs(2));
    assert!(started.elapsed() < Duration::from_secs(2));
    let (_, body) = request(server.port, "/hub/about/");
    assert!(body.contains("Freshly edited."), "{body}");

    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ndate: 2026-02-30\n---\nBroken.\n",
    );
    let problem = wait_for(&events, "problem", Duration::from_secs(2));
    assert!(problem.contains("content/about.md:3:7"), "{problem}");
    let (status, body) = request(server.port, "/hub/about/");
    assert!(status.contains("200"), "the last good page is still served");
    assert!(
        body.contains("Freshly edited.") && body.contains("content/about.md:3:7"),
        "overlay data in the page"
    );

    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\n---\nFixed.\n",
    );
    wait_for(&events, "reload", Duration::from_secs(2));
    let (_, body) = request(server.port, "/hub/about/");
    assert!(
        body.contains("Fixed.") && !body.contains("about.md:3:7") && body.contains("(null);"),
        "{body}"
    );
}

/// A title edit reloads in two halves: first the tab showing the page (its own
/// file is served at once), then the tabs showing the lists that carry the title.
#[test]
fn a_title_edit_reloads_the_page_first_then_the_lists_that_show_it() {
    let site = TestSite::minimal();
    let server = start(site.path());
    let events = listen(server.port);
    common::write(
        site.path(),
        "content/news/2026-11-02-second.md",
        "---\ntitle: Second post, retitled\ndate: 2026-11-02\ntags: [meta, rust]\n---\nMore.\n",
    );
    let first = wait_for(&events, "reload", Duration::from_secs(3));
    assert_eq!(first, r#"["/hub/news/second/"]"#, "the page's tab first");
    let (_, page) = request(server.port, "/hub/news/second/");
    assert!(page.contains("Second post, retitled"), "{page}");
    let second = wait_for(&events, "reload", Duration::from_secs(3));
    for list in [
        "\"/hub/news/\"",
        "\"/hub/\"",
        "\"/hub/tags/rust/\"",
        "\"/hub/feed.xml\"",
    ] {
        assert!(second.contains(list), "{list} in {second}");
    }
    assert!(!second.contains("/hub/news/second/"), "not twice: {second}");
    for list in ["/hub/news/", "/hub/tags/rust/"] {
        let (_, body) = request(server.port, list);
        assert!(body.contains("Second post, retitled"), "{list}: {body}");
    }
}

#[test]
fn new_pages_templates_and_static_files_are_picked_up() {
    let site = TestSite::minimal();
    let server = start(site.path());
    let events = listen(server.port);
    common::write(
        site.path(),
        "content/news/2026-11-09-fresh.md",
        "---\ntitle: Fresh news\n---\nNew.\n",
    );
    wait_for(&events, "reload", Duration::from_secs(3));
    assert!(request(server.port, "/hub/news/fresh/").0.contains("200"));
    assert!(
        request(server.port, "/hub/news/").1.contains("Fresh news"),
        "the list shows it"
    );

    common::write(site.path(), "templates/page.html", "{% extends \"hearth/page.html\" %}{% block title %}T: {{ page.title }}{% endblock title %}");
    wait_for(&events, "reload", Duration::from_secs(3));
    wait_for_page(
        server.port,
        "/hub/about/",
        "<title>T: About</title>",
        Duration::from_secs(3),
    );

    common::write(site.path(), "static/hello.txt", "hello");
    wait_for(&events, "reload", Duration::from_secs(3));
    let (status, body) = request(server.port, "/hub/hello.txt");
    assert!(status.contains("200") && body == "hello", "{status} {body}");
}

#[test]
fn files_outside_the_output_are_never_served() {
    let site = TestSite::minimal();
    common::write(site.path(), "secret.txt", "TOP-SECRET");
    let server = start(site.path());
    for target in [
        "/../site.yaml",
        "/hub/../site.yaml",
        "/hub/%2e%2e/site.yaml",
        "/hub/%2E%2E%2Fsite.yaml",
        "/hub/..%2f..%2fsecret.txt",
        "/hub/..%5csecret.txt",
        "//etc/passwd",
        "/hub//etc/passwd",
        "/hub/%2fetc%2fpasswd",
        "/etc/passwd",
        "/hub/secret.txt",
        "/hub/../../../../etc/passwd",
        "http://127.0.0.1/../site.yaml",
    ] {
        let (status, body) = request(server.port, target);
        assert!(
            !body.contains("base_url") && !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{target}: {status}"
        );
        assert!(
            !status.contains(" 200 ") || body.contains("Page not found"),
            "{target}: {status}"
        );
    }
    let (status, body) = request(server.port, "/hub/does-not-exist/");
    assert!(
        status.contains("404") && body.contains("Page not found"),
        "the site's 404 page"
    );
    let (status, _) = request(server.port, "/hub/news");
    assert!(
        status.contains("301"),
        "directories redirect to their slash form: {status}"
    );
}

#[test]
fn a_site_broken_at_start_is_served_as_its_error_until_fixed() {
    let site = TestSite::minimal();
    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\ndate: 2026-13-01\n---\n",
    );
    let server = start(site.path());
    let (status, body) = request(server.port, "/hub/");
    assert!(status.contains("404"), "nothing built yet: {status}");
    assert!(
        body.contains("content/about.md:3"),
        "the error is shown: {body}"
    );
    let events = listen(server.port);
    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\n---\nNow fine.\n",
    );
    wait_for(&events, "reload", Duration::from_secs(3));
    assert!(request(server.port, "/hub/about/").1.contains("Now fine."));
}

/// Headless Chromium sees an edit without a manual reload (playwright-core from npm
/// and Debian's chromium, which .ci/run installs).
#[test]
fn a_real_browser_shows_an_edit_without_reloading_by_hand() {
    let Some((tools, chromium)) = common::browser_tools(&[], false) else {
        return;
    };
    let site = TestSite::minimal();
    let server = start(site.path());
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/browser_reload.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(&tools)
        .arg(&chromium)
        .arg(format!("http://127.0.0.1:{}/hub/news/second/", server.port))
        .arg(site.path().join("content/news/2026-11-02-second.md"))
        .arg("Second post")
        .arg("Second post, retitled")
        .arg(format!("http://127.0.0.1:{}/hub/news/", server.port))
        .arg(format!("http://127.0.0.1:{}/hub/about/", server.port))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_hundred_rapid_edits_leave_the_server_alive_and_serving_the_last() {
    let site = TestSite::minimal();
    let server = start(site.path());
    let events = listen(server.port);
    for i in 0..100 {
        common::write(
            site.path(),
            "content/about.md",
            &format!("---\ntitle: About\n---\nEdit number {i}.\n"),
        );
        std::thread::sleep(Duration::from_millis(3));
    }
    // The last batch of events ends in a reload once the final text is in place.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = request(server.port, "/hub/about/");
        if body.contains("Edit number 99.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last edit was never served");
        let _ = events.recv_timeout(Duration::from_millis(200));
    }
    assert!(
        request(server.port, "/hub/").0.contains("200"),
        "still serving"
    );
}

#[test]
fn the_preview_lab_shows_a_member_page_on_every_network() {
    let site = TestSite::community();
    let server = start(site.path());
    let (status, body) = request(server.port, "/__hearth/preview/hub/members/ada/");
    assert!(status.contains("200"), "{status}");
    for network in [
        "X", "LinkedIn", "Facebook", "Mastodon", "Bluesky", "Slack", "Discord",
    ] {
        assert!(
            body.contains(&format!("<h2>{network}</h2>")),
            "{network} missing"
        );
    }
    assert!(
        body.contains("/hub/cards/members/ada.png"),
        "the card: {body}"
    );
    assert!(body.contains("example.org"), "the published domain: {body}");
    let (status, _) = request(server.port, "/__hearth/preview/hub/members/nobody/");
    assert!(status.contains("404"), "{status}");
    let (status, index) = request(server.port, "/__hearth/preview/");
    assert!(status.contains("200"), "{status}");
    assert!(
        index.contains("/__hearth/preview/hub/members/ada/"),
        "{index}"
    );
    // Every served page links to its preview; a build never does.
    let (_, page) = request(server.port, "/hub/members/ada/");
    assert!(page.contains("href=\"/__hearth/preview/hub/members/ada/\""));
    assert_eq!(common::run(&["build", "."], site.path()).code, 0);
    let built = common::read(site.path(), "public/members/ada/index.html");
    assert!(!built.contains("__hearth"));
}

/// Trust round two: serve drew a card under the state's write lock, so every other
/// request (pages, robots.txt, the preview lab) and every rebuild waited behind a
/// slow one. An avatar of many blurred shapes (within the picture budget, but slow
/// to draw) is asked for; while it is drawn, a page and robots.txt are answered.
#[test]
fn a_slow_card_does_not_hold_up_other_requests() {
    let site = TestSite::minimal();
    let blurred = r#"<rect width="100" height="100" fill="teal" filter="url(#b)"/>"#.repeat(55);
    common::write(
        site.path(),
        "members/ada.svg",
        &format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="b"><feGaussianBlur stdDeviation="20"/></filter>{blurred}</svg>"#
        ),
    );
    common::write(
        site.path(),
        "members/ada.md",
        "---\nname: Ada\navatar: ada.svg\n---\nHi.\n",
    );
    let server = start(site.path());
    let port = server.port;
    let asked = Instant::now();
    let card = std::thread::spawn(move || {
        let (status, _) = request(port, "/hub/cards/members/ada.png");
        (status, asked.elapsed())
    });
    std::thread::sleep(Duration::from_millis(60));
    let others = Instant::now();
    for target in ["/hub/", "/hub/robots.txt"] {
        let (status, _) = request(port, target);
        assert!(status.contains("200"), "{target}: {status}");
    }
    let others = others.elapsed();
    let (status, card_took) = card.join().unwrap();
    assert!(status.contains("200"), "the card: {status}");
    // Drawing this card takes most of a second; waiting for it would make the
    // other two take nearly as long.
    assert!(
        others * 4 < card_took.saturating_sub(Duration::from_millis(60)),
        "the page and robots.txt took {others:?} while the card took {card_took:?}"
    );
}

/// Trust round two: when file descriptors run out, serve's accept loop retried at
/// once and spun at 100% CPU. Under a limit of 64 descriptors, 120 connections are
/// opened and held: serve says once that it cannot accept and waits, using little
/// CPU, and answers again once they are closed.
#[cfg(target_os = "linux")]
#[test]
fn serve_backs_off_when_file_descriptors_run_out() {
    if !common::require_tool(
        common::has_command("prlimit", "--version"),
        "prlimit (util-linux)",
    ) {
        return;
    }
    let site = TestSite::minimal();
    let mut child = common::command("prlimit", site.path())
        .args(["--nofile=64:64", common::BIN, "serve", ".", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(site.path().join("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
    let port = common::serve::port_in(&line);
    let held: Vec<_> = (0..120)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let cpu = || {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    };
    let (before, start) = (cpu(), Instant::now());
    std::thread::sleep(Duration::from_secs(1));
    let ticks = cpu() - before;
    let elapsed = start.elapsed();
    drop(held);
    std::thread::sleep(Duration::from_millis(1500));
    let (status, _) = request(port, "/hub/");
    let _ = child.kill();
    let _ = child.wait();
    let stderr = std::fs::read_to_string(site.path().join("stderr.txt")).unwrap();
    // Clock ticks are hundredths of a second: spinning is about 100 in a second.
    assert!(
        ticks < 30,
        "{ticks} ticks of CPU in {elapsed:?} with no descriptor left\n{stderr}"
    );
    // Said once each time accepting stops, not once per failed accept.
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("cannot accept") || l.contains("accepting connections again"))
        .collect();
    assert!(
        said.first().is_some_and(|l| l.contains("cannot accept")),
        "{stderr}"
    );
    assert!(
        said.windows(2).all(|w| w[0] != w[1]),
        "the same line twice in a row:\n{stderr}"
    );
    assert!(status.contains("200"), "answers again: {status}");
}
