//! Named entities: a trained tagger for people, organisations, places and
//! miscellaneous names in news text.
//!
//! The tagger is a structured averaged perceptron ([`model`]) over BIO tags,
//! trained on CoNLL-2003 with word, shape, affix, context, gazetteer
//! ([`gazetteer`]) and document-level features ([`features`]). The trained
//! model ships in the repository (`src/ner/data/model.bin`) and is compiled
//! into newsdex; nothing is downloaded. Raw text is cut into sentences by
//! [`crate::sentence`] and into tokens by [`tokenize`] the way CoNLL was.
//!
//! [`Tagger::entities`] finds entities with their byte offsets in a text.

pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod memo;
pub mod model;
pub mod tokenize;
pub mod train;

/// Hash maps of words, looked up for every token tagged: a fast hash
/// (SipHash was a tenth of tagging).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A word's 64-bit hash, standing for the word in sets and features.
pub(crate) fn word_hash(word: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// Hashes a word in one call of xxh3 (the streaming `Xxh3` hasher, fed
/// through `Hash for str`, cost three times as much on short words).
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn write_u8(&mut self, b: u8) {
        // `Hash for str` ends with 0xff; keep the bits mixed.
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

use std::cell::RefCell;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use features::{Coverage, FEATURE_VERSION, Parts, document_sentences};
use gazetteer::Gazetteer;
use memo::LocalSums;
use model::{Decoding, Model, ModelError, Sums};

/// The model newsdex ships, trained by `newsdex ner train`.
static EMBEDDED_MODEL: &[u8] = include_bytes!("data/model.bin");

/// The kinds of entity the tagger finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerKind {
    /// People.
    Person,
    /// Organisations.
    Org,
    /// Places.
    Place,
    /// Other names: nationalities, events, products, works.
    Misc,
}

impl NerKind {
    fn from_code(code: &str) -> Option<NerKind> {
        Some(match code {
            "PER" => NerKind::Person,
            "ORG" => NerKind::Org,
            "LOC" => NerKind::Place,
            "MISC" => NerKind::Misc,
            _ => return None,
        })
    }

    /// The CoNLL code: PER, ORG, LOC or MISC.
    pub fn code(self) -> &'static str {
        match self {
            NerKind::Person => "PER",
            NerKind::Org => "ORG",
            NerKind::Place => "LOC",
            NerKind::Misc => "MISC",
        }
    }
}

/// An entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// What it is.
    pub kind: NerKind,
    /// The text of the mention, as written.
    pub text: String,
    /// Its byte range in the text.
    pub span: Range<usize>,
}

/// A thread's buffers for tagging, kept from document to document.
#[derive(Default)]
struct Work {
    decoding: Decoding,
    memo: LocalSums,
    /// A sentence's features, token after token.
    feats: Vec<u64>,
    /// Where each token's are in `feats` (`None`: an uncovered token).
    tokens: Vec<Option<TokenSums>>,
}

/// One covered token of a sentence being tagged.
struct TokenSums {
    /// Its [`features::Sentence::local_key`].
    key: u64,
    /// Its local features' sums, when remembered; otherwise its local
    /// features start its part of [`Work::feats`].
    local: Option<Sums>,
    /// Where its local features end and its context features start.
    local_end: usize,
    /// Where its features end.
    end: usize,
}

/// A trained tagger with its gazetteers.
pub struct Tagger {
    model: Model,
    gazetteer: Gazetteer,
}

