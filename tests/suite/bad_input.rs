//! Broken sites: each gets exit 1 (2 for the command line), an error naming the file
//! and line, no panic, and the previous output left as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use crate::common::{run, write};

/// The minimal site, broken by `edit`: no panic, the previous output kept, the
/// transcript as its snapshot says.
fn breaks(edit: impl FnOnce(&std::path::Path)) -> common::Run {
    common::site::TestSite::minimal().breaks(edit).run
}

#[test]
fn invalid_yaml_in_front_matter_is_an_error_at_its_line() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\ntags: [a, b\n---\nx\n",
        )
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/about.md:3:"), "{}", r.stderr);
}

#[test]
fn front_matter_without_closing_fence_is_an_error() {
    let r = breaks(|s| write(s, "content/about.md", "---\ntitle: About\nBody text\n"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:1:1"), "{}", r.stderr);
    assert!(r.stderr.contains("never closed"), "{}", r.stderr);
}

#[test]
fn a_page_without_title_is_an_error() {
    let r = breaks(|s| write(s, "content/about.md", "---\ndescription: x\n---\nBody\n"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:1:1"), "{}", r.stderr);
    assert!(r.stderr.contains("no title"), "{}", r.stderr);
}

#[test]
fn an_impossible_date_is_an_error_at_its_line() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\ndate: 2026-02-30\n---\nx\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("2026-02-30"), "{}", r.stderr);
}

#[test]
fn an_unknown_page_key_suggests_the_right_one() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\ntagz: [a]\n---\nx\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:3:1"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `tags`?"), "{}", r.stderr);
}

#[test]
fn an_unknown_key_in_site_yaml_names_key_line_and_suggestion() {
    let r = breaks(|s| {
        write(
            s,
            "site.yaml",
            "title: Test Hub\nbase_url: https://example.org/\ndescripton: x\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("site.yaml:3:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown key `descripton`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `description`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn site_yaml_without_base_url_is_an_error() {
    let r = breaks(|s| write(s, "site.yaml", "title: Test Hub\n"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("site.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("`base_url`"), "{}", r.stderr);
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let r = breaks(|s| {
        std::fs::write(s.join("content/about.md"), b"---\ntitle: Caf\xe9\n---\n").unwrap()
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("not UTF-8"), "{}", r.stderr);
}

#[test]
fn a_link_to_a_missing_md_file_is_an_error_at_its_line() {
    let r = breaks(|s| {
        write(
            s,
            "content/about.md",
            "---\ntitle: About\n---\nIntro.\n\nSee [the rules](rules.md).\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/about.md:6:5"), "{}", r.stderr);
    assert!(
        r.stderr.contains("`rules.md` does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn two_pages_with_one_url_name_both_files() {
    let r = breaks(|s| {
        write(
            s,
            "content/news/welcome.md",
            "---\ntitle: Also welcome\n---\nx\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("content/news/2026-11-01-welcome.md"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/news/welcome.md"), "{}", r.stderr);
    assert!(r.stderr.contains("/news/welcome/"), "{}", r.stderr);
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let r = breaks(|s| {
        write(
            s,
            "templates/page.html",
            "<h1>{{ page.title }</h1>\n{% if %}\n",
        )
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("templates/page.html:1:"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_content_is_an_error_not_a_hang() {
    let r = breaks(|s| {
        std::os::unix::fs::symlink(s.join("content"), s.join("content/news/loop")).unwrap()
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/news/loop"), "{}", r.stderr);
    assert!(r.stderr.contains("loop"), "{}", r.stderr);
}

#[test]
fn output_over_the_site_itself_is_refused_as_a_command_line_error() {
    let site = TestSite::minimal();
    let r = run(&["build", ".", "-o", "."], site.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("the site itself"), "{}", r.stderr);
    assert!(site.path().join("site.yaml").exists());
    assert!(site.path().join("content/about.md").exists());
    let r = run(&["build", ".", "-o", ".."], site.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn every_error_of_a_build_is_reported_not_only_the_first() {
    let r = breaks(|s| {
        write(s, "content/about.md", "---\ndescription: no title\n---\n");
        write(
            s,
            "content/news/2026-11-02-second.md",
            "---\ntitle: x\ndate: 2026-13-01\n---\n",
        );
        write(
            s,
            "content/broken.md",
            "---\ntitle: Broken\n---\n[x](nope.md)\n",
        );
    });
    assert_eq!(r.code, 1);
    for f in [
        "content/about.md",
        "content/news/2026-11-02-second.md",
        "content/broken.md",
    ] {
        assert!(r.stderr.contains(f), "{f} missing in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("failed with 3 errors"), "{}", r.stderr);
}

/// A broken template and a broken link are both reported by one build, with search
/// on (every page's markdown rendered first) and off (pages rendered in batches
/// after the templates load).
#[test]
fn a_broken_template_and_a_broken_link_are_reported_together() {
    let r = breaks(|s| {
        write(
            s,
            "templates/page.html",
            "<h1>{{ page.title }}</h1>\n{% if %}\n",
        );
        write(
            s,
            "content/broken.md",
            "---\ntitle: Broken\n---\n[x](nope.md)\n",
        );
    });
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("template `page.html`"), "{}", r.stderr);
    assert!(r.stderr.contains("content/broken.md"), "{}", r.stderr);
    let site = TestSite::minimal();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}search:\n  enabled: false\n"),
    );
    write(
        site.path(),
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{% if %}\n",
    );
    write(
        site.path(),
        "content/broken.md",
        "---\ntitle: Broken\n---\n[x](nope.md)\n",
    );
    let off = run(&["build", "."], site.path());
    assert_eq!(off.code, 1);
    assert!(
        off.stderr.contains("template `page.html`"),
        "{}",
        off.stderr
    );
    assert!(off.stderr.contains("content/broken.md"), "{}", off.stderr);
}

#[test]
fn a_bad_command_line_exits_2() {
    let site = TestSite::minimal();
    assert_eq!(run(&["build", "--no-such-flag"], site.path()).code, 2);
    assert_eq!(run(&["frobnicate"], site.path()).code, 2);
    assert_eq!(run(&["build", "no/such/folder"], site.path()).code, 2);
    assert_eq!(
        run(&["build", ".", "--base-url", "not a url"], site.path()).code,
        2
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_outside_the_site_is_not_followed() {
    let site = TestSite::minimal();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path().join("static/passwd")).unwrap();
    let r = run(&["build", "."], site.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("static/passwd") && r.stderr.contains("outside the site"),
        "{}",
        r.stderr
    );
    assert!(!site.path().join("public/passwd").exists());
}

/// Trust round two: site.yaml values that name files or reach other libraries are
/// checked where they are read (`language: "../../x"` once reached the search
/// index's file names and printed a panic's backtrace; a theme is a folder).
fn refused_in_site_yaml(key: &str, value: &str, says: &str) {
    let r = breaks(|s| {
        write(
            s,
            "site.yaml",
            &format!("title: Test Hub\nbase_url: https://example.org/\n{key}: {value}\n"),
        )
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("site.yaml:3:"), "{}", r.stderr);
    assert!(r.stderr.contains(says), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_language_that_could_name_a_path_is_an_error_at_its_line() {
    refused_in_site_yaml("language", "\"../../x\"", "is not a language tag");
}

#[test]
fn a_theme_that_could_name_a_path_is_an_error_at_its_line() {
    refused_in_site_yaml("theme", "\"../../etc\"", "is not a theme's name");
}
