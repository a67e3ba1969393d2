//! Output: search results, articles and stats as text or JSON.
//!
//! The JSON shapes here are newsdex's public contract (documented in
//! README): they are their own types, built from the engine's, so the
//! engine can change without changing what scripts read. Text output
//! highlights matches in bold only when asked to (the CLI asks when stdout
//! is a terminal and `NO_COLOR` is unset), and strips control characters
//! from article text so that a corpus cannot drive the terminal.

mod csv;
mod timeline;

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

pub use self::csv::{facets_csv, histogram_csv, search_csv};
pub use timeline::{HistogramJson, histogram_text, sparkline, timeline_text};

use crate::article::{Article, EntityKind};
use crate::ingest::Summary;
use crate::query::{Bar, Bucket, Facets, Hit, PassageHit, SearchResults, Similar, Stats};

/// How text output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI bold and colour.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// A search result as JSON.
#[derive(Debug, Serialize)]
pub struct SearchJson<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching articles in all.
    pub total: usize,
    /// How many of them are near-duplicates folded into another hit
    /// (`total - collapsed` hits in all).
    pub collapsed: usize,
    /// This page's articles.
    pub hits: Vec<HitJson>,
    /// Facet counts, with `--facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a Facets>,
    /// Matches over time, with `--timeline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<TimelineJson<'a>>,
}

/// The timeline of a search as JSON.
#[derive(Debug, Serialize)]
pub struct TimelineJson<'a> {
    /// The bucket size.
    pub by: Bucket,
    /// The buckets, oldest first.
    pub buckets: &'a [Bar],
}

/// One article of a search result as JSON.
#[derive(Debug, Serialize)]
pub struct HitJson {
    /// 1-based rank.
    pub rank: usize,
    /// Best passage score.
    pub score: f32,
    /// How many matching near-duplicates are folded into the hit.
    pub similar: usize,
    /// Article id.
    pub id: String,
    /// The article's near-duplicate cluster: the id of its first article,
    /// when that is another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Title, if any.
    pub title: Option<String>,
    /// What text output shows as the title: the title, or the start of the
    /// body's first line where there is none.
    pub headline: String,
    /// Publication day, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Publication time in UTC, RFC 3339, where known.
    pub timestamp: Option<String>,
    /// Source name.
    pub source: Option<String>,
    /// `given` or `inferred`.
    pub source_origin: Option<&'static str>,
    /// URL, if any.
    pub url: Option<String>,
    /// The file it was read from.
    pub path: String,
    /// The line (JSON Lines) where it starts.
    pub line: Option<u64>,
    /// The record number in a file of several articles.
    pub record: Option<u64>,
    /// Bylines.
    pub authors: Vec<String>,
    /// The language the page declared, if any.
    pub language: Option<String>,
    /// Entities by kind.
    pub entities: EntitiesJson,
    /// Best passages, best first.
    pub passages: Vec<PassageJson>,
    /// How the score was composed (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ExplanationJson>,
}

/// [`crate::query::Explanation`] as JSON.
#[derive(Debug, Serialize)]
pub struct ExplanationJson {
    /// The best passage: its number, score and parts (none if no passage matched).
    pub passage: Option<ExplainedJson>,
    /// The article's other matching passages: how many, and what they add
    /// (their scores' sum times [`crate::query::OTHER_PASSAGES`]).
    pub other_passages: OtherPassagesJson,
    /// The article document: title and names.
    pub article: ExplainedJson,
}

/// What an article's other matching passages add to its score.
#[derive(Debug, Serialize)]
pub struct OtherPassagesJson {
    /// How many matched besides the best.
    pub count: usize,
    /// What they add: their scores' sum times [`crate::query::OTHER_PASSAGES`].
    pub score: f32,
}

/// One document's score and its parts.
#[derive(Debug, Serialize)]
pub struct ExplainedJson {
    /// The passage's number (absent for the article document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<usize>,
    /// The document's score: the sum of its parts.
    pub score: f32,
    /// Each matching word's part.
    pub parts: Vec<ScorePartJson>,
}

