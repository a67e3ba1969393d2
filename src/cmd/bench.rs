//! `newsdex bench`: indexing speed, memory and size, and query latency, on
//! Reuters-21578 and a 10× copy of it.
//!
//! Indexing runs are real `newsdex index` processes (so peak memory is the
//! run's own, read from /proc while it runs); query latency is measured in
//! this process on a warm index, and one-shot latency by running
//! `newsdex search` as a user would.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use newsdex::corpus::{self, FieldMap, Found, Outcome};
use newsdex::{Filters, NewsIndex, SearchRequest, Sort};
use serde::Serialize;

use super::Status;
use crate::cli::{BenchArgs, Format};

/// The fixed query set: (kind, query, options). Options are comma-separated
/// `from=`, `to=`, `place=`, `person=`, `org=`, `topic=`, `source=`,
/// `facets` and `newest`.
const QUERIES: &[(&str, &str, &str)] = &[
    ("word", "oil", ""),
    ("word", "cocoa", ""),
    ("word", "dollar", ""),
    ("word", "earnings", ""),
    ("word", "merger", ""),
    ("word", "wheat", ""),
    ("word", "tariffs", ""),
    ("word", "bundesbank", ""),
    ("word", "strike", ""),
    ("word", "gold", ""),
    ("words", "oil prices opec", ""),
    ("words", "interest rates cut", ""),
    ("words", "trade deficit japan", ""),
    ("words", "grain exports soviet union", ""),
    ("words", "takeover bid shareholders", ""),
    ("words", "money supply growth", ""),
    ("words", "crude output quota", ""),
    ("words", "quarterly net profit", ""),
    ("words", "coffee quotas brazil", ""),
    ("words", "stock market crash", ""),
    ("phrase", "\"interest rates\"", ""),
    ("phrase", "\"trade deficit\"", ""),
    ("phrase", "\"federal reserve\"", ""),
    ("phrase", "\"money market\"", ""),
    ("phrase", "\"net loss\"", ""),
    ("phrase", "\"crude oil\"~2", ""),
    ("phrase", "\"european community\"", ""),
    ("phrase", "\"tender offer\"", ""),
    ("boolean", "oil OR gas", ""),
    ("boolean", "(wheat OR corn) export*", ""),
    ("boolean", "bank -japan", ""),
    ("boolean", "dollar (yen OR mark) NOT gold", ""),
    ("boolean", "merger OR acquisition OR takeover", ""),
    ("boolean", "title:oil prices", ""),
    ("boolean", "opec (quota OR output) -iran", ""),
    ("boolean", "shar* profit*", ""),
    ("date", "oil", "from=1987-03-01,to=1987-03-31"),
    ("date", "dollar", "from=1987-04"),
    ("date", "earnings", "from=1987-03-15,to=1987-03-20"),
    ("date", "interest rates", "to=1987-03-10"),
    ("date", "grain", "from=1987-10,to=1987-10"),
    ("date", "", "from=1987-03-02,to=1987-03-02"),
    ("filtered", "oil", "place=usa"),
    ("filtered", "trade", "place=japan"),
    ("filtered", "rates", "person=volcker"),
    ("filtered", "meeting", "org=opec"),
    ("filtered", "prices", "topic=coffee"),
    ("filtered", "bank", "place=west germany,from=1987-03"),
    ("facets", "oil", "facets"),
    ("facets", "trade deficit", "facets"),
    ("facets", "bank", "facets,from=1987-03"),
    ("facets", "merger", "facets,place=usa"),
    ("facets", "\"interest rates\"", "facets"),
    ("facets", "", "facets"),
    ("listing", "", ""),
    ("listing", "", "newest"),
    ("listing", "", "from=1987-03,newest"),
    ("listing", "", "place=canada"),
];

