//! Which variants a picture gets (SPEC §6): one per width of `images.widths`
//! narrower than the picture (never an upscaled one), named `NAME-WIDTH.EXT`
//! beside where the original goes; an avatar's square crops, `NAME-SIZExSIZE.EXT`.
//! Pure: from the picture's name and size.

/// The format of the variants (`images.format` of site.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Webp,
    /// A third smaller than WebP at 10–20 times the encoding time (BENCHMARKS.md):
    /// for sites that build rarely.
    Avif,
    /// The original's own format (JPEG stays JPEG, PNG stays PNG).
    Original,
}

impl Format {
    /// The file extension of a variant of `original_ext` in this format.
    pub fn extension(self, original_ext: &str) -> String {
        match self {
            Format::Webp => "webp".into(),
            Format::Avif => "avif".into(),
            Format::Original => match original_ext.to_ascii_lowercase().as_str() {
                "jpeg" => "jpg".into(),
                other => other.into(),
            },
        }
    }
}

/// One variant of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// File name, beside the original's: "porto-480.webp".
    pub name: String,
}

/// The variants of the picture `name` ("porto.jpg") of `width`×`height` for
/// `widths`: each narrower than the picture, the height in proportion (at least
/// one pixel), and one at the picture's own width when a width reaches it (a
/// 1200-pixel picture: 480, 960 and 1200 for `[480, 960, 1600]`; a picture
/// narrower than every width gets that one alone).
pub fn variants(
    name: &str,
    width: u32,
    height: u32,
    widths: &[u32],
    format: Format,
) -> Vec<Variant> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, ext),
        None => (name, ""),
    };
    let mut chosen: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < width)
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    // A width the picture cannot reach is served by the picture's own width,
    // so a screen that wants more than the widest variant below gets it all.
    if width > 0 && widths.iter().any(|&w| w >= width) {
        chosen.push(width);
    }
    let ext = format.extension(ext);
    chosen
        .into_iter()
        .map(|w| Variant {
            width: w,
            height: ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
                .max(1) as u32,
            name: format!("{stem}-{w}.{ext}"),
        })
        .collect()
}

/// The sizes (CSS pixels) the default theme shows avatars at: in lists and on
/// cards' faces, and on a profile. Each is made at twice that too, for screens
/// of two pixels per CSS pixel.
pub const AVATAR_SIZES: [u32; 2] = [64, 96];

/// An avatar's square crops (the middle of the picture): one per size of
/// [`AVATAR_SIZES`] and twice each, never larger than the picture's shorter
/// side (a smaller picture gets one at that side instead).
pub fn squares(name: &str, width: u32, height: u32, format: Format) -> Vec<Variant> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, ext),
        None => (name, ""),
    };
    let side = width.min(height);
    let mut sizes: Vec<u32> = AVATAR_SIZES
        .iter()
        .flat_map(|&s| [s, s * 2])
        .map(|s| s.min(side))
        .filter(|&s| s > 0)
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    let ext = format.extension(ext);
    sizes
        .into_iter()
        .map(|s| Variant {
            width: s,
            height: s,
            name: format!("{stem}-{s}x{s}.{ext}"),
        })
        .collect()
}

/// How `resize_image` fits a picture into `width`×`height` (Zola's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Within the box, the aspect kept; a picture already inside it is kept.
    Fit,
    /// This width, the height in proportion.
    FitWidth,
    /// This height, the width in proportion.
    FitHeight,
    /// The whole box, the middle of the picture cut to its aspect.
    Fill,
    /// Exactly the box, stretched.
    Scale,
}

impl Op {
    pub fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "fit" => Op::Fit,
            "fit_width" => Op::FitWidth,
            "fit_height" => Op::FitHeight,
            "fill" => Op::Fill,
            "scale" => Op::Scale,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Fit => "fit",
            Op::FitWidth => "fit_width",
            Op::FitHeight => "fit_height",
            Op::Fill => "fill",
            Op::Scale => "scale",
        }
    }
}

