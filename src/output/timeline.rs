//! Matches over time, for people: a histogram with a bar per bucket, and a
//! one-line sparkline under search results.

use std::io::{self, Write};

use serde::Serialize;

use crate::query::{Bar, Bucket};

/// A histogram as JSON.
#[derive(Debug, Serialize)]
pub struct HistogramJson<'a> {
    /// The bucket size.
    pub by: Bucket,
    /// Matching articles, dated or not.
    pub total: usize,
    /// Matching articles without a date (in no bucket).
    pub undated: usize,
    /// The buckets, oldest first.
    pub buckets: &'a [Bar],
}

/// Writes a histogram: label, count and a bar per bucket, the longest bar
/// `width` characters.
pub fn histogram_text(w: &mut dyn Write, bars: &[Bar], undated: usize, width: usize) -> io::Result<()> {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let label_width = bars.iter().map(|b| b.label.len()).max().unwrap_or(0);
    let count_width = max.to_string().len();
    for b in bars {
        let line = format!(
            "{:<label_width$}  {:>count_width$}  {}",
            b.label,
            b.count,
            bar(b.count, max, width)
        );
        writeln!(w, "{}", line.trim_end())?;
    }
    if undated > 0 {
        writeln!(w, "(and {undated} undated)")?;
    }
    Ok(())
}

/// A bar of `count` against `max`, `width` characters at most, drawn in
/// eighths of a character; a count above zero always shows.
fn bar(count: usize, max: usize, width: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if count == 0 || max == 0 {
        return String::new();
    }
    let eighths = ((count as u128 * width as u128 * 8 + max as u128 / 2) / max as u128).max(1) as usize;
    format!("{}{}", "█".repeat(eighths / 8), PARTS[eighths % 8])
}

/// The counts as one line of block characters, one per bucket, the highest
/// a full block; an empty bucket is a dot.
pub fn sparkline(bars: &[Bar]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    bars.iter()
        .map(|b| match b.count {
            0 => '·',
            n => LEVELS[((n * 8 - 1) / max).min(7)],
        })
        .collect()
}

/// Writes the timeline under search results: what it spans, then the line.
pub fn timeline_text(w: &mut dyn Write, by: Bucket, bars: &[Bar]) -> io::Result<()> {
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return Ok(());
    };
    let peak = bars.iter().max_by_key(|b| b.count).unwrap_or(first);
    let by = match by {
        Bucket::Day => "day",
        Bucket::Week => "week",
        Bucket::Month => "month",
        Bucket::Year => "year",
    };
    writeln!(
        w,
        "Timeline by {by}, {} to {} (most: {} in {}):",
        first.label, last.label, peak.count, peak.label
    )?;
    writeln!(w, "{}", sparkline(bars))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn bars(counts: &[usize]) -> Vec<Bar> {
        let day = NaiveDate::from_ymd_opt(1987, 3, 1).unwrap();
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Bar {
                label: format!("b{i}"),
                start: day,
                end: day,
                count,
            })
            .collect()
    }

    #[test]
    fn bars_scale_to_the_width_in_eighths() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 4), "▎");
        assert_eq!(bar(1, 1000, 4), "▏", "a count above zero always shows");
        assert_eq!(bar(0, 10, 4), "");
    }

    #[test]
    fn a_histogram_is_aligned() {
        let mut out = Vec::new();
        histogram_text(&mut out, &bars(&[3, 0, 12]), 2, 4).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "b0   3  █\nb1   0\nb2  12  ████\n(and 2 undated)\n");
    }

    #[test]
    fn sparklines_have_a_level_per_bucket() {
        assert_eq!(sparkline(&bars(&[1, 0, 8, 4, 2])), "▁·█▄▂");
        assert_eq!(sparkline(&bars(&[])), "");
    }
}
