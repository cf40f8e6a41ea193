//! Front matter splitting and parsing, and the diagnostics drawn for any error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = hearth::diagnostics::SourceText {
        path: "content/fuzz.md".into(),
        text: std::sync::Arc::from(text.as_ref()),
    };
    if let Ok(Some(split)) = hearth::load::front_matter::split(&source.text) {
        let doc = hearth::yaml::Document {
            source: &source,
            start: split.yaml.start,
            end: split.yaml.end,
        };
        if let Err(d) = doc.parse::<hearth::model::PageMeta>("page front matter") {
            let _ = d.render(false);
        }
    }
});
