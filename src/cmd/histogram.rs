//! `newsdex histogram [QUERY]`: matching articles per day, week, month or year.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::query::Bucket;
use newsdex::{NewsIndex, SearchRequest, output, search};

use super::{Status, bars, filters};
use crate::cli::{BucketArg, HistogramArgs, ListFormat};

/// Counts the matching articles per bucket and prints them.
pub fn run(args: &HistogramArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Counts an open index's matches over time (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &HistogramArgs, out: &mut dyn Write) -> Result<Status> {
    let request = SearchRequest {
        days: true,
        ..SearchRequest::counting(args.query.join(" "), filters(&args.filters, index)?)
    };
    let results = search(index, &request)?;
    let days = results.days.unwrap_or_default();
    let by = match args.by {
        BucketArg::Day => Bucket::Day,
        BucketArg::Week => Bucket::Week,
        BucketArg::Month => Bucket::Month,
        BucketArg::Year => Bucket::Year,
    };
    let bars = bars(&days, by, &request.filters)?;
    match args.format {
        ListFormat::Text => {
            if bars.is_empty() && days.undated == 0 {
                writeln!(out, "No articles match.")?;
            }
            output::histogram_text(out, &bars, days.undated, args.width)?;
        }
        ListFormat::Json => {
            let json = output::HistogramJson {
                by,
                total: results.total,
                undated: days.undated,
                buckets: &bars,
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        ListFormat::Jsonl => {
            for b in &bars {
                writeln!(out, "{}", serde_json::to_string(b)?)?;
            }
        }
        ListFormat::Csv => output::histogram_csv(out, &bars)?,
    }
    Ok(if results.total > 0 {
        Status::Found
    } else {
        Status::NotFound
    })
}
