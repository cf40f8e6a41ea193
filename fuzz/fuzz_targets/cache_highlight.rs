//! A restored `.hearth-cache/highlight.bin` is untrusted: any bytes parsed and
//! every entry unpacked (length claims, LZ4, CRC, UTF-8).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("hearth-fuzz-highlight-{}.bin", std::process::id()));
    hearth::markdown::highlight_cache::fuzz_read(&path, data);
});
