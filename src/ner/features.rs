//! Features: what the tagger looks at for each token, as 64-bit hashes.
//!
//! A feature is a template and a value ("the word before is `said`",
//! "the shape is `Xx`", "a known place name starts here"), hashed without
//! allocating. Changing any template changes the hashes, so a model is
//! only valid with the [`FEATURE_VERSION`] it was trained with.
//!
//! [`document_features`] works a document at a time: it first gathers the
//! facts about every token (lowercase form, case, hashes) and the document's
//! context (which words it writes capitalised, which in lower case), then
//! builds each sentence's features from them.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::gazetteer::{GazHits, Gazetteer};
use super::model::IdentityHasher;
use super::word_hash;

/// The version of the feature set; stored in models and checked on load.
pub const FEATURE_VERSION: u32 = 3;

/// Which tokens of a sentence get features and a free choice of tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every token (training).
    All,
    /// Tokens with a capital letter and their neighbours. The others (a
    /// lower-case word between lower-case words) get no features, which
    /// tells [`super::model::Model::decode`] they are outside every entity.
    /// Most words of running text are such words.
    NearCapitals,
}

/// Computes the features of every sentence of a document, in order, and
/// calls `each` with a sentence's features and where each of its tokens'
/// features end (`feats[ends[i-1]..ends[i]]` for token `i`; a token left
/// out by `coverage` has an empty range).
pub fn document_features<T: AsRef<[S]>, S: AsRef<str>>(
    sentences: &[T],
    gazetteer: &Gazetteer,
    coverage: Coverage,
    mut each: impl FnMut(&[u64], &[usize]),
) {
    let longest = sentences.iter().map(|s| s.as_ref().len()).max().unwrap_or(0);
    let mut feats = Vec::with_capacity(48 * longest);
    let mut ends = Vec::with_capacity(longest);
    document_sentences(sentences, gazetteer, coverage, |s| {
        feats.clear();
        ends.clear();
        s.features(&mut feats, &mut ends);
        each(&feats, &ends);
    });
}