impl Tagger {
    /// The tagger compiled into newsdex, loaded once per process.
    pub fn builtin() -> &'static Tagger {
        static TAGGER: OnceLock<Tagger> = OnceLock::new();
        TAGGER.get_or_init(|| match Tagger::from_bytes(EMBEDDED_MODEL) {
            Ok(t) => t,
            // The embedded model is checked by the test suite; an empty
            // model tags nothing rather than failing every index run.
            Err(_) => Tagger::from_model(model::train(&[], 0, 0.0, |_, _| {})),
        })
    }

    /// A tagger from a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Ok(Tagger::from_model(Model::from_bytes(bytes, FEATURE_VERSION)?))
    }

    /// A tagger around a model (fresh from training, say).
    pub fn from_model(model: Model) -> Tagger {
        Tagger {
            model,
            gazetteer: Gazetteer::builtin(),
        }
    }

    /// The gazetteers the tagger uses.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// BIO tags for each sentence of one document (tokens already cut).
    /// Only capitalised words and their neighbours are tagged: a lower-case
    /// word between lower-case words is taken to be outside every entity.
    ///
    /// Each tagged token's emission is its local features' weights
    /// (remembered per thread, [`memo`]) plus its context features'.
    pub fn tag_document<T: AsRef<[S]>, S: AsRef<str>>(&self, sentences: &[T]) -> Vec<Vec<u8>> {
        thread_local! {
            static WORK: RefCell<Work> = RefCell::new(Work::default());
        }
        WORK.with(|work| match work.try_borrow_mut() {
            Ok(mut work) => self.tag_with(sentences, &mut work, |_| {}),
            Err(_) => self.tag_with(sentences, &mut Work::default(), |_| {}),
        })
    }

    /// [`Tagger::tag_document`] with `work`'s buffers and memo; `decoded`
    /// sees each sentence's emissions.
    fn tag_with<T: AsRef<[S]>, S: AsRef<str>>(
        &self,
        sentences: &[T],
        work: &mut Work,
        mut decoded: impl FnMut(&Decoding),
    ) -> Vec<Vec<u8>> {
        let Work {
            decoding,
            memo,
            feats,
            tokens,
        } = work;
        let (model, id) = (&self.model, self.model.id());
        let mut tags = Vec::with_capacity(sentences.len());
        document_sentences(sentences, &self.gazetteer, Coverage::NearCapitals, |s| {
            // First the local keys of the tokens tagged, their remembered
            // sums prefetched...
            tokens.clear();
            for i in 0..s.len() {
                tokens.push(s.covered(i).then(|| {
                    let key = s.local_key(i);
                    memo.prefetch(key);
                    TokenSums {
                        key,
                        local: None,
                        local_end: 0,
                        end: 0,
                    }
                }));
            }
            // ...then every feature whose weights will be needed, prefetched
            // as it is found...
            feats.clear();
            for (i, token) in tokens.iter_mut().enumerate() {
                let Some(t) = token else { continue };
                let first = feats.len();
                t.local = memo.get(id, t.key);
                if t.local.is_none() {
                    s.token_features(i, Parts::Local, feats);
                }
                t.local_end = feats.len();
                s.token_features(i, Parts::Context, feats);
                t.end = feats.len();
                model.prefetch(&feats[first..]);
            }
            // ...then their sums, token by token.
            decoding.clear();
            let mut start = 0;
            for token in tokens.iter() {
                let Some(t) = token else {
                    decoding.push_outside();
                    continue;
                };
                let mut sums = t.local.unwrap_or_else(|| {
                    let mut sums = Sums::default();
                    model.add_weights(&feats[start..t.local_end], &mut sums);
                    memo.insert(t.key, sums);
                    sums
                });
                model.add_weights(&feats[t.local_end..t.end], &mut sums);
                model.push_token(&sums, decoding);
                start = t.end;
            }
            tags.push(model.decode_tokens(decoding));
            decoded(decoding);
        });
        tags
    }

    /// The entities of a text (one document), in order.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let (tokens, sentences) = sentence_tokens(text);
        let sentences: Vec<&[tokenize::Token<'_>]> = sentences.into_iter().map(|r| &tokens[r]).collect();
        let tags = self.tag_document(&sentences);
        let mut out = Vec::new();
        for (sentence, tags) in sentences.iter().zip(&tags) {
            for (code, first, end) in conll::spans(tags) {
                let Some(kind) = NerKind::from_code(code) else {
                    continue;
                };
                let span = sentence[first].span.start..sentence[end - 1].span.end;
                out.push(Entity {
                    kind,
                    text: text[span.clone()].to_string(),
                    span,
                });
            }
        }
        out
    }
}

