#![no_main]
//! The tsv reader, then enrichment and passages.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::run("read_tsv", data));
