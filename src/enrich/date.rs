//! Publication dates: parse what publishers write into a [`PubDate`].
//!
//! The rule that matters: the day is the publisher's own calendar day. A
//! timestamp with an offset keeps its local day (`2020-01-02T00:30:00+01:00`
//! is 2 January) and also yields the exact instant in UTC. A date without a
//! time, or a time without an offset, yields only the day. Nothing here looks
//! at files or clocks: no date in the input means no date.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::article::PubDate;

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text matched none of the accepted forms.
    #[error("unrecognised date {0:?} (expected e.g. 2023-05-25, 2023-05-25T10:00:00Z or an RFC 2822 date)")]
    Unrecognised(String),
    /// The date parsed but lies outside the years newsdex accepts.
    #[error("date {0:?} is out of range (years {MIN_YEAR} to {MAX_YEAR})")]
    OutOfRange(String),
}

/// The earliest year accepted for a publication date (the index stores
/// dates as nanoseconds from 1970 in 64 bits, which reach back to 1677).
pub const MIN_YEAR: i32 = 1700;
/// The latest year accepted for a publication date (the same limit ends
/// in April 2262).
pub const MAX_YEAR: i32 = 2261;

/// Date-only forms, tried in order after the timestamp forms.
const DAY_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d-%b-%Y",
    "%d %B, %Y",
];

/// Timestamps with an offset (beyond what RFC 3339 and RFC 2822 accept).
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S %z",
];

/// Timestamps without an offset: only the day is known for certain.
const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d-%b-%Y %H:%M:%S%.f",
    "%B %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
];

/// Parses a publication date written as text.
///
/// Accepts RFC 3339 and ISO 8601 timestamps (with `Z`, an offset or none),
/// RFC 2822 (`Thu, 25 May 2023 10:00:00 +0200`), ISO days (`2023-05-25`),
/// English day forms (`25 May 2023`, `May 25, 2023`), the Reuters form
/// (`26-FEB-1987 15:01:01.79`), and Unix timestamps in seconds or
/// milliseconds written as digits.
pub fn parse_date(text: &str) -> Result<PubDate, DateError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DateError::Unrecognised(text.to_string()));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() != 8 {
        // Unix time: 9-10 digits of seconds or 12-13 of milliseconds. Fewer
        // digits ("2023") are not a day, and are not taken for 1970.
        return match (s.len(), s.parse::<i64>()) {
            (9 | 10 | 12 | 13, Ok(n)) => from_unix(n).map_err(|_| DateError::OutOfRange(s.to_string())),
            (_, Ok(_)) if s.len() < 9 => Err(DateError::Unrecognised(s.to_string())),
            _ => Err(DateError::OutOfRange(s.to_string())),
        };
    }
    if let Some(day) = iso_day(s) {
        return check_range(PubDate::day(day), text);
    }
    let normalised = normalise(s);
    let s = normalised.as_str();
    // A wrong weekday ("Mon, 25 May 2023", a Thursday) is common in feeds:
    // the date itself is what counts.
    let without_weekday = s
        .split_once(", ")
        .filter(|(head, _)| WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(head)))
        .map(|(_, rest)| rest);
    let date = parse_with_offset(s)
        .or_else(|| without_weekday.and_then(parse_with_offset))
        .or_else(|| parse_with_zone_name(s))
        .or_else(|| parse_naive(s))
        .ok_or_else(|| DateError::Unrecognised(text.trim().to_string()))?;
    check_range(date, text)
}

/// The common case, `YYYY-MM-DD` exactly, without trying every format
/// (which was a tenth of reading a JSON Lines corpus). Anything else, or an
/// impossible day, is left to the general parser.
fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// US and European time-zone abbreviations and their offsets, in seconds.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("EST", -5 * 3600),
    ("EDT", -4 * 3600),
    ("CST", -6 * 3600),
    ("CDT", -5 * 3600),
    ("MST", -7 * 3600),
    ("MDT", -6 * 3600),
    ("PST", -8 * 3600),
    ("PDT", -7 * 3600),
    ("BST", 3600),
    ("CET", 3600),
    ("CEST", 2 * 3600),
    ("EET", 2 * 3600),
    ("EEST", 3 * 3600),
    ("MSK", 3 * 3600),
    ("JST", 9 * 3600),
    ("AEST", 10 * 3600),
];

