//! Which folder a build may write to, and which file `report -o` may write: the
//! checks that keep `output: ../victim` in a stranger's site.yaml from deleting anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::folders::SITE_FOLDERS;

/// The file inside an output folder that says hearth wrote it.
pub const MARKER: &str = ".hearth-output";
pub(super) const MARKER_TEXT: &str =
    "This folder was written by hearth. The next build replaces it whole: keep nothing else here.\n";

/// Resolves the output folder to an absolute path and refuses dangerous ones: the
/// site, its sources and cache, a `.git` folder, the home folder, `/`, and any folder
/// with files in it that hearth did not write.
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
    for dir in SITE_FOLDERS.iter().map(|f| f.name) {
        if out.starts_with(site.join(dir)) {
            return Err(format!(
                "the output folder {} is inside the site's {dir}/ folder",
                out.display()
            ));
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return Err(format!(
            "the output folder {} is inside a .git folder; building there would destroy the repository",
            out.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = fs::canonicalize(&home).unwrap_or_else(|_| PathBuf::from(home));
        if home.starts_with(&out) {
            return Err(format!(
                "the output folder {} is your home folder or contains it",
                out.display()
            ));
        }
    }
    if out.file_name().is_none() {
        return Err(format!("{} cannot be an output folder", out.display()));
    }
    if fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; hearth replaces only real folders it wrote",
            out.display()
        ));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        if !owned(&out) {
            return Err(format!(
                "{} has files in it and was not written by hearth (there is no {MARKER} in it); \
                 hearth replaces only empty folders and its own output. Empty or delete it \
                 yourself, or choose another folder",
                out.display()
            ));
        }
    }
    Ok(out)
}

/// Writes a file a command was asked for with `-o` (`report -o`), with the output
/// folder's guards: never through a symbolic link, never onto anything but a plain
/// file (a FIFO would hang the command, a folder is not a file), never onto the
/// site's configuration or into its sources or cache, and atomically (a temporary
/// file beside it, renamed into place), so an interrupted write leaves the old file.
pub fn write_requested_file(site_root: &Path, file: &Path, bytes: &[u8]) -> Result<(), String> {
    let shown = file.display();
    if let Ok(meta) = fs::symlink_metadata(file) {
        if meta.file_type().is_symlink() {
            return Err(format!(
                "{shown} is a symbolic link; hearth writes only plain files"
            ));
        }
        if !meta.is_file() {
            return Err(format!("{shown} exists and is not a plain file"));
        }
    }
    let target = absolute(file)?;
    let Some(name) = target.file_name().map(|n| n.to_os_string()) else {
        return Err(format!("{shown} is not a file name"));
    };
    if let Ok(site) = fs::canonicalize(site_root) {
        if let Ok(inside) = target.strip_prefix(&site) {
            let first = inside.components().next().map(|c| c.as_os_str());
            let config = inside.components().count() == 1
                && name.to_str().is_some_and(|n| n.starts_with("site."));
            if config || first.is_some_and(|f| SITE_FOLDERS.iter().any(|d| f == d.name)) {
                return Err(format!(
                    "{shown} is one of the site's own files; write the report outside its sources"
                ));
            }
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(&name);
    tmp_name.push(format!(".hearth-tmp{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {shown}: {e}"));
    }
    Ok(())
}

/// Whether hearth may replace an existing folder: it is empty or has the marker.
fn owned(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
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
            // The output itself is resolved only up to its parent: a link named as
            // the output is refused above, not silently replaced by its target.
            let mut out = if tail.is_empty() && existing.file_name().is_some() {
                let parent = existing.parent().map(fs::canonicalize);
                match (parent, existing.file_name()) {
                    (Some(Ok(parent)), Some(name)) => parent.join(name),
                    _ => real,
                }
            } else {
                real
            };
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

#[cfg(test)]
mod tests {
    use super::*;

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
