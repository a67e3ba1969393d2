//! HTML news pages (`.html`, `.htm`, `.xhtml`): the article in the page.
//!
//! The main text comes from `dom_smoothie` (a port of Mozilla's
//! Readability), which drops navigation, ads, related links and comments.
//! The metadata is read here, with `scraper`, in the order a careful reader
//! trusts it:
//!
//! - title: `og:title`, JSON-LD `headline`, the first `<h1>`, then `<title>`
//!   without its site suffix ("Drone strike | CNN");
//! - date: JSON-LD `datePublished`, `article:published_time`, the common
//!   meta date names, `<time datetime>`, a date in the URL path
//!   (`/2023/05/25/`), then a fallback given by the caller (a WARC record's
//!   date); kept as the publisher's own calendar day;
//! - source: `og:site_name`, JSON-LD `publisher`, the canonical URL's host;
//! - authors (JSON-LD, `author` meta, the byline), canonical URL, language.

use std::io::{self, BufRead, Read};

use scraper::{Html, Selector};
use serde_json::Value;

use super::{Problem, Reader, Severity, Sink, SourceFile};
use crate::article::{Article, Provenance, PubDate, Source, SourceOrigin};
use crate::enrich::date::parse_date;

/// `.html` pages.
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn name(&self) -> &'static str {
        "html"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm", "xhtml"]
    }
    fn sniff(&self, head: &str) -> bool {
        let h = head.trim_start().get(..15).unwrap_or("").to_ascii_lowercase();
        h.starts_with("<!doctype html") || h.starts_with("<html")
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        let mut bytes = Vec::new();
        input.take(super::MAX_DOCUMENT_BYTES).read_to_end(&mut bytes)?;
        let html = decode(&bytes, source, out);
        let page = Page {
            html: &html,
            url: None,
            fallback_date: None,
        };
        match page_article(&page, source, None) {
            Ok(a) => out.article(a),
            Err(msg) => out.problem(source.problem(Severity::Skipped, msg)),
        }
        Ok(())
    }
}

/// A page to read, with what its container knows about it.
pub struct Page<'a> {
    /// The HTML.
    pub html: &'a str,
    /// The address it was fetched from (a WARC record's target URI).
    pub url: Option<&'a str>,
    /// The date to use when the page names none (a WARC record's date).
    pub fallback_date: Option<PubDate>,
}

/// Decodes a page: UTF-8, or failing that Windows-1252 (what undeclared
/// legacy pages mostly are, and a superset of Latin-1's letters), said once.
pub fn decode(bytes: &[u8], source: &SourceFile, out: &mut dyn Sink) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            out.problem(Problem {
                line: Some(line),
                ..source.problem(Severity::Warning, "not UTF-8: read as Windows-1252")
            });
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
        }
    }
}

/// Deeper pages than this skip readability (real pages nest a few dozen levels).
const MAX_NESTING: usize = 400;

