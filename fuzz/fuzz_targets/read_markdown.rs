#![no_main]
//! The markdown reader, then enrichment and passages.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::run("read_markdown", data));
