//! `newsdex serve`: the engine over HTTP, as a JSON API and a web page.
//!
//! Every API call (`/api/search`, `facets`, `histogram`, `stats`,
//! `article/ID`, `similar/ID`) is a command in disguise. Its query parameters become the
//! command's flags ([`Endpoint`] says which), `clap` parses them with the
//! command line's own definitions, and the command writes its `--format
//! json` answer. So the API takes what the CLI takes, checks it the same
//! way, answers the same JSON, and cannot drift from it.
//!
//! The page (`web/`: one HTML file, a script and a style sheet, compiled
//! into the binary) is a client of that API; its state lives in its URL.
//!
//! The index is opened live ([`NewsIndex::open_live`]): searches follow the
//! commits of an indexing run beside the server. Searches run on tokio's
//! blocking threads, since tantivy's are synchronous.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{Path as UrlPath, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Parser;
use newsdex::{Error, NewsIndex};
use tokio::sync::Semaphore;

use crate::cli::{Cli, Command, ServeArgs};
use crate::cmd::{self, Status};

/// The longest query text the API accepts, in bytes.
pub const MAX_QUERY_BYTES: usize = 1000;
/// The most results (or facet values) one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The furthest a page may start.
pub const MAX_OFFSET: usize = 100_000;
/// The most parameters (filters, repeated or not) one request may give.
pub const MAX_PARAMS: usize = 64;
/// How many requests run at once; the rest wait their turn.
const CONCURRENT: usize = 8;

/// Serves the index until interrupted.
pub fn run(args: &ServeArgs, index_dir: &Path, out: &mut dyn Write) -> Result<Status> {
    let index = NewsIndex::open_live(index_dir)?;
    let listener = std::net::TcpListener::bind(SocketAddr::new(args.bind, args.port))
        .with_context(|| format!("listening on {}:{}", args.bind, args.port))?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    writeln!(
        out,
        "newsdex: serving {} at http://{addr}/ (Ctrl-C stops)",
        index_dir.display()
    )?;
    out.flush()?;
    let app = Arc::new(App {
        index: Arc::new(index),
        permits: Arc::new(Semaphore::new(CONCURRENT)),
    });
    // On loopback, only requests addressed to loopback: a web page that
    // points a name of its own at 127.0.0.1 (DNS rebinding) is refused.
    let local_only = args.bind.is_loopback();
    let routes = router(app).layer(middleware::from_fn(
        move |request: Request, next: Next| async move {
            if local_only && !addressed_to_loopback(&request) {
                return error(
                    StatusCode::MISDIRECTED_REQUEST,
                    "this server answers requests for localhost only",
                );
            }
            next.run(request).await
        },
    ));
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's threads")?
        .block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, routes)
                .with_graceful_shutdown(async {
                    // Without a signal handler the server runs until killed.
                    if tokio::signal::ctrl_c().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                    // Requests under way may finish, but a client that never
                    // does cannot hold the server: a second Ctrl-C, or five
                    // seconds, end it.
                    tokio::spawn(async {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            () = tokio::time::sleep(Duration::from_secs(5)) => {}
                        }
                        std::process::exit(0);
                    });
                })
                .await
        })
        .context("serving")?;
    Ok(Status::Found)
}

/// What every request shares.
struct App {
    index: Arc<NewsIndex>,
    /// One per request that may run at once ([`CONCURRENT`]).
    permits: Arc<Semaphore>,
}

