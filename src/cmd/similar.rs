//! `newsdex similar ID`: articles like one article.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::query::similar;
use newsdex::{Error, NewsIndex, SearchRequest, output};

use super::{Status, filters, sort, style};
use crate::cli::{ListFormat, SimilarArgs};

/// Finds and prints the articles most like the given one.
pub fn run(args: &SimilarArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Finds articles like one in an open index (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &SimilarArgs, out: &mut dyn Write) -> Result<Status> {
    let request = SearchRequest {
        filters: filters(&args.filters, index)?,
        sort: sort(args.page.sort),
        limit: args.page.limit,
        offset: args.page.offset,
        passages: args.passages,
        collapse: !args.page.no_collapse,
        ..SearchRequest::default()
    };
    let found = similar(index, &args.id, &request)?.ok_or_else(|| Error::UnknownId(args.id.clone()))?;
    match args.format {
        ListFormat::Text => output::similar_text(out, &args.id, &found, style(args.color))?,
        ListFormat::Json => output::similar_json(out, &args.id, &found)?,
        ListFormat::Jsonl => output::search_jsonl(out, &found.results)?,
        ListFormat::Csv => output::search_csv(out, &found.results)?,
    }
    Ok(if found.results.total > 0 {
        Status::Found
    } else {
        Status::NotFound
    })
}
