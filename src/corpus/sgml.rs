//! Reuters-21578 SGML (`.sgm`, `.sgml`): each `<REUTERS>` story an article.
//!
//! The files are SGML, not XML (no root element, `&#3;` control-character
//! entities, unescaped text), so no XML parser reads them; this reader
//! scans lines, keeping one story in memory at a time. A byte that is not
//! UTF-8 (one in `reut2-017.sgm`) is read as Latin-1 and reported once per
//! file. What becomes of each field:
//!
//! | SGML | article |
//! | --- | --- |
//! | `NEWID` attribute | id `reuters-NEWID` |
//! | `<DATE>` `26-FEB-1987 15:01:01.79` | date (the day; the time zone is not given) |
//! | `<TITLE>`, `<BODY>` (or the text of an unprocessed story) | title, body |
//! | `<PLACES>`, `<PEOPLE>` | places, people (codes made names: `west-germany` → West Germany) |
//! | `<ORGS>`, `<EXCHANGES>` | organisations (upper case: `imf` → IMF) |
//! | `<TOPICS>` | topics |
//! | — | source Reuters; `DATELINE` opens the body's first line |

use std::io::{self, BufRead};

use super::{Problem, Reader, Severity, Sink, SourceFile};
use crate::article::{Article, Provenance, Source, SourceOrigin};
use crate::enrich::date::parse_date;

/// `.sgm` files of Reuters-21578 stories.
pub struct SgmlReader;

impl Reader for SgmlReader {
    fn name(&self) -> &'static str {
        "reuters-sgml"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["sgm", "sgml"]
    }
    fn sniff(&self, head: &str) -> bool {
        head.starts_with("<!DOCTYPE lewis") || head.trim_start().starts_with("<REUTERS")
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        let mut raw = Vec::new();
        let mut line_no = 0u64;
        let mut story = String::new();
        let mut story_line = 0u64;
        let mut in_story = false;
        let mut warned = false;
        loop {
            let read = super::read_line_bounded(input, &mut raw, super::MAX_LINE_BYTES)?;
            if read == super::Line::End {
                break;
            }
            line_no += 1;
            if read == super::Line::TooLong {
                out.problem(super::line_too_long(source, line_no));
                continue;
            }
            let line = match std::str::from_utf8(&raw) {
                Ok(l) => l.to_string(),
                Err(_) => {
                    if !warned {
                        warned = true;
                        out.problem(Problem {
                            line: Some(line_no),
                            ..source.problem(
                                Severity::Warning,
                                "bytes that are not UTF-8, read as Latin-1 (said once per file)",
                            )
                        });
                    }
                    raw.iter().map(|&b| b as char).collect()
                }
            };
            // A line may open, close or hold whole stories; only the new
            // text is searched, so long stories cost linear time.
            let mut rest: &str = &line;
            loop {
                if !in_story {
                    let Some(at) = rest.find("<REUTERS") else { break };
                    in_story = true;
                    story_line = line_no;
                    story.clear();
                    rest = &rest[at..];
                }
                let skip = if story.is_empty() {
                    "<REUTERS".len().min(rest.len())
                } else {
                    0
                };
                let close = rest.find("</REUTERS>");
                let reopen = rest[skip..].find("<REUTERS").map(|r| r + skip);
                match (close, reopen) {
                    (Some(c), r) if r.is_none_or(|r| c < r) => {
                        let end = c + "</REUTERS>".len();
                        story.push_str(&rest[..end]);
                        emit(&story, source, story_line, out);
                        story.clear();
                        in_story = false;
                        rest = &rest[end..];
                    }
                    (_, Some(r)) => {
                        out.problem(Problem {
                            line: Some(story_line),
                            ..source.problem(Severity::Skipped, "story never closed with </REUTERS>")
                        });
                        story.clear();
                        in_story = false;
                        rest = &rest[r..];
                    }
                    (_, None) => {
                        story.push_str(rest);
                        if story.len() > MAX_STORY_BYTES {
                            out.problem(Problem {
                                line: Some(story_line),
                                ..source.problem(
                                    Severity::Skipped,
                                    "story over 16 MB without </REUTERS>; skipped",
                                )
                            });
                            story.clear();
                            in_story = false;
                        }
                        break;
                    }
                }
            }
        }
        if in_story {
            out.problem(Problem {
                line: Some(story_line),
                ..source.problem(Severity::Skipped, "story never closed with </REUTERS>")
            });
        }
        Ok(())
    }
}

