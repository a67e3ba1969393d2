//! From an [`Article`] to tantivy documents, and back.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Field;

use super::schema::{FacetFields, Fields, KIND_ARTICLE, article_key, name_key};
use crate::article::{Article, EntityKind};
use crate::passage::{Passage, split};

/// What an article document stores: the article and its passages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredArticle {
    /// The article as indexed.
    pub article: Article,
    /// Its passages, in order.
    pub passages: Vec<Passage>,
}

/// An article's documents: the article document first, then its passages,
/// to be added in one batch (see [`super::schema`]). With `whole`, the
/// whole body is one passage.
pub fn to_documents(fields: &Fields, article: &Article, whole: bool) -> Vec<TantivyDocument> {
    let mut passages = if whole {
        vec![Passage {
            start: 0,
            end: article.body.len(),
        }]
    } else {
        split(&article.body)
    };
    if passages.is_empty() {
        // An article with a title but no body still needs a passage to be found by.
        passages.push(Passage { start: 0, end: 0 });
    }
    let mut docs = Vec::with_capacity(passages.len() + 1);
    let file = article.provenance.file_key();

    let mut head = TantivyDocument::default();
    head.add_text(fields.id, &article.id);
    head.add_text(fields.file, &file);
    head.add_u64(fields.article_key, article_key(&article.id));
    head.add_text(fields.kind, KIND_ARTICLE);
    if let Some(first) = &article.duplicate_of {
        head.add_u64(fields.cluster, article_key(first));
    }
    if let Some(title) = &article.title {
        head.add_text(fields.title, title);
    }
    if let Some(date) = &article.date {
        head.add_date(fields.date, day_to_tantivy(date.day));
    }
    if let Some(source) = &article.source {
        add_facet(&mut head, fields.source, &source.name);
    }
    for kind in EntityKind::ALL {
        for name in article.entities.of(kind) {
            add_facet(&mut head, fields.entity(kind), name);
        }
    }
    for tag in &article.tags {
        add_facet(&mut head, fields.topic, tag);
    }
    /// [`StoredArticle`] by reference, to serialise without a copy.
    #[derive(Serialize)]
    struct Stored<'a> {
        article: &'a Article,
        passages: &'a [Passage],
    }
    let stored = Stored {
        article,
        passages: &passages,
    };
    // Serialising plain data with string keys cannot fail.
    let json = serde_json::to_string(&stored).unwrap_or_default();
    head.add_text(fields.article, json);
    docs.push(head);

    for p in &passages {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, &article.id);
        doc.add_text(fields.file, &file);
        doc.add_text(fields.text, p.text(&article.body));
        docs.push(doc);
    }
    docs
}

fn add_facet(doc: &mut TantivyDocument, f: FacetFields, name: &str) {
    doc.add_text(f.text, name);
    if let Some(key) = f.key {
        doc.add_text(key, name_key(name));
    }
    doc.add_text(f.name, name);
}

/// A day as tantivy stores it: midnight UTC of that calendar day.
///
/// Days outside what tantivy can hold (1677-09-22 to 2262-04-11, nanoseconds
/// in 64 bits) are clamped to its ends; readers never produce them, and
/// filters reaching past them mean "from the beginning" or "to the end".
pub fn day_to_tantivy(day: chrono::NaiveDate) -> tantivy::DateTime {
    const MIN_SECS: i64 = -9_223_372_036; // i64::MIN nanoseconds, in whole seconds
    const MAX_SECS: i64 = 9_223_372_036;
    let secs = day
        .and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp()
        .clamp(MIN_SECS, MAX_SECS);
    tantivy::DateTime::from_timestamp_secs(secs)
}

/// The calendar day a stored tantivy date stands for.
pub fn tantivy_to_day(date: tantivy::DateTime) -> Option<chrono::NaiveDate> {
    chrono::DateTime::from_timestamp(date.into_timestamp_secs(), 0).map(|dt| dt.date_naive())
}

/// Reads the stored article back from an article document.
pub fn from_document(article_field: Field, doc: &TantivyDocument) -> Option<StoredArticle> {
    use tantivy::schema::Value;
    let json = doc.get_first(article_field)?.as_str()?;
    serde_json::from_str(json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Provenance;

    #[test]
    fn one_article_document_then_its_passages() {
        let fields = Fields::build();
        let body = format!("{}\n\n{}", "word ".repeat(60), "other ".repeat(60));
        let mut a = Article::new("x", body, Provenance::file("x.txt"));
        a.title = Some("T".into());
        let docs = to_documents(&fields, &a, false);
        assert_eq!(docs.len(), 3);
        let stored = from_document(fields.article, &docs[0]).unwrap();
        assert_eq!(stored.article, a);
        assert_eq!(stored.passages.len(), 2);
        // Whole: one passage, the body.
        let docs = to_documents(&fields, &a, true);
        assert_eq!(docs.len(), 2);
        let stored = from_document(fields.article, &docs[0]).unwrap();
        assert_eq!(
            stored.passages,
            [Passage {
                start: 0,
                end: a.body.len()
            }]
        );
    }

    #[test]
    fn days_beyond_the_index_range_are_clamped_not_overflowed() {
        for (y, m, d) in [(1000, 1, 1), (9999, 12, 31), (1677, 1, 1), (2262, 12, 31)] {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let _ = day_to_tantivy(day);
        }
    }

    #[test]
    fn days_round_trip() {
        let day = chrono::NaiveDate::from_ymd_opt(1987, 2, 26).unwrap();
        assert_eq!(tantivy_to_day(day_to_tantivy(day)), Some(day));
    }
}
