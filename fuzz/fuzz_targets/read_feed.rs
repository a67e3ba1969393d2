#![no_main]
//! The feed reader, then enrichment and passages.
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdex::fuzz::read_as("xml", data));