/// Gathers what is known about a document's tokens and calls `each` with
/// each of its sentences in order, to take features from token by token.
pub fn document_sentences<T: AsRef<[S]>, S: AsRef<str>>(
    sentences: &[T],
    gazetteer: &Gazetteer,
    coverage: Coverage,
    mut each: impl FnMut(&Sentence<'_, S>),
) {
    let mut doc = Tokens::for_document(sentences);
    let context = DocContext::new(&doc, sentences);
    let longest = sentences.iter().map(|s| s.as_ref().len()).max().unwrap_or(0);
    let mut gaz = Vec::with_capacity(longest);
    let mut shape = String::new();
    for (k, sentence) in sentences.iter().enumerate() {
        let sentence = sentence.as_ref();
        let range = doc.sentences[k].clone();
        let caps_line = doc.caps_lines[k];
        let (text, infos) = (&doc.text, &mut doc.infos[range]);
        describe(sentence, infos, coverage, gazetteer, &mut shape);
        gazetteer.annotate(
            infos.len(),
            |i| &text[infos[i].lower.clone()],
            |i| infos[i].init_cap,
            &mut gaz,
        );
        for (t, hits) in infos.iter_mut().zip(&gaz) {
            t.gaz = *hits;
        }
        each(&Sentence {
            raw: sentence,
            infos,
            text,
            caps_line,
            doc: &context,
            coverage,
        });
    }
}

/// A set of words, held as their [`word_hash`]es.
type WordSet = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

/// What is known about a document before tagging any of it: which words
/// appear capitalised inside sentences (names, very likely) and which
/// appear in lower case (common words).
#[derive(Debug, Default)]
struct DocContext {
    capitalised_inside: WordSet,
    lowercase_seen: WordSet,
    /// The word before the first, the word after the last, and the shape
    /// of either, as hashes.
    edges: [u64; 3],
}

impl DocContext {
    fn new<T: AsRef<[S]>, S: AsRef<str>>(doc: &Tokens, sentences: &[T]) -> DocContext {
        let mut ctx = DocContext {
            edges: [word_hash("<s>"), word_hash("</s>"), word_hash("-")],
            ..DocContext::default()
        };
        ctx.lowercase_seen.reserve(doc.infos.len() / 2);
        for (k, sentence) in sentences.iter().enumerate() {
            if doc.caps_lines[k] {
                continue;
            }
            let sentence = sentence.as_ref();
            for (i, t) in doc.infos[doc.sentences[k].clone()].iter().enumerate() {
                if t.init_lower && !t.has_upper {
                    ctx.lowercase_seen.insert(t.lower_hash);
                } else if t.init_cap && i > 0 && !is_quote(sentence[i - 1].as_ref()) {
                    ctx.capitalised_inside.insert(t.lower_hash);
                }
            }
        }
        ctx
    }
}

fn is_quote(tok: &str) -> bool {
    matches!(tok, "\"" | "``" | "''" | "“" | "'" | "(" | "-" | ":")
}

/// True when most letters of a sentence are capitals (a headline or dateline).
fn caps_line(upper: usize, lower: usize) -> bool {
    upper >= 4 && upper > 3 * lower
}

/// How many capitals and how many lower-case letters a word has.
fn count_case(word: &str) -> (usize, usize) {
    if word.is_ascii() {
        word.bytes().fold((0, 0), |(u, l), b| {
            (
                u + usize::from(b.is_ascii_uppercase()),
                l + usize::from(b.is_ascii_lowercase()),
            )
        })
    } else {
        word.chars().fold((0, 0), |(u, l), c| {
            (
                u + usize::from(c.is_uppercase()),
                l + usize::from(c.is_lowercase()),
            )
        })
    }
}

/// Facts about one token. Its lowercase form is a range of
/// [`Tokens::text`]; shape hashes and word class are only filled in for
/// tokens that some covered token looks at.
#[derive(Clone)]
struct TokenInfo {
    lower: Range<usize>,
    /// [`word_hash`] of the lowercase form.
    lower_hash: u64,
    /// [`word_hash`] of the shape ("Xxxxx", at most 8 symbols).
    shape_hash: u64,
    /// [`word_hash`] of the short shape (runs collapsed: "Xx").
    short_hash: u64,
    init_cap: bool,
    init_lower: bool,
    all_caps: bool,
    has_upper: bool,
    has_digit: bool,
    /// The word class of the lowercase form.
    class: u8,
    gaz: GazHits,
}

/// Every token of a document.
struct Tokens {
    /// The lowercase forms, back to back.
    text: String,
    infos: Vec<TokenInfo>,
    /// Each sentence's tokens in `infos`.
    sentences: Vec<Range<usize>>,
    /// Whether each sentence is a headline or dateline in capitals.
    caps_lines: Vec<bool>,
}

impl Tokens {
    fn for_document<T: AsRef<[S]>, S: AsRef<str>>(sentences: &[T]) -> Tokens {
        let count: usize = sentences.iter().map(|s| s.as_ref().len()).sum();
        let mut doc = Tokens {
            text: String::with_capacity(8 * count),
            infos: Vec::with_capacity(count),
            sentences: Vec::with_capacity(sentences.len()),
            caps_lines: Vec::with_capacity(sentences.len()),
        };
        for sentence in sentences {
            let first = doc.infos.len();
            let (mut upper, mut lower) = (0, 0);
            for tok in sentence.as_ref() {
                let (u, l) = doc.push(tok.as_ref());
                upper += u;
                lower += l;
            }
            doc.sentences.push(first..doc.infos.len());
            doc.caps_lines.push(caps_line(upper, lower));
        }
        doc
    }

    /// Adds a token; returns its counts of capitals and lower-case letters.
    fn push(&mut self, tok: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(tok);
        if tok.is_ascii() {
            self.text[start..].make_ascii_lowercase();
        } else {
            self.text.truncate(start);
            self.text.push_str(&tok.to_lowercase());
        }
        let lower = start..self.text.len();
        let (upper_count, lower_count) = count_case(tok);
        let first = tok.chars().next();
        self.infos.push(TokenInfo {
            lower_hash: word_hash(&self.text[lower.clone()]),
            lower,
            shape_hash: 0,
            short_hash: 0,
            init_cap: first.is_some_and(char::is_uppercase),
            init_lower: first.is_some_and(char::is_lowercase),
            all_caps: upper_count > 0 && lower_count == 0,
            has_upper: upper_count > 0,
            has_digit: tok.bytes().any(|b| b.is_ascii_digit()),
            class: 0,
            gaz: GazHits::default(),
        });
        (upper_count, lower_count)
    }
}

/// Fills in shapes and word classes of the tokens of a sentence that some
/// covered token looks at: a covered token looks at its neighbours', so
/// every token within two of a capital (or every token, for
/// [`Coverage::All`]).
fn describe<S: AsRef<str>>(
    sentence: &[S],
    infos: &mut [TokenInfo],
    coverage: Coverage,
    gazetteer: &Gazetteer,
    buf: &mut String,
) {
    let n = infos.len();
    for i in 0..n {
        if coverage == Coverage::NearCapitals
            && !(i.saturating_sub(2)..(i + 3).min(n)).any(|j| infos[j].has_upper)
        {
            continue;
        }
        let symbol = |c: char| match c {
            c if c.is_uppercase() => 'X',
            c if c.is_lowercase() => 'x',
            c if c.is_ascii_digit() => 'd',
            '’' => '\'',
            c => c,
        };
        let tok = sentence[i].as_ref();
        buf.clear();
        for s in tok.chars().take(8).map(symbol) {
            buf.push(s);
        }
        let shape_hash = word_hash(buf);
        buf.clear();
        for s in tok.chars().map(symbol) {
            if !buf.ends_with(s) {
                buf.push(s);
            }
        }
        let t = &mut infos[i];
        t.shape_hash = shape_hash;
        t.short_hash = word_hash(buf);
        t.class = gazetteer.words.class_of(t.lower_hash);
    }
}

/// Builds one feature hash from a template number and parts: bytes, and
/// words given by their [`word_hash`] (computed once per token, not once
/// per feature).
#[derive(Clone, Copy)]
struct H(u64);

impl H {
    #[inline]
    fn new(template: u8) -> H {
        H(0xcbf2_9ce4_8422_2325).byte(template)
    }
    #[inline]
    fn byte(self, b: u8) -> H {
        H((self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }
    #[inline]
    fn word(self, hash: u64) -> H {
        H((self.0 ^ hash)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29))
    }
    #[inline]
    fn str(self, s: &str) -> H {
        self.word(word_hash(s))
    }
    #[inline]
    fn done(self) -> u64 {
        // murmur3's finaliser, so that hash-map buckets see well-mixed bits.
        let mut k = self.0;
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    }
}

/// Which of a token's features to compute (see [`Sentence::token_features`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// Every feature, in template order (training).
    All,
    /// Those that depend only on the token's own text and on
    /// [`Sentence::local_key`]'s position facts: the same for every
    /// occurrence with the same key, so their weights can be summed once.
    Local,
    /// The others: neighbours, gazetteer spans, the document.
    Context,
}

/// One sentence of a document with its tokens' facts, ready to give each
/// token's features.
pub struct Sentence<'a, S> {
    raw: &'a [S],
    infos: &'a [TokenInfo],
    /// Where the lowercase forms live.
    text: &'a str,
    caps_line: bool,
    doc: &'a DocContext,
    coverage: Coverage,
}