/// How deeply a page's elements nest, counted from its tags without
/// building a tree (void and self-closing elements do not nest).
fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "!doctype", "!--",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        let tag = &html[start.min(html.len())..end.min(html.len())];
        if let Some(closing) = tag.strip_prefix('/') {
            let _ = closing;
            depth = depth.saturating_sub(1);
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect::<String>()
                .to_ascii_lowercase();
            if !name.is_empty() && !VOID.iter().any(|v| name.starts_with(v)) && !tag.ends_with('/') {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = end.max(start);
        if i >= bytes.len() {
            break;
        }
    }
    max
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The publication date a page states, for pages read only for it.
pub fn page_date_of(html: &str, url: Option<&str>) -> Option<PubDate> {
    let doc = Html::parse_document(html);
    let meta = Meta::read(&doc);
    page_date(&doc, &meta, &json_ld(&doc), url)
}

/// Reads one page into an article.
pub fn page_article(page: &Page<'_>, source: &SourceFile, record: Option<u64>) -> Result<Article, String> {
    let doc = Html::parse_document(page.html);
    let meta = Meta::read(&doc);
    let ld = json_ld(&doc);

    let canonical = select_attr(&doc, "link[rel=canonical]", "href")
        .or_else(|| meta.get(&["og:url"]))
        .filter(|u| u.starts_with("http"))
        .or_else(|| page.url.map(str::to_string));

    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    // Readability recurses over the tree: a pathologically deep page would
    // overflow the stack or take quadratic time, so such pages get the
    // plain paragraph text instead.
    let sane = nesting_depth(page.html) <= MAX_NESTING;
    let readable = if sane {
        dom_smoothie::Readability::new(
            page.html,
            canonical.as_deref().filter(|u| u.starts_with("http")),
            Some(cfg),
        )
        .ok()
        .and_then(|mut r| r.parse().ok())
    } else {
        None
    };
    // Pages that mark their article body are taken at their word.
    let marked_body = select_text_blocks(&doc, r#"[itemprop="articleBody"]"#)
        .or_else(|| select_text_blocks(&doc, r#"[itemprop="reviewBody"]"#));
    let body = marked_body
        .filter(|t| t.split_whitespace().count() >= 20)
        .or_else(|| {
            readable
                .as_ref()
                .map(|r| tidy_text(&r.text_content))
                .filter(|t| !t.is_empty())
        })
        .unwrap_or_else(|| paragraph_text(&doc));

    let site_name = meta
        .get(&["og:site_name", "application-name"])
        .or_else(|| ld.iter().find_map(|o| name_of(o.get("publisher")?)));
    let host = canonical.as_deref().and_then(host_of);
    let site_hint = site_name.clone().or_else(|| {
        host.as_deref()
            .map(|h| h.split('.').next().unwrap_or(h).to_string())
    });
    let title = meta
        .get(&["og:title", "twitter:title"])
        .or_else(|| {
            ld.iter()
                .find_map(|o| o.get("headline")?.as_str().map(str::to_string))
        })
        .or_else(|| select_text(&doc, "h1"))
        .or_else(|| select_text(&doc, "title").map(|t| strip_site_suffix(&t, site_hint.as_deref())))
        .map(|t| strip_site_name(&tidy_text(&t), site_hint.as_deref()))
        .filter(|t| !t.is_empty());
    if body.trim().is_empty() && title.is_none() {
        return Err("no article text found in the page".into());
    }

    let date = page_date(&doc, &meta, &ld, canonical.as_deref()).or(page.fallback_date);
    let source_name = site_name.or_else(|| host.clone());

    let mut authors: Vec<String> = ld
        .iter()
        .filter_map(|o| o.get("author"))
        .flat_map(names_in)
        .collect();
    if authors.is_empty() {
        authors = microdata_authors(&doc);
    }
    if authors.is_empty() {
        authors = meta
            .all(&[
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
            ])
            .into_iter()
            .filter(|a| !a.starts_with("http"))
            .collect();
    }
    if authors.is_empty()
        && let Some(byline) = readable.as_ref().and_then(|r| r.byline.clone())
    {
        authors.push(
            byline
                .trim()
                .trim_start_matches("By ")
                .trim_start_matches("by ")
                .to_string(),
        );
    }
    authors.retain(|a| !a.trim().is_empty() && a.len() < 100);

    let id = canonical.clone().unwrap_or_else(|| source.derived_id(record));
    let mut a = Article::new(
        id,
        body,
        Provenance {
            path: source.path.clone(),
            line: None,
            record,
        },
    );
    a.title = title;
    a.date = date;
    a.url = canonical;
    a.source = source_name.map(|name| Source {
        name,
        origin: SourceOrigin::Given,
    });
    a.authors = authors;
    a.language = select_attr(&doc, "html", "lang")
        .or_else(|| meta.get(&["og:locale", "language", "content-language"]))
        .or_else(|| readable.and_then(|r| r.lang))
        .map(|l| l.replace('_', "-"));
    a.tags = meta
        .all(&["article:tag", "news_keywords", "keywords"])
        .iter()
        .flat_map(|k| k.split(','))
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty() && k.len() < 60)
        .take(20)
        .collect();
    Ok(a)
}

/// `<meta>` values by their lowercased `property`, `name`, `itemprop` or
/// `http-equiv`, in document order.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn read(doc: &Html) -> Meta {
        let mut out = Vec::new();
        if let Ok(sel) = Selector::parse("meta") {
            for m in doc.select(&sel) {
                let e = m.value();
                let Some(content) = e.attr("content").or_else(|| e.attr("value")) else {
                    continue;
                };
                for key in ["property", "name", "itemprop", "http-equiv"] {
                    if let Some(k) = e.attr(key) {
                        out.push((k.trim().to_ascii_lowercase(), content.trim().to_string()));
                    }
                }
            }
        }
        Meta(out)
    }

    /// The first non-empty value under any of `keys`, in the keys' order.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(name, v)| name == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    }

    /// Every value under any of `keys`.
    fn all(&self, keys: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(name, v)| keys.contains(&name.as_str()) && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Meta names that carry a publication date, most trusted first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "og:article:published_time",
    "rnews:datepublished",
    "originalpublicationdate",
    "article_date_original",
    "datecreated",
];

fn page_date(
    doc: &Html,
    meta: &Meta,
    ld: &[serde_json::Map<String, Value>],
    url: Option<&str>,
) -> Option<PubDate> {
    let from_ld = ld.iter().find_map(|o| match o.get("datePublished")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let parsely = meta
        .get(&["parsely-page"])
        .and_then(|j| serde_json::from_str::<Value>(&j).ok())
        .and_then(|v| v.get("pub_date")?.as_str().map(str::to_string));
    let candidates = from_ld
        .into_iter()
        .chain(DATE_META.iter().filter_map(|k| meta.get(&[k])))
        .chain(parsely)
        .chain(select_attr(doc, "time[pubdate]", "datetime"))
        .chain(select_attr(doc, "[itemprop=datePublished]", "datetime"))
        .chain(select_attr(doc, "article time[datetime]", "datetime"))
        .chain(select_attr(doc, "main time[datetime]", "datetime"))
        // Any <time> only on pages without an article element (else it is
        // likely a sidebar's).
        .chain(if has(doc, "article") {
            None
        } else {
            select_attr(doc, "time", "datetime")
        });
    for c in candidates {
        if let Ok(d) = parse_date(&c) {
            return Some(d);
        }
    }
    url.and_then(date_in_url)
}

/// A date in a URL's path: `/2023/05/25/`, `/2023-05-25`, `/20230525/`.
pub fn date_in_url(url: &str) -> Option<PubDate> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    for w in parts.windows(3) {
        let ok = w[0].len() == 4 && w[1].len() <= 2 && !w[1].is_empty();
        let day: String = w[2].chars().take_while(char::is_ascii_digit).collect();
        if ok
            && (1..=2).contains(&day.len())
            && let Ok(d) = parse_date(&format!("{}-{:0>2}-{:0>2}", w[0], w[1], day))
        {
            return Some(d);
        }
    }
    for p in &parts {
        let digits: String = p.chars().take(10).collect();
        if digits.len() == 10
            && digits.as_bytes()[4] == b'-'
            && let Ok(d) = parse_date(&digits)
        {
            return Some(d);
        }
        if p.len() == 8
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.starts_with("19") || p.starts_with("20"))
            && let Ok(d) = parse_date(p)
        {
            return Some(d);
        }
    }
    None
}

/// The JSON-LD objects of a page that describe an article (or any object,
/// when none says it is one), with `@graph` lists flattened.
fn json_ld(doc: &Html) -> Vec<serde_json::Map<String, Value>> {
    let mut all = Vec::new();
    let Ok(sel) = Selector::parse(r#"script[type="application/ld+json"]"#) else {
        return all;
    };
    for script in doc.select(&sel) {
        let text: String = script.text().collect();
        if let Ok(v) = serde_json::from_str::<Value>(text.trim().trim_end_matches(';')) {
            flatten_ld(v, &mut all, 0);
        }
    }
    let is_article = |o: &serde_json::Map<String, Value>| {
        let types: Vec<String> = match o.get("@type") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        types
            .iter()
            .any(|t| t.ends_with("Article") || t == "BlogPosting" || t == "Report")
    };
    let articles: Vec<_> = all.iter().filter(|o| is_article(o)).cloned().collect();
    if articles.is_empty() { all } else { articles }
}

fn flatten_ld(v: Value, out: &mut Vec<serde_json::Map<String, Value>>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten_ld(i, out, depth + 1)),
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
            out.push(o);
        }
        _ => {}
    }
}

