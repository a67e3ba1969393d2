//! Gazetteers: lists of known places, organisations and demonyms, matched
//! against token sequences to give the tagger features ("this token starts
//! a known place name"). They are hints, not answers: the model learns how
//! much to trust them in each context.
//!
//! The lists live in `src/ner/data/` (see `scripts/make_gazetteers.py` for
//! their sources) and are compiled into the binary.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::model::IdentityHasher;
use super::{FastMap, word_hash};

/// What a gazetteer list names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GazKind {
    /// Countries, capitals, large cities, regions.
    Place = 0,
    /// International bodies, institutions, large companies, outlets.
    Org = 1,
    /// Nationality adjectives ("French"), which CoNLL tags MISC.
    Demonym = 2,
}

const KINDS: [GazKind; 3] = [GazKind::Place, GazKind::Org, GazKind::Demonym];

impl GazKind {
    /// A short name for feature strings.
    pub fn code(self) -> &'static str {
        match self {
            GazKind::Place => "P",
            GazKind::Org => "O",
            GazKind::Demonym => "D",
        }
    }
}

/// A token's part in a gazetteer match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazHit {
    /// The list matched.
    pub kind: GazKind,
    /// Whether the token starts the match (else it continues one).
    pub first: bool,
    /// Whether the match is a single token.
    pub single: bool,
}

/// The hits of one token, as a set of bits (a token takes part in few
/// matches, and a set of bits needs no allocation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GazHits(u16);

impl GazHits {
    fn bit(hit: GazHit) -> u16 {
        1 << (hit.kind as u16 * 4 + u16::from(hit.first) * 2 + u16::from(hit.single))
    }

    /// Adds a hit (once).
    pub fn insert(&mut self, hit: GazHit) {
        self.0 |= GazHits::bit(hit);
    }

    /// Whether the token has this hit.
    pub fn contains(self, hit: GazHit) -> bool {
        self.0 & GazHits::bit(hit) != 0
    }

    /// Whether the token is in no match.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The hits, each once.
    pub fn iter(self) -> impl Iterator<Item = GazHit> {
        (0..12u16)
            .filter(move |b| self.0 & (1 << b) != 0)
            .map(|b| GazHit {
                kind: KINDS[usize::from(b / 4)],
                first: b & 2 != 0,
                single: b & 1 != 0,
            })
    }
}

/// All lists, indexed by their first token for longest-match lookup.
pub struct Gazetteer {
    /// First token (lowercase) -> entries as lowercase token lists.
    by_first: FastMap<String, Vec<(Vec<String>, GazKind)>>,
    /// How words are usually written.
    pub words: WordClasses,
}

impl Gazetteer {
    /// The lists compiled into newsdex.
    pub fn builtin() -> Gazetteer {
        let mut g = Gazetteer {
            by_first: FastMap::default(),
            words: WordClasses::builtin(),
        };
        g.add_list(include_str!("data/places.txt"), GazKind::Place);
        g.add_list(include_str!("data/places-extra.txt"), GazKind::Place);
        g.add_list(include_str!("data/orgs.txt"), GazKind::Org);
        g.add_list(include_str!("data/demonyms.txt"), GazKind::Demonym);
        g
    }

    fn add_list(&mut self, list: &str, kind: GazKind) {
        let mut seen = HashSet::new();
        for line in list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let tokens: Vec<String> = super::tokenize::tokenize(line)
                .iter()
                .map(|t| t.text.to_lowercase())
                .collect();
            if tokens.is_empty() || !seen.insert(tokens.clone()) {
                continue;
            }
            self.by_first
                .entry(tokens[0].clone())
                .or_default()
                .push((tokens, kind));
        }
        for entries in self.by_first.values_mut() {
            entries.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        }
    }

    /// For each of `n` tokens (given lowercase, with whether it is
    /// capitalised), the matches it takes part in, written to `out`. Only
    /// capitalised first tokens match, so "turkey" the bird is not Turkey.
    pub fn annotate<'a>(
        &self,
        n: usize,
        lower: impl Fn(usize) -> &'a str,
        capitalised: impl Fn(usize) -> bool,
        out: &mut Vec<GazHits>,
    ) {
        out.clear();
        out.resize(n, GazHits::default());
        for i in 0..n {
            if !capitalised(i) {
                continue;
            }
            let Some(entries) = self.by_first.get(lower(i)) else {
                continue;
            };
            for (tokens, kind) in entries {
                let len = tokens.len();
                if i + len <= n && tokens.iter().enumerate().all(|(k, t)| lower(i + k) == t) {
                    for (k, hits) in out[i..i + len].iter_mut().enumerate() {
                        hits.insert(GazHit {
                            kind: *kind,
                            first: k == 0,
                            single: len == 1,
                        });
                    }
                }
            }
        }
    }

    /// How many entries there are, for tests and reports.
    pub fn len(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

/// How a word is usually written in news text (counted over Reuters-21578
/// by `scripts/make_word_classes.py`): `L` mostly lower case, `C` mostly
/// capitalised inside sentences, `I` capitalised only where a sentence
/// starts ("Additionally").
pub struct WordClasses {
    /// By [`word_hash`] of the lowercase word.
    classes: HashMap<u64, u8, BuildHasherDefault<IdentityHasher>>,
}

impl WordClasses {
    /// The word classes compiled into newsdex.
    pub fn builtin() -> WordClasses {
        let classes = include_str!("data/wordclass.tsv")
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(w, c)| Some((word_hash(w), *c.as_bytes().first()?)))
            .collect();
        WordClasses { classes }
    }

    /// The class of a lowercase word: `b'L'`, `b'C'`, `b'I'`, or 0 if unknown.
    pub fn class(&self, lower: &str) -> u8 {
        self.class_of(word_hash(lower))
    }

    /// The class of a lowercase word given by its [`word_hash`].
    pub fn class_of(&self, hash: u64) -> u8 {
        self.classes.get(&hash).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_classes() {
        let w = WordClasses::builtin();
        assert_eq!(w.class("according"), b'L');
        assert_eq!(w.class("tokyo"), b'C');
        assert_eq!(w.class("additionally"), b'I');
        assert_eq!(w.class("zzzz"), 0);
    }

    #[test]
    fn longest_matches_of_each_kind() {
        let g = Gazetteer::builtin();
        assert!(g.len() > 9000);
        let words = [
            "The", "New", "York", "office", "of", "the", "United", "Nations", "hired", "French", "staff",
        ];
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let caps: Vec<bool> = words
            .iter()
            .map(|w| w.chars().next().unwrap().is_uppercase())
            .collect();
        let mut hits = Vec::new();
        g.annotate(words.len(), |i| &lower[i], |i| caps[i], &mut hits);
        assert!(hits[1].contains(GazHit {
            kind: GazKind::Place,
            first: true,
            single: false
        }));
        assert!(hits[2].contains(GazHit {
            kind: GazKind::Place,
            first: false,
            single: false
        }));
        assert!(hits[6].iter().any(|h| h.kind == GazKind::Org && h.first));
        assert!(hits[9].iter().any(|h| h.kind == GazKind::Demonym));
        assert!(hits[3].is_empty());
    }
}
