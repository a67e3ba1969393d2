use crate::util::{Env, data};

/// One line per problem in tests/data/bad, in file order: (severity, where, why).
const BAD: &[(&str, &str, &str)] = &[
    (
        "warning",
        "absurd-dates.jsonl:1",
        "date \"0000-01-01\" is out of range (years 1700 to 2261); indexed without a date",
    ),
    (
        "warning",
        "absurd-dates.jsonl:2",
        "unrecognised date \"99999-01-01\"",
    ),
    (
        "warning",
        "absurd-dates.jsonl:3",
        "unrecognised date \"2023-13-45\"",
    ),
    ("skipped", "binary-no-extension", "binary file skipped"),
    ("skipped", "binary.jsonl", "binary data in a .jsonl file; skipped"),
    (
        "skipped",
        "broken-front-matter.md:2",
        "malformed YAML front matter",
    ),
    (
        "skipped",
        "deeply-nested.json:1",
        "malformed JSON: recursion limit exceeded",
    ),
    ("skipped", "empty.jsonl", "empty file: no text to index"),
    ("skipped", "empty.txt", "empty file: no text to index"),
    ("skipped", "image.png", "binary .png file skipped"),
    (
        "skipped",
        "invalid-utf8.txt:2",
        "invalid UTF-8 at byte 43; file skipped",
    ),
    (
        "skipped",
        "malformed-feed.xml",
        "not a feed that can be read: unable to parse XML",
    ),
    ("skipped", "malformed.json:3", "malformed JSON: trailing comma"),
    (
        "skipped",
        "mixed.jsonl:2",
        "malformed JSON: EOF while parsing a string (column 42)",
    ),
    ("skipped", "mixed.jsonl:3", "expected a JSON object, found a list"),
    ("skipped", "mixed.jsonl:4", "no text"),
    (
        "warning",
        "mixed.jsonl:5",
        "unrecognised date \"the day after tomorrow\"",
    ),
    (
        "skipped",
        "truncated.jsonl.gz",
        "unexpected end of data (a truncated gzip file?); the rest of the file was not read",
    ),
];

