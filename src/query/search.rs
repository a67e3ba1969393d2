//! Running a search: leaves → article sets → ranking → a page of hits.

use crate::query::collect::{KeyMap, KeySet};

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::collect::{ArticleMatches, Match};
use super::compile::{Compiled, Node, analyze, compile};
use super::facets::count_facets;
use super::highlight::highlight;
use super::syntax::{self, SyntaxError};
use super::{
    Filters, Hit, MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES, PassageHit, SearchRequest, SearchResults, Sort,
};
use crate::article::EntityKind;
use crate::error::{Error, Result};
use crate::index::document::{day_to_tantivy, tantivy_to_day};
use crate::index::schema::{KIND_ARTICLE, KIND_PASSAGE, NAME_TOKENIZER, name_key};
use crate::index::{Fields, NewsIndex};

/// What the search knows about one matching article while ranking.
#[derive(Debug, Clone)]
struct Candidate {
    key: u64,
    /// A document of the article, to read its date and facets from.
    representative: DocAddress,
    score: f32,
    /// Its best passages so far: (score, address), best first.
    passages: Vec<(f32, DocAddress)>,
    day: Option<i64>,
}

/// Runs a search request against an index.
pub fn search(index: &NewsIndex, req: &SearchRequest) -> Result<SearchResults> {
    check_request(req)?;
    let expr = syntax::parse(&req.query)?;
    let searcher = index.searcher();
    let fields = index.fields();
    let filter = filter_query(fields, &searcher, &req.filters)?;
    let err = |e| index.err(e);

    let (mut candidates, highlight_terms) = match &expr {
        None => (
            listing(&searcher, fields, filter.as_deref()).map_err(err)?,
            Default::default(),
        ),
        Some(expr) => {
            let compiled = compile(expr, fields, &searcher).map_err(err)?;
            if compiled.root == Node::Nothing {
                return Err(SyntaxError {
                    query: req.query.clone(),
                    column: 1,
                    message: "the query has no words to search for".into(),
                }
                .into());
            }
            let found =
                matching(&searcher, fields, filter.as_deref(), &compiled, req.passages).map_err(err)?;
            (found, compiled.highlight_terms)
        }
    };

    let dates = DateReader::new(&searcher);
    let offsets = PassageReader::new(&searcher);
    for c in candidates.iter_mut() {
        c.day = dates.day(c.representative);
    }
    let sort = if expr.is_none() && req.sort == Sort::Relevance {
        Sort::Newest
    } else {
        req.sort
    };
    rank(&mut candidates, sort, req.offset.saturating_add(req.limit));

    let total = candidates.len();
    let facets = if req.facets {
        let reps: Vec<DocAddress> = candidates.iter().map(|c| c.representative).collect();
        Some(count_facets(&searcher, fields, &reps, req.facet_limit).map_err(err)?)
    } else {
        None
    };

    let mut analyzer = index.tantivy().tokenizer_for_field(fields.text).map_err(err)?;
    let mut hits = Vec::new();
    for (i, c) in candidates.iter().enumerate().skip(req.offset).take(req.limit) {
        let key_term = Term::from_field_u64(fields.article_key, c.key);
        let Some(stored) = index.stored_where(&searcher, key_term)? else {
            continue;
        };
        let body = &stored.article.body;
        let passage_hits = if c.passages.is_empty() {
            // A listing, or an article matched only by filters and exclusions: its lead.
            stored
                .passages
                .iter()
                .take(req.passages)
                .enumerate()
                .map(|(n, p)| (n, p.start, p.end, 0.0))
                .collect::<Vec<_>>()
        } else {
            c.passages
                .iter()
                .filter_map(|&(score, addr)| offsets.read(addr).map(|(n, s, e)| (n, s, e, score)))
                .collect()
        };
        let passages = passage_hits
            .into_iter()
            .filter_map(|(number, start, end, score)| {
                let text = body.get(start..end)?.to_string();
                let highlights = highlight(&mut analyzer, &highlight_terms, &text);
                Some(PassageHit {
                    number,
                    start,
                    end,
                    text,
                    score,
                    highlights,
                })
            })
            .collect();
        hits.push(Hit {
            rank: i + 1,
            score: c.score,
            article: stored.article,
            passages,
        });
    }
    Ok(SearchResults { total, hits, facets })
}

