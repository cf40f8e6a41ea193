//! Pictures from strangers (avatars) and from themes (card templates): their size is
//! read from the header and refused above a limit before anything is decoded, and SVG
//! is rewritten so that nothing active survives.
//!
//! An 855-byte PNG may claim 100000×100000 pixels; decoding it asks for 40 GB and the
//! process aborts. An SVG avatar may carry `<script>`, `onload` or a reference to a
//! file on the machine that builds it. Both arrive by pull request.

mod avif;
mod budget;
pub mod photo;
pub mod plan;
pub mod resize;
mod webp_icc;

use std::sync::{Arc, Mutex};

use resvg::usvg;

pub use budget::{MAX_ELEMENTS, MAX_FILTER_WORK, MAX_NESTING};

/// The widest and tallest picture hearth decodes (avatars, logos, images in cards).
pub const MAX_SIDE: u32 = 4096;
/// The largest avatar or logo file, before decoding.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Refuses a picture file over [`MAX_FILE_BYTES`] before anything reads it.
fn check_file_size(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the picture is {} KB; hearth takes pictures of at most {} MB",
            bytes.len() / 1024,
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

/// Checks a raster picture's header: its kind and that it is at most
/// [`MAX_SIDE`] on each side. Returns width and height.
pub fn check_raster(bytes: &[u8]) -> Result<(u32, u32), String> {
    check_file_size(bytes)?;
    let size = imagesize::blob_size(bytes)
        .map_err(|_| "this is not a PNG, JPEG, GIF or WebP picture hearth can read".to_string())?;
    let (w, h) = (size.width, size.height);
    if w == 0 || h == 0 || w > MAX_SIDE as usize || h > MAX_SIDE as usize {
        return Err(format!(
            "the picture claims to be {w}×{h} pixels; hearth takes at most {MAX_SIDE}×{MAX_SIDE}"
        ));
    }
    Ok((w as u32, h as u32))
}

/// usvg options that never read a file or a URL an SVG names, and refuse embedded
/// pictures over the size limit (the first refusal is kept in `refused`).
pub fn svg_options<'a>(
    fontdb: Arc<usvg::fontdb::Database>,
    refused: &'a Mutex<Option<String>>,
) -> usvg::Options<'a> {
    let default_data = usvg::ImageHrefResolver::default_data_resolver();
    let resolve_data: usvg::ImageHrefDataResolverFn<'a> =
        Box::new(move |mime, data: Arc<Vec<u8>>, opts| {
            let svg = mime.contains("svg") || data.starts_with(b"<");
            // A picture inside the SVG is measured as the SVG itself is, before
            // usvg converts it.
            let checked = if svg {
                budget::check_source(&data)
            } else {
                check_raster(&data).map(|_| ())
            };
            if let Err(why) = checked {
                if let Ok(mut r) = refused.lock() {
                    r.get_or_insert(why);
                }
                return None;
            }
            default_data(mime, data, opts)
        });
    usvg::Options {
        fontdb,
        // Text that names no font uses the database's sans-serif family.
        font_family: "sans-serif".into(),
        font_resolver: usvg::FontResolver {
            select_fallback: Box::new(nearest_fallback),
            ..Default::default()
        },
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data,
            resolve_string: Box::new(|_, _| None),
        },
        ..Default::default()
    }
}

/// The font for a character the first font lacks: the first face (in the order the
/// fonts were loaded) that has it, of the same style and nearest weight, so bold
/// Arabic in a title is drawn with the bold Arabic face. Card text is measured with
/// the same rule (cosmic-text matches the weight within a family the same way).
fn nearest_fallback(
    c: char,
    used: &[usvg::fontdb::ID],
    db: &mut Arc<usvg::fontdb::Database>,
) -> Option<usvg::fontdb::ID> {
    let base = db.face(*used.first()?)?;
    let (style, weight) = (base.style, base.weight.0);
    let has_char = |id| {
        db.with_face_data(id, |data, index| {
            use skrifa::MetadataProvider;
            skrifa::FontRef::from_index(data, index).is_ok_and(|f| f.charmap().map(c).is_some())
        })
        .unwrap_or(false)
    };
    db.faces()
        .filter(|f| !used.contains(&f.id) && has_char(f.id))
        .min_by_key(|f| (f.style != style, f.weight.0.abs_diff(weight)))
        .map(|f| f.id)
}

