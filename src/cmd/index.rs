//! `newsdex index [PATH...]`: read files into the index.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use newsdex::NewsIndex;
use newsdex::corpus::FieldMap;
use newsdex::enrich::Enricher;
use newsdex::ingest::{IngestOptions, Progress, ingest};
use newsdex::output;

use super::Status;
use crate::cli::{EnrichArgs, IndexArgs};

/// Indexes the paths, reporting problems on stderr and a summary on stdout.
pub fn run(args: &IndexArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = if args.rebuild {
        NewsIndex::rebuild_as(index_dir, args.whole_articles)?
    } else {
        NewsIndex::open_or_create_as(index_dir, args.whole_articles.then_some(true))?
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
    let mut report = match &args.report {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("--report {}", path.display()))?,
        )),
        None => None,
    };
    let mut failpoint = Failpoint::from_env();
    let mut on_progress = |p: Progress<'_>| match p {
        Progress::Walked { files } => bar.set_length(files as u64),
        Progress::File { .. } => {
            bar.inc(1);
            failpoint.reached("file");
        }
        Progress::Problem(problem) => {
            if let Some(w) = report.as_mut() {
                let _ = serde_json::to_writer(&mut *w, problem).map(|_| writeln!(w));
            }
            let line = format!("newsdex: {}: {problem}", problem_label(problem));
            bar.suspend(|| eprintln!("{}", output::clean(&line)));
        }
        Progress::Committing { .. } => {
            bar.set_message("committing");
            failpoint.reached("commit");
        }
        Progress::Prepared => failpoint.reached("prepared"),
        Progress::Committed => {
            bar.set_message("");
            failpoint.reached("committed");
        }
    };
    let (enricher, fields) = enrichment(&args.enrich)?;
    let options = IngestOptions {
        rebuild: args.rebuild,
        enricher,
        fields: std::sync::Arc::new(fields),
        commit_every: args.commit_every,
        threads: args.threads,
        memory: args.memory << 20,
    };
    if let Some(n) = args.threads {
        // Tagging runs on rayon's pool: the same number of threads.
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("--threads")?;
    }
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

/// The enricher and field names `args` ask for (`index` and `export`).
pub fn enrichment(args: &EnrichArgs) -> Result<(Enricher, FieldMap)> {
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
    let mut fields = FieldMap::default();
    let config = args
        .config
        .clone()
        .or_else(|| Some(PathBuf::from("newsdex.toml")).filter(|p| p.exists()));
    if let Some(path) = &config {
        apply_config(path, &mut fields, &mut enricher)?;
    }
    for spec in &args.map {
        let more = FieldMap::parse(spec).map_err(|e| anyhow::anyhow!("--map: {e}"))?;
        fields.extend(&more);
    }
    Ok((enricher, fields))
}

/// A point where the run stops dead, for the crash tests: with
/// `NEWSDEX_FAILPOINT=EVENT:N` (EVENT one of `file`, `commit`, `prepared`,
/// `committed`), the Nth time EVENT happens the run says so on stderr and
/// hangs until it is killed.
struct Failpoint {
    event: String,
    count: usize,
}

impl Failpoint {
    fn from_env() -> Failpoint {
        let spec = std::env::var("NEWSDEX_FAILPOINT").unwrap_or_default();
        let (event, n) = spec.split_once(':').unwrap_or((&spec, "1"));
        Failpoint {
            event: event.to_string(),
            count: n.parse().unwrap_or(1),
        }
    }

    fn reached(&mut self, event: &str) {
        if self.event != event || self.count == 0 {
            return;
        }
        self.count -= 1;
        if self.count == 0 {
            eprintln!("newsdex: failpoint {event} reached; waiting to be killed");
            loop {
                std::thread::park();
            }
        }
    }
}

/// Reads a newsdex.toml: `[map]` (field = "name" or ["name", ...]) and
/// `[aliases]` ("Canonical" = ["variant", ...]).
fn apply_config(path: &Path, fields: &mut FieldMap, enricher: &mut Enricher) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let table: toml::Table = text.parse().with_context(|| format!("{}", path.display()))?;
    let names = |v: &toml::Value| -> Vec<String> {
        match v {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("map", toml::Value::Table(map)) => {
                for (field, v) in map {
                    for name in names(v) {
                        fields
                            .add(field, &name)
                            .map_err(|e| anyhow::anyhow!("{}: [map]: {e}", path.display()))?;
                    }
                }
            }
            ("aliases", toml::Value::Table(aliases)) => {
                for (canonical, v) in aliases {
                    let line = format!("{canonical}: {}", names(v).join(", "));
                    let _ = enricher.aliases.extend_from(&line);
                }
            }
            (other, _) => anyhow::bail!(
                "{}: unknown setting {other:?} (expected [map] or [aliases])",
                path.display()
            ),
        }
    }
    Ok(())
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

pub(crate) fn problem_label(p: &newsdex::corpus::Problem) -> &'static str {
    match p.severity {
        newsdex::corpus::Severity::Skipped => "skipped",
        newsdex::corpus::Severity::Warning => "warning",
    }
}
