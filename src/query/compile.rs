//! From a parsed [`Expr`] to leaf queries over passage documents and the
//! boolean tree that combines them per article.

use std::collections::BTreeSet;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::syntax::Expr;
use crate::index::Fields;
use crate::index::schema::{NAME_TOKENIZER, TEXT_TOKENIZER};

/// The most words one `prefix*` may expand to (the first in order).
pub const MAX_EXPANSIONS: usize = 256;

/// The most words all the prefixes of one query may expand to together;
/// prefixes past it match nothing new.
pub const MAX_QUERY_EXPANSIONS: usize = 1024;

/// How far apart (in positions, in order) two words of the query standing
/// side by side may be in a passage for [`Leaf::near`] to score it.
pub const NEAR_SLOP: u32 = 10;

/// What a pair of the query's words found near each other adds, as a share
/// of the BM25 score of the pair as a phrase.
///
/// Measured with `newsdex eval` (README, "Ranking quality"): with slops of
/// 2 to 10 and weights of 0.1 to 0.3, both news (Reuters-21578's topics)
/// and Cranfield gained MAP; 0.2 within 10 took Reuters topics' MAP from
/// 0.4239 to 0.4286 and nDCG@10 from 0.5919 to 0.6015, Cranfield's MAP
/// from 0.2949 to 0.3026. At full weight, pairs lowered Cranfield's.
pub const NEAR_WEIGHT: f32 = 0.2;

/// A compiled query: leaves to run and how to combine their article sets.
pub struct Compiled {
    /// The boolean tree over leaves.
    pub root: Node,
    /// The leaf queries, indexed by [`Node::Leaf`]; after those the tree
    /// refers to come the [`Leaf::near`] ones, which only add to scores.
    pub leaves: Vec<Leaf>,
    /// Analysed words of the positive text leaves, for highlighting.
    pub highlight_terms: BTreeSet<String>,
}

/// The boolean tree, evaluated per article.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// The articles a leaf matched.
    Leaf(usize),
    /// Articles every child matched (`Not` children subtract).
    And(Vec<Node>),
    /// Articles any child matched.
    Or(Vec<Node>),
    /// Articles the child did not match.
    Not(Box<Node>),
    /// A term with no searchable word in it ("—"): ignored where it stands.
    Nothing,
}

/// One term, phrase or prefix of the query, as queries over one field each
/// (passage text, the title, a name field). The leaf matches an article
/// when any of them matches one of its documents; a document's scores add.
/// They run one by one: a union of fields that never share a document
/// would only cost tantivy the merging.
pub struct Leaf {
    /// The queries, one per field.
    pub queries: Vec<Box<dyn Query>>,
    /// Whether its scores count toward ranking (false under a negation).
    pub scored: bool,
    /// Whether it is a prefix, which may stand for hundreds of words.
    pub prefix: bool,
    /// Whether it is two of the query's words, side by side in it, found
    /// within [`NEAR_SLOP`] of each other (weighted [`NEAR_WEIGHT`]): it
    /// adds to the scores of articles the tree matched, and matches none.
    pub near: bool,
}

/// Compiles `expr` against the index's fields and analyzers.
pub fn compile(expr: &Expr, fields: &Fields, searcher: &Searcher) -> tantivy::Result<Compiled> {
    let index = searcher.index();
    let mut c = Compiler {
        fields,
        searcher,
        text_analyzer: index.tokenizer_for_field(fields.text)?,
        name_analyzer: index.tokenizers().get(NAME_TOKENIZER).ok_or_else(|| {
            tantivy::TantivyError::InvalidArgument(format!("no tokenizer {NAME_TOKENIZER}"))
        })?,
        leaves: Vec::new(),
        near: Vec::new(),
        highlight_terms: BTreeSet::new(),
        expanded: 0,
    };
    debug_assert_eq!(TEXT_TOKENIZER, "en_stem");
    let root = simplify(c.node(expr, false)?);
    c.leaves.append(&mut c.near);
    Ok(Compiled {
        root,
        leaves: c.leaves,
        highlight_terms: c.highlight_terms,
    })
}

struct Compiler<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    text_analyzer: TextAnalyzer,
    name_analyzer: TextAnalyzer,
    leaves: Vec<Leaf>,
    /// The [`Leaf::near`] leaves, placed after the others at the end.
    near: Vec<Leaf>,
    highlight_terms: BTreeSet<String>,
    /// Words the query's prefixes have expanded to so far.
    expanded: usize,
}

