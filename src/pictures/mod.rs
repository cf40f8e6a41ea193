//! Pictures from pages and bios (SPEC §6, issue 30; in progress, not yet wired
//! into a build): which variants a picture gets (`plan`, pure), and decoding one
//! within limits, upright, and encoding its variants with no metadata
//! (`resize`).

pub mod plan;
pub mod resize;
pub mod strip;
