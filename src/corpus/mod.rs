//! Corpus reading: from files and folders to [`Article`]s.
//!
//! [`walk`] lists the files under the paths a user gives (hidden files and
//! folders skipped, order stable). [`read_file`] picks a [`Reader`] by the
//! file's extension (looking through `.gz`), sniffing the content where the
//! extension is missing or ambiguous, and streams the articles it holds to a
//! [`Sink`] together with any [`Problem`]s: a bad file or record costs one
//! problem and is skipped, and the rest is read. Line- and record-oriented
//! formats never hold a whole file in memory. Readers take any `BufRead`, so
//! they can be tested on bytes in memory.
//!
//! This module never depends on tantivy: it knows articles, not indexes.

mod delimited;
pub mod feed;
pub mod html;
mod json;
mod markdown;
mod record;
mod sgml;
mod text;
mod warc;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::article::Article;

pub use record::{FIELD_ALIASES, FieldMap};

/// The largest document a whole-document format (`.json`, `.md`, `.txt`)
/// may be; larger ones are skipped with a problem. Streaming formats
/// (JSON Lines, CSV, SGML, WARC) have no limit.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// The longest line a line-oriented reader (JSON Lines, SGML) takes;
/// longer ones are skipped, read through without being held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// One line read by [`read_line_bounded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// The input is over.
    End,
    /// A line, in the buffer with its `\n` if it had one.
    Read,
    /// A line longer than allowed, consumed and dropped; the buffer holds
    /// its first bytes.
    TooLong,
}

/// Reads the next line into `buf` (cleared first), holding at most `max`
/// bytes of it: a longer line is read through to its end and reported as
/// [`Line::TooLong`], so that a 1 GB line costs no more memory than `max`.
pub(crate) fn read_line_bounded(input: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = max.saturating_sub(buf.len());
        if chunk.len() > room {
            too_long = true;
        }
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => Line::End,
        (true, false) => Line::Read,
        (true, true) => Line::TooLong,
    })
}

/// The problem for a line [`read_line_bounded`] found too long.
pub(crate) fn line_too_long(source: &SourceFile, line: u64) -> Problem {
    Problem {
        line: Some(line),
        ..source.problem(
            Severity::Skipped,
            format!("line is over {MAX_LINE_BYTES} bytes; skipped"),
        )
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// A corpus format: how to recognise it and how to read it.
pub trait Reader: Sync {
    /// A short name, shown in summaries (`text`, `json`).
    fn name(&self) -> &'static str;
    /// File extensions (lowercase, without the dot) this reader claims.
    fn extensions(&self) -> &'static [&'static str];
    /// Whether the start of a file with no telling extension is this format.
    fn sniff(&self, head: &str) -> bool;
    /// Reads the articles in `input`, sending them and any problems to
    /// `out`. An error is a failure to read at all (a truncated gzip
    /// stream, a disk error); what was sent before it stands.
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()>;
}

/// Where a reader sends what it finds.
pub trait Sink {
    /// An article, in file order.
    fn article(&mut self, article: Article);
    /// A problem with the file or one of its records.
    fn problem(&mut self, problem: Problem);
}

impl Sink for Outcome {
    fn article(&mut self, article: Article) {
        self.articles.push(article);
    }
    fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }
}

/// Reads a whole document as UTF-8 text, or reports why it cannot be (too
/// large, invalid UTF-8 with its line) and returns `None`.
pub fn whole_text(
    input: &mut dyn BufRead,
    source: &SourceFile,
    out: &mut dyn Sink,
) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    input.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        let msg =
            format!("document is over {MAX_DOCUMENT_BYTES} bytes; skipped (split it, or use JSON Lines)");
        out.problem(source.problem(Severity::Skipped, msg));
        return Ok(None);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(Some(text))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            out.problem(Problem {
                line: Some(line),
                ..source.problem(
                    Severity::Skipped,
                    format!("invalid UTF-8 at byte {at}; file skipped"),
                )
            });
            Ok(None)
        }
    }
}

/// Every reader, in the order they are tried when sniffing.
pub static READERS: &[&dyn Reader] = &[
    &json::JsonReader,
    &json::JsonLinesReader,
    &markdown::MarkdownReader,
    &sgml::SgmlReader,
    &feed::FeedReader,
    &html::HtmlReader,
    &warc::WarcReader,
    &delimited::CsvReader,
    &delimited::TsvReader,
    &text::TextReader,
];

/// A file being read: where it is and what articles in it are called.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as reached from what the user gave (shown in messages).
    pub path: PathBuf,
    /// The base of ids derived for its articles: the normalised path.
    pub id_base: String,
    /// Field names this corpus uses beyond the usual ones.
    pub fields: std::sync::Arc<FieldMap>,
}

