//! The library's error type.
//!
//! Per-file and per-record trouble while reading a corpus is not an error:
//! it is a [`crate::corpus::Problem`], reported and skipped. An [`Error`] is
//! what stops a command: no index, an index newsdex cannot read, a query that
//! does not parse, an id that is not there.

use std::path::PathBuf;

use crate::query::syntax::SyntaxError;

/// What can stop a newsdex command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index where one was expected.
    #[error("no index at {0}: build one with `newsdex index [PATH...]`, or point --index at one")]
    NoIndex(PathBuf),
    /// An index written by another version of newsdex, or not by newsdex.
    #[error(
        "the index at {path} {found}; this newsdex reads schema {expected}: \
         rebuild it with `newsdex index --rebuild [PATH...]`"
    )]
    Incompatible {
        /// The index folder.
        path: PathBuf,
        /// What was found there, as a phrase ("was written by newsdex 0.0.1 (schema 0)").
        found: String,
        /// The schema version this build reads.
        expected: u32,
    },
    /// A folder that is neither empty nor an index.
    #[error(
        "{path} is not an index and not empty (it holds {file}): choose a new or empty folder for --index"
    )]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
        /// A file in it.
        file: PathBuf,
    },
    /// Another process is writing to the index.
    #[error(
        "the index at {path} is being written by {holder}; wait for it to finish (searching works meanwhile)"
    )]
    Locked {
        /// The index folder.
        path: PathBuf,
        /// Who holds the lock, as it wrote itself down.
        holder: String,
    },
    /// A query that does not parse.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A filter value that cannot be understood (`--from 2023-13`).
    #[error("{0}")]
    BadFilter(String),
    /// `show ID` with an id that is not in the index.
    #[error("no article with id {0:?} in the index")]
    UnknownId(String),
    /// A failure inside tantivy, with the index it concerned.
    #[error("index {path}: {cause}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        cause: tantivy::TantivyError,
    },
    /// An option whose value cannot be used (an export's index name).
    #[error("{0}")]
    BadOption(String),
    /// A filesystem failure.
    #[error("{path}: {cause}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
