//! `newsdex search QUERY`: ranked passages grouped by article.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::query::{Bar, Bucket};
use newsdex::{NewsIndex, SearchRequest, output, search};

use super::{Status, bars_between, filters, sort, span, style};
use crate::cli::{ListFormat, SearchArgs};
use newsdex::Filters;
use newsdex::query::DayCounts;

/// Runs the search and prints the page of results.
pub fn run(args: &SearchArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    if args.timeline && matches!(args.format, ListFormat::Jsonl | ListFormat::Csv) {
        anyhow::bail!(
            "--timeline is shown in text and JSON output, not in JSON Lines or CSV: use newsdex histogram"
        );
    }
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Searches an open index (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &SearchArgs, out: &mut dyn Write) -> Result<Status> {
    let mut request = SearchRequest {
        query: args.query.join(" "),
        filters: filters(&args.filters, index)?,
        sort: sort(args.page.sort),
        limit: args.page.limit,
        offset: args.page.offset,
        passages: args.passages,
        facets: args.facets,
        facet_limit: args.facet_limit,
        days: args.timeline,
        collapse: !args.page.no_collapse,
        explain: args.explain,
        proximity: !args.no_proximity,
    };
    request.filters.cluster = args.similar.clone();
    let results = search(index, &request)?;
    // The timeline picks a bucket that keeps it short.
    let timeline: Option<(Bucket, Vec<Bar>)> = match &results.days {
        Some(days) => match timeline_span(days, &request.filters) {
            Some((first, last)) => {
                let by = Bucket::fitting(first, last);
                Some((by, bars_between(days, by, first, last)?))
            }
            None => None,
        },
        None => None,
    };
    match args.format {
        ListFormat::Text => {
            output::search_text(out, &request.query, &results, style(args.color))?;
            if let Some((by, bars)) = &timeline {
                writeln!(out)?;
                output::timeline_text(out, *by, bars)?;
            }
        }
        ListFormat::Json => output::search_json(
            out,
            &request.query,
            &results,
            timeline.as_ref().map(|(by, bars)| (*by, bars.as_slice())),
        )?,
        ListFormat::Jsonl => output::search_jsonl(out, &results)?,
        ListFormat::Csv => output::search_csv(out, &results)?,
    }
    Ok(if results.total > 0 {
        Status::Found
    } else {
        Status::NotFound
    })
}

/// The dates a timeline spans: the filters' ([`span`]), unless they reach
/// more than a century past the matches (`--from 0001`), which would make
/// a line of thousands of empty years: then the matches' within them.
fn timeline_span(days: &DayCounts, filters: &Filters) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    use chrono::Datelike;
    let (first, last) = span(days, filters)?;
    let Some((matches_first, matches_last)) = days.span() else {
        return Some((first, last));
    };
    let first = if matches_first.year() - first.year() > 100 {
        matches_first
    } else {
        first
    };
    let last = if last.year() - matches_last.year() > 100 {
        matches_last
    } else {
        last
    };
    Some((first, last))
}
