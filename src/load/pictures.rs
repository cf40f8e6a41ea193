//! The site's pictures (SPEC §6): the JPEG, PNG and WebP files among the assets
//! (content/, static/, avatars beside member files), each measured from its
//! header within the picture limits and hashed, then taken out of the assets:
//! `pictures` publishes them, stripped, with their variants.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use super::source::{display_path, slash_path};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::images::photo::{self, PICTURE_LIMITS};
use crate::images::plan;
use crate::model::picture::{Made, Picture, Pictures};
use crate::model::Asset;

/// Takes the pictures out of `assets`; `avatars` are the output paths of the
/// members' avatars (they get square crops too). A picture that cannot be read
/// or is past the limits is an error naming it.
pub fn take(
    root: &Path,
    config: &Config,
    assets: &mut Vec<Asset>,
    avatars: &BTreeSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> Pictures {
    let format = config.images.format;
    let found: Vec<Result<Picture, Diagnostic>> = assets
        .par_iter()
        .filter(|a| photo::is_photo(&a.dest))
        .map(|a| {
            let shown = display_path(root, &a.source);
            let bytes = match &a.bytes {
                Some(b) => b.clone(),
                None => std::sync::Arc::new(crate::site_fs::read(root, &a.source)?),
            };
            let measured = photo::measure(&bytes, PICTURE_LIMITS).map_err(|why| {
                Diagnostic::error(Code::Picture, format!("the picture {why}"))
                    .in_file(&shown)
                    .with_help("export it again as a JPEG or PNG of at most 50 megapixels and 40 MB (SECURITY.md)")
            })?;
            let hash = crate::store::key_from_hash(blake3::hash(&bytes).as_bytes());
            let (dir, name) = match a.dest.rsplit_once('/') {
                Some((dir, name)) => (format!("{dir}/"), name),
                None => (String::new(), a.dest.as_str()),
            };
            let made = |v: plan::Variant| Made {
                dest: format!("{dir}{}", v.name),
                width: v.width,
                height: v.height,
            };
            let (w, h) = (measured.width, measured.height);
            let variants = plan::variants(name, w, h, &config.images.widths, format)
                .into_iter()
                .map(made)
                .collect();
            let squares = match avatars.contains(&a.dest) {
                true => plan::squares(name, w, h, format)
                    .into_iter()
                    .map(made)
                    .collect(),
                false => Vec::new(),
            };
            Ok(Picture {
                source: a.source.clone(),
                file: slash_path(&shown),
                dest: a.dest.clone(),
                width: w,
                height: h,
                turned: measured.turned,
                hash,
                variants,
                squares,
            })
        })
        .collect();
    let mut list = Vec::new();
    for f in found {
        match f {
            Ok(p) => list.push(p),
            Err(d) => problems.push(d),
        }
    }
    // A picture that failed is taken out too: its error fails the build.
    assets.retain(|a| !photo::is_photo(&a.dest));
    Pictures::new(list, format, config.images.quality)
}
