//! The markdown pipeline: headings and ids, links, mentions, alerts, highlighting.
#![no_main]
use libfuzzer_sys::fuzz_target;
use hearth::markdown::{render, LinkContext, RenderOptions};

struct Ctx;

impl LinkContext for Ctx {
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, Option<String>)> {
        if target.ends_with(".md") && target.len() % 2 == 0 {
            Err(("missing".into(), None))
        } else {
            Ok(Some(format!("/x/{target}/")))
        }
    }
    fn member_url(&self, handle: &str) -> Option<String> {
        (handle.len() % 3 == 0).then(|| format!("/members/{handle}/"))
    }
    fn base_path(&self) -> &str {
        "/hub/"
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let numbered = data.first().is_some_and(|b| b % 2 == 0);
    let r = render(&text, &Ctx, RenderOptions { numbered_rules: numbered });
    for p in &r.problems {
        assert!(p.span.end <= text.len());
    }
});