/// Runs the benchmark and prints its table.
pub fn run(args: &BenchArgs, out: &mut dyn Write) -> Result<Status> {
    let reuters = &args.reuters;
    if !reuters.join("reut2-000.sgm").exists() {
        bail!(
            "no Reuters-21578 at {} (reut2-000.sgm ...): give its folder with --reuters",
            reuters.display()
        );
    }
    std::fs::create_dir_all(&args.work).with_context(|| args.work.display().to_string())?;
    let me = std::env::current_exe().context("finding this program")?;
    let mut report = Report {
        machine: machine(),
        ..Report::default()
    };
    let mut requests = requests()?;
    for (_, _, req) in &mut requests {
        req.collapse = !args.no_collapse;
    }
    if let Some(unknown) = args
        .kinds
        .iter()
        .find(|k| !QUERIES.iter().any(|(kind, _, _)| kind == k))
    {
        let mut kinds: Vec<&str> = QUERIES.iter().map(|(kind, _, _)| *kind).collect();
        kinds.dedup();
        bail!(
            "--kinds: no query is of kind {unknown:?}; the kinds are {}",
            kinds.join(", ")
        );
    }
    if !args.kinds.is_empty() {
        requests.retain(|(kind, _, _)| args.kinds.iter().any(|k| k == kind));
    }
    for &scale in &args.scales {
        let (corpus, articles, bytes) = corpus_file(reuters, &args.work, scale)?;
        eprintln!(
            "bench: {scale}x: {articles} articles, {bytes} bytes in {}",
            corpus.display()
        );
        if report.tokenizer.is_none() && !args.queries_only {
            report.tokenizer = Some(tokenizer_speed(&corpus, 5)?);
        }
        let mut query_index = None;
        for entities in [false, true] {
            if entities && args.no_entities {
                continue;
            }
            let dir = args.work.join(format!(
                "index-{scale}x-{}",
                if entities { "entities" } else { "plain" }
            ));
            if args.queries_only {
                query_index = Some(dir);
                continue;
            }
            let run = index_run(&me, &dir, &corpus, entities, args)?;
            eprintln!(
                "bench: {scale}x indexed {} in {:.1}s, peak RSS {} MB",
                if entities {
                    "with entities"
                } else {
                    "without entities"
                },
                run.seconds,
                run.peak_rss_bytes >> 20
            );
            report.indexing.push(IndexingFigures {
                scale,
                entities,
                articles,
                bytes,
                articles_per_second: articles as f64 / run.seconds,
                mb_per_second: bytes as f64 / 1e6 / run.seconds,
                index_bytes: run.index_bytes,
                index_to_text: run.index_bytes as f64 / bytes as f64,
                ..run
            });
            query_index = Some(dir);
        }
        let Some(dir) = query_index else { continue };
        let index = NewsIndex::open(&dir)?;
        report
            .queries
            .push(query_latency(&index, &requests, scale, args.rounds)?);
        report
            .one_shot
            .push(one_shot(&me, &dir, scale, args.cli_runs, !args.no_collapse)?);
    }
    match args.format {
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        Format::Text => print_text(out, &report)?,
    }
    Ok(Status::Found)
}

#[derive(Debug, Default, Serialize)]
struct Report {
    machine: String,
    tokenizer: Option<TokenizerFigures>,
    indexing: Vec<IndexingFigures>,
    queries: Vec<QueryFigures>,
    one_shot: Vec<OneShotFigures>,
}

#[derive(Debug, Default, Serialize)]
struct IndexingFigures {
    scale: usize,
    entities: bool,
    articles: usize,
    bytes: u64,
    seconds: f64,
    articles_per_second: f64,
    mb_per_second: f64,
    peak_rss_bytes: u64,
    index_bytes: u64,
    index_to_text: f64,
}

/// The text tokenizer against tantivy's `en_stem` on the same bodies.
#[derive(Debug, Default, Serialize)]
struct TokenizerFigures {
    rounds: usize,
    bytes: u64,
    /// Median seconds of one pass over the bodies, tantivy's and ours.
    tantivy_seconds: f64,
    newsdex_seconds: f64,
}

#[derive(Debug, Default, Serialize)]
struct QueryFigures {
    scale: usize,
    queries: usize,
    runs: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// p50 by kind of query.
    by_kind: Vec<(String, f64)>,
    /// The slowest queries by their median: (query, options, ms).
    slowest: Vec<(String, String, f64)>,
}

#[derive(Debug, Default, Serialize)]
struct OneShotFigures {
    scale: usize,
    runs: usize,
    p50_ms: f64,
    p95_ms: f64,
}

