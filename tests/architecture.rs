//! The invariants ARCHITECTURE.md states, checked over the source text.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(under: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(under);
    if root.is_file() {
        return vec![root];
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// Lines outside `#[cfg(test)]` modules (tests may do anything).
fn code_lines(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::to_string)
        .collect()
}

fn assert_absent(under: &str, needles: &[&str]) {
    for path in rust_files(under) {
        for (n, line) in code_lines(&path).iter().enumerate() {
            for needle in needles {
                assert!(
                    !line.contains(needle),
                    "{}:{}: `{needle}` breaks an ARCHITECTURE.md invariant:\n{line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn reading_and_enrichment_know_nothing_of_tantivy() {
    for module in [
        "src/corpus",
        "src/enrich",
        "src/article.rs",
        "src/passage.rs",
        "src/sentence.rs",
    ] {
        assert_absent(module, &["tantivy"]);
    }
}

#[test]
fn the_library_never_prints_or_reads_the_environment() {
    for module in [
        "src/article.rs",
        "src/corpus",
        "src/enrich",
        "src/index",
        "src/ingest.rs",
        "src/lib.rs",
        "src/ner",
        "src/output",
        "src/passage.rs",
        "src/query",
        "src/sentence.rs",
    ] {
        assert_absent(module, &["println!", "eprintln!", "std::env::", "env::var"]);
    }
}

#[test]
fn only_the_schema_defines_fields() {
    for path in rust_files("src") {
        if path.ends_with("index/schema.rs") {
            continue;
        }
        for line in code_lines(&path) {
            assert!(
                !line.contains("Schema::builder"),
                "{}: builds a schema",
                path.display()
            );
        }
    }
}
