//! `newsdex eval`: the ranking scored on a test collection; `newsdex
//! convert`: a classic collection's files into what `index` and `eval` read.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use newsdex::NewsIndex;
use newsdex::eval::{Converted, Measures, Qrels, cranfield, evaluate, read_topics, reuters, run_topics};

use super::Status;
use crate::cli::{Collection, ConvertArgs, EvalArgs, Format};

/// Runs the topics, scores the ranking and prints the figures.
pub fn run(args: &EvalArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let topics = read_topics(&args.topics)?;
    let qrels = Qrels::read(&args.qrels)?;
    let index = NewsIndex::open(index_dir)?;
    let ranking = run_topics(&index, &topics, args.depth, !args.no_proximity)?;
    if let Some(path) = &args.run {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("writing the run to {}", path.display()))?,
        );
        ranking.write(&mut file, &args.tag)?;
        file.flush()?;
    }
    let evaluation = evaluate(&ranking, &qrels);
    match args.format {
        Format::Json | Format::Jsonl => {
            let per_query: Vec<serde_json::Value> = evaluation
                .per_topic
                .iter()
                .map(|(qid, m)| serde_json::json!({"qid": qid, "measures": m}))
                .collect();
            let json = serde_json::json!({
                "topics": topics.len(),
                "judged_topics": evaluation.topics,
                "depth": args.depth,
                "mean": evaluation.mean,
                "per_query": if args.per_query { Some(per_query) } else { None },
            });
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            writeln!(
                out,
                "{} topics run, {} with relevant judgments; {} articles ranked per topic",
                topics.len(),
                evaluation.topics,
                args.depth
            )?;
            let header = || {
                format!(
                    "{:<10} {:>7} {:>7} {:>7} {:>7} {:>10}",
                    "topic", "MAP", "nDCG@10", "P@10", "MRR", "Recall@100"
                )
            };
            let row = |label: &str, m: &Measures| {
                format!(
                    "{label:<10} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>10.4}",
                    m.map, m.ndcg_10, m.p_10, m.mrr, m.recall_100
                )
            };
            writeln!(out, "{}", header())?;
            if args.per_query {
                for (qid, m) in &evaluation.per_topic {
                    writeln!(out, "{}", row(qid, m))?;
                }
            }
            writeln!(out, "{}", row("mean", &evaluation.mean))?;
        }
    }
    Ok(Status::Found)
}

/// Converts a test collection.
pub fn convert(args: &ConvertArgs, out: &mut dyn Write) -> Result<Status> {
    let done: Converted = match args.collection {
        Collection::Cranfield => cranfield::convert(&args.source, &args.out)?,
        Collection::ReutersTopics => {
            let extras = args
                .extras
                .clone()
                .unwrap_or_else(|| reuters::default_extras(&args.source));
            reuters::convert(&args.source, &extras, &args.out)?
        }
    };
    writeln!(
        out,
        "{} documents, {} topics and {} judgments written to {}",
        done.documents,
        done.topics,
        done.judgments,
        args.out.display()
    )?;
    Ok(Status::Found)
}
