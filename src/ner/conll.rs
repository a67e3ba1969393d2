//! CoNLL files: reading them, and scoring tags the way conlleval does.
//!
//! A CoNLL file has one token per line (`token POS chunk NER`, space
//! separated), a blank line after each sentence, and `-DOCSTART-` lines
//! between documents. CoNLL-2003 uses IOB1 tags (`I-` everywhere, `B-`
//! only between two adjacent entities of one type); newsdex converts them
//! to BIO for training and back to IOB1 when it writes tags.

use std::collections::BTreeMap;
use std::fmt;

use super::model::{TAGS, tag_index};

/// One sentence of a CoNLL file.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// The tokens.
    pub tokens: Vec<String>,
    /// The gold tags as BIO indices, when the file has a tag column.
    pub gold: Vec<u8>,
    /// The token lines as they were, for writing back with a new column.
    pub lines: Vec<String>,
}

/// One document: the sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// Each sentence's tokens, as the tagger takes them.
    pub fn tokens(&self) -> Vec<Vec<&str>> {
        self.sentences
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect()
    }
}

/// A line of a CoNLL file that is not understood.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConllError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads a CoNLL file. With `need_tags`, the last column must be a tag.
pub fn read(text: &str, need_tags: bool) -> Result<Vec<Document>, ConllError> {
    let mut docs = vec![Document::default()];
    let mut sentence = Sentence::default();
    let mut prev_iob1: Option<String> = None;
    let flush = |docs: &mut Vec<Document>, s: &mut Sentence| {
        if !s.tokens.is_empty()
            && let Some(d) = docs.last_mut()
        {
            d.sentences.push(std::mem::take(s));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut docs, &mut sentence);
            prev_iob1 = None;
            continue;
        }
        if trimmed.starts_with("-DOCSTART-") {
            flush(&mut docs, &mut sentence);
            if docs.last().is_some_and(|d| !d.sentences.is_empty()) {
                docs.push(Document::default());
            }
            prev_iob1 = None;
            continue;
        }
        let cols: Vec<&str> = trimmed.split_whitespace().collect();
        sentence.tokens.push(cols[0].to_string());
        sentence.lines.push(line.trim_end().to_string());
        if need_tags {
            let tag = cols
                .last()
                .copied()
                .filter(|_| cols.len() >= 2)
                .ok_or_else(|| ConllError {
                    line: n + 1,
                    message: "expected a token and a tag".into(),
                })?;
            let bio = iob1_to_bio(tag, prev_iob1.as_deref()).ok_or_else(|| ConllError {
                line: n + 1,
                message: format!("unknown tag {tag:?} (expected O, I-PER, B-LOC, ...)"),
            })?;
            sentence.gold.push(bio);
            prev_iob1 = Some(tag.to_string());
        }
    }
    flush(&mut docs, &mut sentence);
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// Converts an IOB1 (or BIO) tag to a BIO index, given the previous tag.
fn iob1_to_bio(tag: &str, prev: Option<&str>) -> Option<u8> {
    if tag == "O" {
        return tag_index("O");
    }
    let (prefix, kind) = tag.split_once('-')?;
    let prev_kind = prev.and_then(|p| p.split_once('-')).map(|(_, k)| k);
    let bio = match prefix {
        "B" => format!("B-{kind}"),
        "I" if prev_kind == Some(kind) => format!("I-{kind}"),
        "I" => format!("B-{kind}"),
        _ => return None,
    };
    tag_index(&bio)
}

/// BIO indices as IOB1 tag names (`B-` only between entities of one type).
pub fn bio_to_iob1(tags: &[u8]) -> Vec<String> {
    let mut out = Vec::with_capacity(tags.len());
    for (i, &t) in tags.iter().enumerate() {
        let name = TAGS[t as usize];
        let iob1 = match name.strip_prefix("B-") {
            Some(kind) => {
                let prev_same = i > 0 && TAGS[tags[i - 1] as usize].get(2..) == Some(kind);
                if prev_same {
                    name.to_string()
                } else {
                    format!("I-{kind}")
                }
            }
            None => name.to_string(),
        };
        out.push(iob1);
    }
    out
}

