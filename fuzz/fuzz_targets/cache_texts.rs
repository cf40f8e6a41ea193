//! A restored `.hearth-cache/texts.bin` is untrusted: any bytes read as a build
//! reads them (index from the end, every entry it lists, CRC, decoding).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("hearth-fuzz-texts-{}.bin", std::process::id()));
    hearth::markdown::text_cache::fuzz_read(&path, data);
});