/// Whether the request's `Host` is a loopback name or address.
fn addressed_to_loopback(request: &Request) -> bool {
    let Some(host) = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The routes: the API, the page and its assets.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api/search", get(|s, q| api(s, q, &SEARCH)))
        .route("/api/facets", get(|s, q| api(s, q, &FACETS)))
        .route("/api/histogram", get(|s, q| api(s, q, &HISTOGRAM)))
        .route("/api/stats", get(|s, q| api(s, q, &STATS)))
        .route("/api/article/{*id}", get(|s, id, q| about(s, id, q, &ARTICLE)))
        .route("/api/similar/{*id}", get(|s, id, q| about(s, id, q, &SIMILAR)))
        .route(
            "/api/{*rest}",
            get(|| async { error(StatusCode::NOT_FOUND, "no such API call") }),
        )
        .route("/", get(|| async { asset("index.html") }))
        .route("/article/{*id}", get(|| async { asset("index.html") }))
        .route(
            "/assets/{name}",
            get(|UrlPath(name): UrlPath<String>| async move { asset(&name) }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found\n").into_response() })
        .with_state(app)
}

/// What a query parameter stands for on the command line.
#[derive(Debug, Clone, Copy)]
enum Param {
    /// `name=value` is `--flag=value`.
    Flag(&'static str),
    /// `name=value` is `--flag=value`, a count at most this large.
    Count(&'static str, usize),
    /// `name=1` (or `true`) is `--flag`.
    Switch(&'static str),
    /// `name=0` (or `false`) is `--flag`.
    SwitchOff(&'static str),
    /// The query text, the command's words.
    Query,
}

/// An API call: the command it runs and the parameters it takes.
struct Endpoint {
    command: &'static str,
    params: &'static [(&'static str, Param)],
}

/// The filters every listing call shares (the CLI's `FilterArgs`).
macro_rules! filter_params {
    ($($extra:expr),* $(,)?) => {
        &[
            ("from", Param::Flag("--from")),
            ("to", Param::Flag("--to")),
            ("on", Param::Flag("--on")),
            ("since", Param::Flag("--since")),
            ("until", Param::Flag("--until")),
            ("relative_to", Param::Flag("--relative-to")),
            ("source", Param::Flag("--source")),
            ("person", Param::Flag("--person")),
            ("org", Param::Flag("--org")),
            ("place", Param::Flag("--place")),
            ("entity", Param::Flag("--entity")),
            ("topic", Param::Flag("--topic")),
            $($extra),*
        ]
    };
}

const SEARCH: Endpoint = Endpoint {
    command: "search",
    params: filter_params![
        ("q", Param::Query),
        ("sort", Param::Flag("--sort")),
        ("limit", Param::Count("--limit", MAX_LIMIT)),
        ("offset", Param::Count("--offset", MAX_OFFSET)),
        ("passages", Param::Count("--passages", 20)),
        ("facets", Param::Switch("--facets")),
        ("facet_limit", Param::Count("--facet-limit", MAX_LIMIT)),
        ("timeline", Param::Switch("--timeline")),
        ("collapse", Param::SwitchOff("--no-collapse")),
        ("similar", Param::Flag("--similar")),
        ("explain", Param::Switch("--explain")),
        ("proximity", Param::SwitchOff("--no-proximity")),
    ],
};

const FACETS: Endpoint = Endpoint {
    command: "facets",
    params: filter_params![
        ("q", Param::Query),
        ("field", Param::Flag("--field")),
        ("limit", Param::Count("--limit", MAX_LIMIT)),
    ],
};

const HISTOGRAM: Endpoint = Endpoint {
    command: "histogram",
    params: filter_params![("q", Param::Query), ("by", Param::Flag("--by"))],
};

/// `show ID`: the id is the path's.
const ARTICLE: Endpoint = Endpoint {
    command: "show",
    params: &[],
};

/// `similar ID`: the id is the path's, the rest are parameters.
const SIMILAR: Endpoint = Endpoint {
    command: "similar",
    params: filter_params![
        ("sort", Param::Flag("--sort")),
        ("limit", Param::Count("--limit", MAX_LIMIT)),
        ("offset", Param::Count("--offset", MAX_OFFSET)),
        ("passages", Param::Count("--passages", 20)),
        ("collapse", Param::SwitchOff("--no-collapse")),
    ],
};

const STATS: Endpoint = Endpoint {
    command: "stats",
    params: &[("top", Param::Count("--top", MAX_LIMIT))],
};

/// A request the API refuses, with its status.
#[derive(Debug)]
struct Refusal(StatusCode, String);

impl Refusal {
    fn bad(message: impl Into<String>) -> Refusal {
        Refusal(StatusCode::BAD_REQUEST, message.into())
    }
}

/// The command line an API call stands for: `newsdex COMMAND --format json
/// FLAGS... -- QUERY`.
fn command_line(endpoint: &Endpoint, query: Option<&str>) -> Result<Vec<String>, Refusal> {
    let mut flags = Vec::new();
    let mut words = None;
    for (count, (name, value)) in form_urlencoded::parse(query.unwrap_or("").as_bytes()).enumerate() {
        if count == MAX_PARAMS {
            return Err(Refusal::bad(format!("more than {MAX_PARAMS} parameters")));
        }
        let Some(&(_, param)) = endpoint.params.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = endpoint.params.iter().map(|(n, _)| *n).collect();
            return Err(Refusal::bad(match known.is_empty() {
                true => format!("unknown parameter {name:?}: this call takes none"),
                false => format!("unknown parameter {name:?}: this call takes {}", known.join(", ")),
            }));
        };
        let on = || match value.as_ref() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            other => Err(Refusal::bad(format!("{name}={other}: give 1 or 0"))),
        };
        match param {
            // One argument, `--flag=value`, so that a value may start with `-`.
            Param::Flag(flag) => {
                if value.len() > MAX_QUERY_BYTES {
                    return Err(Refusal::bad(format!(
                        "{name} is longer than {MAX_QUERY_BYTES} bytes"
                    )));
                }
                flags.push(format!("{flag}={value}"));
            }
            Param::Count(flag, most) => {
                let n: usize = value
                    .parse()
                    .map_err(|_| Refusal::bad(format!("{name}={value}: give a whole number")))?;
                if n > most {
                    return Err(Refusal::bad(format!("{name}={n}: at most {most}")));
                }
                flags.push(format!("{flag}={n}"));
            }
            Param::Switch(flag) => {
                if on()? {
                    flags.push(flag.to_string());
                }
            }
            Param::SwitchOff(flag) => {
                if !on()? {
                    flags.push(flag.to_string());
                }
            }
            Param::Query => {
                if value.len() > MAX_QUERY_BYTES {
                    return Err(Refusal::bad(format!(
                        "the query is {} bytes long; the most is {MAX_QUERY_BYTES}",
                        value.len()
                    )));
                }
                if words.replace(value.into_owned()).is_some() {
                    return Err(Refusal::bad("give q once"));
                }
            }
        }
    }
    let mut line: Vec<String> = ["newsdex", endpoint.command, "--format", "json"]
        .map(String::from)
        .into();
    line.extend(flags);
    if let Some(words) = words {
        line.extend(["--".to_string(), words]);
    }
    Ok(line)
}

async fn api(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    endpoint: &'static Endpoint,
) -> Response {
    match command_line(endpoint, query.as_deref()) {
        Ok(line) => answer(app, line, endpoint.params).await,
        Err(Refusal(status, message)) => error(status, &message),
    }
}

/// A call about one article (`article/ID`, `similar/ID`): the id is the
/// path's, the command's words.
async fn about(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    endpoint: &'static Endpoint,
) -> Response {
    match command_line(endpoint, query.as_deref()) {
        Ok(mut line) => {
            line.extend(["--".to_string(), id]);
            answer(app, line, endpoint.params).await
        }
        Err(Refusal(status, message)) => error(status, &message),
    }
}

/// Runs a command line against the open index and answers with its JSON.
async fn answer(app: Arc<App>, line: Vec<String>, params: &[(&str, Param)]) -> Response {
    let cli = match Cli::try_parse_from(&line) {
        Ok(cli) => cli,
        Err(e) => return error(StatusCode::BAD_REQUEST, &clap_message(&e, params)),
    };
    // A few searches at a time: the rest queue here rather than each
    // taking a thread and memory of its own.
    let Ok(permit) = app.permits.clone().acquire_owned().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    let index = app.index.clone();
    let ran = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut out = Vec::new();
        let status = match &cli.command {
            Command::Search(a) => cmd::search::write(&index, a, &mut out),
            Command::Facets(a) => cmd::facets::write(&index, a, &mut out),
            Command::Histogram(a) => cmd::histogram::write(&index, a, &mut out),
            Command::Stats(a) => cmd::stats::write(&index, a, &mut out),
            Command::Show(a) => cmd::show::write(&index, a, &mut out),
            Command::Similar(a) => cmd::similar::write(&index, a, &mut out),
            _ => Err(anyhow::anyhow!("not a command the API runs")),
        };
        status.map(|_| out)
    })
    .await;
    match ran {
        Ok(Ok(json)) => ([(header::CONTENT_TYPE, JSON)], json).into_response(),
        Ok(Err(e)) => error(status_of(&e), &format!("{e:#}")),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
    }
}

