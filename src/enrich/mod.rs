//! Enrichment: fill in what an article's file did not say.
//!
//! Runs after a reader and before passage splitting: infers the source from
//! attributions in the text, finds people, organisations and places with
//! the entity tagger and merges them with those the metadata gave, and
//! tidies names. Enrichment does no IO and cannot fail: what it cannot find
//! stays unknown.

pub mod date;
pub mod duplicates;
pub mod entities;
pub mod signature;
pub mod source;

pub use entities::Aliases;

use crate::article::{Article, EntityKind, Source, SourceOrigin};
use crate::ner::Tagger;

/// How articles are enriched.
#[derive(Debug, Clone)]
pub struct Enricher {
    /// Find entities in the text (off: keep only the metadata's).
    pub entities: bool,
    /// Variant names and their canonical forms.
    pub aliases: Aliases,
}

impl Default for Enricher {
    fn default() -> Self {
        Enricher {
            entities: true,
            aliases: Aliases::builtin(),
        }
    }
}

impl Enricher {
    /// Fills in and tidies an article's metadata in place.
    pub fn enrich(&self, article: &mut Article) {
        enrich_metadata(article);
        if let Some(source) = &mut article.source {
            source.name = source::normalize_source(&source.name, &self.aliases);
        }
        if self.entities {
            entities::extract(article, Tagger::builtin(), &self.aliases);
        } else {
            for kind in EntityKind::ALL {
                for name in article.entities.of_mut(kind).iter_mut() {
                    *name = self.aliases.resolve(name).to_string();
                }
            }
        }
        tidy_names(article);
    }
}

/// Fills in and tidies an article's metadata in place, with the default
/// [`Enricher`] (entities found in the text, built-in aliases).
pub fn enrich(article: &mut Article) {
    Enricher::default().enrich(article);
}

/// The source and the title.
fn enrich_metadata(article: &mut Article) {
    let given = article
        .source
        .as_ref()
        .map(|s| clean_name(&s.name))
        .filter(|s| !s.is_empty());
    article.source = match given {
        Some(name) => Some(Source {
            name,
            origin: SourceOrigin::Given,
        }),
        None => source::infer_source(&article.body).map(|name| Source {
            name,
            origin: SourceOrigin::Inferred,
        }),
    };
    if let Some(title) = &article.title {
        // Titles keep their punctuation ("What's next for Macy's"); only
        // white space is folded.
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        article.title = (!title.is_empty()).then_some(title);
    }
}

/// Tidies and deduplicates entity names, authors and tags.
fn tidy_names(article: &mut Article) {
    for kind in EntityKind::ALL {
        let names = article.entities.of_mut(kind);
        *names = dedup_names(names.iter().map(|n| clean_name(n)));
    }
    article.authors = dedup_names(article.authors.iter().map(|n| clean_name(n)));
    article.tags = dedup_names(article.tags.iter().map(|n| clean_name(n)));
}

/// Trims whitespace, surrounding punctuation and a possessive `'s`, and
/// folds runs of whitespace into one space.
pub fn clean_name(name: &str) -> String {
    let folded = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = folded.trim_matches(|c: char| "\"'“”‘’,;:()[]{}".contains(c));
    let trimmed = trimmed
        .strip_suffix("'s")
        .or_else(|| trimmed.strip_suffix("’s"))
        .unwrap_or(trimmed);
    trimmed.trim().to_string()
}

/// Drops empty names and later case-insensitive repeats, keeping order.
fn dedup_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .filter(|n| !n.is_empty() && seen.insert(n.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Provenance;

    #[test]
    fn infers_a_missing_source_and_keeps_a_given_one() {
        let mut a = Article::new("a", "Talks failed, as per CNN.", Provenance::file("a.txt"));
        enrich(&mut a);
        let s = a.source.clone().unwrap();
        assert_eq!((s.name.as_str(), s.origin), ("CNN", SourceOrigin::Inferred));

        a.source = Some(Source {
            name: "  The Guardian ".into(),
            origin: SourceOrigin::Given,
        });
        enrich(&mut a);
        let s = a.source.unwrap();
        assert_eq!((s.name.as_str(), s.origin), ("Guardian", SourceOrigin::Given));
    }

    #[test]
    fn titles_keep_their_punctuation() {
        let mut a = Article::new("a", "", Provenance::file("a.txt"));
        for t in [
            "What's next for Macy's",
            "\"Hope\" is back",
            "(Update 2) Oil falls",
            "Trump: 'We will win'",
        ] {
            a.title = Some(format!("  {t}\n"));
            enrich(&mut a);
            assert_eq!(a.title.as_deref(), Some(t));
        }
    }

    #[test]
    fn tidies_entity_names() {
        let mut a = Article::new("a", "", Provenance::file("a.txt"));
        a.entities.person = vec![
            "Zelenskyy's".into(),
            " zelenskyy ".into(),
            "\"Dmitry  Peskov\"".into(),
            "".into(),
        ];
        enrich(&mut a);
        assert_eq!(a.entities.person, vec!["Zelenskyy", "Dmitry Peskov"]);
    }
}
