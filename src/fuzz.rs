//! Entry points for the fuzz targets in `fuzz/` and for the regression tests
//! that replay what they found (`tests/fuzz_regressions.rs`).
//!
//! Each entry point runs arbitrary bytes through as much of the pipeline as
//! a real run would: a reader, then enrichment and passage splitting for
//! every article it yields; or a query against a small index. Any outcome is
//! fine except a panic, a hang or unbounded memory.

use std::io::{BufReader, Read};
use std::sync::OnceLock;

use crate::corpus::{self, Outcome, SourceFile};
use crate::query::filter::period_bounds;
use crate::query::{Filters, SearchRequest, Sort};
use crate::{NewsIndex, enrich, passage};

/// Every fuzz target: its name (a file in `fuzz/fuzz_targets/` and a folder
/// of kept inputs in `tests/data/fuzz/`) and the extension its reader is
/// chosen by (`""`: sniffed; `query`: the query target).
pub const TARGETS: &[(&str, &str)] = &[
    ("read_json", "json"),
    ("read_jsonl", "jsonl"),
    ("read_markdown", "md"),
    ("read_sgml", "sgm"),
    ("read_feed", "xml"),
    ("read_html", "html"),
    ("read_warc", "warc"),
    ("read_csv", "csv"),
    ("read_tsv", "tsv"),
    ("read_text", "txt"),
    ("read_gz", "gz"),
    ("read_sniff", ""),
    ("query", "query"),
];

/// Runs the target called `name` (one of [`TARGETS`]) on `bytes`.
pub fn run(name: &str, bytes: &[u8]) {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, "query")) => search(bytes),
        Some((_, extension)) => read_as(extension, bytes),
        None => panic!("no fuzz target {name}"),
    }
}

/// Reads `bytes` as a file named `fuzz.{extension}` (`json`, `warc`, `gz`,
/// ...; an empty extension has the format sniffed), then enriches and splits
/// every article read.
pub fn read_as(extension: &str, bytes: &[u8]) {
    let name = if extension.is_empty() {
        "fuzz".to_string()
    } else {
        format!("fuzz.{extension}")
    };
    let source = SourceFile::new(name);
    let mut out = Outcome::default();
    if extension == "gz" || extension.ends_with(".gz") {
        let mut input = BufReader::new(flate2::read::MultiGzDecoder::new(bytes));
        out.format = corpus::read_stream(&mut input, &source, &mut out);
    } else {
        corpus::read_bytes(bytes, &source, &mut out);
    }
    for mut article in out.articles {
        enrich(&mut article);
        for p in passage::split(&article.body) {
            let _ = p.text(&article.body);
        }
    }
}

/// Runs a query against a small index of two articles. The first line of
/// `bytes` is the query; the lines after it, when present, are a `--from`
/// and a `--to` period, a source, a person and a sort order.
pub fn search(bytes: &[u8]) {
    let mut text = String::new();
    if bytes.take(1 << 16).read_to_string(&mut text).is_err() {
        return;
    }
    let mut lines = text.split('\n');
    let mut req = SearchRequest::new(lines.next().unwrap_or(""));
    let mut filters = Filters::default();
    if let Some(from) = lines.next() {
        filters.from = period_bounds(from).ok().map(|(first, _)| first);
    }
    if let Some(to) = lines.next() {
        filters.to = period_bounds(to).ok().map(|(_, last)| last);
    }
    filters.sources.extend(lines.next().map(str::to_string));
    filters.persons.extend(lines.next().map(str::to_string));
    req.sort = match lines.next() {
        Some("newest") => Sort::Newest,
        Some("oldest") => Sort::Oldest,
        _ => Sort::Relevance,
    };
    req.filters = filters;
    req.facets = true;
    let _ = crate::search(small_index(), &req);
}

fn small_index() -> &'static NewsIndex {
    static INDEX: OnceLock<NewsIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let build = || -> crate::Result<NewsIndex> {
            let index = NewsIndex::in_ram()?;
            let files = [
                ("seed.txt", include_str!("../corpus/000_690a3a72e68bdb61.txt")),
                (
                    "second.txt",
                    "date 1987-03-02\nOil prices rose in Houston, as per Reuters. \
                     Texaco Inc said John Smith will lead it.",
                ),
            ];
            // Two commits, the second replacing an article: two segments,
            // one holding deleted documents between live ones.
            for files in [&files[..], &files[1..]] {
                let mut indexer = index.indexer()?;
                for (name, text) in files {
                    let mut out = Outcome::default();
                    corpus::read_bytes(text.as_bytes(), &SourceFile::new(*name), &mut out);
                    for mut article in out.articles {
                        enrich(&mut article);
                        indexer.upsert(&article)?;
                    }
                }
                indexer.commit()?;
            }
            Ok(index)
        };
        build().expect("an in-memory index of two articles")
    })
}
