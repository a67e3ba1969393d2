//! Facets: how many matching articles have each source, person,
//! organisation, place and month.
//!
//! Counting reads the fast columns of the article documents (the only
//! documents that have them), so each article counts once however many of
//! its passages matched.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::{DocId, Searcher, SegmentOrdinal};

use super::derived::Derived;
use super::ordinals::{ColumnTable, FacetTables, Month, month_of};
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

/// The fast columns of the facets, in [`Facets`] order.
const COLUMNS: [&str; 5] = [
    "source_name",
    "person_name",
    "org_name",
    "place_name",
    "topic_name",
];

/// Counts facets over articles given by their article documents, segment
/// by segment, keeping the `limit` most frequent values of each facet.
///
/// A count over half the archive or more builds the global ordinals
/// ([`super::ordinals`]) and keeps them in `derived`; once built, every
/// count uses them. Smaller counts, in a process that has not built them,
/// name the values they count segment by segment. Both give the same counts.
pub fn count_facets(
    searcher: &Searcher,
    fields: &Fields,
    derived: &Derived,
    segments: &[(SegmentOrdinal, Vec<DocId>)],
    limit: usize,
) -> tantivy::Result<Facets> {
    debug_assert_eq!(
        COLUMNS,
        [
            fields.source,
            fields.person,
            fields.org,
            fields.place,
            fields.topic
        ]
        .map(|f| f.name_column)
    );
    let counted: usize = segments.iter().map(|(_, docs)| docs.len()).sum();
    let tables = match derived.built_facet_tables() {
        Some(t) => Some(t),
        None if counted > 0 && counted * 2 >= derived.article_count => {
            Some(derived.facet_tables(searcher, &COLUMNS)?)
        }
        None => None,
    };
    match tables {
        Some(t) => Ok(count_with_tables(&t, derived, segments, limit)),
        None => count_by_segment(searcher, segments, limit),
    }
}

/// Counts with the global ordinals.
fn count_with_tables(
    t: &FacetTables,
    derived: &Derived,
    segments: &[(SegmentOrdinal, Vec<DocId>)],
    limit: usize,
) -> Facets {
    let positions = derived.positions(segments);
    // Every article: the counts were made with the tables.
    let everything = positions.len() == derived.article_count;
    let counted: Vec<Vec<FacetCount>> = (0..COLUMNS.len())
        .into_par_iter()
        .map(|c| match t.columns.get(c) {
            Some(table) if everything => top_of_table(table, &table.all, limit),
            Some(table) => top_of_table(table, &t.count(c, &positions), limit),
            None => Vec::new(),
        })
        .collect();
    facets_of(counted, t.count_months(&positions))
}

/// Counts by naming each segment's counted values.
fn count_by_segment(
    searcher: &Searcher,
    segments: &[(SegmentOrdinal, Vec<DocId>)],
    limit: usize,
) -> tantivy::Result<Facets> {
    // Each facet on its own core: they share nothing until the end.
    let counted = COLUMNS
        .par_iter()
        .map(|column| Ok(top(count_column(searcher, segments, column)?, limit)))
        .collect::<tantivy::Result<Vec<Vec<FacetCount>>>>()?;
    let mut months: HashMap<Month, usize> = HashMap::new();
    for (segment, doc_ids) in segments {
        let reader = searcher.segment_reader(*segment);
        if let Ok(dates) = reader.fast_fields().date("date") {
            for &doc in doc_ids {
                if let Some(day) = dates.first(doc).and_then(tantivy_to_day) {
                    *months.entry(month_of(day)).or_default() += 1;
                }
            }
        }
    }
    Ok(facets_of(counted, months))
}

/// The facets from their counts, in [`COLUMNS`] order, and months.
fn facets_of(counted: Vec<Vec<FacetCount>>, months: HashMap<Month, usize>) -> Facets {
    let mut counted = counted.into_iter();
    let mut next = || counted.next().unwrap_or_default();
    let (source, person, org, place, topic) = (next(), next(), next(), next(), next());
    let mut month: Vec<(Month, usize)> = months.into_iter().collect();
    month.sort_unstable();
    let month = month
        .into_iter()
        .map(|(m, count)| FacetCount {
            value: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            count,
        })
        .collect();
    Facets {
        source,
        person,
        org,
        place,
        topic,
        month,
    }
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
        if shows_better(&value, count, &entry.1, entry.2) {
            entry.1 = value;
            entry.2 = count;
        }
    }
    let v = merged
        .into_values()
        .map(|(count, value, _)| FacetCount { value, count })
        .collect();
    most_frequent(v, limit)
}

