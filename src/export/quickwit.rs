//! Quickwit's index config: YAML, version 0.8 of its format (read by
//! Quickwit 0.8 and 0.9).
//!
//! Quickwit is built on tantivy, so the choices carry over directly: titles
//! and bodies use tantivy's `en_stem` tokenizer with positions, as newsdex's
//! do; facets are tokenized for `person:peskov` and fast (whole values,
//! lowercased, so that counts group names as newsdex's facets do) for terms
//! aggregations; the date is the timestamp field, fast, for time pruning
//! and histograms.

use std::fmt::Write;

use super::fields::{DEFAULT_SEARCH, Kind, fields};

/// The index config for an index named `name` of article documents, or of
/// passage documents with `passages`.
pub fn index_config(name: &str, passages: bool) -> String {
    let mut y = String::new();
    let level = if passages { "passage" } else { "article" };
    // Writing to a String cannot fail.
    let _ = writeln!(y, "# Quickwit index config for newsdex's {level} documents.");
    let _ = writeln!(y, "#   quickwit index create --index-config index-config.yaml");
    let _ = writeln!(
        y,
        "#   quickwit index ingest --index {name} --input-path documents-00000.ndjson"
    );
    y.push_str("version: 0.8\n");
    let _ = writeln!(y, "index_id: {name}");
    y.push_str("doc_mapping:\n  mode: strict\n  field_mappings:\n");
    for f in fields(passages) {
        let _ = writeln!(y, "    - name: {}", f.name);
        let array = |t: &str| {
            if f.many {
                format!("array<{t}>")
            } else {
                t.to_string()
            }
        };
        let lines: Vec<String> = match f.kind {
            Kind::Id => vec![
                format!("type: {}", array("text")),
                "tokenizer: raw".into(),
                "fast: true".into(),
            ],
            Kind::Text => vec![
                format!("type: {}", array("text")),
                "tokenizer: en_stem".into(),
                "record: position".into(),
                "fieldnorms: true".into(),
            ],
            Kind::Date => vec![
                "type: datetime".into(),
                "input_formats: [rfc3339]".into(),
                "output_format: rfc3339".into(),
                "fast_precision: seconds".into(),
                "fast: true".into(),
            ],
            // Fast values lowercased: counts group "SHEARSON" with
            // "Shearson", as newsdex's facets do.
            Kind::Facet => vec![
                format!("type: {}", array("text")),
                "tokenizer: default".into(),
                "record: position".into(),
                "fast:\n        normalizer: lowercase".into(),
            ],
            Kind::Number => vec!["type: u64".into(), "fast: true".into()],
            Kind::Stored => vec![format!("type: {}", array("text")), "indexed: false".into()],
        };
        for line in lines {
            let _ = writeln!(y, "      {line}");
        }
    }
    y.push_str("  timestamp_field: date\n");
    y.push_str("search_settings:\n");
    let _ = writeln!(y, "  default_search_fields: [{}]", DEFAULT_SEARCH.join(", "));
    y.push_str("indexing_settings:\n  commit_timeout_secs: 30\n");
    y
}
