//! An original picture published without what its owner did not mean to publish
//! (SPEC §6): a JPEG loses its EXIF (GPS position, camera serial), XMP, IPTC and
//! comments and whatever follows its end (a motion photo's video), a PNG its
//! text, EXIF and time chunks, a WebP its EXIF and XMP chunks, byte for byte
//! otherwise (no second lossy encoding); colour profiles stay, so colours do not shift. A
//! photo whose EXIF turns it (orientation ≠ 1) must be encoded again upright,
//! and so must a format this does not rewrite: [`Stripped::Encode`].

/// What publishing an original takes.
#[derive(Debug, PartialEq, Eq)]
pub enum Stripped {
    /// These bytes: the original without its metadata.
    Bytes(Vec<u8>),
    /// Decode it and encode it again (it is turned, or not JPEG or PNG).
    Encode,
}

/// `bytes` without metadata, when that can be done without encoding again.
pub fn strip(bytes: &[u8]) -> Stripped {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        if turned(bytes) {
            return Stripped::Encode;
        }
        return jpeg(bytes).map_or(Stripped::Encode, Stripped::Bytes);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return png(bytes).map_or(Stripped::Encode, Stripped::Bytes);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return gif(bytes).map_or(Stripped::Encode, Stripped::Bytes);
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        // A WebP's orientation is in its EXIF, which browsers ignore: as stored
        // is as shown.
        return webp(bytes).map_or(Stripped::Encode, Stripped::Bytes);
    }
    Stripped::Encode
}

/// Whether a JPEG's EXIF turns it (orientation other than 1).
fn turned(bytes: &[u8]) -> bool {
    use image::ImageDecoder;
    image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes))
        .ok()
        .and_then(|mut d| d.orientation().ok())
        .is_some_and(|o| o != image::metadata::Orientation::NoTransforms)
}

/// JPEG segments kept before the image data: JFIF (APP0), ICC profiles (APP2
/// `ICC_PROFILE`), Adobe's colour transform (APP14), and every segment that is
/// not an application or comment segment (tables, frame header).
fn keep_jpeg_segment(marker: u8, body: &[u8]) -> bool {
    match marker {
        0xE0 | 0xEE => true,
        0xE2 => body.starts_with(b"ICC_PROFILE\0"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    loop {
        // Fill bytes before a marker are allowed.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if bytes.get(at) != Some(&0xFF) {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xDA {
            // Start of scan: image data up to the end of the image; what a phone
            // appends after it (a motion photo's video, a depth map with EXIF
            // of its own) is not published.
            return scans(bytes, at, out);
        }
        if marker == 0xD9 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            return None;
        }
        at = copy_segment(bytes, at, marker, &mut out)?;
    }
}

/// Copies the marker segment at `at` onto `out` unless it is metadata; returns
/// where it ends.
fn copy_segment(bytes: &[u8], at: usize, marker: u8, out: &mut Vec<u8>) -> Option<usize> {
    let len = usize::from(u16::from_be_bytes([
        *bytes.get(at + 2)?,
        *bytes.get(at + 3)?,
    ]));
    if len < 2 {
        return None;
    }
    let end = at.checked_add(2 + len)?;
    let segment = bytes.get(at..end)?;
    if keep_jpeg_segment(marker, &segment[4..]) {
        out.extend_from_slice(segment);
    }
    Some(end)
}

/// The scans from the first start of scan at `at` to the end-of-image marker,
/// onto `out`, without application or comment segments between scans. In
/// entropy-coded data a 0xFF byte is followed by 0x00 (a stuffed byte), a
/// restart marker or a fill byte; any other marker ends the data.
fn scans(bytes: &[u8], mut at: usize, mut out: Vec<u8>) -> Option<Vec<u8>> {
    loop {
        // `at` is a marker segment's start: copy (or drop) it, then its data.
        let marker = *bytes.get(at + 1)?;
        if marker == 0xD9 {
            out.extend_from_slice(&bytes[at..at + 2]);
            return Some(out);
        }
        let end = copy_segment(bytes, at, marker, &mut out)?;
        let mut i = end;
        loop {
            let ff = i + bytes.get(i..)?.iter().position(|&b| b == 0xFF)?;
            match *bytes.get(ff + 1)? {
                0x00 | 0xD0..=0xD7 | 0xFF => i = ff + 1,
                _ => {
                    out.extend_from_slice(&bytes[end..ff]);
                    at = ff;
                    break;
                }
            }
        }
    }
}

