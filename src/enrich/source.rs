//! Sources: name the outlet from the text when the metadata does not.
//!
//! Many archives keep only the text, and the outlet is named in it: "as per
//! CNN", "CNN reported", "according to Reuters", "(Reuters) -", "told the BBC".
//! [`infer_source`] scores every attribution it finds and returns the outlet
//! named most often. A name counts when it is a known outlet, or when it
//! stands in a pattern that only outlets fill ("as per X", "(X) -"), so that
//! "according to officials" or "told reporters" name nobody.

use std::collections::HashMap;

/// Outlets recognised in attributions, as they are displayed. Matching is on
/// the exact capitalisation here or in all capitals.
const KNOWN_OUTLETS: &[&str] = &[
    "ABC",
    "ABC News",
    "AFP",
    "Agence France-Presse",
    "Al Jazeera",
    "AP",
    "Associated Press",
    "Axios",
    "BBC",
    "Bloomberg",
    "CBS",
    "CBS News",
    "CNBC",
    "CNN",
    "Der Spiegel",
    "Deutsche Welle",
    "DW",
    "Euronews",
    "Financial Times",
    "Fox News",
    "France 24",
    "Interfax",
    "Kyodo",
    "Le Monde",
    "MSNBC",
    "NBC",
    "NBC News",
    "New York Times",
    "NPR",
    "Politico",
    "RIA Novosti",
    "Reuter",
    "Reuters",
    "Sky News",
    "TASS",
    "Tass",
    "The Guardian",
    "The Hill",
    "The New York Times",
    "The Times",
    "The Washington Post",
    "The Wall Street Journal",
    "The Economist",
    "Guardian",
    "Wall Street Journal",
    "Washington Post",
    "Xinhua",
    "Yonhap",
];

/// Phrases after which an outlet's name follows ("as per CNN").
/// The flag says whether the phrase alone is strong enough evidence that
/// an unknown capitalised name is an outlet.
const BEFORE_NAME: &[(&str, bool)] = &[
    ("as per ", false),
    ("as reported by ", true),
    ("reported by ", false),
    ("according to ", false),
    ("told ", false),
    ("said to ", false),
    ("speaking to ", false),
    ("in an interview with ", false),
];

/// Phrases that follow an outlet's name ("CNN reported").
const AFTER_NAME: &[(&str, bool)] = &[
    (" reported", false),
    (" reports", false),
    (" has reported", false),
    (" has learned", false),
    (" learned", false),
];

/// The display form of a source name: white space folded, `www.` and a
/// trailing `.com` dropped from a domain, a leading "The" dropped, then
/// the alias table applied (`cnn.com` and `CNN International`... → `CNN`).
pub fn normalize_source(name: &str, aliases: &super::Aliases) -> String {
    let mut n = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(resolved) = aliases.lookup(&n) {
        return resolved.to_string();
    }
    let lower = n.to_ascii_lowercase();
    if !n.contains(' ') {
        if let Some(rest) = lower.strip_prefix("www.") {
            n = n[n.len() - rest.len()..].to_string();
            if let Some(resolved) = aliases.lookup(&n) {
                return resolved.to_string();
            }
        }
        if n.to_ascii_lowercase().ends_with(".com") && n.len() > 4 {
            n.truncate(n.len() - 4);
        }
    }
    for the in ["The ", "the ", "THE "] {
        if let Some(rest) = n.strip_prefix(the)
            && !rest.is_empty()
        {
            n = rest.to_string();
        }
    }
    aliases.lookup(&n).map_or(n, str::to_string)
}

