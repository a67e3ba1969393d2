//! Export: newsdex as the ingestion pipeline of a distributed engine.
//!
//! [`export`] runs the same readers and enrichment as an indexing run
//! (dates, sources, entities, near-duplicate clusters, passages) and
//! writes, streaming, NDJSON files for Quickwit (`quickwit index ingest`)
//! or OpenSearch (`_bulk`), split every [`ExportOptions::shard_size`]
//! documents, beside the index definition the engine needs first
//! ([`quickwit::index_config`], [`opensearch::index_body`]). Each document
//! is an article or one of its passages ([`Document`]); its fields are
//! listed once, in [`fields::FIELDS`], and both definitions are written
//! from that list.

pub mod document;
pub mod fields;
pub mod opensearch;
pub mod quickwit;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use document::Document;

use crate::article::Article;
use crate::corpus::{self, FieldMap, Problem, Severity, Sink};
use crate::enrich::Enricher;
use crate::enrich::duplicates::Window;
use crate::error::{Error, Result};
use crate::ingest::{BATCH, enrich_batch};
use crate::passage::{self, Passage};

/// The engine an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Quickwit: documents one per line, and a YAML index config.
    Quickwit,
    /// OpenSearch (or Elasticsearch): `_bulk` action and document lines,
    /// and the index's settings and mappings as JSON.
    OpenSearch,
}

/// What one exported document stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A whole article.
    Article,
    /// One passage, with its article's title, date and facets.
    Passage,
}

/// How to run an export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The engine.
    pub target: Target,
    /// Articles or passages.
    pub level: Level,
    /// The index name in the definition and the commands.
    pub name: String,
    /// Documents per NDJSON file (at least 1).
    pub shard_size: usize,
    /// How articles are enriched.
    pub enricher: Enricher,
    /// Field names the corpus uses beyond the usual ones.
    pub fields: std::sync::Arc<FieldMap>,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Files read.
    pub files: usize,
    /// Articles exported.
    pub articles: usize,
    /// Documents written (articles, or passages).
    pub documents: usize,
    /// Articles placed in another's near-duplicate cluster.
    pub duplicates: usize,
    /// Files or records skipped, with the reason reported.
    pub skipped: usize,
    /// Paths given that do not exist (reported, and counted in `skipped`).
    pub missing_paths: usize,
    /// The files written: the definition first, then the shards.
    pub written: Vec<PathBuf>,
}

/// Why an index name is refused: what both engines accept, in short.
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    let ok = name.len() >= 3
        && name.len() <= 100
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "index name {name:?}: use 3 to 100 lower-case letters, digits, '-' and '_', starting with a letter (what both Quickwit and OpenSearch accept)"
        ))
    }
}

/// The shards' file name stem for a target.
fn shard_stem(target: Target) -> &'static str {
    match target {
        Target::Quickwit => "documents",
        Target::OpenSearch => "bulk",
    }
}

/// Exports the articles under `paths` into `out`, reporting problems to
/// `on_problem`. Shards of an earlier export into `out` are removed first,
/// so that the folder holds this export alone.
pub fn export(
    paths: &[PathBuf],
    out: &Path,
    options: &ExportOptions,
    on_problem: &mut dyn FnMut(&Problem),
) -> Result<ExportSummary> {
    check_name(&options.name).map_err(Error::BadOption)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| Error::Io { path, cause }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let stem = shard_stem(options.target);
    for entry in std::fs::read_dir(out).map_err(io(out))?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&format!("{stem}-")) && name.ends_with(".ndjson") {
            std::fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
        }
    }
    let mut summary = ExportSummary::default();
    let passages = options.level == Level::Passage;
    let definition = match options.target {
        Target::Quickwit => vec![(
            out.join("index-config.yaml"),
            quickwit::index_config(&options.name, passages),
        )],
        Target::OpenSearch => {
            let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
            vec![
                (out.join("index.json"), pretty(opensearch::index_body(passages))),
                (
                    out.join("index-template.json"),
                    pretty(opensearch::index_template(&options.name, passages)),
                ),
            ]
        }
    };
    for (path, text) in definition {
        std::fs::write(&path, text).map_err(io(&path))?;
        summary.written.push(path);
    }

    let (files, problems) = corpus::walk(paths);
    for p in &problems {
        summary.skipped += 1;
        if paths.contains(&p.path) && !p.path.exists() {
            summary.missing_paths += 1;
        }
        on_problem(p);
    }
    summary.files = files.len();
    let mut sink = ExportSink {
        options,
        shards: Shards {
            out: out.to_path_buf(),
            stem,
            size: options.shard_size.max(1),
            in_current: 0,
            current: None,
            written: Vec::new(),
        },
        window: Window::default(),
        batch: Vec::with_capacity(BATCH),
        summary: &mut summary,
        on_problem,
        error: None,
    };
    for found in &files {
        corpus::read_file(found, &options.fields, &mut sink);
        sink.flush();
        if let Some(e) = sink.error.take() {
            return Err(e);
        }
    }
    let written = sink.shards.finish()?;
    summary.written.extend(written);
    Ok(summary)
}