/// [`top`] over a column's global ordinals and their counts.
fn top_of_table(table: &ColumnTable, counts: &[u32], limit: usize) -> Vec<FacetCount> {
    // Per group: total, and the shown value with its count.
    let mut total = vec![0usize; table.groups];
    let mut shown: Vec<(u32, u32)> = vec![(u32::MAX, 0); table.groups];
    for (id, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let Some(&g) = table.group.get(id) else {
            continue;
        };
        let g = g as usize;
        total[g] += n as usize;
        let (best, best_n) = shown[g];
        let better = best == u32::MAX || {
            let (a, b) = (id, best as usize);
            let lower = &table.has_lower;
            prefer(
                (lower[a], n as usize, &table.values[a]),
                (lower[b], best_n as usize, &table.values[b]),
            )
        };
        if better {
            shown[g] = (id as u32, n);
        }
    }
    // (count, shown value): only the values kept are copied.
    let mut groups: Vec<(usize, &str)> = total
        .iter()
        .zip(&shown)
        .filter(|(count, _)| **count > 0)
        .filter_map(|(&count, &(id, _))| Some((count, table.values.get(id as usize)?.as_str())))
        .collect();
    let order = |a: &(usize, &str), b: &(usize, &str)| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
    if limit < groups.len() {
        if limit > 0 {
            groups.select_nth_unstable_by(limit - 1, order);
        }
        groups.truncate(limit);
    }
    groups.sort_by(order);
    groups
        .into_iter()
        .map(|(count, value)| FacetCount {
            value: value.to_string(),
            count,
        })
        .collect()
}

/// Whether `value`, counted `count` times, is a better form to show than
/// `shown`, counted `shown_count` times (see [`prefer`]).
fn shows_better(value: &str, count: usize, shown: &str, shown_count: usize) -> bool {
    let lower = |v: &str| v.chars().any(char::is_lowercase);
    prefer((lower(value), count, value), (lower(shown), shown_count, shown))
}

/// Of two forms of a name, each (has a lowercase letter, count, form),
/// whether to show the first: the most frequent form, but a headline's ALL
/// CAPS only when there is no other, ties alphabetical.
fn prefer(a: (bool, usize, &str), b: (bool, usize, &str)) -> bool {
    match (a.0, b.0) {
        (true, false) => true,
        (false, true) => false,
        _ => a.1 > b.1 || (a.1 == b.1 && a.2 < b.2),
    }
}

/// The `limit` most frequent, most frequent first, ties alphabetical.
fn most_frequent(mut v: Vec<FacetCount>, limit: usize) -> Vec<FacetCount> {
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
    use crate::article::{Article, EntityKind, Provenance, PubDate, Source, SourceOrigin};
    use crate::index::NewsIndex;
    use crate::query::derived::derived;

    #[test]
    fn global_ordinals_count_what_segments_count() {
        let index = NewsIndex::in_ram().unwrap();
        let sources = ["Reuters", "reuters", "REUTERS", "AP", "Agence France-Presse"];
        let people = ["Paul Volcker", "PAUL VOLCKER", "James Baker", "Karl Otto Pöhl"];
        // Three commits, so three segments with different dictionaries.
        for round in 0..3 {
            let mut w = index.indexer().unwrap();
            for i in 0..40 {
                let n = round * 40 + i;
                let mut a = Article::new(format!("a{n}"), "Some text.", Provenance::file("x.jsonl"));
                a.source = Some(Source {
                    name: sources[(n * 7 + round) % sources.len()].into(),
                    origin: SourceOrigin::Given,
                });
                for p in people.iter().skip(n % 3).step_by(2) {
                    a.entities.of_mut(EntityKind::Person).push((*p).to_string());
                }
                if n % 4 != 0 {
                    a.date = Some(PubDate::day(
                        chrono::NaiveDate::from_ymd_opt(1987, 1 + (n % 12) as u32, 1).unwrap(),
                    ));
                }
                a.tags = vec![format!("topic{}", n % (5 + round))];
                w.upsert(&a).unwrap();
            }
            w.commit().unwrap();
        }
        let searcher = index.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let derived = derived(&index, &searcher).unwrap();
        let tables = derived.facet_tables(&searcher, &COLUMNS).unwrap();
        let all = derived.article_docs();
        for keep in [1, 2, 3, 7] {
            let some: Vec<(SegmentOrdinal, Vec<DocId>)> = all
                .iter()
                .map(|(s, docs)| (*s, docs.iter().copied().step_by(keep).collect()))
                .collect();
            for limit in [1, 3, 100] {
                let by_segment = count_by_segment(&searcher, &some, limit).unwrap();
                assert_eq!(
                    count_with_tables(&tables, &derived, &some, limit),
                    by_segment,
                    "every {keep}th, top {limit}"
                );
                assert!(!by_segment.person.is_empty() && !by_segment.month.is_empty());
            }
        }
        let whole = count_with_tables(&tables, &derived, &all, 10);
        assert_eq!(whole.source[0].value, "Reuters", "{:?}", whole.source);
        assert_eq!(whole.source[0].count, 72);
    }

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
