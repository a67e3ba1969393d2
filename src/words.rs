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

/// The longest word [`packed_lowercase`] packs, in bytes.
pub const PACKED_BYTES: usize = 16;

/// A word lowercased and packed into 16 bytes (zero-padded, first byte
/// lowest), if it is ASCII and no longer than [`PACKED_BYTES`]: nearly
/// every word of English news, so hashed or compared as a number, with no
/// copy. A word holds no zero byte, so no word packs to 0.
pub fn packed_lowercase(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > PACKED_BYTES || !bytes.is_ascii() {
        return None;
    }
    let mut packed = [0u8; PACKED_BYTES];
    packed[..bytes.len()].copy_from_slice(bytes);
    Some(ascii_lowercase(u128::from_le_bytes(packed)))
}

/// Lowercases the ASCII bytes packed in `bytes`, all at once: a byte gets
/// 0x20 added when it is from `A` (0x41) to `Z` (0x5a). Every byte is below
/// 0x80, so adding to one never carries into the next.
fn ascii_lowercase(bytes: u128) -> u128 {
    const EACH: u128 = u128::MAX / 0xff; // 0x0101...01
    let from_a = bytes + EACH * (0x80 - 0x41); // high bit set from 'A' on
    let past_z = bytes + EACH * (0x80 - 0x5b); // high bit set past 'Z'
    let upper = from_a & !past_z & (EACH * 0x80);
    bytes | (upper >> 2)
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
    fn packed_lowercasing_is_per_byte_lowercasing() {
        // Every ASCII byte, in every position, beside every other kind.
        for b in 0u8..0x80 {
            for position in 0..16 {
                let mut bytes = [b'Z'; 16];
                bytes[position] = b;
                bytes[(position + 1) % 16] = b'@'; // just below 'A'
                bytes[(position + 2) % 16] = b'['; // just past 'Z'
                let packed = ascii_lowercase(u128::from_le_bytes(bytes));
                assert_eq!(
                    packed.to_le_bytes().to_vec(),
                    bytes.to_ascii_lowercase(),
                    "{b:#x} at {position}"
                );
            }
        }
        let pack = |w: &str| packed_lowercase(w).map(|p| p.to_le_bytes());
        assert_eq!(
            pack("Kremlin").map(|b| b[..8].to_vec()),
            Some(b"kremlin\0".to_vec())
        );
        assert_eq!(
            pack("SixteenLetters16").map(|b| b.to_vec()),
            Some(b"sixteenletters16".to_vec())
        );
        assert_eq!(pack("SeventeenLetters7"), None);
        assert_eq!(pack("Café"), None);
    }

    #[test]
    fn a_real_article_splits_as_by_characters() {
        let text = include_str!("../corpus/000_690a3a72e68bdb61.txt");
        assert_eq!(words(text).collect::<Vec<_>>(), by_chars(text));
    }
}