/// A WebP without its EXIF and XMP chunks (and their flags in the extended
/// header): RIFF chunks, each padded to an even length.
fn webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let mut at = 12;
    while at < bytes.len() {
        let kind = bytes.get(at..at + 4)?;
        let len = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let end = at.checked_add(8)?.checked_add(len)?.checked_add(len % 2)?;
        let chunk = bytes.get(at..end.min(bytes.len()))?;
        if chunk.len() < 8 + len {
            return None;
        }
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut header = chunk.to_vec();
                *header.get_mut(8)? &= !0x0C;
                out.extend_from_slice(&header);
            }
            _ => out.extend_from_slice(chunk),
        }
        at = end;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

/// A GIF without its comments and application extensions (XMP rides in one),
/// but for the one that makes it loop: its frames, palettes and timing as they
/// were, so an animation stays one.
fn gif(bytes: &[u8]) -> Option<Vec<u8>> {
    // The header, the screen descriptor and its colour table, if any.
    let flags = *bytes.get(10)?;
    let mut at = 13
        + if flags & 0x80 != 0 {
            3 << ((flags & 7) + 1)
        } else {
            0
        };
    let mut out = bytes.get(..at)?.to_vec();
    // Sub-blocks from `from` to their terminator; returns the end.
    let blocks = |mut i: usize| -> Option<usize> {
        loop {
            let len = usize::from(*bytes.get(i)?);
            i += 1 + len;
            if len == 0 {
                return Some(i);
            }
        }
    };
    loop {
        match *bytes.get(at)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x21 => {
                let label = *bytes.get(at + 1)?;
                let end = blocks(at + 2)?;
                let looping = label == 0xFF
                    && matches!(
                        bytes.get(at + 3..at + 14),
                        Some(b"NETSCAPE2.0" | b"ANIMEXTS1.0")
                    );
                if !matches!(label, 0xFE | 0xFF) || looping {
                    out.extend_from_slice(bytes.get(at..end)?);
                }
                at = end;
            }
            0x2C => {
                let flags = *bytes.get(at + 9)?;
                let table = if flags & 0x80 != 0 {
                    3 << ((flags & 7) + 1)
                } else {
                    0
                };
                // The descriptor, its colour table, the LZW code size, the data.
                let end = blocks(at + 10 + table + 1)?;
                out.extend_from_slice(bytes.get(at..end)?);
                at = end;
            }
            _ => return None,
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// PNG chunks that carry words, EXIF or a time rather than pixels or colour.
fn drop_png_chunk(kind: &[u8]) -> bool {
    matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME")
}

fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut at = PNG_SIGNATURE.len();
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        if !drop_png_chunk(kind) {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_app1(orientation: u8) -> Vec<u8> {
        let img = image::RgbImage::from_fn(16, 8, |x, _| image::Rgb([(x * 12) as u8, 80, 40]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        let mut app1 = b"Exif\0\0MM\0*\0\0\0\x08\0\x01".to_vec();
        app1.extend([
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            orientation,
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
        app1.extend(b"GPS 41.15N 8.61W");
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(&app1);
        out.extend([0xFF, 0xFE, 0, 9]);
        out.extend(b"comment");
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_jpeg_loses_its_exif_and_comments_and_keeps_its_pixels() {
        let original = jpeg_with_app1(1);
        let Stripped::Bytes(out) = strip(&original) else {
            panic!("an upright JPEG is stripped in place");
        };
        for marker in [&b"Exif"[..], b"GPS", b"comment"] {
            assert!(
                !out.windows(marker.len()).any(|w| w == marker),
                "{marker:?}"
            );
        }
        let (a, b) = (
            image::load_from_memory(&original).unwrap().to_rgb8(),
            image::load_from_memory(&out).unwrap().to_rgb8(),
        );
        assert_eq!(a, b, "the same pixels");
        assert_eq!(
            strip(&jpeg_with_app1(6)),
            Stripped::Encode,
            "a turned photo"
        );
        assert_eq!(strip(b"\xFF\xD8\xFF"), Stripped::Encode, "a broken one");
        // What follows the end of the image (a motion photo's video) is cut.
        let mut with_video = original.clone();
        with_video.extend(b"ftypmp42 video with EXIF");
        let Stripped::Bytes(cut) = strip(&with_video) else {
            panic!("stripped in place");
        };
        assert_eq!(cut, out);
        assert!(cut.ends_with(&[0xFF, 0xD9]));
    }

    #[test]
    fn a_gif_loses_its_comments_and_xmp_and_keeps_its_frames_and_loop() {
        let frame = |c: u8| {
            image::Frame::new(image::RgbaImage::from_pixel(
                4,
                4,
                image::Rgba([c, 0, 0, 255]),
            ))
        };
        let mut gif = Vec::new();
        {
            let mut e = image::codecs::gif::GifEncoder::new(&mut gif);
            e.set_repeat(image::codecs::gif::Repeat::Infinite).unwrap();
            e.encode_frames([frame(10), frame(200)]).unwrap();
        }
        // A comment and an XMP application block before the trailer.
        let mut with = gif[..gif.len() - 1].to_vec();
        with.extend(b"\x21\xFE\x0712 Home\x00");
        with.extend(b"\x21\xFF\x0bXMP DataXMP\x05<xmp>\x00");
        with.push(0x3B);
        let Stripped::Bytes(out) = strip(&with) else {
            panic!("a GIF is stripped in place");
        };
        assert_eq!(out, gif, "exactly the GIF without its comment and XMP");
        assert!(contains(&out, b"NETSCAPE2.0"), "it still loops");
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_webp_loses_its_exif_and_xmp_chunks() {
        let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
        riff.extend(b"VP8X\x0a\0\0\0\x0c\0\0\0\0\0\0\0\0\0");
        riff.extend(b"VP8L\x03\0\0\0abc\0");
        riff.extend(b"EXIF\x04\0\0\0GPS!");
        riff.extend(b"XMP \x01\0\0\0x\0");
        let size = (riff.len() - 8) as u32;
        riff[4..8].copy_from_slice(&size.to_le_bytes());
        let Stripped::Bytes(out) = strip(&riff) else {
            panic!("a WebP is stripped in place");
        };
        assert!(!out
            .windows(4)
            .any(|w| w == b"EXIF" || w == b"XMP " || w == b"GPS!"));
        assert_eq!(out[20], 0, "the EXIF and XMP flags are cleared");
        assert_eq!(
            u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize,
            out.len() - 8
        );
        assert!(out.ends_with(b"VP8L\x03\0\0\0abc\0"));
    }

    /// Strangers' bytes: every prefix of a picture, and each byte of its
    /// header changed, are stripped or sent to be encoded again, never a panic.
    #[test]
    fn broken_pictures_never_panic() {
        let jpeg = jpeg_with_app1(1);
        let mut png = Vec::new();
        image::RgbImage::from_pixel(3, 3, image::Rgb([9, 9, 9]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let mut webp =
            b"RIFF\x20\0\0\0WEBPVP8X\x0a\0\0\0\x0c\0\0\0\0\0\0\0\0\0EXIF\x02\0\0\0ab".to_vec();
        webp.extend([0; 4]);
        let mut gif = Vec::new();
        image::codecs::gif::GifEncoder::new(&mut gif)
            .encode(&[1, 2, 3, 255], 1, 1, image::ExtendedColorType::Rgba8)
            .unwrap();
        for picture in [&jpeg, &png, &webp, &gif] {
            for end in 0..picture.len() {
                let _ = strip(&picture[..end]);
            }
            for at in 0..picture.len().min(200) {
                for value in [0x00, 0xFF, 0x7F] {
                    let mut changed = picture.clone();
                    changed[at] = value;
                    let _ = strip(&changed);
                }
            }
        }
    }

    #[test]
    fn a_png_loses_its_text_chunks() {
        let img = image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]));
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        // A tEXt chunk after IHDR (8-byte signature, 25-byte IHDR chunk).
        let text = b"Author\0Someone at 12 Home Street";
        let mut chunk = (text.len() as u32).to_be_bytes().to_vec();
        chunk.extend(b"tEXt");
        chunk.extend(text);
        chunk.extend(crc32fast::hash(&[&b"tEXt"[..], text].concat()).to_be_bytes());
        let mut with_text = png[..33].to_vec();
        with_text.extend(&chunk);
        with_text.extend(&png[33..]);
        assert!(image::load_from_memory(&with_text).is_ok());
        let Stripped::Bytes(out) = strip(&with_text) else {
            panic!("a PNG is stripped in place");
        };
        assert_eq!(out, png, "exactly the PNG without its text");
    }
}
