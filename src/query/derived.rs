//! What searches derive from a searcher's segments, once per reload.
//!
//! Segments never change, and deletes arrive only with a reload, so what a
//! search can compute from the searcher alone is computed by the first
//! search on it and shared by the rest: each segment's live article
//! documents. They are the universe of `NOT` and of listings, and they are
//! how a matching passage finds its article without reading a column: the
//! nearest article document at or before it (see [`crate::index::schema`]).

use std::sync::Arc;

use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::bits::DocBits;
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
    let d = Arc::new(Derived { generation, articles });
    *guard = Some(d.clone());
    Ok(d)
}