impl SourceFile {
    /// A file, as reached from the paths given to `newsdex index`.
    ///
    /// Its derived ids are its path as given, lexically normalised (`./`
    /// dropped, `/` separators), extension included: `corpus/a.txt`, and
    /// `feed.jsonl#2` for a record. So `index a b` keeps `a/1.txt` and
    /// `b/1.txt` apart, and `index corpus` and `index ./corpus` agree.
    pub fn new(path: impl Into<PathBuf>) -> SourceFile {
        let path = path.into();
        let id_base = crate::article::path_key(&path);
        SourceFile {
            path,
            id_base,
            fields: Default::default(),
        }
    }

    /// The id of the file's `record`-th article (1-based), when the record
    /// has no id of its own. A file holding one article uses the bare base.
    pub fn derived_id(&self, record: Option<u64>) -> String {
        match record {
            Some(n) => format!("{}#{n}", self.id_base),
            None => self.id_base.clone(),
        }
    }

    /// A problem with the whole file.
    pub fn problem(&self, severity: Severity, message: impl Into<String>) -> Problem {
        Problem {
            path: self.path.clone(),
            line: None,
            record: None,
            severity,
            message: message.into(),
        }
    }
}

/// What reading a file gave: its articles and what went wrong.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The articles read, in file order.
    pub articles: Vec<Article>,
    /// Problems met, in file order.
    pub problems: Vec<Problem>,
    /// The reader used, if the file was recognised.
    pub format: Option<&'static str>,
}

/// Something wrong with a file or a record in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, where it is known.
    pub line: Option<u64>,
    /// The 1-based record, where the line is not known.
    pub record: Option<u64>,
    /// Whether something was left out of the index.
    pub severity: Severity,
    /// What was wrong, in a few words.
    pub message: String,
}

/// How bad a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file or record was not indexed.
    Skipped,
    /// The article was indexed, without the part named.
    Warning,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        } else if let Some(record) = self.record {
            write!(f, ": record {record}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A file found by [`walk`], with the folder it was reached from.
#[derive(Debug, Clone)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// The path the user gave that led to it.
    pub root: PathBuf,
}

/// Lists the files under `paths`, skipping hidden files and folders (those
/// whose name starts with `.`), in a stable order. Paths that cannot be
/// walked are returned as problems.
pub fn walk(paths: &[PathBuf]) -> (Vec<Found>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => found.push(Found {
                    path: e.into_path(),
                    root: root.clone(),
                }),
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(root).to_path_buf();
                    let message = match (err.loop_ancestor(), err.io_error()) {
                        (Some(ancestor), _) => format!(
                            "symbolic link loop: it leads back to {}; not followed",
                            ancestor.display()
                        ),
                        (None, Some(io)) => read_error(io),
                        (None, None) => err.to_string(),
                    };
                    problems.push(Problem {
                        path,
                        line: None,
                        record: None,
                        severity: Severity::Skipped,
                        message,
                    });
                }
            }
        }
    }
    (found, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Reads one file: picks its reader (through `.gz` compression) and
/// streams its articles and problems to `out`. Returns the reader used.
pub fn read_file(
    found: &Found,
    fields: &std::sync::Arc<FieldMap>,
    out: &mut dyn Sink,
) -> Option<&'static str> {
    let mut source = SourceFile::new(&found.path);
    source.fields = std::sync::Arc::clone(fields);
    let file = match File::open(&found.path) {
        Ok(f) => f,
        Err(e) => {
            out.problem(source.problem(Severity::Skipped, read_error(&e)));
            return None;
        }
    };
    let gzipped = extension(&found.path).as_deref() == Some("gz");
    let mut input: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    read_stream(&mut *input, &source, out)
}

/// Reads a stream whose name is `source.path` (a `.gz` name is read as what
/// it compresses; the stream itself must already be decompressed).
pub fn read_stream(input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> Option<&'static str> {
    let head = match input.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => {
            out.problem(source.problem(Severity::Skipped, read_error(&e)));
            return None;
        }
    };
    if head.is_empty() {
        out.problem(source.problem(Severity::Skipped, "empty file: no text to index"));
        return None;
    }
    let reader = match choose_reader(&source.path, &head) {
        Ok(r) => r,
        Err(why) => {
            out.problem(source.problem(Severity::Skipped, why));
            return None;
        }
    };
    if let Err(e) = reader.read(input, source, out) {
        out.problem(source.problem(
            Severity::Skipped,
            format!("{}; the rest of the file was not read", read_error(&e)),
        ));
    }
    Some(reader.name())
}

/// An IO error as a problem message, naming what is usually behind it.
fn read_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "unexpected end of data (a truncated gzip file?)".to_string(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => format!("unreadable data ({e})"),
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied: cannot be read".to_string(),
        _ if e.raw_os_error() == Some(40) => "too many levels of symbolic links (a link loop?)".to_string(),
        _ => e.to_string(),
    }
}

