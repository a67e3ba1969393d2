//! Facets: how many matching articles have each source, person,
//! organisation, place and month.
//!
//! Counting reads the fast columns of one document per article, so each
//! article counts once however many of its passages matched.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::{DocAddress, Searcher};

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

/// Counts facets over the articles whose documents are `docs` (one each),
/// keeping the `limit` most frequent values of each facet.
pub fn count_facets(
    searcher: &Searcher,
    fields: &Fields,
    docs: &[DocAddress],
    limit: usize,
) -> tantivy::Result<Facets> {
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for d in docs {
        by_segment.entry(d.segment_ord).or_default().push(d.doc_id);
    }
    let names = [
        fields.source,
        fields.person,
        fields.org,
        fields.place,
        fields.topic,
    ]
    .map(|f| f.name_column);
    let mut counts: [HashMap<String, usize>; 5] = Default::default();
    let mut months: HashMap<String, usize> = HashMap::new();
    let mut scratch = String::new();
    for (segment, doc_ids) in by_segment {
        let reader = searcher.segment_reader(segment);
        let ff = reader.fast_fields();
        for (i, column) in names.iter().enumerate() {
            let Some(col) = ff.str(column)? else { continue };
            let mut per_ord: HashMap<u64, usize> = HashMap::new();
            for &doc in &doc_ids {
                for ord in col.term_ords(doc) {
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
            for (ord, n) in per_ord {
                scratch.clear();
                if col.ord_to_str(ord, &mut scratch)? {
                    *counts[i].entry(scratch.clone()).or_default() += n;
                }
            }
        }
        if let Ok(dates) = ff.date("date") {
            for &doc in &doc_ids {
                if let Some(day) = dates.first(doc).and_then(tantivy_to_day) {
                    *months.entry(day.format("%Y-%m").to_string()).or_default() += 1;
                }
            }
        }
    }
    let [source, person, org, place, topic] = counts.map(|c| top(c, limit));
    let mut month: Vec<FacetCount> = months
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    month.sort_by(|a, b| a.value.cmp(&b.value));
    Ok(Facets {
        source,
        person,
        org,
        place,
        topic,
        month,
    })
}

/// The `limit` most frequent values, ties in alphabetical order. Names that
/// differ only in case or spacing ("Reuters", "reuters") count as one,
/// shown in their most frequent form.
fn top(counts: HashMap<String, usize>, limit: usize) -> Vec<FacetCount> {
    // name key -> (total, shown form, count of the shown form)
    let mut merged: HashMap<String, (usize, String, usize)> = HashMap::new();
    for (value, count) in counts {
        let entry = merged.entry(name_key(&value)).or_insert((0, value.clone(), 0));
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
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(limit);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_variants_count_as_one_name() {
        let counts = HashMap::from([
            ("Reuters".to_string(), 2),
            ("reuters".to_string(), 1),
            ("AP".to_string(), 3),
        ]);
        let got = top(counts, 10);
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
