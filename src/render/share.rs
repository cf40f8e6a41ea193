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

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `url` with `utm_source=<platform>&utm_medium=…&utm_campaign=…`, before any
/// `#fragment`.
pub fn tagged(url: &str, source: &str, config: &Config) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, format!("#{f}")),
        None => (url, String::new()),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    format!(
        "{base}{sep}utm_source={}&utm_medium={}&utm_campaign={}{fragment}",
        enc(source),
        enc(&config.share.utm.medium),
        enc(&config.share.utm.campaign)
    )
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
    let mut links = Vec::new();
    let mut mastodon = None;
    for &p in &config.share.platforms {
        let url = tagged(permalink, p.id(), config);
        let text = match p.text_budget(&url) {
            Some(n) => fit(&caption, n),
            None => caption.clone(),
        };
        let href = match p {
            Platform::X => format!(
                "https://twitter.com/intent/tweet?text={}&url={}",
                enc(&text),
                enc(&url)
            ),
            Platform::Linkedin => format!(
                "https://www.linkedin.com/sharing/share-offsite/?url={}",
                enc(&url)
            ),
            Platform::Bluesky => format!(
                "https://bsky.app/intent/compose?text={}",
                enc(&format!("{text} {url}"))
            ),
            Platform::Facebook => {
                format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(&url))
            }
            Platform::Email => format!(
                "mailto:?subject={}&body={}",
                enc(title).replace('+', "%20"),
                enc(&format!("{text}\n\n{url}")).replace('+', "%20")
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

#[cfg(test)]
mod tests {
    use super::*;

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
            tagged("https://example.org/hub/links/#async", "x", &c),
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
