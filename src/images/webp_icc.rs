//! A colour profile put into a WebP libwebp encoded without one. The `webp`
//! crate offers only libwebp's simple encoder, which writes no ICC chunk; the
//! container is three lines of the WebP spec (an extended header, then the
//! `ICCP` chunk before the image data), so it is written here rather than
//! through a second binding to libwebp's mux library.

/// `webp` with `icc` as its colour profile; `None` when `webp` is not a WebP
/// container this understands.
pub fn with_icc(webp: &[u8], icc: &[u8], width: u32, height: u32, alpha: bool) -> Option<Vec<u8>> {
    if !webp.starts_with(b"RIFF") || webp.get(8..12)? != b"WEBP" {
        return None;
    }
    let icc_len = u32::try_from(icc.len()).ok()?;
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let rest = if webp.get(12..16)? == b"VP8X" {
        // Already extended (a picture with alpha): the ICC flag set, the chunk
        // after the header.
        let header = webp.get(12..30)?;
        out.extend_from_slice(header);
        out[20] |= 0x20;
        webp.get(30..)?
    } else {
        let flags: u8 = 0x20 | if alpha { 0x10 } else { 0 };
        out.extend_from_slice(b"VP8X\x0a\0\0\0");
        out.extend_from_slice(&[flags, 0, 0, 0]);
        out.extend_from_slice(&(width.checked_sub(1)?).to_le_bytes()[..3]);
        out.extend_from_slice(&(height.checked_sub(1)?).to_le_bytes()[..3]);
        webp.get(12..)?
    };
    out.extend_from_slice(b"ICCP");
    out.extend_from_slice(&icc_len.to_le_bytes());
    out.extend_from_slice(icc);
    if icc.len() % 2 == 1 {
        out.push(0);
    }
    out.extend_from_slice(rest);
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}
