//! The text tokenizer: tantivy's `en_stem`, with a memo of stems.
//!
//! Article text and titles are cut into words the way tantivy's `en_stem`
//! analyzer cuts them (its `SimpleTokenizer`, `RemoveLongFilter::limit(40)`,
//! `LowerCaser` and the English Snowball `Stemmer`) and this module gives
//! exactly the same tokens, positions and offsets (tests compare the two on
//! real text). An index newsdex writes therefore reads the same with
//! tantivy's own `en_stem`, and an index written before this module reads
//! the same with it; it is registered under tantivy's name.
//!
//! Why not tantivy's: stemming was a fifth of an indexing run's CPU time,
//! and news repeats its words. Each analyzer keeps a [`Memo`] of the stems
//! of the words it has seen, so that most words are stemmed by one hash
//! lookup, its slot prefetched while the words after it are found (see
//! [`EnglishStems`]'s `read`). Doing the four steps in one loop also saves
//! copying each token through three filters. Tantivy clones an analyzer
//! per field for each segment it writes, so a memo is never shared between
//! threads and needs no lock.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Words longer than this many bytes are dropped (tantivy's `en_stem` limit).
const MAX_WORD_BYTES: usize = 40;

/// Words of up to this many bytes are remembered, held in the table itself
/// (no pointer to follow on a lookup); longer ones are rare and stemmed
/// each time.
const MEMO_WORD_BYTES: usize = crate::words::PACKED_BYTES;

/// Slots in a memo, a power of two: 2 MB of 32-byte slots per analyzer.
pub const MEMO_SLOTS: usize = 1 << 16;

/// Stems of words seen before, in a direct-mapped table: each word has one
/// slot, found by its hash, and a new word takes the slot from whatever word
/// held it. One memory access per lookup, and memory bounded whatever the
/// vocabulary; frequent words, seen again soon, are mostly in their slots.
///
/// A slot holds a word's lowercased bytes, zero-padded to 16, and its stem's,
/// padded alike (words hold no zero bytes, so the empty slot, all zeros,
/// matches no word).
///
/// The table is allocated once an analyzer has stemmed [`MEMO_AFTER`]
/// words: tantivy clones an analyzer for every query it parses and every
/// field of every segment it writes, and a query's few words are stemmed
/// faster than 2 MB are allocated.
#[derive(Clone, Default)]
struct Memo {
    slots: Vec<(u128, u128)>,
    /// Words stemmed while there was no table.
    stemmed: usize,
}

/// How many words an analyzer stems before it keeps a memo.
const MEMO_AFTER: usize = 1000;

impl Memo {
    /// A word's key, if it is short enough to be remembered.
    fn key(word: &str) -> Option<u128> {
        let bytes = word.as_bytes();
        if bytes.len() > MEMO_WORD_BYTES {
            return None;
        }
        let mut key = [0u8; MEMO_WORD_BYTES];
        key[..bytes.len()].copy_from_slice(bytes);
        Some(u128::from_le_bytes(key))
    }

    /// The key of a word once lowercased, if it is short enough to be
    /// remembered. A short ASCII word, nearly every word, is lowercased in
    /// the key itself; others in `scratch`.
    fn key_of(word: &str, scratch: &mut String) -> Option<u128> {
        if let Some(key) = crate::words::packed_lowercase(word) {
            return Some(key);
        }
        lowercase_into(word, scratch);
        Memo::key(scratch)
    }

    /// Asks for the slot of `key` to be brought into the cache, without
    /// waiting for it.
    fn prefetch(&self, key: u128) {
        if let Some(slot) = self.slots.get(Memo::slot(key)) {
            crate::prefetch::prefetch(slot);
        }
    }

    /// The slot of a key: the top bits of a folded multiplication.
    fn slot(key: u128) -> usize {
        let lo = key as u64;
        let hi = (key >> 64) as u64;
        let product = u128::from(lo ^ 0x243f_6a88_85a3_08d3) * u128::from(hi ^ 0x1319_8a2e_0370_7344);
        let hash = (product as u64) ^ ((product >> 64) as u64);
        (hash >> (64 - MEMO_SLOTS.trailing_zeros())) as usize
    }

