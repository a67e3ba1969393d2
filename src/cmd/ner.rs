//! `newsdex ner train|eval|tag`: the entity tagger on CoNLL files and text.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use newsdex::ner::{Tagger, conll, train};

use super::Status;
use crate::cli::{Format, NerBenchArgs, NerCommand, NerEvalArgs, NerTagArgs, NerTrainArgs};

/// Runs one `ner` subcommand.
pub fn run(command: &NerCommand, out: &mut dyn Write) -> Result<Status> {
    match command {
        NerCommand::Train(a) => run_train(a, out),
        NerCommand::Eval(a) => run_eval(a, out),
        NerCommand::Tag(a) => run_tag(a, out),
        NerCommand::Bench(a) => run_bench(a, out),
    }
}

fn read_conll(path: &Path) -> Result<Vec<conll::Document>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    conll::read(&text, true).with_context(|| format!("{}", path.display()))
}

/// The tagger of a model file, or `None` for the embedded one.
fn load_tagger(model: Option<&Path>) -> Result<Option<Tagger>> {
    let Some(path) = model else { return Ok(None) };
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    Ok(Some(
        Tagger::from_bytes(&bytes).with_context(|| format!("{}", path.display()))?,
    ))
}

fn run_train(a: &NerTrainArgs, out: &mut dyn Write) -> Result<Status> {
    let started = Instant::now();
    let train_docs = read_conll(&a.train)?;
    let dev_docs = a.dev.as_deref().map(read_conll).transpose()?;
    let sentences: usize = train_docs.iter().map(|d| d.sentences.len()).sum();
    writeln!(
        out,
        "Training on {} documents, {sentences} sentences, {} epochs.",
        train_docs.len(),
        a.epochs
    )?;
    out.flush()?;
    let trained = train::train(
        &train_docs,
        dev_docs.as_deref(),
        a.epochs,
        a.min_weight,
        |epoch, eval| {
            let line = match eval {
                Some(e) => {
                    let m = e.micro(&["PER", "ORG", "LOC"]);
                    format!(
                        "epoch {epoch:>2}: dev PER+ORG+LOC F1 {:.4} (P {:.4}, R {:.4})",
                        m.f1(),
                        m.precision(),
                        m.recall()
                    )
                }
                None => format!("epoch {epoch:>2} done"),
            };
            eprintln!("{line} [{:.0}s]", started.elapsed().as_secs_f64());
        },
    );
    std::fs::write(&a.out, &trained.model).with_context(|| format!("{}", a.out.display()))?;
    writeln!(
        out,
        "Kept epoch {} of {}; wrote {} ({:.1} MB) in {:.0}s.",
        trained.best_epoch,
        a.epochs,
        a.out.display(),
        trained.model.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    )?;
    if let Some(eval) = &trained.dev {
        writeln!(out, "\nDevelopment set scores (exact spans):\n{eval}")?;
    }
    Ok(Status::Found)
}

fn run_eval(a: &NerEvalArgs, out: &mut dyn Write) -> Result<Status> {
    let loaded = load_tagger(a.model.as_deref())?;
    let tagger = loaded.as_ref().unwrap_or_else(|| Tagger::builtin());
    let docs = read_conll(&a.file)?;
    let started = Instant::now();
    let eval = train::evaluate(tagger, &docs);
    let secs = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "{} ({} tokens, {:.0} tokens/s)\n{eval}",
        a.file.display(),
        eval.tokens,
        eval.tokens as f64 / secs
    )?;
    Ok(Status::Found)
}

