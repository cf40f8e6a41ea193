//! The tags of a record's HTML as the search text reader (text.rs) meets them: a
//! start or end tag's name and attributes, and where a raw element (`<script>`,
//! `<style>`) ends. Enough for the markdown stage's HTML; not a browser's parser.

/// Where `</name` starts in `hay`, in any case.
pub(super) fn find_end_tag(hay: &str, name: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&h[from..], b"</").map(|i| from + i) {
        let after = &h[i + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(i);
        }
        from = i + 2;
    }
    None
}

pub(super) fn tag_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(s.len());
    &s[..end]
}

/// A start tag: its name and its attributes' text, read when asked.
pub(super) struct Tag<'h> {
    pub(super) name: &'h str,
    pub(super) attrs: &'h str,
    pub(super) len: usize,
}

impl<'h> Tag<'h> {
    /// A start tag at the start of `s` (which begins with `<`).
    pub(super) fn parse(s: &'h str) -> Option<Tag<'h>> {
        let b = s.as_bytes();
        if !b.get(1)?.is_ascii_alphabetic() {
            return None;
        }
        let name = tag_name(&s[1..]);
        let from = 1 + name.len();
        // The tag ends at the first `>` outside quotes.
        let mut i = from;
        let mut end = b.len();
        while i < b.len() {
            let Some(at) = memchr::memchr3(b'>', b'"', b'\'', &b[i..]).map(|n| i + n) else {
                break;
            };
            if b[at] == b'>' {
                end = at;
                break;
            }
            // Skip the quoted value.
            i = memchr::memchr(b[at], &b[at + 1..]).map_or(b.len(), |n| at + 2 + n);
        }
        Some(Tag {
            name,
            attrs: &s[from..end],
            len: (end + 1).min(b.len()),
        })
    }

    pub(super) fn attr(&self, want: &str) -> Option<&'h str> {
        let b = self.attrs.as_bytes();
        let mut i = 0;
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/') {
                i += 1;
            }
            let key = &self.attrs[start..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let from = i + 1;
                    let to = memchr::memchr(q, &b[from..]).map_or(b.len(), |e| from + e);
                    value = &self.attrs[from..to];
                    i = (to + 1).min(b.len());
                } else {
                    let from = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &self.attrs[from..i];
                }
            }
            if key.eq_ignore_ascii_case(want) {
                return Some(value);
            }
            if i == start {
                i += 1;
            }
        }
    }
}