/// The HTTP status of a command's error: 404 for an unknown article, 500
/// for the index failing, 400 for what the request asked (a bad query,
/// filter or date).
fn status_of(e: &anyhow::Error) -> StatusCode {
    match e.chain().find_map(|cause| cause.downcast_ref::<Error>()) {
        Some(Error::UnknownId(_)) => StatusCode::NOT_FOUND,
        Some(Error::Syntax(_) | Error::BadFilter(_)) | None => StatusCode::BAD_REQUEST,
        Some(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Clap's complaint in one line (without the usage), naming parameters
/// rather than flags.
fn clap_message(e: &clap::Error, params: &[(&str, Param)]) -> String {
    let text = e.render().to_string();
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let mut message = lines.join(" ").trim_start_matches("error: ").to_string();
    // Longest flags first: --to is the start of --topic.
    let mut names: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(name, param)| match param {
            Param::Flag(flag) | Param::Count(flag, _) | Param::Switch(flag) | Param::SwitchOff(flag) => {
                Some((*flag, *name))
            }
            Param::Query => None,
        })
        .collect();
    names.sort_by_key(|(flag, _)| std::cmp::Reverse(flag.len()));
    for (flag, name) in names {
        message = message.replace(flag, name);
    }
    without_placeholders(&message)
}

/// `text` without clap's value placeholders (` <WHEN>`, `=<N>`).
fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').map(|c| open + c);
        let inner = close.map(|c| &rest[open + 1..c]);
        match (close, inner) {
            (Some(close), Some(inner))
                if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                out.push_str(rest[..open].trim_end_matches([' ', '=']));
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const JSON: &str = "application/json; charset=utf-8";

/// An error as JSON: `{"error": "...", "status": 400}`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message, "status": status.as_u16() });
    (status, [(header::CONTENT_TYPE, JSON)], format!("{body:#}\n")).into_response()
}

/// The page's files, compiled in. Only these names are served, so no
/// request can reach any other file.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("web/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("web/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("web/style.css"),
    ),
];

