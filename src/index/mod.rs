//! The index: a tantivy index of articles and passages, in a folder.
//!
//! [`NewsIndex`] opens (or creates) the folder, checks that it was written
//! with this schema, and hands out searchers and an [`Indexer`]. The indexer
//! upserts: adding an article deletes every document with its id in the same
//! operation, so indexing a corpus twice leaves one copy of each article.
//!
//! Beside tantivy's files the folder holds `newsdex.json`, which records the
//! schema version and the newsdex version that wrote it; an index of another
//! schema is refused with a message that says how to rebuild it.

pub mod document;
pub mod manifest;
pub mod schema;
pub mod tokenizer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use document::StoredArticle;
pub use schema::Fields;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::query::derived::Derived;

/// The version of the schema and of what newsdex stores. Bump it whenever an
/// index written before the change cannot be read correctly after it.
pub const SCHEMA_VERSION: u32 = 6;

/// The file beside tantivy's that identifies a newsdex index.
pub const META_FILE: &str = "newsdex.json";

/// Names the process writing to the index, for "index locked" messages.
pub const HOLDER_FILE: &str = "newsdex-writer.txt";

/// Memory for tantivy's indexing threads, in bytes, shared between them.
pub const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// The least memory tantivy takes per indexing thread (it refuses less).
const MIN_THREAD_MEMORY: usize = 16 * 1024 * 1024;

/// What `newsdex.json` records.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexMeta {
    format: String,
    schema_version: u32,
    newsdex_version: String,
    /// Each article is one passage (`index --whole-articles`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    whole_articles: bool,
}

impl IndexMeta {
    fn current(whole_articles: bool) -> IndexMeta {
        IndexMeta {
            format: "newsdex".into(),
            schema_version: SCHEMA_VERSION,
            newsdex_version: env!("CARGO_PKG_VERSION").into(),
            whole_articles,
        }
    }
}

/// An open newsdex index.
pub struct NewsIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Each article is indexed as one passage, not split at paragraphs.
    whole_articles: bool,
    /// What searches derived from the current searcher (see
    /// [`crate::query::derived`]); kept here so that it lives as long as
    /// the index is open.
    derived: Mutex<Option<Arc<Derived>>>,
}

impl NewsIndex {
    /// Opens the index in `dir`, which must exist and match this schema.
    pub fn open(dir: &Path) -> Result<NewsIndex> {
        NewsIndex::open_with(dir, ReloadPolicy::Manual)
    }

    /// Opens the index in `dir` for a long-lived reader (a server): its
    /// searchers follow each commit, including another process's, within
    /// about half a second, without [`NewsIndex::reload`].
    pub fn open_live(dir: &Path) -> Result<NewsIndex> {
        NewsIndex::open_with(dir, ReloadPolicy::OnCommitWithDelay)
    }

    fn open_with(dir: &Path, reload: ReloadPolicy) -> Result<NewsIndex> {
        if !dir.join("meta.json").exists() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let meta = check_meta(dir)?;
        let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
        NewsIndex::from_index(dir, index, reload, meta.whole_articles)
    }

    /// Opens the index in `dir`, creating the folder and an empty index
    /// when there is none. A folder that holds other files is refused.
    pub fn open_or_create(dir: &Path) -> Result<NewsIndex> {
        NewsIndex::open_or_create_as(dir, None)
    }

