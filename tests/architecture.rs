//! The import order ARCHITECTURE.md states, checked: a module may use only modules
//! of lower layers (and its own). A `use crate::render` in `cards` fails here, so a
//! cycle cannot come back unnoticed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

/// The layers, lowest first; the same list as ARCHITECTURE.md's "Imports go down".
/// "root" is lib.rs's own items (`build`, `prepare`, `Built`).
const LAYERS: &[&[&str]] = &[
    &["diagnostics", "escape"],
    &["site_fs", "images", "yaml"],
    &["config"],
    &["model"],
    &["markdown"],
    &["load"],
    &["output"],
    &["theme"],
    &["cards"],
    &["render"],
    &["search"],
    &["root", "scaffold"],
    &["serve", "check"],
    &["report"],
    &["cli"],
];

const ROOT_ITEMS: &[&str] = &[
    "build",
    "prepare",
    "load_site",
    "load_configured",
    "now_from_env",
    "community_notes",
    "Built",
    "BuildOptions",
    "BuildError",
    "BuildReport",
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| {
            panic!("module `{module}` is in no layer: add it to LAYERS and ARCHITECTURE.md")
        })
}

/// The modules a source file names with `crate::NAME`.
fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        // `hearth::` in doc text and `$crate` in macros are not imports.
        if text[..i].ends_with('$') {
            continue;
        }
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            // `use crate::{a, b}`
            let list = text[i + 7..].trim_start_matches('{');
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
    out.into_iter()
        .map(|n| {
            if ROOT_ITEMS.contains(&n.as_str()) {
                "root".to_string()
            } else {
                n
            }
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
            "lib" => "root".to_string(),
            "main" => continue,
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
        for m in modules.iter().filter(|m| **m != "root") {
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
