//! The test harness: a temporary index, the real binary, and failures that
//! explain themselves (command, status, stdout, stderr).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder or file under `tests/data`, relative to the repository
/// root (where newsdex runs), so derived ids read `tests/data/...`.
pub fn data(rel: &str) -> String {
    format!("tests/data/{rel}")
}

/// A temporary folder holding an index, and a way to run newsdex on it.
pub struct Env {
    dir: tempfile::TempDir,
}

/// What one run printed.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub command: String,
}

impl Run {
    fn explain(&self) -> String {
        format!(
            "command: {}\nstatus: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.status, self.stdout, self.stderr
        )
    }

    /// Asserts the exit status, then returns the run.
    pub fn expect(self, status: i32) -> Run {
        assert_eq!(self.status, status, "unexpected exit status\n{}", self.explain());
        self
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.explain()))
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Runs newsdex with `args` against this env's index, from the repo root.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdex"));
        cmd.args(args)
            .current_dir(root())
            .env("NEWSDEX_INDEX", self.index_dir())
            .env_remove("NO_COLOR");
        let out: Output = cmd.output().expect("run newsdex");
        Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            command: format!("newsdex {}", args.join(" ")),
        }
    }

    /// Runs newsdex with `input` on its standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .args(args)
            .current_dir(root())
            .env("NEWSDEX_INDEX", self.index_dir())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run newsdex");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait");
        Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            command: format!("newsdex {}", args.join(" ")),
        }
    }

    /// Runs and expects exit status 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        self.run(args).expect(0)
    }

    /// Indexes `paths` and expects success.
    pub fn index(&self, paths: &[&str]) -> Run {
        let mut args = vec!["index", "--no-progress"];
        args.extend_from_slice(paths);
        self.ok(&args)
    }

    /// Runs a search with `--format json` and returns the parsed output.
    pub fn search(&self, args: &[&str]) -> Value {
        let mut full = vec!["search", "--format", "json"];
        full.extend_from_slice(args);
        let run = self.run(&full);
        assert!(
            run.status == 0 || run.status == 1,
            "search failed\n{}",
            run.explain()
        );
        run.json()
    }

    /// The ids of a search's hits, in order.
    pub fn ids(&self, args: &[&str]) -> Vec<String> {
        ids(&self.search(args))
    }
}

/// The ids of a search result's hits, in order.
pub fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["id"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A facet as (value, count) pairs.
pub fn facet(v: &Value, name: &str) -> Vec<(String, u64)> {
    v["facets"][name]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["value"].as_str().unwrap_or("").to_string(),
                        c["count"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A path as newsdex keys it: `/` separators, no `./`.
pub fn key(path: &std::path::Path) -> String {
    newsdex::article::path_key(path)
}

/// An index of the bundled corpus.
pub fn corpus_env() -> Env {
    let env = Env::new();
    env.index(&["corpus"]);
    env
}
