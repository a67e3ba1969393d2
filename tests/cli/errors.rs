use crate::util::{Env, data};

#[test]
fn bad_input_is_reported_and_the_rest_indexed() {
    let env = Env::new();
    let run = env.run(&["index", "--no-progress", &data("bad")]).expect(0);
    let bad = data("bad");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let expected = [
        format!("newsdex: skipped: {bad}/broken-front-matter.md:2: malformed YAML front matter"),
        format!("newsdex: skipped: {bad}/empty.txt: empty file: no text to index"),
        format!("newsdex: skipped: {bad}/image.png: binary .png file skipped"),
        format!("newsdex: skipped: {bad}/invalid-utf8.txt:2: invalid UTF-8 at byte 43; file skipped"),
        format!("newsdex: skipped: {bad}/malformed.json:3: malformed JSON: trailing comma"),
        format!(
            "newsdex: skipped: {bad}/mixed.jsonl:2: malformed JSON: EOF while parsing a string (column 42)"
        ),
        format!("newsdex: skipped: {bad}/mixed.jsonl:3: expected a JSON object, found a list"),
        format!("newsdex: skipped: {bad}/mixed.jsonl:4: no text"),
        format!("newsdex: warning: {bad}/mixed.jsonl:5: unrecognised date \"the day after tomorrow\""),
    ];
    assert_eq!(lines.len(), expected.len(), "{}", run.stderr);
    for (line, want) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(want.as_str()),
            "{line}\n  does not start with\n{want}"
        );
    }
    assert!(run.stdout.starts_with("Indexed 4 articles"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Skipped 5 files and 3 records; 1 warning."),
        "{}",
        run.stdout
    );
    let mut ids = env.ids(&["harbour cranes"]);
    ids.sort();
    assert_eq!(
        ids,
        vec!["bad-date", "bad-ok-1", "bad-ok-2", "tests/data/bad/good.txt"]
    );
}

#[test]
fn problems_are_reported_as_json_lines() {
    let env = Env::new();
    let report = env.index_dir().with_file_name("report.jsonl");
    env.run(&[
        "index",
        "--no-progress",
        "--report",
        report.to_str().unwrap(),
        &data("bad"),
    ])
    .expect(0);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 9);
    assert_eq!(lines[3]["path"], "tests/data/bad/invalid-utf8.txt");
    assert_eq!(lines[3]["line"], 2);
    assert_eq!(lines[3]["severity"], "skipped");
    assert_eq!(lines[8]["severity"], "warning");
}

#[test]
fn strict_turns_problems_into_failure() {
    let env = Env::new();
    env.run(&["index", "--no-progress", "--strict", &data("bad")])
        .expect(2);
    // The good articles were indexed all the same.
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 4);
    env.run(&["index", "--no-progress", "--strict", &data("facets")])
        .expect(0);
}

#[test]
fn a_missing_path_is_reported_and_fails_the_run() {
    let env = Env::new();
    let run = env
        .run(&["index", "--no-progress", "no/such/folder", &data("facets")])
        .expect(2);
    assert!(
        run.stderr.contains("no/such/folder: no such file or folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 of the paths given do not exist"),
        "{}",
        run.stderr
    );
    // What exists is indexed all the same.
    assert!(run.stdout.starts_with("Indexed 6 articles"), "{}", run.stdout);
}

