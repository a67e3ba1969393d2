//! The tantivy schema: one place that says what each field is for.
//!
//! An index holds two kinds of document:
//!
//! - one **article** document per article: the article itself as stored
//!   JSON (for `show` and for cutting passages out of the body), its title,
//!   date and facet fields. Everything that belongs to the whole article
//!   lives here once: filters and facets are evaluated on article documents.
//! - one **passage** document per passage, right after its article's
//!   document: the passage's searchable text, and nothing else of note.
//!
//! An article's documents are added in one batch, so they are contiguous in
//! their segment, and tantivy keeps documents in order when it merges
//! segments and drops deleted ones. A passage's article is therefore the
//! nearest article document before it, and its number is its distance from
//! it, minus one. No join, no hash, no lookup, no column to read.
//!
//! Both kinds carry the article's `id` and `file`, indexed only, so that an
//! upsert or a changed file deletes all of an article's documents at once.
//!
//! A near-duplicate's article document has a `cluster` column: the
//! `article_key` of the first article of its cluster (see
//! [`crate::enrich::duplicates`]). The first article itself has none, so
//! the column costs 8 bytes per copy and nothing for other articles.
//!
//! Each facet (`source`, `person`, `org`, `place`, `topic`) has the
//! tokenized text for query scoping and name filters (`person:zelenskyy`,
//! `--person zelenskyy`) and a `_name` fast column holding the display form
//! for facet counts; sources and topics also have a lowercased `_key` for
//! exact, case-insensitive filters (`--source cnn`). (People, organisations
//! and places had one too until schema 5, which nothing read.)

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::article::EntityKind;

/// The tokenizer for article text and titles: words, lowercased, English stems.
pub const TEXT_TOKENIZER: &str = "en_stem";
/// The tokenizer for names in query scoping: words, lowercased, no stemming.
pub const NAME_TOKENIZER: &str = "default";

/// `kind` of an article document.
pub const KIND_ARTICLE: &str = "article";

/// The fields behind one facet.
#[derive(Debug, Clone, Copy)]
pub struct FacetFields {
    /// Tokenized names, for `field:word` in queries and name filters.
    pub text: Field,
    /// Lowercased whole names, for exact filters: sources and topics only
    /// (people, organisations and places are filtered by their words).
    pub key: Option<Field>,
    /// Display names as a fast column, for counting.
    pub name: Field,
    /// The fast column's name.
    pub name_column: &'static str,
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The schema itself.
    pub schema: Schema,
    /// The article's id (both kinds, indexed only: the stored article has it).
    pub id: Field,
    /// A 64-bit hash of the id (article documents), a stable tie-breaker.
    pub article_key: Field,
    /// `article` on article documents, so they can be listed.
    pub kind: Field,
    /// The `article_key` of the head of the article's near-duplicate
    /// cluster (article documents of cluster members; a head has none).
    pub cluster: Field,
    /// The normalised path of the file the article was read from (both
    /// kinds), so that a changed or removed file's articles can be deleted.
    pub file: Field,
    /// The publication day, as midnight UTC of the publisher's calendar day.
    pub date: Field,
    /// The article as stored JSON (article documents).
    pub article: Field,
    /// Passage text (passage documents).
    pub text: Field,
    /// The article's title (article documents).
    pub title: Field,
    /// The source facet.
    pub source: FacetFields,
    /// The person facet.
    pub person: FacetFields,
    /// The organisation facet.
    pub org: FacetFields,
    /// The place facet.
    pub place: FacetFields,
    /// The topic facet (tags, topics, keywords from metadata).
    pub topic: FacetFields,
}

impl Fields {
    /// Builds the schema and keeps a handle to each field.
    pub fn build() -> Fields {
        let mut b = Schema::builder();
        let text_options = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let id = b.add_text_field("id", STRING);
        let article_key = b.add_u64_field("article_key", FAST);
        let kind = b.add_text_field("kind", STRING);
        let cluster = b.add_u64_field("cluster", FAST);
        let file = b.add_text_field("file", STRING);
        // Read as a column only: date filters and sorts use the column.
        let date = b.add_date_field(
            "date",
            DateOptions::default()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        let article = b.add_text_field("article", STORED);
        let text = b.add_text_field("text", text_options(TEXT_TOKENIZER));
        let title = b.add_text_field("title", text_options(TEXT_TOKENIZER));
        let mut facet = |name: &'static str, name_column: &'static str, exact: bool| FacetFields {
            text: b.add_text_field(name, text_options(NAME_TOKENIZER)),
            key: exact.then(|| b.add_text_field(&format!("{name}_key"), STRING)),
            name: b.add_text_field(name_column, TextOptions::default().set_fast("raw")),
            name_column,
        };
        let source = facet("source", "source_name", true);
        let person = facet("person", "person_name", false);
        let org = facet("org", "org_name", false);
        let place = facet("place", "place_name", false);
        let topic = facet("topic", "topic_name", true);
        Fields {
            schema: b.build(),
            id,
            article_key,
            kind,
            cluster,
            file,
            date,
            article,
            text,
            title,
            source,
            person,
            org,
            place,
            topic,
        }
    }

    /// The fields of an entity facet.
    pub fn entity(&self, kind: EntityKind) -> FacetFields {
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Org => self.org,
            EntityKind::Place => self.place,
        }
    }

    /// The fields of a facet by its name in query syntax and on the command
    /// line (`source`, `person`, `org`, `place`).
    pub fn facet_named(&self, name: &str) -> Option<FacetFields> {
        match name {
            "source" => Some(self.source),
            "person" => Some(self.person),
            "org" => Some(self.org),
            "place" => Some(self.place),
            "topic" => Some(self.topic),
            _ => None,
        }
    }
}

/// The stable 64-bit key of an article id (FNV-1a).
pub fn article_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The form of a name that filters compare: lowercased, spaces folded.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable() {
        // Keys are stored in indexes: changing the hash breaks every index.
        assert_eq!(article_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(article_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(article_key("reuters-1"), article_key("reuters-2"));
        assert_eq!(name_key("  Volodymyr   ZELENSKYY "), "volodymyr zelenskyy");
    }
}
