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

/// A running `newsdex serve` on an env's index, on a free loopback port;
/// killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
}

impl Server {
    pub fn start(env: &Env) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .args(["serve", "--port", "0"])
            .current_dir(root())
            .env("NEWSDEX_INDEX", env.index_dir())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("run newsdex serve");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the server's first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the server's first line: {line:?}"))
            .to_string();
        Server { child, url }
    }

    /// GETs `path` (after the URL's `/`): the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(&format!("{}{path}", self.url))
    }

    /// GETs `path` and parses the body as JSON, expecting `status`.
    pub fn json(&self, path: &str, status: u16) -> Value {
        let (got, body) = self.get(path);
        assert_eq!(got, status, "GET /{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET /{path} is not JSON ({e}): {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET of `url` (`http://host:port/path`, sent as given,
/// `..` and all): the status and the body.
pub fn http_get(url: &str) -> (u16, String) {
    http_get_as(url, None)
}

/// [`http_get`], with another `Host` header than the URL's.
pub fn http_get_as(url: &str, host_header: Option<&str>) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (address, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let host = host_header.unwrap_or(address);
    let mut stream = std::net::TcpStream::connect(address).expect("connect to the server");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    // Read to the end, or to Content-Length where given (some servers,
    // Chromium's among them, keep the connection open whatever we ask).
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).expect("read the response");
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|length| response.len() >= end + 4 + length) {
                break;
            }
        }
    }
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    (status, if chunked { dechunk(body) } else { body.to_string() })
}

/// The body of a chunked response.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
