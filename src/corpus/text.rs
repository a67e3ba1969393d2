//! Plain text (`.txt`): the reference format.
//!
//! An optional header at the very start gives metadata, one key a line:
//! `date YYYY-MM-DD` as the seed article has it (the body may go on after
//! the date on the same line), or `key: value` for `date`, `title`,
//! `source`, `url`, `author(s)` and `id`. The rest is the body. Without a
//! header title, a short first line followed by a blank line is the title,
//! as in BBC-style dumps. A file with no date has no date.

use std::io::{self, BufRead};

use super::{Problem, Reader, Severity, Sink, SourceFile, whole_text};
use crate::article::{Article, Provenance, PubDate, Source, SourceOrigin};
use crate::enrich::date::parse_date;

/// A first line this short (in characters), followed by a blank line, is a title.
const MAX_TITLE_CHARS: usize = 150;

/// `.txt` files.
pub struct TextReader;

impl Reader for TextReader {
    fn name(&self) -> &'static str {
        "text"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["txt", "text"]
    }
    fn sniff(&self, _head: &str) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        if let Some(text) = whole_text(input, source, out)? {
            self.read_text(&text, source, out);
        }
        Ok(())
    }
}

impl TextReader {
    /// Reads a whole document already in memory.
    pub fn read_text(&self, input: &str, source: &SourceFile, out: &mut dyn Sink) {
        let mut article = Article::new(source.derived_id(None), "", Provenance::file(&source.path));
        let mut rest = input.trim_start_matches(['\n', '\r', ' ', '\t']);
        let skipped = &input[..input.len() - rest.len()];
        let mut line_no = 1 + skipped.matches('\n').count() as u64;
        let mut had_header = false;
        loop {
            let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
            let line = &rest[..line_end];
            match header_line(line) {
                Some(Header::Field(key, value)) => {
                    apply(&mut article, key, value, source, line_no, out);
                    rest = &rest[line_end..];
                    line_no += 1;
                    had_header = true;
                }
                Some(Header::DateThenBody(date, body_start)) => {
                    article.date = Some(date);
                    rest = &rest[body_start..];
                    had_header = true;
                    break;
                }
                None => break,
            }
        }
        if had_header {
            rest = rest.trim_start_matches([' ', '\t']);
        }
        let body = rest.trim_start_matches(['\n', '\r']).trim_end();
        let mut body = body.to_string();
        if article.title.is_none()
            && let Some((title, after)) = leading_title(&body)
        {
            article.title = Some(title);
            body = after;
        }
        if body.trim().is_empty() && article.title.is_none() {
            out.problem(source.problem(Severity::Skipped, "empty file: no text to index"));
            return;
        }
        article.body = body;
        out.article(article);
    }
}

enum Header<'a> {
    /// `key: value` on a line of its own.
    Field(&'a str, &'a str),
    /// `date YYYY-MM-DD` followed by the start of the body on the same line
    /// (the seed's form); the offset is where the body starts in the line.
    DateThenBody(PubDate, usize),
}

const KEYS: &[&str] = &[
    "date", "title", "source", "url", "author", "authors", "byline", "id",
];

fn header_line(line: &str) -> Option<Header<'_>> {
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim_start();
    let key_len = trimmed
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    let key = &trimmed[..key_len];
    if !KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        return None;
    }
    let after_key = &trimmed[key_len..];
    if let Some(value) = after_key.strip_prefix(':') {
        let value = value.trim();
        // "Source: ministry figures show inflation rose..." is a sentence,
        // not a header: names are short.
        let limit = match key.to_ascii_lowercase().as_str() {
            "title" => 300,
            "url" | "date" => 200,
            _ => 100,
        };
        let words = value.split_whitespace().count();
        let sentence_like = !key.eq_ignore_ascii_case("title") && key != "url" && words > 8;
        if value.chars().count() > limit || sentence_like {
            return None;
        }
        return Some(Header::Field(key, value));
    }
    // Without a colon only `date` is a header, and only when a date follows.
    if !key.eq_ignore_ascii_case("date") || !after_key.starts_with([' ', '\t']) {
        return None;
    }
    let value_start = after_key.len() - after_key.trim_start().len();
    let value = after_key.trim_start();
    let token_len = value.find(char::is_whitespace).unwrap_or(value.len());
    let date = parse_date(&value[..token_len]).ok()?;
    let body_start = lead + key_len + value_start + token_len;
    Some(Header::DateThenBody(date, body_start))
}

