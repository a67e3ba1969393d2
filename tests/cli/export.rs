use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::util::*;

/// Every line of every NDJSON file in `dir` whose name starts with `stem`,
/// in file order, with the files' names.
fn ndjson(dir: &Path, stem: &str) -> (Vec<String>, Vec<Value>) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(stem) && n.ends_with(".ndjson"))
        .collect();
    files.sort();
    let lines = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(dir.join(f)).expect("shard");
            assert!(text.ends_with('\n'), "{f} ends with a newline");
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
                .collect::<Vec<_>>()
        })
        .collect();
    (files, lines)
}

/// A field's values in a document: none, one, or a list.
fn values(doc: &Value, field: &str) -> Vec<String> {
    match &doc[field] {
        Value::Null => Vec::new(),
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().expect("a string").to_string())
            .collect(),
        v => vec![v.as_str().expect("a string").to_string()],
    }
}

/// What newsdex's facets group names by: lowercased, spaces folded.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The bundled corpus exported for Quickwit, article by article: every
/// article the index holds, with every facet value it counts.
#[test]
fn quickwit_articles_round_trip_every_article_and_facet() {
    let env = corpus_env();
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("qw");
    let d = dir.to_str().expect("utf-8");
    let run = env.ok(&["export", "--to", "quickwit", "--out", d, "--name", "news"]);
    assert_eq!(
        run.stdout.lines().next(),
        Some(
            format!("301 articles from 2 files, 4 near-duplicates, 0 skipped: 301 article documents in {d}")
                .as_str()
        )
    );
    assert!(run.stdout.contains(&format!(
        "quickwit index create --index-config {d}/index-config.yaml"
    )));
    assert!(run.stdout.contains(&format!(
        "quickwit index ingest --index news --input-path {d}/documents-00000.ndjson"
    )));
    let config = std::fs::read_to_string(dir.join("index-config.yaml")).expect("config");
    assert!(config.contains("index_id: news\n") && config.contains("timestamp_field: date\n"));
    let (files, docs) = ndjson(&dir, "documents-");
    assert_eq!(files, ["documents-00000.ndjson"]);

    // The same articles as the index...
    let exported: BTreeSet<String> = docs
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(exported.len(), 301);
    let listed = env.ids(&[
        "--sort",
        "newest",
        "--limit",
        "1000",
        "--no-collapse",
        "--passages",
        "0",
    ]);
    assert_eq!(exported, listed.into_iter().collect());
    // ...the seed article as newsdex sees it...
    let seed = docs
        .iter()
        .find(|d| d["id"] == "corpus/000_690a3a72e68bdb61.txt")
        .expect("the seed article");
    assert_eq!(seed["date"], "2023-05-25T00:00:00Z");
    assert_eq!(seed["source"], "CNN");
    assert!(
        values(seed, "person").contains(&"Dmitry Peskov".to_string()),
        "{seed}"
    );
    assert!(values(seed, "place").contains(&"Moscow".to_string()), "{seed}");
    assert_eq!(seed["cluster"], seed["id"]);
    // ...and every facet counted as newsdex counts it (names grouped by
    // their lowercased form, as the engines' lowercased fast fields do).
    for field in ["source", "person", "org", "place", "topic"] {
        let mut counted: BTreeMap<String, u64> = BTreeMap::new();
        for doc in &docs {
            let keys: BTreeSet<String> = values(doc, field).iter().map(|v| key(v)).collect();
            for k in keys {
                *counted.entry(k).or_default() += 1;
            }
        }
        let v = env
            .ok(&[
                "facets", "--field", field, "--limit", "100000", "--format", "json",
            ])
            .json();
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        for c in v["values"].as_array().expect("values") {
            *want.entry(key(c["value"].as_str().unwrap())).or_default() += c["count"].as_u64().unwrap();
        }
        assert!(!want.is_empty(), "{field}");
        assert_eq!(counted, want, "{field}");
    }
    // Near-duplicates point at their cluster's first article.
    let copies: Vec<&Value> = docs.iter().filter(|d| d.get("duplicate_of").is_some()).collect();
    assert_eq!(copies.len(), 4);
    for c in copies {
        assert_eq!(c["cluster"], c["duplicate_of"]);
        assert!(exported.contains(c["cluster"].as_str().unwrap()));
    }
}