/// Reuters-21578 as JSON Lines, `scale` copies with ids made unique,
/// written once into `work` and reused. Returns the file, its articles and
/// the bytes of their text (title and body).
fn corpus_file(reuters: &Path, work: &Path, scale: usize) -> Result<(PathBuf, usize, u64)> {
    let path = work.join(format!("reuters-{scale}x.jsonl"));
    let mut articles = Vec::new();
    let mut sgml: Vec<PathBuf> = std::fs::read_dir(reuters)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    sgml.sort();
    for file in &sgml {
        let mut outcome = Outcome::default();
        let found = Found {
            path: file.clone(),
            root: reuters.to_path_buf(),
        };
        corpus::read_file(&found, &std::sync::Arc::new(FieldMap::default()), &mut outcome);
        articles.extend(outcome.articles.into_iter().filter(|a| !a.body.trim().is_empty()));
    }
    let text_bytes: u64 = articles
        .iter()
        .map(|a| (a.body.len() + a.title.as_ref().map_or(0, String::len)) as u64)
        .sum::<u64>()
        * scale as u64;
    let count = articles.len() * scale;
    if path.exists() {
        return Ok((path, count, text_bytes));
    }
    let partial = path.with_extension("jsonl.partial");
    let mut w = BufWriter::new(std::fs::File::create(&partial)?);
    for copy in 0..scale {
        for a in &articles {
            let id = if copy == 0 {
                a.id.clone()
            } else {
                format!("{}-copy{copy}", a.id)
            };
            let record = serde_json::json!({
                "id": id,
                "title": a.title,
                "date": a.date.map(|d| d.day.to_string()),
                "source": a.source.as_ref().map(|s| s.name.clone()),
                "body": a.body,
                "places": a.entities.place,
                "people": a.entities.person,
                "orgs": a.entities.org,
                "topics": a.tags,
            });
            serde_json::to_writer(&mut w, &record)?;
            w.write_all(b"\n")?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, &path)?;
    Ok((path, count, text_bytes))
}

/// One `newsdex index` run into a fresh `dir`: its time, peak memory and
/// the size of what it wrote.
fn index_run(
    me: &Path,
    dir: &Path,
    corpus: &Path,
    entities: bool,
    args: &BenchArgs,
) -> Result<IndexingFigures> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let mut cmd = Command::new(me);
    cmd.arg("--index")
        .arg(dir)
        .args(["index", "--quiet", "--no-progress"])
        .arg(corpus)
        .stdout(Stdio::null());
    if !entities {
        cmd.arg("--no-entities");
    }
    if let Some(t) = args.threads {
        cmd.arg("--threads").arg(t.to_string());
    }
    let started = Instant::now();
    let mut child = cmd.spawn().context("running newsdex index")?;
    let peak = peak_rss_while_running(&mut child)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(IndexingFigures {
        seconds,
        peak_rss_bytes: peak,
        index_bytes: NewsIndex::open(dir)?.size_on_disk(),
        ..IndexingFigures::default()
    })
}

/// Waits for `child`, reading its peak resident memory (VmHWM) from /proc
/// as it runs. Fails if the child does.
/// Times the text tokenizer (newsdex's `en_stem`, see
/// [`newsdex::index::tokenizer`]) against tantivy's on the bodies of the
/// corpus, taking turns, one fresh analyzer per pass.
fn tokenizer_speed(corpus: &Path, rounds: usize) -> Result<TokenizerFigures> {
    use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
    let text = std::fs::read_to_string(corpus).with_context(|| corpus.display().to_string())?;
    let bodies: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|article| article.get("body")?.as_str().map(String::from))
        .collect();
    let pass = |mut analyzer: TextAnalyzer| {
        let start = Instant::now();
        let mut bytes = 0usize;
        for body in &bodies {
            analyzer
                .token_stream(body)
                .process(&mut |t| bytes += t.text.len());
        }
        (start.elapsed().as_secs_f64(), bytes)
    };
    let mut theirs = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..rounds {
        let tantivy = TokenizerManager::default()
            .get("en_stem")
            .context("tantivy has no en_stem")?;
        let (t, tokens_theirs) = pass(tantivy);
        let (o, tokens_ours) = pass(newsdex::index::tokenizer::EnglishStems::analyzer());
        if tokens_theirs != tokens_ours {
            bail!(
                "the tokenizers disagree on {}: {tokens_theirs} against {tokens_ours} bytes of tokens",
                corpus.display()
            );
        }
        theirs.push(t);
        ours.push(o);
    }
    Ok(TokenizerFigures {
        rounds,
        bytes: bodies.iter().map(|b| b.len() as u64).sum(),
        tantivy_seconds: percentile(&mut theirs, 50.0),
        newsdex_seconds: percentile(&mut ours, 50.0),
    })
}

