use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Server, corpus_env};

const SEED: &str = "corpus/000_690a3a72e68bdb61.txt";

#[test]
fn the_api_answers_what_the_cli_prints() {
    let env = corpus_env();
    let server = Server::start(&env);
    let seed_path = format!("api/article/{}", SEED.replace('/', "%2F"));
    let pairs: [(&str, Vec<&str>); 10] = [
        (
            "api/similar/reuters-4?limit=3&sort=newest",
            vec!["similar", "-n", "3", "--sort", "newest", "reuters-4"],
        ),
        (
            "api/search?q=drone+strike&explain=1",
            vec!["search", "--explain", "drone strike"],
        ),
        (
            "api/search?q=drone+strike&explain=1&proximity=0",
            vec!["search", "--explain", "--no-proximity", "drone strike"],
        ),
        (
            "api/search?q=drone&facets=1&timeline=1",
            vec!["search", "--facets", "--timeline", "drone"],
        ),
        (
            "api/search?q=officials&source=Reuters&place=Japan&limit=3&offset=1&sort=newest",
            vec![
                "search",
                "--source",
                "Reuters",
                "--place",
                "Japan",
                "-n",
                "3",
                "--offset",
                "1",
                "--sort",
                "newest",
                "officials",
            ],
        ),
        (
            "api/search?from=1987-03&to=1987-03-02&collapse=0&passages=1",
            vec![
                "search",
                "--from",
                "1987-03",
                "--to",
                "1987-03-02",
                "--no-collapse",
                "--passages",
                "1",
            ],
        ),
        (
            "api/facets?field=person&q=officials",
            vec!["facets", "--field", "person", "officials"],
        ),
        (
            "api/histogram?by=month&q=oil",
            vec!["histogram", "--by", "month", "oil"],
        ),
        ("api/stats", vec!["stats"]),
        (&seed_path, vec!["show", SEED]),
    ];
    for (path, args) in pairs {
        let mut cli = args.clone();
        cli.insert(1, "--format");
        cli.insert(2, "json");
        let printed: Value = env.ok(&cli).json();
        assert_eq!(
            server.json(path, 200),
            printed,
            "GET /{path} against newsdex {}",
            cli.join(" ")
        );
    }
    // The same article with its id's slash unescaped.
    assert_eq!(server.json(&format!("api/article/{SEED}"), 200)["id"], SEED);
}

#[test]
fn bad_requests_get_json_errors_with_their_status() {
    let env = corpus_env();
    let server = Server::start(&env);
    let cases = [
        ("api/search?q=%22drone", 400, "unclosed quote"),
        ("api/search?q=drone&from=2023-13", 400, "no month 13"),
        ("api/search?sort=sideways", 400, "invalid value 'sideways'"),
        ("api/search?limit=1001", 400, "limit=1001: at most 1000"),
        ("api/search?limit=ten", 400, "give a whole number"),
        ("api/search?colour=red", 400, "unknown parameter \"colour\""),
        ("api/facets?field=mood", 400, "invalid value 'mood'"),
        ("api/article/nope", 404, "no article with id \"nope\""),
        ("api/nothing", 404, "no such API call"),
    ];
    for (path, status, message) in cases {
        let body = server.json(path, status);
        assert_eq!(body["status"], status, "{path}: {body}");
        let error = body["error"].as_str().unwrap_or("");
        assert!(
            error.contains(message),
            "GET /{path}: {error:?} lacks {message:?}"
        );
    }
    // A missing parameter is named as a parameter, not as a flag.
    assert_eq!(
        server.json("api/facets?q=oil", 400)["error"],
        "the following required arguments were not provided: field"
    );
    assert_eq!(
        server.json("api/search?relative_to=yesterday", 400)["error"],
        "invalid value 'yesterday' for 'relative_to' [possible values: today, newest]"
    );
    let many = format!("api/search?{}", "person=a&".repeat(65));
    assert!(
        server.json(&many, 400)["error"]
            .as_str()
            .unwrap()
            .contains("more than 64 parameters")
    );
    // Values may start with a dash: they are values, not flags.
    assert_eq!(server.json("api/search?source=-x&q=oil", 200)["total"], 0);
    assert_eq!(server.json("api/search?person=--limit", 200)["total"], 0);
    // On loopback, only requests addressed to loopback (no DNS rebinding).
    let (status, body) = crate::util::http_get_as(&format!("{}api/stats", server.url), Some("evil.example"));
    assert_eq!(status, 421, "{body}");
    assert!(body.contains("localhost only"), "{body}");
    let port = server.url.rsplit(':').next().unwrap().trim_end_matches('/');
    let (status, _) = crate::util::http_get_as(
        &format!("{}api/stats", server.url),
        Some(&format!("localhost:{port}")),
    );
    assert_eq!(status, 200);
    let long = format!("api/search?q={}", "word+".repeat(250));
    assert!(
        server.json(&long, 400)["error"]
            .as_str()
            .unwrap()
            .contains("the most is 1000")
    );
}

#[test]
fn the_page_and_its_files_are_served_and_nothing_else() {
    let env = corpus_env();
    let server = Server::start(&env);
    let (status, page) = server.get("");
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<script src="/assets/app.js" defer></script>"#),
        "{page}"
    );
    // Article links load the same page, which then asks the API.
    assert_eq!(
        server.get(&format!("article/{}", SEED.replace('/', "%2F"))),
        (200, page)
    );
    assert_eq!(server.get("assets/app.js").0, 200);
    assert_eq!(server.get("assets/style.css").0, 200);
    for path in [
        "assets/../../Cargo.toml",
        "assets/..%2F..%2FCargo.toml",
        "assets/%2e%2e/Cargo.toml",
        "assets/mod.rs",
        "../Cargo.toml",
        "Cargo.toml",
        "index/meta.json",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "GET /{path} gave {body}");
        assert!(
            !body.contains("[package]") && !body.contains("segments"),
            "GET /{path}: {body}"
        );
    }
}

#[test]
fn searches_go_on_while_an_indexing_run_commits_and_then_see_its_articles() {
    let env = corpus_env();
    let server = Arc::new(Server::start(&env));
    let new = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        new.path().join("zebra.txt"),
        "date 2024-01-02 A zebracorn was seen grazing near the Kremlin walls, as per CNN.",
    )
    .expect("write");
    let done = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let searchers: Vec<_> = (0..4)
        .map(|i| {
            let (server, done, answered) = (server.clone(), done.clone(), answered.clone());
            std::thread::spawn(move || {
                let path = [
                    "api/search?q=kremlin&facets=1",
                    "api/search",
                    "api/histogram?by=year",
                    "api/stats",
                ][i];
                while !done.load(Ordering::Relaxed) {
                    let (status, body) = server.get(path);
                    assert_eq!(status, 200, "GET /{path} while indexing: {body}");
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Searches are under way before the run starts, and go on during it.
    while answered.load(Ordering::Relaxed) < 8 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = answered.load(Ordering::Relaxed);
    env.index(&["corpus", new.path().to_str().expect("utf-8 path")]);
    let during = answered.load(Ordering::Relaxed) - before;
    // The server sees the commit without a restart.
    let start = Instant::now();
    loop {
        let found = server.json("api/search?q=zebracorn", 200);
        if found["total"] == 1 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the new article never showed: {found}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    done.store(true, Ordering::Relaxed);
    for s in searchers {
        s.join().expect("a searcher failed");
    }
    assert!(
        during >= 4,
        "only {during} searches answered while the run indexed"
    );
    assert_eq!(server.json("api/stats", 200)["articles"], 302);
}