fn run_tag(a: &NerTagArgs, out: &mut dyn Write) -> Result<Status> {
    let loaded = load_tagger(a.model.as_deref())?;
    let tagger = loaded.as_ref().unwrap_or_else(|| Tagger::builtin());
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading stdin")?;
    if a.conll {
        return tag_conll(tagger, &input, out);
    }
    let entities = tagger.entities(&input);
    match a.format {
        Format::Text => {
            for e in &entities {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    e.kind.code(),
                    e.span.start,
                    e.span.end,
                    e.text
                )?;
            }
        }
        Format::Json | Format::Jsonl => {
            for e in &entities {
                let v = serde_json::json!({"type": e.kind.code(), "start": e.span.start, "end": e.span.end, "text": e.text});
                writeln!(out, "{v}")?;
            }
        }
    }
    Ok(if entities.is_empty() {
        Status::NotFound
    } else {
        Status::Found
    })
}

/// Writes the CoNLL input back with a predicted IOB1 tag on each token line;
/// blank and `-DOCSTART-` lines are kept as they were.
fn tag_conll(tagger: &Tagger, input: &str, out: &mut dyn Write) -> Result<Status> {
    let docs = conll::read(input, false).context("stdin")?;
    let mut predicted = Vec::new();
    for doc in &docs {
        let tokens = doc.tokens();
        for tags in tagger.tag_document(&tokens) {
            predicted.extend(conll::bio_to_iob1(&tags));
        }
    }
    let mut next = predicted.into_iter();
    for line in input.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("-DOCSTART-") {
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{} {}",
                line.trim_end(),
                next.next().unwrap_or_else(|| "O".into())
            )?;
        }
    }
    Ok(Status::Found)
}

/// Tags the articles of a file over and over on this thread, and reports
/// tokens per second beside the speed of cutting the same text into
/// sentences and tokens alone (the baseline, measured in the same run).
fn run_bench(a: &NerBenchArgs, out: &mut dyn Write) -> Result<Status> {
    use newsdex::corpus::{Found, read_file};
    let found = Found {
        path: a.path.clone(),
        root: a.path.clone(),
    };
    let mut outcome = newsdex::corpus::Outcome::default();
    read_file(&found, &Default::default(), &mut outcome);
    if let Some(p) = outcome.problems.first() {
        anyhow::bail!("{p}");
    }
    let texts: Vec<String> = outcome
        .articles
        .iter()
        .map(|x| match &x.title {
            Some(t) => format!("{t}\n\n{}", x.body),
            None => x.body.clone(),
        })
        .collect();
    let tokens_per_pass: usize = texts.iter().map(|t| count_tokens(t)).sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    anyhow::ensure!(tokens_per_pass > 0, "{}: no text to tag", a.path.display());
    let tagger = Tagger::builtin();
    let _ = tagger.entities("Warm up the model."); // loading is not tagging
    let measure = |work: &dyn Fn(&str) -> usize| -> f64 {
        let started = Instant::now();
        let mut tokens = 0usize;
        while started.elapsed().as_secs_f64() < a.seconds {
            for t in &texts {
                std::hint::black_box(work(t));
            }
            tokens += tokens_per_pass;
        }
        tokens as f64 / started.elapsed().as_secs_f64()
    };
    let baseline = measure(&|t| count_tokens(t));
    let tagging = measure(&|t| tagger.entities(t).len());
    writeln!(
        out,
        "{}: {} articles, {tokens_per_pass} tokens, {:.1} MB per pass",
        a.path.display(),
        texts.len(),
        bytes as f64 / 1e6
    )?;
    writeln!(
        out,
        "sentences + tokens only: {baseline:>10.0} tokens/s (baseline)"
    )?;
    writeln!(
        out,
        "entity tagging:          {tagging:>10.0} tokens/s ({:.2}x the baseline's time per token)",
        baseline / tagging
    )?;
    Ok(Status::Found)
}

/// Tokens of a text as the tagger sees them: its sentences' tokens.
fn count_tokens(text: &str) -> usize {
    let mut n = 0;
    for para in newsdex::passage::paragraphs(text) {
        for s in newsdex::sentence::sentences(&text[para.clone()]) {
            n += newsdex::ner::tokenize::tokenize(&text[para.start + s.start..para.start + s.end]).len();
        }
    }
    n
}
