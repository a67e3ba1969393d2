//! Feeds (`.rss`, `.atom`, `.xml` that is a feed, `.json` that is a JSON
//! Feed): RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed by `feed-rs`. Each
//! item is an article: title, link, date (`pubDate`, `published` or
//! `updated`), the content or description as text, authors, categories as
//! topics, and the feed's title as source.
//!
//! `feed-rs` turns dates into UTC; newsdex wants the publisher's own day,
//! so it parses each date itself (through the hook `feed-rs` offers) and
//! remembers the local day of each instant.

use std::collections::HashMap;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::html::tidy_text;
use super::{Reader, Severity, Sink, SourceFile};
use crate::article::{Article, Provenance, PubDate, Source, SourceOrigin};
use crate::enrich::date::parse_date;

/// RSS, Atom and JSON Feed documents.
pub struct FeedReader;

impl Reader for FeedReader {
    fn name(&self) -> &'static str {
        "feed"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["rss", "atom", "xml", "rdf"]
    }
    fn sniff(&self, head: &str) -> bool {
        let h = head.trim_start();
        h.starts_with("<?xml") && (h.contains("<rss") || h.contains("<feed") || h.contains("<rdf:RDF"))
            || h.starts_with("<rss")
            || h.starts_with("<feed")
            || (h.starts_with('{') && h.contains("jsonfeed.org/version"))
    }
    fn read(&self, input: &mut dyn BufRead, source: &SourceFile, out: &mut dyn Sink) -> io::Result<()> {
        let mut bytes = Vec::new();
        input.take(super::MAX_DOCUMENT_BYTES).read_to_end(&mut bytes)?;
        read_feed(&bytes, source, out);
        Ok(())
    }
}

/// Reads a feed document from bytes.
pub fn read_feed(bytes: &[u8], source: &SourceFile, out: &mut dyn Sink) {
    // Each instant parsed, with the publisher's day, in document order; and
    // the dates that could not be read.
    let days: Arc<Mutex<HashMap<i64, Vec<PubDate>>>> = Arc::default();
    let unreadable: Arc<Mutex<Vec<String>>> = Arc::default();
    let (seen, bad) = (Arc::clone(&days), Arc::clone(&unreadable));
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(move |text: &str| -> Option<DateTime<Utc>> {
            let Ok(d) = parse_date(text) else {
                if let Ok(mut b) = bad.lock() {
                    b.push(text.trim().chars().take(40).collect());
                }
                return None;
            };
            let instant = d
                .timestamp
                .unwrap_or_else(|| d.day.and_time(chrono::NaiveTime::MIN).and_utc());
            if let Ok(mut map) = seen.lock() {
                map.entry(instant.timestamp()).or_default().push(d);
            }
            Some(instant)
        })
        // No made-up ids: an item without a guid gets newsdex's derived id,
        // the same on every run.
        .id_generator(|_links, _title, _uri| String::new())
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            out.problem(source.problem(Severity::Skipped, format!("not a feed that can be read: {e}")));
            return;
        }
    };
    let mut days = days.lock().map(|m| m.clone()).unwrap_or_default();
    let mut day_of = |t: Option<DateTime<Utc>>| -> Option<PubDate> {
        let t = t?;
        // Items at the same instant in different zones: take their days in order.
        let local = days.get_mut(&t.timestamp()).and_then(|v| {
            if v.len() > 1 {
                Some(v.remove(0))
            } else {
                v.first().copied()
            }
        });
        Some(local.unwrap_or(PubDate {
            day: t.date_naive(),
            timestamp: Some(t),
        }))
    };
    if let Ok(bad) = unreadable.lock()
        && let Some(first) = bad.first()
    {
        out.problem(source.problem(
            Severity::Warning,
            format!(
                "{} dates could not be read (first: {first:?}); those items are indexed without one",
                bad.len()
            ),
        ));
    }
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| html_fragment_text(&t.content))
        .filter(|t| !t.is_empty());
    let feed_authors: Vec<String> = feed.authors.iter().filter_map(|p| p.name.clone()).collect();
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let record = i as u64 + 1;
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let body = html_fragment_text(&html);
        let title = entry
            .title
            .as_ref()
            .map(|t| tidy_text(&html_fragment_text(&t.content)))
            .filter(|t| !t.is_empty());
        if body.is_empty() && title.is_none() {
            out.problem(super::Problem {
                record: Some(record),
                ..source.problem(Severity::Skipped, "feed item with neither title nor text")
            });
            continue;
        }
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        // A guid that is a URL or URN is unique by itself; a bare one ("1")
        // is unique only within its feed.
        let guid = entry.id.trim();
        let id = if guid.is_empty() {
            source.derived_id(Some(record))
        } else if guid.contains(':') {
            guid.to_string()
        } else {
            format!("{}#{guid}", source.id_base)
        };
        let mut a = Article::new(
            id,
            body,
            Provenance {
                path: source.path.clone(),
                line: None,
                record: Some(record),
            },
        );
        a.title = title;
        a.url = url;
        a.date = day_of(entry.published.or(entry.updated));
        a.source = feed_title.clone().map(|name| Source {
            name,
            origin: SourceOrigin::Given,
        });
        let authors: Vec<String> = entry.authors.iter().filter_map(|p| p.name.clone()).collect();
        a.authors = if authors.is_empty() {
            feed_authors.clone()
        } else {
            authors
        };
        a.tags = entry
            .categories
            .iter()
            .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
            .collect();
        a.language = entry.language.clone().or_else(|| feed.language.clone());
        out.article(a);
    }
}

/// The text of an HTML fragment (feed content is usually HTML), with
/// paragraphs kept apart.
pub fn html_fragment_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return tidy_text(html);
    }
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    for node in fragment.root_element().descendants() {
        match node.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e) => {
                if matches!(
                    e.name(),
                    "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "blockquote" | "tr"
                ) {
                    out.push_str("\n\n");
                }
            }
            _ => {}
        }
    }
    tidy_text(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Outcome;

    #[test]
    fn rss_items_keep_their_publishers_day() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>Late story</title><link>https://example.com/a</link><guid>a1</guid>
<pubDate>Thu, 25 May 2023 23:30:00 -0700</pubDate><description>&lt;p&gt;First.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</description>
<category>World</category></item>
<item><title>No date</title><description>Text only.</description></item>
</channel></rss>"#;
        let mut out = Outcome::default();
        FeedReader
            .read(&mut rss.as_bytes(), &SourceFile::new("f.rss"), &mut out)
            .unwrap();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.id, "f.rss#a1");
        assert_eq!(a.title.as_deref(), Some("Late story"));
        assert_eq!(a.date.unwrap().day.to_string(), "2023-05-25");
        assert_eq!(
            a.date.unwrap().timestamp.unwrap().to_rfc3339(),
            "2023-05-26T06:30:00+00:00"
        );
        assert_eq!(a.body, "First.\n\nSecond.");
        assert_eq!(a.source.as_ref().unwrap().name, "Example Wire");
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.tags, vec!["World"]);
        assert_eq!(out.articles[1].date, None);
        assert_eq!(out.articles[1].id, "f.rss#2");
    }
}
