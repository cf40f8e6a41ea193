//! The trust review (issue 10), continued: limits (pictures, pages, concurrent and
//! interrupted builds) and the network (serve and check --external). Each test names
//! the item it covers; `trust.rs` has the others.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::serve::http_server;
use crate::common::{run, snapshot, write, write_bytes, TINY_PNG};

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
    let site = TestSite::community();
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

    let site = TestSite::minimal();
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
    let site = TestSite::community();
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
    let site = TestSite::minimal();
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

// 18. Output cards were hard links into the cache, and an optimiser editing one in
// place changed the cache. They are linked again (copying 10,000 cards took most of
// a warm build), and every cached card's bytes are checked against its name first.
#[test]
fn a_card_edited_in_place_in_the_output_is_drawn_again() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "."], site.path()).code, 0);
    let card = site.path().join("public/cards/about.png");
    let original = fs::read(&card).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let links = fs::metadata(&card).unwrap().nlink();
        assert_eq!(links, 2, "the output's card is the cache's file");
    }
    // An optimiser rewrites the PNG in place.
    fs::OpenOptions::new()
        .write(true)
        .open(&card)
        .unwrap()
        .write_all(b"OPTIMISED")
        .unwrap();
    let second = run(&["build", "."], site.path());
    assert_eq!(second.code, 0);
    assert!(
        second.stderr.contains("(1 rendered,"),
        "only the edited card is drawn again: {}",
        second.stderr
    );
    assert_eq!(
        fs::read(&card).unwrap(),
        original,
        "the next build publishes the real card"
    );
    // And the build after that takes it from the cache again.
    let third = run(&["build", "."], site.path());
    assert!(third.stderr.contains("(0 rendered,"), "{}", third.stderr);
    assert_eq!(fs::read(&card).unwrap(), original);
}

// 19. A 50 MB page took 850 MB of memory and the feeds carried it whole.
#[test]
fn huge_pages_are_refused_and_long_ones_are_summarised_in_feeds() {
    let site = TestSite::minimal();
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
    let site = TestSite::minimal();
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
    let site = TestSite::minimal();
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

// 23. check --external fetched loopback and metadata addresses from CI.
#[test]
fn check_external_leaves_private_addresses_unchecked_unless_allowed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let port = http_server(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".into()
    });
    let site = TestSite::minimal();
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

/// Trust round two: highlighting multiplied bytes ~73× (a 5 MB code block made a
/// 365 MB page). A block over 256 KiB, or one whose highlighted HTML would be more
/// than 16 times its code, is shown plain with a warning at its line, so a page
/// stays a small multiple of its markdown.
#[test]
fn highlighting_stays_in_proportion_to_the_code() {
    let s = TestSite::minimal();
    let long = "fn main() { let x = 1; }\n".repeat(12_000);
    let dense = "a.b;".repeat(25_000) + "\n";
    write(
        s.path(),
        "content/long.md",
        &format!("---\ntitle: Long\n---\nText.\n\n```rust\n{long}```\n"),
    );
    write(
        s.path(),
        "content/dense.md",
        &format!("---\ntitle: Dense\n---\nText.\n\n```rust\n{dense}```\n"),
    );
    write(
        s.path(),
        "content/short.md",
        "---\ntitle: Short\n---\n```rust\nfn main() {}\n```\n",
    );
    let r = run(&["build"], s.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("hearth::long-code"),
        "{}",
        &r.stderr[..2000.min(r.stderr.len())]
    );
    assert!(
        r.stderr.contains("content/long.md:6:1"),
        "the long block's line"
    );
    assert!(
        r.stderr.contains("content/dense.md:6:1"),
        "the dense block's line"
    );
    for (page, source) in [("long", long.len()), ("dense", dense.len())] {
        let html = fs::read_to_string(s.path().join(format!("public/{page}/index.html"))).unwrap();
        assert!(
            html.len() < source * 2,
            "{page}: {} bytes of HTML from {source} of code",
            html.len()
        );
        assert!(!html.contains("class=\"hl-"), "{page} is plain");
    }
    let short = fs::read_to_string(s.path().join("public/short/index.html")).unwrap();
    assert!(
        short.contains("class=\"hl-"),
        "a short block is still highlighted"
    );
    let strict = run(&["build", "--strict"], s.path());
    assert_eq!(strict.code, 1, "a warning fails --strict");
}

