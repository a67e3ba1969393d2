//! Records: an article's fields under the names publishers use.
//!
//! JSON, JSON Lines and Markdown front matter all arrive as a map of named
//! values. [`article_from_map`] finds each field under any of its common
//! names ([`FIELD_ALIASES`], matched case-insensitively) and accepts the
//! shapes seen in the wild: a string or a list for authors and entities, an
//! object with a `name` for a source, a number for a Unix timestamp.

use serde_json::{Map, Value};

use super::{Problem, Severity, Sink, SourceFile};
use crate::article::{Article, Provenance, Source, SourceOrigin};
use crate::enrich::date;

/// Each article field and the names it is found under, in order of preference.
pub const FIELD_ALIASES: &[(&str, &[&str])] = &[
    ("id", &["id", "guid", "uuid", "_id", "doc_id", "docid"]),
    ("title", &["title", "headline", "name"]),
    (
        "body",
        &[
            "body",
            "text",
            "content",
            "article",
            "maintext",
            "description",
            "summary",
        ],
    ),
    (
        "date",
        &[
            "date",
            "published",
            "published_at",
            "publishedat",
            "pub_date",
            "pubdate",
            "date_publish",
            "datetime",
            "timestamp",
            "created_at",
        ],
    ),
    (
        "source",
        &[
            "source",
            "publisher",
            "site",
            "site_name",
            "publication",
            "outlet",
            "source_domain",
        ],
    ),
    ("url", &["url", "link", "canonical_url", "web_url"]),
    ("authors", &["authors", "author", "byline", "creator"]),
    ("person", &["people", "persons", "person"]),
    (
        "org",
        &["organizations", "organisations", "orgs", "org", "organization"],
    ),
    (
        "place",
        &["places", "locations", "glocations", "place", "location"],
    ),
    ("tags", &["tags", "topics", "keywords", "categories", "subjects"]),
];

/// Names a corpus uses for article fields, tried before the usual ones:
/// `--map title=headline,date=pubtime` or a `[map]` table in newsdex.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    names: Vec<(&'static str, String)>,
}

impl FieldMap {
    /// Parses `field=name,field=name`; fields are those of [`FIELD_ALIASES`].
    pub fn parse(spec: &str) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, name) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not field=name (as in title=headline)"))?;
            map.add(field.trim(), name.trim())?;
        }
        Ok(map)
    }

    /// Maps one field to a name the corpus uses.
    pub fn add(&mut self, field: &str, name: &str) -> Result<(), String> {
        let known = FIELD_ALIASES
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(field))
            .map(|(f, _)| *f);
        let Some(field) = known else {
            let fields: Vec<&str> = FIELD_ALIASES.iter().map(|(f, _)| *f).collect();
            return Err(format!(
                "unknown field {field:?}: fields are {}",
                fields.join(", ")
            ));
        };
        if name.is_empty() {
            return Err(format!("no name given for the field {field}"));
        }
        self.names.push((field, name.to_string()));
        Ok(())
    }

    /// Adds another map's names after this one's.
    pub fn extend(&mut self, other: &FieldMap) {
        self.names.extend(other.names.iter().cloned());
    }

    fn names_for(&self, field: &str) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, n)| n.as_str())
    }
}

/// Where a record sits in its file, for ids and messages.
#[derive(Debug, Clone, Copy)]
pub struct RecordAt {
    /// 1-based record number, for files holding several articles.
    pub record: Option<u64>,
    /// 1-based line where the record starts, where known.
    pub line: Option<u64>,
}

