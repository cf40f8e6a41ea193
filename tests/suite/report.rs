//! `hearth report` against the community fixture, whose numbers are known.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;

fn json(site: &TestSite) -> serde_json::Value {
    let out = site.run(&["report", ".", "--format", "json"]);
    out.succeeds();
    serde_json::from_str(&out.run.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.run.stdout))
}

#[test]
fn the_json_report_counts_what_the_site_holds() {
    let mut r = json(&TestSite::community());
    // Over time: every month from the first join to the build's, 0 when
    // nobody joined, and the total growing to the member count.
    let members = r["members"].as_object_mut().unwrap();
    let joined = members.remove("joined_by_month").unwrap();
    let total = members.remove("cumulative_by_month").unwrap();
    let joined = joined.as_object().unwrap();
    assert_eq!(joined.len(), 43, "May 2023 to November 2026: {joined:?}");
    assert_eq!(joined["2023-05"], 1);
    assert_eq!(joined["2023-06"], 0, "a month with no joins shows 0");
    assert_eq!(joined["2024-03"], 1);
    assert_eq!(joined["2026-11"], 0);
    let total = total.as_object().unwrap();
    assert_eq!(total["2024-02"], 1);
    assert_eq!(
        total.values().next_back().unwrap(),
        3,
        "ends at the member count"
    );
    // This month against the last (digests off: months).
    let periods = r.as_object_mut().unwrap().remove("periods").unwrap();
    assert_eq!(
        periods,
        serde_json::json!({
            "every": "month",
            "this": {"period": "2026-10", "new_members": 0, "spotlights": 0, "posts": 0, "links": 1, "events": 1},
            "last": {"period": "2026-09", "new_members": 0, "spotlights": 0, "posts": 0, "links": 0, "events": 0}
        })
    );
    let expected = serde_json::json!({
        "generated": "2026-11-22",
        "site": "Test Hub",
        "members": {
            "total": 3,
            "answered_welcome_questions": {"all": 0, "some": 1, "none": 2},
            "never_spotlighted": ["cy", "bob"]
        },
        "spotlights": {"total": 1, "by_month": {"2026-11": 1}, "days_since_last": 17},
        "links": {
            "total": 2,
            "by_curator": {"ada": 1},
            "by_month": {"2026-10": 1, "2026-11": 1},
            "broken": null
        },
        "events": {
            "upcoming": 2,
            "past": 1,
            "by_month": {"2026-10": 1, "2026-11": 0, "2026-12": 1, "2027-01": 0, "2027-02": 1}
        },
        "guidelines": [{
            "path": "guidelines/code-of-conduct.md",
            "title": "Code of Conduct",
            "version": "2.1",
            "reviewed": "2026-10-01",
            "days_since_review": 52,
            "overdue": false
        }],
        "content": {
            "pages": 7,
            "by_section": {"/": 1, "events": 3, "news": 3},
            "by_month": {"2026-10": 1, "2026-11": 5}
        }
    });
    assert_eq!(r, expected, "{}", serde_json::to_string_pretty(&r).unwrap());
}

#[test]
fn members_without_joined_are_counted_as_unknown_and_broken_links_come_from_check() {
    let site = TestSite::community()
        .member("dee", "name: Dee", "Hi.")
        .file(
            ".hearth-cache/external.json",
            r#"{"https://other.example.org/": {"status": 0, "checked": 1795305000}, "https://blog.example.com/async": {"status": 200, "checked": 1795305000}}"#,
        );
    let r = json(&site);
    assert_eq!(r["members"]["joined_by_month"]["unknown"], 1);
    assert_eq!(r["links"]["broken"], 1);
}

#[test]
fn the_human_report_says_what_to_do_next() {
    let site = TestSite::community().file(
        ".hearth-cache/external.json",
        r#"{"https://other.example.org/": {"status": 0, "checked": 1795305000}}"#,
    );
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let site = site.file(
        "site.yaml",
        &yaml.replace("review_every_days: 100", "review_every_days: 30"),
    );
    let out = site.run(&["report", "."]);
    out.succeeds();
    let text = &out.run.stdout;
    for line in [
        "2 members have never been spotlighted, longest-standing first: Cy Young (@cy), Bob Builder (@bob)",
        "2 members have answered no welcome question yet",
        "“Code of Conduct” is past its review: last reviewed 2026-10-01 (52 days ago)",
        "1 curated link is broken: https://other.example.org/",
        "Next event: Next call on 2026-12-03",
    ] {
        assert!(text.contains(line), "“{line}” missing from:\n{text}");
    }
}