/// One word's part of a score.
#[derive(Debug, Serialize)]
pub struct ScorePartJson {
    /// `field:word` (several for a phrase).
    pub what: String,
    /// Its BM25 score.
    pub score: f32,
    /// tantivy's explanation of it.
    pub detail: serde_json::Value,
}

impl ExplanationJson {
    fn from_explanation(e: &crate::query::Explanation) -> ExplanationJson {
        let parts = |parts: &[crate::query::ScorePart]| {
            parts
                .iter()
                .map(|p| ScorePartJson {
                    what: p.what.clone(),
                    score: p.score,
                    detail: serde_json::from_str(&p.detail).unwrap_or(serde_json::Value::Null),
                })
                .collect()
        };
        ExplanationJson {
            passage: e.passage.as_ref().map(|(number, score, p)| ExplainedJson {
                number: Some(*number),
                score: *score,
                parts: parts(p),
            }),
            other_passages: OtherPassagesJson {
                count: e.others.0,
                score: e.others.1,
            },
            article: ExplainedJson {
                number: None,
                score: e.article.0,
                parts: parts(&e.article.1),
            },
        }
    }
}

/// A hit's score as one line: `score = passage N: x (parts) [+ other
/// passages] + article: y (parts)`.
pub fn explanation_text(score: f32, e: &crate::query::Explanation) -> String {
    let parts = |parts: &[crate::query::ScorePart]| {
        let each: Vec<String> = parts
            .iter()
            .map(|p| format!("{} {:.2}", p.what, p.score))
            .collect();
        if each.is_empty() {
            String::new()
        } else {
            format!(" ({})", each.join(" + "))
        }
    };
    let passage = match &e.passage {
        Some((number, s, p)) => format!("passage {}: {s:.2}{}", number + 1, parts(p)),
        None => "no passage: 0".to_string(),
    };
    let others = match e.others {
        (0, _) => String::new(),
        (n, s) => format!(
            " + {} × {n} other passage{}: {s:.2}",
            crate::query::OTHER_PASSAGES,
            if n == 1 { "" } else { "s" }
        ),
    };
    format!(
        "score {score:.2} = {passage}{others} + article: {:.2}{}",
        e.article.0,
        parts(&e.article.1)
    )
}

/// Entities as JSON.
#[derive(Debug, Serialize)]
pub struct EntitiesJson {
    /// People.
    pub person: Vec<String>,
    /// Organisations.
    pub org: Vec<String>,
    /// Places.
    pub place: Vec<String>,
}

/// One passage as JSON.
#[derive(Debug, Serialize)]
pub struct PassageJson {
    /// Plain text.
    pub text: String,
    /// The text HTML-escaped, with matches wrapped in `<b>…</b>`.
    pub highlighted: String,
    /// The passage's score.
    pub score: f32,
    /// Byte offset of the passage in the article body.
    pub start: usize,
    /// Byte offset of the passage's end in the article body.
    pub end: usize,
}

impl HitJson {
    /// The JSON form of a hit.
    pub fn from_hit(hit: &Hit) -> HitJson {
        let a = &hit.article;
        let mut h = HitJson::from_article(a);
        h.rank = hit.rank;
        h.score = hit.score;
        h.similar = hit.similar;
        h.passages = hit.passages.iter().map(PassageJson::from_passage).collect();
        h.explanation = hit.explanation.as_ref().map(ExplanationJson::from_explanation);
        h
    }

