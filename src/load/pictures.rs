//! The site's pictures (SPEC §6): the JPEG, PNG, WebP and GIF files among the assets
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
use crate::store::{self, Stamp, Store};

/// What loading measured of each picture file, beside what is made of them:
/// reading and hashing 200 phone photos (680 MB) was a quarter of a second of
/// every warm build.
const SOURCES_FILE: &str = "sources.bin";
const SOURCES_MAGIC: &[u8] = b"hearth-picture-sources-1\n";

/// A picture's size and hash as the last build measured them, when the file is
/// as it was then (its stamp: length, time, inode). An avatar's bytes are read
/// already: measured again.
fn seen(sources: Option<&Store>, a: &Asset) -> Option<(photo::Measured, [u8; 16])> {
    if a.bytes.is_some() {
        return None;
    }
    let stamp = Stamp::of(&a.source)?;
    let entry = sources?.get(&source_key(a))?;
    let (was, rest) = entry.split_first_chunk::<32>()?;
    let (hash, rest) = rest.split_first_chunk::<16>()?;
    let (w, rest) = rest.split_first_chunk::<4>()?;
    let (h, turned) = rest.split_first_chunk::<4>()?;
    (was == &stamp_bytes(stamp)).then(|| {
        let measured = photo::Measured {
            width: u32::from_le_bytes(*w),
            height: u32::from_le_bytes(*h),
            turned: turned.first() == Some(&1),
        };
        (measured, *hash)
    })
}

/// Reads, measures and hashes a picture, and keeps what it found for the next
/// build.
fn measure(
    root: &Path,
    a: &Asset,
    sources: Option<&Store>,
    shown: &Path,
) -> Result<(photo::Measured, [u8; 16]), Diagnostic> {
    // Taken before reading: a write in between changes the time.
    let stamp = Stamp::of(&a.source);
    let bytes = match &a.bytes {
        Some(b) => b.clone(),
        None => std::sync::Arc::new(crate::site_fs::read(root, &a.source)?),
    };
    let measured = photo::measure(&bytes, PICTURE_LIMITS).map_err(|why| {
        Diagnostic::error(Code::Picture, format!("the picture {why}"))
            .in_file(shown)
            .with_help(
                "export it again as a JPEG or PNG of at most 50 megapixels and 40 MB (SECURITY.md)",
            )
    })?;
    let hash = store::key_from_hash(blake3::hash(&bytes).as_bytes());
    if let (Some(sources), Some(stamp)) = (sources, stamp) {
        let mut entry = stamp_bytes(stamp).to_vec();
        entry.extend_from_slice(&hash);
        entry.extend_from_slice(&measured.width.to_le_bytes());
        entry.extend_from_slice(&measured.height.to_le_bytes());
        entry.push(u8::from(measured.turned));
        sources.put(source_key(a), &entry);
    }
    Ok((measured, hash))
}

fn source_key(a: &Asset) -> store::Key {
    store::key_of(&[a.source.as_os_str().as_encoded_bytes()])
}

fn stamp_bytes(s: Stamp) -> [u8; 32] {
    let mut out = [0; 32];
    out[..8].copy_from_slice(&s.len.to_le_bytes());
    out[8..24].copy_from_slice(&s.modified_ns.to_le_bytes());
    out[24..].copy_from_slice(&s.inode.to_le_bytes());
    out
}

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
    let sources = crate::site_fs::cache_dir(root, crate::model::picture::CACHE_DIR)
        .ok()
        .map(|dir| Store::open_swept(dir.join(SOURCES_FILE), SOURCES_MAGIC));
    let found: Vec<Result<Picture, Diagnostic>> = assets
        .par_iter()
        .filter(|a| photo::is_picture(&a.dest))
        .map(|a| {
            let shown = display_path(root, &a.source);
            let (measured, hash) = match seen(sources.as_ref(), a) {
                Some(known) => known,
                None => measure(root, a, sources.as_ref(), &shown)?,
            };
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
            let animated = !photo::is_photo(name);
            // An avatar beside its member file is shown only as an avatar: its
            // crops, no variants.
            let avatar_only = a
                .source
                .starts_with(root.join(crate::model::folders::MEMBERS));
            let variants = match animated || avatar_only {
                true => Vec::new(),
                false => plan::variants(name, w, h, &config.images.widths, format)
                    .into_iter()
                    .map(made)
                    .collect(),
            };
            let squares = match avatars.contains(&a.dest) && !animated {
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
    if let Some(sources) = sources {
        sources.save();
    }
    // A picture that failed is taken out too: its error fails the build.
    assets.retain(|a| !photo::is_picture(&a.dest));
    Pictures::new(list, format, config.images.quality)
}
