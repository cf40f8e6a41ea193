//! `TestSite`: a site in a temporary folder, written file by file in a chain, built
//! with the real binary, with assertions on the result. In the spirit of mdBook's
//! `BookTest`:
//!
//! ```ignore
//! TestSite::minimal()
//!     .page("news/2026-11-03-hello", "title: Hello", "Hi @ada.")
//!     .member("ada", "name: Ada", "Builds things.")
//!     .build()
//!     .succeeds()
//!     .has_page("news/hello/index.html", "Hi");
//! ```
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use super::{run, snapshot, write, Run};

pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// Home, a news section with two dated posts, an about page.
    pub fn minimal() -> TestSite {
        TestSite {
            dir: super::minimal(),
        }
    }

    /// A site of exactly these files (path, text).
    pub fn from_files(files: &[(&str, &str)]) -> TestSite {
        TestSite {
            dir: super::site(files),
        }
    }

    /// The minimal site plus members, curated links, a guideline and events.
    pub fn community() -> TestSite {
        TestSite {
            dir: super::community(),
        }
    }

    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> TestSite {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        TestSite {
            dir: super::copy_dir(&src, &["public", ".hearth-cache"]),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Any file, by its path in the site.
    pub fn file(self, path: &str, text: &str) -> TestSite {
        write(self.path(), path, text);
        self
    }

    /// Any file, by its path in the site, as bytes (a picture).
    pub fn bytes(self, path: &str, bytes: &[u8]) -> TestSite {
        super::write_bytes(self.path(), path, bytes);
        self
    }

    /// `content/PATH.md` with this front matter (YAML lines) and body.
    pub fn page(self, path: &str, front_matter: &str, body: &str) -> TestSite {
        let text = format!("---\n{front_matter}\n---\n{body}\n");
        self.file(&format!("content/{path}.md"), &text)
    }

    /// `members/HANDLE.md`.
    pub fn member(self, handle: &str, front_matter: &str, bio: &str) -> TestSite {
        let text = format!("---\n{front_matter}\n---\n{bio}\n");
        self.file(&format!("members/{handle}.md"), &text)
    }

    /// `links/NAME.yaml`, a YAML list of curated links.
    pub fn links(self, name: &str, yaml: &str) -> TestSite {
        self.file(&format!("links/{name}.yaml"), yaml)
    }

    /// `guidelines/NAME.md`.
    pub fn guideline(self, name: &str, front_matter: &str, body: &str) -> TestSite {
        let text = format!("---\n{front_matter}\n---\n{body}\n");
        self.file(&format!("guidelines/{name}.md"), &text)
    }

    /// Lines added at the end of site.yaml.
    pub fn config(self, yaml: &str) -> TestSite {
        let now = std::fs::read_to_string(self.path().join("site.yaml")).unwrap();
        self.file("site.yaml", &format!("{now}{yaml}\n"))
    }

    /// `hearth ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Outcome {
        Outcome {
            run: run(args, self.path()),
            root: self.path().to_path_buf(),
        }
    }

    /// `hearth build .`
    pub fn build(&self) -> Outcome {
        self.run(&["build", "."])
    }

    /// Builds the site, breaks it with `edit` and builds again: the second build
    /// must fail without a panic, leave the first build's output as it was, and
    /// print what its snapshot transcript (`tests/suite/snapshots/errors/`) says.
    pub fn breaks(self, edit: impl FnOnce(&Path)) -> Outcome {
        self.build().succeeds();
        let before = snapshot(&self.path().join("public"));
        edit(self.path());
        let second = self.build();
        assert_ne!(
            second.run.code, 0,
            "the broken site built:\n{}",
            second.run.stderr
        );
        assert!(
            !second.run.stderr.contains("panicked"),
            "{}",
            second.run.stderr
        );
        assert_eq!(
            snapshot(&self.path().join("public")),
            before,
            "a failed build leaves the previous output as it was"
        );
        super::assert_errors_snapshot(&second.run, self.path());
        second
    }
}

/// What a command did, with assertions that chain. It names the site's folder
/// without owning it: keep the `TestSite` alive while reading outputs.
pub struct Outcome {
    pub run: Run,
    root: PathBuf,
}

impl Outcome {
    pub fn succeeds(&self) -> &Outcome {
        assert_eq!(self.run.code, 0, "{}", self.run.stderr);
        self
    }

    pub fn exits_with(&self, code: i32) -> &Outcome {
        assert_eq!(self.run.code, code, "{}", self.run.stderr);
        self
    }

    /// stderr mentions each of `texts`.
    pub fn says(&self, texts: &[&str]) -> &Outcome {
        for t in texts {
            assert!(
                self.run.stderr.contains(t),
                "expected “{t}” in:\n{}",
                self.run.stderr
            );
        }
        self
    }

    /// An output file of the default output folder, as text.
    pub fn output(&self, path: &str) -> String {
        super::read(&self.root, &format!("public/{path}"))
    }

    /// The output file exists and contains `text`.
    pub fn has_page(&self, path: &str, text: &str) -> &Outcome {
        let page = self.output(path);
        assert!(page.contains(text), "{path} lacks “{text}”");
        self
    }
}