    fn from_article(a: &Article) -> HitJson {
        HitJson {
            rank: 0,
            score: 0.0,
            similar: 0,
            id: a.id.clone(),
            duplicate_of: a.duplicate_of.clone(),
            title: a.title.clone(),
            headline: a.display_title(100),
            date: a.date.map(|d| d.to_string()),
            timestamp: a.date.and_then(|d| d.timestamp).map(|t| t.to_rfc3339()),
            source: a.source.as_ref().map(|s| s.name.clone()),
            source_origin: a.source.as_ref().map(|s| match s.origin {
                crate::article::SourceOrigin::Given => "given",
                crate::article::SourceOrigin::Inferred => "inferred",
            }),
            url: a.url.clone(),
            path: a.provenance.path.display().to_string(),
            line: a.provenance.line,
            record: a.provenance.record,
            authors: a.authors.clone(),
            language: a.language.clone(),
            entities: EntitiesJson {
                person: a.entities.person.clone(),
                org: a.entities.org.clone(),
                place: a.entities.place.clone(),
            },
            passages: Vec::new(),
            explanation: None,
        }
    }
}

impl PassageJson {
    fn from_passage(p: &PassageHit) -> PassageJson {
        PassageJson {
            text: p.text.clone(),
            highlighted: mark(&p.text, &p.highlights, html_escape, "<b>", "</b>"),
            score: p.score,
            start: p.start,
            end: p.end,
        }
    }
}

/// Writes search results as one JSON object (with a timeline, if given).
pub fn search_json(
    w: &mut dyn Write,
    query: &str,
    results: &SearchResults,
    timeline: Option<(Bucket, &[Bar])>,
) -> io::Result<()> {
    let out = SearchJson {
        query,
        total: results.total,
        collapsed: results.collapsed,
        hits: results.hits.iter().map(HitJson::from_hit).collect(),
        facets: results.facets.as_ref(),
        timeline: timeline.map(|(by, buckets)| TimelineJson { by, buckets }),
    };
    serde_json::to_writer_pretty(&mut *w, &out)?;
    writeln!(w)
}

/// Articles like another as JSON: the search result, plus what was searched for.
#[derive(Debug, Serialize)]
pub struct SimilarJson<'a> {
    /// The article they are like.
    pub like: &'a str,
    /// Its most distinctive words, searched for.
    pub words: &'a [String],
    /// Its names, searched for.
    pub names: Vec<NameJson<'a>>,
    /// The result.
    #[serde(flatten)]
    pub search: SearchJson<'a>,
}

/// A name searched for.
#[derive(Debug, Serialize)]
pub struct NameJson<'a> {
    /// `person`, `org` or `place`.
    pub kind: &'static str,
    /// The name.
    pub name: &'a str,
}

/// Writes articles like `id` as one JSON object.
pub fn similar_json(w: &mut dyn Write, id: &str, similar: &Similar) -> io::Result<()> {
    let out = SimilarJson {
        like: id,
        words: &similar.words,
        names: similar
            .names
            .iter()
            .map(|(kind, name)| NameJson {
                kind: kind.name(),
                name,
            })
            .collect(),
        search: SearchJson {
            query: &similar.results_query,
            total: similar.results.total,
            collapsed: similar.results.collapsed,
            hits: similar.results.hits.iter().map(HitJson::from_hit).collect(),
            facets: similar.results.facets.as_ref(),
            timeline: None,
        },
    };
    serde_json::to_writer_pretty(&mut *w, &out)?;
    writeln!(w)
}

/// Writes what articles like another were searched for, for people.
pub fn similar_text(w: &mut dyn Write, id: &str, similar: &Similar, style: Style) -> io::Result<()> {
    let names: Vec<String> = similar.names.iter().map(|(_, n)| clean(n)).collect();
    writeln!(w, "{}", style.bold(&format!("Articles like {}", clean(id))))?;
    writeln!(
        w,
        "   {}",
        style.dim(&format!("words: {}", similar.words.join(", ")))
    )?;
    if !names.is_empty() {
        writeln!(w, "   {}", style.dim(&format!("names: {}", names.join(", "))))?;
    }
    writeln!(w)?;
    search_text(w, "", &similar.results, style)
}

/// Writes search results as JSON Lines: one hit per line, no envelope.
pub fn search_jsonl(w: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *w, &HitJson::from_hit(hit))?;
        writeln!(w)?;
    }
    Ok(())
}