/// Forms with a zone abbreviation among their words: Java's and date(1)'s
/// `Sun Nov 23 16:00:00 EDT 2014`, and `May 25, 2023 10:00 AM EDT`.
fn parse_with_zone_name(s: &str) -> Option<PubDate> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let (i, offset) = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| ZONES.iter().find(|(z, _)| z == w).map(|(_, o)| (i, *o)))?;
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, w)| *w)
        .collect();
    let rest = rest.join(" ");
    let naive = [
        "%a %b %d %H:%M:%S %Y",
        "%b %d, %Y %I:%M %p",
        "%B %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M",
        "%B %d, %Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(&rest, f).ok())?;
    let zone = FixedOffset::east_opt(offset)?;
    let dt = zone.from_local_datetime(&naive).single()?;
    Some(from_offset_datetime(dt))
}

fn parse_with_offset(s: &str) -> Option<PubDate> {
    let dt = DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_rfc2822(s).ok())
        .or_else(|| {
            OFFSET_FORMATS
                .iter()
                .find_map(|f| DateTime::parse_from_str(s, f).ok())
        })?;
    Some(from_offset_datetime(dt))
}

fn parse_naive(s: &str) -> Option<PubDate> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok().map(PubDate::day);
    }
    NAIVE_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|dt| PubDate::day(dt.date()))
        .or_else(|| {
            DAY_FORMATS
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .map(PubDate::day)
        })
}

/// Tidies forms chrono does not take as they are: a leading weekday before
/// an English date (`Thursday, May 25, 2023`), ordinal suffixes (`25th`),
/// and `UTC`/`GMT` written after an ISO timestamp.
fn normalise(s: &str) -> String {
    let mut out = s.to_string();
    // "Thursday, May 25, 2023" -> "May 25, 2023", but keep RFC 2822's "Thu, 25 May".
    if let Some((head, rest)) = out.split_once(", ") {
        let is_weekday = WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(head));
        if is_weekday && head.len() > 3 {
            out = rest.to_string();
        }
    }
    out = out.split(' ').map(strip_ordinal).collect::<Vec<_>>().join(" ");
    for zone in [" UTC", " GMT", " Z"] {
        if out.len() > 10 && out.ends_with(zone) && out.as_bytes()[4] == b'-' {
            out.truncate(out.len() - zone.len());
            out.push('Z');
            out = out.replacen(' ', "T", 1);
        }
    }
    out
}

/// `25th` -> `25`, `1st,` -> `1,`; any other word unchanged.
fn strip_ordinal(word: &str) -> String {
    let (core, comma) = match word.strip_suffix(',') {
        Some(core) => (core, ","),
        None => (word, ""),
    };
    let digits = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &core[digits.len()..];
    let is_ordinal = !digits.is_empty()
        && digits.len() <= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && ["st", "nd", "rd", "th"].contains(&suffix.to_ascii_lowercase().as_str());
    if is_ordinal {
        format!("{digits}{comma}")
    } else {
        word.to_string()
    }
}

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
];

/// The publisher's day and the UTC instant of a timestamp with an offset.
pub fn from_offset_datetime(dt: DateTime<FixedOffset>) -> PubDate {
    PubDate {
        day: dt.date_naive(),
        timestamp: Some(dt.with_timezone(&Utc)),
    }
}

/// A Unix timestamp, in seconds or (when it is larger than any plausible
/// number of seconds) milliseconds. The day is the UTC day.
pub fn from_unix(n: i64) -> Result<PubDate, DateError> {
    let secs = if n.unsigned_abs() >= 100_000_000_000 {
        n / 1000
    } else {
        n
    };
    let dt = Utc
        .timestamp_opt(secs, 0)
        .single()
        .ok_or_else(|| DateError::OutOfRange(n.to_string()))?;
    check_range(
        PubDate {
            day: dt.date_naive(),
            timestamp: Some(dt),
        },
        &n.to_string(),
    )
}