    /// Appends the remembered stem of the word `key` stands for to `out`.
    fn get(&self, key: u128, out: &mut String) -> bool {
        let Some(&(word, stem)) = self.slots.get(Memo::slot(key)) else {
            return false;
        };
        if word != key {
            return false;
        }
        let bytes = stem.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(MEMO_WORD_BYTES);
        match std::str::from_utf8(&bytes[..len]) {
            Ok(stem) => {
                out.push_str(stem);
                true
            }
            Err(_) => false,
        }
    }

    /// Remembers a stem in its word's slot.
    fn insert(&mut self, key: u128, stem: &str) {
        if let Some(stem) = Memo::key(stem) {
            if self.slots.is_empty() {
                self.stemmed += 1;
                if self.stemmed < MEMO_AFTER {
                    return;
                }
                self.slots = vec![(0, 0); MEMO_SLOTS];
            }
            self.slots[Memo::slot(key)] = (key, stem);
        }
    }
}

/// Words, lowercased, English stems: tantivy's `en_stem`, faster.
#[derive(Clone)]
pub struct EnglishStems {
    token: Token,
    stemmer: frostem::Stemmer,
    memo: Memo,
    /// A word lowercased, to stem.
    lower: String,
    /// The tokens of the text being read, all found before the first is
    /// asked for.
    tokens: Vec<Found>,
    /// Their stems, one after the other.
    stems: String,
}

/// A token of the text being read.
#[derive(Clone, Copy)]
struct Found {
    /// The word's byte range in the text.
    from: usize,
    to: usize,
    position: usize,
    /// Its memo key, or 0 (no word's key) when it is too long to be
    /// remembered.
    key: u128,
    /// Where its stem ends in [`EnglishStems::stems`] (it starts where the
    /// previous token's ends).
    stem_end: usize,
}

impl Default for EnglishStems {
    fn default() -> Self {
        EnglishStems {
            token: Token::default(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            memo: Memo::default(),
            lower: String::new(),
            tokens: Vec::new(),
            stems: String::new(),
        }
    }
}

impl EnglishStems {
    /// The analyzer to register as `en_stem`.
    pub fn analyzer() -> TextAnalyzer {
        TextAnalyzer::from(EnglishStems::default())
    }

    /// Finds every token of `text` and its stem, in two loops: the first
    /// finds the words, computes their memo keys and asks for their slots
    /// to be fetched; the second looks them up.
    ///
    /// The memo is larger than a core's cache, and a lookup made as each
    /// word was found waited for its slot alone: that wait was most of the
    /// tokenizer's time. Fetched ahead, the slots arrive while the words
    /// after them are found.
    fn read(&mut self, text: &str) {
        self.tokens.clear();
        self.stems.clear();
        let mut at = 0;
        // Every word takes a position, even one too long to keep.
        let mut position = 0;
        while let Some((from, to)) = crate::words::next_word(text, at) {
            at = to;
            position += 1;
            if to - from >= MAX_WORD_BYTES {
                continue;
            }
            let key = Memo::key_of(&text[from..to], &mut self.lower).unwrap_or(0);
            self.memo.prefetch(key);
            self.tokens.push(Found {
                from,
                to,
                position: position - 1,
                key,
                stem_end: 0,
            });
        }
        for found in &mut self.tokens {
            if !(found.key != 0 && self.memo.get(found.key, &mut self.stems)) {
                lowercase_into(&text[found.from..found.to], &mut self.lower);
                let stem = self.stemmer.stem(&self.lower);
                self.stems.push_str(&stem);
                if found.key != 0 {
                    self.memo.insert(found.key, &stem);
                }
            }
            found.stem_end = self.stems.len();
        }
    }
}

impl Tokenizer for EnglishStems {
    type TokenStream<'a> = EnglishStemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EnglishStemStream<'a> {
        self.token.reset();
        self.read(text);
        EnglishStemStream { next: 0, stems: self }
    }
}

/// The tokens of one text.
pub struct EnglishStemStream<'a> {
    /// The index of the next token in `stems.tokens`.
    next: usize,
    stems: &'a mut EnglishStems,
}

impl TokenStream for EnglishStemStream<'_> {
    fn advance(&mut self) -> bool {
        let stems = &mut *self.stems;
        let Some(found) = stems.tokens.get(self.next).copied() else {
            return false;
        };
        let stem_start = match self.next.checked_sub(1) {
            Some(previous) => stems.tokens[previous].stem_end,
            None => 0,
        };
        self.next += 1;
        let token = &mut stems.token;
        token.offset_from = found.from;
        token.offset_to = found.to;
        token.position = found.position;
        token.text.clear();
        token
            .text
            .push_str(stems.stems.get(stem_start..found.stem_end).unwrap_or(""));
        true
    }

    fn token(&self) -> &Token {
        &self.stems.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.stems.token
    }
}

