//! The document an engine receives: one article, or one of its passages,
//! with everything newsdex found in it, as flat JSON.
//!
//! The same document serves Quickwit and OpenSearch; only the files around
//! it differ ([`super::quickwit`], [`super::opensearch`]). Field names are
//! newsdex's query and facet names, so `person:peskov` means the same
//! there as here.

use serde::{Deserialize, Serialize};

use crate::article::Article;

/// One exported document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The article's id; a passage's is `ID#N`.
    pub id: String,
    /// A passage's article id (passage documents only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    /// A passage's number in its article, from 0 (passage documents only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<u64>,
    /// The headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The article's text, or the passage's.
    pub body: String,
    /// The publication time (RFC 3339, UTC; midnight when only the day is
    /// known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// People named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person: Vec<String>,
    /// Organisations named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org: Vec<String>,
    /// Places named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub place: Vec<String>,
    /// Topics (tags or categories the file gave).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topic: Vec<String>,
    /// Bylines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The article's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its language, as the file gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Its near-duplicate cluster: the id of the cluster's first article
    /// (its own id when it is the first, or in no cluster), so that
    /// collapsing on this field shows one article per story.
    pub cluster: String,
    /// The article it is a near-duplicate of, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The file it was read from.
    pub file: String,
}

impl Document {
    /// The whole article as one document.
    pub fn article(a: &Article) -> Document {
        Document {
            id: a.id.clone(),
            article_id: None,
            passage: None,
            title: a.title.clone(),
            body: a.body.clone(),
            date: a.date.map(|d| match d.timestamp {
                Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                None => format!("{}T00:00:00Z", d.day.format("%Y-%m-%d")),
            }),
            source: a.source.as_ref().map(|s| s.name.clone()),
            person: a.entities.person.clone(),
            org: a.entities.org.clone(),
            place: a.entities.place.clone(),
            topic: a.tags.clone(),
            authors: a.authors.clone(),
            url: a.url.clone(),
            language: a.language.clone(),
            cluster: a.duplicate_of.clone().unwrap_or_else(|| a.id.clone()),
            duplicate_of: a.duplicate_of.clone(),
            file: a.provenance.file_key(),
        }
    }

    /// Passage `number` of an article, whose text is `text`: with the
    /// article's title, date and facets from `article` (a
    /// [`Document::article`], its body taken out so as not to be copied),
    /// so that every filter works on passages alone.
    pub fn passage(article: &Document, number: usize, text: &str) -> Document {
        Document {
            id: format!("{}#{number}", article.id),
            article_id: Some(article.id.clone()),
            passage: Some(number as u64),
            body: text.to_string(),
            ..article.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Entities, Provenance, PubDate, Source, SourceOrigin};

    #[test]
    fn articles_and_passages_carry_every_fact() {
        let mut a = Article::new(
            "a1",
            "First paragraph here.\n\nSecond one.".to_string(),
            Provenance::file("news/a.txt"),
        );
        a.title = Some("Title".into());
        a.date = Some(PubDate {
            day: chrono::NaiveDate::from_ymd_opt(2023, 5, 25).unwrap(),
            timestamp: None,
        });
        a.source = Some(Source {
            name: "CNN".into(),
            origin: SourceOrigin::Inferred,
        });
        a.entities = Entities {
            person: vec!["Dmitry Peskov".into()],
            org: vec![],
            place: vec!["Moscow".into()],
        };
        a.tags = vec!["war".into()];
        a.duplicate_of = Some("a0".into());
        let doc = Document::article(&a);
        assert_eq!(doc.date.as_deref(), Some("2023-05-25T00:00:00Z"));
        assert_eq!((doc.cluster.as_str(), doc.file.as_str()), ("a0", "news/a.txt"));
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["person"][0], "Dmitry Peskov");
        assert!(json.get("org").is_none(), "empty lists are left out: {json}");
        assert_eq!(serde_json::from_value::<Document>(json).unwrap(), doc);

        let p = Document::passage(&doc, 1, &a.body[23..34]);
        assert_eq!((p.id.as_str(), p.body.as_str()), ("a1#1", "Second one."));
        assert_eq!((p.article_id.as_deref(), p.passage), (Some("a1"), Some(1)));
        assert_eq!(
            (p.place.clone(), p.date.clone()),
            (doc.place.clone(), doc.date.clone())
        );
    }
}
