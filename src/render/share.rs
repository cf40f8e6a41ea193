//! Share links with UTM tags, and post text cut to each network's limit.
//!
//! UTM parameters appear only here (share links, the promotion kit): canonical URLs,
//! the sitemap and internal links stay clean.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::config::{Config, Platform};

/// X counts every link as 23 characters (t.co); Mastodon does the same.
const SHORT_URL: usize = 23;

impl Platform {
    pub fn id(self) -> &'static str {
        match self {
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Linkedin => "linkedin",
            Platform::X => "x",
            Platform::Facebook => "facebook",
            Platform::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::Mastodon => "Mastodon",
            Platform::Bluesky => "Bluesky",
            Platform::Linkedin => "LinkedIn",
            Platform::X => "X",
            Platform::Facebook => "Facebook",
            Platform::Email => "E-mail",
        }
    }

    /// How much room the post text has next to `url` on this network.
    fn text_budget(self, url: &str) -> Option<usize> {
        match self {
            Platform::X => Some(280 - SHORT_URL - 1),
            Platform::Mastodon => Some(500 - SHORT_URL - 1),
            Platform::Bluesky => Some(300usize.saturating_sub(graphemes(url) + 1)),
            Platform::Linkedin | Platform::Facebook | Platform::Email => None,
        }
    }
}

