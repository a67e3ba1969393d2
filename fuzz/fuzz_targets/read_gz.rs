#![no_main]
//! The gz reader (gzip, then whatever it holds), then enrichment and passages.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::run("read_gz", data));
