//! site.yaml: configuration parsing, validation and its diagnostics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = hearth::diagnostics::SourceText {
        path: "site.yaml".into(),
        text: std::sync::Arc::from(text.as_ref()),
    };
    match hearth::config::Config::from_yaml(&source) {
        Ok(c) => {
            let _ = c.url("/a/");
        }
        Err(ds) => {
            for d in ds {
                let _ = d.render(false);
            }
        }
    }
});