/// The longest story kept while looking for its end.
const MAX_STORY_BYTES: usize = 16 * 1024 * 1024;

fn emit(story: &str, source: &SourceFile, line: u64, out: &mut dyn Sink) {
    match story_article(story, source, line) {
        Ok(a) => out.article(a),
        Err(msg) => out.problem(Problem {
            line: Some(line),
            ..source.problem(Severity::Skipped, msg)
        }),
    }
}

/// One `<REUTERS ...> ... </REUTERS>` block as an article.
fn story_article(story: &str, source: &SourceFile, line: u64) -> Result<Article, String> {
    // (Errors are for blocks too broken to name: no NEWID.)
    let open_end = story.find('>').ok_or("unterminated <REUTERS> tag")?;
    let newid = attribute(&story[..open_end], "NEWID").ok_or("no NEWID attribute")?;
    let title = element(story, "TITLE")
        .map(|t| unescape(&t))
        .map(|t| t.trim().to_string());
    let dateline = element(story, "DATELINE").map(|d| unescape(&d));
    let body = match element(story, "BODY") {
        Some(b) => paragraphs(&unescape(&b)),
        None => element(story, "TEXT")
            .map(|t| unescape(&t))
            .map(|t| {
                // An unprocessed story: its text is all there is.
                let t = t.trim_matches(|c: char| c.is_whitespace());
                t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
            })
            .unwrap_or_default(),
    };
    let (title, body) = match (title, body) {
        (Some(t), b) if !t.is_empty() => (Some(t), b),
        // No title: an unprocessed story's first line is its title.
        (_, b) => match b.split_once('\n') {
            Some((first, rest)) if first.len() <= 200 => {
                (Some(first.trim().to_string()), rest.trim().to_string())
            }
            _ => (None, b),
        },
    };
    // A story with no text (there is one) still counts: it is indexed with
    // its metadata, so that counts by month agree with the files.
    let body = match dateline.map(|d| d.trim().trim_end_matches('-').trim().to_string()) {
        Some(d) if !d.is_empty() && !body.is_empty() => format!("{d} - {body}"),
        _ => body,
    };
    let mut a = Article::new(
        format!("reuters-{newid}"),
        body,
        Provenance {
            path: source.path.clone(),
            line: Some(line),
            record: None,
        },
    );
    a.title = title;
    a.date = element(story, "DATE").and_then(|d| story_date(&d));
    a.source = Some(Source {
        name: "Reuters".into(),
        origin: SourceOrigin::Given,
    });
    a.entities.place = codes(story, "PLACES").map(|c| code_to_name(&c)).collect();
    a.entities.person = codes(story, "PEOPLE").map(|c| code_to_name(&c)).collect();
    a.entities.org = codes(story, "ORGS")
        .chain(codes(story, "EXCHANGES"))
        .map(|c| c.to_uppercase())
        .collect();
    a.tags = codes(story, "TOPICS").collect();
    Ok(a)
}

/// A story's date: `26-FEB-1987 15:01:01.79`, also with odd spacing or
/// control characters after the time (`27-MAR-1987 00:02:59.13&#5;&#5;RM`).
fn story_date(raw: &str) -> Option<crate::article::PubDate> {
    let mut parts = raw.split_whitespace();
    let day = parts.next()?;
    let time: String = parts
        .next()
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':' || *c == '.')
        .collect();
    parse_date(&format!("{day} {time}"))
        .or_else(|_| parse_date(day))
        .ok()
}