    /// [`NewsIndex::open_or_create`], asking for articles split into
    /// passages (`Some(false)`), indexed whole (`Some(true)`, a baseline
    /// for `eval`), or as the index already has it (`None`; split when
    /// new). An index built the other way is refused: it must be rebuilt.
    pub fn open_or_create_as(dir: &Path, whole_articles: Option<bool>) -> Result<NewsIndex> {
        if dir.join("meta.json").exists() {
            let index = NewsIndex::open(dir)?;
            if let Some(asked) = whole_articles
                && asked != index.whole_articles
            {
                let how = |whole: bool| {
                    if whole {
                        "indexes whole articles"
                    } else {
                        "splits articles into passages"
                    }
                };
                return Err(Error::Incompatible {
                    path: dir.to_path_buf(),
                    found: format!("{} and this run {}", how(index.whole_articles), how(asked)),
                    expected: SCHEMA_VERSION,
                });
            }
            return Ok(index);
        }
        if let Some(other) = foreign_file(dir) {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                file: other,
            });
        }
        std::fs::create_dir_all(dir).map_err(|cause| Error::Io {
            path: dir.to_path_buf(),
            cause,
        })?;
        // Our record first, then tantivy's meta.json: a crash between the
        // two leaves a folder the next run simply creates the index in.
        let whole_articles = whole_articles.unwrap_or(false);
        let meta = serde_json::to_string_pretty(&IndexMeta::current(whole_articles)).unwrap_or_default();
        let partial = dir.join(format!("{META_FILE}.partial"));
        std::fs::write(&partial, meta + "\n")
            .and_then(|()| std::fs::rename(&partial, dir.join(META_FILE)))
            .map_err(|cause| Error::Io {
                path: dir.join(META_FILE),
                cause,
            })?;
        let fields = Fields::build();
        let index = Index::create_in_dir(dir, fields.schema.clone()).map_err(|e| tantivy_error(dir, e))?;
        NewsIndex::from_index(dir, index, ReloadPolicy::Manual, whole_articles)
    }

    /// Deletes the index in `dir`, whatever version wrote it, and creates an
    /// empty one. Only the index's own files are removed.
    pub fn rebuild(dir: &Path) -> Result<NewsIndex> {
        NewsIndex::rebuild_as(dir, false)
    }

    /// [`NewsIndex::rebuild`], indexing whole articles or not.
    pub fn rebuild_as(dir: &Path, whole_articles: bool) -> Result<NewsIndex> {
        if dir.join("meta.json").exists() {
            let entries = std::fs::read_dir(dir).map_err(|cause| Error::Io {
                path: dir.to_path_buf(),
                cause,
            })?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if is_index_file(&name) {
                    std::fs::remove_file(entry.path()).map_err(|cause| Error::Io {
                        path: entry.path(),
                        cause,
                    })?;
                }
            }
        }
        NewsIndex::open_or_create_as(dir, Some(whole_articles))
    }

    /// An index held in memory, for tests and one-off use.
    pub fn in_ram() -> Result<NewsIndex> {
        let fields = Fields::build();
        let index = Index::create_in_ram(fields.schema.clone());
        NewsIndex::from_index(Path::new("(memory)"), index, ReloadPolicy::Manual, false)
    }

    fn from_index(dir: &Path, index: Index, reload: ReloadPolicy, whole_articles: bool) -> Result<NewsIndex> {
        let fields = Fields::build();
        if index.schema() != fields.schema {
            return Err(Error::Incompatible {
                path: dir.to_path_buf(),
                found: "has a different schema".into(),
                expected: SCHEMA_VERSION,
            });
        }
        let reader = index
            .reader_builder()
            .reload_policy(reload)
            .try_into()
            .map_err(|e| tantivy_error(dir, e))?;
        // The same tokens as tantivy's own en_stem, faster (see the module).
        index
            .tokenizers()
            .register(schema::TEXT_TOKENIZER, tokenizer::EnglishStems::analyzer());
        Ok(NewsIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            whole_articles,
            derived: Mutex::new(None),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether each article is indexed as one passage (`--whole-articles`).
    pub fn whole_articles(&self) -> bool {
        self.whole_articles
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The underlying tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// A searcher over the last commit seen by [`NewsIndex::reload`].
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Makes the last commit visible to new searchers.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// An indexer that adds, replaces and deletes articles, with tantivy's
    /// default threads and [`WRITER_MEMORY`].
    pub fn indexer(&self) -> Result<Indexer<'_>> {
        self.indexer_with(None, WRITER_MEMORY)
    }

    /// An indexer with `threads` indexing threads (default: one per core, at
    /// most 8) sharing `memory` bytes of buffers; each thread needs 15 MB,
    /// so there are fewer threads when memory is short.
    pub fn indexer_with(&self, threads: Option<usize>, memory: usize) -> Result<Indexer<'_>> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let memory = memory.max(MIN_THREAD_MEMORY);
        let threads = threads
            .unwrap_or(cores.min(8))
            .clamp(1, (memory / MIN_THREAD_MEMORY).max(1));
        let writer = match self.index.writer_with_num_threads(threads, memory) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                let holder = std::fs::read_to_string(self.dir.join(HOLDER_FILE))
                    .ok()
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| "another process".to_string());
                return Err(Error::Locked {
                    path: self.dir.clone(),
                    holder,
                });
            }
            Err(e) => return Err(self.err(e)),
        };
        // Name ourselves for anyone who finds the index locked. The lock is
        // the operating system's, so it dies with its process: a lock left by
        // a crash is no lock at all, and the next run simply takes it.
        if self.dir.join("meta.json").exists() {
            let me = format!(
                "newsdex (pid {}) since {}",
                std::process::id(),
                chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
            );
            let _ = std::fs::write(self.dir.join(HOLDER_FILE), me + "\n");
        }
        Ok(Indexer {
            index: self,
            writer,
            committed: Some(self.searcher()),
            added: std::collections::HashSet::new(),
        })
    }

    /// The manifest of source files stored with the last commit.
    pub fn manifest(&self) -> Result<manifest::Manifest> {
        let metas = self.index.load_metas().map_err(|e| self.err(e))?;
        Ok(manifest::Manifest::from_payload(metas.payload.as_deref()))
    }

    /// The stored article with this id.
    pub fn get(&self, id: &str) -> Result<Option<StoredArticle>> {
        let searcher = self.searcher();
        match self.address_of(&searcher, id)? {
            Some(addr) => self.stored_at(&searcher, addr),
            None => Ok(None),
        }
    }

    /// The address of the article document with this id, in `searcher`.
    pub fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let id = Term::from_field_text(self.fields.id, id);
        let query = article_doc_query(&self.fields, TermQuery::new(id, IndexRecordOption::Basic));
        let top = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(|e| self.err(e))?;
        Ok(top.first().map(|(_, addr)| *addr))
    }

    /// The stored article of the article document at `addr`, read with
    /// `searcher`.
    pub fn stored_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<Option<StoredArticle>> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
        Ok(document::from_document(self.fields.article, &doc))
    }

    /// Total size of the index folder's files, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    pub(crate) fn derived_slot(&self) -> &Mutex<Option<Arc<Derived>>> {
        &self.derived
    }

    pub(crate) fn err(&self, source: tantivy::TantivyError) -> Error {
        tantivy_error(&self.dir, source)
    }
}

