//! `newsdex stats`: what the index holds.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use newsdex::{NewsIndex, output, query};

use super::{Status, style};
use crate::cli::{ColorArg, Format, StatsArgs};

/// Prints the index summary.
pub fn run(args: &StatsArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open(index_dir)?;
    write(&index, args, out)
}

/// Summarises an open index (`newsdex serve` answers with it too).
pub fn write(index: &NewsIndex, args: &StatsArgs, out: &mut dyn Write) -> Result<Status> {
    let stats = query::stats(index, args.top)?;
    match args.format {
        Format::Text => output::stats_text(out, &stats, style(ColorArg::Auto))?,
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(&mut *out, &stats)?;
            writeln!(out)?;
        }
    }
    Ok(Status::Found)
}
