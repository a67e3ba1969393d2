//! The Cranfield collection (1,400 aeronautics abstracts, 225 queries)
//! into what newsdex reads: articles as JSON Lines, topics as TSV, and
//! TREC qrels.
//!
//! Its files are SMART-style: a record starts with `.I n`, and each field
//! with a line holding only its marker (`.T` title, `.A` authors, `.B`
//! source, `.W` text). Two things need care:
//!
//! - `cranqrel` numbers queries by their **position** in `cran.qry` (1 to
//!   225), not by their `.I` (001 to 365, with gaps). Topics get the
//!   position as their id.
//! - Its relevance codes run the wrong way for graded measures: 1 is a
//!   complete answer, 4 of minimal interest, and -1 (one per query, not
//!   described in its readme) is taken as judged non-relevant. Grades are
//!   therefore `5 - code` for codes 1 to 4 (4 = complete answer, 1 =
//!   minimal interest) and 0 for -1.

use std::io::Write;
use std::path::Path;

use super::{Converted, EvalError};

/// A SMART record: its `.I` and its fields by marker.
#[derive(Debug, Default)]
struct Record {
    id: String,
    fields: Vec<(char, String)>,
}

impl Record {
    fn field(&self, marker: char) -> String {
        self.fields
            .iter()
            .filter(|(m, _)| *m == marker)
            .map(|(_, text)| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn records(path: &Path, text: &str) -> Result<Vec<Record>, EvalError> {
    let mut records: Vec<Record> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(id) = line.strip_prefix(".I ") {
            records.push(Record {
                id: id.trim().to_string(),
                fields: Vec::new(),
            });
            continue;
        }
        let Some(record) = records.last_mut() else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(super::format_error(
                path,
                n + 1,
                "text before the first `.I` record",
            ));
        };
        let marker = line.strip_prefix('.').and_then(|m| {
            let mut chars = m.chars();
            let c = chars.next()?;
            chars.next().is_none().then_some(c)
        });
        match marker {
            Some(m) => record.fields.push((m, String::new())),
            None => match record.fields.last_mut() {
                Some((_, text)) => {
                    text.push_str(line);
                    text.push('\n');
                }
                None => {
                    return Err(super::format_error(
                        path,
                        n + 1,
                        "text before any field marker (.T, .A, .B, .W)",
                    ));
                }
            },
        }
    }
    Ok(records)
}

/// Converts the Cranfield files in `dir` (`cran.all.1400`, `cran.qry`,
/// `cranqrel`) into `out/docs.jsonl`, `out/topics.tsv` and `out/qrels.txt`.
pub fn convert(dir: &Path, out: &Path) -> Result<Converted, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| EvalError::Io { path, cause }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;

    let docs_path = dir.join("cran.all.1400");
    let docs = records(&docs_path, &super::read(&docs_path)?)?;
    let target = out.join("docs.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&target).map_err(io(&target))?);
    for d in &docs {
        let article = serde_json::json!({
            "id": d.id,
            "title": d.field('T'),
            "authors": d.field('A'),
            "body": d.field('W'),
        });
        writeln!(w, "{article}").map_err(io(&target))?;
    }
    w.flush().map_err(io(&target))?;

    let queries_path = dir.join("cran.qry");
    let queries = records(&queries_path, &super::read(&queries_path)?)?;
    let target = out.join("topics.tsv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&target).map_err(io(&target))?);
    for (position, q) in queries.iter().enumerate() {
        writeln!(w, "{}\t{}", position + 1, q.field('W')).map_err(io(&target))?;
    }
    w.flush().map_err(io(&target))?;

    let qrels_path = dir.join("cranqrel");
    let qrels = super::read(&qrels_path)?;
    let target = out.join("qrels.txt");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&target).map_err(io(&target))?);
    let mut judgments = 0;
    for (n, line) in qrels.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => continue,
            [query, doc, code] => {
                let grade = match *code {
                    "1" => 4,
                    "2" => 3,
                    "3" => 2,
                    "4" => 1,
                    "-1" => 0,
                    other => {
                        return Err(super::format_error(
                            &qrels_path,
                            n + 1,
                            format!("relevance code {other:?}: expected 1, 2, 3, 4 or -1"),
                        ));
                    }
                };
                writeln!(w, "{query} 0 {doc} {grade}").map_err(io(&target))?;
                judgments += 1;
            }
            _ => {
                return Err(super::format_error(
                    &qrels_path,
                    n + 1,
                    "expected `query doc code`",
                ));
            }
        }
    }
    w.flush().map_err(io(&target))?;
    Ok(Converted {
        documents: docs.len(),
        topics: queries.len(),
        judgments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_fields_positions_and_grades() {
        let src = tempfile::tempdir().unwrap();
        std::fs::write(
            src.path().join("cran.all.1400"),
            ".I 1\n.T\nexperimental investigation\nof the aerodynamics .\n.A\nbrenckman,m.\n.B\nj. ae. scs. 25, 1958.\n.W\nexperimental investigation\nof wings .\n.I 2\n.T\nsimple shear flow\n.A\n.B\n.W\n",
        )
        .unwrap();
        std::fs::write(
            src.path().join("cran.qry"),
            ".I 001\n.W\nwhat similarity laws must be obeyed ?\n.I 004\n.W\nwhat problems of heat conduction\nin composite slabs ?\n",
        )
        .unwrap();
        std::fs::write(src.path().join("cranqrel"), "1 1 2 \n1 2 -1 \n2 2 4 \n").unwrap();
        let out = tempfile::tempdir().unwrap();
        let done = convert(src.path(), out.path()).unwrap();
        assert_eq!(
            done,
            Converted {
                documents: 2,
                topics: 2,
                judgments: 3
            }
        );
        let docs = std::fs::read_to_string(out.path().join("docs.jsonl")).unwrap();
        let first: serde_json::Value = serde_json::from_str(docs.lines().next().unwrap()).unwrap();
        assert_eq!(first["id"], "1");
        assert_eq!(first["title"], "experimental investigation of the aerodynamics .");
        assert_eq!(first["body"], "experimental investigation of wings .");
        // Topics are numbered by position: `.I 004` is topic 2.
        assert_eq!(
            std::fs::read_to_string(out.path().join("topics.tsv")).unwrap(),
            "1\twhat similarity laws must be obeyed ?\n2\twhat problems of heat conduction in composite slabs ?\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.path().join("qrels.txt")).unwrap(),
            "1 0 1 3\n1 0 2 0\n2 0 2 1\n"
        );

        std::fs::write(src.path().join("cranqrel"), "1 1 2\n1 2 7\n").unwrap();
        let err = convert(src.path(), out.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("cranqrel:2: relevance code \"7\": expected 1, 2, 3, 4 or -1"),
            "{err}"
        );
    }
}
