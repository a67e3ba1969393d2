//! Near-duplicate clusters as search sees them.
//!
//! Indexing names each article's cluster by its head's `article_key` in the
//! `cluster` column, on members only (see [`crate::enrich::duplicates`]): a
//! head is the article whose key some member names. This table numbers the
//! clusters of a searcher and gives every clustered article document its
//! cluster's number, so that collapsing results is one array read per
//! match. An index without near-duplicates gets an empty table and pays
//! nothing.

use std::collections::HashMap;

use tantivy::{DocId, Searcher, SegmentOrdinal};

use super::bits::DocBits;

/// The clusters of one searcher's articles.
#[derive(Debug, Default)]
pub struct Clusters {
    /// Per segment, per document id: its cluster's number plus one, or 0
    /// for a document in none. Empty when there are no clusters.
    by_doc: Vec<Vec<u32>>,
    /// How many clusters there are.
    pub count: usize,
    /// How many articles are in one.
    pub members: usize,
}

impl Clusters {
    /// Reads the clusters of the live articles `articles` (by segment).
    pub fn build(searcher: &Searcher, articles: &[DocBits]) -> Clusters {
        let readers = searcher.segment_readers();
        let column =
            |name: &str| -> Vec<_> { readers.iter().map(|r| r.fast_fields().u64(name).ok()).collect() };
        let heads_of = column("cluster");
        // Number the heads members name, in reading order.
        let mut numbers: HashMap<u64, u32> = HashMap::new();
        for (docs, col) in articles.iter().zip(&heads_of) {
            let Some(col) = col else { continue };
            for doc in docs.iter() {
                if let Some(head) = col.first(doc) {
                    let next = numbers.len() as u32;
                    numbers.entry(head).or_insert(next);
                }
            }
        }
        if numbers.is_empty() {
            return Clusters::default();
        }
        let keys = column("article_key");
        let mut members = 0;
        let by_doc = readers
            .iter()
            .zip(articles)
            .zip(heads_of.iter().zip(&keys))
            .map(|((reader, docs), (heads, keys))| {
                let mut table = vec![0u32; reader.max_doc() as usize];
                for doc in docs.iter() {
                    // A member names its head; a head is named.
                    let key = heads
                        .as_ref()
                        .and_then(|c| c.first(doc))
                        .or_else(|| keys.as_ref().and_then(|c| c.first(doc)));
                    if let Some(&n) = key.and_then(|k| numbers.get(&k)) {
                        table[doc as usize] = n + 1;
                        members += 1;
                    }
                }
                table
            })
            .collect();
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
    pub fn of(&self, segment: SegmentOrdinal, doc: DocId) -> Option<u32> {
        let n = *self.by_doc.get(segment as usize)?.get(doc as usize)?;
        n.checked_sub(1)
    }

    /// The article documents of one segment in `cluster`.
    pub fn members(&self, segment: SegmentOrdinal, cluster: u32, max_doc: DocId) -> DocBits {
        let mut out = DocBits::new(max_doc);
        if let Some(table) = self.by_doc.get(segment as usize) {
            for (doc, &n) in table.iter().enumerate() {
                if n == cluster + 1 {
                    out.insert(doc as DocId);
                }
            }
        }
        out
    }
}
