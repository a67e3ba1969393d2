//! Filters: date ranges, sources and entities, as the user writes them.
//!
//! Dates are inclusive and may be given to the year, month or day:
//! `--from 2023` starts on 1 January 2023, `--to 2023-05` ends on 31 May.
//! They may also be given as a time back from a reference day
//! ([`ago`]): `7d`, `3w`, `6m`, `1y`.

use chrono::{Datelike, Days, Months, NaiveDate};

/// What a search keeps, besides matching the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// The first day kept, inclusive.
    pub from: Option<NaiveDate>,
    /// The last day kept, inclusive.
    pub to: Option<NaiveDate>,
    /// Sources, any of which is kept (compared case-insensitively, whole names).
    pub sources: Vec<String>,
    /// People who must all be named.
    pub persons: Vec<String>,
    /// Organisations that must all be named.
    pub orgs: Vec<String>,
    /// Places that must all be named.
    pub places: Vec<String>,
    /// Names that must each be named as a person, organisation or place.
    pub entities: Vec<String>,
    /// Topics, any of which is kept (whole names, any case).
    pub topics: Vec<String>,
    /// Articles left out, by id.
    pub exclude: Vec<String>,
    /// Only the near-duplicate cluster of the article with this id (the
    /// article included): `--similar ID`. Results are not collapsed.
    pub cluster: Option<String>,
}

impl Filters {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Narrows the date range to one period (`--on 2023-05`).
    pub fn on(&mut self, period: &str) -> Result<(), String> {
        let (first, last) = period_bounds(period)?;
        self.from = Some(self.from.map_or(first, |f| f.max(first)));
        self.to = Some(self.to.map_or(last, |t| t.min(last)));
        Ok(())
    }
}

/// The first and last day of a period written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn period_bounds(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    let parts: Vec<&str> = t.split('-').collect();
    let number = |s: &str, len: usize| -> Result<u32, String> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    match parts.as_slice() {
        [y] => {
            let y = number(y, 4)? as i32;
            let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            let last = NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(bad)?;
            Ok((first, last))
        }
        [y, m] => {
            let (y, m) = (number(y, 4)? as i32, number(m, 2)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)
                .ok_or_else(|| format!("'{text}' has no month {m}: months run 01 to 12"))?;
            Ok((first, last_of_month(first)))
        }
        [y, m, d] => {
            let (y, m, d) = (number(y, 4)? as i32, number(m, 2)?, number(d, 2)?);
            let day = NaiveDate::from_ymd_opt(y, m, d)
                .ok_or_else(|| format!("'{text}' is not a day of the calendar"))?;
            Ok((day, day))
        }
        _ => Err(bad()),
    }
}

/// How far back a day is, as written: `7d`, `3w`, `6m`, `1y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ago {
    /// How many units.
    pub count: u32,
    /// `d`, `w`, `m` or `y`.
    pub unit: char,
}

impl Ago {
    /// Reads `7d` and the like; `None` for anything else (such as a date).
    pub fn parse(text: &str) -> Option<Ago> {
        let t = text.trim();
        let last = t.chars().last()?;
        let (digits, unit) = (&t[..t.len() - last.len_utf8()], last.to_ascii_lowercase());
        if !matches!(unit, 'd' | 'w' | 'm' | 'y')
            || digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Some(Ago {
            count: digits.parse().ok()?,
            unit,
        })
    }

    /// The day this long before `reference` (calendar months and years:
    /// 1m before 31 March is 28 or 29 February).
    pub fn before(self, reference: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            'd' => reference.checked_sub_days(Days::new(u64::from(self.count))),
            'w' => reference.checked_sub_days(Days::new(7 * u64::from(self.count))),
            'm' => reference.checked_sub_months(Months::new(self.count)),
            _ => reference.checked_sub_months(Months::new(self.count.checked_mul(12)?)),
        }
    }
}

/// The day `text` stands for: a time back from `reference` (`7d`, `3w`,
/// `6m`, `1y`), or a date, of which the first day (`first`) or the last is
/// taken.
pub fn ago(text: &str, reference: NaiveDate, first: bool) -> Result<NaiveDate, String> {
    match Ago::parse(text) {
        Some(a) => a
            .before(reference)
            .ok_or_else(|| format!("'{text}' before {reference} is not a day of the calendar")),
        None => {
            let (start, end) = period_bounds(text).map_err(|_| {
                format!(
                    "'{text}' is neither a time ago (7d, 3w, 6m, 1y) nor a date (YYYY, YYYY-MM, YYYY-MM-DD)"
                )
            })?;
            Ok(if first { start } else { end })
        }
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = (first.year(), first.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_ago_count_back_in_calendar_units() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r = day("1987-10-20");
        assert_eq!(ago("7d", r, true), Ok(day("1987-10-13")));
        assert_eq!(ago("3w", r, true), Ok(day("1987-09-29")));
        assert_eq!(ago("6m", r, true), Ok(day("1987-04-20")));
        assert_eq!(ago("1Y", r, true), Ok(day("1986-10-20")));
        assert_eq!(ago("0d", r, false), Ok(r));
        assert_eq!(ago("1m", day("1987-03-31"), true), Ok(day("1987-02-28")));
        // Dates too: the first or the last day of the period.
        assert_eq!(ago("1987-03", r, true), Ok(day("1987-03-01")));
        assert_eq!(ago("1987-03", r, false), Ok(day("1987-03-31")));
        for bad in ["7", "d", "7x", "-7d", "7 days", "99999999999d", "7é", ""] {
            assert!(ago(bad, r, true).is_err(), "{bad}");
        }
    }

    fn bounds(t: &str) -> (String, String) {
        let (a, b) = period_bounds(t).unwrap();
        (a.to_string(), b.to_string())
    }

    #[test]
    fn periods_cover_whole_years_months_and_days() {
        assert_eq!(bounds("2023"), ("2023-01-01".into(), "2023-12-31".into()));
        assert_eq!(bounds("2023-05"), ("2023-05-01".into(), "2023-05-31".into()));
        assert_eq!(bounds("2024-02"), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(bounds("2023-12"), ("2023-12-01".into(), "2023-12-31".into()));
        assert_eq!(bounds("2023-05-25"), ("2023-05-25".into(), "2023-05-25".into()));
    }

    #[test]
    fn bad_periods_say_what_is_expected() {
        assert!(period_bounds("2023-13").unwrap_err().contains("no month 13"));
        assert!(period_bounds("2023-02-30").unwrap_err().contains("not a day"));
        assert!(period_bounds("May 2023").unwrap_err().contains("YYYY-MM"));
        assert!(period_bounds("23-05").is_err());
    }

    #[test]
    fn on_narrows_the_range() {
        let mut f = Filters {
            from: NaiveDate::from_ymd_opt(2023, 5, 10),
            ..Filters::default()
        };
        f.on("2023-05").unwrap();
        assert_eq!(f.from.unwrap().to_string(), "2023-05-10");
        assert_eq!(f.to.unwrap().to_string(), "2023-05-31");
    }
}
