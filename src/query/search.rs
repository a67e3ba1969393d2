//! Running a search: per segment, leaves → article bitsets → the boolean
//! tree → scored candidates; then ranking across segments, and a page of
//! hits with their best passages.

use std::cmp::Ordering;
use std::ops::Range;

use rayon::prelude::*;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::bits::DocBits;
use super::clusters::{Clusters, Member};
use super::collect::{Scored, SegmentScores, SegmentView};
use super::compile::{Node, analyze, compile};
use super::derived::{Derived, derived};
use super::facets::count_facets;
use super::highlight::{highlight, with_field_analyzer};
use super::syntax::{self, SyntaxError};
use super::{
    DayCounts, Explanation, Filters, Hit, MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES, PassageHit, ScorePart,
    SearchRequest, SearchResults, Sort,
};
use crate::article::EntityKind;
use crate::error::{Error, Result};
use crate::index::document::{day_to_tantivy, tantivy_to_day};
use crate::index::schema::{KIND_ARTICLE, NAME_TOKENIZER, name_key};
use crate::index::{Fields, NewsIndex};

/// What the search knows about one matching article while ranking.
#[derive(Debug, Clone)]
struct Candidate {
    /// Its article document.
    addr: DocAddress,
    /// The hash of its id: a tie-breaker that stays put when segments merge
    /// (read by [`rank`] for the few candidates whose order it decides).
    key: u64,
    /// Its best passage's score, plus [`OTHER_PASSAGES`] of its other
    /// matching passages', plus its article document's (title, names).
    score: f32,
    /// Its publication day, in seconds since 1970, for sorting (read for
    /// every candidate when sorting by date, else by [`rank`] for ties).
    date: Option<i64>,
    /// Its scored passages: a range of its segment's passage list.
    passages: Range<u32>,
    /// How many near-duplicates of it match and are folded into it.
    similar: u32,
    /// The number of its near-duplicate cluster, when results are
    /// collapsed and it is in one; `NO_GROUP` otherwise.
    group: u32,
}

/// [`Candidate::group`] of a candidate that stands for itself alone.
const NO_GROUP: u32 = u32::MAX;

/// How much an article's other matching passages add to its best one's
/// score: an article that answers in several places is a little more
/// likely to be about the query than one that mentions it once.
///
/// Measured with `newsdex eval` (README, "Ranking"): against the best
/// passage alone, 0.1 raised MAP from 0.4180 to 0.4239 and nDCG@10 from
/// 0.5671 to 0.5919 on Reuters-21578's topics (news), and MAP from 0.2928
/// to 0.2949 on Cranfield; 0.25 already lowered both, and 0.5 by much.
pub const OTHER_PASSAGES: f32 = 0.1;

/// What one segment contributes to a search.
#[derive(Default)]
struct SegmentMatches {
    /// How many of its articles match.
    total: usize,
    /// Their article documents, when facets are counted.
    docs: Vec<DocId>,
    /// The candidates that can still make the page (see [`pool`]).
    candidates: Vec<Candidate>,
    /// The candidates' scored passages, by document id.
    passages: Vec<Scored>,
    /// When results are collapsed: the clusters whose original matches,
    /// by number ...
    originals: Vec<u32>,
    /// ... and the matching copies (see [`fold`]).
    copies: Vec<Folded>,
}

/// A matching copy of a cluster's original: what [`fold`] needs of it.
#[derive(Debug, Clone, Copy)]
struct Folded {
    cluster: u32,
    doc: DocId,
    score: f32,
    passages: (u32, u32),
}

/// A request's weights, shared by every segment.
struct Plan<'a> {
    /// The filters, matching article documents.
    filter: Option<Box<dyn Weight>>,
    /// The boolean tree and its leaves, or `None` to list articles.
    query: Option<(Node, Vec<LeafWeight>)>,
    /// How results are ordered.
    sort: Sort,
    /// How many results the page needs, counting those it skips.
    top: usize,
    /// Whether every match's document is kept (to count facets or days).
    every: bool,
    /// The date range kept, in seconds since 1970 (end excluded).
    dates: Option<(i64, i64)>,
    /// The clusters to collapse, when results are collapsed and there are
    /// any.
    collapse: Option<&'a Clusters>,
    /// Only these articles: one near-duplicate cluster, or one article.
    only: Option<Only<'a>>,
}

/// The articles a search is limited to (`--similar ID`).
#[derive(Debug, Clone, Copy)]
enum Only<'a> {
    /// The members of a cluster.
    Cluster(&'a Clusters, u32),
    /// One article in no cluster.
    Article(DocAddress),
}

/// A leaf of the boolean tree, ready to run on segments.
struct LeafWeight {
    /// One weight per field the leaf searches.
    weights: Vec<Box<dyn Weight>>,
    /// What each weight looks for (`field:word ...`), for explanations.
    labels: Vec<String>,
    /// Whether its scores count (false under a negation).
    scored: bool,
    /// Whether it is a prefix (many words, costly to skip through).
    prefix: bool,
    /// Whether it only adds to scores (see [`super::compile::Leaf::near`]).
    near: bool,
}

