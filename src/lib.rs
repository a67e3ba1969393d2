//! newsdex: a search engine for news archives.
//!
//! An article flows from a file to a ranked passage in this order, one
//! module per stage:
//!
//! 1. [`corpus`] walks files and reads each format into [`Article`]s;
//! 2. [`enrich`] fills in what the file did not say (dates are parsed there,
//!    the source is inferred from attributions in the text, and [`ner`]
//!    finds people, organisations and places);
//! 3. [`passage`] splits each body into passages ([`sentence`] finds
//!    sentence bounds for long paragraphs);
//! 4. [`index`] writes articles and passages into a tantivy index;
//! 5. [`query`] parses a query, runs it over passages, and ranks articles by
//!    their best passage, with filters and facets;
//! 6. [`output`] renders results as text or JSON.
//!
//! ```
//! use newsdex::{Article, NewsIndex, Provenance, SearchRequest, enrich, search};
//!
//! let index = NewsIndex::in_ram()?;
//! let mut article = Article::new("seed", "A drone hit the Kremlin, as per CNN.", Provenance::file("seed.txt"));
//! enrich(&mut article);
//! let mut indexer = index.indexer()?;
//! indexer.upsert(&article)?;
//! indexer.commit()?;
//!
//! let results = search(&index, &SearchRequest::new("drone kremlin"))?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].article.source.as_ref().unwrap().name, "CNN");
//! # Ok::<(), newsdex::Error>(())
//! ```
#![warn(missing_docs)]

pub mod article;
pub mod corpus;
pub mod enrich;
pub mod error;
pub mod eval;
pub mod export;
#[doc(hidden)]
pub mod fuzz;
pub mod index;
pub mod ingest;
pub mod ner;
pub mod output;
pub mod passage;
mod prefetch;
pub mod query;
pub mod sentence;
pub mod words;

pub use article::{Article, Entities, EntityKind, Provenance, PubDate, Source, SourceOrigin};
pub use enrich::enrich;
pub use error::{Error, Result};
pub use index::NewsIndex;
pub use query::{Filters, Hit, SearchRequest, SearchResults, Sort, search};
