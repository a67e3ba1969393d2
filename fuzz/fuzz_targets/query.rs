#![no_main]
//! The query parser and search, with filters, on a small index.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::run("query", data));
