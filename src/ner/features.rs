//! Features: what the tagger looks at for each token, as 64-bit hashes.
//!
//! A feature is a template and a value ("the word before is `said`",
//! "the shape is `Xx`", "a known place name starts here"), hashed without
//! allocating. Changing any template changes the hashes, so a model is
//! only valid with the [`FEATURE_VERSION`] it was trained with.

use super::FastSet;

use super::gazetteer::Gazetteer;

/// The version of the feature set; stored in models and checked on load.
pub const FEATURE_VERSION: u32 = 2;

/// What is known about a document before tagging any of it: which words
/// appear capitalised inside sentences (names, very likely) and which
/// appear in lower case (common words).
#[derive(Debug, Default)]
pub struct DocContext {
    capitalised_inside: FastSet<String>,
    lowercase_seen: FastSet<String>,
}

impl DocContext {
    /// Gathers the context of a document given as sentences of tokens.
    pub fn new<S: AsRef<str>>(sentences: &[Vec<S>]) -> DocContext {
        let mut ctx = DocContext::default();
        for sentence in sentences {
            if is_caps_line(sentence) {
                continue;
            }
            for (i, tok) in sentence.iter().enumerate() {
                let tok = tok.as_ref();
                let Some(first) = tok.chars().next() else { continue };
                if first.is_lowercase() {
                    ctx.lowercase_seen.insert(tok.to_string());
                } else if first.is_uppercase() && i > 0 && !is_quote(sentence[i - 1].as_ref()) {
                    ctx.capitalised_inside.insert(tok.to_lowercase());
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
        for c in tok.as_ref().chars() {
            if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        }
    }
    upper >= 4 && upper > 3 * lower
}

/// Per-token facts computed once per sentence.
struct TokenInfo {
    lower: String,
    shape: String,
    short_shape: String,
    init_cap: bool,
    all_caps: bool,
    has_digit: bool,
}

impl TokenInfo {
    fn new(tok: &str) -> TokenInfo {
        let lower = tok.to_lowercase();
        let mut shape = String::with_capacity(tok.len());
        let mut short_shape = String::new();
        let (mut has_upper, mut has_lower, mut has_digit) = (false, false, false);
        for c in tok.chars() {
            let s = if c.is_uppercase() {
                has_upper = true;
                'X'
            } else if c.is_lowercase() {
                has_lower = true;
                'x'
            } else if c.is_ascii_digit() {
                has_digit = true;
                'd'
            } else if c == '’' {
                '\''
            } else {
                c
            };
            if shape.chars().count() < 8 {
                shape.push(s);
            }
            if !short_shape.ends_with(s) {
                short_shape.push(s);
            }
        }
        TokenInfo {
            init_cap: tok.chars().next().is_some_and(char::is_uppercase),
            all_caps: has_upper && !has_lower,
            has_digit,
            lower,
            shape,
            short_shape,
        }
    }
}

/// Builds one feature hash from a template number and parts.
#[derive(Clone, Copy)]
struct H(u64);

impl H {
    #[inline]
    fn new(template: u8) -> H {
        H(0xcbf2_9ce4_8422_2325 ^ u64::from(template)).byte(template)
    }
    #[inline]
    fn byte(self, b: u8) -> H {
        H((self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }
    #[inline]
    fn str(self, s: &str) -> H {
        let mut h = self;
        for &b in s.as_bytes() {
            h = h.byte(b);
        }
        h.byte(0xff)
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

/// Appends the features of every token of a sentence to `out`, recording
/// where each token's features end in `ends`.
pub fn sentence_features<S: AsRef<str>>(
    sentence: &[S],
    doc: &DocContext,
    gazetteer: &Gazetteer,
    out: &mut Vec<u64>,
    ends: &mut Vec<usize>,
) {
    let info: Vec<TokenInfo> = sentence.iter().map(|t| TokenInfo::new(t.as_ref())).collect();
    let lower: Vec<&str> = info.iter().map(|t| t.lower.as_str()).collect();
    let caps: Vec<bool> = info.iter().map(|t| t.init_cap).collect();
    let gaz = gazetteer.annotate(&lower, &caps);
    let caps_line = is_caps_line(sentence);
    let n = sentence.len();
    let word = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else if i as usize >= n {
            "</s>"
        } else {
            &info[i as usize].lower
        }
    };
    let shape = |i: isize| -> &str {
        if i < 0 || i as usize >= n {
            "-"
        } else {
            &info[i as usize].short_shape
        }
    };
    for (i, t) in info.iter().enumerate() {
        let ii = i as isize;
        let raw = sentence[i].as_ref();
        out.push(H::new(0).done());
        out.push(H::new(1).str(&t.lower).done());
        out.push(H::new(2).str(raw).done());
        out.push(H::new(3).str(&t.shape).done());
        out.push(H::new(4).str(&t.short_shape).done());
        // Prefixes and suffixes of 1 to 4 characters, as slices (no allocation).
        let lw = t.lower.as_str();
        let nchars = lw.chars().count();
        let mut starts = lw.char_indices().map(|(b, _)| b);
        let mut ends_at = lw.char_indices().rev().map(|(b, _)| b);
        for k in 1..=4.min(nchars) {
            let p_end = starts.nth(if k == 1 { 1 } else { 0 }).unwrap_or(lw.len());
            let s_start = ends_at.next().unwrap_or(0);
            out.push(H::new(5).byte(k as u8).str(&lw[..p_end]).done());
            out.push(H::new(6).byte(k as u8).str(&lw[s_start..]).done());
        }
        out.push(H::new(7).str(word(ii - 1)).done());
        out.push(H::new(8).str(word(ii + 1)).done());
        out.push(H::new(9).str(word(ii - 2)).done());
        out.push(H::new(10).str(word(ii + 2)).done());
        out.push(H::new(11).str(shape(ii - 1)).done());
        out.push(H::new(12).str(shape(ii + 1)).done());
        out.push(H::new(13).str(word(ii - 1)).str(&t.lower).done());
        out.push(H::new(14).str(&t.lower).str(word(ii + 1)).done());
        out.push(
            H::new(15)
                .str(shape(ii - 1))
                .str(&t.short_shape)
                .str(shape(ii + 1))
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
            out.push(H::new(17).str(&t.lower).done());
            out.push(H::new(18).str(&t.short_shape).byte(u8::from(i == 0)).done());
        }
        for hit in &gaz[i] {
            out.push(
                H::new(19)
                    .str(hit.kind.code())
                    .byte(u8::from(hit.first) | u8::from(hit.single) << 1)
                    .done(),
            );
            out.push(H::new(20).str(hit.kind.code()).str(&t.short_shape).done());
        }
        for (offset, tag) in [(-1isize, 21u8), (1, 22)] {
            let j = ii + offset;
            if j >= 0 && (j as usize) < n {
                for hit in &gaz[j as usize] {
                    out.push(H::new(tag).str(hit.kind.code()).done());
                }
            }
        }
        if t.init_cap {
            let cap_inside = doc.capitalised_inside.contains(&t.lower);
            let low_seen = doc.lowercase_seen.contains(&t.lower);
            let doc_flags =
                u8::from(cap_inside) | u8::from(low_seen) << 1 | u8::from(i == 0 || caps_line) << 2;
            out.push(H::new(23).byte(doc_flags).done());
        }
        if gaz[i].is_empty() && t.init_cap && !caps_line && i > 0 {
            out.push(H::new(24).str(word(ii - 1)).done());
        }
        // "Capitalised only at sentence starts" behaves like lower case.
        let class = match gazetteer.words.class(&t.lower) {
            b'I' => b'L',
            c => c,
        };
        let position = u8::from(t.init_cap) | u8::from(i == 0) << 1 | u8::from(caps_line) << 2;
        out.push(H::new(25).byte(class).byte(position).done());
        if i > 0 {
            out.push(
                H::new(26)
                    .byte(gazetteer.words.class(&info[i - 1].lower))
                    .byte(u8::from(info[i - 1].init_cap))
                    .done(),
            );
        }
        if i + 1 < n {
            out.push(
                H::new(27)
                    .byte(gazetteer.words.class(&info[i + 1].lower))
                    .byte(u8::from(info[i + 1].init_cap))
                    .done(),
            );
        }
        ends.push(out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_deterministic_and_positional() {
        let g = Gazetteer::builtin();
        let sent = ["Peskov", "said", "in", "Moscow", "."];
        let doc = DocContext::new(&[sent.to_vec()]);
        let (mut a, mut ends) = (Vec::new(), Vec::new());
        sentence_features(&sent, &doc, &g, &mut a, &mut ends);
        let (mut b, mut ends_b) = (Vec::new(), Vec::new());
        sentence_features(&sent, &doc, &g, &mut b, &mut ends_b);
        assert_eq!(a, b);
        assert_eq!(ends.len(), 5);
        // "Moscow" has gazetteer features the others lack.
        let moscow = &a[ends[2]..ends[3]];
        let place = H::new(19).str("P").byte(0b11).done();
        assert!(moscow.contains(&place));
        assert!(!a[..ends[0]].contains(&place));
    }

    #[test]
    fn headlines_are_caps_lines() {
        assert!(is_caps_line(&["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"]));
        assert!(!is_caps_line(&["Japan", "got", "a", "lucky", "win"]));
    }
}