/// Where read articles go: enriched by the batch, then written.
struct ExportSink<'a> {
    options: &'a ExportOptions,
    shards: Shards,
    /// Recent articles, for near-duplicate clusters (as when indexing).
    window: Window,
    batch: Vec<Article>,
    summary: &'a mut ExportSummary,
    on_problem: &'a mut dyn FnMut(&Problem),
    error: Option<Error>,
}

impl ExportSink<'_> {
    fn flush(&mut self) {
        if self.batch.is_empty() || self.error.is_some() {
            self.batch.clear();
            return;
        }
        enrich_batch(&mut self.batch, &self.options.enricher, &mut self.window);
        for article in self.batch.drain(..) {
            self.summary.articles += 1;
            self.summary.duplicates += usize::from(article.duplicate_of.is_some());
            let mut doc = Document::article(&article);
            let written = match self.options.level {
                Level::Article => self.shards.write(self.options.target, &doc).map(|()| 1),
                Level::Passage => {
                    // Each passage copies the rest of the article's document:
                    // not its body.
                    let body = std::mem::take(&mut doc.body);
                    let mut passages = passage::split(&body);
                    if passages.is_empty() {
                        // A title alone is still found, as in the index.
                        passages.push(Passage { start: 0, end: 0 });
                    }
                    passages.iter().enumerate().try_fold(0, |n, (i, p)| {
                        let text = body.get(p.start..p.end).unwrap_or_default();
                        self.shards
                            .write(self.options.target, &Document::passage(&doc, i, text))
                            .map(|()| n + 1)
                    })
                }
            };
            match written {
                Ok(n) => self.summary.documents += n,
                Err(e) => {
                    self.error = Some(e);
                    break;
                }
            }
        }
        self.batch.clear();
    }
}

impl Sink for ExportSink<'_> {
    fn article(&mut self, article: Article) {
        self.batch.push(article);
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    fn problem(&mut self, problem: Problem) {
        if problem.severity == Severity::Skipped {
            self.summary.skipped += 1;
        }
        (self.on_problem)(&problem);
    }
}

/// NDJSON files of at most `size` documents each: `STEM-00000.ndjson`, ...
struct Shards {
    out: PathBuf,
    stem: &'static str,
    size: usize,
    in_current: usize,
    current: Option<(PathBuf, BufWriter<File>)>,
    written: Vec<PathBuf>,
}

impl Shards {
    fn write(&mut self, target: Target, doc: &Document) -> Result<()> {
        if self.current.is_none() || self.in_current == self.size {
            self.close()?;
            let path = self
                .out
                .join(format!("{}-{:05}.ndjson", self.stem, self.written.len()));
            let file = File::create(&path).map_err(|cause| Error::Io {
                path: path.clone(),
                cause,
            })?;
            self.current = Some((path, BufWriter::new(file)));
            self.in_current = 0;
        }
        let Some((path, w)) = self.current.as_mut() else {
            return Ok(());
        };
        let mut line = Vec::with_capacity(doc.body.len() + 512);
        if target == Target::OpenSearch {
            serde_json::to_writer(&mut line, &opensearch::bulk_action(&doc.id)).map_err(json_error(path))?;
            line.push(b'\n');
        }
        serde_json::to_writer(&mut line, doc).map_err(json_error(path))?;
        line.push(b'\n');
        w.write_all(&line).map_err(|cause| Error::Io {
            path: path.clone(),
            cause,
        })?;
        self.in_current += 1;
        Ok(())
    }

