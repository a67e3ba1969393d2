//! Entities from the text, merged with those from metadata and normalised.
//!
//! The tagger ([`crate::ner`]) finds mentions; this module turns them into
//! facet values: PER → person, ORG → org, LOC → place (MISC, such as
//! nationalities and events, is not a facet). Within an article a later
//! short mention ("Peskov") is linked to the full name seen before
//! ("Dmitry Peskov"), and the other way round; names are tidied
//! (possessives, punctuation) and mapped through an [`Aliases`] table
//! (US, U.S. and United States are one place). Metadata names come first.

use std::collections::HashMap;

use super::clean_name;
use crate::article::{Article, EntityKind};
use crate::ner::{NerKind, Tagger};

/// Variant spellings mapped to one canonical name, case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    canonical: HashMap<String, String>,
}

/// The aliases newsdex knows without being told.
const BUILTIN_ALIASES: &str = "\
United States: US, U.S., USA, U.S.A., United States of America, America
United Kingdom: UK, U.K., Britain, Great Britain
European Union: EU, E.U.
United Nations: UN, U.N.
Soviet Union: USSR, U.S.S.R.
NATO: Nato, North Atlantic Treaty Organization
Kyiv: Kiev
# Sources
CNN: cnn.com, CNN International, CNN Politics
BBC: BBC News, bbc.co.uk, bbc.com, BBC World Service
Reuters: Reuter, reuters.com, Thomson Reuters
AP: Associated Press, apnews.com, AP News
AFP: Agence France-Presse, Agence France Presse
New York Times: nytimes.com, NYT, NY Times, The New York Times
Washington Post: washingtonpost.com, The Washington Post
Wall Street Journal: wsj.com, WSJ, The Wall Street Journal
Guardian: theguardian.com, guardian.co.uk, The Guardian
Financial Times: ft.com, FT
Al Jazeera: aljazeera.com, Al Jazeera English
Bloomberg: bloomberg.com, Bloomberg News
";

impl Aliases {
    /// The built-in table.
    pub fn builtin() -> Aliases {
        let mut a = Aliases::default();
        // The built-in text is well formed; its parse cannot fail.
        let _ = a.extend_from(BUILTIN_ALIASES);
        a
    }

    /// Adds lines of the form `Canonical: variant, variant, ...` (blank
    /// lines and `#` comments skipped). Returns the 1-based number of the
    /// first line that is not of that form.
    pub fn extend_from(&mut self, text: &str) -> Result<(), usize> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (canonical, variants) = line.split_once(':').ok_or(n + 1)?;
            let canonical = canonical.trim();
            if canonical.is_empty() {
                return Err(n + 1);
            }
            self.canonical
                .insert(canonical.to_lowercase(), canonical.to_string());
            for v in variants.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                self.canonical.insert(v.to_lowercase(), canonical.to_string());
            }
        }
        Ok(())
    }

    /// Every spelling that resolves to the same canonical name as `name`
    /// (lowercase), `name` itself included.
    pub fn variants(&self, name: &str) -> Vec<String> {
        let canonical = self.resolve(name).to_lowercase();
        let mut out: Vec<String> = self
            .canonical
            .iter()
            .filter(|(_, c)| c.to_lowercase() == canonical)
            .map(|(v, _)| v.clone())
            .collect();
        out.push(name.to_lowercase());
        out.push(canonical);
        out.sort();
        out.dedup();
        out
    }

    /// The canonical form of a name, if the table has one.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        self.canonical.get(&name.to_lowercase()).map(String::as_str)
    }

    /// The canonical form of a name, or the name itself.
    pub fn resolve<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical
            .get(&name.to_lowercase())
            .map_or(name, String::as_str)
    }
}

/// Tags the article's title and body and adds the entities found to those
/// its metadata gave, normalised.
pub fn extract(article: &mut Article, tagger: &Tagger, aliases: &Aliases) {
    let text = match &article.title {
        Some(t) => format!("{t}\n\n{}", article.body),
        None => article.body.clone(),
    };
    let mut found: Vec<(EntityKind, String)> = Vec::new();
    for e in tagger.entities(&text) {
        let kind = match e.kind {
            NerKind::Person => EntityKind::Person,
            NerKind::Org => EntityKind::Org,
            NerKind::Place => EntityKind::Place,
            NerKind::Misc => continue,
        };
        let name = clean_name(&e.text);
        if is_plausible(&name) {
            found.push((kind, name));
        }
    }
    for kind in EntityKind::ALL {
        let mentions: Vec<String> = found
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.clone())
            .collect();
        let linked = link_mentions(&mentions, kind);
        let names = article.entities.of_mut(kind);
        for name in names.iter_mut() {
            *name = aliases.resolve(name).to_string();
        }
        for m in linked {
            let m = aliases.resolve(&m).to_string();
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&m)) {
                names.push(m);
            }
        }
    }
}

/// The most distinct names of one kind linked per article.
const MAX_DISTINCT_MENTIONS: usize = 500;

/// Sentence adverbs and other words the tagger may take for a name when
/// they open a sentence; never entities on their own.
const NOT_NAMES: &[&str] = &[
    "according",
    "additionally",
    "also",
    "besides",
    "consequently",
    "earlier",
    "finally",
    "firstly",
    "furthermore",
    "however",
    "indeed",
    "instead",
    "later",
    "likewise",
    "meanwhile",
    "moreover",
    "nevertheless",
    "nonetheless",
    "overall",
    "secondly",
    "similarly",
    "still",
    "therefore",
    "thus",
    "today",
    "tomorrow",
    "yesterday",
    "yet",
];

