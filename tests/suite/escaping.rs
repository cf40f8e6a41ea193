//! Property: whatever text strangers put in a title, a name or a note, it comes out
//! escaped in every format hearth writes: HTML, XML (feeds, sitemap), iCalendar, CSV
//! and the SVG behind every card (an unescaped `<` there would make the card fail).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::site::TestSite;
use proptest::prelude::*;

/// A marker that must never appear raw: if it does, markup was injected.
const TAG: &str = "<zz-injected a=\"1\">";

fn build(site: &std::path::Path) -> Result<hearth::BuildReport, hearth::BuildError> {
    hearth::build(&hearth::BuildOptions {
        site: site.to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        strict: false,
        now: hearth::model::Date::parse("2026-11-22").unwrap(),
    })
}

fn yaml_quote(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn untrusted_text_is_escaped_everywhere(noise in "[a-z &<>\"';,:\\\\\n]{0,30}") {
        let text = format!("{noise}{TAG}&amp;ZZLINE\nZZNEW:x;y,z");
        let site = TestSite::from_files(&[
            ("site.yaml", "title: T\nbase_url: https://example.org/\nmembers:\n  questions:\n    - { key: q, ask: Q? }\n"),
            ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
            ("content/news/e.md", &format!(
                "---\ntitle: {t}\ndate: 2026-11-20\ndescription: {t}\ntags: [{t}]\nevent:\n  start: 2026-12-01T10:00:00Z\n  location: {t}\n---\nBody.\n",
                t = yaml_quote(&text))),
            ("members/ada.md", &format!("---\nname: {t}\nrole: {t}\njoined: 2026-11-01\nanswers:\n  q: {t}\n---\nBio.\n", t = yaml_quote(&text))),
            ("links/l.yaml", &format!("- url: https://example.com/x\n  title: {t}\n  note: {t}\n  date: 2026-11-02\n  curated_by: ada\n", t = yaml_quote(&text))),
        ]);
        let report = build(site.path());
        prop_assert!(report.is_ok(), "{:?}", report.err());
        let report = report.unwrap();
        prop_assert!(report.cards.rendered >= 4, "every card rendered, so every SVG parsed");
        for entry in walkdir::WalkDir::new(site.path().join("public")).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_string();
            if !["html", "xml", "ics", "csv", "txt"].contains(&ext.as_str()) {
                continue;
            }
            let out = std::fs::read_to_string(path).unwrap();
            if ext == "html" || ext == "xml" {
                prop_assert!(!out.contains(TAG), "raw markup in {}", path.display());
            }
            match ext.as_str() {
                "ics" => {
                    // A newline in a text value must not start a new property.
                    prop_assert!(!out.lines().any(|l| l.starts_with("ZZNEW")), "{out}");
                    let unfolded = out.replace("\r\n ", "");
                    prop_assert!(unfolded.contains("ZZNEW:x\\;y\\,z"), "{out}");
                }
                "csv" => {
                    let mut reader = csv::Reader::from_reader(out.as_bytes());
                    for row in reader.records() {
                        let row = row.unwrap();
                        prop_assert_eq!(row.len(), 4);
                    }
                }
                "xml" if out.contains("ZZLINE") => {
                    // The text held a literal "&amp;": escaped once more, it reads "&amp;amp;".
                    prop_assert!(out.contains("&amp;amp;ZZLINE"), "{}", path.display());
                }
                _ => {}
            }
        }
    }
}
