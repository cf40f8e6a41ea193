//! What the trust tests share: a secret outside the site, links to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use super::snapshot;

/// A file outside the site that no build may publish or print.
pub fn secret() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.yaml");
    fs::write(&path, "api_key: hunter2-SECRET\n- not: [valid\n").unwrap();
    (dir, path)
}

pub fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

pub fn output_contains(dir: &Path, needle: &str) -> bool {
    snapshot(dir)
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
}
