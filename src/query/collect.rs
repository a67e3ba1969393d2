//! Running the parts of a query on one segment: which articles each part
//! matched, and how each matching document scored.
//!
//! A passage finds its article by arithmetic (see [`crate::index::schema`]):
//! `doc − article_offset(doc)`. So a leaf's matches become a [`DocBits`] of
//! article documents in one pass, with no lookup per match.

use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocId, Score, SegmentReader};

use super::bits::DocBits;
use crate::index::schema::ARTICLE_OFFSET;

/// A matching document, the article document it belongs to, and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The matching document.
    pub doc: DocId,
    /// Its article's document (the same as `doc` for an article document).
    pub article: DocId,
    /// Its score for the leaf (summed over leaves once merged).
    pub score: Score,
}

/// What one leaf matched in one segment.
#[derive(Debug, Clone)]
pub struct LeafHits {
    /// The articles with a matching document.
    pub articles: DocBits,
    /// Matching passage documents and their scores, by document id (empty
    /// for a leaf that is not scored).
    pub passages: Vec<Scored>,
    /// Matching article documents (a title, a facet field) and their
    /// scores, by document id (empty for a leaf that is not scored).
    pub heads: Vec<Scored>,
}

/// One segment, ready to run weights on.
pub struct SegmentView<'a> {
    reader: &'a SegmentReader,
    offsets: Column<u64>,
}

impl<'a> SegmentView<'a> {
    /// Opens the columns a search needs.
    pub fn new(reader: &'a SegmentReader) -> tantivy::Result<SegmentView<'a>> {
        Ok(SegmentView {
            reader,
            offsets: reader.fast_fields().u64(ARTICLE_OFFSET)?,
        })
    }

    /// The article document a document belongs to.
    pub fn article_of(&self, doc: DocId) -> Option<DocId> {
        let back = u32::try_from(self.offsets.first(doc)?).ok()?;
        doc.checked_sub(back)
    }

    fn is_alive(&self, doc: DocId) -> bool {
        self.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))
    }

    /// Runs one leaf: the articles it matched and, when `scored`, the scores
    /// of the documents that matched.
    pub fn leaf(&self, weight: &dyn Weight, scored: bool) -> tantivy::Result<LeafHits> {
        let mut hits = LeafHits {
            articles: DocBits::new(self.reader.max_doc()),
            passages: Vec::new(),
            heads: Vec::new(),
        };
        if scored {
            weight.for_each(self.reader, &mut |doc, score| {
                if !self.is_alive(doc) {
                    return;
                }
                let Some(article) = self.article_of(doc) else {
                    return;
                };
                hits.articles.insert(article);
                let s = Scored { doc, article, score };
                if article == doc {
                    hits.heads.push(s);
                } else {
                    hits.passages.push(s);
                }
            })?;
        } else {
            weight.for_each_no_score(self.reader, &mut |docs| {
                for &doc in docs {
                    if self.is_alive(doc)
                        && let Some(article) = self.article_of(doc)
                    {
                        hits.articles.insert(article);
                    }
                }
            })?;
        }
        Ok(hits)
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
}

/// Two lists ordered by document, as one, with the scores of a document
/// found in both added up.
pub fn merge_scored(a: Vec<Scored>, b: Vec<Scored>) -> Vec<Scored> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.doc == y.doc => {
                let score = x.score + y.score;
                b.next();
                a.next().map(|x| Scored { score, ..x })
            }
            (Some(x), Some(y)) if x.doc < y.doc => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(doc: DocId, score: Score) -> Scored {
        Scored {
            doc,
            article: 0,
            score,
        }
    }

    #[test]
    fn merging_adds_the_scores_of_shared_documents() {
        let a = vec![s(1, 1.0), s(3, 1.0), s(7, 2.0)];
        let b = vec![s(3, 0.5), s(4, 1.0), s(7, 1.0), s(9, 1.0)];
        let got: Vec<(DocId, Score)> = merge_scored(a, b).iter().map(|x| (x.doc, x.score)).collect();
        assert_eq!(got, vec![(1, 1.0), (3, 1.5), (4, 1.0), (7, 3.0), (9, 1.0)]);
        assert_eq!(merge_scored(Vec::new(), vec![s(2, 1.0)]), vec![s(2, 1.0)]);
    }
}
