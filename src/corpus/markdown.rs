//! Markdown (`.md`, `.markdown`): YAML (`---`) or TOML (`+++`) front matter,
//! then the body.
//!
//! Front matter keys are read like JSON fields (title, date, source, url,
//! authors, tags, people, organizations, places, under their usual aliases).
//! Without a title there, a leading `# Heading` is the title.

use serde_json::{Map, Value};

use super::record::{RecordAt, article_from_map};
use std::io::{self, BufRead};

use super::{Problem, Reader, Severity, Sink, SourceFile, whole_text};

/// `.md` files with optional front matter.
pub struct MarkdownReader;

impl Reader for MarkdownReader {
    fn name(&self) -> &'static str {
        "markdown"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["md", "markdown"]
    }
    fn sniff(&self, head: &str) -> bool {
        head.starts_with("---\n") || head.starts_with("---\r\n") || head.starts_with("+++\n")
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        if let Some(text) = whole_text(input, source, out)? {
            self.read_text(&text, source, out);
        }
        Ok(())
    }
}

impl MarkdownReader {
    /// Reads a whole document already in memory.
    pub fn read_text(&self, input: &str, source: &SourceFile, out: &mut dyn Sink) {
        let (front, body) = match split_front_matter(input) {
            Ok(parts) => parts,
            Err(msg) => {
                out.problem(source.problem(Severity::Skipped, msg));
                return;
            }
        };
        let mut map = match front {
            None => Map::new(),
            Some(FrontMatter::Yaml(text)) => match serde_saphyr::from_str::<Value>(text) {
                Ok(Value::Object(m)) => m,
                Ok(Value::Null) => Map::new(),
                Ok(_) => {
                    out.problem(skip(source, 2, "front matter is not a map of keys".into()));
                    return;
                }
                Err(e) => {
                    let msg = format!("malformed YAML front matter: {}", first_line(&e.to_string()));
                    out.problem(skip(source, 2, msg));
                    return;
                }
            },
            Some(FrontMatter::Toml(text)) => match text.parse::<toml::Table>() {
                Ok(t) => toml_to_json(toml::Value::Table(t))
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
                Err(e) => {
                    let msg = format!("malformed TOML front matter: {}", first_line(e.message()));
                    out.problem(skip(source, 2, msg));
                    return;
                }
            },
        };
        let mut body = body.to_string();
        if !map
            .keys()
            .any(|k| matches!(k.to_ascii_lowercase().as_str(), "title" | "headline"))
            && let Some((heading, rest)) = leading_heading(&body)
        {
            map.insert("title".into(), Value::String(heading));
            body = rest;
        }
        // The body is the text after the front matter, whatever key it had.
        for key in ["body", "text", "content", "article"] {
            map.remove(key);
        }
        map.insert("body".into(), Value::String(body));
        let at = RecordAt {
            record: None,
            line: None,
        };
        match article_from_map(&map, source, at, out) {
            Ok(a) => out.article(a),
            Err(msg) => out.problem(source.problem(Severity::Skipped, msg)),
        }
    }
}

enum FrontMatter<'a> {
    Yaml(&'a str),
    Toml(&'a str),
}

/// Splits off front matter. Returns the front matter and the body.
fn split_front_matter(input: &str) -> Result<(Option<FrontMatter<'_>>, &str), String> {
    let (fence, kind) = if input.starts_with("---\n") || input.starts_with("---\r\n") {
        ("---", "YAML")
    } else if input.starts_with("+++\n") || input.starts_with("+++\r\n") {
        ("+++", "TOML")
    } else {
        return Ok((None, input));
    };
    let after_open = input.find('\n').map_or(input.len(), |i| i + 1);
    let mut offset = after_open;
    for line in input[after_open..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == fence || (fence == "---" && bare == "...") {
            let front = &input[after_open..offset];
            let body = &input[offset + line.len()..];
            let front = if kind == "YAML" {
                FrontMatter::Yaml(front)
            } else {
                FrontMatter::Toml(front)
            };
            return Ok((Some(front), body));
        }
        offset += line.len();
    }
    Err(format!(
        "{kind} front matter opened with {fence} on line 1 is never closed"
    ))
}

/// A `# Heading` on the first non-blank line, and the body without it.
fn leading_heading(body: &str) -> Option<(String, String)> {
    let trimmed = body.trim_start();
    let first = trimmed.lines().next()?;
    let heading = first.strip_prefix("# ")?.trim().to_string();
    let rest = trimmed[first.len()..]
        .trim_start_matches(['\r', '\n'])
        .to_string();
    (!heading.is_empty()).then_some((heading, rest))
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn skip(source: &SourceFile, line: u64, message: String) -> Problem {
    Problem {
        line: Some(line),
        ..source.problem(Severity::Skipped, message)
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    fn run(input: &str) -> Outcome {
        let source = SourceFile::new("n/post.md");
        let mut out = Outcome::default();
        MarkdownReader.read_text(input, &source, &mut out);
        out
    }

    #[test]
    fn yaml_front_matter() {
        let out = run(
            "---\ntitle: Drone strike\ndate: 2023-05-25\nsource: CNN\nauthors: [Ann Lee]\n\
                       people:\n  - Dmitry Peskov\norganizations: [Kremlin]\nplaces: Moscow\ntags: [war]\n---\nBody text.\n",
        );
        let a = &out.articles[0];
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(a.id, "n/post.md");
        assert_eq!(a.title.as_deref(), Some("Drone strike"));
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.body, "Body text.\n");
        assert_eq!(a.entities.person, vec!["Dmitry Peskov"]);
        assert_eq!(a.entities.org, vec!["Kremlin"]);
        assert_eq!(a.entities.place, vec!["Moscow"]);
        assert_eq!(a.authors, vec!["Ann Lee"]);
    }

    #[test]
    fn toml_front_matter_with_a_native_date() {
        let out = run("+++\ntitle = \"T\"\ndate = 2023-05-25T10:00:00+02:00\n+++\nBody");
        let a = &out.articles[0];
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.title.as_deref(), Some("T"));
    }

    #[test]
    fn a_heading_is_the_title_when_front_matter_has_none() {
        let out = run("# The headline\n\nFirst paragraph.");
        assert_eq!(out.articles[0].title.as_deref(), Some("The headline"));
        assert_eq!(out.articles[0].body, "First paragraph.");
    }

    #[test]
    fn broken_front_matter_is_reported() {
        let out = run("---\ntitle: [unclosed\n---\nBody");
        assert!(
            out.problems[0]
                .to_string()
                .starts_with("n/post.md:2: malformed YAML front matter")
        );
        let out = run("---\ntitle: x\nBody");
        assert!(out.problems[0].to_string().contains("never closed"));
    }
}