/// Builds an article from a record, or says why the record cannot be one.
///
/// Problems that leave the article usable (an unreadable date) are pushed to
/// `out` as warnings; the article is returned without that field.
pub fn article_from_map(
    map: &Map<String, Value>,
    source: &SourceFile,
    at: RecordAt,
    out: &mut dyn Sink,
) -> Result<Article, String> {
    let field = |name: &str| lookup(map, name, &source.fields);
    let title = field("title").and_then(text_of);
    let body = field("body").and_then(text_of).unwrap_or_default();
    if body.trim().is_empty() && title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err("no text: expected a body (body, text, content, article, description) or a title".into());
    }
    let id = field("id")
        .and_then(scalar_text)
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| source.derived_id(at.record));
    let provenance = Provenance {
        path: source.path.clone(),
        line: at.line,
        record: at.record,
    };
    let mut article = Article::new(id, body, provenance);
    article.title = title;
    article.url = field("url").and_then(scalar_text);
    article.source = field("source").and_then(source_name).map(|name| Source {
        name,
        origin: SourceOrigin::Given,
    });
    article.authors = field("authors").map(names_of).unwrap_or_default();
    article.entities.person = field("person").map(names_of).unwrap_or_default();
    article.entities.org = field("org").map(names_of).unwrap_or_default();
    article.entities.place = field("place").map(names_of).unwrap_or_default();
    article.tags = field("tags").map(names_of).unwrap_or_default();
    if let Some(value) = field("date") {
        let parsed = match value {
            // Numbers: YYYYMMDD, or Unix seconds or milliseconds.
            Value::Number(n) => match n.as_i64() {
                Some(i) if (10_000_101..=99_991_231).contains(&i) => {
                    date::parse_date(&i.to_string()).map_err(|e| e.to_string())
                }
                Some(i) if i.unsigned_abs() >= 100_000_000 => date::from_unix(i).map_err(|e| e.to_string()),
                Some(_) => Err(format!(
                    "the number {n} is not a date (expected Unix seconds or YYYYMMDD)"
                )),
                None => Err(format!("date {n} is not a whole number of seconds")),
            },
            Value::String(s) => date::parse_date(s).map_err(|e| e.to_string()),
            other => Err(format!("date must be text or a number, not {}", kind_of(other))),
        };
        match parsed {
            Ok(d) => article.date = Some(d),
            Err(msg) => out.problem(Problem {
                path: source.path.clone(),
                line: at.line,
                record: at.record.filter(|_| at.line.is_none()),
                severity: Severity::Warning,
                message: format!("{msg}; indexed without a date"),
            }),
        }
    }
    Ok(article)
}

/// The value of an article field under a mapped name or any of its
/// aliases (matched case-insensitively).
fn lookup<'a>(map: &'a Map<String, Value>, field: &str, mapped: &FieldMap) -> Option<&'a Value> {
    let aliases = FIELD_ALIASES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, a)| *a)
        .unwrap_or(&[]);
    let get = |name: &str| {
        map.get(name)
            .or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .filter(|v| !v.is_null())
    };
    mapped
        .names_for(field)
        .find_map(get)
        .or_else(|| aliases.iter().find_map(|alias| get(alias)))
}

/// True when a map has any field newsdex reads as an article's text.
pub fn has_article_fields(map: &Map<String, Value>) -> bool {
    let none = FieldMap::default();
    lookup(map, "body", &none).is_some() || lookup(map, "title", &none).is_some()
}

/// A text field: a string, or the `text`/`value` of an object, or list items
/// joined by blank lines.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        Value::Object(o) => ["text", "value", "content", "rendered"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text_of)),
        _ => None,
    }
}

/// A scalar as text: strings as they are, numbers written out.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["href", "url", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(scalar_text)),
        _ => None,
    }
}

/// A source: a string, or an object's `name`/`title`/`domain`.
fn source_name(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => ["name", "title", "domain", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_str()).map(str::to_string)),
        _ => None,
    }
}

