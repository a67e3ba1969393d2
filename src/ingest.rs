//! Ingest: the indexing run, from paths to a committed index.
//!
//! Walks the paths, reads each file, enriches each article and upserts it,
//! committing every [`IngestOptions::commit_every`] articles and at the end.
//! A bad file or record is reported through the callback and skipped; the
//! run goes on.
//!
//! Each commit stores the manifest of the files it holds whole, so a run
//! that is killed leaves the index at its last commit, and the next run
//! takes up the work from there: files the manifest holds are skipped, and
//! a file cut off by the kill (its articles partly committed, the file not
//! in the manifest) has its articles removed and is read again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::article::Article;
use crate::corpus::{self, Problem, Severity, Sink};
use std::collections::HashSet;

use crate::article::path_key;
use crate::index::Indexer;
use crate::index::manifest::{FileState, Manifest, is_under};
use rayon::prelude::*;

use crate::enrich::Enricher;
use crate::enrich::duplicates::{self, Window};
use crate::enrich::signature::Signature;
use crate::error::Result;
use crate::index::NewsIndex;

/// How to run an indexing run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Remove every article first, so the index holds only these paths.
    pub rebuild: bool,
    /// How articles are enriched (entities, aliases).
    pub enricher: Enricher,
    /// Field names the corpus uses beyond the usual ones.
    pub fields: std::sync::Arc<crate::corpus::FieldMap>,
    /// Commit after this many articles, so that an interrupted run keeps
    /// its work (at least 1).
    pub commit_every: usize,
    /// Indexing threads (default: one per core).
    pub threads: Option<usize>,
    /// Bytes of buffers the index writer may hold before it writes a
    /// segment: the run's peak memory is this plus a fixed overhead.
    pub memory: usize,
}

