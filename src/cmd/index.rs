//! `newsdex index [PATH...]`: read files into the index.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use newsdex::NewsIndex;
use newsdex::enrich::Enricher;
use newsdex::ingest::{IngestOptions, Progress, ingest};
use newsdex::output;

use super::Status;
use crate::cli::IndexArgs;

/// Indexes the paths, reporting problems on stderr and a summary on stdout.
pub fn run(args: &IndexArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = if args.rebuild {
        NewsIndex::rebuild(index_dir)?
    } else {
        NewsIndex::open_or_create(index_dir)?
    };
    let show_bar = !args.quiet && !args.no_progress && std::io::stderr().is_terminal();
    let bar = if show_bar {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut on_progress = |p: Progress<'_>| match p {
        Progress::Walked { files } => bar.set_length(files as u64),
        Progress::File { .. } => bar.inc(1),
        Progress::Problem(problem) => {
            let line = format!("newsdex: {}: {problem}", problem_label(problem));
            bar.suspend(|| eprintln!("{}", output::clean(&line)));
        }
        Progress::Committing => bar.set_message("committing"),
    };
    let mut enricher = Enricher {
        entities: !args.no_entities,
        ..Enricher::default()
    };
    if let Some(path) = &args.aliases {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        enricher.aliases.extend_from(&text).map_err(|line| {
            anyhow::anyhow!(
                "{}:{line}: expected `Canonical: variant, variant`",
                path.display()
            )
        })?;
    }
    let options = IngestOptions {
        rebuild: args.rebuild,
        enricher,
    };
    let summary = ingest(&index, &args.paths, &options, &mut on_progress)?;
    bar.finish_and_clear();
    if !args.quiet {
        output::summary_text(out, &summary)?;
        if summary.articles > 0 {
            let mut me = program_name();
            if index_dir != Path::new("index") {
                me = format!("{me} --index {}", index_dir.display());
            }
            writeln!(out, "Index: {}. Try:", index_dir.display())?;
            writeln!(out, "  {me} search drone kremlin")?;
            writeln!(out, "  {me} search --facets --from 1987-03 --to 1987-03 oil")?;
            writeln!(out, "  {me} stats")?;
        }
    }
    if summary.missing_paths > 0 {
        eprintln!(
            "newsdex: error: {} of the paths given do not exist",
            summary.missing_paths
        );
        return Ok(Status::Problems);
    }
    Ok(if args.strict && summary.problem_count() > 0 {
        Status::Problems
    } else {
        Status::Found
    })
}

/// How the user ran us: `newsdex` when on the PATH, else the path typed
/// (`target/release/newsdex` under `cargo run`), so hints can be pasted.
fn program_name() -> String {
    let arg0 = std::env::args().next().unwrap_or_default();
    let path = Path::new(&arg0);
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
    {
        Some(rel) => rel.display().to_string(),
        None if arg0.contains('/') => arg0,
        None => "newsdex".to_string(),
    }
}

fn problem_label(p: &newsdex::corpus::Problem) -> &'static str {
    match p.severity {
        newsdex::corpus::Severity::Skipped => "skipped",
        newsdex::corpus::Severity::Warning => "warning",
    }
}
