//! Running the parts of a query on one segment: which articles each part
//! matched, and how each matching document scored.
//!
//! A passage's article is the nearest live article document at or before it
//! (see [`crate::index::schema`]), so a leaf's matches become a [`DocBits`]
//! of article documents in one pass, with no lookup per match. Scores of all
//! leaves add up in one flat table per segment, read back in document order.

use tantivy::query::Weight;
use tantivy::{DocId, Score, SegmentReader};
use tantivy::{DocSet, TERMINATED};

use super::bits::DocBits;

/// A matching document, the article document it belongs to, and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The matching document.
    pub doc: DocId,
    /// Its article's document (the same as `doc` for an article document).
    pub article: DocId,
    /// Its score, summed over the query's scored leaves.
    pub score: Score,
}

/// The scores of one segment's documents, summed over the scored leaves.
pub struct SegmentScores {
    sums: Vec<Score>,
    scored: DocBits,
}

thread_local! {
    /// A zeroed table kept by each thread between searches: zeroing a
    /// segment's worth of scores for every query costs more than resetting
    /// the few it wrote.
    static SUMS: std::cell::RefCell<Vec<Score>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl SegmentScores {
    /// No scores yet, for a segment of `max_doc` documents.
    pub fn new(max_doc: u32) -> SegmentScores {
        let mut sums = SUMS.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if sums.len() < max_doc as usize {
            sums.resize(max_doc as usize, 0.0);
        }
        SegmentScores {
            sums,
            scored: DocBits::new(max_doc),
        }
    }

    fn add(&mut self, doc: DocId, score: Score) {
        if let Some(s) = self.sums.get_mut(doc as usize) {
            *s += score;
            self.scored.insert(doc);
        }
    }
}

impl Drop for SegmentScores {
    fn drop(&mut self) {
        for doc in self.scored.iter() {
            if let Some(s) = self.sums.get_mut(doc as usize) {
                *s = 0.0;
            }
        }
        let sums = std::mem::take(&mut self.sums);
        SUMS.with(|s| {
            let mut kept = s.borrow_mut();
            if kept.len() < sums.len() {
                *kept = sums;
            }
        });
    }
}

/// One segment, ready to run weights on.
pub struct SegmentView<'a> {
    reader: &'a SegmentReader,
    /// The segment's live article documents.
    articles: &'a DocBits,
}

impl<'a> SegmentView<'a> {
    /// A view of `reader`, whose live article documents are `articles`.
    pub fn new(reader: &'a SegmentReader, articles: &'a DocBits) -> SegmentView<'a> {
        SegmentView { reader, articles }
    }

    /// The live article documents.
    pub fn articles(&self) -> &'a DocBits {
        self.articles
    }

    fn is_alive(&self, doc: DocId) -> bool {
        self.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))
    }

    /// Runs one leaf, a weight per field: the articles any of them matched.
    /// With `scores`, the scores of the matching documents are added to them.
    pub fn leaf(
        &self,
        weights: &[Box<dyn Weight>],
        mut scores: Option<&mut SegmentScores>,
    ) -> tantivy::Result<DocBits> {
        let mut articles = DocBits::new(self.reader.max_doc());
        for weight in weights {
            self.run(weight.as_ref(), &mut articles, scores.as_deref_mut())?;
        }
        Ok(articles)
    }

    fn run(
        &self,
        weight: &dyn Weight,
        articles: &mut DocBits,
        scores: Option<&mut SegmentScores>,
    ) -> tantivy::Result<()> {
        // A deleted passage's article is deleted too: the nearest live
        // article before it is another's, so deleted documents stop here.
        match scores {
            Some(scores) => weight.for_each(self.reader, &mut |doc, score| {
                if self.is_alive(doc)
                    && let Some(article) = self.articles.at_or_before(doc)
                {
                    articles.insert(article);
                    scores.add(doc, score);
                }
            }),
            None => weight.for_each_no_score(self.reader, &mut |docs| {
                for &doc in docs {
                    if self.is_alive(doc)
                        && let Some(article) = self.articles.at_or_before(doc)
                    {
                        articles.insert(article);
                    }
                }
            }),
        }
    }

    /// Adds the scores of the documents `weights` match, but only within the
    /// articles of `matched`: the postings between them are skipped, not
    /// read. For a query whose articles are already known to be few.
    pub fn score_within(
        &self,
        weights: &[Box<dyn Weight>],
        matched: &DocBits,
        scores: &mut SegmentScores,
    ) -> tantivy::Result<()> {
        let max_doc = self.reader.max_doc();
        for weight in weights {
            let mut scorer = weight.scorer(self.reader, 1.0)?;
            let mut doc = scorer.doc();
            for article in matched.iter() {
                if doc == TERMINATED {
                    break;
                }
                // An article's documents run from its own to the next article's.
                let end = self.articles.after(article).unwrap_or(max_doc);
                if doc < article {
                    doc = scorer.seek(article);
                }
                while doc < end {
                    if self.is_alive(doc) {
                        scores.add(doc, scorer.score());
                    }
                    doc = scorer.advance();
                }
            }
        }
        Ok(())
    }

    /// The live documents a weight matches, unscored.
    pub fn docs(&self, weight: &dyn Weight) -> tantivy::Result<DocBits> {
        let mut bits = DocBits::new(self.reader.max_doc());
        weight.for_each_no_score(self.reader, &mut |docs| {
            for &doc in docs {
                if self.is_alive(doc) {
                    bits.insert(doc);
                }
            }
        })?;
        Ok(bits)
    }

    /// The scored documents of the articles in `matched`, in document order:
    /// passages, and article documents (a title, a name) apart.
    pub fn scored(&self, scores: &SegmentScores, matched: &DocBits) -> (Vec<Scored>, Vec<Scored>) {
        let (mut passages, mut heads) = (Vec::new(), Vec::new());
        let max_doc = self.reader.max_doc();
        let score = |doc: DocId| scores.sums.get(doc as usize).copied().unwrap_or(0.0);
        // An article's documents run from its own to the next article's.
        for article in matched.iter() {
            if scores.scored.contains(article) {
                heads.push(Scored {
                    doc: article,
                    article,
                    score: score(article),
                });
            }
            let end = self.articles.after(article).unwrap_or(max_doc);
            for doc in article + 1..end {
                if scores.scored.contains(doc) {
                    passages.push(Scored {
                        doc,
                        article,
                        score: score(doc),
                    });
                }
            }
        }
        (passages, heads)
    }
}
