//! Retrieval quality: TREC-style judgments, runs and metrics.
//!
//! A test collection is a set of **topics** (`qid<TAB>text`), each run as a
//! bag-of-words query, and **qrels**, graded judgments (`qid 0 docid grade`,
//! grade 0 for judged non-relevant). A **run** is each topic's ranked list
//! of document ids (TREC run format: `qid Q0 docid rank score tag`).
//! [`evaluate`] scores a run against qrels with the usual measures, per
//! topic and as the mean over the judged topics:
//!
//! - MAP: mean average precision over the whole ranking;
//! - nDCG@10: graded gain `2^grade - 1`, log2 discount, ideal from the qrels;
//! - P@10: the share of relevant documents in the first ten;
//! - MRR: one over the rank of the first relevant document (0 if none);
//! - Recall@100: the share of the topic's relevant documents in the first 100.
//!
//! A document is relevant when its grade is at least 1. Topics without a
//! relevant judgment are left out of the means, as `trec_eval` does;
//! documents a run returns that the qrels never judged count as not
//! relevant.

pub mod cranfield;
pub mod reuters;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A line of an input file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// A line is not in the file's format.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong, and what was expected.
        message: String,
    },
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|cause| EvalError::Io {
        path: path.to_path_buf(),
        cause,
    })
}

fn format_error(path: &Path, line: usize, message: impl Into<String>) -> EvalError {
    EvalError::Format {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// What a conversion wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Converted {
    /// Documents read (and, for Cranfield, written to `docs.jsonl`).
    pub documents: usize,
    /// Topics in `topics.tsv`.
    pub topics: usize,
    /// Judgments in `qrels.txt`.
    pub judgments: usize,
}

/// A topic: its id and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The topic's id, as the qrels name it.
    pub id: String,
    /// What the searcher wrote.
    pub text: String,
}

/// Reads topics as TSV: `qid<TAB>text`, one per line (blank lines and
/// lines starting with `#` are skipped).
pub fn read_topics(path: &Path) -> Result<Vec<Topic>, EvalError> {
    let text = read(path)?;
    let mut topics = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, words)) = line.split_once('\t') else {
            return Err(format_error(path, n + 1, "expected `qid<TAB>text`"));
        };
        let id = id.trim();
        if id.is_empty() {
            return Err(format_error(path, n + 1, "the topic id is empty"));
        }
        topics.push(Topic {
            id: id.to_string(),
            text: words.trim().to_string(),
        });
    }
    Ok(topics)
}

/// Graded judgments: topic id → document id → grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qrels(pub BTreeMap<String, HashMap<String, i32>>);

impl Qrels {
    /// Reads TREC qrels: `qid iteration docid grade` per line.
    pub fn read(path: &Path) -> Result<Qrels, EvalError> {
        let text = read(path)?;
        let mut qrels = Qrels::default();
        for (n, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [] => continue,
                [qid, _iteration, docid, grade] => {
                    let grade: i32 = grade.parse().map_err(|_| {
                        format_error(path, n + 1, format!("the grade {grade:?} is not a whole number"))
                    })?;
                    qrels
                        .0
                        .entry((*qid).to_string())
                        .or_default()
                        .insert((*docid).to_string(), grade);
                }
                _ => {
                    return Err(format_error(
                        path,
                        n + 1,
                        format!("expected `qid 0 docid grade`, found {} fields", fields.len()),
                    ));
                }
            }
        }
        Ok(qrels)
    }

    /// How many documents are relevant (grade ≥ 1) to a topic.
    fn relevant(&self, topic: &str) -> usize {
        self.0
            .get(topic)
            .map_or(0, |judged| judged.values().filter(|&&g| g >= 1).count())
    }

    /// A document's grade for a topic; 0 when not judged.
    fn grade(&self, topic: &str, doc: &str) -> i32 {
        self.0
            .get(topic)
            .and_then(|judged| judged.get(doc))
            .copied()
            .unwrap_or(0)
            .max(0)
    }
}

/// A ranked list per topic: (document id, score), best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run(pub BTreeMap<String, Vec<(String, f32)>>);