/// Runs a search request against an index.
pub fn search(index: &NewsIndex, req: &SearchRequest) -> Result<SearchResults> {
    let expr = syntax::parse(&req.query)?;
    search_parsed(index, req, expr)
}

/// Runs a request whose query is already parsed (`req.query` is only
/// quoted in errors).
pub(crate) fn search_parsed(
    index: &NewsIndex,
    req: &SearchRequest,
    expr: Option<syntax::Expr>,
) -> Result<SearchResults> {
    check_request(req)?;
    let searcher = index.searcher();
    let fields = index.fields();
    let err = |e| index.err(e);
    let unscored = EnableScoring::disabled_from_searcher(&searcher);

    let (query, highlight_terms) = match &expr {
        None => (None, Default::default()),
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
            let scored = EnableScoring::enabled_from_searcher(&searcher);
            // Leaves that only add to scores are no use to other orders.
            let near = req.proximity && req.sort == Sort::Relevance;
            let weights = compiled
                .leaves
                .iter()
                .filter(|leaf| near || !leaf.near)
                .map(|leaf| {
                    let scoring = if leaf.scored { scored } else { unscored };
                    Ok(LeafWeight {
                        weights: leaf
                            .queries
                            .iter()
                            .map(|q| q.weight(scoring))
                            .collect::<tantivy::Result<_>>()?,
                        labels: leaf
                            .queries
                            .iter()
                            .map(|q| {
                                let words = label(&searcher, q.as_ref());
                                if leaf.near {
                                    format!("near: {words}")
                                } else {
                                    words
                                }
                            })
                            .collect(),
                        scored: leaf.scored,
                        prefix: leaf.prefix,
                        near: leaf.near,
                    })
                })
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(err)?;
            (Some((compiled.root, weights)), compiled.highlight_terms)
        }
    };
    let sort = if expr.is_none() && req.sort == Sort::Relevance {
        Sort::Newest
    } else {
        req.sort
    };
    // Segments share nothing until ranking: one per core.
    let derived = derived(index, &searcher)?;
    let only = match &req.filters.cluster {
        Some(id) => Some(only_cluster(index, &searcher, &derived, id)?),
        None => None,
    };
    let clusters = (req.collapse && only.is_none())
        .then(|| derived.clusters(&searcher))
        .filter(|c| !c.is_empty());
    let plan = Plan {
        sort,
        top: req.offset.saturating_add(req.limit),
        every: req.facets || req.days,
        dates: date_bounds(&req.filters),
        collapse: clusters,
        only,
        filter: filter_query(fields, &searcher, &req.filters)?
            .map(|q| q.weight(unscored))
            .transpose()
            .map_err(err)?,
        query,
    };
    if sort != Sort::Relevance || plan.dates.is_some() || req.days {
        derived.load_dates(&searcher);
    }
    let columns = SortColumns::new(&searcher, &derived);
    let mut segments = searcher
        .segment_readers()
        .par_iter()
        .enumerate()
        .map(|(ord, reader)| segment_matches(&plan, ord as SegmentOrdinal, reader, &derived, &columns))
        .collect::<tantivy::Result<Vec<SegmentMatches>>>()
        .map_err(err)?;

    let docs: Vec<(SegmentOrdinal, Vec<DocId>)> = segments
        .iter_mut()
        .enumerate()
        .map(|(ord, s)| (ord as SegmentOrdinal, std::mem::take(&mut s.docs)))
        .collect();
    let days = req.days.then(|| day_counts(&derived, &docs));
    let facets = if req.facets {
        Some(count_facets(&searcher, fields, &derived, &docs, req.facet_limit).map_err(err)?)
    } else {
        None
    };
    let total = segments.iter().map(|s| s.total).sum();
    let mut candidates = Vec::with_capacity(segments.iter().map(|s| s.candidates.len()).sum());
    let mut passages = Vec::with_capacity(segments.len());
    let (mut originals, mut copies) = (Vec::new(), Vec::new());
    for (ord, s) in segments.into_iter().enumerate() {
        candidates.extend(s.candidates);
        passages.push(s.passages);
        originals.extend(s.originals);
        copies.push((ord as SegmentOrdinal, s.copies));
    }
    let collapsed = match plan.collapse {
        Some(clusters) => fold(clusters.count, &originals, &copies, &mut candidates, &columns),
        None => 0,
    };
    rank(&mut candidates, sort, plan.top, &|c| columns.fill(c));

    // The page's articles are read and highlighted on all cores.
    let page = Page {
        index,
        searcher: &searcher,
        passages: &passages,
        highlight_terms: &highlight_terms,
        per_hit: req.passages,
        explain: req
            .explain
            .then_some(plan.query.as_ref().map(|(_, leaves)| leaves.as_slice()))
            .flatten(),
    };
    let hits = candidates
        .iter()
        .enumerate()
        .skip(req.offset)
        .take(req.limit)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(i, c)| {
            with_field_analyzer(index.tantivy(), fields.text, |analyzer| {
                page.hit(analyzer, i + 1, c)
            })
            .map_err(err)?
        })
        .collect::<Result<Vec<Option<Hit>>>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(SearchResults {
        total,
        collapsed,
        hits,
        facets,
        days,
    })
}