/// The value of `name="value"` in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// The raw content of the first `<NAME>...</NAME>` (or `<NAME attr>`).
fn element(story: &str, name: &str) -> Option<String> {
    let open = format!("<{name}");
    let mut from = 0;
    loop {
        let at = story[from..].find(&open)? + from;
        let after = &story[at + open.len()..];
        // `<TEXT TYPE="BRIEF">` and `<TEXT>` both open TEXT; `<TEXTS>` would not.
        if after.starts_with('>') || after.starts_with(' ') {
            let content_start = at + open.len() + after.find('>')? + 1;
            let close = format!("</{name}>");
            let end = story[content_start..]
                .find(&close)
                .map_or(story.len(), |e| content_start + e);
            return Some(story[content_start..end].to_string());
        }
        from = at + open.len();
    }
}

/// The `<D>` codes of a category element.
fn codes<'a>(story: &'a str, name: &str) -> impl Iterator<Item = String> + 'a {
    element(story, name)
        .unwrap_or_default()
        .split("<D>")
        .filter_map(|d| d.split("</D>").next())
        .map(|d| unescape(d).trim().to_string())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .into_iter()
}

/// `west-germany` → `West Germany`, `de-clercq` → `De Clercq`.
fn code_to_name(code: &str) -> String {
    code.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Entities as text: `&lt;` `&gt;` `&amp;` decoded, `&#N;` control
/// characters dropped.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let entity_end = tail.find(';').filter(|&e| e <= 8);
        match entity_end.map(|e| &tail[..=e]) {
            Some("&lt;") => out.push('<'),
            Some("&gt;") => out.push('>'),
            Some("&amp;") => out.push('&'),
            Some("&quot;") => out.push('"'),
            Some(e) if e.starts_with("&#") => {
                let n = e[2..e.len() - 1].parse::<u32>().ok();
                if let Some(c) = n.and_then(char::from_u32).filter(|c| !c.is_control()) {
                    out.push(c);
                }
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
                continue;
            }
        }
        rest = &tail[entity_end.map_or(1, |e| e + 1)..];
    }
    out.push_str(rest);
    out
}

/// Hard-wrapped newswire text as paragraphs: a line that starts with an
/// indent opens a new paragraph; the closing "Reuter" sign-off is dropped.
fn paragraphs(body: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if (indented || line.trim().is_empty()) && !current.is_empty() {
            paras.push(std::mem::take(&mut current));
        }
        let t = line.trim();
        if !t.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(t);
        }
    }
    if !current.is_empty() {
        paras.push(current);
    }
    if let Some(last) = paras.last_mut() {
        for signoff in [" Reuter", " REUTER", " Reuters", " reuter"] {
            if let Some(stripped) = last.strip_suffix(signoff) {
                *last = stripped.trim_end().to_string();
            }
        }
        if matches!(last.as_str(), "Reuter" | "REUTER" | "Reuters" | "reuter") {
            paras.pop();
        }
    }
    paras.retain(|p| !p.trim().is_empty());
    paras.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    const STORY: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n\
