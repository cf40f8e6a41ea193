//! Phone photos for tests, made here rather than committed (a 24-megapixel JPEG
//! is megabytes): smooth colour with a little noise, as a JPEG with the EXIF a
//! phone writes (orientation, a GPS position, the camera's serial), or a PNG
//! with a text chunk.

/// Words that must never reach a published file: the EXIF and PNG text of the
/// pictures made here hold them.
pub const SECRETS: [&str; 3] = ["41.1496N", "SERIAL-0042-HOME", "12 Home Street"];

/// A `width`×`height` JPEG whose EXIF says `orientation` (6: turn a quarter
/// clockwise to show it) and holds a GPS position and a camera serial. The
/// left third is red, the rest blue, so a test can tell which way is up.
pub fn phone_jpeg(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let noise = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104729)) % 23) as u8;
        if x < width / 3 {
            image::Rgb([200 + noise, 40, 40])
        } else {
            image::Rgb([30, 60 + (y * 100 / height.max(1)) as u8, 190 + noise])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&img)
        .expect("a JPEG");
    with_exif(&jpeg, orientation)
}

/// `jpeg` with an APP1 EXIF segment: orientation, a GPS block and a serial.
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let serial = b"SERIAL-0042-HOME\0";
    let gps = b"41.1496N\0";
    // TIFF header, then IFD0 at 8 with three entries (2 + 3×12 + 4 = 42 bytes):
    // orientation, the serial (ASCII, at 50), the GPS block (at 50 + serial).
    let mut tiff: Vec<u8> = b"MM\0*\0\0\0\x08".to_vec();
    let serial_at = 50u32;
    let gps_ifd_at = serial_at + serial.len() as u32 + 1;
    tiff.extend([0, 3]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0xA4, 0x31, 0, 2]);
    tiff.extend((serial.len() as u32).to_be_bytes());
    tiff.extend(serial_at.to_be_bytes());
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend(gps_ifd_at.to_be_bytes());
    tiff.extend([0, 0, 0, 0]);
    assert_eq!(tiff.len(), serial_at as usize);
    tiff.extend(serial);
    tiff.push(0);
    // The GPS block: one entry, the latitude written out (ASCII, after it).
    let gps_text_at = gps_ifd_at + 18;
    tiff.extend([0, 1]);
    tiff.extend([0, 1, 0, 2]);
    tiff.extend((gps.len() as u32).to_be_bytes());
    tiff.extend(gps_text_at.to_be_bytes());
    tiff.extend([0, 0, 0, 0]);
    tiff.extend(gps);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&jpeg[2..]);
    out
}

/// A `width`×`height` PNG with a tEXt chunk naming an address.
pub fn png_with_text(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(width, height, |x, _| {
        image::Rgba([(x % 256) as u8, 120, 80, 255])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG");
    let text = b"Author\0Someone at 12 Home Street";
    let mut chunk = (text.len() as u32).to_be_bytes().to_vec();
    chunk.extend(b"tEXt");
    chunk.extend(text);
    chunk.extend(crc32fast::hash(&[&b"tEXt"[..], text].concat()).to_be_bytes());
    let mut out = png[..33].to_vec();
    out.extend(&chunk);
    out.extend(&png[33..]);
    out
}

/// A two-frame looping GIF with a comment naming an address.
pub fn gif_with_comment() -> Vec<u8> {
    let frame = |c: u8| {
        image::Frame::new(image::RgbaImage::from_pixel(
            8,
            6,
            image::Rgba([c, 90, 40, 255]),
        ))
    };
    let mut gif = Vec::new();
    {
        let mut e = image::codecs::gif::GifEncoder::new(&mut gif);
        e.set_repeat(image::codecs::gif::Repeat::Infinite)
            .expect("a loop");
        e.encode_frames([frame(10), frame(200)]).expect("a GIF");
    }
    let mut out = gif[..gif.len() - 1].to_vec();
    out.extend(b"\x21\xFE\x0e12 Home Street\x00");
    out.push(0x3B);
    out
}
