//! Highlights: which words of a passage matched the query.

use std::collections::BTreeSet;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

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
