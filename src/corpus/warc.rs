//! WARC web archives (`.warc`, `.warc.gz`), the format of crawls and of
//! CC-News: each `response` record holding an HTML page is an article,
//! read like an `.html` file, with `WARC-Target-URI` as its URL and
//! `WARC-Date` as the date when the page names none.
//!
//! Hand-written (no maintained crate reads WARC as a stream): records are
//! read one at a time, so memory holds one page whatever the file's size. A
//! broken record is reported and the reader skips to the next `WARC/` line.

use std::io::{self, BufRead, Read};

use super::html::{Page, page_article};
use super::{Problem, Reader, Severity, Sink, SourceFile};
use crate::enrich::date::parse_date;

/// The largest record read; larger ones are skipped (pages are far smaller).
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// The longest header line kept (a longer one is cut, not held).
const MAX_HEADER_LINE: usize = 64 * 1024;

/// `.warc` files.
pub struct WarcReader;

impl Reader for WarcReader {
    fn name(&self) -> &'static str {
        "warc"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["warc"]
    }
    fn sniff(&self, head: &str) -> bool {
        head.starts_with("WARC/1.")
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        let mut line_no = 0u64;
        let mut record = 0u64;
        let mut line = Vec::new();
        loop {
            // Find the next record's version line.
            if super::read_line_bounded(input, &mut line, MAX_HEADER_LINE)? == super::Line::End {
                return Ok(());
            }
            line_no += 1;
            if !line.starts_with(b"WARC/1.") {
                if !line.iter().all(u8::is_ascii_whitespace) {
                    out.problem(Problem {
                        line: Some(line_no),
                        ..source.problem(
                            Severity::Skipped,
                            "expected a WARC/1.x record; skipping to the next",
                        )
                    });
                    skip_to_next_record(input, &mut line_no)?;
                    // The version line was consumed by the skip: read its record.
                    if let Some(()) = read_record(input, source, out, &mut line_no, &mut record)? {
                        continue;
                    }
                    return Ok(());
                }
                continue;
            }
            if read_record(input, source, out, &mut line_no, &mut record)?.is_none() {
                return Ok(());
            }
        }
    }
}

/// Reads a record's headers and content (its version line already read).
/// `None` at the end of the input.
fn read_record(
    input: &mut dyn BufRead,
    source: &SourceFile,
    out: &mut dyn Sink,
    line_no: &mut u64,
    record: &mut u64,
) -> io::Result<Option<()>> {
    let start_line = *line_no;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut line = Vec::new();
    loop {
        if super::read_line_bounded(input, &mut line, MAX_HEADER_LINE)? == super::Line::End {
            return Ok(None);
        }
        *line_no += 1;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        if text.is_empty() {
            break;
        }
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let Some(length) = header("content-length").and_then(|l| l.parse::<u64>().ok()) else {
        out.problem(Problem {
            line: Some(start_line),
            ..source.problem(
                Severity::Skipped,
                "WARC record without a Content-Length; skipping to the next",
            )
        });
        return Ok(Some(()));
    };
    if length > MAX_RECORD_BYTES {
        io::copy(&mut input.take(length), &mut io::sink())?;
        out.problem(Problem {
            line: Some(start_line),
            ..source.problem(
                Severity::Skipped,
                format!("WARC record of {length} bytes is too large; skipped"),
            )
        });
        return Ok(Some(()));
    }
    let mut content = Vec::with_capacity(length as usize);
    input.take(length).read_to_end(&mut content)?;
    if (content.len() as u64) < length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "WARC record cut short",
        ));
    }
    *line_no += content.iter().filter(|&&b| b == b'\n').count() as u64;
    let is_response = header("warc-type") == Some("response");
    let is_http = header("content-type").is_some_and(|c| c.starts_with("application/http"));
    if !(is_response && is_http) {
        return Ok(Some(()));
    }
    let Some((http_headers, body)) = split_http(&content) else {
        return Ok(Some(()));
    };
    let content_type = http_header(&http_headers, "content-type").unwrap_or_default();
    if !content_type.is_empty() && !content_type.contains("html") {
        return Ok(Some(()));
    }
    let body = match decode_body(&http_headers, body) {
        Ok(b) => b,
        Err(why) => {
            out.problem(Problem {
                line: Some(start_line),
                ..source.problem(Severity::Skipped, why)
            });
            return Ok(Some(()));
        }
    };
    *record += 1;
    // The HTTP charset, else UTF-8, else Windows-1252 (legacy pages).
    let charset = content_type
        .split("charset=")
        .nth(1)
        .map(|c| c.trim_matches(['"', '\'', ' ', ';']).to_string());
    let encoding = charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let html = match std::str::from_utf8(&body) {
        Ok(s) if encoding == encoding_rs::UTF_8 => std::borrow::Cow::Borrowed(s),
        _ if encoding == encoding_rs::UTF_8 => encoding_rs::WINDOWS_1252.decode(&body).0,
        _ => encoding.decode(&body).0,
    };
    let page = Page {
        html: &html,
        url: header("warc-target-uri"),
        fallback_date: header("warc-date").and_then(|d| parse_date(d).ok()),
    };
    match page_article(&page, source, Some(*record)) {
        Ok(mut a) => {
            a.provenance.line = Some(start_line);
            out.article(a);
        }
        Err(msg) => out.problem(Problem {
            line: Some(start_line),
            ..source.problem(Severity::Skipped, msg)
        }),
    }
    Ok(Some(()))
}