/// Peak memory (VmHWM) of a running child, read until it exits or `limit` passes;
/// the child is killed at the limit. (wall time, peak KiB, exit status).
#[cfg(target_os = "linux")]
fn watched(mut child: std::process::Child, limit: Duration) -> (Duration, u64, Option<i32>) {
    let start = Instant::now();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = fs::read_to_string(&status_file) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return (start.elapsed(), peak, status.code());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (start.elapsed(), peak, None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Trust round two: the hostile-SVG corpus (`tests/fixtures/hostile-svg`, made by
/// `tools/hostile_svg.py`: chained masks, clip paths, patterns and markers, `<use>`
/// bombs and cycles, filters over huge regions and radii, nested `<svg>`, huge
/// viewBoxes and canvases, entity bombs, a gzip bomb, scripts and outside
/// references), each a member's avatar with cards on: every build ends within 20
/// seconds and 1 GiB, either drawing the avatar (a card, no script or outside
/// reference published) or refusing it with an error naming the member's file.
/// SECURITY.md has the table.
#[cfg(target_os = "linux")]
#[test]
fn every_hostile_svg_is_drawn_or_refused_in_time() {
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-svg");
    let mut files: Vec<_> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{} files", files.len());
    let mut report = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let s = TestSite::minimal();
        write(
            s.path(),
            "members/ada.md",
            "---\nname: Ada\navatar: ada.svg\n---\nHi.\n",
        );
        write_bytes(s.path(), "members/ada.svg", &fs::read(file).unwrap());
        let child = common::command(common::BIN, s.path())
            .args(["build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(s.path().join("stderr.txt")).unwrap())
            .spawn()
            .unwrap();
        let (took, peak_kib, code) = watched(child, Duration::from_secs(20));
        let stderr = fs::read_to_string(s.path().join("stderr.txt")).unwrap();
        assert!(code.is_some(), "{name}: still running after {took:?}");
        assert!(peak_kib < 1 << 20, "{name}: {peak_kib} KiB");
        match code {
            Some(0) => {
                assert!(
                    s.path().join("public/cards/members/ada.png").is_file(),
                    "{name}: drawn, so its card exists"
                );
                let published =
                    fs::read_to_string(s.path().join("public/members/ada.svg")).unwrap_or_default();
                for active in [
                    "<script",
                    "onload",
                    "foreignObject",
                    "javascript:",
                    "file:",
                    "169.254",
                    "@import",
                    "evil.example",
                ] {
                    assert!(!published.contains(active), "{name}: published {active}");
                }
                report.push(format!("{name}: drawn in {took:?}, {peak_kib} KiB"));
            }
            Some(1) => {
                assert!(
                    stderr.contains("members/ada.md") && stderr.contains("avatar `ada.svg`"),
                    "{name}: the error names the file\n{stderr}"
                );
                assert!(!stderr.contains("panicked"), "{name}: {stderr}");
                report.push(format!("{name}: refused in {took:?}, {peak_kib} KiB"));
            }
            other => panic!("{name}: exit {other:?}\n{stderr}"),
        }
    }
    eprintln!("{}", report.join("\n"));
}

/// Trust round two: a build killed after carrying the output's `cards/` into the
/// new output, before the swap, left `public/` without cards. Now the output is
/// set aside whole before anything is carried out of it. Each point a kill can land
/// on, made on disk as the kill would leave it: the output is there whole, or set
/// aside whole but for the carried folder (put back, with the folder, by the next
/// build, as the first round did for the page swap); the next build ends with
/// every card and no leftovers.
#[test]
fn a_build_killed_while_carrying_cards_over_leaves_them_recoverable() {
    let site = TestSite::community();
    let s = site.path();
    assert_eq!(run(&["build", "."], s).code, 0);
    let cards: Vec<String> = walk_names(&s.join("public/cards"));
    assert!(cards.len() > 3, "{cards:?}");
    let new = s.join(".public.hearth-new");
    let old = s.join(".public.hearth-old");
    let journal = s.join(".public.hearth-carried");
    for point in ["journal written", "output set aside", "cards carried"] {
        fs::create_dir_all(&new).unwrap();
        fs::write(new.join(".hearth-output"), "x").unwrap();
        fs::write(&journal, "cards\n").unwrap();
        if point != "journal written" {
            fs::rename(s.join("public"), &old).unwrap();
        }
        if point == "cards carried" {
            fs::rename(old.join("cards"), new.join("cards")).unwrap();
        }
        let r = run(&["build", "."], s);
        assert_eq!(r.code, 0, "{point}: {}", r.stderr);
        assert_eq!(walk_names(&s.join("public/cards")), cards, "{point}");
        assert!(
            !journal.exists() && !new.exists() && !old.exists(),
            "{point}"
        );
        if point == "cards carried" {
            assert!(r.stderr.contains("back into"), "{point}: {}", r.stderr);
        }
    }
}

/// The files under `dir`, relative, sorted.
fn walk_names(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                names.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names
}
