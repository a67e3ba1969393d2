//! Training and scoring the tagger on CoNLL documents.

use super::Tagger;
use super::conll::{Document, Evaluation};
use super::features::{Coverage, FEATURE_VERSION, document_features};
use super::gazetteer::Gazetteer;
use super::model::{self, Example, Model};

/// Training examples (features and gold tags) for every sentence.
pub fn examples(gazetteer: &Gazetteer, docs: &[Document]) -> Vec<Example> {
    let mut out = Vec::new();
    for doc in docs {
        let tokens = doc.tokens();
        let mut gold = doc.sentences.iter().map(|s| s.gold.clone());
        document_features(&tokens, gazetteer, Coverage::All, |feats, ends| {
            out.push(Example {
                feats: feats.to_vec(),
                ends: ends.to_vec(),
                gold: gold.next().unwrap_or_default(),
            });
        });
    }
    out
}

/// Scores a tagger against gold-tagged documents.
pub fn evaluate(tagger: &Tagger, docs: &[Document]) -> Evaluation {
    let mut eval = Evaluation::default();
    for doc in docs {
        let tokens = doc.tokens();
        let predicted = tagger.tag_document(&tokens);
        for (s, p) in doc.sentences.iter().zip(&predicted) {
            eval.add(&s.gold, p);
        }
    }
    eval
}

/// The outcome of training: the model bytes kept and how each epoch scored.
pub struct Trained {
    /// The model of the best epoch on the development set (or the last).
    pub model: Vec<u8>,
    /// The epoch kept.
    pub best_epoch: usize,
    /// Its development scores, when a development set was given.
    pub dev: Option<Evaluation>,
}

/// Trains for up to `epochs` passes, keeping the epoch whose PER+ORG+LOC
/// micro-F1 on `dev` is best; `report(epoch, dev_eval)` is called after each.
/// Features with no weight as large as `min_weight` are dropped.
pub fn train(
    train_docs: &[Document],
    dev_docs: Option<&[Document]>,
    epochs: usize,
    min_weight: f32,
    mut report: impl FnMut(usize, Option<&Evaluation>),
) -> Trained {
    let gazetteer = Gazetteer::builtin();
    let train_examples = examples(&gazetteer, train_docs);
    let mut best: Option<(f64, usize, Vec<u8>, Option<Evaluation>)> = None;
    let last = model::train(&train_examples, epochs, min_weight, |epoch, m: &Model| {
        let bytes = m.to_bytes(FEATURE_VERSION);
        let eval = dev_docs.map(|dev| {
            // Score through the same bytes that will ship (quantised).
            let tagger = Tagger::from_bytes(&bytes)
                .unwrap_or_else(|_| Tagger::from_model(model::train(&[], 0, 0.0, |_, _| {})));
            evaluate(&tagger, dev)
        });
        report(epoch, eval.as_ref());
        let f1 = eval
            .as_ref()
            .map_or(epoch as f64, |e| e.micro(&["PER", "ORG", "LOC"]).f1());
        if best.as_ref().is_none_or(|(b, ..)| f1 > *b) {
            best = Some((f1, epoch, bytes, eval));
        }
    });
    match best {
        Some((_, best_epoch, model, dev)) => Trained {
            model,
            best_epoch,
            dev,
        },
        None => Trained {
            model: last.to_bytes(FEATURE_VERSION),
            best_epoch: 0,
            dev: None,
        },
    }
}
