//! Writes the built site: into a fresh folder beside the output, swapped in only when
//! every file was written, so a failed build leaves the previous output as it was.
//!
//! hearth writes nowhere but the output folder and its two siblings
//! `.NAME.hearth-new` (the build in progress) and `.NAME.hearth-old` (the previous
//! output while it is swapped out), and refuses an output folder that would overwrite
//! the site's sources.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::{Body, Output};

/// Folders of a site that hold sources: the output may not be inside one.
pub const SOURCE_DIRS: &[&str] = &[
    "content",
    "static",
    "templates",
    "themes",
    "members",
    "links",
    "guidelines",
];

/// Resolves the output folder to an absolute path and refuses dangerous ones.
pub fn check_target(site_root: &Path, out: &Path) -> Result<PathBuf, String> {
    let site = fs::canonicalize(site_root)
        .map_err(|e| format!("cannot open the site folder {}: {e}", site_root.display()))?;
    let out = absolute(out)?;
    if out == site {
        return Err(format!(
            "the output folder {} is the site itself; building there would delete your sources",
            out.display()
        ));
    }
    if site.starts_with(&out) {
        return Err(format!(
            "the output folder {} contains the site; building there would delete your sources",
            out.display()
        ));
    }
    for dir in SOURCE_DIRS {
        if out.starts_with(site.join(dir)) {
            return Err(format!(
                "the output folder {} is inside the site's {dir}/ folder",
                out.display()
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        if out.join("site.yaml").exists() || out.join("content").is_dir() {
            return Err(format!(
                "{} looks like a hearth site (it has site.yaml or content/); refusing to replace it",
                out.display()
            ));
        }
    }
    if out.file_name().is_none() {
        return Err(format!("{} cannot be an output folder", out.display()));
    }
    Ok(out)
}

/// Makes `p` absolute with its existing part resolved through symlinks, so the checks
/// above compare real locations.
fn absolute(p: &Path) -> Result<PathBuf, String> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current folder: {e}"))?
            .join(p)
    };
    // Resolve the longest existing ancestor, then re-apply the missing tail.
    let mut existing = p.as_path();
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for part in tail.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return Ok(out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_owned());
                existing = parent;
            }
            _ => return Ok(p),
        }
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.hearth-{suffix}"))
}

/// A build in progress: outputs are written into a fresh folder beside the output
/// as they are rendered (so a big site never sits in memory whole), and the folder is
/// swapped in only when everything succeeded.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    /// Output path → (what wrote it, whether it was generated rather than copied).
    claims: Mutex<HashMap<String, (String, bool)>>,
}

impl Staging {
    pub fn new(out: &Path) -> io::Result<Staging> {
        let dir = sibling(out, "new");
        for leftover in [&dir, &sibling(out, "old")] {
            if leftover.exists() {
                fs::remove_dir_all(leftover)?;
            }
        }
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            made: Mutex::new(HashSet::new()),
            claims: Mutex::new(HashMap::new()),
        })
    }

    /// Writes a batch. Two sources for one path are an error naming both, except
    /// that a copied file (static, theme) may replace another copied file: later wins.
    pub fn write(&self, outputs: &[Output]) -> Result<(), StagingError> {
        let mut problems = Vec::new();
        if let Ok(mut claims) = self.claims.lock() {
            for o in outputs {
                let generated = crate::render::is_generated(&o.body);
                if let Some((origin, was_generated)) = claims.get(&o.path) {
                    if generated || *was_generated {
                        problems.push(
                            Diagnostic::error(
                                "duplicate-url",
                                format!("{origin} and {} both want to write /{}", o.origin, o.path),
                            )
                            .with_help("rename or move one of them"),
                        );
                        continue;
                    }
                }
                claims.insert(o.path.clone(), (o.origin.clone(), generated));
            }
        }
        if !problems.is_empty() {
            return Err(StagingError::Site(problems));
        }
        let parents: BTreeSet<PathBuf> = outputs
            .iter()
            .filter_map(|o| {
                safe_join(&self.dir, &o.path).and_then(|p| p.parent().map(Path::to_path_buf))
            })
            .collect();
        if let Ok(mut made) = self.made.lock() {
            for p in parents {
                if !made.contains(&p) {
                    fs::create_dir_all(&p).map_err(StagingError::Io)?;
                    made.insert(p);
                }
            }
        }
        write_files(&self.dir, outputs).map_err(StagingError::Io)
    }

    /// Swaps the finished folder in for the output.
    pub fn commit(self) -> io::Result<()> {
        let old = sibling(&self.out, "old");
        if self.out.exists() {
            fs::rename(&self.out, &old)?;
            if let Err(e) = fs::rename(&self.dir, &self.out) {
                let _ = fs::rename(&old, &self.out);
                let _ = fs::remove_dir_all(&self.dir);
                return Err(e);
            }
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&self.dir, &self.out)?;
        }
        Ok(())
    }

    /// Drops the unfinished folder; the previous output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[derive(Debug)]
pub enum StagingError {
    Site(Vec<Diagnostic>),
    Io(io::Error),
}

/// Writes every output into a fresh folder and swaps it in for `out`.
pub fn write_atomic(out: &Path, outputs: &[Output]) -> Result<(), StagingError> {
    let staging = Staging::new(out).map_err(StagingError::Io)?;
    match staging.write(outputs) {
        Ok(()) => staging.commit().map_err(StagingError::Io),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Writes the outputs under `dir`, whose folders exist.
fn write_files(dir: &Path, outputs: &[Output]) -> io::Result<()> {
    outputs.par_iter().try_for_each(|o| {
        let Some(dest) = safe_join(dir, &o.path) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", o.path),
            ));
        };
        match &o.body {
            Body::Bytes(b) => fs::write(&dest, b),
            Body::Static(b) => fs::write(&dest, b),
            Body::Copy(src) => fs::copy(src, &dest).map(|_| ()),
            Body::Cached(src) => {
                fs::hard_link(src, &dest).or_else(|_| fs::copy(src, &dest).map(|_| ()))
            }
        }
    })
}

/// Joins an output path under `dir`, or `None` if it would leave it (`..`, absolute).
pub fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains(':') && cfg!(windows) => return None,
            p => out.push(p),
        }
    }
    (out != dir).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_climb_out() {
        let d = Path::new("/tmp/out");
        assert_eq!(
            safe_join(d, "a/b.html"),
            Some(PathBuf::from("/tmp/out/a/b.html"))
        );
        assert_eq!(safe_join(d, "../etc/passwd"), None);
        assert_eq!(safe_join(d, "a/../../x"), None);
        assert_eq!(
            safe_join(d, "/etc/passwd"),
            Some(PathBuf::from("/tmp/out/etc/passwd"))
        );
    }

    #[test]
    fn the_site_itself_and_its_parents_are_refused() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path(), site.path().parent().unwrap()).is_err());
        assert!(check_target(site.path(), &site.path().join("content/out")).is_err());
        assert!(check_target(site.path(), &site.path().join("public")).is_ok());
    }
}
