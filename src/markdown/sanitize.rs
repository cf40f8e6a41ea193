//! Cleaning HTML that strangers wrote (member bios, link notes), with ammonia.
//!
//! Scripts, event handlers, styles and `javascript:` URLs go; the markup markdown
//! produces (with hearth's classes for code, alerts and heading anchors) stays.

use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "aria-label", "role", "data-lang"])
            .add_tags(["details", "summary", "input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener nofollow ugc"));
        b
    })
}

/// Sanitizes an HTML fragment.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let out = clean(
            r#"<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">a</a> <b>bold</b></p>"#,
        );
        assert!(
            !out.contains("script") && !out.contains("onclick") && !out.contains("javascript"),
            "{out}"
        );
        assert!(out.contains("<b>bold</b>"), "{out}");
    }

    #[test]
    fn highlighting_classes_survive() {
        let out = clean(
            r#"<pre class="code" data-lang="rust"><code><span class="hl-keyword">fn</span></code></pre>"#,
        );
        assert!(out.contains(r#"class="hl-keyword""#), "{out}");
    }
}
