//! Tokens as CoNLL-2003 has them: words, numbers and punctuation apart,
//! `'s` and `n't` split off, abbreviations (`U.S.`, `Mr.`) and numbers
//! (`1,000`, `5.93`) kept whole, hyphenated words (`Nazi-era`) kept whole.
//!
//! The tagger was trained on this tokenization, so raw text must be cut the
//! same way before tagging.

use std::ops::Range;

/// A token: its text and its byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text.
    pub text: &'a str,
    /// Its byte range in the text it was cut from.
    pub span: Range<usize>,
}

/// Words that keep their trailing full stop as part of the token.
const DOTTED: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Gen", "Gov", "Sen", "Rep", "Col", "Lt", "Sgt",
    "Capt", "Adm", "Maj", "Rev", "Inc", "Corp", "Co", "Ltd", "Bros", "No", "vs", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "Ave", "Cie", "Plc", "Bhd",
];

impl AsRef<str> for Token<'_> {
    fn as_ref(&self) -> &str {
        self.text
    }
}

/// Cuts `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// Cuts `text` into tokens appended to `out`.
pub fn tokenize_into<'a>(text: &'a str, out: &mut Vec<Token<'a>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else { break };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        if c.is_alphanumeric() {
            let mut end = word_end(text, i);
            // Split a possessive or a negation off the end: "Germany's", "don't".
            let word = &text[start..end];
            if let Some(stem_len) = clitic_split(word) {
                push(out, text, start, start + stem_len);
                push(out, text, start + stem_len, end);
                i = end;
                continue;
            }
            // Keep the stop of an abbreviation: "U.S.", "Mr.", "Corp.".
            if end < bytes.len() && bytes[end] == b'.' {
                let w = &text[start..end];
                let dotted_letters = w.contains('.') && w.split('.').all(|p| p.chars().count() <= 2);
                let single_capital = w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase());
                if DOTTED.contains(&w) || dotted_letters || single_capital {
                    end += 1;
                }
            }
            push(out, text, start, end);
            i = end;
            continue;
        }
        // Punctuation: runs of the same mark stay together ("...", "--", "``").
        let mut end = i + c.len_utf8();
        while let Some(next) = text[end..].chars().next() {
            if next != c || !matches!(c, '.' | '-' | '`' | '\'' | '=' | '*') {
                break;
            }
            end += next.len_utf8();
        }
        // Clitics that start with an apostrophe, standing alone: "'s".
        if matches!(c, '\'' | '’') {
            let rest = &text[end..];
            let word_len = rest
                .chars()
                .take_while(|ch| ch.is_alphabetic())
                .map(char::len_utf8)
                .sum::<usize>();
            let clitic = &rest[..word_len];
            if matches!(
                clitic.to_ascii_lowercase().as_str(),
                "s" | "re" | "ve" | "ll" | "d" | "m"
            ) {
                end += word_len;
            }
        }
        push(out, text, start, end);
        i = end;
    }
}

fn push<'a>(out: &mut Vec<Token<'a>>, text: &'a str, start: usize, end: usize) {
    if start < end {
        out.push(Token {
            text: &text[start..end],
            span: start..end,
        });
    }
}

/// The end of a word starting at `i`: letters and digits, joined by
/// hyphens, apostrophes, ampersands and slashes between letters, and by
/// commas and stops between digits or single letters.
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    let mut prev: Option<char> = None;
    let mut chars = text[i..].char_indices().peekable();
    while let Some((off, c)) = chars.next() {
        if c.is_alphanumeric() {
            end = i + off + c.len_utf8();
            prev = Some(c);
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let joins = match (c, prev, next) {
            ('-' | '&' | '/', Some(_), Some(n)) if n.is_alphanumeric() => true,
            ('\'' | '’', Some(p), Some(n)) if p.is_alphabetic() && n.is_alphabetic() => {
                // "O'Neill" joins; "Germany's" and "don't" are split later.
                true
            }
            ('.' | ',' | ':', Some(p), Some(n)) if p.is_ascii_digit() && n.is_ascii_digit() => true,
            ('.', Some(p), Some(n)) if p.is_alphabetic() && n.is_alphabetic() => {
                // "U.S" of "U.S.": single letters between stops.
                let word = &text[i..i + off];
                word.rsplit('.')
                    .next()
                    .is_some_and(|last| last.chars().count() == 1)
                    && text[i + off + 1..]
                        .chars()
                        .nth(1)
                        .is_none_or(|after| !after.is_alphabetic())
            }
            _ => false,
        };
        if !joins {
            break;
        }
        prev = Some(c);
    }
    end
}

/// Where to split a clitic off a word: "Germany's" -> 7, "don't" -> 2.
fn clitic_split(word: &str) -> Option<usize> {
    if !word.contains(['\'', '’']) {
        return None;
    }
    let lower = word.to_lowercase();
    for clitic in ["n't", "n’t"] {
        if lower.ends_with(clitic) && word.len() > clitic.len() {
            return Some(word.len() - clitic.len());
        }
    }
    for clitic in [
        "'s", "’s", "'re", "'ve", "'ll", "'d", "'m", "’re", "’ve", "’ll", "’d", "’m",
    ] {
        if lower.ends_with(clitic) && word.len() > clitic.len() {
            return Some(word.len() - clitic.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_like_conll() {
        assert_eq!(
            toks("Germany's U.S. envoy, Mr. Smith, said \"no\"."),
            vec![
                "Germany", "'s", "U.S.", "envoy", ",", "Mr.", "Smith", ",", "said", "\"", "no", "\"", "."
            ]
        );
        assert_eq!(
            toks("It rose 5.93 pct to 1,000 dlrs."),
            vec!["It", "rose", "5.93", "pct", "to", "1,000", "dlrs", "."]
        );
        assert_eq!(
            toks("Nazi-era O'Neill don't"),
            vec!["Nazi-era", "O'Neill", "do", "n't"]
        );
        assert_eq!(toks("Zelenskyy’s aides…"), vec!["Zelenskyy", "’s", "aides", "…"]);
        assert_eq!(
            toks("AT&T and U.K.-based"),
            vec!["AT&T", "and", "U.K.", "-", "based"]
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "  Dmitry Peskov, spokesman.";
        for t in tokenize(text) {
            assert_eq!(&text[t.span.clone()], t.text);
        }
        assert!(tokenize("").is_empty());
    }

    #[test]
    fn a_sentence_end_after_a_name_is_its_own_token() {
        assert_eq!(toks("He met Putin."), vec!["He", "met", "Putin", "."]);
        assert_eq!(toks("to the U.S. The"), vec!["to", "the", "U.S.", "The"]);
    }
}