fn apply(article: &mut Article, key: &str, value: &str, source: &SourceFile, line: u64, out: &mut dyn Sink) {
    if value.is_empty() {
        return;
    }
    match key.to_ascii_lowercase().as_str() {
        "date" => match parse_date(value) {
            Ok(d) => article.date = Some(d),
            Err(e) => out.problem(Problem {
                line: Some(line),
                ..source.problem(Severity::Warning, format!("{e}; indexed without a date"))
            }),
        },
        "title" => article.title = Some(value.to_string()),
        "source" => {
            article.source = Some(Source {
                name: value.to_string(),
                origin: SourceOrigin::Given,
            })
        }
        "url" => article.url = Some(value.to_string()),
        "id" => article.id = value.to_string(),
        _ => article
            .authors
            .extend(value.split([',', ';']).map(|s| s.trim().to_string())),
    }
}

/// A short first line followed by a blank line, and the body after it.
fn leading_title(body: &str) -> Option<(String, String)> {
    let (first, rest) = body.split_once('\n')?;
    let first = first.trim();
    let rest_trimmed = rest.trim_start_matches([' ', '\t', '\r']);
    let blank_follows = rest_trimmed.starts_with('\n');
    let short = !first.is_empty() && first.chars().count() <= MAX_TITLE_CHARS;
    let not_a_sentence_run = !first.ends_with(['.', ',', ';', ':']) || first.ends_with("...");
    (blank_follows && short && not_a_sentence_run && !rest.trim().is_empty())
        .then(|| (first.to_string(), rest.trim_start().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    fn run(input: &str) -> Outcome {
        let source = SourceFile::new("c/000_x.txt");
        let mut out = Outcome::default();
        TextReader.read_text(input, &source, &mut out);
        out
    }

    #[test]
    fn the_seed_form_date_then_body_on_one_line() {
        let out = run(" date 2023-05-25 US officials have heard.\n\nMore text.");
        let a = &out.articles[0];
        assert_eq!(a.id, "c/000_x.txt");
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.body, "US officials have heard.\n\nMore text.");
        assert_eq!(a.title, None);
    }

    #[test]
    fn key_value_headers() {
        let out = run(
            "title: Drone strike\ndate: 2023-05-25T23:30:00-04:00\nsource: CNN\nurl: https://x\nauthor: Ann Lee, Bob Ray\n\nBody here.",
        );
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Drone strike"));
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.source.as_ref().unwrap().name, "CNN");
        assert_eq!(a.url.as_deref(), Some("https://x"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bob Ray"]);
        assert_eq!(a.body, "Body here.");
    }

    #[test]
    fn a_sentence_starting_with_a_key_is_body_text() {
        let text = "Source: ministry figures show that inflation rose again in May, the third rise in a row.";
        let out = run(text);
        let a = &out.articles[0];
        assert_eq!(a.source, None);
        assert_eq!(a.body, text);
    }

    #[test]
    fn bbc_style_title_line() {
        let out = run("Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant rose.\n");
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Ad sales boost Time Warner profit"));
        assert_eq!(a.body, "Quarterly profits at US media giant rose.");
        assert_eq!(a.date, None);
    }

    #[test]
    fn a_word_date_is_not_a_header() {
        let out = run("Date set for elections in May.\nMore.");
        let a = &out.articles[0];
        assert_eq!(a.date, None);
        assert!(a.body.starts_with("Date set"));
    }

    #[test]
    fn a_bad_header_date_warns_and_the_file_is_indexed() {
        let out = run("date: someday\n\nText.");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(
            out.problems[0].to_string(),
            "c/000_x.txt:1: unrecognised date \"someday\" (expected e.g. 2023-05-25, 2023-05-25T10:00:00Z or an RFC 2822 date); indexed without a date"
        );
    }

    #[test]
    fn an_empty_file_is_skipped() {
        let out = run("  \n\n");
        assert!(out.articles.is_empty());
        assert!(out.problems[0].message.starts_with("empty file"));
    }
}