impl Run {
    /// Reads a TREC run: `qid Q0 docid rank score tag` per line. Each
    /// topic's documents are ordered by their rank.
    pub fn read(path: &Path) -> Result<Run, EvalError> {
        let text = read(path)?;
        let mut ranked: BTreeMap<String, Vec<(u64, String, f32)>> = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [] => continue,
                [qid, _q0, docid, rank, score, _tag] => {
                    let bad = |what: &str, value: &str| {
                        format_error(path, n + 1, format!("the {what} {value:?} is not a number"))
                    };
                    let rank: u64 = rank.parse().map_err(|_| bad("rank", rank))?;
                    let score: f32 = score.parse().map_err(|_| bad("score", score))?;
                    ranked
                        .entry((*qid).to_string())
                        .or_default()
                        .push((rank, (*docid).to_string(), score));
                }
                _ => {
                    return Err(format_error(
                        path,
                        n + 1,
                        format!(
                            "expected `qid Q0 docid rank score tag`, found {} fields",
                            fields.len()
                        ),
                    ));
                }
            }
        }
        Ok(Run(ranked
            .into_iter()
            .map(|(qid, mut docs)| {
                docs.sort_by_key(|(rank, _, _)| *rank);
                (
                    qid,
                    docs.into_iter().map(|(_, doc, score)| (doc, score)).collect(),
                )
            })
            .collect()))
    }

    /// Writes the run in TREC format, tagged `tag`.
    pub fn write(&self, w: &mut dyn std::io::Write, tag: &str) -> std::io::Result<()> {
        for (qid, docs) in &self.0 {
            for (rank, (doc, score)) in docs.iter().enumerate() {
                writeln!(w, "{qid} Q0 {doc} {} {score:.6} {tag}", rank + 1)?;
            }
        }
        Ok(())
    }
}

/// The measures of one topic, or their means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Average precision.
    pub map: f64,
    /// nDCG at 10.
    pub ndcg_10: f64,
    /// Precision at 10.
    pub p_10: f64,
    /// Reciprocal rank of the first relevant document.
    pub mrr: f64,
    /// Recall at 100.
    pub recall_100: f64,
}

/// A run's evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    /// Topics with at least one relevant judgment: the means are over these.
    pub topics: usize,
    /// The means.
    pub mean: Measures,
    /// Each judged topic's measures.
    pub per_topic: Vec<(String, Measures)>,
}

/// Scores `run` against `qrels`. A judged topic the run has no list for
/// scores 0 on every measure.
pub fn evaluate(run: &Run, qrels: &Qrels) -> Evaluation {
    let mut per_topic = Vec::new();
    for topic in qrels.0.keys() {
        let relevant = qrels.relevant(topic);
        if relevant == 0 {
            continue;
        }
        let docs: &[(String, f32)] = run.0.get(topic).map_or(&[], Vec::as_slice);
        let grades: Vec<i32> = docs.iter().map(|(d, _)| qrels.grade(topic, d)).collect();
        let mut ideal: Vec<i32> = qrels.0[topic].values().map(|&g| g.max(0)).collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        per_topic.push((topic.clone(), measures(&grades, &ideal, relevant)));
    }
    let n = per_topic.len().max(1) as f64;
    let sum = |f: fn(&Measures) -> f64| per_topic.iter().map(|(_, m)| f(m)).sum::<f64>() / n;
    Evaluation {
        topics: per_topic.len(),
        mean: Measures {
            map: sum(|m| m.map),
            ndcg_10: sum(|m| m.ndcg_10),
            p_10: sum(|m| m.p_10),
            mrr: sum(|m| m.mrr),
            recall_100: sum(|m| m.recall_100),
        },
        per_topic,
    }
}

/// The measures of one ranking, given the grade of each ranked document,
/// the ideal grades (best first) and the number of relevant documents.
fn measures(grades: &[i32], ideal: &[i32], relevant: usize) -> Measures {
    let is_relevant = |g: &i32| *g >= 1;
    let mut found = 0usize;
    let mut precision_sum = 0.0;
    for (i, g) in grades.iter().enumerate() {
        if is_relevant(g) {
            found += 1;
            precision_sum += found as f64 / (i + 1) as f64;
        }
    }
    let dcg = |grades: &[i32]| -> f64 {
        grades
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, &g)| (2f64.powi(g) - 1.0) / ((i + 2) as f64).log2())
            .sum()
    };
    let ideal_dcg = dcg(ideal);
    Measures {
        map: precision_sum / relevant as f64,
        ndcg_10: if ideal_dcg > 0.0 {
            dcg(grades) / ideal_dcg
        } else {
            0.0
        },
        p_10: grades.iter().take(10).filter(|g| is_relevant(g)).count() as f64 / 10.0,
        mrr: grades
            .iter()
            .position(is_relevant)
            .map_or(0.0, |i| 1.0 / (i + 1) as f64),
        recall_100: grades.iter().take(100).filter(|g| is_relevant(g)).count() as f64 / relevant as f64,
    }
}

/// A topic's text as a query of its words, any of which may match: every
/// run of letters and digits is a word, lowercased, so that `AND`, `OR`,
/// `NOT`, quotes, dashes and colons in a topic are words or nothing, never
/// query syntax.
pub fn bag_of_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join(" OR ")
}

