//! JSON (`.json`: one article, a list of them, or a wrapper object holding a
//! list) and JSON Lines (`.jsonl`, `.ndjson`: one article a line).
//!
//! A `.json` file that turns out to hold one object per line is read as JSON
//! Lines. In JSON Lines a bad line (invalid UTF-8, malformed JSON, no text)
//! costs only that line.

use serde_json::{Map, Value};

use super::record::{RecordAt, article_from_map, has_article_fields};
use std::io::{self, BufRead};

use super::{Problem, Reader, Severity, Sink, SourceFile, whole_text};

/// Names of list fields that wrap articles (`{"articles": [...]}`).
const WRAPPERS: &[&str] = &[
    "articles", "items", "data", "results", "docs", "records", "entries", "posts",
];

/// `.json`: one article, a list, or an object wrapping a list.
pub struct JsonReader;

impl Reader for JsonReader {
    fn name(&self) -> &'static str {
        "json"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }
    fn sniff(&self, head: &str) -> bool {
        head.trim_start().starts_with(['{', '['])
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        if let Some(text) = whole_text(input, source, out)? {
            self.read_text(&text, source, out);
        }
        Ok(())
    }
}

impl JsonReader {
    /// Reads a whole document already in memory.
    pub fn read_text(&self, input: &str, source: &SourceFile, out: &mut dyn Sink) {
        let value: Value = match serde_json::from_str(input) {
            Ok(v) => v,
            Err(e) if e.is_syntax() && looks_like_json_lines(input) => {
                // Reading from memory cannot fail.
                let _ = read_lines(&mut input.as_bytes(), source, out);
                return;
            }
            Err(e) => {
                out.problem(Problem {
                    line: Some(e.line() as u64),
                    ..source.problem(
                        Severity::Skipped,
                        format!("malformed JSON: {}", strip_position(&e)),
                    )
                });
                return;
            }
        };
        let is_json_feed = value
            .get("version")
            .and_then(Value::as_str)
            .is_some_and(|v| v.contains("jsonfeed.org"));
        if is_json_feed {
            super::feed::read_feed(input.as_bytes(), source, out);
            return;
        }
        match value {
            Value::Array(items) => read_list(&items, source, out),
            // A feed or API response: its own title names the feed, and the
            // articles are in a list ({"title": "My blog", "items": [...]}).
            Value::Object(map) if wrapped_list(&map).is_some() => {
                read_list(wrapped_list(&map).unwrap_or_default(), source, out)
            }
            Value::Object(map) if has_article_fields(&map) => {
                let at = RecordAt {
                    record: None,
                    line: None,
                };
                match article_from_map(&map, source, at, out) {
                    Ok(a) => out.article(a),
                    Err(msg) => out.problem(source.problem(Severity::Skipped, msg)),
                }
            }
            Value::Object(_) => out.problem(source.problem(
                Severity::Skipped,
                "no article fields (title, body, text, content, ...) and no list of articles",
            )),
            other => out.problem(source.problem(
                Severity::Skipped,
                format!("expected an object or a list of objects, found {}", short(&other)),
            )),
        }
    }
}

/// `.jsonl` / `.ndjson`: one article a line.
pub struct JsonLinesReader;

impl Reader for JsonLinesReader {
    fn name(&self) -> &'static str {
        "jsonl"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["jsonl", "ndjson"]
    }
    fn sniff(&self, _head: &str) -> bool {
        // A file of JSON lines starts like JSON; JsonReader sniffs it first
        // and hands it over when it sees several lines.
        false
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        read_lines(input, source, out)
    }
}

/// Reads JSON Lines as a stream, decoding each line on its own so that one
/// bad line is skipped and the others are read.
pub fn read_lines(input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
    let mut record = 0u64;
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    loop {
        let line = super::read_line_bounded(input, &mut buf, super::MAX_LINE_BYTES)?;
        if line == super::Line::End {
            return Ok(());
        }
        line_no += 1;
        if line == super::Line::TooLong {
            record += 1;
            out.problem(super::line_too_long(source, line_no));
            continue;
        }
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if line_no == 1 {
            raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw)
        } else {
            raw
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        record += 1;
        read_line(raw, line_no, record, source, out);
    }
}

