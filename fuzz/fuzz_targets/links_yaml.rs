//! A links file: YAML list parsing and the diagnostics for any error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = hearth::diagnostics::SourceText {
        path: "links/fuzz.yaml".into(),
        text: std::sync::Arc::from(text.as_ref()),
    };
    match hearth::yaml::Document::whole(&source).parse::<Vec<hearth::model::link::LinkMeta>>("a links file") {
        Ok(links) => {
            for l in links {
                if let Ok(u) = url::Url::parse(&l.url) {
                    let _ = hearth::model::link::normalize(&u);
                }
            }
        }
        Err(d) => {
            let _ = d.render(false);
        }
    }
});
