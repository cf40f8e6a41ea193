//! Cleaning HTML that strangers wrote (member bios, link notes, and pages when
//! `content.sanitize` is on), with ammonia.
//!
//! Scripts, event handlers, styles, form controls and `javascript:` URLs go. So do
//! the `id` and `class` a writer typed: an `id` can fake the page's own elements (the
//! preview's error overlay, a theme's script targets) and a class can dress text up as
//! the site's interface. What hearth's markdown itself produces stays: heading ids
//! (so `#anchors` work) and the classes of code, alerts, tables and anchors. Images
//! from other hosts (tracking pixels) go unless `members.remote_images` is on.

use std::borrow::Cow;
use std::collections::HashSet;

/// What a site allows in sanitized HTML.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Keep `<img>` whose source is on another host.
    pub remote_images: bool,
    /// The site's own host: its images are not remote.
    pub site_host: String,
}

/// Class names hearth's markdown writes (exact), and prefixes of the ones it writes
/// with a variable part (`hl-keyword`, `language-rust`, `alert-note`).
const OWN_CLASSES: &[&str] = &[
    "alert",
    "alert-title",
    "table-wrap",
    "code",
    "rule-number",
    "anchor",
    "mention",
    "footnote-reference",
    "footnote-definition",
    "footnote-definition-label",
];
const OWN_CLASS_PREFIXES: &[&str] = &["hl-", "language-", "alert-"];

fn own_class(c: &str) -> bool {
    OWN_CLASSES.contains(&c) || OWN_CLASS_PREFIXES.iter().any(|p| c.starts_with(p))
}

/// Whether an image source points at another host.
fn is_remote(src: &str, site_host: &str) -> bool {
    let lower = src.trim().to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("//") {
        r
    } else if let Some((scheme, r)) = lower.split_once("://") {
        if scheme.contains(['/', '?', '#']) {
            return false;
        }
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    host != site_host.to_ascii_lowercase()
}

/// Whether a srcset candidate ("/hub/a-480.webp 480w") is a path on this site.
fn is_site_path(candidate: &str) -> bool {
    candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains('\\')
}

/// A sanitizer for one site's policy, made once per build.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
    /// The policy written out: texts cleaned under another policy are not reused.
    pub policy: String,
}

impl Sanitizer {
    pub fn new(policy: &Policy) -> Sanitizer {
        let written = format!("{policy:?}");
        let policy = policy.clone();
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "aria-label", "role", "data-lang"])
            .add_tag_attributes("h1", ["id"])
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tags(["details", "summary", "input"])
            // A picture's variants (SPEC §6): the writer's responsive `<img>`.
            .add_tag_attributes(
                "img",
                ["srcset", "sizes", "loading", "decoding", "fetchpriority"],
            )
            // Task lists are the only inputs markdown makes: read-only checkboxes.
            .add_tag_attributes("input", ["checked"])
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "")
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener nofollow ugc"))
            .attribute_filter(move |element, attribute, value| match attribute {
                "class" => {
                    let kept: Vec<&str> =
                        value.split_whitespace().filter(|c| own_class(c)).collect();
                    (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
                }
                "id" if value.starts_with("hearth-") => None,
                "src"
                    if element == "img"
                        && !policy.remote_images
                        && is_remote(value, &policy.site_host) =>
                {
                    None
                }
                // The browser fetches every URL of a srcset: only the site's own
                // paths, so no bio hides a tracker (or another scheme) in one.
                "srcset" if !value.split(',').all(|c| is_site_path(c.trim())) => None,
                _ => Some(Cow::Borrowed(value)),
            });
        Sanitizer {
            builder: b,
            policy: written,
        }
    }

    /// Sanitizes an HTML fragment.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new(&Policy {
            remote_images: false,
            site_host: "example.org".into(),
        })
        .clean(html)
    }

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
    fn highlighting_classes_and_heading_ids_survive() {
        let out = clean(
            r##"<pre class="code" data-lang="rust"><code><span class="hl-keyword">fn</span></code></pre><h2 id="agenda">Agenda <a class="anchor" href="#agenda">#</a></h2>"##,
        );
        assert!(out.contains(r#"class="hl-keyword""#), "{out}");
        assert!(out.contains(r#"<h2 id="agenda">"#), "{out}");
        assert!(out.contains(r#"class="anchor""#), "{out}");
    }

    #[test]
    fn typed_ids_classes_styles_and_form_controls_go() {
        let out = clean(
            r#"<div id="hearth-problem" class="site-header evil" style="position:fixed">x</div><h2 id="hearth-overlay">y</h2><form action="https://evil.example/"><input type="password" name="p"><button>Go</button><select><option>a</option></select><textarea>t</textarea></form>"#,
        );
        for bad in [
            "id=",
            "site-header",
            "evil",
            "style",
            "password",
            "<form",
            "<button",
            "<select",
            "<textarea",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(
            out.contains(r#"type="checkbox""#) && out.contains("disabled"),
            "{out}"
        );
    }

    #[test]
    fn a_srcset_is_kept_only_when_every_candidate_is_a_site_path() {
        let own = clean(
            r#"<img src="/a-960.webp" srcset="/a-480.webp 480w, /a-960.webp 960w" sizes="100vw" alt="a" loading="lazy" decoding="async">"#,
        );
        assert!(
            own.contains(r#"srcset="/a-480.webp 480w, /a-960.webp 960w""#),
            "{own}"
        );
        assert!(
            own.contains(r#"loading="lazy""#) && own.contains(r#"decoding="async""#),
            "{own}"
        );
        for bad in [
            "/a.webp 1x, https://tracker.example/p.gif 2x",
            "//cdn.example/x.png",
            "javascript:alert(1)",
        ] {
            let out = clean(&format!(r#"<img src="/a.webp" srcset="{bad}" alt="a">"#));
            assert!(!out.contains("srcset"), "{out}");
        }
    }

    #[test]
    fn images_from_other_hosts_lose_their_source_unless_allowed() {
        let html = r#"<img src="https://tracker.example/p.gif" alt="t"><img src="//cdn.example/x.png" alt="c"><img src="/hub/members/ada/ada.png" alt="own"><img src="https://example.org/a.png" alt="same">"#;
        let out = clean(html);
        assert!(
            !out.contains("tracker.example") && !out.contains("cdn.example"),
            "{out}"
        );
        assert!(
            out.contains("/hub/members/ada/ada.png") && out.contains("https://example.org/a.png"),
            "{out}"
        );
        let allowed = Sanitizer::new(&Policy {
            remote_images: true,
            site_host: "example.org".into(),
        })
        .clean(html);
        assert!(allowed.contains("tracker.example"), "{allowed}");
    }
}