/// Names worth a facet: some letter, a capital, not one character.
fn is_plausible(name: &str) -> bool {
    !NOT_NAMES.contains(&name.to_lowercase().as_str())
        && name.chars().count() >= 2
        && name.chars().any(char::is_alphabetic)
        && name.chars().any(char::is_uppercase)
}

/// Each mention replaced by the fullest name it abbreviates, in order of
/// first appearance, without repeats. For people a mention abbreviates a
/// longer one when its words end it ("Peskov" in "Dmitry Peskov"); for
/// organisations and places when its words start it ("Bank of" does not
/// count: whole words only) or it is its initials ("IMF").
pub fn link_mentions(mentions: &[String], kind: EntityKind) -> Vec<String> {
    // Distinct names only (an article repeats them), and a cap, so that a
    // pathological text cannot make the pairwise comparison quadratic in size.
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<String> = mentions
        .iter()
        .filter(|m| seen.insert(m.to_lowercase()))
        .take(MAX_DISTINCT_MENTIONS)
        .cloned()
        .collect();
    let mentions = &distinct[..];
    let words: Vec<Vec<&str>> = mentions.iter().map(|m| m.split_whitespace().collect()).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let fullest = words
            .iter()
            .enumerate()
            .filter(|(j, longer)| *j != i && longer.len() > w.len() && abbreviates(w, longer, kind))
            .max_by_key(|(j, longer)| (longer.len(), std::cmp::Reverse(*j)))
            .map(|(j, _)| mentions[j].clone())
            .unwrap_or_else(|| mentions[i].clone());
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&fullest)) {
            out.push(fullest);
        }
    }
    out
}

fn abbreviates(short: &[&str], long: &[&str], kind: EntityKind) -> bool {
    let same = |a: &&str, b: &&str| a.eq_ignore_ascii_case(b);
    match kind {
        EntityKind::Person => long[long.len() - short.len()..]
            .iter()
            .zip(short)
            .all(|(a, b)| same(a, b)),
        EntityKind::Org | EntityKind::Place => {
            let initials: String = long
                .iter()
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_uppercase())
                .collect();
            (short.len() == 1 && initials.len() >= 2 && short[0] == initials)
                || (kind == EntityKind::Org
                    && short.len() > 1
                    && long[..short.len()].iter().zip(short).all(|(a, b)| same(a, b)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Provenance;

    #[test]
    fn short_mentions_link_to_full_names() {
        let people = [
            "Zelenskyy",
            "Volodymyr Zelenskyy",
            "Peskov",
            "Dmitry Peskov",
            "Peskov",
        ]
        .map(String::from);
        assert_eq!(
            link_mentions(&people, EntityKind::Person),
            vec!["Volodymyr Zelenskyy", "Dmitry Peskov"]
        );
        let orgs = ["International Monetary Fund", "IMF", "Fund"].map(String::from);
        assert_eq!(
            link_mentions(&orgs, EntityKind::Org),
            vec!["International Monetary Fund", "Fund"]
        );
    }

    #[test]
    fn sentence_adverbs_are_never_names() {
        assert!(!is_plausible("Furthermore"));
        assert!(!is_plausible("According"));
        assert!(is_plausible("Peskov"));
    }

    #[test]
    fn aliases_resolve_case_insensitively_and_extend() {
        let mut a = Aliases::builtin();
        assert_eq!(a.resolve("U.S."), "United States");
        assert_eq!(a.resolve("britain"), "United Kingdom");
        assert_eq!(a.resolve("Moscow"), "Moscow");
        a.extend_from("# mine\nZelenskyy: Zelensky, Zelenskiy\n").unwrap();
        assert_eq!(a.resolve("ZELENSKY"), "Zelenskyy");
        assert_eq!(a.extend_from("ok: x\nno colon here"), Err(2));
    }

    #[test]
    fn the_seed_gets_its_people_places_and_organisations() {
        let seed = include_str!("../../corpus/000_690a3a72e68bdb61.txt");
        let mut a = Article::new("seed", seed, Provenance::file("seed.txt"));
        extract(&mut a, Tagger::builtin(), &Aliases::builtin());
        assert!(
            a.entities.person.contains(&"Volodymyr Zelenskyy".to_string()),
            "{:?}",
            a.entities
        );
        assert!(
            a.entities.person.contains(&"Dmitry Peskov".to_string()),
            "{:?}",
            a.entities
        );
        assert!(a.entities.org.contains(&"CNN".to_string()), "{:?}", a.entities);
        for place in ["Ukraine", "Moscow", "United States"] {
            assert!(
                a.entities.place.contains(&place.to_string()),
                "{place}: {:?}",
                a.entities
            );
        }
        let all: Vec<&String> = EntityKind::ALL.iter().flat_map(|k| a.entities.of(*k)).collect();
        assert!(
            !all.iter()
                .any(|n| ["According", "Additionally", "US"].contains(&n.as_str())),
            "{all:?}"
        );
    }

    #[test]
    fn metadata_entities_come_first_and_are_not_repeated() {
        let mut a = Article::new(
            "a",
            "Dmitry Peskov spoke in Moscow on Monday.",
            Provenance::file("a.txt"),
        );
        a.entities.place = vec!["moscow".into()];
        extract(&mut a, Tagger::builtin(), &Aliases::builtin());
        assert_eq!(a.entities.place, vec!["moscow"]);
        assert_eq!(a.entities.person, vec!["Dmitry Peskov"]);
    }
}
