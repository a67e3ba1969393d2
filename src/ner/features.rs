//! Features: what the tagger looks at for each token, as 64-bit hashes.
//!
//! A feature is a template and a value ("the word before is `said`",
//! "the shape is `Xx`", "a known place name starts here"), hashed without
//! allocating. Changing any template changes the hashes, so a model is
//! only valid with the [`FEATURE_VERSION`] it was trained with.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::gazetteer::{Gazetteer, GazHits};
use super::model::IdentityHasher;
use super::word_hash;

/// The version of the feature set; stored in models and checked on load.
pub const FEATURE_VERSION: u32 = 3;

/// A set of words, held as their 64-bit hashes.
type WordSet = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

/// What is known about a document before tagging any of it: which words
/// appear capitalised inside sentences (names, very likely) and which
/// appear in lower case (common words).
#[derive(Debug, Default)]
pub struct DocContext {
    capitalised_inside: WordSet,
    lowercase_seen: WordSet,
}

impl DocContext {
    /// Gathers the context of a document given as sentences of tokens.
    pub fn new<T: AsRef<[S]>, S: AsRef<str>>(sentences: &[T]) -> DocContext {
        let mut ctx = DocContext::default();
        let tokens: usize = sentences.iter().map(|s| s.as_ref().len()).sum();
        ctx.lowercase_seen.reserve(tokens / 2);
        let mut lower = String::new();
        for sentence in sentences {
            let sentence = sentence.as_ref();
            if is_caps_line(sentence) {
                continue;
            }
            for (i, tok) in sentence.iter().enumerate() {
                let tok = tok.as_ref();
                let Some(first) = tok.chars().next() else { continue };
                if first.is_lowercase() {
                    ctx.lowercase_seen.insert(word_hash(tok));
                } else if first.is_uppercase() && i > 0 && !is_quote(sentence[i - 1].as_ref()) {
                    lower.clear();
                    push_lowercase(tok, &mut lower);
                    ctx.capitalised_inside.insert(word_hash(&lower));
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
pub fn is_caps_line<S: AsRef<str>>(sentence: &[S]) -> bool {
    let (mut upper, mut lower) = (0usize, 0usize);
    for tok in sentence {
        let (u, l) = count_case(tok.as_ref());
        upper += u;
        lower += l;
    }
    caps_line(upper, lower)
}

fn caps_line(upper: usize, lower: usize) -> bool {
    upper >= 4 && upper > 3 * lower
}

/// How many capitals and how many lower-case letters a word has.
fn count_case(word: &str) -> (usize, usize) {
    if word.is_ascii() {
        let upper = word.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = word.bytes().filter(u8::is_ascii_lowercase).count();
        (upper, lower)
    } else {
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        let lower = word.chars().filter(|c| c.is_lowercase()).count();
        (upper, lower)
    }
}

/// Appends the lowercase form of `word` to `out` (as [`str::to_lowercase`]).
fn push_lowercase(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&word.to_lowercase());
    }
}

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

/// Per-token facts computed once per sentence. Strings are byte ranges of
/// [`Scratch::text`]; shapes and word class are only filled in for tokens
/// that some covered token looks at.
#[derive(Clone, Copy)]
struct TokenInfo {
    lower: (u32, u32),
    /// [`word_hash`] of the lowercase form.
    lower_hash: u64,
    shape: (u32, u32),
    short_shape: (u32, u32),
    /// [`word_hash`] of the short shape.
    short_hash: u64,
    init_cap: bool,
    all_caps: bool,
    has_upper: bool,
    has_digit: bool,
    /// The word class of the lowercase form.
    class: u8,
    gaz: GazHits,
}

/// Buffers reused from sentence to sentence, so that computing features
/// allocates nothing once they have grown.
#[derive(Default)]
pub struct Scratch {
    /// Lowercase forms and shapes of the sentence's tokens, back to back.
    text: String,
    tokens: Vec<TokenInfo>,
    gaz: Vec<GazHits>,
    /// Capitals and lower-case letters in the sentence.
    upper: usize,
    lower: usize,
}

impl Scratch {
    fn str(&self, range: (u32, u32)) -> &str {
        &self.text[range.0 as usize..range.1 as usize]
    }

    fn len(&self) -> u32 {
        self.text.len() as u32
    }

    /// Adds a token's lowercase form and case flags.
    fn push_token(&mut self, tok: &str) {
        let start = self.len();
        let (upper, lower) = if tok.is_ascii() {
            // One pass for the common case.
            let (mut upper, mut lower) = (0, 0);
            self.text.extend(tok.bytes().map(|b| {
                upper += usize::from(b.is_ascii_uppercase());
                lower += usize::from(b.is_ascii_lowercase());
                char::from(b.to_ascii_lowercase())
            }));
            (upper, lower)
        } else {
            push_lowercase(tok, &mut self.text);
            count_case(tok)
        };
        self.upper += upper;
        self.lower += lower;
        let range = (start, self.len());
        self.tokens.push(TokenInfo {
            lower: range,
            lower_hash: word_hash(self.str(range)),
            shape: (0, 0),
            short_shape: (0, 0),
            short_hash: 0,
            init_cap: tok.chars().next().is_some_and(char::is_uppercase),
            all_caps: upper > 0 && lower == 0,
            has_upper: upper > 0,
            has_digit: tok.bytes().any(|b| b.is_ascii_digit()),
            class: 0,
            gaz: GazHits::default(),
        });
    }

    /// Fills in token `i`'s shapes ("Xxxxx" cut to 8 symbols, and "Xx" with
    /// runs collapsed) and word class.
    fn describe(&mut self, i: usize, tok: &str, gazetteer: &Gazetteer) {
        let symbol = |c: char| match c {
            c if c.is_uppercase() => 'X',
            c if c.is_lowercase() => 'x',
            c if c.is_ascii_digit() => 'd',
            '’' => '\'',
            c => c,
        };
        let start = self.len();
        self.text.extend(tok.chars().take(8).map(symbol));
        let shape = (start, self.len());
        let mut last = None;
        for s in tok.chars().map(symbol) {
            if last != Some(s) {
                self.text.push(s);
                last = Some(s);
            }
        }
        let short_shape = (shape.1, self.len());
        let short_hash = word_hash(self.str(short_shape));
        let t = &mut self.tokens[i];
        t.class = gazetteer.words.class_of(t.lower_hash);
        t.shape = shape;
        t.short_shape = short_shape;
        t.short_hash = short_hash;
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
        H((self.0 ^ hash).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29))
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

/// Appends the features of the tokens of a sentence that `coverage` takes
/// to `out`, recording where each token's features end in `ends` (a token
/// left out has an empty range).
pub fn sentence_features<S: AsRef<str>>(
    sentence: &[S],
    doc: &DocContext,
    gazetteer: &Gazetteer,
    coverage: Coverage,
    scratch: &mut Scratch,
    out: &mut Vec<u64>,
    ends: &mut Vec<usize>,
) {
    scratch.text.clear();
    scratch.tokens.clear();
    (scratch.upper, scratch.lower) = (0, 0);
    for tok in sentence {
        scratch.push_token(tok.as_ref());
    }
    let n = sentence.len();
    // A covered token looks at its neighbours' shapes and classes: describe
    // every token within two of a capital.
    for i in 0..n {
        let near = |j: usize| scratch.tokens[j].has_upper;
        if coverage == Coverage::All || (i.saturating_sub(2)..(i + 3).min(n)).any(near) {
            scratch.describe(i, sentence[i].as_ref(), gazetteer);
        }
    }
    let mut gaz = std::mem::take(&mut scratch.gaz);
    gazetteer.annotate(
        n,
        |i| scratch.str(scratch.tokens[i].lower),
        |i| scratch.tokens[i].init_cap,
        &mut gaz,
    );
    for (t, hits) in scratch.tokens.iter_mut().zip(&gaz) {
        t.gaz = *hits;
    }
    scratch.gaz = gaz;
    let scratch = &*scratch;
    let info = &scratch.tokens;
    let caps_line = caps_line(scratch.upper, scratch.lower);
    let (start, end, none) = (word_hash("<s>"), word_hash("</s>"), word_hash("-"));
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
    let has_upper = |i: isize| i >= 0 && (i as usize) < n && info[i as usize].has_upper;
    for (i, t) in info.iter().enumerate() {
        let ii = i as isize;
        if coverage == Coverage::NearCapitals && !(has_upper(ii - 1) || t.has_upper || has_upper(ii + 1)) {
            ends.push(out.len());
            continue;
        }
        let raw = sentence[i].as_ref();
        let lw = scratch.str(t.lower);
        let (lower, short_shape) = (t.lower_hash, t.short_hash);
        out.push(H::new(0).done());
        out.push(H::new(1).word(lower).done());
        out.push(H::new(2).str(raw).done());
        out.push(H::new(3).str(scratch.str(t.shape)).done());
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
            let cap_inside = doc.capitalised_inside.contains(&lower);
            let low_seen = doc.lowercase_seen.contains(&lower);
            let doc_flags =
                u8::from(cap_inside) | u8::from(low_seen) << 1 | u8::from(i == 0 || caps_line) << 2;
            out.push(H::new(23).byte(doc_flags).done());
        }
        if t.gaz.is_empty() && t.init_cap && !caps_line && i > 0 {
            out.push(H::new(24).word(word(ii - 1)).done());
        }
        // "Capitalised only at sentence starts" behaves like lower case.
        let class = match t.class {
            b'I' => b'L',
            c => c,
        };
        let position = u8::from(t.init_cap) | u8::from(i == 0) << 1 | u8::from(caps_line) << 2;
        out.push(H::new(25).byte(class).byte(position).done());
        if i > 0 {
            let prev = &info[i - 1];
            out.push(H::new(26).byte(prev.class).byte(u8::from(prev.init_cap)).done());
        }
        if i + 1 < n {
            let next = &info[i + 1];
            out.push(H::new(27).byte(next.class).byte(u8::from(next.init_cap)).done());
        }
        ends.push(out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::gazetteer::GazKind;

    #[test]
    fn features_are_deterministic_and_positional() {
        let g = Gazetteer::builtin();
        let sent = ["Peskov", "said", "in", "Moscow", "."];
        let doc = DocContext::new(&[sent.to_vec()]);
        let (mut a, mut ends) = (Vec::new(), Vec::new());
        sentence_features(&sent, &doc, &g, Coverage::All, &mut Scratch::default(), &mut a, &mut ends);
        let (mut b, mut ends_b) = (Vec::new(), Vec::new());
        sentence_features(&sent, &doc, &g, Coverage::All, &mut Scratch::default(), &mut b, &mut ends_b);
        assert_eq!(a, b);
        assert_eq!(ends.len(), 5);
        // "Moscow" has gazetteer features the others lack.
        let moscow = &a[ends[2]..ends[3]];
        let place = H::new(19).byte(GazKind::Place as u8).byte(0b11).done();
        assert!(moscow.contains(&place));
        assert!(!a[..ends[0]].contains(&place));
    }

    #[test]
    fn headlines_are_caps_lines() {
        assert!(is_caps_line(&["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"]));
        assert!(!is_caps_line(&["Japan", "got", "a", "lucky", "win"]));
    }
}