impl Compiler<'_> {
    fn node(&mut self, expr: &Expr, negated: bool) -> tantivy::Result<Node> {
        Ok(match expr {
            Expr::And(parts) | Expr::Or(parts) => {
                self.near_pairs(parts, negated);
                let children = parts
                    .iter()
                    .map(|p| self.node(p, negated))
                    .collect::<tantivy::Result<_>>()?;
                if matches!(expr, Expr::And(_)) {
                    Node::And(children)
                } else {
                    Node::Or(children)
                }
            }
            Expr::Not(inner) => Node::Not(Box::new(self.node(inner, !negated)?)),
            Expr::Term { field, text } => self.words(field.as_deref(), text, 0, negated),
            Expr::Phrase { field, text, slop } => self.words(field.as_deref(), text, *slop, negated),
            Expr::Prefix { field, text } => self.prefix(field.as_deref(), text, negated)?,
        })
    }

    /// The fields a term searches, with whether they use the text analyzer.
    fn targets(&self, field: Option<&str>) -> (Vec<Field>, bool) {
        match field {
            None => (vec![self.fields.text, self.fields.title], true),
            Some("title") => (vec![self.fields.title], true),
            Some(name) => match self.fields.facet_named(name) {
                Some(f) => (vec![f.text], false),
                None => (vec![self.fields.text, self.fields.title], true),
            },
        }
    }

    fn words(&mut self, field: Option<&str>, text: &str, slop: u32, negated: bool) -> Node {
        let (targets, is_text) = self.targets(field);
        let analyzer = if is_text {
            &mut self.text_analyzer
        } else {
            &mut self.name_analyzer
        };
        let tokens = analyze(analyzer, text);
        if tokens.is_empty() {
            return Node::Nothing;
        }
        // Only unscoped words are looked for in passage text; `title:x`
        // matched the title, not the text.
        if field.is_none() && !negated {
            self.highlight_terms.extend(tokens.iter().cloned());
        }
        let per_field: Vec<Box<dyn Query>> = targets
            .iter()
            .map(|&f| -> Box<dyn Query> {
                if tokens.len() == 1 {
                    Box::new(TermQuery::new(
                        Term::from_field_text(f, &tokens[0]),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    let terms = tokens.iter().map(|t| Term::from_field_text(f, t)).collect();
                    let mut q = PhraseQuery::new(terms);
                    q.set_slop(slop);
                    Box::new(q)
                }
            })
            .collect();
        self.leaf(per_field, negated, false)
    }

    fn prefix(&mut self, field: Option<&str>, text: &str, negated: bool) -> tantivy::Result<Node> {
        let (targets, is_text) = self.targets(field);
        let lowered = text.to_lowercase();
        let mut prefixes = vec![lowered.clone()];
        if is_text {
            // The index holds stems: "investigat*" must also try "investig".
            if let Some(stem) = analyze(&mut self.text_analyzer, &lowered).pop()
                && stem != lowered
            {
                prefixes.push(stem);
            }
        }
        let mut words = BTreeSet::new();
        let budget = MAX_EXPANSIONS.min(MAX_QUERY_EXPANSIONS - self.expanded);
        for &f in &targets {
            for p in &prefixes {
                expand_prefix(self.searcher, f, p, budget, &mut words)?;
            }
        }
        self.expanded += words.len();
        if words.is_empty() {
            return Ok(self.leaf(Vec::new(), negated, true));
        }
        if field.is_none() && !negated {
            self.highlight_terms.extend(words.iter().cloned());
        }
        let per_field = targets
            .iter()
            .map(|&f| -> Box<dyn Query> {
                let clauses = words
                    .iter()
                    .map(|w| -> (Occur, Box<dyn Query>) {
                        let term = Term::from_field_text(f, w);
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        )
                    })
                    .collect();
                Box::new(BooleanQuery::new(clauses))
            })
            .collect();
        Ok(self.leaf(per_field, negated, true))
    }

    fn leaf(&mut self, queries: Vec<Box<dyn Query>>, negated: bool, prefix: bool) -> Node {
        self.leaves.push(Leaf {
            queries,
            scored: !negated,
            prefix,
            near: false,
        });
        Node::Leaf(self.leaves.len() - 1)
    }

    /// Adds a [`Leaf::near`] leaf for each two plain words side by side
    /// among `parts` (of an AND or an OR, not negated): unscoped terms of
    /// one analysed word each.
    fn near_pairs(&mut self, parts: &[Expr], negated: bool) {
        if negated {
            return;
        }
        let words: Vec<Option<String>> = parts
            .iter()
            .map(|p| match p {
                Expr::Term { field: None, text } => {
                    let mut words = analyze(&mut self.text_analyzer, text);
                    (words.len() == 1).then(|| words.pop()).flatten()
                }
                _ => None,
            })
            .collect();
        for pair in words.windows(2) {
            let [Some(a), Some(b)] = pair else { continue };
            let queries = [self.fields.text, self.fields.title]
                .into_iter()
                .map(|f| -> Box<dyn Query> {
                    let terms = vec![Term::from_field_text(f, a), Term::from_field_text(f, b)];
                    let mut phrase = PhraseQuery::new(terms);
                    phrase.set_slop(NEAR_SLOP);
                    Box::new(BoostQuery::new(Box::new(phrase), NEAR_WEIGHT))
                })
                .collect();
            self.near.push(Leaf {
                queries,
                scored: true,
                prefix: false,
                near: true,
            });
        }
    }
}

