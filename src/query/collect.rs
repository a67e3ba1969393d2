//! A tantivy collector that records, for every matching document, the
//! article it belongs to, its address and its score.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One matching document: its article's key, its address, its score.
pub type Match = (u64, DocAddress, Score);

/// Hashes article keys, which are hashes already (and packed document
/// addresses): one multiplication spreads them over the table.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of article keys.
pub type KeySet = std::collections::HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>;

/// A map from article keys (or packed document addresses).
pub type KeyMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Collects every match with its article key.
pub struct ArticleMatches {
    /// Whether scores are needed (false for negated leaves and listings).
    pub scored: bool,
}

impl Collector for ArticleMatches {
    type Fruit = Vec<Match>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            keys: reader.fast_fields().u64("article_key")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

/// [`ArticleMatches`] for one segment.
pub struct SegmentMatches {
    segment: SegmentOrdinal,
    keys: Column<u64>,
    out: Vec<Match>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(key) = self.keys.first(doc) {
            self.out.push((key, DocAddress::new(self.segment, doc), score));
        }
    }

    fn harvest(self) -> Vec<Match> {
        self.out
    }
}
