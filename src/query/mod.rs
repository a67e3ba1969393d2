//! Querying: from a [`SearchRequest`] to ranked articles with their passages.
//!
//! The flow: [`syntax`] parses the query into an [`Expr`](syntax::Expr);
//! `compile` turns each term, phrase and prefix into tantivy queries, one per
//! field it searches (a *leaf*); `search` runs every leaf on every segment
//! and collects which articles each leaf matched, as bitsets, and how each
//! document scored. Boolean logic is then applied to **articles**, so
//! `drone Peskov` finds an article that names the drone in one paragraph and
//! Peskov in another, and `-sports` excludes articles, not passages. Filters
//! (dates, sources, names) apply to article documents. An article ranks by
//! its best passage (MaxP), where a passage's score is the sum of its BM25
//! scores for the query's positive terms, plus what its article document
//! scored (the title, `person:` and the like); its best passages are
//! returned with highlights.
//!
//! This module never prints: output formats live in [`crate::output`].

mod bits;
pub(crate) mod clusters;
mod collect;
mod compile;
pub(crate) mod derived;
pub mod facets;
pub mod filter;
mod highlight;
pub mod histogram;
mod ordinals;
mod search;
pub mod similar;
pub mod stats;
pub mod syntax;

use std::ops::Range;

use serde::Serialize;

pub use compile::{NEAR_SLOP, NEAR_WEIGHT};
pub use facets::{FacetCount, Facets};
pub use filter::Filters;
pub use histogram::{Bar, Bucket, DayCounts, histogram};
pub use search::{OTHER_PASSAGES, search};
pub use similar::{Similar, similar};
pub use stats::{Stats, stats};

use crate::article::Article;

/// The most articles one request may return.
pub const MAX_LIMIT: usize = 100_000;
/// The deepest a page may start.
pub const MAX_OFFSET: usize = 1_000_000;
/// The most passages shown per article.
pub const MAX_PASSAGES: usize = 100;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best passage score first; ties newest first.
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Newest,
    /// Oldest first; undated articles last.
    Oldest,
}

/// Everything a search needs to know.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in newsdex syntax; empty lists articles.
    pub query: String,
    /// Date, source and entity filters.
    pub filters: Filters,
    /// The order of results. An empty query ignores `Relevance` and lists newest first.
    pub sort: Sort,
    /// How many articles to return.
    pub limit: usize,
    /// How many articles to skip first.
    pub offset: usize,
    /// How many passages to return per article.
    pub passages: usize,
    /// Whether to count facets over all matching articles.
    pub facets: bool,
    /// How many values to return per facet.
    pub facet_limit: usize,
    /// Whether to count matching articles per day (for histograms and
    /// timelines).
    pub days: bool,
    /// Whether each near-duplicate cluster's matches show as one result,
    /// its earliest matching article (totals, facets and day counts still
    /// count them all).
    pub collapse: bool,
    /// Whether each hit says how its score was composed ([`Hit::explanation`]).
    pub explain: bool,
    /// Whether two words side by side in the query add to a passage's
    /// score where they stand near each other in it (see
    /// [`NEAR_WEIGHT`]); when ranking by relevance only.
    pub proximity: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            passages: 2,
            facets: false,
            facet_limit: 10,
            days: false,
            collapse: true,
            explain: false,
            proximity: true,
        }
    }
}

/// The date of the newest dated article in the index, if any.
pub fn newest_day(index: &crate::NewsIndex) -> crate::error::Result<Option<chrono::NaiveDate>> {
    let request = SearchRequest {
        sort: Sort::Newest,
        limit: 1,
        passages: 0,
        // The newest copy, not its cluster's earliest article.
        collapse: false,
        ..SearchRequest::default()
    };
    Ok(search(index, &request)?
        .hits
        .first()
        .and_then(|h| h.article.date)
        .map(|d| d.day))
}

impl SearchRequest {
    /// A request that only counts the matches of `query` (no page of hits,
    /// nothing folded), for facets and histograms.
    pub fn counting(query: impl Into<String>, filters: Filters) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            filters,
            limit: 0,
            passages: 0,
            collapse: false,
            ..SearchRequest::default()
        }
    }

    /// A request for `query` with the defaults.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// How many articles match in all (not only on this page).
    pub total: usize,
    /// How many of them are near-duplicates folded into another result:
    /// there are `total - collapsed` results to page through.
    pub collapsed: usize,
    /// The articles on this page, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching articles, when asked for.
    pub facets: Option<Facets>,
    /// Matching articles per day, when asked for.
    pub days: Option<DayCounts>,
}

/// One matching article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank over all results (offset included).
    pub rank: usize,
    /// The score of the best passage (0 when the query was empty).
    pub score: f32,
    /// The article as stored.
    pub article: Article,
    /// How many matching near-duplicates of it are folded into it.
    pub similar: usize,
    /// Its best passages, best first.
    pub passages: Vec<PassageHit>,
    /// How its score was composed, when asked for.
    pub explanation: Option<Explanation>,
}

/// How a hit's score was composed: its best passage's score plus its
/// article document's (the title and names), each the sum of its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The best passage's number and score, and what made it, if any
    /// passage matched.
    pub passage: Option<(usize, f32, Vec<ScorePart>)>,
    /// How many other passages matched, and what they add to the score
    /// (their scores' sum times [`OTHER_PASSAGES`]).
    pub others: (usize, f32),
    /// The article document's score, and what made it.
    pub article: (f32, Vec<ScorePart>),
}

/// One query word's (or phrase's) part of a document's score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePart {
    /// What matched: `field:word`, or the words of a phrase.
    pub what: String,
    /// Its BM25 score in this document.
    pub score: f32,
    /// tantivy's account of it (term frequency, field length, idf), as JSON.
    pub detail: String,
}

/// One passage of a matching article.
#[derive(Debug, Clone)]
pub struct PassageHit {
    /// The passage's number in its article, from 0.
    pub number: usize,
    /// Byte offset in the body where the passage starts.
    pub start: usize,
    /// Byte offset in the body where the passage ends.
    pub end: usize,
    /// The passage's text.
    pub text: String,
    /// The passage's score.
    pub score: f32,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<Range<usize>>,
}
