//! Escaping for the formats hearth writes by hand. Untrusted text (titles, bios, notes)
//! goes through here or through Tera's autoescape, never straight into output.

/// Escapes text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Tera's escaping (`&`, `<`, `>`, `"` and `'`, to the same entities, so pages stay
/// byte for byte what they were), writing each run of plain text at once: Tera's
/// own writes every byte through a `dyn Write` call, and templates escape every
/// title, URL and share link of every page.
pub fn tera_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain..i])?;
        out.write_all(entity)?;
        plain = i + 1;
    }
    out.write_all(&bytes[plain..])
}

/// Escapes a URL for an `href`: percent-encodes what a URL may not hold and
/// HTML-escapes `&` and quotes.
pub fn href(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let _ = pulldown_cmark_escape::escape_href(&mut out, s);
    out
}

/// Whether XML 1.0 forbids `c` anywhere in a document: control characters other than
/// tab and line ends, and the two non-characters. One of them in a title makes every
/// feed that carries the title unreadable, so hearth refuses them where they enter.
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// The first character XML forbids in `s`, with its byte offset. Scans bytes: it
/// runs over every source file of a build (40 MB at 10,000 pages), so blocks of 64
/// bytes are first asked, in a form the compiler vectorizes, whether they hold a
/// control byte or the lead byte of U+FFFE/U+FFFF at all; only those that do are
/// looked at byte by byte.
pub fn first_forbidden_in_xml(s: &str) -> Option<(usize, char)> {
    const BLOCK: usize = 64;
    let bytes = s.as_bytes();
    // Without branches (`&`, `|`), so the block test below vectorizes.
    let control = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
    let suspect = |b: u8| control(b) | (b == 0xEF);
    let at = bytes
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| block.iter().fold(false, |any, &b| any | suspect(b)))
        .find_map(|(n, block)| {
            let start = n * BLOCK;
            (start..start + block.len()).find(|&i| {
                let b = bytes[i];
                control(b)
                    // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
                    || (b == 0xEF
                        && bytes.get(i + 1) == Some(&0xBF)
                        && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
            })
        })?;
    s[at..].chars().next().map(|c| (at, c))
}

/// Escapes text for XML content and attributes (sitemaps).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of a small HTML fragment we produced (a link's note): tags dropped,
/// the entities our escaping writes turned back into characters.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Decodes `%XX` escapes in a URL path; invalid UTF-8 leaves the text as it was.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_neutralised() {
        assert_eq!(super::html("<script>\"&"), "&lt;script&gt;&quot;&amp;");
        assert_eq!(super::xml("a'b<"), "a&apos;b&lt;");
        assert_eq!(super::text_of("<em>R&amp;D</em> &lt;3"), "R&D <3");
    }

    /// hearth's escaping in templates writes exactly what Tera's own wrote.
    #[test]
    fn template_escaping_is_teras_byte_for_byte() {
        let pieces = [
            "a", "&", "<", ">", "\"", "'", "/", "é", "日", "&amp;", " ", "`", "=",
        ];
        for n in 0..3000usize {
            let text: String = (0..n % 23)
                .map(|k| pieces[(n * 31 + k * 7 + n / 5) % pieces.len()])
                .collect();
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::tera_html(&text, &mut ours).unwrap();
            tera::escape_html(&text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text:?}");
        }
    }
}

#[cfg(test)]
mod forbidden_tests {
    use super::{first_forbidden_in_xml, forbidden_in_xml};

    /// The byte scan finds the first forbidden character at any place in a text,
    /// blocks of 64 bytes and their edges included (a U+FFFF split across two).
    #[test]
    fn the_byte_scan_finds_the_first_one_wherever_it_is() {
        for len in [0, 1, 63, 64, 65, 127, 128, 200] {
            for at in 0..=len {
                for bad in ['\u{1}', '\u{FFFF}', '\u{FFFE}'] {
                    let text = format!(
                        "{}{bad}{}\u{1F}",
                        "é".repeat(at / 2) + &"x".repeat(at % 2),
                        "y".repeat(len - at)
                    );
                    let expect = at / 2 * 2 + at % 2;
                    assert_eq!(
                        first_forbidden_in_xml(&text),
                        Some((expect, bad)),
                        "{len} {at}"
                    );
                }
            }
            let clean = format!("{}\u{FFFD}\u{EFFF}\t\n\r", "z".repeat(len));
            assert_eq!(first_forbidden_in_xml(&clean), None);
        }
    }

    /// The byte scan (fast, for whole files) and the per-character rule (for YAML
    /// values) are two forms of one rule: they agree on every character.
    #[test]
    fn the_byte_scan_and_the_character_rule_agree() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let found = first_forbidden_in_xml(&text).map(|(_, f)| f);
            assert_eq!(
                found.is_some(),
                forbidden_in_xml(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
