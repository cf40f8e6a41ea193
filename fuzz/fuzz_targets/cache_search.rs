//! A restored `.hearth-cache/search/` is untrusted: `records.bin` and `index.bin`
//! with CRCs made right, so every length and name behind them is exercised.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("hearth-fuzz-search-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    hearth::search::cache::fuzz_read(&dir, data);
});
