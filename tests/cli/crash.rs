use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Env, root};

/// Articles between commits in these tests: commits land at exact multiples.
const EVERY: usize = 30;

/// The bundled sample's 300 stories split over six files, so that a run
/// has whole files, a file cut by a commit, and ten commits (enough for
/// tantivy to start merging segments). Returns the folder and every id in
/// the order a run reads them.
fn crash_corpus(env: &Env) -> (PathBuf, Vec<String>) {
    let dir = env.index_dir().with_file_name("news");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("corpus/reuters-1987-sample.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 300);
    // Walked in name order: big.jsonl (100 stories), then part-0..4 (40 each).
    let mut files = vec![("big.jsonl".to_string(), &lines[..100])];
    for (i, chunk) in lines[100..].chunks(40).enumerate() {
        files.push((format!("part-{i}.jsonl"), chunk));
    }
    let mut ids = Vec::new();
    for (name, chunk) in files {
        std::fs::write(dir.join(name), chunk.join("\n") + "\n").unwrap();
        for line in chunk {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            ids.push(v["id"].as_str().unwrap().to_string());
        }
    }
    (dir, ids)
}

/// An indexing run of `dir` that stops dead at `failpoint` (or runs free
/// when it is empty).
fn spawn_index(env: &Env, dir: &Path, failpoint: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(["index", "--no-progress", "--no-entities", "--commit-every"])
        .arg(EVERY.to_string())
        .arg(dir)
        .current_dir(root())
        .env("NEWSDEX_INDEX", env.index_dir())
        .env("NEWSDEX_FAILPOINT", failpoint)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsdex index")
}

/// Waits until the run says it reached its failpoint.
fn wait_for_failpoint(child: &mut Child, failpoint: &str) {
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let found = lines.any(|l| l.is_ok_and(|l| l.contains("failpoint")));
        let _ = tx.send(found);
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(true) => {}
        other => {
            let _ = child.kill();
            panic!("the run never reached failpoint {failpoint} ({other:?})");
        }
    }
}

/// Every article id in the index, checking there is one article per id.
fn indexed_ids(env: &Env) -> Vec<String> {
    let stats = env.ok(&["stats", "--format", "json"]).json();
    let listing = env.search(&["--limit", "1000", "--sort", "oldest", "--no-collapse"]);
    let ids: Vec<String> = crate::util::ids(&listing);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an id is indexed twice: {ids:?}");
    assert_eq!(stats["articles"], ids.len(), "stats and the listing disagree");
    ids
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut v = ids.to_vec();
    v.sort();
    v
}

/// Kills a run with SIGKILL at `failpoint`, checking on the way that
/// searches see the last commit and a second indexer is refused; then
/// checks the index holds exactly the first `committed` articles, and that
/// the next run finishes the work.
fn kill_at(failpoint: &str, committed: usize) {
    let env = Env::new();
    let (dir, all) = crash_corpus(&env);
    let mut child = spawn_index(&env, &dir, failpoint);
    wait_for_failpoint(&mut child, failpoint);

    // While the run hangs, holding the writer: searches see the last commit...
    if committed > 0 {
        assert_eq!(
            sorted(&indexed_ids(&env)),
            sorted(&all[..committed]),
            "{failpoint}"
        );
    }
    // ... and a second indexer is refused at once, naming the first.
    let second = env.run(&["index", "--no-progress", "--no-entities", dir.to_str().unwrap()]);
    assert_eq!(second.status, 2, "{}", second.stderr);
    let holder = format!("is being written by newsdex (pid {})", child.id());
    assert!(second.stderr.contains(&holder), "{}", second.stderr);

    child.kill().expect("kill -9");
    child.wait().expect("wait");

    // The index opens and answers with its last committed state.
    if committed > 0 {
        assert_eq!(
            sorted(&indexed_ids(&env)),
            sorted(&all[..committed]),
            "{failpoint}"
        );
    }
    // The dead run's lock is no lock: the next run takes it and finishes
    // the work, with no article missing and none twice.
    let mut next = spawn_index(&env, &dir, "");
    let status = next.wait().expect("wait");
    assert!(status.success(), "the run after {failpoint} failed");
    assert_eq!(sorted(&indexed_ids(&env)), sorted(&all), "after {failpoint}");
    let again = env.index(&["--no-entities", dir.to_str().unwrap()]);
    assert!(again.stdout.starts_with("Nothing to do"), "{}", again.stdout);
}

#[test]
fn killed_early_before_any_commit() {
    // After the first file is read (100 articles): three commits are done.
    kill_at("file:1", 90);
}

#[test]
fn killed_mid_file_before_a_commit() {
    kill_at("commit:2", 30);
}

#[test]
fn killed_mid_commit_with_segments_written_but_not_published() {
    kill_at("prepared:4", 90);
}

#[test]
fn killed_right_after_a_commit_while_segments_merge() {
    // Ten segments by then: tantivy's merge policy starts merging at eight.
    kill_at("committed:9", 270);
}

#[test]
fn killed_in_the_last_commit() {
    kill_at("prepared:10", 270);
}

/// Kills free-running runs after growing delays, each run taking up the
/// work of the one before: wherever a kill lands, the index holds the
/// corpus's first articles in reading order (whole files, then part of the
/// next), each once, and the last run completes it.
#[test]
fn killed_at_arbitrary_moments() {
    let env = Env::new();
    let (dir, all) = crash_corpus(&env);
    for (run, delay_ms) in [0u64, 20, 60, 120, 250, 500].into_iter().enumerate() {
        let mut child = spawn_index(&env, &dir, "");
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(delay_ms) {
            if child.try_wait().expect("try_wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill();
        let _ = child.wait();
        if !env.index_dir().join("meta.json").exists() {
            continue; // killed before the index was created
        }
        let ids = indexed_ids(&env);
        let n = ids.len();
        if run == 0 {
            assert!(
                n.is_multiple_of(EVERY) || n == all.len(),
                "{n} articles: not a whole commit"
            );
        }
        assert_eq!(sorted(&ids), sorted(&all[..n]), "killed after {delay_ms} ms");
    }
    let mut last = spawn_index(&env, &dir, "");
    assert!(last.wait().expect("wait").success());
    assert_eq!(sorted(&indexed_ids(&env)), sorted(&all));
}

/// A run killed while creating the index, after newsdex.json and before
/// tantivy's meta.json, leaves a folder the next run creates the index in.
#[test]
fn killed_while_creating_the_index() {
    let env = Env::new();
    let (dir, all) = crash_corpus(&env);
    let scratch = Env::new();
    scratch.index(&["--no-entities", "tests/data/facets"]);
    std::fs::create_dir_all(env.index_dir()).unwrap();
    std::fs::copy(
        scratch.index_dir().join("newsdex.json"),
        env.index_dir().join("newsdex.json"),
    )
    .unwrap();
    std::fs::write(env.index_dir().join("newsdex.json.partial"), "{").unwrap();
    let search = env.run(&["search", "anything"]);
    assert_eq!(search.status, 2);
    assert!(search.stderr.contains("no index"), "{}", search.stderr);
    let mut run = spawn_index(&env, &dir, "");
    assert!(run.wait().expect("wait").success());
    assert_eq!(sorted(&indexed_ids(&env)), sorted(&all));
}
