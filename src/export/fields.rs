//! The exported fields and what each is for, in one list that both
//! engines' definitions are written from.

/// What a field holds, and so how an engine should index it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier: matched whole, sortable, not analysed.
    Id,
    /// Prose: analysed with English stemming, positions kept (phrases,
    /// highlighting).
    Text,
    /// The publication time.
    Date,
    /// Names to filter and count on: each value whole, also searchable by
    /// its words.
    Facet,
    /// A small whole number.
    Number,
    /// Kept with the document, not searched.
    Stored,
}

/// A field of [`super::Document`].
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Its name in the document.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether it holds a list of values.
    pub many: bool,
    /// Whether only passage documents have it.
    pub passage_only: bool,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        many: false,
        passage_only: false,
    }
}

const fn many(name: &'static str, kind: Kind) -> Field {
    Field {
        many: true,
        ..field(name, kind)
    }
}

const fn passage(name: &'static str, kind: Kind) -> Field {
    Field {
        passage_only: true,
        ..field(name, kind)
    }
}

/// Every field, in document order.
pub const FIELDS: &[Field] = &[
    field("id", Kind::Id),
    passage("article_id", Kind::Id),
    passage("passage", Kind::Number),
    field("title", Kind::Text),
    field("body", Kind::Text),
    field("date", Kind::Date),
    field("source", Kind::Facet),
    many("person", Kind::Facet),
    many("org", Kind::Facet),
    many("place", Kind::Facet),
    many("topic", Kind::Facet),
    many("authors", Kind::Facet),
    field("url", Kind::Stored),
    field("language", Kind::Id),
    field("cluster", Kind::Id),
    field("duplicate_of", Kind::Id),
    field("file", Kind::Id),
];

/// The fields documents of this level have.
pub fn fields(passages: bool) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| passages || !f.passage_only)
}

/// The fields searched when a query names none.
pub const DEFAULT_SEARCH: [&str; 2] = ["title", "body"];