/// Infers the outlet that published `text`, or `None` when the text names
/// no outlet with enough confidence.
pub fn infer_source(text: &str) -> Option<String> {
    let mut votes: HashMap<String, (u32, usize)> = HashMap::new();
    let mut vote = |name: String, weight: u32, at: usize| {
        let entry = votes.entry(name).or_insert((0, at));
        entry.0 += weight;
    };

    for (phrase, strong) in BEFORE_NAME {
        for (at, _) in match_indices_ignore_case(text, phrase) {
            if !at_word_start(text, at) {
                continue;
            }
            if let Some(name) = name_after(&text[at + phrase.len()..])
                && let Some(weight) = weigh(&name, *strong)
            {
                vote(canonical(&name), weight, at);
            }
        }
    }
    for (phrase, strong) in AFTER_NAME {
        for (at, _) in text.match_indices(phrase) {
            let after = &text[at + phrase.len()..];
            if after.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            if let Some(name) = name_before(&text[..at])
                && let Some(weight) = weigh(&name, *strong)
            {
                vote(canonical(&name), weight, at);
            }
        }
    }
    // Wire datelines: "WASHINGTON (Reuters) - ..." and the bare "(AP) —".
    for (at, _) in text.match_indices('(') {
        let rest = &text[at + 1..];
        let Some(close) = rest.find(')') else { continue };
        let inside = &rest[..close];
        let after = rest[close + 1..].trim_start();
        let dash = after.starts_with('-') || after.starts_with('—') || after.starts_with('–');
        if dash && close < 40 && is_known_outlet(inside) {
            vote(canonical(inside), 3, at);
        }
    }
    // Reuters' own sign-off: a last line reading "Reuter".
    if let Some(last) = text.trim_end().lines().last()
        && matches!(last.trim(), "Reuter" | "REUTER" | "Reuters")
    {
        vote("Reuters".to_string(), 2, text.len());
    }

    votes
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(name, _)| name)
}

/// How much a name found in an attribution counts, or `None` if it does not.
fn weigh(name: &str, strong_pattern: bool) -> Option<u32> {
    if is_known_outlet(name) {
        Some(2)
    } else if strong_pattern && looks_like_outlet(name) {
        Some(1)
    } else {
        None
    }
}

fn is_known_outlet(name: &str) -> bool {
    let bare = name.strip_prefix("the ").unwrap_or(name);
    KNOWN_OUTLETS
        .iter()
        .any(|k| *k == name || *k == bare || k.to_uppercase() == name)
}

/// A name an unknown outlet might have: capitalised words, or an acronym.
fn looks_like_outlet(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && !COMMON_CAPITALISED.contains(&words[0])
}

/// Capitalised words that open attributions but name no outlet.
const COMMON_CAPITALISED: &[&str] = &[
    "He",
    "She",
    "They",
    "We",
    "I",
    "It",
    "The",
    "A",
    "An",
    "His",
    "Her",
    "Their",
    "Officials",
    "Sources",
    "Police",
    "President",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
];

/// The displayed form of an outlet: "the BBC" -> "BBC", "Reuter" -> "Reuters",
/// "TASS" -> "TASS" (all-caps acronyms stay as they are).
fn canonical(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_prefix("the ").unwrap_or(name);
    match name {
        "Reuter" | "REUTER" | "REUTERS" => "Reuters".to_string(),
        "Tass" => "TASS".to_string(),
        _ => name.to_string(),
    }
}

