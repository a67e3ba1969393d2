//! Gazetteers: lists of known places, organisations and demonyms, matched
//! against token sequences to give the tagger features ("this token starts
//! a known place name"). They are hints, not answers: the model learns how
//! much to trust them in each context.
//!
//! The lists live in `src/ner/data/` (see `scripts/make_gazetteers.py` for
//! their sources) and are compiled into the binary.

use std::collections::HashSet;

use super::FastMap;

/// What a gazetteer list names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GazKind {
    /// Countries, capitals, large cities, regions.
    Place,
    /// International bodies, institutions, large companies, outlets.
    Org,
    /// Nationality adjectives ("French"), which CoNLL tags MISC.
    Demonym,
}

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

    /// For each token (given lowercase, with whether it is capitalised),
    /// the matches it takes part in. Only capitalised first tokens match, so
    /// "turkey" the bird is not Turkey.
    pub fn annotate<S: AsRef<str>>(&self, lower: &[S], capitalised: &[bool]) -> Vec<Vec<GazHit>> {
        let mut out = vec![Vec::new(); lower.len()];
        for i in 0..lower.len() {
            if !capitalised[i] {
                continue;
            }
            let Some(entries) = self.by_first.get(lower[i].as_ref()) else {
                continue;
            };
            for (tokens, kind) in entries {
                let n = tokens.len();
                if i + n <= lower.len() && lower[i..i + n].iter().zip(tokens).all(|(a, b)| a.as_ref() == b) {
                    for (k, hits) in out[i..i + n].iter_mut().enumerate() {
                        let hit = GazHit {
                            kind: *kind,
                            first: k == 0,
                            single: n == 1,
                        };
                        if !hits.contains(&hit) {
                            hits.push(hit);
                        }
                    }
                }
            }
        }
        out
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
    classes: FastMap<String, u8>,
}

impl WordClasses {
    /// The word classes compiled into newsdex.
    pub fn builtin() -> WordClasses {
        let classes = include_str!("data/wordclass.tsv")
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(w, c)| Some((w.to_string(), *c.as_bytes().first()?)))
            .collect();
        WordClasses { classes }
    }

    /// The class of a lowercase word: `b'L'`, `b'C'`, `b'I'`, or 0 if unknown.
    pub fn class(&self, lower: &str) -> u8 {
        self.classes.get(lower).copied().unwrap_or(0)
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
        let hits = g.annotate(&lower, &caps);
        assert!(hits[1].contains(&GazHit {
            kind: GazKind::Place,
            first: true,
            single: false
        }));
        assert!(hits[2].contains(&GazHit {
            kind: GazKind::Place,
            first: false,
            single: false
        }));
        assert!(hits[6].iter().any(|h| h.kind == GazKind::Org && h.first));
        assert!(hits[9].iter().any(|h| h.kind == GazKind::Demonym));
        assert!(hits[3].is_empty());
    }
}
