//! A restored `.hearth-cache/cards/seen.bin` (the stamps of cached cards) is untrusted:
//! any bytes read as the card cache opens them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("hearth-fuzz-cards-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    if std::fs::write(dir.join("seen.bin"), data).is_ok() {
        let _ = hearth::cards::CardCache::open(&dir);
    }
});
