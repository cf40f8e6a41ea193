//! A restored `.hearth-cache/external.json` is untrusted: any bytes read as `check
//! --external` and `report` read them; garbage says nothing about broken links.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("hearth-fuzz-external-{}.json", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let cache = hearth::check::external::Cache::open(Some(path));
        if !cache.exists() {
            assert!(cache.broken().is_empty());
        }
    }
});
