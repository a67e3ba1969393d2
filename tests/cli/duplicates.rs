use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::util::{Env, ids, root};

/// The pairs of tests/data/duplicates: Reuters resends and rewrites, and
/// different stories under one headline or on one topic and day.
struct Pair {
    duplicate: bool,
    a: Value,
    b: Value,
}

fn pairs() -> Vec<Pair> {
    let text = std::fs::read_to_string(root().join("tests/data/duplicates/pairs.jsonl")).expect("fixture");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            Pair {
                duplicate: v["duplicate"].as_bool().expect("duplicate"),
                a: v["a"].clone(),
                b: v["b"].clone(),
            }
        })
        .collect()
}

/// Writes articles as JSON Lines, each with `date`.
fn write(path: &Path, articles: &[(&Value, &str)]) {
    let lines: Vec<String> = articles
        .iter()
        .map(|(a, date)| {
            json!({"id": a["id"], "title": a["title"], "body": a["body"], "date": date}).to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").expect("write corpus");
}

/// Every article's cluster head (its own id when it heads one or is in none).
fn heads(env: &Env) -> HashMap<String, String> {
    let v = env.search(&["--no-collapse", "-n", "1000"]);
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let id = h["id"].as_str().expect("id").to_string();
            let head = h["duplicate_of"].as_str().unwrap_or(&id).to_string();
            (id, head)
        })
        .collect()
}

/// (pairs put in one cluster that are near-duplicates, pairs put in one
/// cluster that are not, near-duplicate pairs).
fn score(pairs: &[Pair], heads: &HashMap<String, String>) -> (usize, usize, usize) {
    let together = |p: &&Pair| {
        let head = |side: &Value| heads.get(side["id"].as_str().expect("id")).expect("indexed");
        head(&p.a) == head(&p.b)
    };
    let tp = pairs.iter().filter(|p| p.duplicate).filter(together).count();
    let fp = pairs.iter().filter(|p| !p.duplicate).filter(together).count();
    (tp, fp, pairs.iter().filter(|p| p.duplicate).count())
}

// The a side of every pair dated a day after its b side: the a side is
// indexed first and heads the cluster, the b side is the earliest article.
const A_DAY: &str = "1987-03-02";
const B_DAY: &str = "1987-03-01";

/// An index of every pair's two sides, read in one run from one file, one
/// side after the other.
fn both_sides_in_one_run(pairs: &[Pair]) -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let both = dir.path().join("both.jsonl");
    let sides: Vec<(&Value, &str)> = pairs
        .iter()
        .flat_map(|p| [(&p.a, A_DAY), (&p.b, B_DAY)])
        .collect();
    write(&both, &sides);
    let env = Env::new();
    env.index(&[both.to_str().expect("path")]);
    env
}

#[test]
fn indexing_clusters_the_fixtures_near_duplicates_and_nothing_else() {
    let pairs = pairs();
    let env = both_sides_in_one_run(&pairs);
    let one_run = score(&pairs, &heads(&env));
    println!("one run: {one_run:?} (together and near-duplicates, together and not, near-duplicates)");
    assert_eq!(one_run, (42, 0, 42));

    // Two runs: the b sides find their a sides in the index.
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write(&a, &pairs.iter().map(|p| (&p.a, A_DAY)).collect::<Vec<_>>());
    write(&b, &pairs.iter().map(|p| (&p.b, B_DAY)).collect::<Vec<_>>());
    let env = Env::new();
    env.index(&[a.to_str().expect("path")]);
    assert!(
        heads(&env).iter().all(|(id, head)| id == head),
        "the a sides are all different stories"
    );
    env.index(&[a.to_str().expect("path"), b.to_str().expect("path")]);
    let two_runs = score(&pairs, &heads(&env));
    println!("two runs: {two_runs:?}");
    assert_eq!(two_runs, (42, 0, 42));
}