/// Reads one line of JSON Lines.
fn read_line(raw: &[u8], line_no: u64, record: u64, source: &SourceFile, out: &mut dyn Sink) {
    let skip = |message: String| Problem {
        line: Some(line_no),
        ..source.problem(Severity::Skipped, message)
    };
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => {
            out.problem(skip(format!(
                "invalid UTF-8 at column {}; line skipped",
                e.valid_up_to() + 1
            )));
            return;
        }
    };
    let map = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            out.problem(skip(format!("expected a JSON object, found {}", short(&other))));
            return;
        }
        Err(e) => {
            out.problem(skip(format!("malformed JSON: {}", strip_position(&e))));
            return;
        }
    };
    let at = RecordAt {
        record: Some(record),
        line: Some(line_no),
    };
    match article_from_map(&map, source, at, out) {
        Ok(a) => out.article(a),
        Err(msg) => out.problem(skip(msg)),
    }
}

fn read_list(items: &[Value], source: &SourceFile, out: &mut dyn Sink) {
    for (i, item) in items.iter().enumerate() {
        let record = i as u64 + 1;
        let at = RecordAt {
            record: Some(record),
            line: None,
        };
        let result = match item {
            Value::Object(map) => article_from_map(map, source, at, out),
            other => Err(format!("expected an object, found {}", short(other))),
        };
        match result {
            Ok(a) => out.article(a),
            Err(msg) => out.problem(Problem {
                record: Some(record),
                ..source.problem(Severity::Skipped, msg)
            }),
        }
    }
}

/// A list of article-like objects under one of the wrapper keys.
fn wrapped_list(map: &Map<String, Value>) -> Option<&[Value]> {
    WRAPPERS.iter().find_map(|k| match map.get(*k) {
        Some(Value::Array(items))
            if items
                .iter()
                .any(|i| i.as_object().is_some_and(has_article_fields)) =>
        {
            Some(items.as_slice())
        }
        _ => None,
    })
}

/// True when the first two non-blank lines each parse as a JSON object.
fn looks_like_json_lines(input: &str) -> bool {
    let mut lines = input.lines().filter(|l| !l.trim().is_empty());
    let is_object =
        |l: Option<&str>| l.is_some_and(|l| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))));
    is_object(lines.next()) && is_object(lines.next())
}

/// serde_json's message without its " at line L column C" tail (the line is
/// reported separately).
fn strip_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    }
}

fn short(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    fn run(reader: &dyn Reader, name: &str, input: &str) -> Outcome {
        let source = SourceFile::new(name);
        let mut out = Outcome::default();
        reader.read(&mut input.as_bytes(), &source, &mut out).unwrap();
        out
    }

    #[test]
    fn one_object_a_list_and_a_wrapper() {
        let one = run(&JsonReader, "a.json", r#"{"title": "T", "body": "B"}"#);
        assert_eq!(one.articles.len(), 1);
        assert_eq!(one.articles[0].id, "a.json");
        let list = run(
            &JsonReader,
            "a.json",
            r#"[{"text": "x"}, {"text": "y", "id": "k"}]"#,
        );
        let ids: Vec<_> = list.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, vec!["a.json#1", "k"]);
        let wrapped = run(
            &JsonReader,
            "a.json",
            r#"{"status": "ok", "articles": [{"title": "t"}]}"#,
        );
        assert_eq!(wrapped.articles.len(), 1);
    }

    #[test]
    fn json_lines_in_a_json_file_are_read_as_lines() {
        let out = run(&JsonReader, "a.json", "{\"text\": \"x\"}\n{\"text\": \"y\"}\n");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].provenance.line, Some(2));
    }

    #[test]
    fn bad_lines_are_skipped_with_their_line_number() {
        let out = run(
            &JsonLinesReader,
            "a.jsonl",
            "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n[1]\n{\"date\": \"2023-01-01\"}\n{\"text\": \"ok2\"}",
        );
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].id, "a.jsonl#5");
        let msgs: Vec<_> = out.problems.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 3);
        assert!(
            msgs[0].starts_with("a.jsonl:3: malformed JSON: EOF while parsing a string"),
            "{}",
            msgs[0]
        );
        assert_eq!(msgs[1], "a.jsonl:4: expected a JSON object, found a list");
        assert!(msgs[2].starts_with("a.jsonl:5: no text"));
    }

    #[test]
    fn malformed_json_names_the_line() {
        let out = run(&JsonReader, "a.json", "{\n \"title\": \"x\",\n}");
        assert!(out.articles.is_empty());
        assert!(
            out.problems[0]
                .to_string()
                .starts_with("a.json:3: malformed JSON: trailing comma")
        );
    }
}