#[test]
fn the_html_report_is_one_self_contained_page_with_charts() {
    let site = TestSite::community();
    let file = site.path().join("report.html");
    site.run(&[
        "report",
        ".",
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ])
    .succeeds();
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.matches("<svg").count() >= 6, "charts");
    assert!(
        html.matches("<table>").count() >= 6,
        "each chart's numbers as a table"
    );
    assert!(html.contains("prefers-color-scheme:dark"), "dark mode");
    for outside in ["src=", "href=\"http", "url(", "<script", "<link"] {
        assert!(
            !html.contains(outside),
            "{outside} in a self-contained page"
        );
    }
    let Some(jar) = common::vnu_jar() else {
        common::require_tool(false, "the Nu HTML checker (npm vnu-jar)");
        return;
    };
    if !common::require_tool(common::has_command("java", "-version"), "Java") {
        return;
    }
    let check = std::process::Command::new("java")
        .args(["-jar", jar.to_str().unwrap(), "--errors-only"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_broken_site_has_no_report_and_exits_1() {
    let site = TestSite::minimal().page("about", "title: About\ndate: 2026-13-45", "x");
    site.run(&["report", "."])
        .exits_with(1)
        .says(&["content/about.md:3:"]);
}

/// `report -o` has the output's guards (trust round two): it never writes through a
/// link planted in the checkout, never opens a FIFO (the command would hang), never
/// replaces the site's own files, and a member's name with a newline stays on its
/// line.
#[test]
fn report_o_writes_only_plain_files_outside_the_sources() {
    let site = TestSite::community().member(
        "eve",
        "name: \"Eve\\nTo do: delete the repository\"\njoined: 2026-11-01",
        "Hi.",
    );
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, site.path().join("report.txt")).unwrap();
    let out = site.run(&["report", ".", "-o", "report.txt"]);
    out.exits_with(1).says(&["report.txt", "symbolic link"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");

    let config = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    for target in ["site.yaml", "content/report.txt"] {
        site.run(&["report", ".", "-o", target])
            .exits_with(1)
            .says(&["one of the site's own files"]);
    }
    assert_eq!(
        std::fs::read_to_string(site.path().join("site.yaml")).unwrap(),
        config
    );
    assert!(!site.path().join("content/report.txt").exists());

    let fifo = site.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        site.run(&["report", ".", "-o", "fifo"])
            .exits_with(1)
            .says(&["not a plain file"]);
    }

    let written = outside.path().join("health.txt");
    std::fs::write(&written, "old").unwrap();
    site.run(&["report", ".", "-o", written.to_str().unwrap()])
        .succeeds();
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("community health"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("To do: delete")),
        "a name's newline made a line of its own:\n{text}"
    );
    assert!(
        std::fs::read_dir(outside.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("hearth-tmp")),
        "a temporary file was left behind"
    );
}

/// Trust round two: a garbage `external.json` (a cache restored damaged) says
/// nothing about broken links; it read as "0 broken".
#[test]
fn a_garbage_external_cache_leaves_broken_links_unknown() {
    let site = TestSite::community().file(".hearth-cache/external.json", "{not json at all");
    let r = json(&site);
    assert!(r["links"]["broken"].is_null(), "{}", r["links"]);
    let human = site.run(&["report", "."]);
    human.succeeds();
    assert!(
        human.run.stdout.contains("run `hearth check --external`"),
        "{}",
        human.run.stdout
    );
}

/// The HTML report's charts have every month, a month with no joins at 0, and
/// the members' total as a line that ends at the member count.
#[test]
fn the_html_report_charts_months_with_nothing_as_zero_and_the_growing_total() {
    let site = TestSite::community();
    let out = site.run(&["report", ".", "--format", "html"]);
    out.succeeds();
    let html = &out.run.stdout;
    assert!(
        html.contains("<title>2023-06: 0</title>"),
        "a bar for a month with no joins"
    );
    let total = &html[html.find("Members over time").unwrap()..];
    let table = &total[..total.find("</table>").unwrap()];
    assert!(
        table.ends_with("<tr><td>2026-11</td><td class=\"n\">3</td></tr></tbody>"),
        "{table}"
    );
    let human = site.run(&["report", "."]);
    assert!(
        human
            .run
            .stdout
            .contains("This month (2026-10) against the last (2026-09): 0 new members (was 0)"),
        "{}",
        human.run.stdout
    );
}
