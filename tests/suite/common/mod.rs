//! Helpers shared by the integration tests: temporary sites and running the binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod photos;
pub mod serve;
pub mod site;
pub mod trust;

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
    run_env(args, cwd, &[])
}

/// `program` (hearth, or a wrapper that runs it) in `cwd`, with the fixed "now" and
/// no colour, as every test runs it.
pub fn command(program: &str, cwd: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1");
    c
}

/// `run` with extra environment variables.
pub fn run_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let out: Output = command(BIN, cwd)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("hearth runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Writes `files` (path, text) under a fresh temporary folder.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// A real 1×1 PNG, for avatars.
pub const TINY_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 184, 233, 111, 0, 0, 3, 93,
    1, 89, 238, 135, 103, 58, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

pub fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

pub fn write(root: &Path, path: &str, text: &str) {
    write_bytes(root, path, text.as_bytes());
}

/// A file under `root` as text (an output page, usually).
pub fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// A small valid site (made through `TestSite::minimal`): home, a section with two dated posts, an about page.
fn minimal() -> tempfile::TempDir {
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

/// Snapshots a failed build's error output as a transcript named after the running
/// test (`tests/suite/snapshots/`), with the temporary site folder written as `SITE`.
pub fn assert_errors_snapshot(r: &Run, site: &Path) {
    let test = std::thread::current()
        .name()
        .unwrap_or("errors")
        .rsplit("::")
        .next()
        .unwrap_or("errors")
        .to_string();
    let text = r.stderr.replace(site.to_str().unwrap_or("\u{0}"), "SITE");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/errors");
    settings.bind(|| insta::assert_snapshot!(test, format!("exit code {}\n{text}", r.code)));
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
    // Written to the real stderr, not through `eprintln!`, which the test harness
    // captures and hides for a passing test: whoever runs `cargo test` sees what was
    // skipped and why.
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} is not installed (.ci/run installs it)"
    );
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

/// The minimal site plus the community folders: members, links, guidelines, events.
fn community() -> tempfile::TempDir {
    let site = minimal();
    let root = site.path();
    write(
        root,
        "site.yaml",
        "title: Test Hub\nbase_url: https://example.org/hub/\nmembers:\n  questions:\n    - { key: found_us, ask: How did you find us? }\n    - { key: favourite, ask: What is your favourite build? }\n    - { key: learning, ask: What are you learning? }\nguidelines:\n  review_every_days: 100\n",
    );
    write(
        root,
        "members/ada.md",
        "---\nname: Ada Lovelace\npronouns: she/her\nrole: Moderator\njoined: 2024-03-01\navatar: ada.png\nlinks:\n  - { label: Mastodon, url: \"https://hachyderm.io/@ada\" }\nanswers:\n  found_us: A meetup flyer.\n---\nAda writes <em>engines</em>.<script>alert(1)</script> <a href=\"javascript:alert(1)\" onclick=\"x()\">click</a>\n",
    );
    write_bytes(root, "members/ada.png", TINY_PNG);
    write(
        root,
        "members/bob.md",
        "---\nname: Bob Builder\njoined: 2025-01-01\n---\nBob builds.\n",
    );
    write(
        root,
        "members/cy.md",
        "---\nname: Cy Young\njoined: 2023-05-05\n---\nCy.\n",
    );
    write(
        root,
        "content/news/2026-11-05-spotlight-ada.md",
        "---\ntitle: Meet Ada\ndate: 2026-11-05\nspotlight: ada\nauthors: [bob]\n---\nWe talked to @ada, not ada@example.org.\n",
    );
    write(
        root,
        "links/reading.yaml",
        "- url: https://blog.example.com/async\n  title: Async in depth\n  note: Worth *your* evening.\n  date: 2026-11-02\n  tags: [async]\n  curated_by: ada\n  discuss: news/2026-11-01-welcome.md\n- url: https://other.example.org/\n  title: Another read\n  note: Short.\n  date: 2026-10-02\n  tags: [async, books]\n",
    );
    write(
        root,
        "guidelines/code-of-conduct.md",
        "---\ntitle: Code of Conduct\nversion: 2.1\neffective: 2026-01-01\nreviewed: 2026-10-01\norder: 1\nchanges:\n  - { version: \"2.1\", date: 2026-01-01, note: Ladder }\n---\n## Be kind\n\n### Online {#online}\n\n### Offline\n\n## Be safe\n",
    );
    write(
        root,
        "content/events/past.md",
        "---\ntitle: Past call\ndate: 2026-10-01\nevent:\n  start: 2026-10-10T18:00:00+02:00\n  end: 2026-10-10T19:00:00+02:00\n  location: Online\n---\nDone.\n",
    );
    write(
        root,
        "content/events/soon.md",
        "---\ntitle: Next call\ndate: 2026-11-01\nevent:\n  start: 2026-12-03T18:00:00+01:00\n  end: 2026-12-03T20:00:00+01:00\n  location: \"Room 1, Main St; Floor 2\"\n  url: https://meet.example.org/x\n---\nCome.\n",
    );
    write(
        root,
        "content/events/later.md",
        "---\ntitle: Later call\ndate: 2026-11-01\nevent:\n  start: 2027-02-03T18:00:00Z\n---\nLater.\n",
    );
    site
}

/// Copies a folder into a fresh temporary one, leaving out top-level entries named
/// in `skip` (build output, caches, snapshots).
pub fn copy_dir(src: &Path, skip: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(src).expect("inside");
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if top.as_deref().is_some_and(|t| skip.contains(&t)) {
            continue;
        }
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
    dir
}

/// What a real-browser test needs: npm's packages in `.ci/tools` (playwright-core
/// and `npm`), node and Debian's Chromium (or `$CHROMIUM`), and python3 for a plain
/// static server when `python`. The tools folder and Chromium's path when all are
/// there; else none, after [`require_tool`] said so (or failed the test under CI).
pub fn browser_tools(npm: &[&str], python: bool) -> Option<(PathBuf, String)> {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let packages: Vec<&str> = std::iter::once("playwright-core")
        .chain(npm.iter().copied())
        .collect();
    let ready = packages
        .iter()
        .all(|t| tools.join("node_modules").join(t).is_dir())
        && Path::new(&chromium).is_file()
        && has_command("node", "--version")
        && (!python || has_command("python3", "--version"));
    let what = format!(
        "node with npm's {}{}",
        packages.join(" and "),
        if python {
            ", Chromium and python3"
        } else {
            " and Chromium"
        }
    );
    require_tool(ready, &what).then_some((tools, chromium))
}

/// Runs `tests/scripts/SCRIPT` in node against a site at `base`, with the browser
/// tools of [`browser_tools`]; its output, once it exited 0 (else the test fails
/// with everything it printed).
pub fn browser_script(
    script: &str,
    (tools, chromium): &(PathBuf, String),
    base: &str,
    args: &[&str],
) -> String {
    let run = Command::new("node")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/scripts")
                .join(script),
        )
        .arg(tools)
        .arg(chromium)
        .arg(base)
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}
