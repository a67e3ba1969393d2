use crate::util::{corpus_env, ids};

const SEED: &str = "corpus/000_690a3a72e68bdb61.txt";

#[test]
fn the_seed_article_comes_first_for_drone_kremlin() {
    let env = corpus_env();
    let v = env.search(&["drone Kremlin"]);
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], SEED);
    assert_eq!(hit["rank"], 1);
    assert_eq!(hit["date"], "2023-05-25");
    assert_eq!(hit["source"], "CNN");
    assert_eq!(hit["source_origin"], "inferred");
    assert_eq!(hit["path"], "corpus/000_690a3a72e68bdb61.txt");
    assert_eq!(hit["title"], serde_json::Value::Null);
    let passages = hit["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 2);
    for p in passages {
        let text = p["text"].as_str().unwrap();
        assert!(
            p["highlighted"].as_str().unwrap().contains("<b>Kremlin</b>"),
            "{p}"
        );
        assert!(p["score"].as_f64().unwrap() > 0.0);
        assert!(p["end"].as_u64().unwrap() > p["start"].as_u64().unwrap());
        assert_eq!(
            text.len() as u64,
            p["end"].as_u64().unwrap() - p["start"].as_u64().unwrap()
        );
    }
    assert!(passages[0]["score"].as_f64() >= passages[1]["score"].as_f64());
}

#[test]
fn date_filters_keep_and_drop_the_seed() {
    let env = corpus_env();
    let run = env
        .run(&[
            "search",
            "--format",
            "json",
            "--from",
            "2023-06-01",
            "drone Kremlin",
        ])
        .expect(1);
    assert_eq!(run.json()["total"], 0);
    for filter in [
        &["--to", "2023-05-25"][..],
        &["--to", "2023-05"],
        &["--from", "2023-05-25", "--to", "2023-05-25"],
        &["--on", "2023-05"],
        &["--on", "2023"],
        &["--from", "2023"],
    ] {
        let mut args = filter.to_vec();
        args.push("drone Kremlin");
        assert_eq!(env.ids(&args), vec![SEED], "filter {filter:?}");
    }
    assert!(env.ids(&["--to", "2023-05-24", "drone Kremlin"]).is_empty());
}

#[test]
fn the_seed_is_found_by_its_inferred_source() {
    let env = corpus_env();
    assert_eq!(env.ids(&["--source", "cnn"]), vec![SEED]);
    assert_eq!(env.ids(&["source:CNN", "drone"]), vec![SEED]);
    // Words in different paragraphs of the article still find it.
    assert_eq!(env.ids(&["Zelenskyy Peskov"]), vec![SEED]);
}

#[test]
fn show_prints_the_whole_article_with_its_metadata() {
    let env = corpus_env();
    let out = env.ok(&["show", SEED, "--color", "never"]).stdout;
    assert!(out.contains("date      2023-05-25\n"), "{out}");
    assert!(out.contains("source    CNN (inferred from the text)\n"), "{out}");
    assert!(
        out.contains("file      corpus/000_690a3a72e68bdb61.txt\n"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("as reported by CNN."), "{out}");
    let json = env.ok(&["show", SEED, "--format", "json"]).json();
    let seed = std::fs::read_to_string(crate::util::root().join(SEED)).unwrap();
    let body = seed
        .trim_start()
        .strip_prefix("date 2023-05-25 ")
        .unwrap()
        .trim_end();
    assert_eq!(json["body"], body);
    assert_eq!(json["passage_count"], 5);
}

#[test]
fn stats_describe_the_bundled_corpus() {
    let env = corpus_env();
    let v = env.ok(&["stats", "--format", "json"]).json();
    assert_eq!(v["articles"], 301);
    assert_eq!(v["first_date"], "1987-02-26");
    assert_eq!(v["last_date"], "2023-05-25");
    assert_eq!(v["sources"][0]["value"], "Reuters");
    assert_eq!(v["sources"][0]["count"], 300);
    assert_eq!(v["sources"][1]["value"], "CNN");
    let passages = v["passages"].as_u64().unwrap();
    assert!(passages > 301, "{passages}");

    // Indexing again leaves one copy of each article.
    env.index(&["corpus"]);
    let again = env.ok(&["stats", "--format", "json"]).json();
    assert_eq!(again["articles"], 301);
    assert_eq!(again["passages"], passages);
    let text = env.ok(&["stats"]).stdout;
    assert!(text.contains("Articles: 301\n"), "{text}");
    assert!(text.contains("Dates: 1987-02-26 to 2023-05-25"), "{text}");
}

#[test]
fn the_reuters_sample_searches_with_metadata_facets() {
    let env = corpus_env();
    let v = env.search(&["cocoa", "--facets"]);
    assert_eq!(ids(&v), vec!["reuters-1", "reuters-275"]);
    assert_eq!(v["hits"][0]["title"], "BAHIA COCOA REVIEW");
    assert_eq!(v["hits"][0]["line"], 1);
    // Metadata places first ("usa" through the alias table), then places
    // found in the text.
    let places = v["hits"][0]["entities"]["place"].as_array().unwrap().clone();
    assert_eq!(
        places[..3],
        [
            serde_json::json!("El Salvador"),
            serde_json::json!("United States"),
            serde_json::json!("Uruguay")
        ]
    );
    assert!(places.contains(&serde_json::json!("Bahia")), "{places:?}");
    assert_eq!(
        crate::util::facet(&v, "month"),
        vec![("1987-02".into(), 1), ("1987-03".into(), 1)]
    );
}

#[test]
fn text_output_is_plain_when_piped() {
    let env = corpus_env();
    let out = env.ok(&["search", "drone", "Kremlin"]).stdout;
    assert!(
        out.starts_with("1. US officials have heard Ukrainian officials"),
        "{out}"
    );
    assert!(
        out.contains("2023-05-25 · CNN · corpus/000_690a3a72e68bdb61.txt"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "{out}");
    assert!(
        out.trim_end()
            .ends_with("Showing 1–1 of 1 article for \"drone Kremlin\"."),
        "{out}"
    );
    let colored = env.ok(&["search", "--color", "always", "drone"]).stdout;
    assert!(colored.contains("\x1b[1;33mdrone\x1b[0m"), "{colored}");
}
