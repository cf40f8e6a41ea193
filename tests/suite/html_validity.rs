//! The generated example site is valid HTML by the Nu HTML checker (the W3C's).
//! Needs Java and npm's vnu-jar, which .ci/run installs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use std::process::Command;

/// The Nu checker over every HTML file under `dir`: its report of errors (empty
/// when there are none), or none when the tools are missing (a skip said why).
fn nu_errors(dir: &std::path::Path) -> Option<String> {
    let jar = common::vnu_jar();
    if !common::require_tool(jar.is_some(), "the Nu HTML checker (npm vnu-jar)")
        || !common::require_tool(common::has_command("java", "-version"), "Java")
    {
        return None;
    }
    let result = Command::new("java")
        .arg("-jar")
        .arg(jar.unwrap())
        .args(["--errors-only", "--skip-non-html"])
        .arg(dir)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&result.stderr).into_owned();
    assert!(
        result.status.success() || !report.trim().is_empty(),
        "the checker failed"
    );
    Some(report)
}

#[test]
fn the_example_site_has_no_nu_checker_errors() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    common::build_example(&site, &["--drafts"]);
    if let Some(report) = nu_errors(&site) {
        assert!(report.trim().is_empty(), "Nu checker errors:\n{report}");
    }
}

/// SPEC §5: the trilingual fixture (French, and Arabic right to left, with the
/// switcher and `hreflang` alternates on every page) is valid HTML too.
#[test]
fn a_site_in_three_languages_has_no_nu_checker_errors() {
    let site = common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages"),
        &["public", ".hearth-cache"],
    );
    let built = common::run(&["build", "."], site.path());
    assert_eq!(built.code, 0, "{}", built.stderr);
    if let Some(report) = nu_errors(&site.path().join("public")) {
        assert!(report.trim().is_empty(), "Nu checker errors:\n{report}");
    }
}
