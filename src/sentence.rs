//! Sentences: where one ends and the next begins, as byte ranges.
//!
//! A rule-based splitter tuned for news prose: a sentence ends at `.`, `!` or
//! `?` (with any closing quotes or brackets) before white space and a capital,
//! digit or opening quote, unless the word before the stop is a known
//! abbreviation ("Mr.", "U.S.", "Inc.", "Feb.") or a single initial ("J.").
//! Passage splitting uses it; entity tagging will too, so that both see the
//! same sentences.

use std::ops::Range;

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "gov", "sen", "rep", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "inc", "corp", "co", "ltd", "plc", "bros",
    "no", "nos", "vs", "etc", "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "u.s", "u.k",
    "u.n", "e.g", "i.e", "a.m", "p.m", "d.c", "mt", "ft", "ave", "blvd", "rd",
];

/// Splits `text` into sentences, returned as trimmed byte ranges in order.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = skip_space(text, 0);
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'.' | b'!' | b'?' | b'"' | b'\'' | b')') {
                end += 1;
            }
            // Closing curly quotes are three bytes in UTF-8.
            while text[end..].starts_with('”') || text[end..].starts_with('’') {
                end += '”'.len_utf8();
            }
            let next = skip_space(text, end);
            let has_space = next > end;
            let opens_sentence = text[next..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'(".contains(c));
            if has_space && opens_sentence && !(b == b'.' && is_abbreviation(&text[start..i])) {
                out.push(start..end);
                start = next;
                i = next;
                continue;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    let tail_end = text.trim_end().len();
    if start < tail_end {
        out.push(start..tail_end);
    }
    out
}

/// True when the last word of `before` is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn skip_space(text: &str, from: usize) -> usize {
    from + (text.len() - from - text[from..].trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_at_stops_before_capitals() {
        assert_eq!(
            split("It rose. Then it fell!  Why? Nobody knows"),
            vec!["It rose.", "Then it fell!", "Why?", "Nobody knows"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            split("Mr. Smith of the U.S. Senate met J. Doe at 10 a.m. on Monday. Texaco Inc. said no."),
            vec![
                "Mr. Smith of the U.S. Senate met J. Doe at 10 a.m. on Monday.",
                "Texaco Inc. said no."
            ]
        );
    }

    #[test]
    fn keeps_closing_quotes_with_their_sentence() {
        assert_eq!(
            split("\"We will win.\" He left. “Never.” She stayed."),
            vec!["\"We will win.\"", "He left.", "“Never.”", "She stayed."]
        );
    }

    #[test]
    fn numbers_and_lowercase_do_not_split() {
        assert_eq!(
            split("It cost 5.93 mln. prices fell"),
            vec!["It cost 5.93 mln. prices fell"]
        );
        assert!(split("   ").is_empty());
    }
}