/// Writes search results for people.
pub fn search_text(w: &mut dyn Write, query: &str, results: &SearchResults, style: Style) -> io::Result<()> {
    for hit in &results.hits {
        let a = &hit.article;
        writeln!(w, "{}. {}", hit.rank, style.bold(&clean(&a.display_title(100))))?;
        let mut meta = vec![
            a.date.map_or("undated".to_string(), |d| d.to_string()),
            a.source
                .as_ref()
                .map_or("unknown source".to_string(), |s| clean(&s.name)),
            clean(&a.id),
        ];
        let from = a.provenance.to_string();
        if from != a.id {
            meta.push(clean(&from));
        }
        if hit.score > 0.0 {
            meta.push(format!("score {:.2}", hit.score));
        }
        if hit.similar > 0 {
            meta.push(format!("+{} similar", hit.similar));
        }
        writeln!(w, "   {}", style.dim(&meta.join(" · ")))?;
        if let Some(e) = &hit.explanation {
            writeln!(w, "   {}", style.dim(&clean(&explanation_text(hit.score, e))))?;
        }
        for p in &hit.passages {
            writeln!(w, "   {}", snippet(&p.text, &p.highlights, 240, style))?;
        }
        writeln!(w)?;
    }
    let shown = results.hits.len();
    let what = if query.trim().is_empty() {
        String::new()
    } else {
        format!(" for {query:?}")
    };
    let results_total = results.total - results.collapsed;
    let folded = match results.collapsed {
        0 => String::new(),
        1 => " (and 1 near-duplicate of them: --no-collapse lists it)".to_string(),
        n => format!(" (and {n} near-duplicates of them: --no-collapse lists them)"),
    };
    match (shown, results.hits.first()) {
        (0, _) if results.total > 0 => writeln!(
            w,
            "No articles on this page; {results_total} match{what}{folded}."
        )?,
        (0, _) => writeln!(w, "No articles match{what}.")?,
        (_, Some(first)) => writeln!(
            w,
            "Showing {}–{} of {} article{}{what}{folded}.",
            first.rank,
            first.rank + shown - 1,
            results_total,
            if results_total == 1 { "" } else { "s" }
        )?,
        _ => {}
    }
    if let Some(f) = &results.facets {
        writeln!(w)?;
        facets_text(w, f, style)?;
    }
    Ok(())
}

/// Writes facet counts for people.
pub fn facets_text(w: &mut dyn Write, f: &Facets, style: Style) -> io::Result<()> {
    let rows: [(&str, &[crate::query::FacetCount]); 6] = [
        ("Sources", &f.source),
        ("People", &f.person),
        ("Organisations", &f.org),
        ("Places", &f.place),
        ("Topics", &f.topic),
        ("Months", &f.month),
    ];
    for (label, counts) in rows {
        let values: Vec<String> = counts
            .iter()
            .map(|c| format!("{} ({})", clean(&c.value), c.count))
            .collect();
        let values = if values.is_empty() {
            "—".to_string()
        } else {
            values.join(", ")
        };
        writeln!(w, "{} {}", style.bold(&format!("{label}:")), values)?;
    }
    Ok(())
}

