//! Comma-separated values with a header row, for spreadsheets: search
//! results (one row per article), facet counts and histograms.

use std::io::{self, Write};

use super::one_line;
use crate::query::{Bar, FacetCount, SearchResults};

fn writer(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(w)
}

fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// One row per article: rank, id, date, source, title, score, where it
/// came from, and its best passage (title and passage on one line).
pub fn search_csv(w: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    let mut out = writer(w);
    let header = [
        "rank", "id", "date", "source", "title", "score", "similar", "file", "passage",
    ];
    out.write_record(header).map_err(io_error)?;
    for hit in &results.hits {
        let a = &hit.article;
        let passage = hit
            .passages
            .first()
            .map(|p| super::clean(&p.text))
            .unwrap_or_default();
        out.write_record([
            hit.rank.to_string(),
            a.id.clone(),
            a.date.map(|d| d.day.to_string()).unwrap_or_default(),
            a.source.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
            a.title.as_deref().map(one_line).unwrap_or_default(),
            format!("{:.4}", hit.score),
            hit.similar.to_string(),
            a.provenance.to_string(),
            passage,
        ])
        .map_err(io_error)?;
    }
    out.flush()
}

/// One row per value of a facet: field, value, count.
pub fn facets_csv(w: &mut dyn Write, field: &str, counts: &[FacetCount]) -> io::Result<()> {
    let mut out = writer(w);
    out.write_record(["field", "value", "count"]).map_err(io_error)?;
    for c in counts {
        out.write_record([field, &c.value, &c.count.to_string()])
            .map_err(io_error)?;
    }
    out.flush()
}

/// One row per bucket: its label, first and last day, and count.
pub fn histogram_csv(w: &mut dyn Write, bars: &[Bar]) -> io::Result<()> {
    let mut out = writer(w);
    out.write_record(["bucket", "start", "end", "count"])
        .map_err(io_error)?;
    for b in bars {
        out.write_record([
            b.label.clone(),
            b.start.to_string(),
            b.end.to_string(),
            b.count.to_string(),
        ])
        .map_err(io_error)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_when_they_need_it() {
        let counts = [
            FacetCount {
                value: "Smith, John".into(),
                count: 3,
            },
            FacetCount {
                value: "the \"Fed\"".into(),
                count: 1,
            },
        ];
        let mut out = Vec::new();
        facets_csv(&mut out, "person", &counts).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "field,value,count\nperson,\"Smith, John\",3\nperson,\"the \"\"Fed\"\"\",1\n"
        );
    }
}
