#![no_main]
//! The sniff reader (no extension: the format is sniffed), then enrichment and passages.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::run("read_sniff", data));