<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"5544\" NEWID=\"1\">\n\
<DATE>26-FEB-1987 15:01:01.79</DATE>\n\
<TOPICS><D>cocoa</D></TOPICS>\n\
<PLACES><D>el-salvador</D><D>usa</D></PLACES>\n\
<PEOPLE></PEOPLE>\n<ORGS><D>icco</D></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n\
<UNKNOWN> \n&#5;&#5;&#5;C T\n</UNKNOWN>\n\
<TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n\
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in\n\
the Bahia cocoa zone &lt;and&gt; beyond.\n    The dry period means the temporao will be late.\n Reuter\n&#3;</BODY></TEXT>\n\
</REUTERS>\n";

    fn read(input: &[u8]) -> Outcome {
        let mut out = Outcome::default();
        SgmlReader
            .read(&mut &input[..], &SourceFile::new("reut2-000.sgm"), &mut out)
            .unwrap();
        out
    }

    #[test]
    fn a_story_becomes_an_article() {
        let out = read(STORY.as_bytes());
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.id, "reuters-1");
        assert_eq!(a.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(a.date.unwrap().day.to_string(), "1987-02-26");
        assert_eq!(a.source.as_ref().unwrap().name, "Reuters");
        assert_eq!(
            a.body,
            "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone <and> beyond.\n\n\
             The dry period means the temporao will be late."
        );
        assert_eq!(a.entities.place, vec!["El Salvador", "Usa"]);
        assert_eq!(a.entities.org, vec!["ICCO"]);
        assert_eq!(a.tags, vec!["cocoa"]);
        assert_eq!(a.provenance.line, Some(2));
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_read_as_latin1_and_said_once() {
        let mut bytes = STORY.replace("beyond.", "beyond.\u{1}").into_bytes();
        let at = bytes.iter().position(|&b| b == 1).unwrap();
        bytes[at] = 0xFC;
        bytes.extend_from_slice(&bytes.clone()[36..]);
        let out = read(&bytes);
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0].message.contains("Latin-1"));
        assert!(out.articles[0].body.contains("beyond.ü"));
    }

    #[test]
    fn an_unclosed_story_is_reported() {
        let cut = &STORY[..STORY.find("</REUTERS>").unwrap()];
        let out = read(cut.as_bytes());
        assert!(out.articles.is_empty());
        assert_eq!(
            out.problems[0].to_string(),
            "reut2-000.sgm:2: story never closed with </REUTERS>"
        );
    }

    #[test]
    fn a_story_without_text_is_still_an_article() {
        let empty = "<REUTERS NEWID=\"12793\">\n<DATE> 3-APR-1987 07:09:06.48</DATE>\n\
                     <TEXT TYPE=\"UNPROC\">&#2;\n&#3;\n\n</TEXT>\n</REUTERS>\n";
        let out = read(empty.as_bytes());
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].body, "");
        assert_eq!(out.articles[0].date.unwrap().day.to_string(), "1987-04-03");
    }

    #[test]
    fn odd_dates_of_the_collection() {
        for raw in [
            "26-FEB-1987 15:01:01.79",
            " 3-MAR-1987  09:15:05.40",
            "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM",
        ] {
            assert!(story_date(raw).is_some(), "{raw}");
        }
        assert_eq!(
            story_date(" 3-MAR-1987  09:15:05.40").unwrap().day.to_string(),
            "1987-03-03"
        );
    }

    #[test]
    fn stories_on_one_line_and_a_missing_close() {
        let one = "<REUTERS NEWID=\"1\"><TEXT><TITLE>A</TITLE><BODY>x</BODY></TEXT></REUTERS>\
                   <REUTERS NEWID=\"2\"><TEXT><TITLE>B</TITLE><BODY>y</BODY></TEXT></REUTERS>\n";
        let out = read(one.as_bytes());
        assert_eq!(out.articles.len(), 2, "{:?}", out.problems);
        let unclosed = "<REUTERS NEWID=\"1\">\n<TEXT><BODY>x</BODY></TEXT>\n<REUTERS NEWID=\"2\">\n<TEXT><TITLE>B</TITLE></TEXT>\n</REUTERS>\n";
        let out = read(unclosed.as_bytes());
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "reuters-2");
        assert_eq!(out.problems.len(), 1);
    }

    #[test]
    fn entities_and_codes() {
        assert_eq!(unescape("a &lt;b&gt; &amp; c&#3;&#22; d & e"), "a <b> & c d & e");
        assert_eq!(code_to_name("west-germany"), "West Germany");
        assert_eq!(paragraphs("one\ntwo\n    three\n Reuter\n"), "one two\n\nthree");
    }
}