#[test]
fn bad_input_is_reported_and_the_rest_indexed() {
    let env = Env::new();
    // What the index holds before the bad run stays.
    env.index(&["corpus"]);
    let run = env.run(&["index", "--no-progress", &data("bad")]).expect(0);
    let bad = data("bad");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), BAD.len(), "{}", run.stderr);
    for (line, (severity, at, why)) in lines.iter().zip(BAD) {
        let want = format!("newsdex: {severity}: {bad}/{at}: {why}");
        assert!(line.starts_with(&want), "{line}\n  does not start with\n{want}");
    }
    assert!(run.stdout.starts_with("Indexed 21 articles"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Skipped 10 files and 4 records; 4 warnings."),
        "{}",
        run.stdout
    );
    // Malformed HTML is read as browsers read it; the truncated gzip file
    // gives the stories before the cut; absurd dates are dropped, not the
    // stories.
    // (The 13 gzip files hold one story: listed apart, not collapsed.)
    let mut ids = env.ids(&["harbour", "-n", "100", "--no-collapse"]);
    ids.sort();
    let mut want: Vec<String> = [
        "bad-date",
        "bad-ok-1",
        "bad-ok-2",
        "month-13",
        "year-99999",
        "year-zero",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain((0..13).map(|i| format!("gz-{i}")))
    .chain([format!("{bad}/good.txt"), format!("{bad}/malformed.html")])
    .collect();
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(
        env.ok(&["stats", "--format", "json"]).json()["articles"],
        301 + 21
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
    assert_eq!(lines.len(), BAD.len());
    for (entry, (severity, at, why)) in lines.iter().zip(BAD) {
        let (file, line) = match at.split_once(':') {
            Some((f, l)) => (f, serde_json::json!(l.parse::<u64>().unwrap())),
            None => (*at, serde_json::Value::Null),
        };
        assert_eq!(entry["path"], format!("tests/data/bad/{file}"), "{entry}");
        assert_eq!(entry["line"], line, "{entry}");
        assert_eq!(entry["severity"], *severity, "{entry}");
        assert!(entry["message"].as_str().unwrap().starts_with(why), "{entry}");
    }
}

/// Bad input that cannot live in git: a 1 GB line, link loops, and files
/// and folders that cannot be read.
#[test]
fn huge_lines_link_loops_and_unreadable_files_are_skipped() {
    use std::io::Write;
    use std::os::unix::fs::{PermissionsExt, symlink};

    let env = Env::new();
    let dir = env.index_dir().with_file_name("news");
    std::fs::create_dir_all(dir.join("loop")).unwrap();
    // A JSON Lines file whose first line is 1 GB; the line after it is read.
    let mut huge = std::io::BufWriter::new(std::fs::File::create(dir.join("huge.jsonl")).unwrap());
    huge.write_all(b"{\"id\": \"huge\", \"text\": \"").unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..1024 {
        huge.write_all(&block).unwrap();
    }
    huge.write_all(b"\"}\n{\"id\": \"after-huge\", \"text\": \"Harbour cranes after it.\"}\n")
        .unwrap();
    huge.into_inner().unwrap().sync_all().unwrap();
    symlink("..", dir.join("loop/up")).unwrap();
    symlink("self", dir.join("self")).unwrap();
    std::fs::create_dir(dir.join("locked")).unwrap();
    std::fs::write(dir.join("locked/a.txt"), "Harbour cranes locked away.").unwrap();
    std::fs::write(dir.join("secret.txt"), "Harbour cranes kept secret.").unwrap();
    std::fs::write(dir.join("fine.txt"), "Harbour cranes were fine.").unwrap();
    for (path, mode) in [("locked", 0o000), ("secret.txt", 0o000), ("", 0o777)] {
        std::fs::set_permissions(dir.join(path), std::fs::Permissions::from_mode(mode)).unwrap();
    }

    let d = dir.to_str().unwrap().to_string();
    let args = ["index", "--no-progress", "--no-entities", d.as_str()];
    // Root reads anything: run as nobody then, if we are root.
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = if as_root {
        let index_parent = env.index_dir().with_file_name("ix");
        std::fs::create_dir_all(&index_parent).unwrap();
        std::fs::set_permissions(&index_parent, std::fs::Permissions::from_mode(0o777)).unwrap();
        let tmp = env.index_dir().parent().unwrap().to_path_buf();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_newsdex"))
            .arg("--index")
            .arg(index_parent.join("index"))
            .args(args)
            .output()
            .expect("setpriv (util-linux) runs newsdex as nobody");
        crate::util::Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            command: format!("setpriv ... newsdex {}", args.join(" ")),
        }
    } else {
        env.run(&args)
    };
    let run = run.expect(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let expected = [
        format!("newsdex: skipped: {d}/huge.jsonl:1: line is over 67108864 bytes; skipped"),
        format!("newsdex: skipped: {d}/locked: permission denied: cannot be read"),
        format!("newsdex: skipped: {d}/loop/up: symbolic link loop: it leads back to {d}; not followed"),
        format!("newsdex: skipped: {d}/secret.txt: permission denied: cannot be read"),
        format!("newsdex: skipped: {d}/self: too many levels of symbolic links (a link loop?)"),
    ];
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{}", run.stderr);
    assert!(run.stdout.starts_with("Indexed 2 articles"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Skipped 4 files and 1 record"),
        "{}",
        run.stdout
    );
    std::fs::remove_file(dir.join("huge.jsonl")).unwrap();
}

#[test]
fn strict_turns_problems_into_failure() {
    let env = Env::new();
    env.run(&["index", "--no-progress", "--strict", &data("bad")])
        .expect(2);
    // The good articles were indexed all the same.
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 21);
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
    let long = "summit ".repeat(600);
    let deep = format!("{}summit{}", "(".repeat(40), ")".repeat(40));
    for (query, message) in [
        (
            long.as_str(),
            "query syntax error at column 1: the query is 4200 characters long; the limit is 4096",
        ),
        (
            deep.as_str(),
            "query syntax error at column 33: nested more than 32 levels deep",
        ),
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