/// A name from a JSON-LD value: a string, or an object's `name`.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name")?.as_str().map(str::to_string),
        Value::Array(a) => a.iter().find_map(name_of),
        _ => None,
    }
}

fn names_in(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    }
}

fn has(doc: &Html, selector: &str) -> bool {
    Selector::parse(selector).is_ok_and(|sel| doc.select(&sel).next().is_some())
}

fn select_attr(doc: &Html, selector: &str, attr: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    doc.select(&sel).find_map(|e| {
        e.value()
            .attr(attr)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    })
}

/// The text of the first element matching `selector`, paragraphs apart.
fn select_text_blocks(doc: &Html, selector: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    let element = doc.select(&sel).next()?;
    let html = element.html();
    let text = super::feed::html_fragment_text(&html);
    (!text.is_empty()).then_some(text)
}

fn select_text(doc: &Html, selector: &str) -> Option<String> {
    let sel = Selector::parse(selector).ok()?;
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .map(|t| tidy_text(&t))
        .find(|t| !t.is_empty())
}

/// Authors marked up as schema.org microdata (`itemprop="author"`), by
/// their `itemprop="name"` where they have one.
fn microdata_authors(doc: &Html) -> Vec<String> {
    let (Ok(author), Ok(name)) = (
        Selector::parse(r#"[itemprop~="author"]"#),
        Selector::parse(r#"[itemprop~="name"]"#),
    ) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for a in doc.select(&author) {
        let text = a
            .select(&name)
            .next()
            .map(|n| n.text().collect::<String>())
            .unwrap_or_else(|| a.text().collect::<String>());
        let text = tidy_text(&text);
        let text = text
            .trim_start_matches("By ")
            .trim_start_matches("by ")
            .trim_end_matches([',', ' '])
            .to_string();
        if !text.is_empty() && text.len() < 80 && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// A title without the site's name before or after it: "TechCrunch |
/// Story" and "Story - BusinessWeek" -> "Story". Only a part that names the
/// site is removed.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.map(str::to_lowercase).filter(|s| !s.is_empty()) else {
        return title.trim().to_string();
    };
    for sep in [" | ", " - ", " — ", " – ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.to_lowercase().contains(&site)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
        if let Some((head, tail)) = title.split_once(sep)
            && head.to_lowercase().contains(&site)
            && !tail.trim().is_empty()
        {
            return tail.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// "Drone strike on Kremlin | CNN Politics" -> "Drone strike on Kremlin".
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " — ", " – ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_is_site = site.is_some_and(|s| tail.to_lowercase().contains(&s.to_lowercase()));
            if tail_is_site || (tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3)
            {
                return head.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

/// The text of a page's paragraphs, when readability finds no article.
fn paragraph_text(doc: &Html) -> String {
    let Ok(sel) = Selector::parse("p") else {
        return String::new();
    };
    doc.select(&sel)
        .map(|p| tidy_text(&p.text().collect::<String>()))
        .filter(|t| t.split_whitespace().count() >= 5)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Text with runs of spaces folded, lines trimmed and at most one blank
/// line between paragraphs.
pub fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(&line);
        blank = 0;
    }
    out
}

/// The host of a URL without `www.`: `https://www.cnn.com/x` -> `cnn.com`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head>
<title>Drone strike on the Kremlin | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-05-25T23:30:00-04:00">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://www.example.com/world/2023/05/24/drone-strike">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Drone strike on the Kremlin</h1>
<p>US officials have heard Ukrainian officials blame one another for a drone strike on the Kremlin earlier this month, sources told the paper.</p>
<p>Some military and intelligence officials from Ukraine speculate that the operation was carried out by special operations personnel.</p>
<p>The drones that attacked the Kremlin seemed small and carried a very low payload, which is likely why air defences were not activated.</p>
</article><aside>Related: <a href="/x">Other story</a></aside><footer>© Example</footer></body></html>"#;

    #[test]
    fn reads_the_article_and_its_metadata() {
        let mut out = Outcome::default();
        HtmlReader
            .read(&mut PAGE.as_bytes(), &SourceFile::new("p.html"), &mut out)
            .unwrap();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Drone strike on the Kremlin"));
        // The publisher's day, not UTC's (which is the 26th).
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(a.source.as_ref().unwrap().name, "Example News");
        assert_eq!(
            a.url.as_deref(),
            Some("https://www.example.com/world/2023/05/24/drone-strike")
        );
        assert_eq!(a.id, "https://www.example.com/world/2023/05/24/drone-strike");
        assert_eq!(a.authors, vec!["Jane Doe"]);
        assert_eq!(a.language.as_deref(), Some("en-GB"));
        assert!(a.body.starts_with("US officials have heard"), "{}", a.body);
        assert!(a.body.contains("\n\nSome military"), "{}", a.body);
        assert!(
            !a.body.contains("Related") && !a.body.contains("Home"),
            "{}",
            a.body
        );
    }

    #[test]
    fn deep_pages_skip_readability_instead_of_crashing() {
        let deep = format!(
            "<html><body><article>{}<p>{}</p></article></body></html>",
            "<span>".repeat(200_000),
            "word ".repeat(30)
        );
        assert!(nesting_depth(&deep) > MAX_NESTING);
        assert!(nesting_depth(PAGE) < 20);
        let mut out = Outcome::default();
        HtmlReader
            .read(&mut deep.as_bytes(), &SourceFile::new("deep.html"), &mut out)
            .unwrap();
        assert_eq!(out.articles.len() + out.problems.len(), 1);
    }

    #[test]
    fn a_sidebar_time_is_not_the_article_date() {
        let page = r#"<html><body><aside><time datetime="2019-01-01">old</time></aside>
<article><h1>T</h1><time datetime="2023-05-25T10:00:00+02:00">today</time><p>The harbour cranes were repaired after the storm damaged them last week.</p></article></body></html>"#;
        let mut out = Outcome::default();
        HtmlReader
            .read(&mut page.as_bytes(), &SourceFile::new("t.html"), &mut out)
            .unwrap();
        assert_eq!(out.articles[0].date.unwrap().day.to_string(), "2023-05-25");
    }

    #[test]
    fn dates_in_urls_and_site_suffixes() {
        let d = |u: &str| date_in_url(u).map(|d| d.day.to_string());
        assert_eq!(d("https://x.com/2023/05/25/story"), Some("2023-05-25".into()));
        assert_eq!(
            d("https://x.com/news/2023-05-25-story"),
            Some("2023-05-25".into())
        );
        assert_eq!(d("https://x.com/20230525/story"), Some("2023-05-25".into()));
        assert_eq!(d("https://x.com/story/12345"), None);
        assert_eq!(
            strip_site_suffix("Drone strike hits Kremlin | CNN Politics", Some("CNN")),
            "Drone strike hits Kremlin"
        );
        assert_eq!(host_of("https://www.BBC.co.uk/news"), Some("bbc.co.uk".into()));
    }
}