/// Skips lines up to and including the next `WARC/1.x` line.
fn skip_to_next_record(input: &mut dyn BufRead, line_no: &mut u64) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        if super::read_line_bounded(input, &mut line, MAX_HEADER_LINE)? == super::Line::End {
            return Ok(());
        }
        *line_no += 1;
        if line.starts_with(b"WARC/1.") {
            return Ok(());
        }
    }
}

/// An HTTP response's header block and body.
fn split_http(content: &[u8]) -> Option<(String, &[u8])> {
    let end = content
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| content.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))?;
    Some((
        String::from_utf8_lossy(&content[..end.0]).into_owned(),
        &content[end.1..],
    ))
}

fn http_header(headers: &str, name: &str) -> Option<String> {
    headers.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_ascii_lowercase())
    })
}

/// The body as the server meant it: de-chunked and decompressed.
fn decode_body(headers: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let mut data = body.to_vec();
    if http_header(headers, "transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        data = dechunk(&data).ok_or("malformed chunked HTTP body")?;
    }
    match http_header(headers, "content-encoding").as_deref() {
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&data[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("gzip HTTP body: {e}"))?;
            Ok(out)
        }
        Some("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&data[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("deflate HTTP body: {e}"))?;
            Ok(out)
        }
        _ => Ok(data),
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    /// A WARC record of one type around `content`.
    pub fn record(kind: &str, uri: &str, content: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2023-05-26T04:00:00Z\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{content}\r\n\r\n",
            content.len()
        )
    }

    fn page(title: &str) -> String {
        let para = "The harbour cranes were repaired after a storm damaged them last week, officials said. "
            .repeat(4);
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>{title}</title></head>\
             <body><article><h1>{title}</h1><p>{para}</p><p>{para}</p></article></body></html>"
        )
    }

    #[test]
    fn response_records_are_pages() {
        let warc = [
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n".to_string(),
            record("request", "https://example.com/a", "GET / HTTP/1.1\r\n\r\n"),
            record("response", "https://example.com/news/a", &page("Cranes repaired")),
            record(
                "response",
                "https://example.com/img.png",
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG",
            ),
            record("response", "https://example.com/news/b", &page("Port reopens")),
        ]
        .concat();
        let mut out = Outcome::default();
        WarcReader
            .read(&mut warc.as_bytes(), &SourceFile::new("crawl.warc"), &mut out)
            .unwrap();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let titles: Vec<_> = out
            .articles
            .iter()
            .map(|a| a.title.clone().unwrap_or_default())
            .collect();
        assert_eq!(titles, vec!["Cranes repaired", "Port reopens"]);
        let a = &out.articles[0];
        assert_eq!(a.id, "https://example.com/news/a");
        assert_eq!(a.url.as_deref(), Some("https://example.com/news/a"));
        // No date in the page: WARC-Date.
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-26");
        assert_eq!(a.source.as_ref().unwrap().name, "example.com");
    }

    #[test]
    fn a_broken_record_is_skipped_and_the_next_read() {
        let warc = format!(
            "garbage line\r\n{}{}",
            "WARC/1.0\r\nWARC-Type: response\r\n\r\n",
            record("response", "https://example.com/news/b", &page("Port reopens"))
        );
        let mut out = Outcome::default();
        WarcReader
            .read(&mut warc.as_bytes(), &SourceFile::new("crawl.warc"), &mut out)
            .unwrap();
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.problems.len(), 2, "{:?}", out.problems);
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert!(dechunk(b"zz\r\n").is_none());
    }
}
