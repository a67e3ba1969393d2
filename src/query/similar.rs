//! More like this: an article's most distinctive words and names, as a
//! query for other articles.
//!
//! A word is distinctive when the article uses it often and the archive
//! rarely (tf × idf, the idf from the index's passage text; words in more
//! than a tenth of the passages are never distinctive); the article's
//! people, organisations and places are added as name phrases. Any of them
//! may match (an OR), so BM25 ranks first the articles that share most of
//! them, and the rarest. The article itself is left out.

use std::collections::HashMap;

use tantivy::Term;
use tantivy::tokenizer::TokenStream;

use super::search::search_parsed;
use super::syntax::Expr;
use super::{SearchRequest, SearchResults};
use crate::NewsIndex;
use crate::article::EntityKind;
use crate::error::Result;

/// How many words make the query.
pub const WORDS: usize = 25;
/// How many of the article's names join them.
pub const NAMES: usize = 10;

/// What [`similar`] found, and what it searched for.
#[derive(Debug, Clone)]
pub struct Similar {
    /// The words searched for, most distinctive first.
    pub words: Vec<String>,
    /// The names searched for: person, org or place, and the name.
    pub names: Vec<(EntityKind, String)>,
    /// The other articles, best first.
    pub results: SearchResults,
    /// How the results name their query (`like ID`).
    pub results_query: String,
}

/// Articles like the one with this `id`, with the request's filters,
/// sorting and paging (its query is ignored); `None` when no article has
/// that id.
pub fn similar(index: &NewsIndex, id: &str, req: &SearchRequest) -> Result<Option<Similar>> {
    let Some(stored) = index.get(id)? else {
        return Ok(None);
    };
    let article = &stored.article;
    let text = match &article.title {
        Some(title) => format!("{title}\n\n{}", article.body),
        None => article.body.clone(),
    };
    let words = distinctive_words(index, &text)?;
    let names: Vec<(EntityKind, String)> = EntityKind::ALL
        .iter()
        .flat_map(|&kind| article.entities.of(kind).iter().map(move |n| (kind, n.clone())))
        .take(NAMES)
        .collect();
    let mut any: Vec<Expr> = words
        .iter()
        .map(|w| Expr::Term {
            field: None,
            text: w.clone(),
        })
        .collect();
    any.extend(names.iter().map(|(kind, name)| Expr::Phrase {
        field: Some(kind.name().to_string()),
        text: name.clone(),
        slop: 0,
    }));
    let mut request = req.clone();
    request.query = format!("like {id}");
    // The words are in order of weight, not of the text: neighbours in
    // the list are no phrase.
    request.proximity = false;
    request.filters.exclude.push(id.to_string());
    let results = if any.is_empty() {
        SearchResults {
            total: 0,
            collapsed: 0,
            hits: Vec::new(),
            facets: None,
            days: None,
        }
    } else {
        search_parsed(index, &request, Some(Expr::Or(any)))?
    };
    Ok(Some(Similar {
        words,
        names,
        results,
        results_query: request.query,
    }))
}

/// A word in more than one passage in this many says too little to be
/// searched for.
const COMMON: f64 = 10.0;

/// The text's [`WORDS`] most distinctive words, each in the form the text
/// uses most (so that the query analyses it back to the same stem).
fn distinctive_words(index: &NewsIndex, text: &str) -> Result<Vec<String>> {
    let fields = index.fields();
    let searcher = index.searcher();
    let mut analyzer = index
        .tantivy()
        .tokenizer_for_field(fields.text)
        .map_err(|e| index.err(e))?;
    // Stem -> (count, surface forms with their counts).
    let mut stems: HashMap<String, (usize, HashMap<String, usize>)> = HashMap::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let stem = &token.text;
        if stem.chars().count() < 3 || stem.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let surface = text
            .get(token.offset_from..token.offset_to)
            .unwrap_or(stem)
            .to_lowercase();
        let entry = stems.entry(stem.clone()).or_default();
        entry.0 += 1;
        *entry.1.entry(surface).or_default() += 1;
    }
    // The idf is over passages, the documents with text: counting article
    // documents too would raise every word's idf alike, and let the most
    // frequent words ("the", "with") through on their counts.
    let articles = super::derived::derived(index, &searcher)?.article_count;
    let documents = (searcher.num_docs() as usize).saturating_sub(articles).max(1) as f64;
    let mut scored: Vec<(f64, String)> = Vec::with_capacity(stems.len());
    for (stem, (count, surfaces)) in stems {
        let df = searcher
            .doc_freq(&Term::from_field_text(fields.text, &stem))
            .map_err(|e| index.err(e))?;
        // Only in this article: nothing else can share it. In more than a
        // tenth of all passages ("with", "they", "would"): it says little
        // of what the article is about.
        if df <= 1 || df as f64 * COMMON > documents {
            continue;
        }
        let idf = (documents / df as f64).ln();
        let surface = surfaces
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(s, _)| s)
            .unwrap_or(stem);
        scored.push((count as f64 * idf, surface));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(WORDS);
    Ok(scored.into_iter().map(|(_, w)| w).collect())
}