fn check_range(date: PubDate, text: &str) -> Result<PubDate, DateError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.day.year()) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange(text.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iso_fast_path_agrees_with_the_general_parser() {
        for s in ["1987-02-26", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(iso_day(s), parse_naive(s).map(|d| d.day), "{s}");
            assert!(iso_day(s).is_some(), "{s}");
        }
        // Not exactly YYYY-MM-DD, or no such day: left to the general parser.
        for s in [
            "1987-2-26",
            "87-02-26",
            "2023-02-30",
            "2023-13-01",
            "1987-02-2x",
            "1987/02/26",
            "1987-02-26T10:00:00",
        ] {
            assert_eq!(iso_day(s), None, "{s}");
        }
        assert_eq!(parse_date("1987-2-26").unwrap().day.to_string(), "1987-02-26");
        assert_eq!(
            parse_date("2023-13-01").is_err(),
            parse_naive("2023-13-01").is_none()
        );
        assert!(matches!(parse_date("0999-01-01"), Err(DateError::OutOfRange(_))));
    }

    fn day(s: &str) -> String {
        parse_date(s).unwrap().day.to_string()
    }

    #[test]
    fn keeps_the_publishers_day_not_utcs() {
        let d = parse_date("2020-01-02T00:30:00+01:00").unwrap();
        assert_eq!(d.day.to_string(), "2020-01-02");
        assert_eq!(d.timestamp.unwrap().to_rfc3339(), "2020-01-01T23:30:00+00:00");
        let d = parse_date("Thu, 01 Jun 2023 23:30:00 -0700").unwrap();
        assert_eq!(d.day.to_string(), "2023-06-01");
        assert_eq!(
            d.timestamp.unwrap().format("%Y-%m-%d %H:%M").to_string(),
            "2023-06-02 06:30"
        );
    }

    #[test]
    fn accepts_the_common_forms() {
        for (input, want) in [
            ("2023-05-25", "2023-05-25"),
            ("2023-05-25T10:00:00Z", "2023-05-25"),
            ("2023-05-25T10:00:00.123+02:00", "2023-05-25"),
            ("2023-05-25 10:00:00+0200", "2023-05-25"),
            ("2023-05-25T10:00", "2023-05-25"),
            ("2023-05-25 10:00:00", "2023-05-25"),
            ("2023-05-25 10:00:00 UTC", "2023-05-25"),
            ("2023/05/25", "2023-05-25"),
            ("20230525", "2023-05-25"),
            ("25 May 2023", "2023-05-25"),
            ("May 25, 2023", "2023-05-25"),
            ("Thursday, May 25, 2023", "2023-05-25"),
            ("May 25th, 2023", "2023-05-25"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26"),
            ("Thu, 25 May 2023 10:00:00 GMT", "2023-05-25"),
            ("1685008800", "2023-05-25"),
            ("1685008800000", "2023-05-25"),
            ("Sun Nov 23 16:00:00 EDT 2014", "2014-11-23"),
            ("Mon, 25 May 2023 23:30:00 -0700", "2023-05-25"),
            ("Thursday, May 25, 2023 10:00 AM EDT", "2023-05-25"),
        ] {
            assert_eq!(day(input), want, "input {input:?}");
        }
    }

    #[test]
    fn naive_times_give_no_timestamp() {
        assert_eq!(parse_date("2023-05-25T10:00:00").unwrap().timestamp, None);
        assert_eq!(parse_date("2023-05-25").unwrap().timestamp, None);
        assert!(parse_date("2023-05-25T10:00:00Z").unwrap().timestamp.is_some());
    }

    #[test]
    fn rejects_nonsense_and_absurd_years() {
        assert!(matches!(parse_date("yesterday"), Err(DateError::Unrecognised(_))));
        assert!(matches!(parse_date(""), Err(DateError::Unrecognised(_))));
        assert!(matches!(
            parse_date("2023-13-01"),
            Err(DateError::Unrecognised(_))
        ));
        assert!(matches!(parse_date("0000-01-01"), Err(DateError::OutOfRange(_))));
        assert!(parse_date("99999999999999999999").is_err());
        // Limits of what the index can store.
        assert!(matches!(parse_date("1000-01-01"), Err(DateError::OutOfRange(_))));
        assert!(matches!(parse_date("2262-04-12"), Err(DateError::OutOfRange(_))));
        assert!(from_unix(i64::MIN).is_err());
        assert!(from_unix(99_999_999_999).is_err());
        // Short numbers are not Unix times.
        assert!(matches!(parse_date("2023"), Err(DateError::Unrecognised(_))));
        assert!(parse_date("May 2023").is_err());
    }
}