/// Runs each topic against the index as a bag of words ([`bag_of_words`]),
/// keeping the first `depth` articles, near-duplicates included; with
/// `proximity`, its words side by side score more where they stand near
/// each other ([`crate::SearchRequest::proximity`]).
pub fn run_topics(
    index: &crate::NewsIndex,
    topics: &[Topic],
    depth: usize,
    proximity: bool,
) -> crate::Result<Run> {
    let mut run = Run::default();
    for topic in topics {
        let query = bag_of_words(&topic.text);
        let ranked = if query.is_empty() {
            Vec::new()
        } else {
            let request = crate::SearchRequest {
                query,
                limit: depth,
                passages: 1,
                collapse: false,
                proximity,
                ..crate::SearchRequest::default()
            };
            crate::search(index, &request)?
                .hits
                .into_iter()
                .map(|hit| (hit.article.id, hit.score))
                .collect()
        };
        run.0.insert(topic.id.clone(), ranked);
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn measures_of_a_small_ranking_by_hand() {
        // Ranked: relevant (grade 2), not, relevant (grade 1), not judged.
        // Three relevant documents in the qrels: grades 2, 1 and 3.
        let m = measures(&[2, 0, 1, 0], &[3, 2, 1, 0], 3);
        // AP = (1/1 + 2/3) / 3.
        assert!(close(m.map, (1.0 + 2.0 / 3.0) / 3.0), "{m:?}");
        assert!(close(m.p_10, 0.2));
        assert!(close(m.mrr, 1.0));
        assert!(close(m.recall_100, 2.0 / 3.0));
        // DCG = 3/log2(2) + 1/log2(4) = 3.5; ideal = 7 + 3/log2(3) + 1/2.
        let ideal = 7.0 + 3.0 / 3f64.log2() + 0.5;
        assert!(close(m.ndcg_10, 3.5 / ideal), "{m:?}");
        // Nothing relevant found.
        let none = measures(&[0, 0], &[1], 1);
        assert_eq!(none, Measures::default());
        // The first relevant document at rank 4.
        assert!(close(measures(&[0, 0, 0, 1], &[1], 1).mrr, 0.25));
    }

    #[test]
    fn topics_without_relevant_documents_are_left_out_and_missing_runs_score_zero() {
        let mut qrels = Qrels::default();
        qrels.0.insert("1".into(), HashMap::from([("a".to_string(), 1)]));
        qrels.0.insert("2".into(), HashMap::from([("b".to_string(), 0)]));
        qrels.0.insert("3".into(), HashMap::from([("c".to_string(), 2)]));
        let mut run = Run::default();
        run.0.insert("1".into(), vec![("a".into(), 1.0)]);
        let e = evaluate(&run, &qrels);
        assert_eq!(e.topics, 2);
        assert!(close(e.mean.map, 0.5));
        assert!(close(e.mean.mrr, 0.5));
    }

    #[test]
    fn topic_text_is_words_never_syntax() {
        assert_eq!(
            bag_of_words("What AND why: \"drone\" -strike OR person:peskov (x*)?"),
            "what OR and OR why OR drone OR strike OR or OR person OR peskov OR x"
        );
        assert_eq!(bag_of_words("?! --"), "");
    }

    #[test]
    fn files_read_back_and_bad_lines_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let qrels = dir.path().join("qrels");
        std::fs::write(&qrels, "1 0 a 2\n\n1 0 b 0\n2 0 c 1\n").unwrap();
        let q = Qrels::read(&qrels).unwrap();
        assert_eq!(q.grade("1", "a"), 2);
        assert_eq!(q.relevant("1"), 1);
        std::fs::write(&qrels, "1 0 a 2\n1 0 b high\n").unwrap();
        let err = Qrels::read(&qrels).unwrap_err().to_string();
        assert!(
            err.ends_with("qrels:2: the grade \"high\" is not a whole number"),
            "{err}"
        );

        let run_file = dir.path().join("run");
        let mut run = Run::default();
        run.0
            .insert("7".into(), vec![("x".into(), 2.5), ("y".into(), 1.0)]);
        let mut out = Vec::new();
        run.write(&mut out, "newsdex").unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "7 Q0 x 1 2.500000 newsdex\n7 Q0 y 2 1.000000 newsdex\n"
        );
        std::fs::write(&run_file, &out).unwrap();
        assert_eq!(Run::read(&run_file).unwrap(), run);

        let topics = dir.path().join("topics.tsv");
        std::fs::write(&topics, "# comment\n1\tdrone strike\n2 no tab\n").unwrap();
        let err = read_topics(&topics).unwrap_err().to_string();
        assert!(err.ends_with("topics.tsv:3: expected `qid<TAB>text`"), "{err}");
    }
}
