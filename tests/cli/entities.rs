use crate::util::{Env, corpus_env, data, ids};

const SEED: &str = "corpus/000_690a3a72e68bdb61.txt";

#[test]
fn the_seed_has_its_people_organisations_and_places() {
    let env = corpus_env();
    let a = env.ok(&["show", SEED, "--format", "json"]).json();
    let list = |kind: &str| -> Vec<String> {
        a["entities"][kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (people, orgs, places) = (list("person"), list("org"), list("place"));
    assert_eq!(people, vec!["Volodymyr Zelenskyy", "Dmitry Peskov"]);
    assert!(orgs.contains(&"CNN".to_string()), "{orgs:?}");
    for place in ["Ukraine", "Moscow"] {
        assert!(places.contains(&place.to_string()), "{place} not in {places:?}");
    }
    for noise in ["According", "Additionally"] {
        assert!(
            !people.iter().chain(&orgs).chain(&places).any(|n| n == noise),
            "{noise}"
        );
    }
}

#[test]
fn filters_and_facets_use_extracted_entities() {
    let env = corpus_env();
    assert_eq!(env.ids(&["--person", "zelenskyy"]), vec![SEED]);
    assert_eq!(env.ids(&["--person", "Dmitry Peskov"]), vec![SEED]);
    assert_eq!(env.ids(&["--place", "moscow", "drone"]), vec![SEED]);
    assert_eq!(env.ids(&["--place", "moscow"]).len(), 4);
    assert_eq!(env.ids(&["person:peskov", "drone"]), vec![SEED]);
    let v = env.search(&["drone", "--facets"]);
    assert_eq!(ids(&v), vec![SEED]);
    let people: Vec<&str> = v["facets"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(people, vec!["Dmitry Peskov", "Volodymyr Zelenskyy"]);
}

#[test]
fn the_facets_command_lists_top_values() {
    let env = corpus_env();
    let out = env.ok(&["facets", "--field", "person", "drone"]).stdout;
    assert_eq!(out, "1  Dmitry Peskov\n1  Volodymyr Zelenskyy\n");
    let v = env
        .ok(&["facets", "--field", "source", "--format", "json"])
        .json();
    assert_eq!(v["field"], "source");
    assert_eq!(v["total"], 301);
    assert_eq!(v["values"][0]["value"], "Reuters");
    assert_eq!(v["values"][0]["count"], 300);
    let months = env.ok(&["facets", "--field", "month", "--limit", "2"]).stdout;
    assert_eq!(months, "211  1987-02\n 89  1987-03\n");
    env.run(&["facets", "--field", "person", "nosuchwordanywhere"])
        .expect(1);
}

#[test]
fn no_entities_keeps_only_metadata_and_aliases_extend() {
    let env = Env::new();
    env.index(&["--no-entities", "corpus"]);
    let a = env.ok(&["show", SEED, "--format", "json"]).json();
    assert_eq!(a["entities"]["person"], serde_json::json!([]));

    let env = Env::new();
    let aliases = env.index_dir().with_file_name("aliases.txt");
    std::fs::write(&aliases, "# ours\nPresident Zelenskyy: Volodymyr Zelenskyy\n").unwrap();
    env.index(&[
        "--aliases",
        aliases.to_str().unwrap(),
        &data("../../corpus/000_690a3a72e68bdb61.txt"),
    ]);
    assert_eq!(env.ids(&["--person", "president zelenskyy"]).len(), 1);
    std::fs::write(&aliases, "no colon\n").unwrap();
    let run = env
        .run(&["index", "--aliases", aliases.to_str().unwrap(), "corpus"])
        .expect(2);
    assert!(
        run.stderr
            .contains("aliases.txt:1: expected `Canonical: variant, variant`"),
        "{}",
        run.stderr
    );
}

#[test]
fn ner_tag_prints_entities_and_conll_columns() {
    let env = Env::new();
    let run = env.run_with_stdin(&["ner", "tag"], "Dmitry Peskov spoke in Moscow on Monday.");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "PER\t0\t13\tDmitry Peskov\nLOC\t23\t29\tMoscow\n");
    let conll = "-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\nBRUSSELS NNP I-NP I-LOC\n1996-08-22 CD I-NP O\n";
    let run = env.run_with_stdin(&["ner", "tag", "--conll"], conll);
    assert_eq!(
        run.stdout,
        "-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER I-PER\nBlackburn NNP I-NP I-PER I-PER\n\nBRUSSELS NNP I-NP I-LOC I-LOC\n1996-08-22 CD I-NP O O\n"
    );
}
