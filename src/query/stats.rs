//! What an index holds: counts, date span, top sources, size.

use super::FacetCount;
use super::derived::derived;
use super::facets::count_facets;
use crate::error::Result;
use crate::index::NewsIndex;
use crate::index::document::tantivy_to_day;
use serde::Serialize;

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
    /// Near-duplicate clusters: groups of articles that name one first
    /// article (which may since have been removed).
    pub clusters: usize,
    /// Articles in them.
    pub clustered_articles: usize,
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
    let derived = derived(index, &searcher)?;
    let articles = derived.article_docs();
    let article_count = derived.article_count;
    let passages = (searcher.num_docs() as usize).saturating_sub(article_count);
    let mut days = Vec::new();
    for (segment, docs) in &articles {
        let reader = searcher.segment_reader(*segment);
        if let Ok(col) = reader.fast_fields().date("date") {
            days.extend(docs.iter().filter_map(|&d| col.first(d).and_then(tantivy_to_day)));
        }
    }
    let all = count_facets(&searcher, fields, &derived, &articles, usize::MAX).map_err(err)?;
    let distinct_sources = all.source.len();
    let mut sources = all.source;
    sources.truncate(top_sources);
    let clusters = derived.clusters(&searcher);
    Ok(Stats {
        clusters: clusters.count,
        clustered_articles: clusters.members,
        articles: article_count,
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
