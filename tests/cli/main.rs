//! End-to-end tests: the real `newsdex` binary on real files.

mod util;

/// The reference article and the bundled corpus.
mod seed;

/// Every reader and field alias, on fixtures in tests/data/formats.
mod formats;

/// Date filters at the edges of days, months and years.
mod dates;

/// Listing, sorting, pagination and facet counts checked by hand.
mod listing;

/// kill -9 at chosen and arbitrary moments of an indexing run; searching
/// and a second indexer while a run holds the index.
mod crash;

/// Bad input, bad queries and bad indexes: clear messages, right exit codes.
mod errors;

/// Entities found in the text: the seed's, filters, facets, `ner tag`.
mod entities;

/// Reuters-21578 SGML: the bundled sample, and all of it from ../shared.
mod reuters;

/// Incremental indexing: new, changed, unchanged and removed files.
mod incremental;

/// Matches over time: histograms, the search timeline, relative dates, CSV.
mod histogram;

/// More like this: `newsdex similar ID`.
mod similar;

/// Near-duplicate clusters on real Reuters pairs: indexing and collapse.
mod duplicates;

/// `newsdex serve`: the JSON API against the CLI, errors, files, commits.
mod serve;

/// The web page in headless Chromium: search, facets, timeline, article.
mod browser;

/// Retrieval quality: `eval` and `convert` on a small collection and
/// Cranfield, whole-article indexes, `search --explain`.
mod eval;

/// Export for Quickwit and OpenSearch: definitions, shards, round trips.
mod export;
