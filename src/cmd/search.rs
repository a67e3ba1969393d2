//! `newsdex search QUERY`: ranked passages grouped by article.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::{NewsIndex, SearchRequest, Sort, output, search};

use super::{Status, filters, style};
use crate::cli::{Format, SearchArgs, SortArg};

/// Runs the search and prints the page of results.
pub fn run(args: &SearchArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        filters: filters(&args.filters)?,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        limit: args.limit,
        offset: args.offset,
        passages: args.passages,
        facets: args.facets,
        facet_limit: args.facet_limit,
    };
    let results = search(&index, &request)?;
    match args.format {
        Format::Text => output::search_text(out, &request.query, &results, style(args.color))?,
        Format::Json => output::search_json(out, &request.query, &results)?,
        Format::Jsonl => output::search_jsonl(out, &results)?,
    }
    Ok(if results.total > 0 {
        Status::Found
    } else {
        Status::NotFound
    })
}
