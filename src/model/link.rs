//! A curated outside link (`links/*.yaml`): the URL, and the curator's own take on it.

use serde::Deserialize;

use super::date::Date;
use crate::diagnostics::SourceText;

/// One entry of a links file, exactly the keys SPEC §1 lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMeta {
    pub url: String,
    pub title: String,
    pub note: String,
    pub date: Date,
    #[serde(default)]
    pub tags: Vec<String>,
    pub curated_by: Option<String>,
    pub discuss: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CuratedLink {
    pub meta: LinkMeta,
    /// The links file it came from, and the span of its `url:` value there.
    pub source: SourceText,
    pub span: std::ops::Range<usize>,
    /// Anchor on /links/ and name of its card: the slug of its title, made unique.
    pub anchor: String,
    /// The note as sanitized inline HTML.
    pub note_html: String,
    /// Site path of the page where the community discusses it.
    pub discuss_path: Option<String>,
    /// The host, shown beside the title ("blog.example.com").
    pub host: String,
}

/// A URL reduced to what makes two links "the same": scheme and host lowercased,
/// default port, fragment and trailing slash dropped.
pub fn normalize(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    let mut s = u.to_string();
    while s.ends_with('/') && u.query().is_none() {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_case_of_host_trailing_slash_and_fragment() {
        let a = url::Url::parse("HTTPS://Blog.Example.com/post/#top").unwrap();
        let b = url::Url::parse("https://blog.example.com/post").unwrap();
        assert_eq!(normalize(&a), normalize(&b));
        let c = url::Url::parse("https://blog.example.com/Post").unwrap();
        assert_ne!(normalize(&b), normalize(&c), "paths stay case-sensitive");
    }
}
