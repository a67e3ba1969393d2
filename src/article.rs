//! The article model: the one currency of newsdex.
//!
//! Readers in [`crate::corpus`] produce [`Article`]s, [`crate::enrich`] fills in
//! what the file did not say (the source, later the entities), [`crate::passage`]
//! splits the body, and only [`crate::index`] turns an article into tantivy
//! documents. This module knows nothing of files, tantivy or output formats.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One news article, as read from the corpus and enriched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The record's own id, or one derived from its path and record number.
    pub id: String,
    /// The headline, where the file gives one.
    pub title: Option<String>,
    /// The article text. Passage offsets are byte offsets into this string.
    pub body: String,
    /// The publication day and, where known, the exact time.
    pub date: Option<PubDate>,
    /// The outlet that published the article.
    pub source: Option<Source>,
    /// The article's canonical address.
    pub url: Option<String>,
    /// Bylines, in the order given.
    #[serde(default)]
    pub authors: Vec<String>,
    /// People, organisations and places named by the article.
    #[serde(default)]
    pub entities: Entities,
    /// Free tags or topics from the metadata.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The language the page declares (`en`, `en-GB`), where it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the article was read from.
    pub provenance: Provenance,
    /// The id of the first article indexed of which this one is a near
    /// duplicate (a syndicated copy, a light rewrite): its cluster's head.
    /// Set by indexing ([`crate::enrich::duplicates`]), not read from files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

impl Article {
    /// An article with only a body and a provenance; the rest is empty.
    pub fn new(id: impl Into<String>, body: impl Into<String>, provenance: Provenance) -> Article {
        Article {
            id: id.into(),
            title: None,
            body: body.into(),
            date: None,
            source: None,
            url: None,
            authors: Vec::new(),
            entities: Entities::default(),
            tags: Vec::new(),
            language: None,
            provenance,
            duplicate_of: None,
        }
    }

    /// The title, or failing that the first words of the body, for display.
    pub fn display_title(&self, max_chars: usize) -> String {
        match &self.title {
            Some(t) if !t.trim().is_empty() => t.trim().to_string(),
            _ => {
                let first_line = self.body.trim_start().lines().next().unwrap_or("");
                truncate_words(first_line, max_chars)
            }
        }
    }
}

/// Cuts `text` at a word boundary so that it holds at most `max_chars`
/// characters, adding an ellipsis when something was cut.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
    )
}

/// When an article was published.
///
/// `day` is the calendar day in the publisher's own time zone, as the
/// publisher states it: an article stamped `2020-01-02T00:30:00+01:00` was
/// published on 2 January, although it was still 1 January in UTC. Filters,
/// facets and display use the day; `timestamp` keeps the exact instant in UTC
/// when the source gave a time with a known offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PubDate {
    /// The publication day in the publisher's time zone.
    pub day: NaiveDate,
    /// The exact publication time, in UTC, where one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
}

impl PubDate {
    /// A date known only to the day.
    pub fn day(day: NaiveDate) -> PubDate {
        PubDate { day, timestamp: None }
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.day.format("%Y-%m-%d"))
    }
}

/// The outlet that published an article, and how newsdex knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The outlet's name as shown, e.g. `CNN`.
    pub name: String,
    /// Whether the file named the source or newsdex inferred it from the text.
    pub origin: SourceOrigin,
}

/// How a source came to be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceOrigin {
    /// A metadata field (JSON `source`, a front-matter key, a text header).
    Given,
    /// An attribution in the text ("as per CNN", "(Reuters) -").
    Inferred,
}

/// The kinds of named entity newsdex facets on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// People.
    Person,
    /// Organisations: companies, agencies, parties, outlets.
    Org,
    /// Places: countries, cities, regions.
    Place,
}

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Org, EntityKind::Place];

    /// The name used in query syntax, facets and JSON (`person`, `org`, `place`).
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
        }
    }
}

/// People, organisations and places named by an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entities {
    /// People.
    #[serde(default)]
    pub person: Vec<String>,
    /// Organisations.
    #[serde(default)]
    pub org: Vec<String>,
    /// Places.
    #[serde(default)]
    pub place: Vec<String>,
}

impl Entities {
    /// The names of one kind.
    pub fn of(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Org => &self.org,
            EntityKind::Place => &self.place,
        }
    }

    /// The names of one kind, to add to.
    pub fn of_mut(&mut self, kind: EntityKind) -> &mut Vec<String> {
        match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Org => &mut self.org,
            EntityKind::Place => &mut self.place,
        }
    }

    /// True when no entity of any kind is known.
    pub fn is_empty(&self) -> bool {
        self.person.is_empty() && self.org.is_empty() && self.place.is_empty()
    }
}

/// Where an article was read from: the file, and the line or record within it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The file, as it was reached from the path given to `newsdex index`.
    pub path: PathBuf,
    /// The 1-based line where the record starts, for line-oriented formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The 1-based record number, for files holding several articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl Provenance {
    /// A whole file holding one article.
    pub fn file(path: impl Into<PathBuf>) -> Provenance {
        Provenance {
            path: path.into(),
            line: None,
            record: None,
        }
    }
}

impl Provenance {
    /// The file's path as a key: lexically normalised (`./` dropped, `/`
    /// separators), as derived ids and the index's file manifest use it.
    pub fn file_key(&self) -> String {
        path_key(&self.path)
    }
}

/// A path lexically normalised: `./corpus//a.txt` -> `corpus/a.txt`.
pub fn path_key(path: &std::path::Path) -> String {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| match c {
            std::path::Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        } else if let Some(record) = self.record {
            write!(f, "#{record}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_title_falls_back_to_the_lead() {
        let mut a = Article::new(
            "x",
            "US officials have heard Ukrainian officials blame one another",
            Provenance::file("a.txt"),
        );
        assert_eq!(a.display_title(30), "US officials have heard…");
        a.title = Some(" Drone strike ".into());
        assert_eq!(a.display_title(30), "Drone strike");
    }

    #[test]
    fn provenance_prints_path_and_line() {
        let mut p = Provenance::file("corpus/a.jsonl");
        assert_eq!(p.to_string(), "corpus/a.jsonl");
        p.line = Some(17);
        assert_eq!(p.to_string(), "corpus/a.jsonl:17");
    }
}