/// Folds matching copies into their clusters: a copy is shown by its
/// cluster's original when that matches, and where it does not, the
/// earliest matching copy shows instead (added to `candidates`). Each shown
/// article of a cluster counts the others as similar. Returns how many
/// matches were folded away.
fn fold(
    clusters: usize,
    originals: &[u32],
    copies: &[(SegmentOrdinal, Vec<Folded>)],
    candidates: &mut Vec<Candidate>,
    columns: &SortColumns,
) -> usize {
    // Per cluster: matching copies, and whether its original matches.
    const SHOWN: u32 = 1 << 31;
    let mut state = vec![0u32; clusters];
    for &n in originals {
        if let Some(s) = state.get_mut(n as usize) {
            *s |= SHOWN;
        }
    }
    // Clusters shown by a copy: where it stands in `candidates`.
    let mut instead: std::collections::HashMap<u32, usize> = Default::default();
    let mut away = 0;
    for (segment, list) in copies {
        for copy in list {
            let Some(s) = state.get_mut(copy.cluster as usize) else {
                continue;
            };
            *s += 1;
            if *s & SHOWN != 0 {
                away += 1;
                continue;
            }
            let mut c = Candidate {
                addr: DocAddress::new(*segment, copy.doc),
                key: 0,
                score: copy.score,
                date: None,
                passages: copy.passages.0..copy.passages.1,
                similar: 0,
                group: copy.cluster,
            };
            columns.fill(&mut c);
            match instead.get(&copy.cluster).and_then(|&i| candidates.get_mut(i)) {
                None => {
                    instead.insert(copy.cluster, candidates.len());
                    candidates.push(c);
                }
                Some(e) => {
                    away += 1;
                    if Order::by_date(&c, e, false).then(c.key.cmp(&e.key)) == Ordering::Less {
                        *e = c;
                    }
                }
            }
        }
    }
    for c in candidates.iter_mut() {
        if let Some(&s) = state.get(c.group as usize) {
            let copy = instead.contains_key(&c.group);
            c.similar = (s & !SHOWN) - u32::from(copy);
        }
    }
    away
}

/// What `--similar ID` limits a search to: the article's cluster, or the
/// article alone when it is in none.
fn only_cluster<'a>(
    index: &NewsIndex,
    searcher: &Searcher,
    derived: &'a Derived,
    id: &str,
) -> Result<Only<'a>> {
    let addr = index
        .address_of(searcher, id)?
        .ok_or_else(|| Error::UnknownId(id.to_string()))?;
    let clusters = derived.clusters(searcher);
    Ok(match clusters.of(addr.segment_ord, addr.doc_id) {
        Some(member) => Only::Cluster(clusters, member.cluster()),
        None => Only::Article(addr),
    })
}

/// How many of the matched articles fall on each day (dates loaded).
fn day_counts(derived: &Derived, docs: &[(SegmentOrdinal, Vec<DocId>)]) -> DayCounts {
    let mut counts = DayCounts::default();
    for (segment, docs) in docs {
        for &doc in docs {
            let day = derived
                .date(*segment, doc)
                .flatten()
                .and_then(|secs| tantivy_to_day(tantivy::DateTime::from_timestamp_secs(secs)));
            match day {
                Some(day) => *counts.days.entry(day).or_default() += 1,
                None => counts.undated += 1,
            }
        }
    }
    counts
}

/// What turning a candidate into a hit needs.
struct Page<'a> {
    index: &'a NewsIndex,
    searcher: &'a Searcher,
    /// The scored passages, by segment.
    passages: &'a [Vec<Scored>],
    highlight_terms: &'a std::collections::BTreeSet<String>,
    /// How many passages to show per hit.
    per_hit: usize,
    /// The query's leaves, when hits explain their scores.
    explain: Option<&'a [LeafWeight]>,
}

impl Page<'_> {
    /// The hit at `rank`: its stored article and best passages, highlighted.
    fn hit(&self, analyzer: &mut TextAnalyzer, rank: usize, c: &Candidate) -> Result<Option<Hit>> {
        let Some(stored) = self.index.stored_at(self.searcher, c.addr)? else {
            return Ok(None);
        };
        let mut top = None;
        let best: Vec<(usize, f32)> = match self.passages.get(c.addr.segment_ord as usize) {
            Some(list) if !c.passages.is_empty() => {
                let range = c.passages.start as usize..c.passages.end as usize;
                let mut scored = list.get(range).unwrap_or_default().to_vec();
                scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
                top = scored.first().copied();
                scored
                    .iter()
                    .take(self.per_hit)
                    .map(|p| ((p.doc - p.article - 1) as usize, p.score))
                    .collect()
            }
            // A listing, or an article matched by its title, its names or
            // exclusions only: its lead.
            _ => (0..stored.passages.len().min(self.per_hit))
                .map(|n| (n, 0.0))
                .collect(),
        };
        let body = &stored.article.body;
        let passages = best
            .into_iter()
            .filter_map(|(number, score)| {
                let p = stored.passages.get(number)?;
                let text = body.get(p.start..p.end)?.to_string();
                let highlights = highlight(analyzer, self.highlight_terms, &text);
                Some(PassageHit {
                    number,
                    start: p.start,
                    end: p.end,
                    text,
                    score,
                    highlights,
                })
            })
            .collect();
        let explanation = self.explain.map(|leaves| {
            let reader = self.searcher.segment_reader(c.addr.segment_ord);
            let article = score_parts(leaves, reader, c.addr.doc_id);
            let others = self
                .passages
                .get(c.addr.segment_ord as usize)
                .and_then(|list| list.get(c.passages.start as usize..c.passages.end as usize))
                .unwrap_or_default();
            let other_sum = others.iter().map(|p| p.score).sum::<f32>() - top.map_or(0.0, |p| p.score);
            Explanation {
                others: (others.len().saturating_sub(1), OTHER_PASSAGES * other_sum + 0.0),
                passage: top.map(|p| {
                    let number = (p.doc - p.article - 1) as usize;
                    (number, p.score, score_parts(leaves, reader, p.doc))
                }),
                // (+ 0.0: an empty sum is -0.0.)
                article: (article.iter().map(|p| p.score).sum::<f32>() + 0.0, article),
            }
        });
        Ok(Some(Hit {
            rank,
            score: c.score,
            article: stored.article,
            similar: c.similar as usize,
            passages,
            explanation,
        }))
    }
}