/// The size `op` gives a `width`×`height` picture for a `w`×`h` box (a side
/// the op does not use may be 0), and whether the middle is cut to the box's
/// aspect. Never larger than the picture: a box larger than it is shrunk to
/// fit it, keeping the box's aspect. `None` when a side it needs is 0.
pub fn resized(op: Op, width: u32, height: u32, w: u32, h: u32) -> Option<(u32, u32, bool)> {
    let prop = |num: u32, a: u32, b: u32| -> u32 {
        ((u64::from(num) * u64::from(a) + u64::from(b) / 2) / u64::from(b).max(1)).max(1) as u32
    };
    let (width, height) = (width.max(1), height.max(1));
    Some(match op {
        Op::FitWidth if w > 0 => {
            let w = w.min(width);
            (w, prop(height, w, width), false)
        }
        Op::FitHeight if h > 0 => {
            let h = h.min(height);
            (prop(width, h, height), h, false)
        }
        Op::Fit if w > 0 && h > 0 => {
            if width <= w && height <= h {
                (width, height, false)
            } else if u64::from(width) * u64::from(h) > u64::from(height) * u64::from(w) {
                (w, prop(height, w, width), false)
            } else {
                (prop(width, h, height), h, false)
            }
        }
        Op::Fill | Op::Scale if w > 0 && h > 0 => {
            // The largest box of the asked aspect the picture holds.
            let scale = f64::min(
                1.0,
                f64::min(
                    f64::from(width) / f64::from(w),
                    f64::from(height) / f64::from(h),
                ),
            );
            let fw = ((f64::from(w) * scale).round() as u32).max(1);
            let fh = ((f64::from(h) * scale).round() as u32).max(1);
            (fw, fh, op == Op::Fill)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_never_wider_than_the_picture() {
        let v = variants(
            "porto.jpg",
            4000,
            3000,
            &[1600, 480, 960, 960],
            Format::Webp,
        );
        let names: Vec<&str> = v.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["porto-480.webp", "porto-960.webp", "porto-1600.webp"]
        );
        assert_eq!((v[0].width, v[0].height), (480, 360));
        let small = variants("icon.png", 300, 200, &[480, 960], Format::Webp);
        assert_eq!(
            small,
            [Variant {
                width: 300,
                height: 200,
                name: "icon-300.webp".into()
            }]
        );
        let between = variants("hall.jpg", 1200, 800, &[480, 960, 1600], Format::Webp);
        let widths: Vec<u32> = between.iter().map(|v| v.width).collect();
        assert_eq!(
            widths,
            [480, 960, 1200],
            "the picture's own width tops the list"
        );
        let same = variants("a.b.JPG", 1000, 1, &[480], Format::Original);
        assert_eq!(same[0].name, "a.b-480.jpg");
        assert_eq!(same[0].height, 1, "never zero pixels high");
    }

    #[test]
    fn resize_image_fits_fills_and_scales_as_zola_does_without_upscaling() {
        assert_eq!(
            resized(Op::Fit, 4000, 3000, 800, 800),
            Some((800, 600, false))
        );
        assert_eq!(
            resized(Op::Fit, 3000, 4000, 800, 800),
            Some((600, 800, false))
        );
        assert_eq!(
            resized(Op::Fit, 300, 200, 800, 800),
            Some((300, 200, false))
        );
        assert_eq!(
            resized(Op::FitWidth, 4000, 3000, 400, 0),
            Some((400, 300, false))
        );
        assert_eq!(
            resized(Op::FitHeight, 4000, 3000, 0, 300),
            Some((400, 300, false))
        );
        assert_eq!(
            resized(Op::Fill, 4000, 3000, 400, 400),
            Some((400, 400, true))
        );
        assert_eq!(
            resized(Op::Scale, 4000, 3000, 400, 100),
            Some((400, 100, false))
        );
        assert_eq!(
            resized(Op::Fill, 300, 200, 800, 400),
            Some((300, 150, true)),
            "shrunk to fit, the aspect kept"
        );
        assert_eq!(resized(Op::Fill, 300, 200, 0, 400), None);
    }

    #[test]
    fn avatars_are_cropped_square_at_the_theme_sizes_and_twice_never_larger() {
        let names = |v: Vec<Variant>| v.into_iter().map(|v| v.name).collect::<Vec<_>>();
        assert_eq!(
            names(squares("ada.jpg", 4000, 3000, Format::Webp)),
            [
                "ada-64x64.webp",
                "ada-96x96.webp",
                "ada-128x128.webp",
                "ada-192x192.webp"
            ]
        );
        assert_eq!(
            names(squares("ada.png", 150, 100, Format::Original)),
            ["ada-64x64.png", "ada-96x96.png", "ada-100x100.png"]
        );
    }
}
