use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

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

/// Article counts per day, counted from the `<DATE>` lines of the files.
fn days_in_files(folder: &PathBuf) -> BTreeMap<NaiveDate, u64> {
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
            let day = date.split(' ').next().unwrap();
            let day = NaiveDate::parse_from_str(&day.to_ascii_lowercase(), "%d-%b-%Y").unwrap();
            *counts.entry(day).or_insert(0) += 1;
        }
    }
    counts
}

/// A histogram's CSV rows as (bucket, count).
fn histogram_rows(csv: &str) -> Vec<(String, u64)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn all_of_reuters_21578_indexes_with_the_files_day_week_and_month_counts() {
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
    let days = days_in_files(&folder);
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for (day, n) in &days {
        *months.entry(day.format("%Y-%m").to_string()).or_default() += n;
    }
    assert_eq!(months.values().sum::<u64>(), 21578);
    assert_eq!(indexed, months);

    // Histograms, against the same counts grouped here: every day (or
    // week, or month) from the first to the last, empty ones as zero.
    let (first, last) = (*days.keys().next().unwrap(), *days.keys().next_back().unwrap());
    let by_day = histogram_rows(&env.ok(&["histogram", "--by", "day", "--format", "csv"]).stdout);
    let expected: Vec<(String, u64)> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| (d.to_string(), days.get(&d).copied().unwrap_or(0)))
        .collect();
    assert_eq!(by_day, expected);
    let mut weeks: BTreeMap<String, u64> = BTreeMap::new();
    for d in first.iter_days().take_while(|d| *d <= last) {
        let w = d.iso_week();
        *weeks.entry(format!("{}-W{:02}", w.year(), w.week())).or_default() +=
            days.get(&d).copied().unwrap_or(0);
    }
    let by_week = histogram_rows(&env.ok(&["histogram", "--by", "week", "--format", "csv"]).stdout);
    assert_eq!(by_week, weeks.into_iter().collect::<Vec<_>>());
    let by_month = histogram_rows(&env.ok(&["histogram", "--by", "month", "--format", "csv"]).stdout);
    let nonzero: BTreeMap<String, u64> = by_month.iter().filter(|(_, n)| *n > 0).cloned().collect();
    assert_eq!(nonzero, months);
    // A query: articles about cocoa per month, against a filtered search.
    let cocoa = histogram_rows(&env.ok(&["histogram", "--format", "csv", "cocoa"]).stdout);
    let v = env.search(&["--facets", "--limit", "0", "--facet-limit", "100", "cocoa"]);
    let months: BTreeMap<String, u64> = facet(&v, "month").into_iter().collect();
    let nonzero: BTreeMap<String, u64> = cocoa.into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(nonzero, months);

    // Exported for a cluster: every article, in the same near-duplicate
    // clusters as the index holds.
    let out = tempfile::tempdir().expect("temp dir");
    let run = env.ok(&[
        "export",
        "--to",
        "quickwit",
        "--no-entities",
        folder.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let (clusters, clustered) = (
        stats["clusters"].as_u64().unwrap(),
        stats["clustered_articles"].as_u64().unwrap(),
    );
    assert!(
        run.stdout.starts_with(&format!(
            "21578 articles from 22 files, {} near-duplicates, 0 skipped",
            clustered - clusters
        )),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(out.path().join("documents-00000.ndjson")).expect("shard");
    let mut members: BTreeMap<String, u64> = BTreeMap::new();
    for line in text.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).expect("JSON");
        *members
            .entry(doc["cluster"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(members.values().sum::<u64>(), 21578);
    let shared: Vec<u64> = members.into_values().filter(|&n| n > 1).collect();
    assert_eq!(
        (shared.len() as u64, shared.iter().sum::<u64>()),
        (clusters, clustered)
    );
}