/// `query` restricted to article documents.
pub(crate) fn article_doc_query(
    fields: &Fields,
    query: impl tantivy::query::Query,
) -> tantivy::query::BooleanQuery {
    use tantivy::query::{BooleanQuery, Occur};
    let kind = TermQuery::new(
        Term::from_field_text(fields.kind, schema::KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    BooleanQuery::new(vec![
        (Occur::Must, Box::new(query)),
        (Occur::Must, Box::new(kind)),
    ])
}

/// True for the files an index folder holds: tantivy's and newsdex's.
fn is_index_file(name: &str) -> bool {
    let tantivy_segment = name.split_once('.').is_some_and(|(stem, ext)| {
        stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.is_empty()
    });
    tantivy_segment
        || matches!(
            name,
            "meta.json"
                | ".managed.json"
                | ".tantivy-meta.lock"
                | ".tantivy-writer.lock"
                | META_FILE
                | HOLDER_FILE
        )
}

/// The first file in `dir` that an empty index folder would not hold
/// (anything but hidden files), if any.
fn foreign_file(dir: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut names: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && !is_index_file(&name) && name != format!("{META_FILE}.partial")
        })
        .map(|e| e.path())
        .collect();
    names.sort();
    names.into_iter().next()
}

fn check_meta(dir: &Path) -> Result<IndexMeta> {
    let path = dir.join(META_FILE);
    let incompatible = |found: String| Error::Incompatible {
        path: dir.to_path_buf(),
        found,
        expected: SCHEMA_VERSION,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|_| incompatible(format!("has no {META_FILE}: it was not written by newsdex")))?;
    let meta: IndexMeta = serde_json::from_str(&text)
        .map_err(|e| incompatible(format!("has an unreadable {META_FILE} ({e})")))?;
    if meta.format != "newsdex" || meta.schema_version != SCHEMA_VERSION {
        return Err(incompatible(format!(
            "was written by newsdex {} (schema {})",
            meta.newsdex_version, meta.schema_version
        )));
    }
    Ok(meta)
}

