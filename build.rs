//! Gives the binary an identity of the code it was built from (`HEARTH_SOURCE_ID`):
//! the text cache (`.hearth-cache/texts.bin`) keeps rendered markdown between
//! builds, and must never hand a build HTML that other code rendered. A version
//! number alone would not do: between releases the code changes under the same one.
//!
//! The identity covers every source file, the locked dependency versions (a new
//! pulldown-cmark may render differently) and the version. std's SipHash with its
//! fixed keys is enough: this only has to change when the code does.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    files(Path::new("src"), &mut paths);
    paths.push(PathBuf::from("Cargo.lock"));
    paths.sort();
    let mut h = std::hash::DefaultHasher::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        for part in [path.to_string_lossy().as_bytes(), &bytes] {
            h.write_usize(part.len());
            h.write(part);
        }
    }
    println!("cargo:rustc-env=HEARTH_SOURCE_ID={:016x}", h.finish());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
}