fn check_request(req: &SearchRequest) -> Result<()> {
    if req.limit > MAX_LIMIT {
        return Err(Error::BadFilter(format!(
            "--limit {} is over the maximum of {MAX_LIMIT}",
            req.limit
        )));
    }
    if req.offset > MAX_OFFSET {
        return Err(Error::BadFilter(format!(
            "--offset {} is over the maximum of {MAX_OFFSET}",
            req.offset
        )));
    }
    if req.passages > MAX_PASSAGES {
        return Err(Error::BadFilter(format!(
            "--passages {} is over the maximum of {MAX_PASSAGES}",
            req.passages
        )));
    }
    if let (Some(from), Some(to)) = (req.filters.from, req.filters.to)
        && from > to
    {
        return Err(Error::BadFilter(format!(
            "the date range is empty: {from} is after {to}"
        )));
    }
    Ok(())
}

/// All articles the filters keep, unscored: the empty query.
fn listing(
    searcher: &Searcher,
    fields: &Fields,
    filter: Option<&dyn Query>,
) -> tantivy::Result<Vec<Candidate>> {
    let query = restrict(fields, KIND_ARTICLE, None, filter);
    let matches = searcher.search(&query, &ArticleMatches { scored: false })?;
    Ok(matches
        .into_iter()
        .map(|(key, addr, _)| Candidate {
            key,
            representative: addr,
            score: 0.0,
            passages: Vec::new(),
            day: None,
        })
        .collect())
}

/// Runs every leaf, applies the boolean tree per article, and scores passages.
fn matching(
    searcher: &Searcher,
    fields: &Fields,
    filter: Option<&dyn Query>,
    compiled: &Compiled,
    keep_passages: usize,
) -> tantivy::Result<Vec<Candidate>> {
    let mut leaf_sets: Vec<KeySet> = Vec::with_capacity(compiled.leaves.len());
    let mut representative: KeyMap<DocAddress> = KeyMap::default();
    // By passage address (segment, doc) packed in a u64.
    let mut passage_scores: KeyMap<(u64, f32)> = KeyMap::default();
    for leaf in &compiled.leaves {
        let query = restrict(fields, KIND_PASSAGE, Some(leaf.query.box_clone()), filter);
        let matches: Vec<Match> = searcher.search(&query, &ArticleMatches { scored: leaf.scored })?;
        let mut set = KeySet::default();
        set.reserve(matches.len());
        for (key, addr, score) in matches {
            set.insert(key);
            representative.entry(key).or_insert(addr);
            if leaf.scored {
                passage_scores.entry(pack(addr)).or_insert((key, 0.0)).1 += score;
            }
        }
        leaf_sets.push(set);
    }
    let mut universe: Option<KeySet> = None;
    let mut universe_reps: KeyMap<DocAddress> = KeyMap::default();
    let mut get_universe = || -> tantivy::Result<KeySet> {
        if universe.is_none() {
            let all = listing(searcher, fields, filter)?;
            universe_reps = all.iter().map(|c| (c.key, c.representative)).collect();
            universe = Some(all.iter().map(|c| c.key).collect());
        }
        Ok(universe.clone().unwrap_or_default())
    };
    let matched = evaluate(&compiled.root, &leaf_sets, &mut get_universe)?;

    let mut by_article: KeyMap<Candidate> = KeyMap::default();
    by_article.reserve(matched.len());
    for (packed, (key, score)) in passage_scores {
        let addr = unpack(packed);
        if !matched.contains(&key) {
            continue;
        }
        let c = by_article.entry(key).or_insert_with(|| Candidate {
            key,
            representative: addr,
            score: f32::MIN,
            passages: Vec::new(),
            day: None,
        });
        c.score = c.score.max(score);
        c.passages.push((score, addr));
    }
    for c in by_article.values_mut() {
        c.passages.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        c.passages.truncate(keep_passages);
    }
    for key in matched {
        by_article.entry(key).or_insert_with(|| Candidate {
            key,
            representative: representative
                .get(&key)
                .or_else(|| universe_reps.get(&key))
                .copied()
                .unwrap_or(DocAddress::new(0, 0)),
            score: 0.0,
            passages: Vec::new(),
            day: None,
        });
    }
    Ok(by_article.into_values().collect())
}

