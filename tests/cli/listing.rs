use crate::util::{Env, data, facet, ids};

fn facets_env() -> Env {
    let env = Env::new();
    env.index(&[&data("facets")]);
    env
}

fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

#[test]
fn facet_counts_match_the_hand_count() {
    let env = facets_env();
    // f1..f5 mention the climate summit; f6 does not.
    let v = env.search(&["climate summit", "--facets"]);
    assert_eq!(v["total"], 5);
    assert_eq!(
        facet(&v, "source"),
        pairs(&[("Reuters", 3), ("AP", 1), ("BBC", 1)])
    );
    assert_eq!(facet(&v, "person"), pairs(&[("Ana Costa", 3), ("Li Wei", 2)]));
    assert_eq!(
        facet(&v, "org"),
        pairs(&[("United Nations", 3), ("European Union", 2), ("Greenpeace", 1)])
    );
    assert_eq!(
        facet(&v, "place"),
        pairs(&[("Paris", 3), ("London", 2), ("Brussels", 1)])
    );
    assert_eq!(facet(&v, "month"), pairs(&[("2023-03", 2), ("2023-04", 3)]));
    // Facets count every match, not only the page shown.
    let page = env.search(&["climate summit", "--facets", "--limit", "1"]);
    assert_eq!(page["hits"].as_array().unwrap().len(), 1);
    assert_eq!(facet(&page, "person"), facet(&v, "person"));
}

#[test]
fn facets_of_everything_and_of_a_filter() {
    let env = facets_env();
    let all = env.search(&["--facets"]);
    assert_eq!(all["total"], 6);
    assert_eq!(
        facet(&all, "source"),
        pairs(&[("Reuters", 3), ("BBC", 2), ("AP", 1)])
    );
    assert_eq!(
        facet(&all, "place"),
        pairs(&[("London", 3), ("Paris", 3), ("Brussels", 1)])
    );
    assert_eq!(
        facet(&all, "month"),
        pairs(&[("2023-03", 2), ("2023-04", 3), ("2023-05", 1)])
    );
    let bbc = env.search(&["--facets", "--source", "BBC"]);
    assert_eq!(ids(&bbc), vec!["f6", "f4"]);
    assert_eq!(facet(&bbc, "person"), pairs(&[("Ana Costa", 1), ("Li Wei", 1)]));
    let limited = env.search(&["--facets", "--facet-limit", "1"]);
    assert_eq!(facet(&limited, "org"), pairs(&[("United Nations", 3)]));
}

#[test]
fn an_empty_query_lists_newest_first() {
    let env = facets_env();
    assert_eq!(env.ids(&[]), vec!["f6", "f5", "f4", "f3", "f2", "f1"]);
    assert_eq!(
        env.ids(&["--sort", "oldest"]),
        vec!["f1", "f2", "f3", "f4", "f5", "f6"]
    );
    assert_eq!(
        env.ids(&["--from", "2023-04", "--to", "2023-04"]),
        vec!["f5", "f4", "f3"]
    );
    // A listing shows each article's lead passage, unscored.
    let v = env.search(&["--limit", "1"]);
    assert_eq!(
        v["hits"][0]["passages"][0]["text"],
        "The final went to penalties."
    );
    assert_eq!(v["hits"][0]["score"], 0.0);
}

#[test]
fn pages_keep_their_ranks() {
    let env = facets_env();
    let v = env.search(&["--limit", "2", "--offset", "2"]);
    assert_eq!(v["total"], 6);
    assert_eq!(ids(&v), vec!["f4", "f3"]);
    assert_eq!(v["hits"][0]["rank"], 3);
    assert_eq!(v["hits"][1]["rank"], 4);
    let past_end = env.search(&["--offset", "10"]);
    assert_eq!(past_end["total"], 6);
    assert_eq!(ids(&past_end), Vec::<String>::new());
}

#[test]
fn sorting_a_query() {
    let env = facets_env();
    assert_eq!(
        env.ids(&["summit", "--sort", "newest"]),
        vec!["f5", "f4", "f3", "f2", "f1"]
    );
    assert_eq!(
        env.ids(&["summit", "--sort", "oldest"]),
        vec!["f1", "f2", "f3", "f4", "f5"]
    );
    // Relevance: the title and the text both say "summit" in each; all five rank.
    assert_eq!(env.ids(&["summit"]).len(), 5);
    assert_eq!(env.ids(&["summit -critics OR penalties"]).len(), 5);
    assert_eq!(env.ids(&["summit -critics"]), env.ids(&["summit -critics"]));
    assert!(!env.ids(&["summit -critics"]).contains(&"f4".to_string()));
}

#[test]
fn jsonl_prints_one_hit_per_line() {
    let env = facets_env();
    let out = env
        .ok(&["search", "--format", "jsonl", "summit", "--sort", "oldest"])
        .stdout;
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "f1");
}
