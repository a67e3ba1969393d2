//! Words: runs of alphanumeric characters, as tantivy's `SimpleTokenizer`
//! cuts them.
//!
//! The index's tokenizer and near-duplicate shingling both read text as
//! words. They find them here, byte by byte: ASCII, nearly all of English
//! news, is tested without decoding; other characters are decoded and
//! tested with [`char::is_alphanumeric`].

/// The next word at or after byte `from`, as a byte range, or `None` when
/// there is none. `from` must be a character boundary.
pub fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let start = scan(text, from, true)?;
    let end = scan(text, start, false).unwrap_or(text.len());
    Some((start, end))
}

/// The words of a text, in order.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_word(text, at)?;
        at = end;
        Some(&text[start..end])
    })
}

/// The offset of the first character at or after `from` whose
/// alphanumericness is `alphanumeric`, if any.
fn scan(text: &str, from: usize, alphanumeric: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() == alphanumeric {
                return Some(i);
            }
            i += 1;
        } else {
            let c = text.get(i..)?.chars().next()?;
            if c.is_alphanumeric() == alphanumeric {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the words are by definition: maximal runs of alphanumeric chars.
    fn by_chars(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }

    #[test]
    fn words_are_runs_of_alphanumeric_characters() {
        for text in [
            "",
            "   ",
            "one",
            "  Two words, then: three-part_words! ",
            "Ünïcödé naïve café — 東京 2023年 x²",
            "ends with a digit 9",
            "\u{a0}non\u{a0}breaking\u{2009}spaces\u{200b}zero width",
            "ΣΊΣΥΦΟΣ ﬁnance Straße",
        ] {
            assert_eq!(words(text).collect::<Vec<_>>(), by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn a_real_article_splits_as_by_characters() {
        let text = include_str!("../corpus/000_690a3a72e68bdb61.txt");
        assert_eq!(words(text).collect::<Vec<_>>(), by_chars(text));
    }
}