/// Passages for OpenSearch's `_bulk`, in shards of 100: an action line
/// before each document, and every article's passages in order.
#[test]
fn opensearch_passages_in_shards_for_bulk() {
    let env = corpus_env();
    let out = tempfile::tempdir().expect("temp dir");
    let (articles_dir, dir) = (out.path().join("articles"), out.path().join("os"));
    let (a, d) = (articles_dir.to_str().unwrap(), dir.to_str().unwrap());
    env.ok(&["export", "--to", "opensearch", "--out", a]);
    let run = env.ok(&[
        "export",
        "--to",
        "opensearch",
        "--level",
        "passage",
        "--shard-size",
        "100",
        "--out",
        d,
    ]);
    assert!(run.stdout.contains("786 passage documents"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!(
        "curl -X POST http://localhost:9200/newsdex/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @{d}/bulk-00007.ndjson"
    )));
    let body: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(body["mappings"]["properties"]["passage"]["type"], "integer");
    let (files, lines) = ndjson(&dir, "bulk-");
    assert_eq!(files.len(), 8, "{files:?}");
    assert_eq!(lines.len(), 2 * 786);
    let stats = env.ok(&["stats", "--format", "json"]).json();
    assert_eq!(stats["passages"], 786);

    let (_, articles) = ndjson(&articles_dir, "bulk-");
    let bodies: BTreeMap<&str, &str> = articles
        .chunks(2)
        .map(|pair| (pair[1]["id"].as_str().unwrap(), pair[1]["body"].as_str().unwrap()))
        .collect();
    let mut next: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for pair in lines.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        assert_eq!(action["index"]["_id"], doc["id"]);
        let article = doc["article_id"].as_str().expect("article_id");
        let n = doc["passage"].as_u64().expect("passage");
        assert_eq!(doc["id"], format!("{article}#{n}"));
        // Numbered from 0, in order, each found in its article's body
        // after the one before it began.
        let (want, from) = next.get(article).copied().unwrap_or((0, 0));
        assert_eq!(n, want, "{doc}");
        let text = doc["body"].as_str().unwrap();
        let at = bodies[article][from..]
            .find(text)
            .expect("the passage is in its article")
            + from;
        next.insert(article.to_string(), (n + 1, at + 1));
    }
    assert_eq!(next.len(), 301);

    // Exporting again with larger shards leaves no stale shard behind.
    env.ok(&["export", "--to", "opensearch", "--level", "passage", "--out", d]);
    assert_eq!(ndjson(&dir, "bulk-").0, ["bulk-00000.ndjson"]);
}

/// A bad record is reported with its file and line, and the rest exported;
/// an article with a title alone is one passage, as in the index.
#[test]
fn bad_input_is_reported_and_skipped() {
    let env = Env::new();
    let work = tempfile::tempdir().expect("temp dir");
    let input = work.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("a.jsonl"),
        "{\"id\": \"ok\", \"title\": \"Fine\", \"body\": \"Fine text.\"}\n{not json\n\
         {\"id\": \"t\", \"title\": \"Only a title\"}\n",
    )
    .unwrap();
    let out = work.path().join("out");
    let run = env.ok(&[
        "export",
        "--to",
        "quickwit",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.stderr.contains("a.jsonl:2"), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("2 articles from 1 files, 0 near-duplicates, 1 skipped"),
        "{}",
        run.stdout
    );
    let (_, docs) = ndjson(&out, "documents-");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["title"], "Fine");
    let passages = env.ok(&[
        "export",
        "--to",
        "quickwit",
        "--level",
        "passage",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        passages.stdout.contains(": 2 passage documents"),
        "{}",
        passages.stdout
    );
    let (_, docs) = ndjson(&out, "documents-");
    assert_eq!(
        (docs[1]["id"].as_str(), docs[1]["title"].as_str()),
        (Some("t#0"), Some("Only a title"))
    );
    assert_eq!(docs[1]["body"], "");
    // A path that does not exist is an error (as for `index`), after the
    // export of the paths that do.
    let gone = work.path().join("gone");
    let missing = env.run(&[
        "export",
        "--to",
        "quickwit",
        input.to_str().unwrap(),
        gone.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(missing.status, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains(&format!("{}: ", gone.display())),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("1 of the paths given do not exist"),
        "{}",
        missing.stderr
    );
    // An index name neither engine accepts is refused before any work.
    let bad = env.run(&[
        "export",
        "--to",
        "quickwit",
        "--name",
        "My News",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("index name \"My News\""), "{}", bad.stderr);
}