/// The parts of one document's score: each scored leaf's weights that
/// match it, with tantivy's account of each.
fn score_parts(leaves: &[LeafWeight], reader: &tantivy::SegmentReader, doc: DocId) -> Vec<ScorePart> {
    leaves
        .iter()
        .filter(|leaf| leaf.scored)
        .flat_map(|leaf| leaf.weights.iter().zip(&leaf.labels))
        .filter_map(|(weight, label)| {
            // tantivy's phrase explanation assumes the document matches (it
            // seeks backwards otherwise): ask a scorer first.
            let mut scorer = weight.scorer(reader, 1.0).ok()?;
            if scorer.doc() > doc || (scorer.doc() < doc && scorer.seek(doc) != doc) {
                return None;
            }
            let explained = weight.explain(reader, doc).ok()?;
            Some(ScorePart {
                what: label.clone(),
                score: explained.value(),
                detail: explained.to_pretty_json(),
            })
        })
        .collect()
}

/// What a leaf's query looks for, as `field:word` (several for a phrase).
fn label(searcher: &Searcher, query: &dyn tantivy::query::Query) -> String {
    let schema = searcher.schema();
    let mut words = Vec::new();
    query.query_terms(&mut |term, _| {
        let field = schema.get_field_name(term.field());
        let value = term.value();
        words.push(format!("{field}:{}", value.as_str().unwrap_or("?")));
    });
    if words.is_empty() {
        "(words by prefix)".to_string()
    } else {
        words.join(" ")
    }
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

/// The articles of one segment that match, with their scores and passages.
fn segment_matches(
    plan: &Plan,
    ord: SegmentOrdinal,
    reader: &SegmentReader,
    derived: &Derived,
    columns: &SortColumns,
) -> tantivy::Result<SegmentMatches> {
    let Some(articles) = derived.articles.get(ord as usize) else {
        return Ok(SegmentMatches::default());
    };
    let view = SegmentView::new(reader, articles);
    let mut allowed = match &plan.filter {
        Some(w) => Some(view.docs(w.as_ref())?),
        None => None,
    };
    if let Some((from, until)) = plan.dates {
        let between = derived.articles_between(ord, from, until);
        match &mut allowed {
            Some(a) => a.intersect(&between),
            None => allowed = Some(between),
        }
    }
    if let Some(only) = plan.only {
        let mut these = DocBits::new(reader.max_doc());
        match only {
            Only::Cluster(clusters, n) => these = clusters.members(ord, n, reader.max_doc()),
            Only::Article(addr) if addr.segment_ord == ord => these.insert(addr.doc_id),
            Only::Article(_) => {}
        }
        match &mut allowed {
            Some(a) => a.intersect(&these),
            None => allowed = Some(these),
        }
    }
    let universe = || {
        let mut all = view.articles().clone();
        if let Some(a) = &allowed {
            all.intersect(a);
        }
        all
    };
    let (matched, passages, heads) = match &plan.query {
        None => (universe(), Vec::new(), Vec::new()),
        Some((root, weights)) => {
            let mut scores = SegmentScores::new(reader.max_doc());
            // An AND of several parts usually matches few articles: find
            // them first, unscored, then score only their documents.
            let narrow = is_narrowing(root, weights);
            // Leaves that only add to scores (at the end) match nothing.
            let tree = weights.iter().take_while(|leaf| !leaf.near);
            let leaves = tree
                .map(|leaf| {
                    let scores = (leaf.scored && !narrow).then_some(&mut scores);
                    view.leaf(&leaf.weights, scores)
                })
                .collect::<tantivy::Result<Vec<DocBits>>>()?;
            let everything = needs_universe(root).then(universe);
            let mut matched = evaluate(root, &leaves, everything.as_ref(), reader.max_doc());
            if let Some(a) = &allowed {
                matched.intersect(a);
            }
            if narrow {
                let few = matched.len();
                for (leaf, found) in weights.iter().zip(&leaves).filter(|(l, _)| l.scored) {
                    // Skipping pays when the leaf matched many more articles.
                    if few * 4 < found.len() {
                        view.score_within(&leaf.weights, &matched, &mut scores)?;
                    } else {
                        view.leaf(&leaf.weights, Some(&mut scores))?;
                    }
                }
            }
            for leaf in weights.iter().filter(|leaf| leaf.near) {
                view.score_within(&leaf.weights, &matched, &mut scores)?;
            }
            let (passages, heads) = view.scored(&scores, &matched);
            (matched, passages, heads)
        }
    };

    let by_date = plan.sort != Sort::Relevance;
    let mut candidates = Vec::with_capacity(matched.len());
    let (mut originals, mut copies) = (Vec::new(), Vec::new());
    if plan.collapse.is_some() {
        copies.reserve(matched.len());
    }
    let (mut p, mut h) = (0, 0);
    for doc in matched.iter() {
        // Both lists run in document order, and an article's passages
        // follow its document: one cursor each.
        let first = p;
        let mut best: Option<f32> = None;
        let mut sum = 0.0f32;
        while let Some(s) = passages.get(p).filter(|s| s.article == doc) {
            sum += s.score;
            best = Some(best.map_or(s.score, |b| b.max(s.score)));
            p += 1;
        }
        let best = best.map(|b| b + OTHER_PASSAGES * (sum - b));
        while heads.get(h).is_some_and(|s| s.doc < doc) {
            h += 1;
        }
        let head = heads.get(h).filter(|s| s.doc == doc).map_or(0.0, |s| s.score);
        let member = plan.collapse.and_then(|clusters| clusters.of(ord, doc));
        let mut c = Candidate {
            addr: DocAddress::new(ord, doc),
            key: 0,
            score: best.unwrap_or(0.0) + head,
            date: None,
            passages: first as u32..p as u32,
            similar: 0,
            group: member.map_or(NO_GROUP, Member::cluster),
        };
        match member {
            // A copy waits for its cluster's original (see `fold`).
            Some(Member::Copy(cluster)) => copies.push(Folded {
                cluster,
                doc,
                score: c.score,
                passages: (c.passages.start, c.passages.end),
            }),
            _ => {
                if by_date {
                    c.date = columns.date(c.addr);
                }
                if let Some(Member::Original(n)) = member {
                    originals.push(n);
                }
                candidates.push(c);
            }
        }
    }
    let total = candidates.len() + copies.len();
    let docs = if plan.every {
        matched.iter().collect()
    } else {
        Vec::new()
    };
    // Only the best `top` of a segment, and their equals, can make the page.
    let fill = |c: &mut Candidate| columns.fill(c);
    let kept = pool(&mut candidates, plan.sort, plan.top, &fill);
    candidates.truncate(kept);
    Ok(SegmentMatches {
        total,
        docs,
        candidates,
        passages,
        originals,
        copies,
    })
}

/// Whether `node` is an `AND` of two or more positive words or phrases,
/// whose articles are best found before anything is scored.
fn is_narrowing(node: &Node, leaves: &[LeafWeight]) -> bool {
    let Node::And(parts) = node else {
        return false;
    };
    let mut positive = parts.iter().filter(|p| !matches!(p, Node::Not(_)));
    let plain = |p: &Node| matches!(p, Node::Leaf(i) if leaves.get(*i).is_some_and(|l| !l.prefix));
    positive.clone().count() >= 2 && positive.all(plain)
}

/// Whether evaluating `node` needs the set of all articles: for a `NOT`,
/// or an `AND` of exclusions only.
fn needs_universe(node: &Node) -> bool {
    match node {
        Node::Leaf(_) | Node::Nothing => false,
        Node::Not(_) => true,
        Node::Or(parts) => parts.iter().any(needs_universe),
        Node::And(parts) => {
            parts.iter().all(|p| matches!(p, Node::Not(_))) || parts.iter().any(needs_universe)
        }
    }
}

/// The articles a node matches in one segment.
fn evaluate(node: &Node, leaves: &[DocBits], universe: Option<&DocBits>, max_doc: u32) -> DocBits {
    let everything = || universe.cloned().unwrap_or_else(|| DocBits::new(max_doc));
    match node {
        Node::Leaf(i) => leaves.get(*i).cloned().unwrap_or_else(|| DocBits::new(max_doc)),
        Node::Nothing => DocBits::new(max_doc),
        Node::Or(parts) => {
            let mut out = DocBits::new(max_doc);
            for p in parts {
                out.unite(&evaluate(p, leaves, universe, max_doc));
            }
            out
        }
        Node::Not(inner) => {
            let mut out = everything();
            out.subtract(&evaluate(inner, leaves, universe, max_doc));
            out
        }
        Node::And(parts) => {
            let mut out: Option<DocBits> = None;
            for p in parts.iter().filter(|p| !matches!(p, Node::Not(_))) {
                let set = evaluate(p, leaves, universe, max_doc);
                match &mut out {
                    Some(o) => o.intersect(&set),
                    None => out = Some(set),
                }
            }
            let mut out = out.unwrap_or_else(everything);
            for p in parts {
                if let Node::Not(inner) = p {
                    out.subtract(&evaluate(inner, leaves, universe, max_doc));
                }
            }
            out
        }
    }
}

/// The order of results, in three parts: `cheap` decides most places and
/// needs nothing read from columns; `full` adds the last tie-breakers (the
/// date under relevance, the id's hash always) that [`pool`] reads for the
/// few candidates whose order they can decide.
struct Order {
    sort: Sort,
}

impl Order {
    fn by_date(a: &Candidate, b: &Candidate, newest: bool) -> Ordering {
        // Undated articles sort last whichever way dates run.
        match (a.date, b.date) {
            (Some(x), Some(y)) if newest => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }

    fn cheap(&self, a: &Candidate, b: &Candidate) -> Ordering {
        match self.sort {
            Sort::Relevance => b.score.total_cmp(&a.score),
            Sort::Newest => Order::by_date(a, b, true).then_with(|| b.score.total_cmp(&a.score)),
            Sort::Oldest => Order::by_date(a, b, false).then_with(|| b.score.total_cmp(&a.score)),
        }
    }

    fn full(&self, a: &Candidate, b: &Candidate) -> Ordering {
        let primary = self.cheap(a, b);
        let primary = match self.sort {
            Sort::Relevance => primary.then_with(|| Order::by_date(a, b, true)),
            _ => primary,
        };
        primary.then(a.key.cmp(&b.key))
    }
}

/// Moves the candidates that can be among the first `top` to the front and
/// says how many they are: the best `top` by the cheap order, and those tied
/// with the last of them. `fill` reads the tie-breakers of those only.
fn pool(candidates: &mut [Candidate], sort: Sort, top: usize, fill: &dyn Fn(&mut Candidate)) -> usize {
    let order = Order { sort };
    let top = top.min(candidates.len());
    if top == 0 {
        return 0;
    }
    let mut pool = candidates.len();
    if top < candidates.len() {
        candidates.select_nth_unstable_by(top - 1, |a, b| order.cheap(a, b));
        // Everything before `top` is at least as good as the last of the
        // top; of the rest, only its equals can still take its place.
        let (head, tail) = candidates.split_at_mut(top);
        let last = &head[top - 1];
        let mut tied = 0;
        for i in 0..tail.len() {
            if order.cheap(&tail[i], last) == Ordering::Equal {
                tail.swap(i, tied);
                tied += 1;
            }
        }
        pool = top + tied;
    }
    candidates[..pool].iter_mut().for_each(fill);
    pool
}

/// Orders the first `top` candidates (the rest stay in no order: only
/// their count is needed).
fn rank(candidates: &mut [Candidate], sort: Sort, top: usize, fill: &dyn Fn(&mut Candidate)) {
    let order = Order { sort };
    let pool = pool(candidates, sort, top, fill);
    let top = top.min(pool);
    if top == 0 {
        return;
    }
    let pool = &mut candidates[..pool];
    if top < pool.len() {
        pool.select_nth_unstable_by(top - 1, |a, b| order.full(a, b));
    }
    pool[..top].sort_unstable_by(|a, b| order.full(a, b));
}

/// Reads the columns [`rank`] breaks ties with.
struct SortColumns<'a> {
    keys: Vec<Option<Column<u64>>>,
    dates: Vec<Option<Column<tantivy::DateTime>>>,
    derived: &'a Derived,
}

impl SortColumns<'_> {
    fn new<'a>(searcher: &Searcher, derived: &'a Derived) -> SortColumns<'a> {
        let readers = searcher.segment_readers();
        SortColumns {
            keys: readers
                .iter()
                .map(|r| r.fast_fields().u64("article_key").ok())
                .collect(),
            dates: readers
                .iter()
                .map(|r| r.fast_fields().date("date").ok())
                .collect(),
            derived,
        }
    }

    /// An article's date, from the table of dates once loaded.
    fn date(&self, addr: DocAddress) -> Option<i64> {
        if let Some(date) = self.derived.date(addr.segment_ord, addr.doc_id) {
            return date;
        }
        let col = self.dates.get(addr.segment_ord as usize)?.as_ref()?;
        col.first(addr.doc_id).map(|d| d.into_timestamp_secs())
    }

    /// Reads a candidate's date and key.
    fn fill(&self, c: &mut Candidate) {
        c.date = self.date(c.addr);
        c.key = self
            .keys
            .get(c.addr.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|k| k.first(c.addr.doc_id))
            .unwrap_or(0);
    }
}

