//! `newsdex export --to quickwit|opensearch [PATH...] --out DIR`.

use std::io::Write;

use anyhow::Result;
use newsdex::export::{ExportOptions, Level, Target, export};
use newsdex::output;

use super::Status;
use super::index::{enrichment, problem_label};
use crate::cli::{ExportArgs, ExportLevel, ExportTarget};

/// Exports the paths, reporting problems on stderr, what was written and
/// the commands to ingest it on stdout.
pub fn run(args: &ExportArgs, out: &mut dyn Write) -> Result<Status> {
    let (enricher, fields) = enrichment(&args.enrich)?;
    let options = ExportOptions {
        target: match args.to {
            ExportTarget::Quickwit => Target::Quickwit,
            ExportTarget::Opensearch => Target::OpenSearch,
        },
        level: match args.level {
            ExportLevel::Article => Level::Article,
            ExportLevel::Passage => Level::Passage,
        },
        name: args.name.clone(),
        shard_size: args.shard_size,
        enricher,
        fields: std::sync::Arc::new(fields),
    };
    let summary = export(&args.paths, &args.out, &options, &mut |problem| {
        let line = format!("newsdex: {}: {problem}", problem_label(problem));
        eprintln!("{}", output::clean(&line));
    })?;
    if summary.missing_paths > 0 {
        eprintln!(
            "newsdex: error: {} of the paths given do not exist",
            summary.missing_paths
        );
        return Ok(Status::Problems);
    }
    if args.quiet {
        return Ok(Status::Found);
    }
    let level = match options.level {
        Level::Article => "article",
        Level::Passage => "passage",
    };
    writeln!(
        out,
        "{} articles from {} files, {} near-duplicates, {} skipped: {} {level} documents in {}",
        summary.articles,
        summary.files,
        summary.duplicates,
        summary.skipped,
        summary.documents,
        args.out.display()
    )?;
    let name = &args.name;
    let dir = args.out.display();
    let shards = summary
        .written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"));
    writeln!(out, "To load it:")?;
    match options.target {
        Target::Quickwit => {
            writeln!(
                out,
                "  quickwit index create --index-config {dir}/index-config.yaml"
            )?;
            for shard in shards {
                writeln!(
                    out,
                    "  quickwit index ingest --index {name} --input-path {}",
                    shard.display()
                )?;
            }
        }
        Target::OpenSearch => {
            let url = "http://localhost:9200";
            let json = "-H 'Content-Type: application/json'";
            writeln!(
                out,
                "  curl -X PUT {url}/{name} {json} --data-binary @{dir}/index.json"
            )?;
            for shard in shards {
                writeln!(
                    out,
                    "  curl -X POST {url}/{name}/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @{}",
                    shard.display()
                )?;
            }
        }
    }
    Ok(Status::Found)
}
