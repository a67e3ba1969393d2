//! `newsdex show ID`: one article in full.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::{Error, NewsIndex, output};

use super::{Status, style};
use crate::cli::{Format, ShowArgs};

/// Prints the article with this id.
pub fn run(args: &ShowArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Prints one article of an open index (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &ShowArgs, out: &mut dyn Write) -> Result<Status> {
    let stored = index
        .get(&args.id)?
        .ok_or_else(|| Error::UnknownId(args.id.clone()))?;
    match args.format {
        Format::Text => output::article_text(out, &stored.article, style(args.color))?,
        Format::Json | Format::Jsonl => output::article_json(out, &stored.article, stored.passages.len())?,
    }
    Ok(Status::Found)
}
