//! The entity tagger on real news: CoNLL-2003 dev (from ../shared, skipped
//! when absent) and the Reuters stories bundled in corpus/.

use std::collections::HashSet;

mod common;
use common::shared;

use newsdex::enrich::Aliases;
use newsdex::ner::{NerKind, Tagger, conll, train};

/// The bar of the entity issue: micro-F1 over PER, ORG and LOC on eng.testa.
#[test]
fn conll_dev_f1_is_at_least_0_91() {
    let Some(path) = shared("conll2003/eng.testa") else {
        return;
    };
    let docs = conll::read(&std::fs::read_to_string(path).unwrap(), true).unwrap();
    let eval = train::evaluate(Tagger::builtin(), &docs);
    println!("{eval}");
    let micro = eval.micro(&["PER", "ORG", "LOC"]);
    assert!(micro.f1() >= 0.91, "PER+ORG+LOC F1 {:.4}", micro.f1());
    for (kind, floor) in [("PER", 0.90), ("ORG", 0.84), ("LOC", 0.93)] {
        let f1 = eval.by_type[kind].f1();
        assert!(f1 >= floor, "{kind} F1 {f1:.4} < {floor}");
    }
}

/// Reuters-21578 codes as names: `west-germany` -> `west germany`.
fn code_name(code: &str) -> String {
    code.replace('-', " ").to_lowercase()
}

/// A story: title and body, PEOPLE and PLACES tags.
struct Story {
    text: String,
    people: Vec<String>,
    places: Vec<String>,
}

/// The stories of the bundled JSON Lines sample.
fn sample_stories() -> Vec<Story> {
    let sample = include_str!("../corpus/reuters-1987-sample.jsonl");
    sample
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let names = |key: &str| -> Vec<String> {
                v[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect()
            };
            Story {
                text: format!(
                    "{}\n\n{}",
                    v["title"].as_str().unwrap(),
                    v["body"].as_str().unwrap()
                ),
                people: names("people"),
                places: names("places"),
            }
        })
        .collect()
}

/// The stories of one Reuters-21578 SGML file, read just well enough for
/// this test (the SGML reader proper belongs to the formats issue).
fn sgml_stories(text: &str) -> Vec<Story> {
    let tag = |block: &str, name: &str| -> Option<String> {
        let open = format!("<{name}>");
        let start = block.find(&open)? + open.len();
        let end = block[start..].find(&format!("</{name}>"))? + start;
        Some(block[start..end].to_string())
    };
    let list = |block: &str, name: &str| -> Vec<String> {
        tag(block, name)
            .unwrap_or_default()
            .split("<D>")
            .filter_map(|d| d.split("</D>").next())
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect()
    };
    let unescape = |s: String| -> String {
        let mut out = s.replace("&lt;", "<").replace("&amp;", "&");
        while let Some(i) = out.find("&#") {
            let end = out[i..].find(';').map_or(out.len(), |e| i + e + 1);
            out.replace_range(i..end, "");
        }
        out
    };
    text.split("<REUTERS")
        .skip(1)
        .filter_map(|block| {
            let body = tag(block, "BODY")?;
            // Paragraphs start with an indent; the sign-off is not text.
            let body = unescape(body)
                .replace("\n    ", "\n\n")
                .replace("\n", " ")
                .replace("  ", "\n\n");
            let body = body
                .trim_end()
                .trim_end_matches("Reuter")
                .trim_end_matches("REUTER")
                .to_string();
            Some(Story {
                text: format!("{}\n\n{body}", unescape(tag(block, "TITLE").unwrap_or_default())),
                people: list(block, "PEOPLE"),
                places: list(block, "PLACES"),
            })
        })
        .collect()
}

/// Whether `name` (or a variant of it) stands in `text` as whole words.
fn named_in(text: &str, name: &str, aliases: &Aliases) -> bool {
    let lower = format!(
        " {} ",
        text.to_lowercase()
            .replace(|c: char| !c.is_alphanumeric() && c != '.', " ")
    );
    aliases
        .variants(name)
        .iter()
        .any(|v| lower.contains(&format!(" {v} ")))
}

/// How many of the stories' PEOPLE and PLACES tags that their text names
/// the tagger finds: (people found, people named, places found, places named).
fn recovery(stories: &[Story]) -> (usize, usize, usize, usize) {
    let aliases = Aliases::builtin();
    let (mut pf, mut pt, mut lf, mut lt) = (0, 0, 0, 0);
    for story in stories {
        if story.people.is_empty() && story.places.is_empty() {
            continue;
        }
        let found = Tagger::builtin().entities(&story.text);
        let of = |kind: NerKind| -> HashSet<String> {
            found
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| aliases.resolve(&e.text).to_lowercase())
                .collect()
        };
        let (persons, locations) = (of(NerKind::Person), of(NerKind::Place));
        for p in &story.people {
            let name = code_name(p);
            let last = name.rsplit(' ').next().unwrap_or(&name);
            if !named_in(&story.text, last, &aliases) {
                continue;
            }
            pt += 1;
            if persons
                .iter()
                .any(|f| *f == name || f.ends_with(&format!(" {last}")) || *f == last)
            {
                pf += 1;
            }
        }
        for l in &story.places {
            if !named_in(&story.text, &code_name(l), &aliases) {
                continue;
            }
            lt += 1;
            if locations.contains(&aliases.resolve(&code_name(l)).to_lowercase()) {
                lf += 1;
            }
        }
    }
    (pf, pt, lf, lt)
}

/// The bundled sample: all PEOPLE and most PLACES tags that the text names.
#[test]
fn reuters_sample_people_and_places_are_recovered() {
    let (pf, pt, lf, lt) = recovery(&sample_stories());
    let (people, places) = (pf as f64 / pt as f64, lf as f64 / lt as f64);
    println!("sample: people {pf}/{pt} = {people:.3}; places {lf}/{lt} = {places:.3}");
    assert!(people >= 0.95, "people {people:.3}");
    assert!(places >= 0.80, "places {places:.3}");
}

/// All of reut2-000.sgm (1,000 stories), from ../shared.
#[test]
fn reuters_file_people_and_places_are_recovered() {
    let Some(path) = shared("reuters21578/reut2-000.sgm") else {
        return;
    };
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let stories = sgml_stories(&text);
    assert_eq!(stories.len(), 925, "stories with a body");
    let (pf, pt, lf, lt) = recovery(&stories);
    let (people, places) = (pf as f64 / pt as f64, lf as f64 / lt as f64);
    println!("reut2-000: people {pf}/{pt} = {people:.3}; places {lf}/{lt} = {places:.3}");
    assert!(people >= 0.95, "people {people:.3}");
    assert!(places >= 0.83, "places {places:.3}");
}