/// Scripts and styles come from the page's own files only: text from the
/// index can never run as script, whatever it holds.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

fn asset(name: &str) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, body)) => {
            let mut response = ([(header::CONTENT_TYPE, *kind)], *body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(endpoint: &Endpoint, query: &str) -> Result<Vec<String>, String> {
        command_line(endpoint, Some(query)).map_err(|Refusal(status, m)| format!("{} {m}", status.as_u16()))
    }

    #[test]
    fn parameters_become_the_commands_flags() {
        assert_eq!(
            line(
                &SEARCH,
                "q=drone+strike&person=Dmitry%20Peskov&person=Zelenskyy&facets=1&collapse=0&limit=5"
            )
            .unwrap(),
            [
                "newsdex",
                "search",
                "--format",
                "json",
                "--person=Dmitry Peskov",
                "--person=Zelenskyy",
                "--facets",
                "--no-collapse",
                "--limit=5",
                "--",
                "drone strike"
            ]
        );
        // A query that looks like a flag stays the query.
        assert_eq!(line(&SEARCH, "q=--limit").unwrap()[4..], ["--", "--limit"]);
        assert_eq!(
            line(&STATS, "").unwrap(),
            ["newsdex", "stats", "--format", "json"]
        );
        assert_eq!(line(&SEARCH, "facets=0&collapse=1").unwrap().len(), 4);
    }

    #[test]
    fn requests_beyond_the_limits_are_refused() {
        assert_eq!(
            line(&SEARCH, "limit=1001").unwrap_err(),
            "400 limit=1001: at most 1000"
        );
        assert!(line(&SEARCH, "limit=1000").is_ok());
        assert!(
            line(&SEARCH, &format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1)))
                .unwrap_err()
                .starts_with("400 the query is 1001 bytes")
        );
        assert!(line(&SEARCH, "limit=-3").unwrap_err().contains("whole number"));
        assert!(line(&SEARCH, "q=a&q=b").unwrap_err().contains("once"));
        assert!(line(&SEARCH, "facets=maybe").unwrap_err().contains("1 or 0"));
        assert_eq!(
            line(&ARTICLE, "full=1").unwrap_err(),
            "400 unknown parameter \"full\": this call takes none"
        );
        let unknown = line(&HISTOGRAM, "field=person").unwrap_err();
        assert!(
            unknown.starts_with("400 unknown parameter \"field\""),
            "{unknown}"
        );
    }

    #[test]
    fn placeholders_go_but_what_the_user_wrote_stays() {
        assert_eq!(
            without_placeholders("invalid value 'x' for 'sort <SORT>' and =<N> but <b>kept</b> <A1>"),
            "invalid value 'x' for 'sort' and but <b>kept</b> <A1>"
        );
    }

    #[test]
    fn only_the_pages_own_files_are_served() {
        assert_eq!(asset("app.js").status(), StatusCode::OK);
        for name in ["../Cargo.toml", "..%2Fmain.rs", "mod.rs", "", "web/app.js"] {
            assert_eq!(asset(name).status(), StatusCode::NOT_FOUND, "{name}");
        }
    }
}
