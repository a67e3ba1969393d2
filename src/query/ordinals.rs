//! Global ordinals: each facet column's values numbered once across all
//! segments, and each article's values and month as those numbers.
//!
//! Counting facets segment by segment has to name every counted value in
//! every segment and merge the names in a hash map: over a whole archive
//! that is most of the cost. With the values numbered once per searcher
//! (what Elasticsearch calls global ordinals), a count is additions into a
//! flat table and only the values shown are ever named. The tables cost one
//! whole-archive count to build, so [`super::facets`] builds them for a
//! large count, or keeps them for a long-lived process, and counts small
//! sets without them.

use std::collections::HashMap;

use chrono::Datelike;
use rayon::prelude::*;
use tantivy::Searcher;

use super::bits::DocBits;
use crate::index::document::tantivy_to_day;
use crate::index::schema::name_key;

/// A month as `year × 12 + month − 1`; [`NO_MONTH`] when undated.
pub type Month = i32;

/// The month of an undated article.
pub const NO_MONTH: Month = Month::MIN;

/// The month of a day.
pub fn month_of(day: chrono::NaiveDate) -> Month {
    day.year() * 12 + day.month0() as i32
}

/// The facet columns of an index, numbered across segments.
#[derive(Debug)]
pub struct FacetTables {
    /// One table per column, in the order they were asked for.
    pub columns: Vec<ColumnTable>,
    /// Each segment's articles' months, by rank.
    months: Vec<Vec<Month>>,
}

/// One facet column, numbered across segments.
#[derive(Debug)]
pub struct ColumnTable {
    /// The values, by global ordinal (in byte order).
    pub values: Vec<String>,
    /// Each value's group: values with the same [`name_key`] share one.
    pub group: Vec<u32>,
    /// How many groups there are.
    pub groups: usize,
    /// Whether each value has a lowercase letter (is not ALL CAPS).
    pub has_lower: Vec<bool>,
    /// Each value's count over all live articles.
    pub all: Vec<u32>,
    /// By segment: where each article's values start in `ids` (by rank, one
    /// more than there are articles), and the values as global ordinals.
    segments: Vec<(Vec<u32>, Vec<u32>)>,
}

impl FacetTables {
    /// Builds the tables of `columns` over the live articles of each
    /// segment (`articles`, by segment ordinal).
    pub fn build(
        searcher: &Searcher,
        articles: &[DocBits],
        columns: &[&str],
    ) -> tantivy::Result<FacetTables> {
        let tables = columns
            .par_iter()
            .map(|column| ColumnTable::build(searcher, articles, column))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let months = searcher
            .segment_readers()
            .iter()
            .zip(articles)
            .map(|(reader, docs)| {
                let dates = reader.fast_fields().date("date").ok();
                docs.iter()
                    .map(|doc| {
                        dates
                            .as_ref()
                            .and_then(|d| d.first(doc))
                            .and_then(tantivy_to_day)
                            .map_or(NO_MONTH, month_of)
                    })
                    .collect()
            })
            .collect();
        Ok(FacetTables {
            columns: tables,
            months,
        })
    }

    /// Counts the values of column `column` over articles at `positions`,
    /// by global ordinal.
    pub fn count(&self, column: usize, positions: &[(u32, u32)]) -> Vec<u32> {
        let Some(table) = self.columns.get(column) else {
            return Vec::new();
        };
        let mut counts = vec![0u32; table.values.len()];
        for &(segment, rank) in positions {
            for &id in table.values_of(segment as usize, rank as usize) {
                if let Some(n) = counts.get_mut(id as usize) {
                    *n += 1;
                }
            }
        }
        counts
    }

    /// Counts the articles at `positions` by month.
    pub fn count_months(&self, positions: &[(u32, u32)]) -> HashMap<Month, usize> {
        let mut out = HashMap::new();
        for &(segment, rank) in positions {
            if let Some(&m) = self
                .months
                .get(segment as usize)
                .and_then(|m| m.get(rank as usize))
                && m != NO_MONTH
            {
                *out.entry(m).or_default() += 1;
            }
        }
        out
    }
}

impl ColumnTable {
    fn build(searcher: &Searcher, articles: &[DocBits], column: &str) -> tantivy::Result<ColumnTable> {
        let mut columns = Vec::new();
        let mut local_values: Vec<Vec<String>> = Vec::new();
        for reader in searcher.segment_readers() {
            let col = reader.fast_fields().str(column)?;
            let mut values = Vec::new();
            if let Some(col) = &col {
                let mut stream = col.dictionary().stream()?;
                while stream.advance() {
                    values.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
            }
            columns.push(col);
            local_values.push(values);
        }
        let mut values: Vec<String> = local_values.iter().flatten().cloned().collect();
        values.sort_unstable();
        values.dedup();
        let global = |v: &String| values.binary_search(v).map_or(u32::MAX, |i| i as u32);
        let local_to_global: Vec<Vec<u32>> = local_values
            .iter()
            .map(|vs| vs.iter().map(global).collect())
            .collect();

        let mut groups: HashMap<String, u32> = HashMap::new();
        let group = values
            .iter()
            .map(|v| {
                let n = groups.len() as u32;
                *groups.entry(name_key(v)).or_insert(n)
            })
            .collect();

        let segments: Vec<(Vec<u32>, Vec<u32>)> = columns
            .iter()
            .zip(articles)
            .zip(&local_to_global)
            .map(|((col, docs), map)| {
                let mut starts = vec![0u32];
                let mut ids = Vec::new();
                for doc in docs.iter() {
                    if let Some(col) = col {
                        ids.extend(
                            col.term_ords(doc)
                                .filter_map(|o| map.get(o as usize).copied())
                                .filter(|&id| id != u32::MAX),
                        );
                    }
                    starts.push(ids.len() as u32);
                }
                (starts, ids)
            })
            .collect();
        let mut all = vec![0u32; values.len()];
        for (_, ids) in &segments {
            for &id in ids {
                if let Some(n) = all.get_mut(id as usize) {
                    *n += 1;
                }
            }
        }
        Ok(ColumnTable {
            has_lower: values.iter().map(|v| v.chars().any(char::is_lowercase)).collect(),
            values,
            group,
            groups: groups.len(),
            segments,
            all,
        })
    }

    /// The values (global ordinals) of the article of rank `rank` in
    /// segment `segment`.
    fn values_of(&self, segment: usize, rank: usize) -> &[u32] {
        let Some((starts, ids)) = self.segments.get(segment) else {
            return &[];
        };
        match (starts.get(rank), starts.get(rank + 1)) {
            (Some(&a), Some(&b)) => ids.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}
