//! Near-duplicate clusters as search sees them.
//!
//! Indexing names each article's cluster by its head's `article_key` in the
//! `cluster` column, on members only (see [`crate::enrich::duplicates`]): a
//! head is the article whose key some member names. This table numbers the
//! clusters of a searcher, gives every clustered article document its
//! cluster's number, and marks each cluster's *original*: its earliest
//! article (undated last, then the least key), which a collapsed search
//! shows for the cluster. Collapsing is then one array read per match. An
//! index without near-duplicates gets an empty table and pays nothing.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rayon::prelude::*;

use tantivy::columnar::{Column, ColumnIndex};
use tantivy::{DocId, Searcher, SegmentOrdinal};

use super::bits::DocBits;
use crate::ner::model::IdentityHasher;

/// A clustered article while the table is built: (doc, key, day).
type Clustered = (DocId, u64, Option<i64>);

/// The bit of [`Clusters`]' table that marks an original.
const ORIGINAL: u32 = 1 << 31;

/// Where an article stands in its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// The cluster's earliest article.
    Original(u32),
    /// Another article of the cluster.
    Copy(u32),
}

impl Member {
    /// The cluster's number.
    pub fn cluster(self) -> u32 {
        match self {
            Member::Original(n) | Member::Copy(n) => n,
        }
    }
}

/// The clusters of one searcher's articles.
#[derive(Debug, Default)]
pub struct Clusters {
    /// Per segment, per document id: its cluster's number plus one (with
    /// [`ORIGINAL`] set on the cluster's original), or 0 for a document in
    /// none. Empty when there are no clusters.
    by_doc: Vec<Vec<u32>>,
    /// How many clusters there are.
    pub count: usize,
    /// How many articles are in one.
    pub members: usize,
}

impl Clusters {
    /// Reads the clusters of the live articles `articles` (by segment).
    /// Columns are read in document order, not looked up document by
    /// document: in an archive of copies, every article is in a cluster.
    pub fn build(searcher: &Searcher, articles: &[DocBits]) -> Clusters {
        let readers = searcher.segment_readers();
        let alive = |segment: usize, doc: DocId| articles.get(segment).is_some_and(|a| a.contains(doc));
        // Members name their heads; number the heads in reading order.
        let mut numbers: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>> = HashMap::default();
        let named: Vec<Vec<(DocId, u64)>> = readers
            .iter()
            .enumerate()
            .map(|(segment, r)| match r.fast_fields().u64("cluster") {
                Ok(col) => each(&col).filter(|&(doc, _)| alive(segment, doc)).collect(),
                Err(_) => Vec::new(),
            })
            .collect();
        for &(_, head) in named.iter().flatten() {
            let next = numbers.len() as u32;
            numbers.entry(head).or_insert(next);
        }
        if numbers.is_empty() {
            return Clusters::default();
        }
        // Per segment, in parallel: the table, and each clustered
        // article's (doc, key, day) in document order.
        let segments: Vec<(Vec<u32>, Vec<Clustered>)> = readers
            .par_iter()
            .enumerate()
            .map(|(segment, reader)| {
                let docs = &articles[segment];
                let mut table = vec![0u32; reader.max_doc() as usize];
                for &(doc, head) in &named[segment] {
                    if let (Some(slot), Some(&n)) = (table.get_mut(doc as usize), numbers.get(&head)) {
                        *slot = n + 1;
                    }
                }
                let fast = reader.fast_fields();
                // Heads are named; every clustered article's key, in order.
                let mut clustered: Vec<Clustered> = Vec::new();
                if let Ok(keys) = fast.u64("article_key") {
                    for (doc, key) in each_article(&keys, reader, docs).filter(|&(doc, _)| docs.contains(doc))
                    {
                        let Some(slot) = table.get_mut(doc as usize) else {
                            continue;
                        };
                        if *slot == 0
                            && let Some(&n) = numbers.get(&key)
                        {
                            *slot = n + 1;
                        }
                        if *slot != 0 {
                            clustered.push((doc, key, None));
                        }
                    }
                }
                if let Ok(dates) = fast.date("date") {
                    let mut at = 0;
                    for (doc, day) in each_article(&dates, reader, docs) {
                        while clustered.get(at).is_some_and(|c| c.0 < doc) {
                            at += 1;
                        }
                        if let Some(c) = clustered.get_mut(at).filter(|c| c.0 == doc) {
                            c.2 = Some(day.into_timestamp_secs());
                        }
                    }
                }
                (table, clustered)
            })
            .collect();
        let mut members = 0;
        // Each cluster's earliest article: (undated, day, key, segment, doc).
        type Earliest = (bool, i64, u64, usize, DocId);
        let mut earliest: Vec<Option<Earliest>> = vec![None; numbers.len()];
        let mut by_doc: Vec<Vec<u32>> = Vec::with_capacity(readers.len());
        for (segment, (table, clustered)) in segments.into_iter().enumerate() {
            members += clustered.len();
            for (doc, key, day) in clustered {
                let n = table[doc as usize] - 1;
                let this = (day.is_none(), day.unwrap_or(0), key, segment, doc);
                let slot = &mut earliest[n as usize];
                if slot.is_none_or(|e| this < e) {
                    *slot = Some(this);
                }
            }
            by_doc.push(table);
        }
        for (_, _, _, segment, doc) in earliest.into_iter().flatten() {
            if let Some(n) = by_doc.get_mut(segment).and_then(|t| t.get_mut(doc as usize)) {
                *n |= ORIGINAL;
            }
        }
        Clusters {
            by_doc,
            count: numbers.len(),
            members,
        }
    }