/// Writes one article in full for people.
pub fn article_text(w: &mut dyn Write, a: &Article, style: Style) -> io::Result<()> {
    writeln!(w, "{}", style.bold(&clean(&a.display_title(200))))?;
    let field =
        |w: &mut dyn Write, k: &str, v: String| writeln!(w, "{} {}", style.dim(&format!("{k:<9}")), v);
    field(w, "id", a.id.clone())?;
    field(
        w,
        "date",
        a.date.map_or("unknown".into(), |d| match d.timestamp {
            Some(t) => format!("{d} ({} UTC)", t.format("%Y-%m-%d %H:%M:%S")),
            None => d.to_string(),
        }),
    )?;
    field(
        w,
        "source",
        a.source.as_ref().map_or("unknown".into(), |s| {
            let how = match s.origin {
                crate::article::SourceOrigin::Given => "given",
                crate::article::SourceOrigin::Inferred => "inferred from the text",
            };
            format!("{} ({how})", clean(&s.name))
        }),
    )?;
    if let Some(url) = &a.url {
        field(w, "url", clean(url))?;
    }
    if !a.authors.is_empty() {
        field(w, "authors", clean(&a.authors.join(", ")))?;
    }
    for kind in EntityKind::ALL {
        let names = a.entities.of(kind);
        if !names.is_empty() {
            field(w, kind.name(), clean(&names.join(", ")))?;
        }
    }
    if !a.tags.is_empty() {
        field(w, "tags", clean(&a.tags.join(", ")))?;
    }
    if let Some(first) = &a.duplicate_of {
        field(w, "copy of", clean(first))?;
    }
    field(w, "file", a.provenance.to_string())?;
    writeln!(w)?;
    writeln!(w, "{}", clean_keep_lines(&a.body))
}

/// Writes one article as JSON.
pub fn article_json(w: &mut dyn Write, a: &Article, passages: usize) -> io::Result<()> {
    #[derive(Serialize)]
    struct ArticleJson<'a> {
        #[serde(flatten)]
        meta: HitJson,
        tags: &'a [String],
        body: &'a str,
        passage_count: usize,
    }
    let mut meta = HitJson::from_article(a);
    meta.rank = 0;
    let out = ArticleJson {
        meta,
        tags: &a.tags,
        body: &a.body,
        passage_count: passages,
    };
    let mut value = serde_json::to_value(&out).map_err(io::Error::other)?;
    if let Some(obj) = value.as_object_mut() {
        for k in ["rank", "score", "passages"] {
            obj.remove(k);
        }
    }
    serde_json::to_writer_pretty(&mut *w, &value)?;
    writeln!(w)
}

/// Writes index stats for people.
pub fn stats_text(w: &mut dyn Write, s: &Stats, style: Style) -> io::Result<()> {
    writeln!(w, "{} {}", style.bold("Index:"), s.index)?;
    writeln!(w, "{} {}", style.bold("Articles:"), s.articles)?;
    writeln!(w, "{} {}", style.bold("Passages:"), s.passages)?;
    let span = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!(
            "{a} to {b} ({} of {} articles dated)",
            s.dated_articles, s.articles
        ),
        _ => "no dated articles".into(),
    };
    writeln!(w, "{} {}", style.bold("Dates:"), span)?;
    let top: Vec<String> = s
        .sources
        .iter()
        .map(|c| format!("{} ({})", clean(&c.value), c.count))
        .collect();
    writeln!(
        w,
        "{} {}{}",
        style.bold("Sources:"),
        if top.is_empty() {
            "—".into()
        } else {
            top.join(", ")
        },
        if s.distinct_sources > s.sources.len() {
            format!(" … {} in all", s.distinct_sources)
        } else {
            String::new()
        }
    )?;
    writeln!(
        w,
        "{} {}",
        style.bold("Near-duplicates:"),
        match s.clusters {
            0 => "none".to_string(),
            n => format!(
                "{} articles in {n} clusters ({} copies folded into their earliest article in searches)",
                s.clustered_articles,
                s.clustered_articles - n
            ),
        }
    )?;
    writeln!(w, "{} {}", style.bold("Size:"), human_bytes(s.size_bytes))
}