/// Appends `s` percent-encoded as a form value, byte for byte what
/// `url::form_urlencoded::byte_serialize` gives (letters, digits and `*-._` kept,
/// everything else `%XX`), with `space` for a space. Written here because every
/// page's share links encode a dozen values: runs of kept bytes go in whole, with no
/// iterator of pieces and no string per value.
fn push_enc(out: &mut String, s: &str, space: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let kept = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_');
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if kept(b) {
            continue;
        }
        // A run of kept bytes is ASCII and ends before an ASCII or leading byte, so
        // both its ends are character boundaries.
        out.push_str(s.get(run..i).unwrap_or_default());
        run = i + 1;
        if b == b' ' {
            out.push_str(space);
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
}

/// `&utm_medium=…&utm_campaign=…`: the same for every link of a site.
fn utm_tail(config: &Config) -> String {
    let mut tail = String::from("&utm_medium=");
    push_enc(&mut tail, &config.share.utm.medium, "+");
    tail.push_str("&utm_campaign=");
    push_enc(&mut tail, &config.share.utm.campaign, "+");
    tail
}

/// `url` with `utm_source=<platform>` and the site's `tail` ([`utm_tail`]), before
/// any `#fragment`.
fn tagged(url: &str, source: &str, tail: &str) -> String {
    let (base, fragment) = url.split_once('#').unwrap_or((url, ""));
    let mut out = String::with_capacity(url.len() + source.len() + tail.len() + 16);
    out.push_str(base);
    out.push(if base.contains('?') { '&' } else { '?' });
    out.push_str("utm_source=");
    push_enc(&mut out, source, "+");
    out.push_str(tail);
    if url.len() > base.len() {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// How many graphemes `s` has; ASCII (most URLs) without segmenting it.
fn graphemes(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.graphemes(true).count()
    }
}

/// Cuts `text` to at most `max` graphemes at a word boundary, ending with "…".
/// Every page's share links call this for three networks, so a text that fits is
/// told apart without segmenting it (no more bytes than `max`, or no grapheme past it).
pub fn fit(text: &str, max: usize) -> String {
    if text.len() <= max || text.grapheme_indices(true).nth(max).is_none() {
        return text.to_string();
    }
    let end = text
        .grapheme_indices(true)
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let cut = &text[..end];
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', '.', '-', '–', '—', ' '])
    )
}

/// The post text for a page: its title, and its description when there is one.
pub fn caption(title: &str, description: &str) -> String {
    let d = description.trim();
    if d.is_empty() || d == title {
        title.to_string()
    } else {
        format!("{title} — {d}")
    }
}

/// One network's share link for one page.
#[derive(Serialize, Clone)]
pub struct ShareLink {
    pub platform: &'static str,
    pub label: &'static str,
    /// The link that opens the network's composer (empty for Mastodon: see `mastodon`).
    pub href: String,
    /// The page's URL tagged for this network.
    pub url: String,
    /// The post text, cut to the network's limit (without the URL).
    pub text: String,
}

/// Everything a template needs to offer sharing of one page.
#[derive(Serialize, Clone)]
pub struct ShareView {
    pub links: Vec<ShareLink>,
    /// Mastodon needs the reader's server: `{text, servers}` for a small form.
    pub mastodon: Option<MastodonForm>,
}

#[derive(Serialize, Clone)]
pub struct MastodonForm {
    /// Post text with the tagged URL, for `https://SERVER/share?text=`.
    pub text: String,
    /// Large general servers offered as one-click buttons, so the form works
    /// without JavaScript; the script adds a field for any other server.
    pub servers: Vec<&'static str>,
}

pub const MASTODON_SERVERS: &[&str] = &[
    "mastodon.social",
    "hachyderm.io",
    "fosstodon.org",
    "mstdn.social",
];

pub fn share_view(config: &Config, title: &str, description: &str, permalink: &str) -> ShareView {
    let caption = caption(title, description);
    let tail = utm_tail(config);
    let mut links = Vec::with_capacity(config.share.platforms.len());
    let mut mastodon = None;
    for &p in &config.share.platforms {
        let url = tagged(permalink, p.id(), &tail);
        let text = match p.text_budget(&url) {
            Some(n) => fit(&caption, n),
            None => caption.clone(),
        };
        let href = match p {
            Platform::X => query(
                "https://twitter.com/intent/tweet?",
                &[("text=", &text), ("&url=", &url)],
                "+",
            ),
            Platform::Linkedin => query(
                "https://www.linkedin.com/sharing/share-offsite/?",
                &[("url=", &url)],
                "+",
            ),
            // The text, a space, the link: one value.
            Platform::Bluesky => query(
                "https://bsky.app/intent/compose?",
                &[("text=", &text), ("+", &url)],
                "+",
            ),
            Platform::Facebook => query(
                "https://www.facebook.com/sharer/sharer.php?",
                &[("u=", &url)],
                "+",
            ),
            // Mail programs read `+` as a plus: spaces are `%20`, and the body is
            // the text, an empty line, the link.
            Platform::Email => query(
                "mailto:?",
                &[("subject=", title), ("&body=", &text), ("%0A%0A", &url)],
                "%20",
            ),
            Platform::Mastodon => {
                mastodon = Some(MastodonForm {
                    text: format!("{text} {url}"),
                    servers: MASTODON_SERVERS.to_vec(),
                });
                String::new()
            }
        };
        links.push(ShareLink {
            platform: p.id(),
            label: p.label(),
            href,
            url,
            text,
        });
    }
    ShareView { links, mastodon }
}

/// `prefix`, then each piece's literal as it is and its value encoded.
fn query(prefix: &str, pieces: &[(&str, &str)], space: &str) -> String {
    let room: usize = pieces.iter().map(|(l, v)| l.len() + v.len() * 3 / 2).sum();
    let mut out = String::with_capacity(prefix.len() + room);
    out.push_str(prefix);
    for (literal, value) in pieces {
        out.push_str(literal);
        push_enc(&mut out, value, space);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query value encoded whole, as hearth 0.1 did for every link.
    fn enc(s: &str) -> String {
        let mut out = String::new();
        push_enc(&mut out, s, "+");
        out
    }

    fn config() -> Config {
        let src = crate::diagnostics::SourceText {
            path: "site.yaml".into(),
            text: std::sync::Arc::from("title: T\nbase_url: https://example.org/hub/\nshare:\n  utm: { medium: social, campaign: launch week }\n"),
        };
        Config::from_yaml(&src).unwrap()
    }

    #[test]
    fn tags_go_before_the_fragment() {
        let c = config();
        assert_eq!(
            tagged("https://example.org/hub/links/#async", "x", &utm_tail(&c)),
            "https://example.org/hub/links/?utm_source=x&utm_medium=social&utm_campaign=launch+week#async"
        );
    }

    #[test]
    fn text_is_cut_at_a_word_within_each_limit() {
        let c = config();
        let long = "word ".repeat(200);
        let v = share_view(&c, "Title", &long, "https://example.org/hub/a/");
        for l in &v.links {
            let n = l.text.graphemes(true).count();
            match l.platform {
                "x" => assert!(n <= 280 - 24, "{n}"),
                "bluesky" => assert!(n + 1 + l.url.graphemes(true).count() <= 300, "{n}"),
                "mastodon" => assert!(n <= 500 - 24, "{n}"),
                _ => {}
            }
            if l.platform != "email" && l.platform != "linkedin" && l.platform != "facebook" {
                assert!(l.text.ends_with("word…"), "{}", l.text);
            }
        }
    }

    /// The short cuts in `fit` give what cutting a full list of graphemes gives.
    #[test]
    fn fit_agrees_with_counting_every_grapheme() {
        let reference = |text: &str, max: usize| {
            let g: Vec<&str> = text.graphemes(true).collect();
            if g.len() <= max {
                return text.to_string();
            }
            let cut: String = g[..max.saturating_sub(1)].concat();
            let cut = match cut.rfind(char::is_whitespace) {
                Some(i) if i > cut.len() / 2 => &cut[..i],
                _ => cut.as_str(),
            };
            format!(
                "{}…",
                cut.trim_end_matches([',', ';', ':', '.', '-', '–', '—', ' '])
            )
        };
        let pieces = ["a", "é", "e\u{301}", "👩‍👩‍👧", "日本", " ", ", ", "🇫🇷", "ab cd"];
        let mut seed = 7u32;
        for _ in 0..2000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            for k in 0..(seed >> 16) % 40 {
                text.push_str(pieces[((seed >> 8) as usize + k as usize * 7) % pieces.len()]);
            }
            for max in [0, 1, 2, 5, 17, 39] {
                assert_eq!(fit(&text, max), reference(&text, max), "{text:?} {max}");
            }
        }
    }

    /// `push_enc` gives what the url crate's form encoding gives, for every byte
    /// and for text in several scripts.
    #[test]
    fn encoding_agrees_with_the_url_crate() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "",
            "plain",
            "a b+c&d=e#f?g/h",
            "Grüße aus Köln — «ça va» 日本語 👩‍👩‍👧 مرحبا",
            "é",
            " leading and trailing ",
        ] {
            let expected: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
            assert_eq!(enc(text), expected, "{text:?}");
            let mut spaced = String::new();
            push_enc(&mut spaced, text, "%20");
            assert_eq!(spaced, expected.replace('+', "%20"), "{text:?}");
        }
    }

    /// Byte for byte the links hearth 0.1 made, which built each value with
    /// `format!` and encoded it whole.
    #[test]
    fn links_are_the_encoded_values_joined() {
        let c = config();
        let v = share_view(
            &c,
            "Tea & talk",
            "Bring a mug + a friend",
            "https://example.org/hub/a/#x y",
        );
        let by = |id: &str| v.links.iter().find(|l| l.platform == id).unwrap();
        let (x, bsky, mail) = (by("x"), by("bluesky"), by("email"));
        assert_eq!(x.url, "https://example.org/hub/a/?utm_source=x&utm_medium=social&utm_campaign=launch+week#x y");
        assert_eq!(
            x.href,
            format!(
                "https://twitter.com/intent/tweet?text={}&url={}",
                enc(&x.text),
                enc(&x.url)
            )
        );
        assert_eq!(
            bsky.href,
            format!(
                "https://bsky.app/intent/compose?text={}",
                enc(&format!("{} {}", bsky.text, bsky.url))
            )
        );
        assert_eq!(
            mail.href,
            format!(
                "mailto:?subject={}&body={}",
                enc("Tea & talk").replace('+', "%20"),
                enc(&format!("{}\n\n{}", mail.text, mail.url)).replace('+', "%20")
            )
        );
    }

    #[test]
    fn every_configured_platform_gets_a_link() {
        let v = share_view(&config(), "T", "", "https://example.org/hub/a/");
        let ids: Vec<_> = v.links.iter().map(|l| l.platform).collect();
        assert_eq!(
            ids,
            ["mastodon", "bluesky", "linkedin", "x", "facebook", "email"]
        );
        assert!(v.links[3].href.starts_with("https://twitter.com/intent/tweet?text=T&url=https%3A%2F%2Fexample.org%2Fhub%2Fa%2F%3Futm_source%3Dx"));
        assert!(v.mastodon.unwrap().text.contains("utm_source=mastodon"));
    }
}