/// The articles a node matches.
fn evaluate(
    node: &Node,
    leaves: &[KeySet],
    universe: &mut dyn FnMut() -> tantivy::Result<KeySet>,
) -> tantivy::Result<KeySet> {
    Ok(match node {
        Node::Leaf(i) => leaves.get(*i).cloned().unwrap_or_default(),
        Node::Nothing => KeySet::default(),
        Node::Or(parts) => {
            let mut out = KeySet::default();
            for p in parts {
                out.extend(evaluate(p, leaves, universe)?);
            }
            out
        }
        Node::Not(inner) => {
            let excluded = evaluate(inner, leaves, universe)?;
            universe()?
                .into_iter()
                .filter(|k| !excluded.contains(k))
                .collect()
        }
        Node::And(parts) => {
            let (negative, positive): (Vec<&Node>, Vec<&Node>) =
                parts.iter().partition(|p| matches!(p, Node::Not(_)));
            let mut sets = positive
                .iter()
                .map(|p| evaluate(p, leaves, universe))
                .collect::<tantivy::Result<Vec<_>>>()?;
            sets.sort_by_key(KeySet::len);
            let mut out = match sets.first() {
                Some(smallest) => smallest.clone(),
                None => universe()?,
            };
            for s in sets.iter().skip(1) {
                out.retain(|k| s.contains(k));
            }
            for n in negative {
                if let Node::Not(inner) = n {
                    let excluded = evaluate(inner, leaves, universe)?;
                    out.retain(|k| !excluded.contains(k));
                }
            }
            out
        }
    })
}

/// Orders the first `top` candidates (the rest stay in no order: only
/// their count and facets are needed).
fn rank(candidates: &mut [Candidate], sort: Sort, top: usize) {
    // Undated articles sort last whichever way dates run.
    let by_date = |a: &Candidate, b: &Candidate, newest: bool| match (a.day, b.day) {
        (Some(x), Some(y)) if newest => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    let order = |a: &Candidate, b: &Candidate| {
        let primary = match sort {
            Sort::Relevance => b.score.total_cmp(&a.score).then_with(|| by_date(a, b, true)),
            Sort::Newest => by_date(a, b, true).then_with(|| b.score.total_cmp(&a.score)),
            Sort::Oldest => by_date(a, b, false).then_with(|| b.score.total_cmp(&a.score)),
        };
        primary.then(a.key.cmp(&b.key))
    };
    if top == 0 {
        return;
    }
    if top < candidates.len() {
        candidates.select_nth_unstable_by(top - 1, order);
    }
    let end = top.min(candidates.len());
    candidates[..end].sort_unstable_by(order);
}

/// A document address as one u64 (segment in the high half).
fn pack(addr: DocAddress) -> u64 {
    (u64::from(addr.segment_ord) << 32) | u64::from(addr.doc_id)
}

fn unpack(packed: u64) -> DocAddress {
    DocAddress::new((packed >> 32) as u32, packed as u32)
}

/// `inner` (or everything) restricted to one kind of document and the filters;
/// only `inner` contributes to the score.
fn restrict(
    fields: &Fields,
    kind: &str,
    inner: Option<Box<dyn Query>>,
    filter: Option<&dyn Query>,
) -> BooleanQuery {
    let kind_q = TermQuery::new(Term::from_field_text(fields.kind, kind), IndexRecordOption::Basic);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(ConstScoreQuery::new(Box::new(kind_q), 0.0)))];
    if let Some(q) = inner {
        clauses.push((Occur::Must, q));
    }
    if let Some(f) = filter {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f.box_clone(), 0.0))));
    }
    BooleanQuery::new(clauses)
}

