//! CSV and TSV (`.csv`, `.tsv`, `.tab`) with a header row, one article a
//! row, with the same field names as JSON (title, body, date, source, ...).
//! Read as a stream with the `csv` crate; a malformed row costs that row.

use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::record::{RecordAt, article_from_map};
use super::{Problem, Reader, Severity, Sink, SourceFile};

/// `.csv` files.
pub struct CsvReader;

/// `.tsv` and `.tab` files.
pub struct TsvReader;

impl Reader for CsvReader {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["csv"]
    }
    fn sniff(&self, _head: &str) -> bool {
        false
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        read_delimited(input, b',', source, out)
    }
}

impl Reader for TsvReader {
    fn name(&self) -> &'static str {
        "tsv"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["tsv", "tab"]
    }
    fn sniff(&self, _head: &str) -> bool {
        false
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        read_delimited(input, b'\t', source, out)
    }
}

fn read_delimited(
    input: &mut dyn BufRead,
    delimiter: u8,
    source: &SourceFile,
    out: &mut dyn Sink,
) -> io::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(LineCapped {
            input,
            since_newline: 0,
        });
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect(),
        Err(e) => {
            out.problem(source.problem(Severity::Skipped, format!("no header row: {e}")));
            return Ok(());
        }
    };
    if headers.iter().all(String::is_empty) {
        out.problem(source.problem(Severity::Skipped, "empty file: no header row"));
        return Ok(());
    }
    let mut row = csv::ByteRecord::new();
    let mut record = 0u64;
    loop {
        let line = reader.position().line() + 1;
        match reader.read_byte_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(io) = e.kind() {
                    return Err(io::Error::new(io.kind(), io.to_string()));
                }
                out.problem(Problem {
                    line: Some(line),
                    ..source.problem(Severity::Skipped, format!("malformed row: {e}"))
                });
                continue;
            }
        }
        let line = row.position().map_or(line, |p| p.line());
        record += 1;
        let mut map = Map::new();
        for (name, value) in headers.iter().zip(row.iter()) {
            let Ok(value) = std::str::from_utf8(value) else {
                out.problem(Problem {
                    line: Some(line),
                    ..source.problem(
                        Severity::Skipped,
                        format!("invalid UTF-8 in column {name:?}; row skipped"),
                    )
                });
                map.clear();
                break;
            };
            if !name.is_empty() && !value.trim().is_empty() {
                map.insert(name.clone(), Value::String(value.to_string()));
            }
        }
        if map.is_empty() {
            continue;
        }
        let at = RecordAt {
            record: Some(record),
            line: Some(line),
        };
        match article_from_map(&map, source, at, out) {
            Ok(a) => out.article(a),
            Err(msg) => out.problem(Problem {
                line: Some(line),
                ..source.problem(Severity::Skipped, msg)
            }),
        }
    }
}

/// Input that fails once a line runs past [`super::MAX_LINE_BYTES`]: the CSV
/// parser holds a whole record, so a huge line would otherwise be held whole.
struct LineCapped<'a> {
    input: &'a mut dyn BufRead,
    since_newline: usize,
}

impl std::io::Read for LineCapped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        let chunk = &buf[..n];
        let first = chunk.iter().position(|&b| b == b'\n');
        let longest = self.since_newline + first.unwrap_or(n);
        match chunk.iter().rposition(|&b| b == b'\n') {
            Some(last) => self.since_newline = n - last - 1,
            None => self.since_newline += n,
        }
        if longest.max(self.since_newline) > super::MAX_LINE_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a line over {} bytes", super::MAX_LINE_BYTES),
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    fn run(reader: &dyn Reader, name: &str, input: &str) -> Outcome {
        let mut out = Outcome::default();
        reader
            .read(&mut input.as_bytes(), &SourceFile::new(name), &mut out)
            .unwrap();
        out
    }

    #[test]
    fn rows_become_articles_with_json_field_names() {
        let out = run(
            &CsvReader,
            "a.csv",
            "headline,text,published_at,publisher,people\n\
             \"Drone, strike\",\"A drone hit the Kremlin.\nSecond line.\",2023-05-25,CNN,\"Dmitry Peskov; Volodymyr Zelenskyy\"\n\
             ,,,,\n\
             Only a title,,2023-05-26,,\n",
        );
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.articles.len(), 2);
        let a = &out.articles[0];
        assert_eq!(a.id, "a.csv#1");
        assert_eq!(a.title.as_deref(), Some("Drone, strike"));
        assert_eq!(a.body, "A drone hit the Kremlin.\nSecond line.");
        assert_eq!(a.source.as_ref().unwrap().name, "CNN");
        assert_eq!(a.entities.person, vec!["Dmitry Peskov", "Volodymyr Zelenskyy"]);
        assert_eq!(a.provenance.line, Some(2));
        assert_eq!(out.articles[1].provenance.line, Some(5));
    }

    #[test]
    fn tabs_and_bad_rows() {
        let out = run(
            &TsvReader,
            "a.tsv",
            "title\tbody\tdate\nT\tB\tnot a date\n\t\t\nX\t\t\n",
        );
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.problems.len(), 1);
        assert!(
            out.problems[0]
                .to_string()
                .starts_with("a.tsv:2: unrecognised date"),
            "{}",
            out.problems[0]
        );
    }
}
