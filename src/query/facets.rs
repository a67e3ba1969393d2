//! Facets: how many matching articles have each source, person,
//! organisation, place and month.
//!
//! Counting reads the fast columns of the article documents (the only
//! documents that have them), so each article counts once however many of
//! its passages matched.

use std::collections::HashMap;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::{DocId, Searcher, SegmentOrdinal};

use crate::index::Fields;
use crate::index::document::tantivy_to_day;
use crate::index::schema::name_key;

/// One facet value and the number of articles that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value as displayed (`CNN`, `Volodymyr Zelenskyy`, `2023-05`).
    pub value: String,
    /// How many matching articles have it.
    pub count: usize,
}

/// Counts for each facet, most frequent first (months in calendar order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Sources.
    pub source: Vec<FacetCount>,
    /// People.
    pub person: Vec<FacetCount>,
    /// Organisations.
    pub org: Vec<FacetCount>,
    /// Places.
    pub place: Vec<FacetCount>,
    /// Topics.
    pub topic: Vec<FacetCount>,
    /// Publication months, `YYYY-MM`, oldest first.
    pub month: Vec<FacetCount>,
}

/// Counts facets over articles given by their article documents, segment
/// by segment, keeping the `limit` most frequent values of each facet.
pub fn count_facets(
    searcher: &Searcher,
    fields: &Fields,
    segments: &[(SegmentOrdinal, Vec<DocId>)],
    limit: usize,
) -> tantivy::Result<Facets> {
    let names = [
        fields.source,
        fields.person,
        fields.org,
        fields.place,
        fields.topic,
    ]
    .map(|f| f.name_column);
    // Each facet on its own core: they share nothing until the end.
    let counted = names
        .par_iter()
        .map(|column| Ok(top(count_column(searcher, segments, column)?, limit)))
        .collect::<tantivy::Result<Vec<Vec<FacetCount>>>>()?;
    let mut counted = counted.into_iter();
    let mut next = || counted.next().unwrap_or_default();
    let (source, person, org, place, topic) = (next(), next(), next(), next(), next());
    // (year × 12 + month − 1) → articles; named once at the end.
    let mut months: HashMap<i32, usize> = HashMap::new();
    for (segment, doc_ids) in segments {
        let reader = searcher.segment_reader(*segment);
        if let Ok(dates) = reader.fast_fields().date("date") {
            for &doc in doc_ids {
                if let Some(day) = dates.first(doc).and_then(tantivy_to_day) {
                    *months.entry(day.year() * 12 + day.month0() as i32).or_default() += 1;
                }
            }
        }
    }
    let mut month: Vec<(i32, usize)> = months.into_iter().collect();
    month.sort_unstable();
    let month = month
        .into_iter()
        .map(|(m, count)| FacetCount {
            value: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            count,
        })
        .collect();
    Ok(Facets {
        source,
        person,
        org,
        place,
        topic,
        month,
    })
}

/// Counts the values of one string column over the documents of each
/// segment, by name.
fn count_column(
    searcher: &Searcher,
    segments: &[(u32, Vec<u32>)],
    column: &str,
) -> tantivy::Result<FastMap<String, usize>> {
    let mut counts: FastMap<String, usize> = FastMap::default();
    let mut scratch = String::new();
    let mut per_ord: Vec<u32> = Vec::new();
    for (segment, doc_ids) in segments {
        let reader = searcher.segment_reader(*segment);
        let Some(col) = reader.fast_fields().str(column)? else {
            continue;
        };
        // Ords are dense: count in a flat table, then name the counted.
        per_ord.clear();
        per_ord.resize(col.num_terms(), 0);
        for &doc in doc_ids {
            for ord in col.term_ords(doc) {
                if let Some(n) = per_ord.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
        // One sequential pass over the dictionary for all counted ords.
        let ords: Vec<u64> = (0..per_ord.len() as u64)
            .filter(|&o| per_ord[o as usize] > 0)
            .collect();
        counts.reserve(ords.len());
        let mut counted = ords.iter().map(|&o| per_ord[o as usize] as usize);
        col.dictionary().sorted_ords_to_term_cb(&ords, |term| {
            let n = counted.next().unwrap_or(0);
            scratch.clear();
            match std::str::from_utf8(term) {
                Ok(t) => scratch.push_str(t),
                Err(_) => scratch.push_str(&String::from_utf8_lossy(term)),
            }
            match counts.get_mut(scratch.as_str()) {
                Some(c) => *c += n,
                None => {
                    counts.insert(scratch.clone(), n);
                }
            }
        })?;
    }
    Ok(counts)
}

/// A hash map with a fast hasher: facet values are not attacker-chosen
/// keys of a long-lived map, and counting hashes tens of thousands of them.
type FastMap<K, V> = HashMap<K, V, xxhash_rust::xxh3::Xxh3Builder>;

/// [`name_key`] into a reused buffer (the common all-ASCII case without
/// allocating).
fn name_key_into(name: &str, out: &mut String) {
    out.clear();
    if !name.is_ascii() {
        out.push_str(&name_key(name));
        return;
    }
    for word in name.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    }
}

/// The `limit` most frequent values, ties in alphabetical order. Names that
/// differ only in case or spacing ("Reuters", "reuters") count as one,
/// shown in their most frequent form.
fn top(counts: impl IntoIterator<Item = (String, usize)>, limit: usize) -> Vec<FacetCount> {
    // name key -> (total, shown form, count of the shown form)
    let counts = counts.into_iter();
    let mut merged: FastMap<String, (usize, String, usize)> = FastMap::default();
    merged.reserve(counts.size_hint().0);
    let mut key = String::new();
    for (value, count) in counts {
        name_key_into(&value, &mut key);
        let Some(entry) = merged.get_mut(key.as_str()) else {
            merged.insert(key.clone(), (count, value, count));
            continue;
        };
        entry.0 += count;
        // Shown in its most frequent form, but a headline's ALL CAPS only
        // when there is no other.
        let caps = |v: &str| v.chars().any(char::is_lowercase);
        let better = match (caps(&value), caps(&entry.1)) {
            (true, false) => true,
            (false, true) => false,
            _ => count > entry.2 || (count == entry.2 && value < entry.1),
        };
        if better {
            entry.1 = value;
            entry.2 = count;
        }
    }
    let mut v: Vec<FacetCount> = merged
        .into_values()
        .map(|(count, value, _)| FacetCount { value, count })
        .collect();
    let order = |a: &FacetCount, b: &FacetCount| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value));
    if limit < v.len() {
        if limit > 0 {
            v.select_nth_unstable_by(limit - 1, order);
        }
        v.truncate(limit);
    }
    v.sort_by(order);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_variants_count_as_one_name() {
        let counts = FastMap::from_iter([
            ("Reuters".to_string(), 2),
            ("reuters".to_string(), 1),
            ("AP".to_string(), 3),
        ]);
        let got = top(counts, 10);
        assert_eq!(
            top(
                FastMap::from_iter([("b".to_string(), 1), ("a".to_string(), 1), ("c".to_string(), 2)]),
                2
            ),
            vec![
                FacetCount {
                    value: "c".into(),
                    count: 2
                },
                FacetCount {
                    value: "a".into(),
                    count: 1
                }
            ]
        );
        let mut key = String::new();
        name_key_into("  Volodymyr   ZELENSKYY ", &mut key);
        assert_eq!(key, name_key("  Volodymyr   ZELENSKYY "));
        assert_eq!(
            got,
            vec![
                FacetCount {
                    value: "AP".into(),
                    count: 3
                },
                FacetCount {
                    value: "Reuters".into(),
                    count: 3
                }
            ]
        );
    }
}
