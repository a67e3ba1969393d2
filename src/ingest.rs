//! Ingest: the indexing run, from paths to a committed index.
//!
//! Walks the paths, reads each file, enriches each article and upserts it,
//! then commits once. A bad file or record is reported through the
//! callback and skipped; the run goes on. Nothing is visible to searchers
//! until the commit, so an interrupted run leaves the index as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::corpus::{self, Problem, Severity};
use rayon::prelude::*;

use crate::enrich::Enricher;
use crate::error::Result;
use crate::index::NewsIndex;

/// How to run an indexing run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Remove every article first, so the index holds only these paths.
    pub rebuild: bool,
    /// How articles are enriched (entities, aliases).
    pub enricher: Enricher,
}

/// What happened during a run, reported as it happens.
#[derive(Debug)]
pub enum Progress<'a> {
    /// The walk is done; this many files will be read.
    Walked {
        /// Files found.
        files: usize,
    },
    /// A file was read.
    File {
        /// The file.
        path: &'a Path,
        /// Articles it held.
        articles: usize,
    },
    /// Something was wrong with a file or record.
    Problem(&'a Problem),
    /// Everything is read; the commit is starting.
    Committing,
}

/// The totals of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files found by the walk.
    pub files: usize,
    /// Files that gave at least one article.
    pub files_indexed: usize,
    /// Files skipped whole.
    pub files_skipped: usize,
    /// Articles indexed.
    pub articles: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Records skipped inside files that were otherwise read.
    pub records_skipped: usize,
    /// Articles indexed with something missing (an unreadable date).
    pub warnings: usize,
    /// Paths given that do not exist.
    pub missing_paths: usize,
    /// Bytes of the files read.
    pub bytes: u64,
    /// Articles per format.
    pub formats: BTreeMap<String, usize>,
    /// Skips counted by reason, with the reason's first words.
    pub skip_reasons: BTreeMap<String, usize>,
    /// Wall-clock time of the run.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl Summary {
    /// Problems that left something out of the index or incomplete.
    pub fn problem_count(&self) -> usize {
        self.files_skipped + self.records_skipped + self.warnings
    }

    /// Articles indexed per second of the run.
    pub fn articles_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.articles as f64 / secs
        } else {
            0.0
        }
    }
}

/// Indexes the files under `paths` into `index` and commits.
pub fn ingest(
    index: &NewsIndex,
    paths: &[PathBuf],
    options: &IngestOptions,
    on: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let (files, walk_problems) = corpus::walk(paths);
    for p in &walk_problems {
        if paths.iter().any(|given| given == &p.path) && !p.path.exists() {
            summary.missing_paths += 1;
        } else {
            summary.files_skipped += 1;
        }
        *summary.skip_reasons.entry(reason_key(&p.message)).or_default() += 1;
        on(Progress::Problem(p));
    }
    summary.files = files.len();
    on(Progress::Walked { files: files.len() });

    let mut indexer = index.indexer()?;
    if options.rebuild {
        indexer.delete_all()?;
    }
    for found in &files {
        let outcome = corpus::read_file(found);
        summary.bytes += std::fs::metadata(&found.path).map(|m| m.len()).unwrap_or(0);
        let file_skipped =
            outcome.articles.is_empty() && outcome.problems.iter().any(|p| p.severity == Severity::Skipped);
        for p in &outcome.problems {
            match p.severity {
                Severity::Skipped if file_skipped => {}
                Severity::Skipped => summary.records_skipped += 1,
                Severity::Warning => summary.warnings += 1,
            }
            if p.severity == Severity::Skipped {
                *summary.skip_reasons.entry(reason_key(&p.message)).or_default() += 1;
            }
            on(Progress::Problem(p));
        }
        if file_skipped {
            summary.files_skipped += 1;
        } else if !outcome.articles.is_empty() {
            summary.files_indexed += 1;
        }
        let count = outcome.articles.len();
        if let Some(format) = outcome.format {
            *summary.formats.entry(format.to_string()).or_default() += count;
        }
        let mut articles = outcome.articles;
        // Tagging entities is the costly step: spread it over the cores.
        articles.par_iter_mut().for_each(|a| options.enricher.enrich(a));
        for article in &articles {
            summary.passages += indexer.upsert(article)?;
            summary.articles += 1;
        }
        on(Progress::File {
            path: &found.path,
            articles: count,
        });
    }
    on(Progress::Committing);
    indexer.commit()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// A problem message shortened to its kind, for counting reasons: up to
/// the first `:`, `;`, `(` or `,`, with numbers written as `N`.
fn reason_key(message: &str) -> String {
    let cut = message.find([':', ';', '(', ',']).unwrap_or(message.len());
    message[..cut]
        .split_whitespace()
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii_digit()) {
                "N"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_by_their_first_words() {
        for (message, key) in [
            ("malformed JSON: EOF while parsing (column 3)", "malformed JSON"),
            (
                "invalid UTF-8 at byte 23; file skipped",
                "invalid UTF-8 at byte N",
            ),
            ("expected a JSON object, found a list", "expected a JSON object"),
            ("no such file or folder", "no such file or folder"),
        ] {
            assert_eq!(reason_key(message), key);
        }
    }
}
