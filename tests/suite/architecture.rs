//! The import order ARCHITECTURE.md states, checked: a module may use only modules
//! of lower layers (and its own). A `use crate::render` in `cards` fails here, so a
//! cycle cannot come back unnoticed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

/// The layers, lowest first; the same list as ARCHITECTURE.md's "Imports go down".
/// lib.rs only declares the modules and re-exports the drivers' entry points.
const LAYERS: &[&[&str]] = &[
    &["diagnostics", "escape"],
    &["site_fs", "images", "yaml"],
    &["store"],
    &["config"],
    &["model"],
    &["digest"],
    &["markdown"],
    &["load"],
    &["output"],
    &["theme"],
    &["cards", "pictures"],
    &["render"],
    &["search"],
    &["pipeline"],
    &["build", "scaffold"],
    &["serve", "check"],
    &["report"],
    &["cli"],
];

/// What lib.rs re-exports, by the module that defines it.
const REEXPORTS: &[(&str, &str)] = &[
    ("prepare", "pipeline"),
    ("load_site", "pipeline"),
    ("load_configured", "pipeline"),
    ("Built", "pipeline"),
    ("LoadMode", "pipeline"),
    ("now_from_env", "build"),
    ("community_notes", "build"),
    ("BuildOptions", "build"),
    ("BuildError", "build"),
    ("BuildReport", "build"),
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| {
            panic!("module `{module}` is in no layer: add it to LAYERS and ARCHITECTURE.md")
        })
}

/// The names a source file takes after `prefix` (`crate::`, `super::`): the
/// first part of each path, and each item of a `{a, b::c}` list.
fn names_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(prefix) {
        // `$crate` in macros is not an import.
        if text[..i].ends_with('$') {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            // `use crate::{a, b}`
            let list = rest.trim_start_matches('{');
            let end = list.find('}').unwrap_or(0);
            for item in list[..end].split(',') {
                let item = item.trim().split("::").next().unwrap_or("").to_string();
                if !item.is_empty() {
                    out.push(item);
                }
            }
        } else {
            out.push(name);
        }
    }
    out
}

/// The modules a source file names with `crate::NAME`.
fn imports(text: &str) -> Vec<String> {
    names_after(text, "crate::")
        .into_iter()
        .map(|n| {
            REEXPORTS
                .iter()
                .find(|(item, _)| *item == n)
                .map_or(n, |(_, module)| module.to_string())
        })
        .collect()
}

#[test]
fn modules_import_only_from_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = match first.trim_end_matches(".rs") {
            "lib" | "main" => continue,
            m => m.to_string(),
        };
        let own = layer(&module);
        let text = std::fs::read_to_string(path).unwrap();
        for used in imports(&text) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            if layer(&used) >= own {
                problems.push(format!("{} (`{module}`) uses `{used}`", rel.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports that go up the layers:\n{}",
        problems.join("\n")
    );
}

#[test]
fn architecture_md_states_the_same_order() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("Imports go down this list only:"))
        .expect("ARCHITECTURE.md states the import order");
    let mut last = 0;
    for (i, modules) in LAYERS.iter().enumerate() {
        for m in modules.iter() {
            let at = line
                .find(&format!("`{m}`"))
                .unwrap_or_else(|| panic!("ARCHITECTURE.md's import order does not name `{m}`"));
            assert!(
                i == 0 || at >= last,
                "`{m}` is out of order in ARCHITECTURE.md"
            );
            last = last.max(at);
        }
    }
}

/// The files of one folder of `src/` (mod.rs aside: it is the folder's face, and
/// its children reach it through `super::`) and which siblings each one imports,
/// by `super::NAME` or `crate::FOLDER::NAME`.
fn sibling_imports(dir: &Path, folder: &str) -> Vec<(String, Vec<String>)> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".rs")?.to_string();
            (stem != "mod").then_some(stem)
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(dir.join(format!("{file}.rs"))).unwrap();
            // A file's own unit tests may reach anywhere.
            let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let mut used: Vec<String> = names_after(text, "super::")
                .into_iter()
                .chain(names_after(text, &format!("crate::{folder}::")))
                .filter(|n| n != file && files.contains(n))
                .collect();
            used.sort();
            used.dedup();
            (file.clone(), used)
        })
        .collect()
}

/// A circle in `edges`, as the files on it, if there is one.
fn circle(edges: &[(String, Vec<String>)]) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &[(String, Vec<String>)],
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == at) {
            let mut found = path[start..].to_vec();
            found.push(at.to_string());
            return Some(found);
        }
        if done.iter().any(|d| d == at) {
            return None;
        }
        path.push(at.to_string());
        let next = edges.iter().find(|(f, _)| f == at).map(|(_, u)| u.clone());
        for n in next.unwrap_or_default() {
            if let Some(found) = visit(&n, edges, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.push(at.to_string());
        None
    }
    let mut done = Vec::new();
    edges
        .iter()
        .find_map(|(f, _)| visit(f, edges, &mut Vec::new(), &mut done))
}

#[test]
fn no_folder_has_an_import_circle_inside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
    {
        let folder = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('/', "::");
        if let Some(found) = circle(&sibling_imports(entry.path(), &folder)) {
            problems.push(format!("src/{}: {}", folder, found.join(" → ")));
        }
    }
    assert!(
        problems.is_empty(),
        "files that import each other in a circle:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let edges = |list: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        list.iter()
            .map(|(f, u)| (f.to_string(), u.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    assert_eq!(
        circle(&edges(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"])])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        circle(&edges(&[("a", &["b", "c"]), ("b", &["c"]), ("c", &[])])),
        None
    );
}

/// Past this a file holds more than one concept (ARCHITECTURE.md, "Style").
const MOST_LINES: usize = 600;

#[test]
fn no_source_file_is_over_600_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| {
            let lines = std::fs::read_to_string(e.path()).unwrap().lines().count();
            (lines > MOST_LINES).then(|| format!("{} ({lines} lines)", e.path().display()))
        })
        .collect();
    assert!(long.is_empty(), "split by concept:\n{}", long.join("\n"));
}