/// The filters as one query, or `None` when nothing is filtered.
fn filter_query(fields: &Fields, searcher: &Searcher, f: &Filters) -> Result<Option<Box<dyn Query>>> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if f.from.is_some() || f.to.is_some() {
        use std::ops::Bound;
        let lower = f.from.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_date(fields.date, day_to_tantivy(d)))
        });
        let upper = match f.to {
            None => Bound::Unbounded,
            Some(d) => match d.succ_opt() {
                Some(next) => Bound::Excluded(Term::from_field_date(fields.date, day_to_tantivy(next))),
                None => Bound::Unbounded,
            },
        };
        must.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    for (names, field) in [(&f.topics, fields.topic.key)] {
        if names.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = names
            .iter()
            .map(|s| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(field, &name_key(s));
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                )
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if !f.sources.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = f
            .sources
            .iter()
            .map(|s| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(
                    fields.source.key,
                    &name_key(&crate::enrich::source::normalize_source(
                        s,
                        &crate::enrich::Aliases::builtin(),
                    )),
                );
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                )
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    let mut analyzer = searcher
        .index()
        .tokenizers()
        .get(NAME_TOKENIZER)
        .ok_or_else(|| Error::BadFilter(format!("no tokenizer {NAME_TOKENIZER}")))?;
    let kinds: [(&[String], &[EntityKind]); 4] = [
        (&f.persons, &[EntityKind::Person]),
        (&f.orgs, &[EntityKind::Org]),
        (&f.places, &[EntityKind::Place]),
        (&f.entities, &EntityKind::ALL),
    ];
    for (names, kinds) in kinds {
        for name in names {
            let words = analyze(&mut analyzer, name);
            if words.is_empty() {
                return Err(Error::BadFilter(format!(
                    "the entity filter {name:?} has no words in it"
                )));
            }
            let any: Vec<(Occur, Box<dyn Query>)> = kinds
                .iter()
                .map(|k| (Occur::Should, name_query(fields.entity(*k).text, &words)))
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
    }
    Ok((!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>))
}

/// A name's words in order, inside one value of a name field.
fn name_query(field: Field, words: &[String]) -> Box<dyn Query> {
    if words.len() == 1 {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &words[0]),
            IndexRecordOption::Basic,
        ))
    } else {
        Box::new(PhraseQuery::new(
            words.iter().map(|w| Term::from_field_text(field, w)).collect(),
        ))
    }
}

/// Reads the day of a document from the date column, per segment.
struct DateReader {
    columns: Vec<Option<tantivy::columnar::Column<tantivy::DateTime>>>,
}

impl DateReader {
    fn new(searcher: &Searcher) -> DateReader {
        DateReader {
            columns: searcher
                .segment_readers()
                .iter()
                .map(|r| r.fast_fields().date("date").ok())
                .collect(),
        }
    }

    /// Days since the epoch, for sorting.
    fn day(&self, addr: DocAddress) -> Option<i64> {
        let col = self.columns.get(addr.segment_ord as usize)?.as_ref()?;
        let date = col.first(addr.doc_id)?;
        tantivy_to_day(date).map(|d| d.signed_duration_since(chrono::NaiveDate::MIN).num_days())
    }
}

/// Reads a passage's number and byte range from its fast fields.
struct PassageReader {
    columns: Vec<Option<[tantivy::columnar::Column<u64>; 3]>>,
}

impl PassageReader {
    fn new(searcher: &Searcher) -> PassageReader {
        PassageReader {
            columns: searcher
                .segment_readers()
                .iter()
                .map(|r| {
                    let ff = r.fast_fields();
                    Some([
                        ff.u64("passage_no").ok()?,
                        ff.u64("start").ok()?,
                        ff.u64("end").ok()?,
                    ])
                })
                .collect(),
        }
    }