/// How many articles a run indexes between commits unless told otherwise:
/// under a minute of work with entities, and a few segments per million.
pub const DEFAULT_COMMIT_EVERY: usize = 100_000;

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            rebuild: false,
            enricher: Enricher::default(),
            fields: Default::default(),
            commit_every: DEFAULT_COMMIT_EVERY,
            threads: None,
            memory: crate::index::WRITER_MEMORY,
        }
    }
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
    /// A commit is starting: `last` is the one that ends the run.
    Committing {
        /// Whether this is the run's final commit.
        last: bool,
    },
    /// The commit's new segments are on disk; it is being published.
    Prepared,
    /// A commit is done: searchers opened from now on see it.
    Committed,
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
    /// Files read for the first time.
    pub files_added: usize,
    /// Files read again because their content changed.
    pub files_changed: usize,
    /// Files skipped because the index holds them as they are.
    pub files_unchanged: usize,
    /// Files the index held that are gone, whose articles were removed.
    pub files_removed: usize,
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

    let mut indexer = index.indexer_with(options.threads, options.memory)?;
    let old = if options.rebuild {
        indexer.delete_all()?;
        Manifest::default()
    } else {
        index.manifest()?
    };
    let mut manifest = old.clone();
    let mut commits = Commits {
        every: options.commit_every.max(1),
        pending: 0,
    };
    let mut clusters = Clusters {
        window: Window::default(),
        // A rebuilt index holds nothing to compare with.
        seed_from: (!options.rebuild).then_some(index),
        stale: stale_files(&old, &files, paths),
    };
    let mut seen: HashSet<String> = HashSet::new();
    for found in &files {
        let key = path_key(&found.path);
        seen.insert(key.clone());
        // Unchanged files are not read again: same size and time, or same content.
        let state = match FileState::stat(&found.path) {
            Ok(s) => s,
            Err(_) => FileState {
                size: 0,
                mtime_ns: 0,
                hash: 0,
            },
        };
        // Hashed at most once: to compare with the manifest and to record.
        let mut hashed: Option<FileState> = None;
        if let Some(prev) = old.files.get(&key).copied() {
            hashed = if state.looks_unchanged(&prev) {
                Some(FileState {
                    hash: prev.hash,
                    ..state
                })
            } else {
                state.with_hash(&found.path).ok()
            };
            if hashed.is_some_and(|h| h.hash == prev.hash) {
                summary.files_unchanged += 1;
                manifest.files.insert(
                    key,
                    FileState {
                        hash: prev.hash,
                        ..state
                    },
                );
                on(Progress::File {
                    path: &found.path,
                    articles: 0,
                });
                continue;
            }
            // Changed: its old articles go, its new ones come.
            indexer.delete_file(&key);
            summary.files_changed += 1;
        } else {
            summary.files_added += 1;
            // A file cut off by an interrupted run: what it left goes.
            if indexer.holds_file(&key)? {
                indexer.delete_file(&key);
            }
        }
        let state = hashed
            .or_else(|| state.with_hash(&found.path).ok())
            .unwrap_or(state);
        let mut sink = FileSink {
            batch: Vec::with_capacity(BATCH),
            indexer: &mut indexer,
            enricher: &options.enricher,
            summary: &mut summary,
            on: &mut *on,
            articles: 0,
            skipped: 0,
            error: None,
            commits: &mut commits,
            manifest: &mut manifest,
            key: &key,
            clusters: &mut clusters,
        };
        let format = corpus::read_file(found, &options.fields, &mut sink);
        sink.flush(false);
        let (articles, skipped, error) = (sink.articles, sink.skipped, sink.error.take());
        if let Some(e) = error {
            return Err(e);
        }
        manifest.files.insert(key, state);
        if commits.due() {
            commits.commit(&mut indexer, &manifest, on)?;
        }
        summary.bytes += state.size;
        if articles == 0 && skipped > 0 {
            summary.files_skipped += 1;
        } else {
            summary.records_skipped += skipped;
            if articles > 0 {
                summary.files_indexed += 1;
            }
        }
        if let Some(format) = format {
            *summary.formats.entry(format.to_string()).or_default() += articles;
        }
        on(Progress::File {
            path: &found.path,
            articles,
        });
    }
    // Files the index holds under the walked paths that are gone now.
    let roots: Vec<String> = paths.iter().map(|p| path_key(p)).collect();
    let gone: Vec<String> = old
        .files
        .keys()
        .filter(|k| !seen.contains(*k) && roots.iter().any(|r| is_under(k, r)))
        .filter(|k| !Path::new(k.as_str()).exists())
        .cloned()
        .collect();
    for key in &gone {
        indexer.delete_file(key);
        manifest.files.remove(key);
        summary.files_removed += 1;
    }
    if !options.rebuild && summary.files_added + summary.files_changed + summary.files_removed == 0 {
        // Nothing to write: leave the index and its commit as they are.
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    on(Progress::Committing { last: true });
    indexer.commit_with(&manifest, &mut || on(Progress::Prepared))?;
    on(Progress::Committed);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Articles enriched and indexed (or exported) together: enough to keep
/// both cores busy, few enough that memory stays flat however large a file
/// is.
pub(crate) const BATCH: usize = 256;

/// When the run commits before its end.
struct Commits {
    every: usize,
    /// Articles added since the last commit.
    pending: usize,
}

impl Commits {
    fn due(&self) -> bool {
        self.pending >= self.every
    }

    /// Commits what was added so far with `manifest` (the files held whole).
    fn commit(
        &mut self,
        indexer: &mut Indexer<'_>,
        manifest: &Manifest,
        on: &mut dyn FnMut(Progress<'_>),
    ) -> Result<()> {
        on(Progress::Committing { last: false });
        indexer.checkpoint(manifest, &mut || on(Progress::Prepared))?;
        on(Progress::Committed);
        self.pending = 0;
        Ok(())
    }
}

/// Receives one file's articles and problems as the reader finds them,
/// and indexes articles in batches.
struct FileSink<'a, 'i> {
    batch: Vec<Article>,
    indexer: &'a mut Indexer<'i>,
    enricher: &'a Enricher,
    summary: &'a mut Summary,
    on: &'a mut dyn FnMut(Progress<'_>),
    /// Articles of this file.
    articles: usize,
    /// Problems of this file that skipped something.
    skipped: usize,
    /// The first indexing error, which stops the run.
    error: Option<crate::error::Error>,
    commits: &'a mut Commits,
    /// The files held whole so far.
    manifest: &'a mut Manifest,
    /// The manifest key of the file being read.
    key: &'a str,
    /// Where articles find their near-duplicates.
    clusters: &'a mut Clusters<'i>,
}

/// The run's near-duplicate clusters: what new articles are compared with.
struct Clusters<'i> {
    window: Window,
    /// The index whose newest articles fill the window before the first
    /// article is placed (`None` once done, or when there is nothing).
    seed_from: Option<&'i NewsIndex>,
    /// Files whose articles the run will remove or replace: they do not
    /// fill the window.
    stale: HashSet<String>,
}

impl Clusters<'_> {
    /// Enriches the batch and places each article in a cluster, in order
    /// ([`enrich_batch`]), the window first filled from the index.
    fn enrich(&mut self, batch: &mut [Article], enricher: &Enricher) -> Result<()> {
        if let Some(index) = self.seed_from.take() {
            seed_window(index, &self.stale, &mut self.window)?;
        }
        enrich_batch(batch, enricher, &mut self.window);
        Ok(())
    }
}

