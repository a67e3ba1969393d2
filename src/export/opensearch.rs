//! OpenSearch's index definition: the body of `PUT /<index>` (settings and
//! mappings), and the same as a composable index template.
//!
//! Titles and bodies use the built-in `english` analyzer (stemming, as
//! newsdex's `en_stem`, plus stop words); facets are text for `person:peskov`
//! with a lowercased `keyword` sub-field for exact filters and terms
//! aggregations (grouping names as newsdex's facets do); the
//! date is a `date`. `dynamic: strict` refuses fields the export does not
//! write. The same works for Elasticsearch.

use serde_json::{Map, Value, json};

use super::fields::{Kind, fields};

/// The normalizer of facets' `keyword` sub-fields: lowercase, so that
/// terms aggregations group names as newsdex's facets do.
const NORMALIZER: &str = "newsdex_folded";

/// The body of `PUT /<index>` for article documents, or passage documents
/// with `passages`.
pub fn index_body(passages: bool) -> Value {
    let mut properties = Map::new();
    for f in fields(passages) {
        let mapping = match f.kind {
            Kind::Id => json!({"type": "keyword"}),
            Kind::Text => json!({"type": "text", "analyzer": "english"}),
            Kind::Date => json!({"type": "date", "format": "strict_date_optional_time"}),
            Kind::Facet => json!({
                "type": "text",
                "fields": {"keyword": {"type": "keyword", "normalizer": NORMALIZER, "ignore_above": 256}}
            }),
            Kind::Number => json!({"type": "integer"}),
            Kind::Stored => json!({"type": "keyword", "index": false}),
        };
        properties.insert(f.name.to_string(), mapping);
    }
    json!({
        "settings": {
            "index": {"number_of_shards": 1},
            "analysis": {"normalizer": {NORMALIZER: {"type": "custom", "filter": ["lowercase"]}}}
        },
        "mappings": {"dynamic": "strict", "properties": properties}
    })
}

/// A composable index template (`PUT _index_template/<name>`) applying
/// [`index_body`] to every index whose name starts with `name`.
pub fn index_template(name: &str, passages: bool) -> Value {
    json!({
        "index_patterns": [format!("{name}*")],
        "template": index_body(passages),
    })
}

/// The action line before each document in a `_bulk` request to
/// `POST /<index>/_bulk`: index (create or replace) it under its id.
pub fn bulk_action(id: &str) -> Value {
    json!({"index": {"_id": id}})
}