/// Entity spans `(kind, first token, one past the last)` in a BIO sequence.
pub fn spans(tags: &[u8]) -> Vec<(&'static str, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(&'static str, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let name = TAGS[t as usize];
        let (prefix, kind) = match name.split_once('-') {
            Some((p, k)) => (p, Some(k)),
            None => ("O", None),
        };
        let continues = prefix == "I" && open.is_some_and(|(k, _)| Some(k) == kind);
        if !continues {
            if let Some((k, s)) = open.take() {
                out.push((k, s, i));
            }
            if let Some(k) = kind {
                open = Some((k, i));
            }
        }
    }
    if let Some((k, s)) = open {
        out.push((k, s, tags.len()));
    }
    out
}

/// Precision, recall and F1 of one entity type (or all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Spans found that are right.
    pub correct: usize,
    /// Spans found.
    pub predicted: usize,
    /// Spans in the gold standard.
    pub gold: usize,
}

impl Prf {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
    fn add(&mut self, o: &Prf) {
        self.correct += o.correct;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores per entity type, conlleval-style (exact span and type).
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Per type: PER, ORG, LOC, MISC.
    pub by_type: BTreeMap<&'static str, Prf>,
    /// Tokens scored.
    pub tokens: usize,
}

impl Evaluation {
    /// Adds one sentence's gold and predicted tags.
    pub fn add(&mut self, gold: &[u8], predicted: &[u8]) {
        self.tokens += gold.len();
        let g = spans(gold);
        let p = spans(predicted);
        for &(k, _, _) in &g {
            self.by_type.entry(k).or_default().gold += 1;
        }
        for s in &p {
            let e = self.by_type.entry(s.0).or_default();
            e.predicted += 1;
            if g.contains(s) {
                e.correct += 1;
            }
        }
    }

    /// Micro-averaged over the given types.
    pub fn micro(&self, types: &[&str]) -> Prf {
        let mut total = Prf::default();
        for (k, v) in &self.by_type {
            if types.contains(k) {
                total.add(v);
            }
        }
        total
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<14} {:>9} {:>9} {:>9} {:>7} {:>7}",
            "type", "precision", "recall", "F1", "gold", "found"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<14} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7}",
                name,
                p.precision(),
                p.recall(),
                p.f1(),
                p.gold,
                p.predicted
            )
        };
        for k in ["PER", "ORG", "LOC", "MISC"] {
            row(f, k, &self.by_type.get(k).copied().unwrap_or_default())?;
        }
        row(f, "PER+ORG+LOC", &self.micro(&["PER", "ORG", "LOC"]))?;
        row(f, "all four", &self.micro(&["PER", "ORG", "LOC", "MISC"]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n\n\
                          Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nJohn NNP I-NP B-PER\n\n\
                          -DOCSTART- -X- O O\n\nBRUSSELS NNP I-NP I-LOC\n";

    #[test]
    fn reads_documents_and_converts_iob1_to_bio() {
        let docs = read(SAMPLE, true).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        let names: Vec<&str> = docs[0].sentences[1]
            .gold
            .iter()
            .map(|&t| TAGS[t as usize])
            .collect();
        assert_eq!(names, vec!["B-PER", "I-PER", "B-PER"]);
        assert_eq!(
            bio_to_iob1(&docs[0].sentences[1].gold),
            vec!["I-PER", "I-PER", "B-PER"]
        );
        assert_eq!(docs[1].sentences[0].lines[0], "BRUSSELS NNP I-NP I-LOC");
    }

    #[test]
    fn scores_exact_spans() {
        let t = |names: &[&str]| names.iter().map(|n| tag_index(n).unwrap()).collect::<Vec<_>>();
        let mut e = Evaluation::default();
        e.add(
            &t(&["B-PER", "I-PER", "O", "B-LOC"]),
            &t(&["B-PER", "O", "O", "B-LOC"]),
        );
        assert_eq!(
            e.by_type["PER"],
            Prf {
                correct: 0,
                predicted: 1,
                gold: 1
            }
        );
        assert_eq!(
            e.by_type["LOC"],
            Prf {
                correct: 1,
                predicted: 1,
                gold: 1
            }
        );
        assert!((e.micro(&["PER", "LOC"]).f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn bad_tags_name_their_line() {
        let err = read("EU NNP I-NP X-ORG\n", true).unwrap_err();
        assert_eq!(err.line, 1);
    }
}
