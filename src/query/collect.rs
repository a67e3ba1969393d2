//! A tantivy collector that records, for every matching document, the
//! article it belongs to, its address and its score.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One matching document: its article's key, its address, its score.
pub type Match = (u64, DocAddress, Score);

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
