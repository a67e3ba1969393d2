use serde_json::Value;

use crate::util::{Env, corpus_env, root};

#[test]
fn a_small_collection_on_the_bundled_corpus() {
    let env = corpus_env();
    let dir = tempfile::tempdir().expect("temp dir");
    let topics = dir.path().join("topics.tsv");
    let qrels = dir.path().join("qrels.txt");
    let run = dir.path().join("run.txt");
    std::fs::write(
        &topics,
        "1\tdrone strike on the Kremlin\n2\tNew Zealand foreign reserves\n3\tAND OR NOT \"(\n",
    )
    .expect("write");
    std::fs::write(
        &qrels,
        "1 0 corpus/000_690a3a72e68bdb61.txt 2\n2 0 reuters-48 1\n2 0 reuters-1 0\n3 0 reuters-2 1\n4 0 reuters-3 0\n",
    )
    .expect("write");
    let path = |p: &std::path::Path| p.to_str().expect("utf-8").to_string();
    let (t, q, r) = (path(&topics), path(&qrels), path(&run));
    let v: Value = env
        .ok(&[
            "eval",
            "--topics",
            &t,
            "--qrels",
            &q,
            "--run",
            &r,
            "--per-query",
            "--format",
            "json",
        ])
        .json();
    // Topic 4 has no relevant document: left out of the means.
    assert_eq!(
        (v["topics"].as_u64(), v["judged_topics"].as_u64()),
        (Some(3), Some(3))
    );
    let per: Vec<(&str, f64)> = v["per_query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["qid"].as_str().unwrap(), p["measures"]["mrr"].as_f64().unwrap()))
        .collect();
    // The reference article is the first answer to its topic, and so is
    // reuters-48 to the second; the third topic's operators are words.
    assert_eq!(per[0], ("1", 1.0));
    assert_eq!(per[1], ("2", 1.0));
    assert_eq!(per[2].0, "3");
    assert!(per[2].1 > 0.0, "AND OR NOT found nothing: {v}");
    let ndcg = v["per_query"][0]["measures"]["ndcg_10"].as_f64().unwrap();
    assert_eq!(ndcg, 1.0);
    // The run file, in TREC format.
    let written = std::fs::read_to_string(&run).expect("the run");
    assert!(
        written.starts_with("1 Q0 corpus/000_690a3a72e68bdb61.txt 1 "),
        "{}",
        &written[..200.min(written.len())]
    );
    assert!(
        written
            .lines()
            .all(|l| l.split_whitespace().count() == 6 && l.ends_with(" newsdex"))
    );

    // Bad files are named with their line.
    std::fs::write(&qrels, "1 0 x 1\n1 x 1\n").expect("write");
    let run = env.run(&["eval", "--topics", &t, "--qrels", &q]).expect(2);
    assert!(
        run.stderr
            .contains("qrels.txt:2: expected `qid 0 docid grade`, found 3 fields"),
        "{}",
        run.stderr
    );
}

#[test]
fn cranfield_figures() {
    let ir = root().join("../shared/corpora/ir");
    if !ir.join("cranqrel").exists() {
        println!("skipped: no Cranfield collection at {}", ir.display());
        return;
    }
    let env = Env::new();
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().to_str().expect("utf-8").to_string();
    let converted = env.ok(&["convert", "cranfield", ir.to_str().expect("utf-8"), "--out", &out]);
    assert_eq!(
        converted.stdout.trim(),
        format!("1400 documents, 225 topics and 1837 judgments written to {out}")
    );
    env.index(&[&format!("{out}/docs.jsonl")]);
    let (topics, qrels) = (format!("{out}/topics.tsv"), format!("{out}/qrels.txt"));
    let eval = |env: &Env, flags: &[&str]| -> Value {
        let mut args = vec!["eval", "--topics", &topics, "--qrels", &qrels, "--format", "json"];
        args.extend(flags);
        env.ok(&args).json()
    };
    let v = eval(&env, &[]);
    let means = |v: &Value| {
        ["map", "ndcg_10", "p_10", "mrr", "recall_100"]
            .map(|k| (v["mean"][k].as_f64().unwrap() * 1e4).round() / 1e4)
    };
    assert_eq!(v["judged_topics"], 225);
    // Passages over an OR of the topic's words, every grade 1-4 relevant:
    // the best passage plus a tenth of the others, and the topic's words
    // side by side scoring more near each other.
    assert_eq!(means(&v), [0.3026, 0.3535, 0.2311, 0.5436, 0.7319], "{v}");
    // Without proximity (the best passage alone gave 0.2928, 0.3464,
    // 0.2316, 0.5225, 0.7344).
    let v = eval(&env, &["--no-proximity"]);
    assert_eq!(means(&v), [0.2949, 0.3493, 0.2302, 0.5312, 0.7312], "{v}");

    // The baseline: each article one passage, plain BM25 over its body
    // (and its title), through the same command.
    let whole = Env::new();
    whole.index(&["--whole-articles", &format!("{out}/docs.jsonl")]);
    let v = eval(&whole, &["--no-proximity"]);
    assert_eq!(means(&v), [0.2989, 0.3570, 0.2356, 0.5396, 0.7389], "{v}");
}

/// Reuters-21578's topic categories as topics (news, unlike Cranfield): the
/// ranking's figures, and the article-level baseline's.
#[test]
fn reuters_topic_figures() {
    let reuters = root().join("../shared/corpora/reuters21578");
    let extras = root().join("../shared/corpora/reuters21578-extras");
    if !reuters.join("reut2-000.sgm").exists() || !extras.exists() {
        println!(
            "skipped: no Reuters-21578 and its extras at {}",
            reuters.display()
        );
        return;
    }
    let env = Env::new();
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().to_str().expect("utf-8").to_string();
    let sgml = reuters.to_str().expect("utf-8");
    let converted = env.ok(&["convert", "reuters-topics", sgml, "--out", &out]);
    assert_eq!(
        converted.stdout.trim(),
        format!("21578 documents, 120 topics and 14302 judgments written to {out}")
    );
    let topics = std::fs::read_to_string(format!("{out}/topics.tsv")).expect("topics");
    assert!(
        topics.starts_with("money-fx\tMoney/Foreign Exchange\n"),
        "{topics}"
    );
    assert!(topics.contains("\ncocoa\tcocoa\n"), "{topics}");
    let (topics, qrels) = (format!("{out}/topics.tsv"), format!("{out}/qrels.txt"));
    let means = |env: &Env, flags: &[&str]| -> [f64; 5] {
        let mut args = vec!["eval", "--topics", &topics, "--qrels", &qrels, "--format", "json"];
        args.extend(flags);
        let v: Value = env.ok(&args).json();
        assert_eq!(v["judged_topics"], 120);
        ["map", "ndcg_10", "p_10", "mrr", "recall_100"]
            .map(|k| (v["mean"][k].as_f64().unwrap() * 1e4).round() / 1e4)
    };
    env.index(&["--no-entities", sgml]);
    // The best passage plus a tenth of the others, with proximity...
    assert_eq!(means(&env, &[]), [0.4286, 0.6015, 0.4608, 0.7239, 0.6777]);
    // ...and without (the best alone gave 0.4180, 0.5671, 0.4375, 0.6916,
    // 0.6686).
    assert_eq!(
        means(&env, &["--no-proximity"]),
        [0.4239, 0.5919, 0.4558, 0.7125, 0.6645]
    );
    // The baseline: whole articles, plain BM25.
    let whole = Env::new();
    whole.index(&["--no-entities", "--whole-articles", sgml]);
    assert_eq!(
        means(&whole, &["--no-proximity"]),
        [0.3869, 0.5312, 0.4275, 0.6241, 0.6514]
    );
}

#[test]
fn whole_articles_are_one_passage_and_the_choice_stays_with_the_index() {
    let env = Env::new();
    env.index(&["--whole-articles", "corpus"]);
    let v = env.search(&["drone", "--passages", "5"]);
    let passages = v["hits"][0]["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1);
    assert_eq!(passages[0]["start"], 0);
    // Later runs keep the index's way; asking for the other way is refused.
    env.index(&["corpus"]);
    assert_eq!(
        env.search(&["drone", "--passages", "5"])["hits"][0]["passages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let split = corpus_env();
    let run = split.run(&["index", "--whole-articles", "corpus"]).expect(2);
    assert!(
        run.stderr
            .contains("splits articles into passages and this run indexes whole articles"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--rebuild"), "{}", run.stderr);
}

#[test]
fn explain_shows_how_each_score_was_composed() {
    let env = corpus_env();
    let v = env.search(&["drone", "strike", "--explain"]);
    let hit = &v["hits"][0];
    let e = &hit["explanation"];
    let parts: Vec<(&str, f64)> = e["passage"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["what"].as_str().unwrap(), p["score"].as_f64().unwrap()))
        .collect();
    // Each word's BM25, and a fifth of the pair's as a phrase within ten
    // words ("a drone strike": side by side here).
    assert_eq!(
        parts.iter().map(|p| p.0).collect::<Vec<_>>(),
        ["text:drone", "text:strike", "near: text:drone text:strike"]
    );
    let sum: f64 = parts.iter().map(|p| p.1).sum();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
    assert!(close(sum, e["passage"]["score"].as_f64().unwrap()), "{e}");
    // Two other passages match: a tenth of theirs adds to the best one's.
    assert_eq!(e["other_passages"]["count"], 2, "{e}");
    let others = e["other_passages"]["score"].as_f64().unwrap();
    assert!(close(sum + others, hit["score"].as_f64().unwrap()), "{e}");
    assert_eq!(e["passage"]["number"], 0);
    assert_eq!(e["article"]["score"], 0.0);
    assert_eq!(
        e["passage"]["parts"][0]["detail"]["description"],
        "TermQuery, product of..."
    );
    assert_eq!(
        e["passage"]["parts"][2]["detail"]["description"],
        "Boost x0.2 of ..."
    );
    // Text: one line under the hit's metadata.
    let text = |flags: &[&str]| {
        let mut args = vec!["search", "drone", "strike", "--explain", "--color", "never"];
        args.extend(flags);
        env.ok(&args).stdout
    };
    assert_eq!(
        text(&[]).lines().nth(2),
        Some(
            "   score 11.79 = passage 1: 10.90 (text:drone 4.73 + text:strike 4.36 \
             + near: text:drone text:strike 1.82) + 0.1 × 2 other passages: 0.88 + article: 0.00"
        )
    );
    // Without proximity, the words alone.
    assert_eq!(
        text(&["--no-proximity"]).lines().nth(2),
        Some(
            "   score 9.97 = passage 1: 9.09 (text:drone 4.73 + text:strike 4.36) \
             + 0.1 × 2 other passages: 0.88 + article: 0.00"
        )
    );
    // Sorted by date, nothing is ranked: no proximity to compute.
    let by_date = env.search(&["drone", "strike", "--explain", "--sort", "newest"]);
    let parts = &by_date["hits"][0]["explanation"]["passage"]["parts"];
    assert_eq!(parts.as_array().map(Vec::len), Some(2), "{parts}");
    // A phrase, and a title that scores on the article document: the parts
    // add up to the hit's score.
    let v = env.search(&["title:bankamerica", "\"equity offer\"", "--explain"]);
    let hit = &v["hits"][0];
    let e = &hit["explanation"];
    let total = e["passage"]["score"].as_f64().unwrap()
        + e["other_passages"]["score"].as_f64().unwrap()
        + e["article"]["score"].as_f64().unwrap();
    assert!(close(total, hit["score"].as_f64().unwrap()), "{e}");
    let article: Vec<&str> = e["article"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["what"].as_str().unwrap())
        .collect();
    assert_eq!(article, ["title:bankamerica", "title:equiti title:offer"]);
    // An article matching in several passages: a tenth of the others' scores
    // adds to the best one's.
    let v = env.search(&["officials", "--explain"]);
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "corpus/000_690a3a72e68bdb61.txt")
        .expect("the reference article");
    let e = &hit["explanation"];
    assert_eq!(e["other_passages"]["count"], 3, "{e}");
    let total = e["passage"]["score"].as_f64().unwrap()
        + e["other_passages"]["score"].as_f64().unwrap()
        + e["article"]["score"].as_f64().unwrap();
    assert!(close(total, hit["score"].as_f64().unwrap()), "{e}");
    assert!(e["other_passages"]["score"].as_f64().unwrap() > 0.0, "{e}");
    let text = env
        .ok(&["search", "officials", "--explain", "--color", "never"])
        .stdout;
    assert!(
        text.contains("   score 4.91 = passage 2: 3.80 (text:offici 3.80) + 0.1 × 3 other passages: 1.11 + article: 0.00"),
        "{text}"
    );
    // Without --explain, no explanation.
    assert!(env.search(&["drone"])["hits"][0].get("explanation").is_none());
}