/// The date range of the filters, in seconds since 1970: from the first
/// second of `from` to before the first second after `to`.
fn date_bounds(f: &Filters) -> Option<(i64, i64)> {
    if f.from.is_none() && f.to.is_none() {
        return None;
    }
    let secs = |d: chrono::NaiveDate| day_to_tantivy(d).into_timestamp_secs();
    let lower = f.from.map_or(i64::MIN, secs);
    let upper = f.to.and_then(|d| d.succ_opt()).map_or(i64::MAX, secs);
    Some((lower, upper))
}

/// The filters other than dates as one query, or `None` when nothing else
/// is filtered. (Dates are filtered with the table of dates, see
/// [`Derived::articles_between`].)
fn filter_query(fields: &Fields, searcher: &Searcher, f: &Filters) -> Result<Option<Box<dyn Query>>> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (names, field) in [(&f.topics, fields.topic.key)] {
        let Some(field) = field.filter(|_| !names.is_empty()) else {
            continue;
        };
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
    if let Some(source_key) = fields.source.key.filter(|_| !f.sources.is_empty()) {
        let any: Vec<(Occur, Box<dyn Query>)> = f
            .sources
            .iter()
            .map(|s| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(
                    source_key,
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
    for id in &f.exclude {
        let term = Term::from_field_text(fields.id, id);
        must.push((
            Occur::MustNot,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    if must.iter().all(|(occur, _)| *occur == Occur::MustNot) && !must.is_empty() {
        // Exclusions alone match nothing: exclude from every article.
        let articles = Term::from_field_text(fields.kind, KIND_ARTICLE);
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(articles, IndexRecordOption::Basic)),
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Provenance, PubDate, Source, SourceOrigin};

    #[test]
    fn ranking_the_top_agrees_with_ranking_all() {
        // Scores and days with many ties; keys and (under relevance) days
        // are filled in by `rank` only where they decide.
        let key = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let day = |i: u64| (!i.is_multiple_of(5)).then_some((i % 28) as i64);
        let fill = |c: &mut Candidate| {
            let i = u64::from(c.addr.doc_id);
            c.key = key(i);
            c.date = day(i);
        };
        for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
            let candidates: Vec<Candidate> = (0..200u64)
                .map(|i| Candidate {
                    key: 0,
                    addr: DocAddress::new(0, i as u32),
                    score: (i % 7) as f32,
                    passages: 0..0,
                    date: if sort == Sort::Relevance { None } else { day(i) },
                    similar: 0,
                    group: NO_GROUP,
                })
                .collect();
            let mut all = candidates.clone();
            all.iter_mut().for_each(fill);
            rank(&mut all, sort, usize::MAX, &|_| ());
            for top in [0, 1, 10, 199, 200, 500] {
                let mut some = candidates.clone();
                rank(&mut some, sort, top, &fill);
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
    fn replaced_articles_are_found_by_their_new_text_only() {
        let index = fixture();
        // Replace "b" without merging: its old documents stay in their
        // segment, deleted, right before other articles' documents.
        let mut w = index.indexer().unwrap();
        w.upsert(&article("b", Some("2023-05-31"), "BBC", "Balloons over Moscow."))
            .unwrap();
        w.commit().unwrap();
        assert!(ids(&index, q("drones")).iter().all(|id| id != "b"));
        assert_eq!(ids(&index, q("balloons")), vec!["b"]);
        assert_eq!(ids(&index, q("moscow")), vec!["b"]);
        let mut got = ids(&index, q("-kremlin"));
        got.sort();
        assert_eq!(got, vec!["b", "d"]);
        assert_eq!(search(&index, &q("")).unwrap().total, 4);
    }

    #[test]
    fn titles_match_once_per_article_and_add_to_its_best_passage() {
        let index = NewsIndex::in_ram().unwrap();
        let mut w = index.indexer().unwrap();
        let mut titled = article(
            "t",
            Some("2023-01-01"),
            "CNN",
            "Markets fell.\n\nSomething else entirely.",
        );
        titled.title = Some("Markets in turmoil".into());
        w.upsert(&titled).unwrap();
        w.upsert(&article("u", Some("2023-01-02"), "CNN", "Markets fell."))
            .unwrap();
        w.upsert(&article("v", Some("2023-01-03"), "CNN", "Nothing here."))
            .unwrap();
        w.commit().unwrap();
        // Same passage, but "t" also has the word in its title.
        let res = search(&index, &q("markets")).unwrap();
        let got: Vec<&str> = res.hits.iter().map(|h| h.article.id.as_str()).collect();
        assert_eq!(got, vec!["t", "u"]);
        assert!(res.hits[0].score > res.hits[1].score);
        // A title alone matches, and shows the article's lead.
        let res = search(&index, &q("turmoil")).unwrap();
        assert_eq!(res.hits.len(), 1);
        assert_eq!(res.hits[0].passages[0].number, 0);
        assert!(res.hits[0].passages[0].text.starts_with("Markets fell."));
        assert!(
            res.hits[0].passages[0].highlights.is_empty(),
            "the title is not in the passage"
        );
        assert_eq!(ids(&index, q("title:turmoil")), vec!["t"]);
        assert!(ids(&index, q("title:fell")).is_empty());
    }

    #[test]
    fn narrowed_and_queries_score_as_the_sum_of_their_words() {
        // "common" is in 60 articles, "rare" in 2: the AND scores only the
        // 2 articles' documents, skipping the rest of "common"'s postings.
        let index = NewsIndex::in_ram().unwrap();
        let mut w = index.indexer().unwrap();
        let filler = "filler words about nothing in particular ".repeat(40);
        for i in 0..60 {
            let rare = if i % 30 == 7 { "A rare word." } else { "" };
            let body = format!("The common case {i}.\n\n{filler}\n\n{rare} Common again.");
            w.upsert(&article(&format!("n{i}"), Some("2023-01-01"), "CNN", &body))
                .unwrap();
        }
        w.commit().unwrap();
        let scores_with = |query: &str, id: &str, proximity: bool| -> Vec<(usize, f32)> {
            let mut r = q(query);
            r.passages = 100;
            r.limit = 100;
            r.proximity = proximity;
            let res = search(&index, &r).unwrap();
            let hit = res.hits.iter().find(|h| h.article.id == id).unwrap();
            let mut v: Vec<(usize, f32)> = hit.passages.iter().map(|p| (p.number, p.score)).collect();
            v.sort_by_key(|p| p.0);
            v
        };
        let scores = |query: &str, id: &str| scores_with(query, id, false);
        assert_eq!(ids(&index, q("common rare")).len(), 2);
        for id in ["n7", "n37"] {
            let both = scores("common rare", id);
            let (common, rare) = (scores("common", id), scores("rare", id));
            let of = |v: &[(usize, f32)], n: usize| v.iter().find(|p| p.0 == n).map_or(0.0, |p| p.1);
            assert_eq!(both.len(), 2, "{both:?}");
            for &(n, score) in &both {
                let want = of(&common, n) + of(&rare, n);
                assert!((score - want).abs() < 1e-5, "{id} passage {n}: {score} != {want}");
            }
            // Proximity adds to the passage where the two stand together
            // ("A rare word. Common again.") and to no other; the OR of the
            // two (not narrowed) adds the same.
            let near = scores_with("common rare", id, true);
            let either = scores_with("common OR rare", id, true);
            assert_eq!(near.len(), 2);
            let (first, last) = (near[0], near[1]);
            assert!((first.1 - of(&both, first.0)).abs() < 1e-5, "{near:?} {both:?}");
            assert!(last.1 > of(&both, last.0) + 0.1, "{near:?} {both:?}");
            assert!((of(&either, last.0) - last.1).abs() < 1e-5, "{either:?} {near:?}");
        }
        // Proximity never changes what matches.
        let all = |proximity: bool| {
            let mut r = q("common OR rare");
            (r.limit, r.proximity) = (100, proximity);
            let mut found = ids(&index, r);
            found.sort();
            found
        };
        assert_eq!(all(true).len(), 60);
        assert_eq!(all(true), all(false));
    }

    #[test]
    fn a_query_of_punctuation_is_an_error() {
        let index = fixture();
        assert!(search(&index, &q("—")).is_err());
    }

    #[test]
    fn clusters_show_their_earliest_matching_article_and_count_the_rest() {
        let index = NewsIndex::in_ram().unwrap();
        let mut w = index.indexer().unwrap();
        let copy = |id: &str, day: &str, body: &str| {
            let mut a = article(id, Some(day), "Reuters", body);
            a.duplicate_of = Some("first".into());
            a
        };
        for a in [
            // Indexed first, dated last: the head, not the original.
            article(
                "first",
                Some("1987-03-05"),
                "Reuters",
                "Oil prices rose in heavy trading.",
            ),
            copy("early", "1987-03-01", "Oil prices rose in heavy trading."),
            copy(
                "tanker-1",
                "1987-03-03",
                "Oil prices rose in heavy trading, a tanker said.",
            ),
            copy(
                "tanker-2",
                "1987-03-02",
                "Oil prices rose in heavy trading, a tanker said.",
            ),
            article(
                "other",
                Some("1987-03-04"),
                "Reuters",
                "Oil and gold were steady.",
            ),
        ] {
            w.upsert(&a).unwrap();
        }
        w.commit().unwrap();
        index.reload().unwrap();
        let hits = |req: SearchRequest| {
            let r = search(&index, &req).unwrap();
            let hits: Vec<(String, usize)> =
                r.hits.iter().map(|h| (h.article.id.clone(), h.similar)).collect();
            (hits, r.total, r.collapsed)
        };
        let by_date = |q: &str| SearchRequest {
            sort: Sort::Oldest,
            ..SearchRequest::new(q)
        };
        let own = |v: &[(&str, usize)]| v.iter().map(|(id, n)| (id.to_string(), *n)).collect::<Vec<_>>();
        // The original (earliest) shows for all four.
        assert_eq!(hits(by_date("oil")), (own(&[("early", 3), ("other", 0)]), 5, 3));
        // It does not match: the earliest copy that does shows instead.
        assert_eq!(hits(by_date("tanker")), (own(&[("tanker-2", 1)]), 2, 1));
        let all = SearchRequest {
            collapse: false,
            ..by_date("oil")
        };
        assert_eq!(hits(all).0.len(), 5);
        let cluster = SearchRequest {
            filters: Filters {
                cluster: Some("tanker-1".into()),
                ..Filters::default()
            },
            ..by_date("")
        };
        let ids: Vec<String> = hits(cluster).0.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["early", "tanker-2", "tanker-1", "first"]);
        // The newest article is a copy: found, not folded away.
        let newest = crate::query::newest_day(&index).unwrap();
        assert_eq!(newest, Some("1987-03-05".parse().unwrap()));
    }
}
