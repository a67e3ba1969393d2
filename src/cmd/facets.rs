//! `newsdex facets --field F [QUERY]`: the top values of one facet.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::query::FacetCount;
use newsdex::{NewsIndex, SearchRequest, search};

use super::{Status, filters};
use crate::cli::{FacetField, FacetsArgs, ListFormat};

/// Counts one facet over the matching articles.
pub fn run(args: &FacetsArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Counts one facet in an open index (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &FacetsArgs, out: &mut dyn Write) -> Result<Status> {
    let request = SearchRequest {
        facets: true,
        facet_limit: args.limit,
        ..SearchRequest::counting(args.query.join(" "), filters(&args.filters, index)?)
    };
    let results = search(index, &request)?;
    let facets = results.facets.unwrap_or_default();
    let (name, mut counts): (&str, Vec<FacetCount>) = match args.field {
        FacetField::Person => ("person", facets.person),
        FacetField::Org => ("org", facets.org),
        FacetField::Place => ("place", facets.place),
        FacetField::Source => ("source", facets.source),
        FacetField::Topic => ("topic", facets.topic),
        FacetField::Month => ("month", facets.month),
    };
    counts.truncate(args.limit);
    match args.format {
        ListFormat::Text => {
            let width = counts
                .iter()
                .map(|c| c.count.to_string().len())
                .max()
                .unwrap_or(1);
            for c in &counts {
                writeln!(out, "{:>width$}  {}", c.count, newsdex::output::clean(&c.value))?;
            }
        }
        ListFormat::Json => {
            let v = serde_json::json!({"field": name, "total": results.total, "values": counts});
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        ListFormat::Jsonl => {
            for c in &counts {
                writeln!(out, "{}", serde_json::to_string(c)?)?;
            }
        }
        ListFormat::Csv => newsdex::output::facets_csv(out, name, &counts)?,
    }
    Ok(if counts.is_empty() {
        Status::NotFound
    } else {
        Status::Found
    })
}