#[test]
fn an_index_is_never_written_into_a_folder_of_other_files() {
    let env = Env::new();
    let folder = env.index_dir();
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("important.txt"), "keep").unwrap();
    let run = env.run(&["index", "--no-progress", &data("facets")]).expect(2);
    assert!(
        run.stderr.contains("is not an index and not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

#[test]
fn dates_the_index_cannot_hold_are_warnings_not_crashes() {
    let env = Env::new();
    let file = env.index_dir().with_file_name("odd-dates.jsonl");
    std::fs::write(
        &file,
        "{\"id\": \"old\", \"text\": \"harbour\", \"date\": \"1000-01-01\"}\n\
         {\"id\": \"far\", \"text\": \"harbour\", \"date\": \"2300-01-01\"}\n\
         {\"id\": \"neg\", \"text\": \"harbour\", \"date\": -9223372036854775808}\n\
         {\"id\": \"year\", \"text\": \"harbour\", \"date\": \"2023\"}\n",
    )
    .unwrap();
    let run = env
        .run(&["index", "--no-progress", file.to_str().unwrap()])
        .expect(0);
    assert_eq!(
        run.stderr.matches("indexed without a date").count(),
        4,
        "{}",
        run.stderr
    );
    let v = env.search(&["harbour"]);
    assert_eq!(v["total"], 4);
    assert!(v["hits"].as_array().unwrap().iter().all(|h| h["date"].is_null()));
    // Filters beyond the range are not errors either.
    for args in [
        &["--from", "1600", "harbour"][..],
        &["--to", "2300", "harbour"],
        &["--on", "1000"],
    ] {
        env.search(args);
    }
}

#[test]
fn query_syntax_errors_exit_2_with_where_and_why() {
    let env = Env::new();
    env.index(&[&data("facets")]);
    for (query, message) in [
        (
            "(summit",
            "query syntax error at column 1: unclosed '(': add a ')' to close it",
        ),
        (
            "summit)",
            "query syntax error at column 7: unmatched ')': no '(' before it",
        ),
        (
            "\"climate summit",
            "query syntax error at column 1: unclosed quote",
        ),
        (
            "summit OR",
            "query syntax error at column 8: OR needs a term on each side",
        ),
        (
            "titel:summit",
            "query syntax error at column 1: unknown field 'titel'",
        ),
        ("su*it", "query syntax error at column 1: '*' may only end a word"),
        (
            "…",
            "query syntax error at column 1: the query has no words to search for",
        ),
    ] {
        let run = env.run(&["search", query]).expect(2);
        assert!(
            run.stderr.starts_with(&format!("newsdex: error: {message}")),
            "{query}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn no_index_and_foreign_indexes_say_how_to_fix_it() {
    let env = Env::new();
    let run = env.run(&["search", "x"]).expect(2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    assert!(run.stderr.contains("newsdex index"), "{}", run.stderr);
    env.index(&[&data("facets")]);
    let meta = env.index_dir().join("newsdex.json");
    std::fs::write(
        &meta,
        r#"{"format":"newsdex","schema_version":999,"newsdex_version":"9.9.9"}"#,
    )
    .unwrap();
    let run = env.run(&["stats"]).expect(2);
    assert!(
        run.stderr.contains("was written by newsdex 9.9.9 (schema 999)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("newsdex index --rebuild"), "{}", run.stderr);
    // The fix the message gives works.
    env.ok(&["index", "--no-progress", "--rebuild", &data("facets")]);
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 6);
}

#[test]
fn rebuild_starts_from_an_empty_index() {
    let env = Env::new();
    env.index(&[&data("facets")]);
    env.index(&[&data("dates")]);
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 12);
    env.ok(&["index", "--no-progress", "--rebuild", &data("dates")]);
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 6);
}

#[test]
fn show_an_unknown_id_and_bad_limits() {
    let env = Env::new();
    env.index(&[&data("facets")]);
    let run = env.run(&["show", "nope"]).expect(2);
    assert!(
        run.stderr.contains("no article with id \"nope\""),
        "{}",
        run.stderr
    );
    let run = env.run(&["search", "--limit", "100001", "x"]).expect(2);
    assert!(
        run.stderr.contains("--limit 100001 is over the maximum"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_and_help() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.ok(&["completions", shell]).stdout;
        assert!(out.contains("newsdex"), "{shell}");
    }
    let help = env.ok(&["search", "--help"]).stdout;
    assert!(help.contains("$ newsdex search"), "{help}");
}
