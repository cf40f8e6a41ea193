//! Pictures in pages, bios and avatars (SPEC §6): every picture the site
//! publishes is published without its metadata, with its variants (and an
//! avatar's square crops), each made once and kept in `.hearth-cache/pictures`
//! under a hash of the picture's bytes and the settings, so a warm build
//! encodes nothing. A picture is decoded once for all that is made of it, one
//! per worker, so memory stays bounded by the number of cores.

pub mod avif;
pub mod resize;
pub mod strip;
mod webp_icc;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::picture::{Picture, Pictures};
use crate::output::{Body, FileCache, Output};
use resize::{Encoding, PICTURE_LIMITS};
use strip::Stripped;

/// The pictures' folder in `.hearth-cache`.
pub const CACHE_DIR: &str = "pictures";

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
    Variant { width: u32, height: u32 },
    Square { side: u32 },
}

/// Everything published of every picture: from the cache, or made now (in
/// parallel, a picture per worker). A picture that cannot be made is an error
/// naming it.
pub fn publish(
    pictures: &Pictures,
    root: &Path,
    cache: Option<&FileCache>,
) -> (Vec<Output>, Vec<Diagnostic>, PictureStats) {
    let done: Vec<_> = pictures
        .list
        .par_iter()
        .map(|p| publish_one(p, pictures.quality, root, cache))
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
    quality: u8,
    root: &Path,
    cache: Option<&FileCache>,
) -> Result<(Vec<Output>, PictureStats), Diagnostic> {
    let products = products(picture, quality);
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
                        if decoded.is_none() {
                            decoded = Some(resize::decode(source, PICTURE_LIMITS).map_err(failed)?);
                        }
                        let Some(d) = decoded.as_ref() else {
                            continue;
                        };
                        let (w, h, square, q) = match product.kind {
                            Kind::Original => (d.width(), d.height(), false, ORIGINAL_QUALITY),
                            Kind::Variant { width, height } => (width, height, false, quality),
                            Kind::Square { side } => (side, side, true, quality),
                        };
                        resize::encode(d, w, h, square, Encoding::of(product.dest), q)
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

/// The files made of `picture`, each with its cache key: the picture's hash
/// and everything that decides the file's bytes.
fn products(picture: &Picture, quality: u8) -> Vec<Product<'_>> {
    let key = |kind: &[u8], w: u32, h: u32, dest: &str, q: u8| {
        let ext = dest.rsplit('.').next().unwrap_or_default();
        let k = crate::store::key_of(&[
            VERSION,
            &picture.hash,
            kind,
            &w.to_le_bytes(),
            &h.to_le_bytes(),
            ext.as_bytes(),
            &[q],
        ]);
        k.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let mut out = vec![Product {
        dest: &picture.dest,
        kind: Kind::Original,
        key: key(b"original", 0, 0, &picture.dest, ORIGINAL_QUALITY),
    }];
    for v in &picture.variants {
        out.push(Product {
            dest: &v.dest,
            kind: Kind::Variant {
                width: v.width,
                height: v.height,
            },
            key: key(b"variant", v.width, v.height, &v.dest, quality),
        });
    }
    for s in &picture.squares {
        out.push(Product {
            dest: &s.dest,
            kind: Kind::Square { side: s.width },
            key: key(b"square", s.width, s.width, &s.dest, quality),
        });
    }
    out
}
