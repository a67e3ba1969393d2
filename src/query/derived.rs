//! What searches derive from a searcher's segments, once per reload.
//!
//! Segments never change, and deletes arrive only with a reload, so what a
//! search can compute from the searcher alone is computed by the first
//! search on it and shared by the rest:
//!
//! - each segment's live article documents. They are the universe of `NOT`
//!   and of listings, and they are how a matching passage finds its article
//!   without reading a column: the nearest article document at or before it
//!   (see [`crate::index::schema`]);
//! - the facet columns' global ordinals ([`super::ordinals`]), once a
//!   count has needed them;
//! - the near-duplicate clusters ([`super::clusters`]), once a search has
//!   collapsed results.

use std::sync::{Arc, OnceLock};

use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentOrdinal, Term};

use super::bits::DocBits;
use super::clusters::Clusters;
use super::ordinals::FacetTables;
use crate::error::Result;
use crate::index::NewsIndex;
use crate::index::schema::KIND_ARTICLE;

/// Data derived from one searcher.
#[derive(Debug)]
pub struct Derived {
    /// The searcher generation it was derived from.
    generation: u64,
    /// Live article documents, by segment ordinal.
    pub articles: Vec<DocBits>,
    /// How many there are.
    pub article_count: usize,
    /// Each segment's directory for [`DocBits::rank`] over `articles`.
    directories: Vec<Vec<u32>>,
    /// Each segment's articles' dates (seconds since 1970, [`NO_DATE`]
    /// when undated), by rank, once a search has sorted by date.
    dates: OnceLock<Vec<Vec<i64>>>,
    /// The facet columns' global ordinals, once a count has needed them.
    facet_tables: OnceLock<Arc<FacetTables>>,
    /// The near-duplicate clusters, once a search has needed them.
    clusters: OnceLock<Clusters>,
}

/// The date of an undated article in [`Derived`]'s table of dates.
const NO_DATE: i64 = i64::MIN;

impl Derived {
    /// Reads every article's date once, for sorting by date.
    pub fn load_dates(&self, searcher: &Searcher) {
        self.dates.get_or_init(|| {
            searcher
                .segment_readers()
                .iter()
                .zip(&self.articles)
                .map(|(reader, docs)| {
                    let col = reader.fast_fields().date("date").ok();
                    docs.iter()
                        .map(|doc| {
                            col.as_ref()
                                .and_then(|c| c.first(doc))
                                .map_or(NO_DATE, |d| d.into_timestamp_secs())
                        })
                        .collect()
                })
                .collect()
        });
    }

    /// The articles of a segment dated from `from` to before `until`
    /// (seconds since 1970); [`Derived::load_dates`] must have run.
    pub fn articles_between(&self, segment: SegmentOrdinal, from: i64, until: i64) -> DocBits {
        let s = segment as usize;
        let mut out = DocBits::new(self.articles.get(s).map_or(0, DocBits::capacity));
        if let (Some(docs), Some(dates)) = (self.articles.get(s), self.dates.get().and_then(|d| d.get(s))) {
            for (doc, &date) in docs.iter().zip(dates) {
                if date != NO_DATE && from <= date && date < until {
                    out.insert(doc);
                }
            }
        }
        out
    }

    /// The live article documents of every segment, by segment.
    pub fn article_docs(&self) -> Vec<(SegmentOrdinal, Vec<DocId>)> {
        self.articles
            .iter()
            .enumerate()
            .map(|(ord, bits)| (ord as SegmentOrdinal, bits.iter().collect()))
            .collect()
    }

    /// The rank of an article document among its segment's live articles.
    fn rank(&self, segment: SegmentOrdinal, doc: DocId) -> Option<usize> {
        let s = segment as usize;
        self.articles.get(s)?.rank(self.directories.get(s)?, doc)
    }

    /// Where articles given by segment stand in per-article tables such as
    /// [`FacetTables`]: (segment, rank among its live articles).
    pub fn positions(&self, segments: &[(SegmentOrdinal, Vec<DocId>)]) -> Vec<(u32, u32)> {
        segments
            .iter()
            .flat_map(|(segment, docs)| {
                docs.iter()
                    .filter_map(|&doc| Some((*segment, self.rank(*segment, doc)? as u32)))
            })
            .collect()
    }

    /// The date of an article document (seconds since 1970), if
    /// [`Derived::load_dates`] has read them; `Some(None)` when undated.
    pub fn date(&self, segment: SegmentOrdinal, doc: DocId) -> Option<Option<i64>> {
        let rank = self.rank(segment, doc)?;
        let date = *self.dates.get()?.get(segment as usize)?.get(rank)?;
        Some((date != NO_DATE).then_some(date))
    }

    /// The near-duplicate clusters, read now if no search has yet.
    /// `searcher` must be the searcher these data were derived from.
    pub fn clusters(&self, searcher: &Searcher) -> &Clusters {
        self.clusters
            .get_or_init(|| Clusters::build(searcher, &self.articles))
    }

    /// The facet tables, if a count has built them.
    pub fn built_facet_tables(&self) -> Option<Arc<FacetTables>> {
        self.facet_tables.get().cloned()
    }

    /// The facet tables of `columns`, built now if no count has yet.
    /// `searcher` must be the searcher these data were derived from.
    pub fn facet_tables(&self, searcher: &Searcher, columns: &[&str]) -> tantivy::Result<Arc<FacetTables>> {
        if let Some(t) = self.facet_tables.get() {
            return Ok(t.clone());
        }
        let built = Arc::new(FacetTables::build(searcher, &self.articles, columns)?);
        // Two searches may build at once; both results are the same.
        Ok(self.facet_tables.get_or_init(|| built).clone())
    }
}

/// The derived data of `searcher`, computed now or by an earlier search on
/// the same generation.
pub fn derived(index: &NewsIndex, searcher: &Searcher) -> Result<Arc<Derived>> {
    let generation = searcher.generation().generation_id();
    let slot = index.derived_slot();
    // A poisoned lock only means another search panicked: the data is whole.
    let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = guard.as_ref().filter(|d| d.generation == generation) {
        return Ok(d.clone());
    }
    let kind = TermQuery::new(
        Term::from_field_text(index.fields().kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    let weight = kind
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(|e| index.err(e))?;
    let articles = searcher
        .segment_readers()
        .iter()
        .map(|reader| {
            let alive = reader.alive_bitset();
            let mut bits = DocBits::new(reader.max_doc());
            weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        bits.insert(doc);
                    }
                }
            })?;
            Ok(bits)
        })
        .collect::<tantivy::Result<Vec<_>>>()
        .map_err(|e| index.err(e))?;
    let d = Arc::new(Derived {
        generation,
        article_count: articles.iter().map(DocBits::len).sum(),
        directories: articles.iter().map(DocBits::rank_directory).collect(),
        articles,
        dates: OnceLock::new(),
        facet_tables: OnceLock::new(),
        clusters: OnceLock::new(),
    });
    // A search still on an older searcher keeps its data to itself rather
    // than displace a newer generation's (generations only grow).
    if guard
        .as_ref()
        .is_none_or(|current| current.generation < generation)
    {
        *guard = Some(d.clone());
    }
    Ok(d)
}