/// A run of capitalised words (allowing "of", "the" and "&" inside) at the
/// start of `text`, after an optional leading "the ".
fn name_after(text: &str) -> Option<String> {
    let text = text
        .strip_prefix("the ")
        .or_else(|| text.strip_prefix("The "))
        .unwrap_or(text);
    let mut words = Vec::new();
    for raw in text.split_whitespace().take(6) {
        let word = raw.trim_end_matches(|c: char| ",.;:!?)\"'’".contains(c));
        let trimmed_something = word.len() != raw.len();
        let word = word.strip_suffix("'s").unwrap_or(word);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let joiner = !words.is_empty() && matches!(word, "of" | "&" | "de");
        if word.is_empty() || !(capitalised || joiner) {
            break;
        }
        words.push(word);
        if trimmed_something {
            break;
        }
    }
    while words.last().is_some_and(|w| matches!(*w, "of" | "&" | "de")) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// A run of capitalised words ending at the end of `text`.
fn name_before(text: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for raw in text.split_whitespace().rev().take(5) {
        if raw.ends_with([',', '.', ';', ':', '"']) && !words.is_empty() {
            break;
        }
        let word = raw.trim_start_matches(|c: char| "(\"'“".contains(c));
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if !capitalised || raw.ends_with([',', '.', ';', ':']) {
            break;
        }
        words.push(word);
    }
    words.reverse();
    // A sentence-initial word before a known outlet ("Yesterday CNN reported")
    // is not part of the name: keep the longest known suffix if there is one.
    for start in 0..words.len() {
        let candidate = words[start..].join(" ");
        if is_known_outlet(&candidate) {
            return Some(candidate);
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

fn at_word_start(text: &str, at: usize) -> bool {
    text[..at].chars().last().is_none_or(|c| !c.is_alphanumeric())
}

/// Byte offsets of ASCII-case-insensitive matches of an ASCII `needle`.
fn match_indices_ignore_case<'a>(
    text: &'a str,
    needle: &'a str,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let hay = text.as_bytes();
    let n = needle.as_bytes();
    (0..hay.len().saturating_sub(n.len() - 1))
        .filter(move |&i| text.is_char_boundary(i) && hay[i..i + n.len()].eq_ignore_ascii_case(n))
        .map(move |i| (i, &text[i..i + n.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_article_is_cnn() {
        let seed = include_str!("../../corpus/000_690a3a72e68bdb61.txt");
        assert_eq!(infer_source(seed).as_deref(), Some("CNN"));
    }

    #[test]
    fn attribution_patterns() {
        for (text, want) in [
            ("The talks failed, as per CNN.", Some("CNN")),
            ("The ministry denied it, the BBC reported on Monday.", Some("BBC")),
            ("Prices rose, according to Reuters.", Some("Reuters")),
            ("LONDON (Reuters) - Shares fell.", Some("Reuters")),
            (
                "He told the Washington Post that it was over.",
                Some("Washington Post"),
            ),
            (
                "The plan stalled, as reported by Kyiv Independent.",
                Some("Kyiv Independent"),
            ),
            ("Oil fell.\n\nReuter", Some("Reuters")),
            ("Deals closed, Bloomberg has learned.", Some("Bloomberg")),
        ] {
            assert_eq!(infer_source(text).as_deref(), want, "text {text:?}");
        }
    }

    #[test]
    fn vague_attributions_name_nobody() {
        for text in [
            "According to officials, the plan failed.",
            "According to recent US intelligence reports, it was a drone.",
            "A source told reporters that the talks failed.",
            "He told Smith that the deal was off.",
            "Officials reported a rise in cases.",
            "It was paid as per Section 3 of the act.",
            "Tariffs were cut as per EU rules.",
            "Ukraine has learned its lesson.",
            "It was reported by Election Commission officials.",
            "",
        ] {
            assert_eq!(infer_source(text), None, "text {text:?}");
        }
    }

    #[test]
    fn source_names_are_normalised() {
        let a = crate::enrich::Aliases::builtin();
        for (given, want) in [
            ("www.cnn.com", "CNN"),
            ("cnn.com", "CNN"),
            ("The Guardian", "Guardian"),
            ("theguardian.com", "Guardian"),
            ("BBC News", "BBC"),
            ("  The   New York Times ", "New York Times"),
            ("nytimes.com", "New York Times"),
            ("www.nytimes.com", "New York Times"),
            ("example.com", "example"),
            ("www.lemonde.fr", "lemonde.fr"),
            ("Reuters", "Reuters"),
        ] {
            assert_eq!(normalize_source(given, &a), want, "{given}");
        }
    }

    #[test]
    fn the_most_cited_outlet_wins() {
        let text = "It rose, according to Reuters. CNN reported a fall. \
                    As per CNN, it fell again.";
        assert_eq!(infer_source(text).as_deref(), Some("CNN"));
    }
}
