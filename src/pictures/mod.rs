//! Pictures in pages, bios and avatars (SPEC §6): every picture the site
//! publishes is published without its metadata, with its variants (and an
//! avatar's square crops), each made once and kept in `.hearth-cache/pictures`
//! under a hash of the picture's bytes and the settings, so a warm build
//! encodes nothing. A picture is decoded once for all that is made of it, one
//! per worker, so memory stays bounded by the number of cores.

pub mod strip;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::images::resize::{self, Encoding, PICTURE_LIMITS};
use crate::model::picture::{Made, Picture, Pictures, Resized};
use crate::output::{Body, FileCache, Output};
use strip::Stripped;

pub use crate::model::picture::CACHE_DIR;

/// What is made of a picture changed (an encoder's settings): bumping this
/// makes every cached file again.
const VERSION: &[u8] = b"hearth-pictures-1";

/// The quality a turned original is encoded again at: it is the original, so
/// close to what it was.
const ORIGINAL_QUALITY: u8 = 90;

/// How many files a build made, and how many it took from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct PictureStats {
    pub made: usize,
    pub cached: usize,
}

/// One file made of a picture.
struct Product<'a> {
    dest: &'a str,
    kind: Kind,
    key: String,
}

#[derive(Clone, Copy)]
enum Kind {
    Original,
    /// Resized to this size; `cover`: the middle cut to its aspect first.
    Sized {
        width: u32,
        height: u32,
        cover: bool,
    },
}

/// Everything published of every picture: from the cache, or made now (in
/// parallel, a picture per worker). A picture that cannot be made is an error
/// naming it.
/// `resized`: what templates asked for with `resize_image`.
pub fn publish(
    pictures: &Pictures,
    resized: &[Resized],
    root: &Path,
    cache: Option<&FileCache>,
) -> (Vec<Output>, Vec<Diagnostic>, PictureStats) {
    let done: Vec<_> = pictures
        .list
        .par_iter()
        .map(|p| {
            let asked: Vec<&Resized> = resized.iter().filter(|r| r.file == p.file).collect();
            publish_one(p, &asked, pictures.quality, root, cache)
        })
        .collect();
    let (mut outputs, mut problems, mut stats) = (Vec::new(), Vec::new(), PictureStats::default());
    for d in done {
        match d {
            Ok((o, s)) => {
                outputs.extend(o);
                stats.made += s.made;
                stats.cached += s.cached;
            }
            Err(e) => problems.push(e),
        }
    }
    (outputs, problems, stats)
}

/// Everything published of one picture (serve makes a picture's files when a
/// browser first asks for one of them).
pub fn publish_one(
    picture: &Picture,
    resized: &[&Resized],
    quality: u8,
    root: &Path,
    cache: Option<&FileCache>,
) -> Result<(Vec<Output>, PictureStats), Diagnostic> {
    let products = products(picture, resized, quality);
    let mut stats = PictureStats::default();
    let found: Vec<Option<std::path::PathBuf>> = products
        .iter()
        .map(|p| cache.and_then(|c| c.verified(&p.key)))
        .collect();
    let failed = |why: String| {
        Diagnostic::error(Code::Picture, format!("the picture {why}"))
            .in_file(&picture.file)
            .with_help("export it again as a JPEG or PNG; if it opens elsewhere, please report it")
    };
    let mut bytes = None;
    let mut decoded = None;
    let mut outputs = Vec::with_capacity(products.len());
    for (product, found) in products.iter().zip(found) {
        let body = match found {
            Some(path) => {
                stats.cached += 1;
                Body::Cached(path)
            }
            None => {
                stats.made += 1;
                if bytes.is_none() {
                    bytes = Some(crate::site_fs::read(root, &picture.source)?);
                }
                let source = bytes.as_deref().unwrap_or_default();
                let stripped = match product.kind {
                    Kind::Original if !picture.turned => match strip::strip(source) {
                        Stripped::Bytes(b) => Some(b),
                        Stripped::Encode => None,
                    },
                    _ => None,
                };
                let made = match stripped {
                    Some(b) => b,
                    None => {
                        if !crate::images::photo::is_photo(&picture.dest) {
                            // A GIF is never encoded again: it would lose its
                            // animation.
                            return Err(failed("is a GIF hearth cannot read".into()));
                        }
                        if decoded.is_none() {
                            decoded = Some(resize::decode(source, PICTURE_LIMITS).map_err(failed)?);
                        }
                        let Some(d) = decoded.as_ref() else {
                            continue;
                        };
                        let (w, h, cover, q) = match product.kind {
                            Kind::Original => (d.width(), d.height(), false, ORIGINAL_QUALITY),
                            Kind::Sized {
                                width,
                                height,
                                cover,
                            } => (width, height, cover, quality),
                        };
                        resize::encode(d, w, h, cover, Encoding::of(product.dest), q)
                            .map_err(failed)?
                    }
                };
                let ext = product.dest.rsplit('.').next().unwrap_or("bin");
                match cache.and_then(|c| c.store(&product.key, ext, &made)) {
                    Some(path) => Body::Cached(path),
                    None => Body::Bytes(bytes::Bytes::from(made)),
                }
            }
        };
        outputs.push(Output {
            path: product.dest.to_string(),
            body,
            origin: picture.file.clone(),
        });
    }
    Ok((outputs, stats))
}

/// The files made of `picture` (and asked of it by templates), each with its
/// cache key: the picture's hash and everything that decides the file's bytes.
fn products<'a>(picture: &'a Picture, resized: &[&'a Resized], quality: u8) -> Vec<Product<'a>> {
    let key = |kind: Kind, dest: &str| {
        let ext = dest.rsplit('.').next().unwrap_or_default();
        let (what, w, h, q): (&[u8], u32, u32, u8) = match kind {
            Kind::Original => (b"original", 0, 0, ORIGINAL_QUALITY),
            Kind::Sized {
                width,
                height,
                cover,
            } => (
                if cover { b"cover" } else { b"whole" },
                width,
                height,
                quality,
            ),
        };
        let k = crate::store::key_of(&[
            VERSION,
            &picture.hash,
            what,
            &w.to_le_bytes(),
            &h.to_le_bytes(),
            ext.as_bytes(),
            &[q],
        ]);
        k.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let product = |dest: &'a str, kind: Kind| Product {
        dest,
        kind,
        key: key(kind, dest),
    };
    let sized = |m: &'a Made, cover: bool| {
        product(
            &m.dest,
            Kind::Sized {
                width: m.width,
                height: m.height,
                cover,
            },
        )
    };
    let mut out = vec![product(&picture.dest, Kind::Original)];
    out.extend(picture.variants.iter().map(|v| sized(v, false)));
    out.extend(picture.squares.iter().map(|v| sized(v, true)));
    out.extend(resized.iter().map(|r| sized(&r.made, r.cover)));
    out
}