    fn read(&self, addr: DocAddress) -> Option<(usize, usize, usize)> {
        let [n, s, e] = self.columns.get(addr.segment_ord as usize)?.as_ref()?;
        let d = addr.doc_id;
        Some((n.first(d)? as usize, s.first(d)? as usize, e.first(d)? as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Provenance, PubDate, Source, SourceOrigin};

    #[test]
    fn ranking_the_top_agrees_with_ranking_all() {
        let candidates: Vec<Candidate> = (0..200u64)
            .map(|i| Candidate {
                key: i.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                representative: DocAddress::new(0, i as u32),
                score: (i % 7) as f32,
                passages: Vec::new(),
                day: (i % 5 != 0).then_some((i % 28) as i64),
            })
            .collect();
        for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
            let mut all = candidates.clone();
            rank(&mut all, sort, usize::MAX);
            for top in [0, 1, 10, 199, 200, 500] {
                let mut some = candidates.clone();
                rank(&mut some, sort, top);
                let n = top.min(200);
                let keys = |c: &[Candidate]| c.iter().map(|c| c.key).collect::<Vec<_>>();
                assert_eq!(keys(&some[..n]), keys(&all[..n]), "{sort:?} top {top}");
            }
        }
    }

    fn article(id: &str, day: Option<&str>, source: &str, body: &str) -> Article {
        let mut a = Article::new(id, body, Provenance::file(format!("{id}.txt")));
        a.date = day.map(|d| PubDate::day(d.parse().unwrap()));
        a.source = Some(Source {
            name: source.into(),
            origin: SourceOrigin::Given,
        });
        a
    }

    fn fixture() -> NewsIndex {
        let index = NewsIndex::in_ram().unwrap();
        let mut w = index.indexer().unwrap();
        let long_gap = "filler words about nothing in particular ".repeat(12);
        let docs = [
            article(
                "a",
                Some("2023-05-25"),
                "CNN",
                &format!("A drone hit the Kremlin.\n\n{long_gap}\n\nPeskov spoke."),
            ),
            article(
                "b",
                Some("2023-05-31"),
                "BBC",
                "Drones flew over Moscow at night.",
            ),
            article("c", Some("2023-06-01"), "CNN", "The Kremlin denied everything."),
            article("d", None, "Reuters", "A drone show in Sydney."),
        ];
        for a in &docs {
            w.upsert(a).unwrap();
        }
        w.commit().unwrap();
        index
    }

    fn ids(index: &NewsIndex, req: SearchRequest) -> Vec<String> {
        search(index, &req)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.article.id)
            .collect()
    }

    fn q(query: &str) -> SearchRequest {
        SearchRequest::new(query)
    }

    #[test]
    fn boolean_logic_applies_to_articles_not_passages() {
        let index = fixture();
        // "drone" and "Peskov" stand in different passages of article a.
        assert_eq!(ids(&index, q("drone peskov")), vec!["a"]);
        let mut got = ids(&index, q("drone -kremlin"));
        got.sort();
        assert_eq!(got, vec!["b", "d"]);
        let mut got = ids(&index, q("moscow OR sydney"));
        got.sort();
        assert_eq!(got, vec!["b", "d"]);
        assert_eq!(ids(&index, q("-drone")), vec!["c"]);
        assert_eq!(ids(&index, q("\"drone hit\"")), vec!["a"]);
        assert_eq!(ids(&index, q("kreml*")).len(), 2);
        assert_eq!(ids(&index, q("source:bbc")), vec!["b"]);
    }

    #[test]
    fn date_and_source_filters() {
        let index = fixture();
        let mut r = q("");
        r.filters.to = "2023-05-31".parse().ok();
        assert_eq!(ids(&index, r.clone()), vec!["b", "a"]);
        r.filters.from = "2023-05-26".parse().ok();
        assert_eq!(ids(&index, r), vec!["b"]);
        let mut r = q("");
        r.filters.sources = vec!["cnn".into()];
        assert_eq!(ids(&index, r), vec!["c", "a"]);
    }

    #[test]
    fn listing_is_newest_first_with_undated_last() {
        let index = fixture();
        assert_eq!(ids(&index, q("")), vec!["c", "b", "a", "d"]);
        let mut r = q("");
        r.sort = Sort::Oldest;
        assert_eq!(ids(&index, r), vec!["a", "b", "c", "d"]);
    }

    #[test]
    fn pages_and_totals() {
        let index = fixture();
        let mut r = q("");
        r.limit = 2;
        r.offset = 1;
        let res = search(&index, &r).unwrap();
        assert_eq!(res.total, 4);
        let got: Vec<_> = res.hits.iter().map(|h| (h.rank, h.article.id.as_str())).collect();
        assert_eq!(got, vec![(2, "b"), (3, "a")]);
    }

    #[test]
    fn best_passages_come_with_highlights() {
        let index = fixture();
        let res = search(&index, &q("drone")).unwrap();
        let a = res.hits.iter().find(|h| h.article.id == "a").unwrap();
        let p = &a.passages[0];
        assert_eq!(p.number, 0);
        assert_eq!(&p.text[p.highlights[0].clone()], "drone");
        assert!(p.score > 0.0);
    }

    #[test]
    fn a_query_of_punctuation_is_an_error() {
        let index = fixture();
        assert!(search(&index, &q("—")).is_err());
    }
}
