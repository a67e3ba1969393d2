//! Near-duplicates on real pairs: Reuters resends and rewrites against
//! different stories under one headline or on one topic and day
//! (tests/data/duplicates, made by scripts/make_duplicate_fixture.py).

use newsdex::enrich::signature::{NEAR, Signature};
use serde_json::Value;

struct Pair {
    kind: String,
    duplicate: bool,
    resemblance: f64,
    /// Whether the two share a MinHash band (would be compared at all).
    candidates: bool,
}

fn pairs() -> Vec<Pair> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/duplicates/pairs.jsonl");
    let text = std::fs::read_to_string(path).expect("fixture");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            let signature = |side: &str| {
                let s = &v[side];
                Signature::of(&[s["title"].as_str().unwrap(), s["body"].as_str().unwrap()])
                    .expect("long enough")
            };
            let (a, b) = (signature("a"), signature("b"));
            let (x, y) = (a.bands, b.bands);
            Pair {
                kind: v["kind"].as_str().unwrap().to_string(),
                duplicate: v["duplicate"].as_bool().unwrap(),
                resemblance: a.shingles.resemblance(&b.shingles),
                candidates: x.iter().any(|k| y.contains(k)),
            }
        })
        .collect()
}

#[test]
fn near_duplicates_are_told_from_other_stories() {
    let pairs = pairs();
    assert_eq!(pairs.len(), 78);
    for kind in ["resend", "edited", "same-title", "same-topic"] {
        let mut r: Vec<String> = pairs
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| format!("{:.2}{}", p.resemblance, if p.duplicate { "" } else { "-" }))
            .collect();
        r.sort();
        println!("{kind:<11} resemblance {}", r.join(" "));
    }
    let found = |p: &&Pair| p.resemblance >= NEAR;
    let tp = pairs.iter().filter(|p| p.duplicate).filter(found).count();
    let fp = pairs.iter().filter(|p| !p.duplicate).filter(found).count();
    let positives = pairs.iter().filter(|p| p.duplicate).count();
    let (precision, recall) = (tp as f64 / (tp + fp) as f64, tp as f64 / positives as f64);
    println!(
        "resemblance >= {NEAR}: precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{positives})",
        tp + fp
    );
    assert_eq!((tp, fp, positives), (42, 0, 42));

    // The bands make every near-duplicate pair a candidate, and few others.
    let missed = pairs.iter().filter(|p| p.duplicate && !p.candidates).count();
    let extra = pairs.iter().filter(|p| !p.duplicate && p.candidates).count();
    println!("band candidates: {missed} near-duplicate pairs missed, {extra} of 36 others compared");
    assert_eq!(missed, 0);
    assert!(extra <= 8, "{extra}");
}