/// Every token of a text, and each sentence's range of them.
fn sentence_tokens(text: &str) -> (Vec<tokenize::Token<'_>>, Vec<Range<usize>>) {
    let mut tokens: Vec<tokenize::Token<'_>> = Vec::new();
    let mut sentences: Vec<Range<usize>> = Vec::new();
    for para in crate::passage::paragraphs(text) {
        for s in crate::sentence::sentences(&text[para.clone()]) {
            let abs = para.start + s.start..para.start + s.end;
            let first = tokens.len();
            tokenize::tokenize_into(&text[abs.clone()], &mut tokens);
            for t in &mut tokens[first..] {
                t.span = abs.start + t.span.start..abs.start + t.span.end;
            }
            if tokens.len() > first {
                sentences.push(first..tokens.len());
            }
        }
    }
    (tokens, sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_local_sums_are_every_features_sums() {
        // The seed article and a Reuters story, tagged twice in a row (the
        // second time from remembered sums), by two models (the memo must
        // not mix them up): each token's emission is exactly that of
        // summing all its features afresh.
        let texts = [
            include_str!("../../corpus/000_690a3a72e68bdb61.txt"),
            "TOKYO, March 28 - Japanese computer chip makers reacted angrily to news \
             the United States plans to take retaliatory action against them. \
             Electronic Industries Association of Japan (EIAJ) Chairman Shoichi Saba \
             said in Tokyo. Saba, in Tokyo, said Japan would respond.",
        ];
        let mut other = model::train(&[], 0, 0.0, |_, _| {});
        other = Model::from_bytes(&other.to_bytes(FEATURE_VERSION), FEATURE_VERSION).expect("model");
        let taggers = [
            Tagger::from_bytes(EMBEDDED_MODEL).expect("model"),
            Tagger::from_model(other),
        ];
        let mut work = Work::default();
        let mut hits = 0;
        for tagger in taggers.iter().chain(&taggers) {
            for text in texts.iter().chain(&texts) {
                let (tokens, ranges) = sentence_tokens(text);
                let sentences: Vec<Vec<&str>> = ranges
                    .iter()
                    .map(|r| tokens[r.clone()].iter().map(|t| t.text).collect())
                    .collect();
                let mut expected = Vec::new();
                let mut fresh = Decoding::default();
                features::document_features(
                    &sentences,
                    tagger.gazetteer(),
                    Coverage::NearCapitals,
                    |feats, ends| {
                        tagger.model().decode_with(feats, ends, &mut fresh);
                        expected.push(fresh.emissions().to_vec());
                    },
                );
                let mut got = Vec::new();
                tagger.tag_with(&sentences, &mut work, |d| got.push(d.emissions().to_vec()));
                assert_eq!(got, expected);
                hits += work.tokens.iter().flatten().filter(|t| t.local.is_some()).count();
            }
        }
        assert!(hits > 100, "the memo was used ({hits} hits)");
    }

    #[test]
    fn the_embedded_model_loads() {
        let t = Tagger::from_bytes(EMBEDDED_MODEL).expect("embedded model");
        assert!(t.model().len() > 1000, "the embedded model has too few features");
        // The weight table gives back exactly what it was loaded from.
        assert!(t.model().to_bytes(FEATURE_VERSION) == EMBEDDED_MODEL);
    }

    #[test]
    fn the_seed_articles_entities() {
        let seed = include_str!("../../corpus/000_690a3a72e68bdb61.txt");
        let found = Tagger::builtin().entities(seed);
        let has = |kind: NerKind, text: &str| found.iter().any(|e| e.kind == kind && e.text == text);
        assert!(has(NerKind::Person, "Volodymyr Zelenskyy"), "{found:#?}");
        assert!(has(NerKind::Person, "Dmitry Peskov"), "{found:#?}");
        assert!(has(NerKind::Org, "CNN"), "{found:#?}");
        assert!(has(NerKind::Place, "Ukraine"), "{found:#?}");
        assert!(has(NerKind::Place, "Moscow"), "{found:#?}");
        for e in &found {
            assert!(!["According", "Additionally"].contains(&e.text.as_str()), "{e:?}");
            assert_eq!(&seed[e.span.clone()], e.text);
        }
    }
}