/// Writes an indexing summary for people.
pub fn summary_text(w: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let changes = s.files_added + s.files_changed + s.files_removed;
    if changes == 0 && s.files_unchanged > 0 && s.problem_count() == 0 {
        return writeln!(
            w,
            "Nothing to do: all {} files are indexed as they are ({:.2}s).",
            s.files_unchanged,
            s.elapsed.as_secs_f64()
        );
    }
    if s.files_unchanged + s.files_changed + s.files_removed > 0 {
        writeln!(
            w,
            "Files: {} new, {} changed, {} removed, {} unchanged.",
            s.files_added, s.files_changed, s.files_removed, s.files_unchanged
        )?;
    }
    writeln!(
        w,
        "Indexed {} article{} ({} passages) from {} of {} files in {:.2}s ({:.0} articles/s, {}).",
        s.articles,
        if s.articles == 1 { "" } else { "s" },
        s.passages,
        s.files_indexed,
        s.files,
        s.elapsed.as_secs_f64(),
        s.articles_per_second(),
        human_bytes(s.bytes),
    )?;
    if s.problem_count() > 0 {
        let reasons: Vec<String> = s.skip_reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        writeln!(
            w,
            "Skipped {} file{} and {} record{}; {} warning{}.{}",
            s.files_skipped,
            if s.files_skipped == 1 { "" } else { "s" },
            s.records_skipped,
            if s.records_skipped == 1 { "" } else { "s" },
            s.warnings,
            if s.warnings == 1 { "" } else { "s" },
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.join("; "))
            }
        )?;
    }
    Ok(())
}

/// A window of about `width` characters of `text` around its first
/// highlights, on one line, with matches in bold.
pub fn snippet(text: &str, highlights: &[Range<usize>], width: usize, style: Style) -> String {
    let first = highlights.first().map_or(0, |r| r.start);
    // Start a little before the first match, at a word boundary.
    let mut start = first.saturating_sub(width / 4);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..]
            .find(' ')
            .map_or(start, |i| start + i + 1)
            .min(first);
    }
    let mut end = text.len().min(start + width);
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[..end].rfind(' ').filter(|&i| i > start).unwrap_or(end);
    }
    let shown: Vec<Range<usize>> = highlights
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start..r.end - start)
        .collect();
    let body = mark(
        &text[start..end],
        &shown,
        one_line,
        &style.paint_start(),
        &style.paint_end(),
    );
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        body,
        if end < text.len() { "…" } else { "" }
    )
}

impl Style {
    fn paint_start(&self) -> String {
        if self.color {
            "\x1b[1;33m".into()
        } else {
            String::new()
        }
    }
    fn paint_end(&self) -> String {
        if self.color {
            "\x1b[0m".into()
        } else {
            String::new()
        }
    }
}

/// `text` with each range wrapped in `open`/`close`, the rest passed
/// through `escape`.
fn mark(
    text: &str,
    ranges: &[Range<usize>],
    escape: impl Fn(&str) -> String,
    open: &str,
    close: &str,
) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&escape(&text[at..r.start]));
        out.push_str(open);
        out.push_str(&escape(&text[r.clone()]));
        out.push_str(close);
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text on one line, without control characters: each run of white space
/// (line breaks included) becomes one space.
/// Text on one line: runs of white space and control characters become one space.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Article text made safe for a terminal: control characters removed.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn clean_keep_lines(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

/// Bytes as people read them: `1.4 MB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::single_range_in_vec_init)]
    use super::*;

    #[test]
    fn highlighted_json_is_escaped_html() {
        let got = mark("a <drone> & b", &[3..8], html_escape, "<b>", "</b>");
        assert_eq!(got, "a &lt;<b>drone</b>&gt; &amp; b");
    }

    #[test]
    fn snippets_stay_on_one_line_around_the_match() {
        let text = format!("{}drone strike\nhit {}", "word ".repeat(100), "more ".repeat(100));
        let at = text.find("drone").unwrap();
        let s = snippet(&text, &[at..at + 5], 80, Style::default());
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("drone strike hit"), "{s}");
        assert!(s.chars().count() <= 82, "{s}");
        let colored = snippet(&text, &[at..at + 5], 80, Style { color: true });
        assert!(colored.contains("\x1b[1;33mdrone\x1b[0m"));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\x1b[31mb\x07"), "a[31mb");
        assert_eq!(one_line("a\n\tb\x1b"), "a b ");
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1_400_000), "1.4 MB");
    }
}
