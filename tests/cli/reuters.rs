use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::util::{Env, data, facet};

#[test]
fn the_sgml_sample_reads_every_story() {
    let env = Env::new();
    let run = env.index(&[&data("reuters")]);
    assert!(run.stdout.starts_with("Indexed 6 articles"), "{}", run.stdout);
    // The 0xFC byte of reut2-017.sgm: read as Latin-1, said once.
    assert_eq!(
        run.stderr,
        "newsdex: warning: tests/data/reuters/reuters-sample.sgm:201: bytes that are not UTF-8, read as Latin-1 (said once per file)\n"
    );
    let a = env.ok(&["show", "reuters-1", "--format", "json"]).json();
    assert_eq!(a["title"], "BAHIA COCOA REVIEW");
    assert_eq!(a["date"], "1987-02-26");
    assert_eq!(a["source"], "Reuters");
    assert_eq!(a["tags"], serde_json::json!(["cocoa"]));
    assert!(
        a["body"]
            .as_str()
            .unwrap()
            .starts_with("SALVADOR, Feb 26 - Showers continued throughout the week")
    );
    assert!(!a["body"].as_str().unwrap().contains("Reuter"), "sign-off kept");
    let places = a["entities"]["place"].as_array().unwrap();
    assert_eq!(
        places[..3],
        [
            serde_json::json!("El Salvador"),
            serde_json::json!("United States"),
            serde_json::json!("Uruguay")
        ]
    );
    // An empty story is there, with its date.
    let empty = env.ok(&["show", "reuters-12793", "--format", "json"]).json();
    assert_eq!(empty["date"], "1987-04-03");
    // Topics are a facet and a filter.
    let v = env.search(&["--topic", "COCOA", "--facets"]);
    assert_eq!(crate::util::ids(&v), vec!["reuters-1"]);
    assert_eq!(facet(&v, "topic"), vec![("cocoa".to_string(), 1)]);
}

/// Article counts per month, counted from the `<DATE>` lines of the files.
fn months_in_files(folder: &PathBuf) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sgm") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for line in text.lines().filter(|l| l.starts_with("<DATE>")) {
            // <DATE>26-FEB-1987 15:01:01.79</DATE>
            let date = line.trim_start_matches("<DATE>").trim();
            let mut parts = date.split('-');
            let (_, mon, year) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
            let month = [
                "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
            ]
            .iter()
            .position(|m| *m == mon)
            .unwrap()
                + 1;
            *counts.entry(format!("{}-{month:02}", &year[..4])).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn all_of_reuters_21578_indexes_with_the_files_month_counts() {
    let folder = crate::util::root().join("../shared/corpora/reuters21578");
    if !folder.exists() {
        println!("skipped: {} is absent", folder.display());
        return;
    }
    let env = Env::new();
    let run = env.index(&["--no-entities", folder.to_str().unwrap()]);
    assert!(run.stdout.starts_with("Indexed 21578 articles"), "{}", run.stdout);
    let stats = env.ok(&["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"], 21578);
    let v = env.search(&["--facets", "--limit", "0", "--facet-limit", "100"]);
    let indexed: BTreeMap<String, u64> = facet(&v, "month").into_iter().collect();
    let expected = months_in_files(&folder);
    assert_eq!(expected.values().sum::<u64>(), 21578);
    assert_eq!(indexed, expected);
}
