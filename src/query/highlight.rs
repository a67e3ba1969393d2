//! Highlights: which words of a passage matched the query.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;

use tantivy::schema::{Field, FieldType};
use tantivy::tokenizer::TextAnalyzer;

/// Runs `f` with this thread's copy of the analyzer of `index`'s `field`,
/// kept from search to search by tokenizer name.
///
/// An analyzer's stem memo ([`crate::index::tokenizer`]) fills as it
/// works; a fresh copy per search stemmed every word of every page again,
/// and allocated its memo anew, which was a fifth of a one-word query's
/// time on the 10x bench corpus.
pub fn with_field_analyzer<R>(
    index: &tantivy::Index,
    field: Field,
    f: impl FnOnce(&mut TextAnalyzer) -> R,
) -> tantivy::Result<R> {
    thread_local! {
        static KEPT: RefCell<Option<(String, TextAnalyzer)>> = const { RefCell::new(None) };
    }
    let name = match index.schema().get_field_entry(field).field_type() {
        FieldType::Str(options) => options.get_indexing_options().map(|o| o.tokenizer().to_string()),
        _ => None,
    };
    let Some(name) = name else {
        return Ok(f(&mut index.tokenizer_for_field(field)?));
    };
    KEPT.with(|kept| {
        let Ok(mut kept) = kept.try_borrow_mut() else {
            return Ok(f(&mut index.tokenizer_for_field(field)?));
        };
        let analyzer = match kept.take() {
            Some((n, analyzer)) if n == name => analyzer,
            _ => index.tokenizer_for_field(field)?,
        };
        Ok(f(&mut kept.insert((name, analyzer)).1))
    })
}

/// Byte ranges of `text` whose analysed form is one of `terms`.
///
/// The analyzer is the text field's, so "drones" is highlighted for the
/// query `drone` just as it matched.
pub fn highlight(analyzer: &mut TextAnalyzer, terms: &BTreeSet<String>, text: &str) -> Vec<Range<usize>> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        if terms.contains(&t.text)
            && text.is_char_boundary(t.offset_from)
            && text.is_char_boundary(t.offset_to)
        {
            out.push(t.offset_from..t.offset_to);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer};

    #[test]
    fn stems_match_like_the_index() {
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::default())
            .build();
        let terms: BTreeSet<String> = ["drone".to_string()].into();
        let text = "Drones and a drone’s payload";
        let got: Vec<&str> = highlight(&mut a, &terms, text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, vec!["Drones", "drone"]);
    }
}
