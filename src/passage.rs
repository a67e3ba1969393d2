//! Passages: the units that are indexed, scored and shown.
//!
//! An article's body is split at paragraph boundaries (blank lines). Short
//! paragraphs (a subheading, a one-line quote) are joined to the paragraphs
//! after them, and long ones are cut into windows of whole sentences that
//! overlap by one sentence, so that most passages hold 40 to 150 words. Each
//! passage is a byte range of the body, so a hit can be shown in place.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::sentence::sentences;

/// A passage: a byte range of its article's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Byte offset of the first character in the body.
    pub start: usize,
    /// Byte offset one past the last character in the body.
    pub end: usize,
}

impl Passage {
    /// The passage's text, cut from the body it was split from.
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        body.get(self.start..self.end).unwrap_or("")
    }
}

/// How passages are sized, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageConfig {
    /// Paragraphs shorter than this are joined to the next one.
    pub min_words: usize,
    /// A sentence window stops growing once it reaches this many words.
    pub target_words: usize,
    /// No passage grows past this, unless one sentence alone is longer.
    pub max_words: usize,
}

impl Default for PassageConfig {
    fn default() -> Self {
        PassageConfig {
            min_words: 40,
            target_words: 100,
            max_words: 150,
        }
    }
}

/// Splits a body into passages with the default sizes.
///
/// An empty body yields no passage.
pub fn split(body: &str) -> Vec<Passage> {
    split_with(body, &PassageConfig::default())
}

/// Splits a body into passages with the given sizes.
pub fn split_with(body: &str, config: &PassageConfig) -> Vec<Passage> {
    let mut out: Vec<(Range<usize>, usize)> = Vec::new();
    // A run of short paragraphs waiting to be joined to what follows.
    let mut pending: Option<(Range<usize>, usize)> = None;
    for para in paragraphs(body) {
        let words = count_words(&body[para.clone()]);
        if words > config.max_words {
            if let Some(p) = pending.take() {
                out.push(p);
            }
            for window in sentence_windows(body, para, config) {
                let w = count_words(&body[window.clone()]);
                out.push((window, w));
            }
            continue;
        }
        let joined = match pending.take() {
            Some((range, w)) if w + words <= config.max_words => (range.start..para.end, w + words),
            Some(p) => {
                out.push(p);
                (para, words)
            }
            None => (para, words),
        };
        if joined.1 < config.min_words {
            pending = Some(joined);
        } else {
            out.push(joined);
        }
    }
    if let Some(p) = pending {
        // A short tail joins the passage before it when that stays in bounds.
        match out.last_mut() {
            Some((range, w)) if *w + p.1 <= config.max_words && range.end <= p.0.start => {
                range.end = p.0.end;
                *w += p.1;
            }
            _ => out.push(p),
        }
    }
    out.into_iter()
        .map(|(r, _)| Passage {
            start: r.start,
            end: r.end,
        })
        .collect()
}

/// The body's paragraphs: trimmed byte ranges separated by blank lines.
pub fn paragraphs(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim();
        if content.is_empty() {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            end = offset + lead + content.len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Cuts one long paragraph into windows of whole sentences that overlap by
/// one sentence. A sentence longer than `max_words` is cut at word bounds.
fn sentence_windows(body: &str, para: Range<usize>, config: &PassageConfig) -> Vec<Range<usize>> {
    let text = &body[para.clone()];
    let mut units: Vec<Range<usize>> = Vec::new();
    for s in sentences(text) {
        let abs = para.start + s.start..para.start + s.end;
        if count_words(&body[abs.clone()]) > config.max_words {
            units.extend(word_chunks(body, abs, config.target_words));
        } else {
            units.push(abs);
        }
    }
    let counts: Vec<usize> = units.iter().map(|u| count_words(&body[u.clone()])).collect();
    let mut windows = Vec::new();
    let mut first = 0;
    while first < units.len() {
        let mut last = first;
        let mut words = counts[first];
        while last + 1 < units.len()
            && words < config.target_words
            && words + counts[last + 1] <= config.max_words
        {
            last += 1;
            words += counts[last];
        }
        windows.push(units[first].start..units[last].end);
        if last + 1 >= units.len() {
            break;
        }
        // Overlap by the window's last sentence, unless that would not advance.
        first = if last > first { last } else { last + 1 };
    }
    windows
}

/// Cuts a range into chunks of `size` words.
fn word_chunks(body: &str, range: Range<usize>, size: usize) -> Vec<Range<usize>> {
    let text = &body[range.clone()];
    let mut starts_ends = Vec::new();
    let mut in_word = false;
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), in_word) {
            (false, false) => {
                in_word = true;
                word_start = i;
            }
            (true, true) => {
                in_word = false;
                starts_ends.push((word_start, i));
            }
            _ => {}
        }
    }
    if in_word {
        starts_ends.push((word_start, text.len()));
    }
    starts_ends
        .chunks(size.max(1))
        .map(|c| range.start + c[0].0..range.start + c[c.len() - 1].1)
        .collect()
}

/// Words as a reader counts them: runs of non-space characters.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn one_passage_per_normal_paragraph() {
        let body = format!("{}\n\n{}", words(60, "alpha"), words(70, "beta"));
        let ps = split(&body);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].text(&body), words(60, "alpha"));
        assert_eq!(ps[1].text(&body), words(70, "beta"));
    }

    #[test]
    fn short_paragraphs_join_the_next() {
        let body = format!("Subheading here\n\n{}\n\n{}", words(60, "a"), words(50, "b"));
        let ps = split(&body);
        assert_eq!(ps.len(), 2);
        assert!(ps[0].text(&body).starts_with("Subheading here\n\na a"));
        assert_eq!(ps[1].text(&body), words(50, "b"));
    }

    #[test]
    fn a_short_tail_joins_the_previous_passage() {
        let body = format!("{}\n\nReuter sign-off", words(60, "a"));
        let ps = split(&body);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text(&body), body);
    }

    #[test]
    fn long_paragraphs_become_overlapping_sentence_windows() {
        let sentence = format!("{}.", words(29, "w").replacen('w', "W", 1));
        let para = [sentence.as_str(); 12].join(" "); // 360 words
        let ps = split(&para);
        assert!(ps.len() >= 3, "{ps:?}");
        for p in &ps {
            let n = count_words(p.text(&para));
            assert!((40..=150).contains(&n), "{n} words");
            assert!(p.text(&para).ends_with('.'));
        }
        // Consecutive windows share a sentence.
        assert!(ps[1].start < ps[0].end);
        assert_eq!(ps.last().unwrap().end, para.len());
    }

    #[test]
    fn a_sentence_without_stops_is_cut_by_words() {
        let body = words(400, "x");
        let ps = split(&body);
        assert!(ps.len() >= 3);
        assert!(ps.iter().all(|p| count_words(p.text(&body)) <= 150));
    }

    #[test]
    fn offsets_survive_indentation_and_unicode() {
        let body = "  Zelenskyy’s aides — “no comment”.\n\n   Peskov said «nothing».  ";
        let paras = paragraphs(body);
        assert_eq!(&body[paras[0].clone()], "Zelenskyy’s aides — “no comment”.");
        assert_eq!(&body[paras[1].clone()], "Peskov said «nothing».");
        assert!(split("").is_empty());
        assert!(split(" \n\n ").is_empty());
    }
}
