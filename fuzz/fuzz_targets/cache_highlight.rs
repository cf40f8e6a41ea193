//! A restored `.hearth-cache/highlight.bin` is untrusted: any bytes parsed and
//! every entry unpacked (length claims, LZ4, CRC, UTF-8).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hearth::markdown::highlight::fuzz_read(data);
});