impl<S: AsRef<str>> Sentence<'_, S> {
    /// How many tokens the sentence has.
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    /// True when the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    /// True when token `i` gets features (see [`Coverage`]); a token
    /// without them is outside every entity.
    pub fn covered(&self, i: usize) -> bool {
        let has_upper = |j: usize| self.infos.get(j).is_some_and(|t| t.has_upper);
        self.coverage == Coverage::All || (i > 0 && has_upper(i - 1)) || has_upper(i) || has_upper(i + 1)
    }

    /// What token `i`'s [`Parts::Local`] features depend on, as a hash: the
    /// word as written, whether it starts the sentence, and whether the
    /// sentence is a line in capitals.
    pub fn local_key(&self, i: usize) -> u64 {
        H::new(LOCAL_KEY)
            .str(self.raw[i].as_ref())
            .byte(u8::from(i == 0) | u8::from(self.caps_line) << 1)
            .done()
    }

    /// Appends the features of every token `coverage` takes to `out`,
    /// recording where each token's features end in `ends` (an uncovered
    /// token has an empty range).
    fn features(&self, out: &mut Vec<u64>, ends: &mut Vec<usize>) {
        for i in 0..self.len() {
            if self.covered(i) {
                self.token_features(i, Parts::All, out);
            }
            ends.push(out.len());
        }
    }

    /// Appends token `i`'s features of the kind `parts` to `out`. With
    /// [`Parts::All`] they come in template order, as the model was
    /// trained (the order changes no sum of integer weights, but training
    /// sums floats).
    pub fn token_features(&self, i: usize, parts: Parts, out: &mut Vec<u64>) {
        let (info, caps_line, n) = (self.infos, self.caps_line, self.infos.len());
        let (local, context) = (parts != Parts::Context, parts != Parts::Local);
        let [start, end, none] = self.doc.edges;
        let word = |i: isize| -> u64 {
            if i < 0 {
                start
            } else if i as usize >= n {
                end
            } else {
                info[i as usize].lower_hash
            }
        };
        let shape = |i: isize| -> u64 {
            if i < 0 || i as usize >= n {
                none
            } else {
                info[i as usize].short_hash
            }
        };
        let (t, ii) = (&info[i], i as isize);
        let raw = self.raw[i].as_ref();
        let (lower, short_shape) = (t.lower_hash, t.short_hash);
        if local {
            let lw = &self.text[t.lower.clone()];
            out.push(H::new(0).done());
            out.push(H::new(1).word(lower).done());
            out.push(H::new(2).str(raw).done());
            out.push(H::new(3).word(t.shape_hash).done());
            out.push(H::new(4).word(short_shape).done());
            // Prefixes and suffixes of 1 to 4 characters, as slices (no allocation).
            let nchars = lw.chars().count();
            let mut starts = lw.char_indices().map(|(b, _)| b);
            let mut ends_at = lw.char_indices().rev().map(|(b, _)| b);
            for k in 1..=4.min(nchars) {
                let p_end = starts.nth(if k == 1 { 1 } else { 0 }).unwrap_or(lw.len());
                let s_start = ends_at.next().unwrap_or(0);
                out.push(H::new(5).byte(k as u8).str(&lw[..p_end]).done());
                out.push(H::new(6).byte(k as u8).str(&lw[s_start..]).done());
            }
        }
        if context {
            out.push(H::new(7).word(word(ii - 1)).done());
            out.push(H::new(8).word(word(ii + 1)).done());
            out.push(H::new(9).word(word(ii - 2)).done());
            out.push(H::new(10).word(word(ii + 2)).done());
            out.push(H::new(11).word(shape(ii - 1)).done());
            out.push(H::new(12).word(shape(ii + 1)).done());
            out.push(H::new(13).word(word(ii - 1)).word(lower).done());
            out.push(H::new(14).word(lower).word(word(ii + 1)).done());
            out.push(
                H::new(15)
                    .word(shape(ii - 1))
                    .word(short_shape)
                    .word(shape(ii + 1))
                    .done(),
            );
        }
        if local {
            let flags = u8::from(t.init_cap)
                | u8::from(t.all_caps) << 1
                | u8::from(t.has_digit) << 2
                | u8::from(raw.contains('-')) << 3
                | u8::from(raw.contains('.')) << 4
                | u8::from(i == 0) << 5
                | u8::from(caps_line) << 6;
            out.push(H::new(16).byte(flags).done());
            if caps_line {
                out.push(H::new(17).word(lower).done());
                out.push(H::new(18).word(short_shape).byte(u8::from(i == 0)).done());
            }
        }
        if context {
            for hit in t.gaz.iter() {
                out.push(
                    H::new(19)
                        .byte(hit.kind as u8)
                        .byte(u8::from(hit.first) | u8::from(hit.single) << 1)
                        .done(),
                );
                out.push(H::new(20).byte(hit.kind as u8).word(short_shape).done());
            }
            for (offset, tag) in [(-1isize, 21u8), (1, 22)] {
                let j = ii + offset;
                if j >= 0 && (j as usize) < n {
                    for hit in info[j as usize].gaz.iter() {
                        out.push(H::new(tag).byte(hit.kind as u8).done());
                    }
                }
            }
            if t.init_cap {
                let cap_inside = self.doc.capitalised_inside.contains(&lower);
                let low_seen = self.doc.lowercase_seen.contains(&lower);
                let doc_flags =
                    u8::from(cap_inside) | u8::from(low_seen) << 1 | u8::from(i == 0 || caps_line) << 2;
                out.push(H::new(23).byte(doc_flags).done());
            }
            if t.gaz.is_empty() && t.init_cap && !caps_line && i > 0 {
                out.push(H::new(24).word(word(ii - 1)).done());
            }
        }
        if local {
            // "Capitalised only at sentence starts" behaves like lower case.
            let class = match t.class {
                b'I' => b'L',
                c => c,
            };
            let position = u8::from(t.init_cap) | u8::from(i == 0) << 1 | u8::from(caps_line) << 2;
            out.push(H::new(25).byte(class).byte(position).done());
        }
        if context {
            if i > 0 {
                let prev = &info[i - 1];
                out.push(H::new(26).byte(prev.class).byte(u8::from(prev.init_cap)).done());
            }
            if i + 1 < n {
                let next = &info[i + 1];
                out.push(H::new(27).byte(next.class).byte(u8::from(next.init_cap)).done());
            }
        }
    }
}