/// Reads a file's content that is already in memory (for tests and tools).
pub fn read_bytes(bytes: &[u8], source: &SourceFile, out: &mut Outcome) {
    let mut input = bytes;
    out.format = read_stream(&mut input, source, out);
}

/// The lowercase extension of a path, if any.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Picks the reader for a file by extension (the one under `.gz`), then by
/// content.
fn choose_reader(path: &Path, bytes: &[u8]) -> Result<&'static dyn Reader, String> {
    let mut ext = extension(path);
    if ext.as_deref() == Some("gz") {
        ext = path.file_stem().map(Path::new).and_then(extension);
    }
    if let Some(ext) = ext.as_deref() {
        if let Some(r) = READERS.iter().find(|r| r.extensions().contains(&ext)) {
            // A crawl holds images and such; any other format is text.
            if r.name() != "warc" && !looks_like_text(bytes) {
                return Err(format!("binary data in a .{ext} file; skipped"));
            }
            return Ok(*r);
        }
        if !looks_like_text(bytes) {
            return Err(format!("binary .{ext} file skipped"));
        }
        let known: Vec<String> = READERS
            .iter()
            .flat_map(|r| r.extensions())
            .map(|e| format!(".{e}"))
            .collect();
        return Err(format!(
            "unknown file type .{ext}; skipped (newsdex reads {}, and any of them gzipped)",
            known.join(" ")
        ));
    }
    if !looks_like_text(bytes) {
        return Err("binary file skipped".to_string());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}');
    READERS
        .iter()
        .copied()
        .find(|r| r.sniff(head))
        .ok_or_else(|| "unrecognised content; skipped".to_string())
}

/// True unless the start of the file holds a NUL byte, as binary files do.
fn looks_like_text(bytes: &[u8]) -> bool {
    !bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_read_through_not_held() {
        let mut input = std::io::BufReader::with_capacity(4, &b"short\nmuch too long a line\n\nlast"[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            let line = read_line_bounded(&mut input, &mut buf, 8).unwrap();
            if line == Line::End {
                break;
            }
            lines.push((line, String::from_utf8_lossy(&buf).into_owned()));
        }
        assert_eq!(
            lines,
            vec![
                (Line::Read, "short\n".into()),
                (Line::TooLong, "much too".into()),
                (Line::Read, "\n".into()),
                (Line::Read, "last".into()),
            ]
        );
    }

    #[test]
    fn reader_names_and_extensions_are_unique() {
        let mut names: Vec<_> = READERS.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), READERS.len());
        let mut exts: Vec<_> = READERS.iter().flat_map(|r| r.extensions()).collect();
        let n = exts.len();
        exts.sort();
        exts.dedup();
        assert_eq!(exts.len(), n);
    }

    #[test]
    fn derived_ids_are_normalised_paths() {
        let s = SourceFile::new("./corpus/bbc/business/001.txt");
        assert_eq!(s.derived_id(None), "corpus/bbc/business/001.txt");
        assert_eq!(s.derived_id(Some(3)), "corpus/bbc/business/001.txt#3");
        assert_eq!(SourceFile::new("/data/a.json").derived_id(None), "/data/a.json");
        assert_ne!(
            SourceFile::new("a/002.md").id_base,
            SourceFile::new("a/002.txt").id_base
        );
    }

    #[test]
    fn chooses_by_extension_then_content() {
        let pick = |p: &str, b: &str| choose_reader(Path::new(p), b.as_bytes()).map(|r| r.name());
        assert_eq!(pick("a.TXT", "hello"), Ok("text"));
        assert_eq!(pick("a.ndjson", "{}"), Ok("jsonl"));
        assert_eq!(pick("README", "---\ntitle: x\n---\nbody"), Ok("markdown"));
        assert_eq!(pick("dump", "{\"title\": 1}"), Ok("json"));
        assert_eq!(pick("notes", "plain words"), Ok("text"));
        assert!(pick("a.png", "\u{0}\u{1}").unwrap_err().contains("binary"));
        assert_eq!(pick("page.html", "<html>"), Ok("html"));
        assert_eq!(pick("page", "<!DOCTYPE html><html>"), Ok("html"));
        assert_eq!(pick("a.sgm", "<!DOCTYPE lewis"), Ok("reuters-sgml"));
        assert_eq!(pick("a.csv.gz", "x"), Ok("csv"));
        assert_eq!(pick("a.warc.gz", "WARC/1.0"), Ok("warc"));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let source = SourceFile::new("x.txt");
        let mut out = Outcome::default();
        read_bytes(b"date 2023-05-25\nok\nbad \xff byte\n", &source, &mut out);
        assert_eq!(out.format, Some("text"));
        assert!(out.articles.is_empty());
        assert_eq!(
            out.problems[0].to_string(),
            "x.txt:3: invalid UTF-8 at byte 23; file skipped"
        );
    }
}
