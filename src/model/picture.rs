//! The pictures a site publishes (SPEC §6): every JPEG, PNG and WebP of content/
//! and static/, and every avatar, each with the variants and crops made of it.
//! Known at loading, from headers, so that a page's `<img>` can name its
//! variants and their sizes before any is encoded.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::images::plan::Format;

/// The pictures' folder in `.hearth-cache`: what is made of them, and what
/// loading measured of each source.
pub const CACHE_DIR: &str = "pictures";

/// One file made from a picture: a variant or an avatar's crop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// Output path ("news/porto/porto-480.webp").
    pub dest: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone)]
pub struct Picture {
    pub source: PathBuf,
    /// The source as the site names it ("content/news/porto.jpg").
    pub file: String,
    /// Output path of the original, published without its metadata.
    pub dest: String,
    /// Upright.
    pub width: u32,
    pub height: u32,
    /// Its EXIF turns it: the original is encoded again, upright.
    pub turned: bool,
    /// The hash of the file's bytes: what is made of it is cached under it.
    pub hash: [u8; 16],
    /// `images.widths` variants (SPEC §6), narrowest first.
    pub variants: Vec<Made>,
    /// An avatar's square crops, smallest first (empty for other pictures).
    pub squares: Vec<Made>,
}

impl Picture {
    /// Everything published from this picture, the original first.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.dest.as_str())
            .chain(self.variants.iter().map(|v| v.dest.as_str()))
            .chain(self.squares.iter().map(|v| v.dest.as_str()))
    }
}

/// A picture a template asked for with `resize_image` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resized {
    /// The picture's source, as the site names it.
    pub file: String,
    pub made: Made,
    /// The middle cut to the size's aspect (`fill`), else the whole picture.
    pub cover: bool,
}

/// The site's pictures, and what they are made into.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub list: Vec<Picture>,
    /// The site-relative source path ("content/news/porto.jpg") → index.
    by_source: HashMap<String, usize>,
    /// The output path ("images/porto.jpg") → index.
    by_dest: HashMap<String, usize>,
    pub format: Format,
    pub quality: u8,
}

impl Pictures {
    pub fn new(list: Vec<Picture>, format: Format, quality: u8) -> Pictures {
        let mut out = Pictures {
            format,
            quality,
            ..Pictures::default()
        };
        for (i, p) in list.into_iter().enumerate() {
            out.by_source.insert(p.file.clone(), i);
            out.by_dest.insert(p.dest.clone(), i);
            out.list.push(p);
        }
        out
    }

    /// The picture of a site-relative source path.
    pub fn by_source(&self, source: &str) -> Option<&Picture> {
        self.by_source.get(source).map(|&i| &self.list[i])
    }

    /// The picture published at an output path (no leading `/`).
    pub fn by_dest(&self, dest: &str) -> Option<&Picture> {
        self.by_dest.get(dest).map(|&i| &self.list[i])
    }
}