/// Lowercases `word` into `out` as tantivy's `LowerCaser` does: ASCII
/// directly, anything else character by character (no final-sigma rule).
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer.token_stream(text).process(&mut |t| out.push(t.clone()));
        out
    }

    fn tantivy_en_stem() -> TextAnalyzer {
        TokenizerManager::default()
            .get("en_stem")
            .expect("tantivy registers en_stem")
    }

    fn assert_same_as_tantivy(text: &str) {
        let ours = tokens(EnglishStems::analyzer(), text);
        let theirs = tokens(tantivy_en_stem(), text);
        assert_eq!(ours.len(), theirs.len(), "{text:?}");
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(
                (a.position, a.offset_from, a.offset_to, &a.text),
                (b.position, b.offset_from, b.offset_to, &b.text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn stems_words_like_tantivy() {
        let got = tokens(EnglishStems::analyzer(), "Dogs are the bests!");
        let words: Vec<_> = got.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["dog", "are", "the", "best"]);
        assert_eq!(
            (got[3].position, got[3].offset_from, got[3].offset_to),
            (3, 13, 18)
        );
    }

    #[test]
    fn same_tokens_as_tantivy_on_edge_cases() {
        for text in [
            "",
            "   ",
            "!!!",
            "a",
            "ΣΊΣΥΦΟΣ Ärger straße İstanbul ﬁnance",
            "word-word, 1987's 3.5% U.S. e-mail",
            // A word of 40 bytes is dropped but keeps its position.
            "before abcdefghijabcdefghijabcdefghijabcdefghij after",
            "before abcdefghijabcdefghijabcdefghijabcdefghi after",
            "ééééééééééééééééééééé short",
            "tail without end punctuation",
            "日本語のテキスト and mixed 中文",
        ] {
            assert_same_as_tantivy(text);
        }
    }

    #[test]
    fn same_tokens_as_tantivy_on_the_seed_and_bundled_corpus() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                assert_same_as_tantivy(&text);
                checked += 1;
            }
        }
        assert!(checked > 0, "no files read under {dir}");
    }

    #[test]
    fn same_tokens_as_tantivy_on_reuters() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/reuters21578/reut2-000.sgm"
        );
        let Ok(bytes) = std::fs::read(file) else {
            eprintln!("skipped: no {file}");
            return;
        };
        // One long text (1,000 articles, markup and all): the memo fills,
        // and words take each other's slots.
        assert_same_as_tantivy(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn remembered_stems_are_the_stemmers() {
        let mut analyzer = EnglishStems::default();
        assert!(analyzer.memo.slots.is_empty(), "an unused analyzer holds a table");
        let text = "running runs ran running runner";
        // Past the words stemmed without a memo.
        let warm = "word ".repeat(MEMO_AFTER);
        analyzer.token_stream(&warm).process(&mut |_| {});
        assert!(!analyzer.memo.slots.is_empty());
        let mut passes = Vec::new();
        for _ in 0..2 {
            let mut out = Vec::new();
            analyzer
                .token_stream(text)
                .process(&mut |t| out.push(t.text.clone()));
            passes.push(out);
        }
        assert_eq!(passes[0], ["run", "run", "ran", "run", "runner"]);
        assert_eq!(passes[0], passes[1]);
        let key = Memo::key("running").unwrap();
        assert_eq!(analyzer.memo.slots[Memo::slot(key)].0, key);
    }

    #[test]
    fn more_words_than_slots_still_stem_right() {
        // Twice the slots: words take each other's slots, twice over.
        let words: String = (0..2 * MEMO_SLOTS)
            .map(|i| format!("w{i}ing x{}ies ", i % 977))
            .collect();
        let mut analyzer = EnglishStems::analyzer();
        let mut ours = Vec::new();
        analyzer
            .token_stream(&words)
            .process(&mut |t| ours.push(t.text.clone()));
        let mut theirs = Vec::new();
        tantivy_en_stem()
            .token_stream(&words)
            .process(&mut |t| theirs.push(t.text.clone()));
        assert_eq!(ours, theirs);
    }
}
