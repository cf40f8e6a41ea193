//! hearth's integration tests, one binary (as mdBook's testsuite): each module is
//! one concern, and all share `common` (the TestSite builder, running hearth and
//! serve, skipping when an outside tool is missing). One binary links hearth's
//! heavy dependencies (tree-sitter, resvg, Pagefind, tokio) once instead of once a
//! file. Run one concern with `cargo test --test suite build::`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod architecture;
mod bad_input;
mod build;
mod cards;
mod check;
mod community;
mod digest;
mod escaping;
mod every_script;
mod html_validity;
mod languages;
mod pictures;
mod planner;
mod python_parsers;
mod report;
mod search;
mod search_format;
mod serve;
mod serve_structure;
mod snapshots;
mod subpath;
mod templates_doc;
mod theme_browser;
mod trust;
mod trust_limits;
