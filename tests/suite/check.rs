//! `hearth check` on a fixture with a known set of broken links, anchors and assets:
//! it finds exactly those, in all three formats (compared with stored snapshots;
//! `UPDATE_SNAPSHOTS=1 cargo test --test suite check::` rewrites them after a deliberate
//! change). `--external` runs against a server this test starts on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn fixture() -> tempfile::TempDir {
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check"),
        &["expected"],
    )
}

fn snapshot(name: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/expected")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "{name} changed; if that is intended, run with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn check_finds_exactly_the_broken_links_in_every_format() {
    let site = fixture();
    let human = common::run(&["check", "."], site.path());
    assert_eq!(human.code, 1, "{}", human.stderr);
    snapshot("human.txt", &human.stderr);
    let json = common::run(&["check", ".", "--format", "json"], site.path());
    assert_eq!(json.code, 1);
    snapshot("findings.jsonl", &json.stdout);
    let github = common::run(&["check", ".", "--format", "github"], site.path());
    assert_eq!(github.code, 1);
    snapshot("github.txt", &github.stdout);

    // The same set, read structurally.
    let findings: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut codes: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f["severity"] != "note")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("broken-anchor", "content/_index.md"),
            ("broken-link", "-"),
            ("broken-link", "content/_index.md"),
            ("broken-link", "content/about.md"),
            ("broken-link", "content/about.md"),
            ("no-description", "content/news/second.md"),
            ("unprefixed-link", "content/about.md"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let anchor = findings
        .iter()
        .find(|f| f["code"] == "broken-anchor")
        .unwrap();
    assert_eq!(
        (anchor["line"].as_u64(), anchor["column"].as_u64()),
        (Some(5), Some(59)),
        "{anchor}"
    );
    assert!(
        github
            .stdout
            .contains("::error file=content/_index.md,line=5,col="),
        "{}",
        github.stdout
    );
    assert!(
        !site.path().join("public").exists(),
        "check writes no output"
    );
}

#[test]
fn a_clean_site_passes_and_strict_turns_warnings_into_failures() {
    let site = TestSite::minimal();
    let r = common::run(&["check", "."], site.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("check: no problems found") || r.stderr.contains("0 errors"),
        "{}",
        r.stderr
    );
    common::write(site.path(), "content/empty.md", "---\ntitle: Empty\n---\n");
    let r = common::run(&["check", "."], site.path());
    assert_eq!(r.code, 0, "a warning alone passes: {}", r.stderr);
    let r = common::run(&["check", ".", "--strict"], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
}

/// A tiny HTTP server: /ok → 200, /gone → 404, /blocked → 403, /limited → 429,
/// /flaky → 500 once then 200. Counts the requests per path.
fn serve(hits: Arc<Mutex<HashMap<String, usize>>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let n = {
                let mut hits = hits.lock().unwrap();
                let n = hits.entry(path.clone()).or_default();
                *n += 1;
                *n
            };
            let status = match path.as_str() {
                "/ok" | "/member" | "/page" => "200 OK",
                "/gone" => "404 Not Found",
                "/blocked" => "403 Forbidden",
                "/limited" => "429 Too Many Requests",
                "/flaky" if n == 1 => "500 Internal Server Error",
                "/flaky" => "200 OK",
                _ => "404 Not Found",
            };
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
        }
    });
    port
}

/// `hearth check --external` as JSON lines; the test servers are on 127.0.0.1.
fn check_external_json(site: &Path) -> common::Run {
    common::run(
        &[
            "check",
            ".",
            "--external",
            "--allow-private",
            "--format",
            "json",
        ],
        site,
    )
}

#[test]
fn external_links_are_fetched_once_with_blocking_as_warnings_and_a_cache() {
    let hits = Arc::new(Mutex::new(HashMap::new()));
    let port = serve(hits.clone());
    let site = TestSite::minimal();
    let u = |p: &str| format!("http://127.0.0.1:{port}{p}");
    common::write(
        site.path(),
        "members/ada.md",
        &format!(
            "---\nname: Ada\nlinks:\n  - {{ label: Site, url: \"{}\" }}\n---\n",
            u("/member")
        ),
    );
    let links: String = ["/ok", "/gone", "/blocked", "/limited", "/flaky"]
        .iter()
        .enumerate()
        .map(|(i, p)| format!("- url: {}\n  title: Link {i}\n  note: A note.\n  date: 2026-11-0{}\n  curated_by: ada\n", u(p), i + 1))
        .collect();
    common::write(site.path(), "links/reading.yaml", &links);
    common::write(
        site.path(),
        "content/about.md",
        &format!(
            "---\ntitle: About\n---\n## Who we are\n\nSee [this]({}) and [that]({}).\n",
            u("/page"),
            u("/ok")
        ),
    );

    let r = check_external_json(site.path());
    assert_eq!(
        r.code, 1,
        "a broken link fails the check: {}\n{}",
        r.stdout, r.stderr
    );
    let findings: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_code = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(by_code("broken-external"), 1, "{}", r.stdout);
    assert_eq!(
        by_code("blocked-external"),
        2,
        "403 and 429 are warnings: {}",
        r.stdout
    );
    let broken = findings
        .iter()
        .find(|f| f["code"] == "broken-external")
        .unwrap();
    assert_eq!(broken["file"], "links/reading.yaml");
    assert_eq!(broken["line"], 6);
    assert!(
        r.stdout
            .contains("link rot: 1 of the links Ada (@ada) curated are broken"),
        "{}",
        r.stdout
    );
    {
        let hits = hits.lock().unwrap();
        assert_eq!(
            hits.get("/ok"),
            Some(&1),
            "fetched once although linked twice"
        );
        assert_eq!(hits.get("/flaky"), Some(&2), "retried after a 500");
    }
    let r = check_external_json(site.path());
    assert_eq!(r.code, 1);
    let hits = hits.lock().unwrap();
    assert_eq!(
        hits.get("/ok"),
        Some(&1),
        "a good answer is remembered between runs"
    );
    assert_eq!(hits.get("/gone"), Some(&2), "a broken one is asked again");
}

#[test]
fn the_example_site_checks_clean() {
    let example = common::example_site();
    let r = common::run(
        &["check", example.to_str().unwrap(), "--strict"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("check: no problems found"),
        "{}",
        r.stderr
    );
}
