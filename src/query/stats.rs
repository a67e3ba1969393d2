//! What an index holds: counts, date span, top sources, size.

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::FacetCount;
use super::collect::ArticleMatches;
use super::facets::count_facets;
use crate::error::Result;
use crate::index::NewsIndex;
use crate::index::document::tantivy_to_day;
use crate::index::schema::{KIND_ARTICLE, KIND_PASSAGE};

/// A summary of an index.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Articles indexed.
    pub articles: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Articles with a date.
    pub dated_articles: usize,
    /// The earliest publication day, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// The latest publication day, `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// The most frequent sources with their article counts.
    pub sources: Vec<FacetCount>,
    /// How many distinct sources there are.
    pub distinct_sources: usize,
    /// The index folder's size on disk, in bytes.
    pub size_bytes: u64,
    /// The index folder.
    pub index: String,
}

/// Summarises an index, listing up to `top_sources` sources.
pub fn stats(index: &NewsIndex, top_sources: usize) -> Result<Stats> {
    let searcher = index.searcher();
    let fields = index.fields();
    let err = |e| index.err(e);
    let kind = |k: &str| TermQuery::new(Term::from_field_text(fields.kind, k), IndexRecordOption::Basic);
    let articles: Vec<DocAddress> = searcher
        .search(&kind(KIND_ARTICLE), &ArticleMatches { scored: false })
        .map_err(err)?
        .into_iter()
        .map(|(_, addr, _)| addr)
        .collect();
    let passages = searcher.search(&kind(KIND_PASSAGE), &Count).map_err(err)?;
    let mut days = Vec::new();
    for addr in &articles {
        let reader = searcher.segment_reader(addr.segment_ord);
        if let Ok(col) = reader.fast_fields().date("date")
            && let Some(day) = col.first(addr.doc_id).and_then(tantivy_to_day)
        {
            days.push(day);
        }
    }
    let all = count_facets(&searcher, fields, &articles, usize::MAX).map_err(err)?;
    let distinct_sources = all.source.len();
    let mut sources = all.source;
    sources.truncate(top_sources);
    Ok(Stats {
        articles: articles.len(),
        passages,
        dated_articles: days.len(),
        first_date: days.iter().min().map(|d| d.to_string()),
        last_date: days.iter().max().map(|d| d.to_string()),
        sources,
        distinct_sources,
        size_bytes: index.size_on_disk(),
        index: index.dir().display().to_string(),
    })
}
