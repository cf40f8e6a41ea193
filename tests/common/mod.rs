//! Helpers shared by the integration tests: temporary sites and running the binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_hearth");

/// A fixed "now" so builds are reproducible in tests.
pub const EPOCH: &str = "1795305600"; // 2026-11-22

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .expect("hearth runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Writes `files` (path, text) under a fresh temporary folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

pub fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// A small valid site: home, a section with two dated posts, an about page.
pub fn minimal() -> tempfile::TempDir {
    site(&[
        (
            "site.yaml",
            "title: Test Hub\nbase_url: https://example.org/hub/\ndescription: A test\nmenu:\n  - { label: News, url: /news/ }\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nWelcome. See [news](news/_index.md).\n"),
        ("content/about.md", "---\ntitle: About\n---\n## Who we are\n\nPeople.\n"),
        (
            "content/news/_index.md",
            "---\ntitle: News\nsort_by: date\nfeed: true\n---\nAll the news.\n",
        ),
        (
            "content/news/2026-11-01-welcome.md",
            "---\ntitle: Welcome\ntags: [meta]\n---\nHello! Read [about us](../about.md#who-we-are).\n\n## Agenda\n\nThings.\n",
        ),
        (
            "content/news/2026-11-02-second.md",
            "---\ntitle: Second post\ndate: 2026-11-02\ntags: [meta, rust]\n---\nMore.\n",
        ),
    ])
}

/// Every file under `dir` with its bytes, sorted, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// Whether an outside tool must be present: under CI=true a missing tool fails the
/// test, elsewhere it skips with a printed reason.
pub fn require_tool(found: bool, what: &str) -> bool {
    if found {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is missing; .ci/run installs it");
    }
    eprintln!("skipped: {what} is not installed (run .ci/run to install it)");
    false
}

/// The example site shipped with the repository.
pub fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

/// Builds the example site into a fresh folder with extra flags.
pub fn build_example(out: &Path, extra: &[&str]) {
    let example = example_site();
    let mut args = vec![
        "build",
        example.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    let r = run(&args, Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(r.code, 0, "example site builds: {}", r.stderr);
}

/// Whether a command can be started (`cmd --version` or similar succeeds).
pub fn has_command(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The Nu HTML checker's jar: $VNU_JAR, or where .ci/run's npm install puts it.
pub fn vnu_jar() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("VNU_JAR") {
        return Some(PathBuf::from(p));
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".ci/tools/node_modules/vnu-jar/build/dist/vnu.jar");
    p.is_file().then_some(p)
}