/// The template number of [`Sentence::local_key`] (not a feature).
const LOCAL_KEY: u8 = 255;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::gazetteer::GazKind;

    fn features(sentences: &[Vec<&str>], coverage: Coverage) -> Vec<(Vec<u64>, Vec<usize>)> {
        let mut out = Vec::new();
        document_features(sentences, &Gazetteer::builtin(), coverage, |f, e| {
            out.push((f.to_vec(), e.to_vec()));
        });
        out
    }

    #[test]
    fn features_are_deterministic_and_positional() {
        let doc = vec![vec!["Peskov", "said", "in", "Moscow", "."]];
        let a = features(&doc, Coverage::All);
        assert_eq!(a, features(&doc, Coverage::All));
        let (feats, ends) = &a[0];
        assert_eq!(ends.len(), 5);
        // "Moscow" has gazetteer features the others lack.
        let moscow = &feats[ends[2]..ends[3]];
        let place = H::new(19).byte(GazKind::Place as u8).byte(0b11).done();
        assert!(moscow.contains(&place));
        assert!(!feats[..ends[0]].contains(&place));
    }

    #[test]
    fn only_words_near_capitals_are_covered() {
        let doc = vec![vec![
            "Peskov", "said", "on", "a", "call", "to", "the", "Kremlin", ".",
        ]];
        let all = features(&doc, Coverage::All);
        let near = features(&doc, Coverage::NearCapitals);
        let covered: Vec<bool> = (0..9)
            .map(|i| {
                let ends = &near[0].1;
                let start = if i == 0 { 0 } else { ends[i - 1] };
                ends[i] > start
            })
            .collect();
        assert_eq!(
            covered,
            [true, true, false, false, false, false, true, true, true]
        );
        // A covered token's features do not depend on the coverage.
        let token = |(feats, ends): &(Vec<u64>, Vec<usize>), i: usize| {
            feats[if i == 0 { 0 } else { ends[i - 1] }..ends[i]].to_vec()
        };
        for i in [0, 1, 6, 7, 8] {
            assert_eq!(token(&all[0], i), token(&near[0], i), "token {i}");
        }
    }

    #[test]
    fn the_document_context_sees_other_sentences() {
        // "Bush" written in lower case elsewhere in the document changes
        // its features as the first word of a sentence.
        let alone = features(&[vec!["Bush", "fires", "spread", "."]], Coverage::All);
        let with = features(
            &[
                vec!["Bush", "fires", "spread", "."],
                vec!["The", "dry", "bush", "burned", "."],
            ],
            Coverage::All,
        );
        let first = |f: &[(Vec<u64>, Vec<usize>)]| f[0].0[..f[0].1[0]].to_vec();
        assert_ne!(first(&alone), first(&with));
    }

    #[test]
    fn headlines_are_caps_lines() {
        let doc = Tokens::for_document(&[
            vec!["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"],
            vec!["Japan", "got", "a", "lucky", "win"],
        ]);
        assert_eq!(doc.caps_lines, [true, false]);
    }
}