/// Enriches a batch of articles on all cores (tagging entities is the
/// costly step), then places each in a near-duplicate cluster of `window`,
/// in order: what an indexing run and an export do with what they read.
pub(crate) fn enrich_batch(batch: &mut [Article], enricher: &Enricher, window: &mut Window) {
    let signatures: Vec<Option<Signature>> = batch
        .par_iter_mut()
        .map(|a| {
            enricher.enrich(a);
            duplicates::signature(a)
        })
        .collect();
    for (article, signature) in batch.iter_mut().zip(signatures) {
        article.duplicate_of = signature
            .and_then(|s| window.assign(&article.id, s))
            .map(|head| head.to_string());
    }
}

/// The files of `old` that this run will likely remove or read again: gone
/// from under the paths walked, or changed in size or time.
fn stale_files(old: &Manifest, files: &[corpus::Found], paths: &[PathBuf]) -> HashSet<String> {
    let walked: HashSet<String> = files.iter().map(|f| path_key(&f.path)).collect();
    let roots: Vec<String> = paths.iter().map(|p| path_key(p)).collect();
    old.files
        .iter()
        .filter(|(key, prev)| {
            let path = Path::new(key.as_str());
            if walked.contains(*key) {
                FileState::stat(path).map_or(true, |now| !now.looks_unchanged(prev))
            } else {
                roots.iter().any(|r| is_under(key, r)) && !path.exists()
            }
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// Fills `window` with the newest articles `index` holds (by date, undated
/// last), as many as it has room for.
fn seed_window(index: &NewsIndex, stale: &HashSet<String>, window: &mut Window) -> Result<()> {
    let searcher = index.searcher();
    let derived = crate::query::derived::derived(index, &searcher)?;
    if derived.article_count == 0 {
        return Ok(());
    }
    derived.load_dates(&searcher);
    let mut docs: Vec<(Option<i64>, tantivy::DocAddress)> = derived
        .article_docs()
        .into_iter()
        .flat_map(|(segment, docs)| {
            let derived = &derived;
            docs.into_iter().map(move |doc| {
                let date = derived.date(segment, doc).flatten();
                (date, tantivy::DocAddress::new(segment, doc))
            })
        })
        .collect();
    docs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Read in chunks on all cores, until the window would be full.
    let (mut newest_first, mut room) = (Vec::new(), window.room());
    'read: for chunk in docs.chunks(1024) {
        let signed = chunk
            .par_iter()
            .map(|(_, addr)| {
                let stored = index.stored_at(&searcher, *addr)?;
                Ok(stored.and_then(|s| {
                    let a = &s.article;
                    if stale.contains(&a.provenance.file_key()) {
                        return None;
                    }
                    Some((
                        Arc::from(a.id.as_str()),
                        duplicates::head(a),
                        duplicates::signature(a)?,
                    ))
                }))
            })
            .collect::<Result<Vec<_>>>()?;
        for (id, head, signature) in signed.into_iter().flatten() {
            let cost = Window::cost(&head, &signature);
            if cost > room {
                break 'read;
            }
            room -= cost;
            newest_first.push((id, head, signature));
        }
    }
    window.seed(newest_first);
    Ok(())
}

impl FileSink<'_, '_> {
    /// Indexes the batch; in the middle of a file, commits if one is due
    /// (with the file left out of the manifest, as it is not whole yet).
    fn flush(&mut self, mid_file: bool) {
        if self.batch.is_empty() || self.error.is_some() {
            self.batch.clear();
            return;
        }
        if let Err(e) = self.clusters.enrich(&mut self.batch, self.enricher) {
            self.error = Some(e);
            self.batch.clear();
            return;
        }
        for article in self.batch.drain(..) {
            match self.indexer.upsert(&article) {
                Ok(passages) => {
                    self.summary.passages += passages;
                    self.summary.articles += 1;
                    self.commits.pending += 1;
                }
                Err(e) => {
                    self.error = Some(e);
                    break;
                }
            }
        }
        self.batch.clear();
        if mid_file && self.commits.due() {
            let held = self.manifest.files.remove(self.key);
            if let Err(e) = self.commits.commit(self.indexer, self.manifest, &mut *self.on) {
                self.error = Some(e);
            }
            if let Some(state) = held {
                self.manifest.files.insert(self.key.to_string(), state);
            }
        }
    }
}

impl Sink for FileSink<'_, '_> {
    fn article(&mut self, article: Article) {
        self.articles += 1;
        self.batch.push(article);
        if self.batch.len() >= BATCH || self.commits.pending + self.batch.len() >= self.commits.every {
            self.flush(true);
        }
    }

    fn problem(&mut self, problem: Problem) {
        match problem.severity {
            Severity::Skipped => {
                self.skipped += 1;
                *self
                    .summary
                    .skip_reasons
                    .entry(reason_key(&problem.message))
                    .or_default() += 1;
            }
            Severity::Warning => self.summary.warnings += 1,
        }
        (self.on)(Progress::Problem(&problem));
    }
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