    /// Flushes the open shard, if any, and counts it written.
    fn close(&mut self) -> Result<()> {
        if let Some((path, mut w)) = self.current.take() {
            w.flush().map_err(|cause| Error::Io {
                path: path.clone(),
                cause,
            })?;
            self.written.push(path);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<PathBuf>> {
        self.close()?;
        Ok(self.written)
    }
}

fn json_error(path: &Path) -> impl FnOnce(serde_json::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        cause: std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::fields::{FIELDS, Kind};
    use super::*;

    /// Every field of a document with everything set, by name.
    fn document_keys() -> BTreeSet<String> {
        let doc = Document {
            id: "a#0".into(),
            article_id: Some("a".into()),
            passage: Some(0),
            title: Some("t".into()),
            body: "b".into(),
            date: Some("2023-05-25T00:00:00Z".into()),
            source: Some("CNN".into()),
            person: vec!["p".into()],
            org: vec!["o".into()],
            place: vec!["l".into()],
            topic: vec!["x".into()],
            authors: vec!["w".into()],
            url: Some("https://example.com/a".into()),
            language: Some("en".into()),
            cluster: "a".into(),
            duplicate_of: Some("z".into()),
            file: "a.txt".into(),
        };
        match serde_json::to_value(doc) {
            Ok(Value::Object(map)) => map.keys().cloned().collect(),
            _ => BTreeSet::new(),
        }
    }

    /// The fields the documents of a level have: all, or all but the
    /// passage-only ones.
    fn level_keys(passages: bool) -> BTreeSet<String> {
        document_keys()
            .into_iter()
            .filter(|k| passages || !["article_id", "passage"].contains(&k.as_str()))
            .collect()
    }

    #[test]
    fn the_field_list_is_the_documents_fields() {
        let listed: BTreeSet<String> = FIELDS.iter().map(|f| f.name.to_string()).collect();
        assert_eq!(listed, document_keys());
    }

    /// Checks a Quickwit index config against the rules of Quickwit's
    /// documentation (configuration/index-config): required keys, field
    /// types, options per type, the timestamp field, default search fields.
    fn check_quickwit(yaml: &str, passages: bool) {
        let config: Value = serde_saphyr::from_str(yaml).expect("YAML");
        // Unquoted, as in Quickwit's own examples (`version: 0.8`).
        assert_eq!(config["version"].as_f64(), Some(0.8));
        assert_eq!(config["index_id"], "news-archive");
        let mapping = &config["doc_mapping"];
        assert!(["strict", "lenient", "dynamic"].contains(&mapping["mode"].as_str().unwrap()));
        let fields = mapping["field_mappings"].as_array().expect("field_mappings");
        let mut names = BTreeSet::new();
        for f in fields {
            let name = f["name"].as_str().expect("every field has a name");
            assert!(names.insert(name.to_string()), "{name} twice");
            let ty = f["type"].as_str().expect("every field has a type");
            let inner = ty
                .strip_prefix("array<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(ty);
            assert!(
                [
                    "text", "i64", "u64", "f64", "bool", "datetime", "ip", "bytes", "json"
                ]
                .contains(&inner),
                "{name}: type {ty}"
            );
            let allowed: &[&str] = match inner {
                "text" => &[
                    "name",
                    "type",
                    "tokenizer",
                    "record",
                    "fieldnorms",
                    "fast",
                    "indexed",
                    "stored",
                    "description",
                ],
                "datetime" => &[
                    "name",
                    "type",
                    "input_formats",
                    "output_format",
                    "fast_precision",
                    "fast",
                    "indexed",
                    "stored",
                ],
                _ => &[
                    "name",
                    "type",
                    "fast",
                    "indexed",
                    "stored",
                    "coerce",
                    "output_format",
                ],
            };
            for key in f.as_object().expect("a mapping").keys() {
                assert!(
                    allowed.contains(&key.as_str()),
                    "{name}: {key} is not an option of {ty}"
                );
            }
            if let Some(t) = f.get("tokenizer") {
                let known = [
                    "raw",
                    "default",
                    "en_stem",
                    "whitespace",
                    "chinese_compatible",
                    "lowercase",
                ];
                assert!(known.contains(&t.as_str().unwrap()), "{name}: tokenizer {t}");
            }
            if let Some(r) = f.get("record") {
                assert!(
                    ["basic", "freq", "position"].contains(&r.as_str().unwrap()),
                    "{name}: {r}"
                );
            }
            if let Some(fast) = f.get("fast").filter(|v| v.is_object()) {
                assert!(
                    ["raw", "lowercase"].contains(&fast["normalizer"].as_str().unwrap()),
                    "{name}"
                );
            }
            if inner == "datetime" {
                for format in f["input_formats"].as_array().expect("input formats") {
                    assert!(
                        ["rfc3339", "rfc2822", "iso8601", "unix_timestamp"]
                            .contains(&format.as_str().unwrap())
                    );
                }
            }
        }
        // The timestamp field is a fast datetime; the default search
        // fields are indexed text.
        let ts = mapping["timestamp_field"].as_str().expect("timestamp_field");
        let field = |n: &str| fields.iter().find(|f| f["name"] == n).expect(n);
        assert_eq!(
            (field(ts)["type"].as_str(), field(ts)["fast"].as_bool()),
            (Some("datetime"), Some(true))
        );
        for n in config["search_settings"]["default_search_fields"]
            .as_array()
            .expect("search fields")
        {
            let f = field(n.as_str().unwrap());
            assert!(
                f["type"].as_str().unwrap().contains("text") && f.get("indexed").is_none(),
                "{n}"
            );
        }
        assert_eq!(names, level_keys(passages));
    }

    #[test]
    fn quickwit_configs_follow_the_documented_format() {
        for passages in [false, true] {
            check_quickwit(&quickwit::index_config("news-archive", passages), passages);
        }
    }

    /// Checks an OpenSearch index body against OpenSearch's documented
    /// mapping parameters: field types, built-in analyzers, normalizers
    /// defined in the settings, strict dynamic mapping.
    fn check_opensearch(body: &Value, passages: bool) {
        let mappings = &body["mappings"];
        assert_eq!(mappings["dynamic"], "strict");
        let properties = mappings["properties"].as_object().expect("properties");
        let normalizers = body["settings"]["analysis"]["normalizer"]
            .as_object()
            .expect("normalizers");
        for (name, m) in properties {
            let ty = m["type"].as_str().expect("type");
            assert!(
                ["text", "keyword", "date", "integer", "long", "boolean"].contains(&ty),
                "{name}: {ty}"
            );
            if let Some(a) = m.get("analyzer") {
                assert!(["standard", "english", "simple", "whitespace"].contains(&a.as_str().unwrap()));
                assert_eq!(ty, "text", "{name}: an analyzer is for text");
            }
            for sub in m
                .get("fields")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|f| f.values())
            {
                assert_eq!(sub["type"], "keyword", "{name}");
                let n = sub["normalizer"].as_str().expect("a normalizer");
                assert!(normalizers.contains_key(n), "{name}: normalizer {n} is defined");
            }
            if ty == "date" {
                assert_eq!(m["format"], "strict_date_optional_time");
            }
        }
        let names: BTreeSet<String> = properties.keys().cloned().collect();
        assert_eq!(names, level_keys(passages));
    }

    #[test]
    fn opensearch_mappings_follow_the_documented_format() {
        for passages in [false, true] {
            check_opensearch(&opensearch::index_body(passages), passages);
            let template = opensearch::index_template("news-archive", passages);
            assert_eq!(template["index_patterns"][0], "news-archive*");
            check_opensearch(&template["template"], passages);
        }
        assert_eq!(
            opensearch::bulk_action("a#1"),
            serde_json::json!({"index": {"_id": "a#1"}})
        );
    }

    #[test]
    fn every_kind_maps_to_something_in_both_engines() {
        // A kind without a mapping would be a silent gap in one engine.
        for f in FIELDS {
            let yaml = quickwit::index_config("news-archive", true);
            assert!(yaml.contains(&format!("- name: {}\n", f.name)), "{}", f.name);
            assert!(
                opensearch::index_body(true)["mappings"]["properties"]
                    .get(f.name)
                    .is_some()
            );
            if f.kind == Kind::Facet {
                assert!(
                    opensearch::index_body(true)["mappings"]["properties"][f.name]["fields"]["keyword"]
                        .is_object()
                );
            }
        }
    }

    #[test]
    fn index_names_both_engines_accept() {
        assert!(check_name("newsdex").is_ok());
        assert!(check_name("news_2023-archive").is_ok());
        for bad in ["News", "ab", "1news", "news archive", "news/x", "-news", ""] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