/// An SVG's XML as usvg reads it (a DTD allowed, its entities bounded by
/// roxmltree), for hearth's own passes over it: the budget, and card text.
pub fn parse_xml(svg: &str) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(svg, options).map_err(|e| format!("not valid SVG: {e}"))
}

/// Parses an SVG with [`svg_options`], refusing a canvas over the size limit.
pub fn parse_svg(svg: &[u8], fontdb: Arc<usvg::fontdb::Database>) -> Result<usvg::Tree, String> {
    budget::check_source(svg)?;
    let refused = Mutex::new(None);
    let tree = usvg::Tree::from_data(svg, &svg_options(fontdb, &refused))
        .map_err(|e| format!("not valid SVG: {e}"))?;
    if let Some(why) = refused.lock().ok().and_then(|mut r| r.take()) {
        return Err(why);
    }
    budget::check_tree(&tree)?;
    let size = tree.size().to_int_size();
    if size.width() > MAX_SIDE || size.height() > MAX_SIDE {
        return Err(format!(
            "the SVG canvas is {}×{}; hearth draws at most {MAX_SIDE}×{MAX_SIDE}",
            size.width(),
            size.height()
        ));
    }
    Ok(tree)
}

/// Rewrites an SVG avatar as plain drawing: usvg keeps shapes, gradients and embedded
/// pictures and drops scripts, event handlers, `foreignObject`, links, styles and
/// references to files or URLs.
pub fn safe_svg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    check_file_size(bytes)?;
    let tree = parse_svg(bytes, Arc::new(usvg::fontdb::Database::new()))?;
    let text = tree.to_string(&usvg::WriteOptions::default());
    // What is published is bounded as what is read is.
    if text.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the SVG, simplified, is {} KB; hearth publishes pictures of at most {} MB",
            text.len() / 1024,
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    // usvg writes the size but no viewBox; without one a browser crops a scaled
    // avatar instead of shrinking it.
    let size = tree.size();
    let text = text.replacen(
        "<svg ",
        &format!("<svg viewBox=\"0 0 {} {}\" ", size.width(), size.height()),
        1,
    );
    Ok(text.into_bytes())
}

/// Checks (and for SVG, rewrites) an avatar by its file name: what gets published.
pub fn safe_picture(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if name.to_ascii_lowercase().ends_with(".svg") {
        safe_svg(&bytes)
    } else {
        // Avatars are photos too: the picture limits, not the card's.
        photo::measure(&bytes, photo::PICTURE_LIMITS)
            .map(|_| bytes)
            .map_err(|why| format!("the picture {why}"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A PNG header claiming `w`×`h` with no pixel data behind it.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn a_picture_claiming_huge_dimensions_is_refused_from_its_header() {
        let why = check_raster(&png_claiming(100_000, 100_000)).unwrap_err();
        assert!(why.contains("100000×100000"), "{why}");
        assert_eq!(check_raster(&png_claiming(64, 64)).unwrap(), (64, 64));
    }

    #[test]
    fn svg_loses_scripts_handlers_foreign_objects_and_outside_references() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" onload="alert(1)"><script>alert(2)</script><foreignObject><p>x</p></foreignObject><image href="/etc/passwd" width="5" height="5"/><a xlink:href="javascript:alert(3)"><rect width="10" height="10" fill="red"/></a></svg>"#;
        let out = String::from_utf8(safe_svg(svg).unwrap()).unwrap();
        for bad in [
            "script",
            "onload",
            "foreignObject",
            "/etc/passwd",
            "javascript",
            "alert",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("path") || out.contains("rect"), "{out}");
    }

    #[test]
    fn an_svg_with_a_huge_canvas_or_a_huge_embedded_picture_is_refused() {
        let huge = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>"#;
        assert!(safe_svg(huge).unwrap_err().contains("100000"));
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD.encode(png_claiming(100_000, 100_000));
        let embedded = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,{png}" width="10" height="10"/></svg>"#
        );
        assert!(safe_svg(embedded.as_bytes())
            .unwrap_err()
            .contains("100000"));
    }
}