#[test]
fn search_shows_each_cluster_once_as_its_earliest_article() {
    let pairs = pairs();
    let env = both_sides_in_one_run(&pairs);
    let first = pairs.iter().find(|p| p.duplicate).expect("a near-duplicate pair");
    let (a, b) = (first.a["id"].as_str().unwrap(), first.b["id"].as_str().unwrap());
    assert_eq!((a, b), ("reuters-5775", "reuters-5871"));

    // The listing: 156 articles, 42 of them folded into their clusters.
    let all = env.search(&["-n", "1000"]);
    assert_eq!(all["total"], 156);
    assert_eq!(all["collapsed"], 42);
    let listed = ids(&all);
    assert_eq!(listed.len(), 114);
    assert!(listed.contains(&b.to_string()) && !listed.contains(&a.to_string()));

    // A query: the earliest copy, ranked as itself.
    let v = env.search(&["Poindexter", "immunity"]);
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], b, "{v:#}");
    assert_eq!(hit["similar"], 1);
    assert_eq!(hit["duplicate_of"], a, "b was indexed after a");
    let apart = env.search(&["Poindexter", "immunity", "--no-collapse"]);
    assert_eq!(
        ids(&apart)[..2]
            .iter()
            .filter(|id| [a, b].contains(&id.as_str()))
            .count(),
        2
    );
    assert_eq!(apart["collapsed"], 0);
    let own = apart["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == b)
        .expect("b listed");
    assert_eq!(hit["score"], own["score"], "its own score");

    let text = env
        .ok(&["search", "Poindexter", "immunity", "-n", "1", "--color", "never"])
        .stdout;
    let meta = text.lines().nth(1).expect("a meta line");
    assert!(meta.starts_with("   1987-03-01 · "), "{text}");
    assert!(meta.ends_with(" · +1 similar"), "{text}");
    assert!(
        text.contains(" (and 1 near-duplicate of them: --no-collapse lists it).\n"),
        "{text}"
    );

    // --similar lists the cluster, from either side; show names the head.
    for id in [a, b] {
        let mut cluster = env.ids(&["--similar", id, "--sort", "oldest"]);
        cluster.sort();
        assert_eq!(cluster, [a, b]);
    }
    let other = pairs
        .iter()
        .find(|p| !p.duplicate)
        .expect("a pair of different stories");
    let alone = other.a["id"].as_str().unwrap();
    assert_eq!(env.ids(&["--similar", alone]), [alone]);
    let missing = env.run(&["search", "--similar", "reuters-0"]).expect(2);
    assert!(missing.stderr.contains("reuters-0"), "{}", missing.stderr);
    let stats = env.ok(&["stats", "--format", "json"]).json();
    assert_eq!(
        (&stats["clusters"], &stats["clustered_articles"]),
        (&json!(42), &json!(84))
    );
    let shown = env.ok(&["show", b, "--color", "never"]).stdout;
    assert!(shown.contains(&format!("copy of   {a}\n")), "{shown}");
}

#[test]
fn copies_do_not_name_articles_the_same_run_removes() {
    let pairs = pairs();
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("news");
    std::fs::create_dir(&folder).expect("folder");
    let (a, b) = (folder.join("a.jsonl"), folder.join("b.jsonl"));
    write(&a, &pairs.iter().map(|p| (&p.a, A_DAY)).collect::<Vec<_>>());
    let env = Env::new();
    let folder = folder.to_str().expect("path");
    env.index(&[folder]);
    // The a sides go and the b sides come in one run: no b side may name
    // an a side as the first of its cluster.
    std::fs::remove_file(&a).expect("remove");
    write(&b, &pairs.iter().map(|p| (&p.b, B_DAY)).collect::<Vec<_>>());
    env.index(&[folder]);
    let heads = heads(&env);
    assert_eq!(heads.len(), 78);
    let named: Vec<(&String, &String)> = heads.iter().filter(|(id, head)| id != head).collect();
    assert!(named.is_empty(), "{named:?}");
}
