//! Matches over time: counts per calendar day, week, month or year.
//!
//! A search that asks for [`SearchRequest::days`](super::SearchRequest)
//! returns how many matching articles fall on each day ([`DayCounts`]);
//! [`histogram`] groups those days into calendar buckets. Weeks are ISO
//! weeks (Monday to Sunday), months and years are calendar ones, and every
//! bucket between the first and the last is present, empty ones as zero.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

/// How many matching articles fall on each day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Articles per day, for days with at least one.
    pub days: BTreeMap<NaiveDate, usize>,
    /// Matching articles without a date.
    pub undated: usize,
}

impl DayCounts {
    /// The first and last day with an article.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.days.keys().next()?, *self.days.keys().next_back()?))
    }
}

/// The width of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// One calendar day.
    Day,
    /// One ISO week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
    /// One calendar year.
    Year,
}

impl Bucket {
    /// The bucket that gives a readable number of bars (at most about 60)
    /// over a span of days.
    pub fn fitting(first: NaiveDate, last: NaiveDate) -> Bucket {
        let days = (last - first).num_days();
        if days < 60 {
            Bucket::Day
        } else if days < 7 * 60 {
            Bucket::Week
        } else if days < 30 * 60 {
            Bucket::Month
        } else {
            Bucket::Year
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        let first = match self {
            Bucket::Day => Some(day),
            Bucket::Week => day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday()))),
            Bucket::Month => day.with_day(1),
            Bucket::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1),
        };
        first.unwrap_or(day)
    }

    /// The first day of the next bucket after the one starting at `start`.
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Bucket::Day => start.checked_add_days(Days::new(1)),
            Bucket::Week => start.checked_add_days(Days::new(7)),
            Bucket::Month => start.checked_add_months(Months::new(1)),
            Bucket::Year => start.checked_add_months(Months::new(12)),
        }
    }

    /// How a bucket starting at `start` is written: `1987-03-02`,
    /// `1987-W10`, `1987-03`, `1987`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Bucket::Day => start.format("%Y-%m-%d").to_string(),
            Bucket::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Bucket::Month => start.format("%Y-%m").to_string(),
            Bucket::Year => start.format("%Y").to_string(),
        }
    }
}

/// One bucket of a histogram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bar {
    /// How the bucket is written (`1987-03`, `1987-W10`, ...).
    pub label: String,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// Matching articles in it.
    pub count: usize,
}

/// The most buckets one histogram may have (a century of days).
pub const MAX_BARS: usize = 36_600;

/// Counts per bucket from the first day to the last, both given or taken
/// from the counts; empty buckets are zero. `None` when there is no day to
/// start from, or when the range needs more than [`MAX_BARS`] buckets.
pub fn histogram(
    counts: &DayCounts,
    by: Bucket,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Option<Vec<Bar>> {
    let span = counts.span();
    let first = first.or(span.map(|s| s.0))?;
    let last = last.or(span.map(|s| s.1))?.max(first);
    let mut bars = Vec::new();
    let mut start = by.start(first);
    while start <= last {
        if bars.len() == MAX_BARS {
            return None;
        }
        let next = by.next(start);
        let end = next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX);
        let count = counts.days.range(start..=end).map(|(_, n)| n).sum();
        bars.push(Bar {
            label: by.label(start),
            start,
            end,
            count,
        });
        match next {
            Some(n) => start = n,
            None => break,
        }
    }
    Some(bars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn counts(days: &[(&str, usize)]) -> DayCounts {
        DayCounts {
            days: days.iter().map(|(d, n)| (day(d), *n)).collect(),
            undated: 0,
        }
    }

    fn bars(h: &[Bar]) -> Vec<(&str, usize)> {
        h.iter().map(|b| (b.label.as_str(), b.count)).collect()
    }

    #[test]
    fn months_are_calendar_months_and_empty_ones_count_zero() {
        let c = counts(&[("1987-01-31", 2), ("1987-02-01", 1), ("1987-04-30", 4)]);
        let h = histogram(&c, Bucket::Month, None, None).unwrap();
        assert_eq!(
            bars(&h),
            [("1987-01", 2), ("1987-02", 1), ("1987-03", 0), ("1987-04", 4)]
        );
        assert_eq!((h[1].start, h[1].end), (day("1987-02-01"), day("1987-02-28")));
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        // 1987-03-01 was a Sunday, 1987-03-02 a Monday.
        let c = counts(&[
            ("1987-03-01", 1),
            ("1987-03-02", 2),
            ("1987-03-08", 3),
            ("1987-03-09", 4),
        ]);
        let h = histogram(&c, Bucket::Week, None, None).unwrap();
        assert_eq!(bars(&h), [("1987-W09", 1), ("1987-W10", 5), ("1987-W11", 4)]);
        assert_eq!((h[1].start, h[1].end), (day("1987-03-02"), day("1987-03-08")));
        // An ISO week belongs to the year of its Thursday.
        assert_eq!(
            Bucket::Week.label(Bucket::Week.start(day("2021-01-01"))),
            "2020-W53"
        );
    }

    #[test]
    fn a_given_range_widens_the_histogram_with_zeros() {
        let c = counts(&[("1987-03-15", 1)]);
        let h = histogram(&c, Bucket::Day, Some(day("1987-03-14")), Some(day("1987-03-16"))).unwrap();
        assert_eq!(
            bars(&h),
            [("1987-03-14", 0), ("1987-03-15", 1), ("1987-03-16", 0)]
        );
        let h = histogram(&c, Bucket::Year, Some(day("1985-06-01")), None).unwrap();
        assert_eq!(bars(&h), [("1985", 0), ("1986", 0), ("1987", 1)]);
    }

    #[test]
    fn nothing_to_count_and_too_many_buckets() {
        assert_eq!(histogram(&DayCounts::default(), Bucket::Month, None, None), None);
        let c = counts(&[("1987-03-15", 1)]);
        assert_eq!(histogram(&c, Bucket::Day, Some(day("1800-01-01")), None), None);
    }

    #[test]
    fn the_fitting_bucket_keeps_bars_few() {
        assert_eq!(Bucket::fitting(day("1987-03-01"), day("1987-03-31")), Bucket::Day);
        assert_eq!(
            Bucket::fitting(day("1987-02-26"), day("1987-10-20")),
            Bucket::Week
        );
        assert_eq!(
            Bucket::fitting(day("1987-01-01"), day("1990-12-31")),
            Bucket::Month
        );
        assert_eq!(
            Bucket::fitting(day("1950-01-01"), day("2020-12-31")),
            Bucket::Year
        );
    }
}