/// The analysed words of `text`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Adds the indexed words of `field` that start with `prefix`, up to
/// `budget` in all.
fn expand_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    budget: usize,
    out: &mut BTreeSet<String>,
) -> tantivy::Result<()> {
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) || out.len() >= budget {
                break;
            }
            if let Ok(word) = std::str::from_utf8(key) {
                out.insert(word.to_string());
            }
        }
    }
    Ok(())
}

/// A group's children simplified, without `Nothing`; a group of one is
/// that one, and a group of none is `Nothing`.
fn simplify_group(parts: Vec<Node>, group: fn(Vec<Node>) -> Node) -> Node {
    let mut parts: Vec<Node> = parts
        .into_iter()
        .map(simplify)
        .filter(|n| *n != Node::Nothing)
        .collect();
    match parts.len() {
        0 => Node::Nothing,
        1 => parts.pop().unwrap_or(Node::Nothing),
        _ => group(parts),
    }
}

/// Drops `Nothing` and unwraps single-child groups.
fn simplify(node: Node) -> Node {
    match node {
        Node::And(parts) | Node::Or(parts) if parts.is_empty() => Node::Nothing,
        Node::And(parts) => simplify_group(parts, Node::And),
        Node::Or(parts) => simplify_group(parts, Node::Or),
        Node::Not(inner) => match simplify(*inner) {
            Node::Nothing => Node::Nothing,
            n => Node::Not(Box::new(n)),
        },
        n => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Provenance};
    use crate::index::NewsIndex;
    use crate::query::syntax::parse;

    #[test]
    fn prefixes_expand_within_their_budgets() {
        let index = NewsIndex::in_ram().unwrap();
        let words: Vec<String> = (0..6000).map(|i| format!("zq{i:04}x")).collect();
        let mut w = index.indexer().unwrap();
        w.upsert(&Article::new(
            "many",
            words.join(" "),
            Provenance::file("many.txt"),
        ))
        .unwrap();
        w.commit().unwrap();
        let searcher = index.searcher();
        let expanded = |query: &str| {
            let expr = parse(query).unwrap().unwrap();
            compile(&expr, index.fields(), &searcher)
                .unwrap()
                .highlight_terms
                .len()
        };
        assert_eq!(expanded("zq000*"), 10);
        assert_eq!(expanded("zq0*"), MAX_EXPANSIONS);
        // Six prefixes of a thousand words each: 1024 words in all.
        assert_eq!(
            expanded("zq0* OR zq1* OR zq2* OR zq3* OR zq4* OR zq5*"),
            MAX_QUERY_EXPANSIONS
        );
    }

    #[test]
    fn plain_words_side_by_side_make_near_leaves_after_the_tree() {
        let index = NewsIndex::in_ram().unwrap();
        let searcher = index.searcher();
        // Each near leaf as its words, and the leaves the tree refers to.
        let near = |query: &str| -> (Vec<String>, usize) {
            let expr = parse(query).unwrap().unwrap();
            let c = compile(&expr, index.fields(), &searcher).unwrap();
            let tree = c.leaves.iter().take_while(|l| !l.near).count();
            assert!(c.leaves[tree..].iter().all(|l| l.near && l.scored), "{query}");
            let words = c.leaves[tree..]
                .iter()
                .map(|l| {
                    let mut words = Vec::new();
                    l.queries[0]
                        .query_terms(&mut |t, _| words.push(t.value().as_str().unwrap_or("?").to_string()));
                    words.join(" ")
                })
                .collect();
            (words, tree)
        };
        assert_eq!(near("drone strikes"), (vec!["drone strike".to_string()], 2));
        assert_eq!(near("oil OR prices OR fell").0, ["oil price", "price fell"]);
        // Only unscoped single words pair up: not across a phrase, a field,
        // a prefix or a group, and nothing under a negation.
        assert_eq!(near("oil \"crude price\" fell").0, Vec::<String>::new());
        assert_eq!(near("oil title:price fell").0, Vec::<String>::new());
        assert_eq!(near("oil pri* fell").0, Vec::<String>::new());
        assert_eq!(near("oil (price OR cost)").0, ["price cost"]);
        assert_eq!(near("-(oil price) gas").0, Vec::<String>::new());
        assert_eq!(near("drone").0, Vec::<String>::new());
    }
}
