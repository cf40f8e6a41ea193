//! hearth: a static site generator for online communities.
//!
//! The pipeline is `config → load → model → markdown → render / cards / search →
//! output` (pipeline.rs up to rendering); `build`, `serve`, `check` and `report` are
//! drivers around it. ARCHITECTURE.md draws the rooms.

pub mod build;
pub mod cards;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod digest;
pub mod escape;
pub mod images;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pictures;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site_fs;
pub mod store;
pub mod theme;
pub mod yaml;

pub use build::{build, community_notes, now_from_env, BuildError, BuildOptions, BuildReport};
pub use pipeline::{load_configured, load_site, prepare, Built, LoadMode};