    /// Whether no article is in a cluster.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The cluster of an article document, if it is in one.
    pub fn of(&self, segment: SegmentOrdinal, doc: DocId) -> Option<Member> {
        let n = *self.by_doc.get(segment as usize)?.get(doc as usize)?;
        let cluster = (n & !ORIGINAL).checked_sub(1)?;
        Some(if n & ORIGINAL != 0 {
            Member::Original(cluster)
        } else {
            Member::Copy(cluster)
        })
    }

    /// The article documents of one segment in `cluster`.
    pub fn members(&self, segment: SegmentOrdinal, cluster: u32, max_doc: DocId) -> DocBits {
        let mut out = DocBits::new(max_doc);
        if let Some(table) = self.by_doc.get(segment as usize) {
            for (doc, &n) in table.iter().enumerate() {
                if n & !ORIGINAL == cluster + 1 {
                    out.insert(doc as DocId);
                }
            }
        }
        out
    }
}

/// Every (document, value) of a column of article documents (a value on
/// each, or on some), in document order. When the segment has no deleted
/// documents and every live article has a value, the values are the
/// articles' in order, and need no lookup.
fn each_article<'a, T>(
    column: &'a Column<T>,
    reader: &tantivy::SegmentReader,
    articles: &'a DocBits,
) -> Box<dyn Iterator<Item = (DocId, T)> + 'a>
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    if reader.num_deleted_docs() == 0 && column.values.num_vals() as usize == articles.len() {
        Box::new(articles.iter().zip(column.values.iter()))
    } else {
        each(column)
    }
}

/// Every (document, value) of a column, in document order (the first value
/// of a document with several).
fn each<T>(column: &Column<T>) -> Box<dyn Iterator<Item = (DocId, T)> + '_>
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    match &column.index {
        ColumnIndex::Empty { .. } => Box::new(std::iter::empty()),
        ColumnIndex::Full => Box::new((0..).zip(column.values.iter())),
        ColumnIndex::Optional(index) => Box::new(index.iter_non_null_docs().zip(column.values.iter())),
        ColumnIndex::Multivalued(_) => {
            Box::new((0..column.num_docs()).filter_map(|doc| Some((doc, column.first(doc)?))))
        }
    }
}