fn tantivy_error(dir: &Path, source: tantivy::TantivyError) -> Error {
    Error::Tantivy {
        path: dir.to_path_buf(),
        cause: source,
    }
}

/// Adds, replaces and deletes articles; nothing is visible until [`Indexer::commit`].
pub struct Indexer<'a> {
    index: &'a NewsIndex,
    writer: IndexWriter,
    /// The index as it was when the indexer started: ids found there must
    /// be deleted before they are added again.
    committed: Option<Searcher>,
    /// Keys of articles added by this indexer, which a repeat must replace.
    added: std::collections::HashSet<u64>,
}

impl Indexer<'_> {
    /// Adds an article, replacing any article with the same id. Returns the
    /// number of passages it was split into.
    pub fn upsert(&mut self, article: &Article) -> Result<usize> {
        let fields = &self.index.fields;
        let docs = document::to_documents(fields, article, self.index.whole_articles);
        let passages = docs.len() - 1;
        let mut ops = Vec::with_capacity(docs.len() + 1);
        let id_term = Term::from_field_text(fields.id, &article.id);
        // A delete costs memory until the commit; issue one only for an id
        // that is in the index already or was added earlier in this run.
        let repeated = !self.added.insert(schema::article_key(&article.id));
        let indexed = match &self.committed {
            Some(searcher) => searcher.doc_freq(&id_term).map_err(|e| self.index.err(e))? > 0,
            None => false,
        };
        if repeated || indexed {
            ops.push(UserOperation::Delete(id_term));
        }
        ops.extend(docs.into_iter().map(UserOperation::Add));
        self.writer.run(ops).map_err(|e| self.index.err(e))?;
        Ok(passages)
    }

    /// Removes every article (the removal, too, takes effect at commit).
    pub fn delete_all(&mut self) -> Result<()> {
        self.added.clear();
        self.committed = None;
        self.writer
            .delete_all_documents()
            .map(|_| ())
            .map_err(|e| self.index.err(e))
    }

    /// Deletes every article read from the file with this key (see
    /// [`crate::article::Provenance::file_key`]).
    pub fn delete_file(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.file, key));
    }

    /// Whether the index held articles read from the file with this key
    /// when the indexer started.
    pub fn holds_file(&self, key: &str) -> Result<bool> {
        let term = Term::from_field_text(self.index.fields.file, key);
        match &self.committed {
            Some(searcher) => Ok(searcher.doc_freq(&term).map_err(|e| self.index.err(e))? > 0),
            None => Ok(false),
        }
    }

    /// Makes everything added so far durable and visible, with `manifest`
    /// stored in the same commit, and goes on indexing. `prepared` is called
    /// when the new segments are on disk but not yet published: a crash
    /// there, as anywhere, leaves the index at its previous commit.
    pub fn checkpoint(&mut self, manifest: &manifest::Manifest, prepared: &mut dyn FnMut()) -> Result<()> {
        let mut commit = self.writer.prepare_commit().map_err(|e| self.index.err(e))?;
        commit.set_payload(&manifest.to_payload());
        prepared();
        commit.commit().map_err(|e| self.index.err(e))?;
        Ok(())
    }

    /// The last checkpoint: commits, waits for merges and makes the commit
    /// visible to this process's searchers.
    pub fn commit_with(mut self, manifest: &manifest::Manifest, prepared: &mut dyn FnMut()) -> Result<()> {
        self.checkpoint(manifest, prepared)?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| self.index.err(e))?;
        self.index.reload()
    }

    /// Makes everything added so far durable and visible.
    pub fn commit(mut self) -> Result<()> {
        self.writer.commit().map_err(|e| self.index.err(e))?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| self.index.err(e))?;
        self.index.reload()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Provenance;

    #[test]
    fn upserting_twice_keeps_one_copy() {
        let index = NewsIndex::in_ram().unwrap();
        let a = Article::new("a", "Drone strike on the Kremlin.", Provenance::file("a.txt"));
        for _ in 0..2 {
            let mut w = index.indexer().unwrap();
            w.upsert(&a).unwrap();
            w.commit().unwrap();
        }
        assert_eq!(index.searcher().num_docs(), 2); // one article + one passage
        assert_eq!(index.get("a").unwrap().unwrap().article, a);
        assert!(index.get("b").unwrap().is_none());
    }

    #[test]
    fn a_repeated_id_in_one_run_keeps_the_last_copy() {
        let index = NewsIndex::in_ram().unwrap();
        let mut w = index.indexer().unwrap();
        w.upsert(&Article::new("a", "first version", Provenance::file("a.txt")))
            .unwrap();
        w.upsert(&Article::new("b", "other", Provenance::file("b.txt")))
            .unwrap();
        w.upsert(&Article::new("a", "second version", Provenance::file("a.txt")))
            .unwrap();
        w.commit().unwrap();
        assert_eq!(index.searcher().num_docs(), 4);
        assert_eq!(index.get("a").unwrap().unwrap().article.body, "second version");
    }

    /// Search takes a passage's article to be the nearest article document
    /// before it: that must hold after deletes, upserts and merges.
    #[test]
    fn articles_and_passages_stay_contiguous_through_deletes_and_merges() {
        let index = NewsIndex::in_ram().unwrap();
        let body = |i: usize, v: usize| {
            (0..=(i + v) % 4)
                .map(|p| format!("Paragraph {p} of story {i} version {v}. ").repeat(12))
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        for round in 0..3 {
            let mut w = index.indexer().unwrap();
            for i in 0..40 {
                // Each round replaces every third story and adds new ones.
                if round == 0 || i % 3 == 0 || i >= 30 + round * 3 {
                    let id = format!("s{i}");
                    let a = Article::new(&id, body(i, round), Provenance::file(format!("{i}.txt")));
                    w.upsert(&a).unwrap();
                }
            }
            w.delete_file("7.txt");
            w.commit().unwrap();
        }
        let mut writer: IndexWriter = index.tantivy().writer(50_000_000).unwrap();
        let ids = index.tantivy().searchable_segment_ids().unwrap();
        assert!(ids.len() > 1, "the test needs several segments to merge");
        writer.merge(&ids).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        index.reload().unwrap();

        let searcher = index.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let reader = searcher.segment_reader(0);
        let alive = (0..reader.max_doc())
            .filter(|&d| reader.alive_bitset().is_none_or(|a| a.is_alive(d)))
            .count();
        let kind = TermQuery::new(
            Term::from_field_text(index.fields.kind, schema::KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        let docs_of = |query: &TermQuery| -> Vec<u32> {
            let mut docs: Vec<u32> = searcher
                .search(query, &tantivy::collector::DocSetCollector)
                .unwrap()
                .into_iter()
                .map(|a| a.doc_id)
                .collect();
            docs.sort_unstable();
            docs
        };
        let heads = docs_of(&kind);
        // Each article document is followed by exactly its passages: the
        // documents with its id are it and the next ones, up to the next
        // article, and together they are every live document.
        let mut covered = 0;
        for (i, &doc) in heads.iter().enumerate() {
            let stored = index
                .stored_at(&searcher, DocAddress::new(0, doc))
                .unwrap()
                .unwrap();
            let id = Term::from_field_text(index.fields.id, &stored.article.id);
            let span = stored.passages.len() as u32;
            assert_eq!(
                docs_of(&TermQuery::new(id, IndexRecordOption::Basic)),
                (doc..=doc + span).collect::<Vec<_>>()
            );
            if let Some(&next) = heads.get(i + 1) {
                assert_eq!(
                    next,
                    doc + span + 1,
                    "nothing between {doc}'s passages and the next article"
                );
            }
            covered += span as usize + 1;
        }
        assert_eq!(covered, alive);
        let articles = heads.len();
        assert_eq!(articles, 39, "40 stories, one file deleted");
        assert!(index.get("s7").unwrap().is_none());
        assert_eq!(index.get("s3").unwrap().unwrap().article.body, body(3, 2));
    }

    #[test]
    fn a_second_indexer_is_refused_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let index = NewsIndex::open_or_create(dir.path()).unwrap();
        let first = index.indexer().unwrap();
        let err = index.indexer().err().unwrap().to_string();
        assert!(err.contains("is being written by newsdex (pid"), "{err}");
        drop(first);
        // Once the first is gone, the lock is free again.
        index.indexer().unwrap();
    }

    #[test]
    fn refuses_an_index_of_another_schema() {
        let dir = tempfile::tempdir().unwrap();
        NewsIndex::open_or_create(dir.path()).unwrap();
        let meta = dir.path().join(META_FILE);
        std::fs::write(
            &meta,
            r#"{"format":"newsdex","schema_version":0,"newsdex_version":"0.0.1"}"#,
        )
        .unwrap();
        let err = NewsIndex::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("was written by newsdex 0.0.1 (schema 0)"), "{err}");
        assert!(err.contains("newsdex index --rebuild"), "{err}");
        std::fs::remove_file(&meta).unwrap();
        let err = NewsIndex::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("not written by newsdex"), "{err}");
    }

    #[test]
    fn rebuild_replaces_an_index_of_another_schema_and_spares_other_files() {
        let dir = tempfile::tempdir().unwrap();
        NewsIndex::open_or_create(dir.path()).unwrap();
        std::fs::write(
            dir.path().join(META_FILE),
            r#"{"format":"newsdex","schema_version":0,"newsdex_version":"0"}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join(".gitkeep"), "").unwrap();
        assert!(NewsIndex::open(dir.path()).is_err());
        NewsIndex::rebuild(dir.path()).unwrap();
        NewsIndex::open(dir.path()).unwrap();
        assert!(dir.path().join(".gitkeep").exists());
    }

    #[test]
    fn refuses_to_fill_a_folder_of_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("important.txt"), "keep me").unwrap();
        let err = NewsIndex::open_or_create(dir.path()).err().unwrap().to_string();
        assert!(err.contains("important.txt"), "{err}");
        std::fs::remove_file(dir.path().join("important.txt")).unwrap();
        std::fs::write(dir.path().join(".gitkeep"), "").unwrap();
        NewsIndex::open_or_create(dir.path()).unwrap();
    }

    #[test]
    fn a_missing_index_says_how_to_make_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = NewsIndex::open(&dir.path().join("nope"))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("newsdex index"), "{err}");
    }
}