fn peak_rss_while_running(child: &mut std::process::Child) -> Result<u64> {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                bail!("newsdex index failed ({status})");
            }
            return Ok(peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// One query of the set: its kind, its options as written, the request.
type BenchQuery = (&'static str, &'static str, SearchRequest);

/// The query set as requests, with their kinds and options.
fn requests() -> Result<Vec<BenchQuery>> {
    QUERIES
        .iter()
        .map(|&(kind, query, options)| {
            let mut req = SearchRequest::new(query);
            let mut f = Filters::default();
            for opt in options.split(',').filter(|o| !o.is_empty()) {
                let (key, value) = opt.split_once('=').unwrap_or((opt, ""));
                let bounds = || newsdex::query::filter::period_bounds(value).map_err(anyhow::Error::msg);
                match key {
                    "from" => f.from = Some(bounds()?.0),
                    "to" => f.to = Some(bounds()?.1),
                    "place" => f.places.push(value.into()),
                    "person" => f.persons.push(value.into()),
                    "org" => f.orgs.push(value.into()),
                    "topic" => f.topics.push(value.into()),
                    "source" => f.sources.push(value.into()),
                    "facets" => req.facets = true,
                    "newest" => req.sort = Sort::Newest,
                    other => bail!("bench query option {other}"),
                }
            }
            req.filters = f;
            Ok((kind, options, req))
        })
        .collect()
}

/// Latency of the query set on a warm index, in this process: one pass to
/// warm up, then `rounds` timed passes.
fn query_latency(
    index: &NewsIndex,
    requests: &[BenchQuery],
    scale: usize,
    rounds: usize,
) -> Result<QueryFigures> {
    for (_, _, req) in requests {
        newsdex::search(index, req)?;
    }
    let mut all = Vec::new();
    let mut by_kind: Vec<(String, Vec<f64>)> = Vec::new();
    let mut by_query: Vec<Vec<f64>> = vec![Vec::new(); requests.len()];
    for _ in 0..rounds.max(1) {
        for (i, (kind, _, req)) in requests.iter().enumerate() {
            let started = Instant::now();
            let results = newsdex::search(index, req)?;
            let ms = started.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(results);
            all.push(ms);
            by_query[i].push(ms);
            match by_kind.iter_mut().find(|(k, _)| k == kind) {
                Some((_, v)) => v.push(ms),
                None => by_kind.push((kind.to_string(), vec![ms])),
            }
        }
    }
    let mut slowest: Vec<(String, String, f64)> = by_query
        .iter_mut()
        .zip(requests)
        .map(|(times, (_, o, req))| (req.query.clone(), o.to_string(), percentile(times, 50.0)))
        .collect();
    slowest.sort_by(|a, b| b.2.total_cmp(&a.2));
    slowest.truncate(5);
    Ok(QueryFigures {
        slowest,
        scale,
        queries: requests.len(),
        runs: all.len(),
        p50_ms: percentile(&mut all, 50.0),
        p95_ms: percentile(&mut all, 95.0),
        p99_ms: percentile(&mut all, 99.0),
        max_ms: percentile(&mut all, 100.0),
        by_kind: by_kind
            .into_iter()
            .map(|(k, mut v)| (k, percentile(&mut v, 50.0)))
            .collect(),
    })
}

/// Wall time of `newsdex search` run as a command, over the first queries.
fn one_shot(me: &Path, dir: &Path, scale: usize, runs: usize, collapse: bool) -> Result<OneShotFigures> {
    let mut times = Vec::new();
    for (_, query, _) in QUERIES.iter().cycle().take(runs.max(1)) {
        let started = Instant::now();
        let status = Command::new(me)
            .arg("--index")
            .arg(dir)
            .args(["search", "--color", "never", query])
            .args((!collapse).then_some("--no-collapse"))
            .stdout(Stdio::null())
            .status()?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        if status.code().is_none_or(|c| c > 1) {
            bail!("newsdex search {query} failed ({status})");
        }
    }
    Ok(OneShotFigures {
        scale,
        runs: times.len(),
        p50_ms: percentile(&mut times, 50.0),
        p95_ms: percentile(&mut times, 95.0),
    })
}

/// The `p`th percentile (nearest rank) of `values`.
fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// The CPU model and core count, from /proc.
fn machine() -> String {
    let cpu = std::fs::File::open("/proc/cpuinfo")
        .ok()
        .and_then(|f| {
            std::io::BufReader::new(f)
                .lines()
                .map_while(|l| l.ok())
                .find(|l| l.starts_with("model name"))
        })
        .and_then(|l| l.split_once(':').map(|(_, v)| v.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn print_text(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(out, "Machine: {}", r.machine)?;
    writeln!(out)?;
    if let Some(t) = &r.tokenizer {
        writeln!(
            out,
            "Tokenizer (en_stem) on {:.1} MB of bodies, median of {} passes: tantivy {:.0} ms, newsdex {:.0} ms ({:.2}x as fast)",
            t.bytes as f64 / 1e6,
            t.rounds,
            t.tantivy_seconds * 1e3,
            t.newsdex_seconds * 1e3,
            t.tantivy_seconds / t.newsdex_seconds
        )?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "{:<6} {:<9} {:>9} {:>8} {:>10} {:>7} {:>9} {:>9} {:>7}",
        "corpus", "entities", "articles", "seconds", "articles/s", "MB/s", "peak RSS", "index", "index/text"
    )?;
    for f in &r.indexing {
        writeln!(
            out,
            "{:<6} {:<9} {:>9} {:>8.1} {:>10.0} {:>7.2} {:>6} MB {:>6} MB {:>7.2}",
            format!("{}x", f.scale),
            if f.entities { "yes" } else { "no" },
            f.articles,
            f.seconds,
            f.articles_per_second,
            f.mb_per_second,
            f.peak_rss_bytes >> 20,
            f.index_bytes >> 20,
            f.index_to_text
        )?;
    }
    for q in &r.queries {
        writeln!(out)?;
        writeln!(
            out,
            "Queries on {}x, warm, in-process ({} queries x {} rounds): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            q.scale,
            q.queries,
            q.runs / q.queries.max(1),
            q.p50_ms,
            q.p95_ms,
            q.p99_ms,
            q.max_ms
        )?;
        let kinds: Vec<String> = q.by_kind.iter().map(|(k, ms)| format!("{k} {ms:.2}")).collect();
        writeln!(out, "  p50 by kind (ms): {}", kinds.join(", "))?;
        let slow: Vec<String> = q
            .slowest
            .iter()
            .map(|(query, opts, ms)| format!("[{query}] {opts} {ms:.1}"))
            .collect();
        writeln!(out, "  slowest (p50 ms): {}", slow.join("; "))?;
    }
    for c in &r.one_shot {
        writeln!(
            out,
            "One-shot `newsdex search` on {}x ({} runs): p50 {:.1} ms, p95 {:.1} ms",
            c.scale, c.runs, c.p50_ms, c.p95_ms
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(percentile(&mut [], 50.0), 0.0);
    }

    #[test]
    fn the_query_set_is_at_least_fifty_queries_of_every_kind() {
        let reqs = requests().unwrap();
        assert!(reqs.len() >= 50);
        for kind in [
            "word", "words", "phrase", "boolean", "date", "filtered", "facets", "listing",
        ] {
            assert!(reqs.iter().filter(|(k, _, _)| *k == kind).count() >= 4, "{kind}");
        }
        for (_, _, req) in &reqs {
            newsdex::query::syntax::parse(&req.query).unwrap();
        }
    }
}