/// A list of names: a list of strings or of objects with a `name`, or one
/// string separated by semicolons, commas or " and ".
fn names_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => split_names(s),
        Value::Array(items) => items
            .iter()
            .flat_map(|item| match item {
                Value::String(s) => vec![s.clone()],
                Value::Object(o) => ["name", "title", "value"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(|v| v.as_str()))
                    .map(|s| vec![s.to_string()])
                    .unwrap_or_default(),
                _ => Vec::new(),
            })
            .collect(),
        Value::Object(o) => ["name", "title"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_str()))
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn split_names(s: &str) -> Vec<String> {
    let s = s.trim();
    let s = s
        .strip_prefix("By ")
        .or_else(|| s.strip_prefix("by "))
        .unwrap_or(s);
    let sep = if s.contains(';') { ";" } else { "," };
    s.split(sep)
        .flat_map(|part| part.split(" and "))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;
    use serde_json::json;

    fn read(v: Value) -> (Result<Article, String>, Vec<String>) {
        let source = SourceFile::new("c/a.jsonl");
        let mut out = Outcome::default();
        let at = RecordAt {
            record: Some(2),
            line: Some(2),
        };
        let r = article_from_map(v.as_object().unwrap(), &source, at, &mut out);
        (r, out.problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn every_alias_is_read() {
        let (a, problems) = read(json!({
            "guid": 42, "Headline": "H", "content": "C", "publishedAt": "2023-05-25T10:00:00Z",
            "source": {"id": null, "name": "CNN"}, "link": "https://x/y",
            "byline": "By Ann Lee and Bob Ray", "persons": ["Volodymyr Zelenskyy"],
            "orgs": "Kremlin; CNN", "glocations": [{"name": "Moscow"}], "topics": ["war"]
        }));
        let a = a.unwrap();
        assert!(problems.is_empty());
        assert_eq!(a.id, "42");
        assert_eq!(a.title.as_deref(), Some("H"));
        assert_eq!(a.body, "C");
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.source.unwrap().name, "CNN");
        assert_eq!(a.url.as_deref(), Some("https://x/y"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bob Ray"]);
        assert_eq!(a.entities.person, vec!["Volodymyr Zelenskyy"]);
        assert_eq!(a.entities.org, vec!["Kremlin", "CNN"]);
        assert_eq!(a.entities.place, vec!["Moscow"]);
        assert_eq!(a.tags, vec!["war"]);
    }

    /// Every alias of every field is read, in any case.
    #[test]
    fn each_alias_is_read() {
        let value_for = |field: &str| match field {
            "date" => json!("2023-05-25"),
            "person" | "org" | "place" | "authors" | "tags" => json!(["X Y"]),
            "source" => json!("Outlet"),
            _ => json!("value"),
        };
        for (field, aliases) in FIELD_ALIASES {
            for alias in *aliases {
                for key in [alias.to_string(), alias.to_uppercase()] {
                    let mut map = serde_json::Map::new();
                    if *field != "body" {
                        map.insert("body".into(), json!("the text"));
                    }
                    map.insert(key.clone(), value_for(field));
                    let (a, problems) = read(Value::Object(map));
                    let a = a.unwrap_or_else(|e| panic!("{key}: {e}"));
                    assert!(problems.is_empty(), "{key}: {problems:?}");
                    let got = match *field {
                        "id" => a.id,
                        "title" => a.title.unwrap_or_default(),
                        "body" => a.body,
                        "date" => a.date.map(|d| d.day.to_string()).unwrap_or_default(),
                        "source" => a.source.map(|s| s.name).unwrap_or_default(),
                        "url" => a.url.unwrap_or_default(),
                        "authors" => a.authors.join(","),
                        "person" => a.entities.person.join(","),
                        "org" => a.entities.org.join(","),
                        "place" => a.entities.place.join(","),
                        "tags" => a.tags.join(","),
                        other => panic!("untested field {other}"),
                    };
                    let want = match *field {
                        "date" => "2023-05-25",
                        "person" | "org" | "place" | "authors" | "tags" => "X Y",
                        "source" => "Outlet",
                        _ => "value",
                    };
                    assert_eq!(got, want, "alias {key} of {field}");
                }
            }
        }
    }

    #[test]
    fn mapped_names_come_first() {
        let mut source = SourceFile::new("c/a.jsonl");
        source.fields = std::sync::Arc::new(FieldMap::parse("title=hed, date=pubtime").unwrap());
        let mut out = Outcome::default();
        let v = json!({"hed": "Mapped", "title": "Usual", "pubtime": "2023-05-25", "text": "t"});
        let at = RecordAt {
            record: None,
            line: None,
        };
        let a = article_from_map(v.as_object().unwrap(), &source, at, &mut out).unwrap();
        assert_eq!(a.title.as_deref(), Some("Mapped"));
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert!(FieldMap::parse("titel=x").unwrap_err().contains("unknown field"));
        assert!(FieldMap::parse("title").unwrap_err().contains("field=name"));
    }

    #[test]
    fn a_bad_date_warns_and_keeps_the_article() {
        let (a, problems) = read(json!({"text": "t", "date": "someday"}));
        assert!(a.unwrap().date.is_none());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("c/a.jsonl:2: unrecognised date \"someday\""));
    }

    #[test]
    fn unix_dates_and_derived_ids() {
        let (a, _) = read(json!({"body": "b", "timestamp": 1685008800}));
        let a = a.unwrap();
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.id, "c/a.jsonl#2");
    }

    #[test]
    fn a_record_without_text_is_refused() {
        let (a, _) = read(json!({"date": "2023-05-25", "body": "  "}));
        assert!(a.unwrap_err().starts_with("no text"));
    }
}
