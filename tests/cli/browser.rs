//! The web page in a real browser: headless Chromium, driven through the
//! Chrome DevTools Protocol, against `newsdex serve` on the bundled corpus.
//! Skipped (saying so) where no Chromium is installed, unless
//! NEWSDEX_REQUIRE_BROWSER is set, as `.ci/run` sets it after installing one.
//! Screenshots go to target/browser-test/ for people to look at.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::util::{Server, corpus_env, http_get, root};

const SEED: &str = "corpus/000_690a3a72e68bdb61.txt";

/// A headless Chromium with one page, and a DevTools connection to it.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    page: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

fn chromium() -> Option<PathBuf> {
    let found = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        assert!(
            std::env::var_os("NEWSDEX_REQUIRE_BROWSER").is_none(),
            "NEWSDEX_REQUIRE_BROWSER is set but no chromium is on PATH"
        );
        println!("skipped: no chromium on PATH (apt-get install chromium)");
    }
    found
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        // Chromium says where its DevTools listen on stderr, then goes on
        // talking there: read the rest in the background so it never blocks.
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let mut said = Vec::new();
        let port = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!(
                    "chromium stopped before its DevTools listened:\n{}",
                    said.join("\n")
                );
            };
            if let Some(url) = line.strip_prefix("DevTools listening on ws://") {
                break url.split(['/', ':']).nth(1).expect("a port").to_string();
            }
            said.push(line);
        };
        std::thread::spawn(move || lines.for_each(drop));
        let start = Instant::now();
        let page_url = loop {
            let (_, list) = http_get(&format!("http://127.0.0.1:{port}/json/list"));
            let targets: Value = serde_json::from_str(&list).unwrap_or(Value::Null);
            let page = targets
                .as_array()
                .and_then(|t| t.iter().find(|t| t["type"] == "page"))
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                .map(String::from);
            if let Some(url) = page {
                break url;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no page in {list}");
            std::thread::sleep(Duration::from_millis(100));
        };
        let (page, _) = tungstenite::connect(page_url.as_str()).expect("connect to the page");
        if let MaybeTlsStream::Plain(stream) = page.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .expect("timeout");
        }
        Browser {
            child,
            _profile: profile,
            page,
            next_id: 0,
        }
    }

    /// Calls a DevTools method and returns its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let request = json!({"id": id, "method": method, "params": params});
        self.page
            .send(Message::text(request.to_string()))
            .expect("send to chromium");
        loop {
            let message = self.page.read().expect("read from chromium");
            let Message::Text(text) = message else { continue };
            let reply: Value = serde_json::from_str(text.as_str()).expect("DevTools speak JSON");
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise): its value, or
    /// the exception it threw.
    fn evaluate(&mut self, script: &str) -> Result<Value, Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": script, "returnByValue": true, "awaitPromise": true}),
        );
        match result.get("exceptionDetails") {
            Some(e) => Err(e.clone()),
            None => Ok(result["result"]["value"].clone()),
        }
    }

    /// Evaluates JavaScript in the page and returns its value.
    fn eval(&mut self, script: &str) -> Value {
        self.evaluate(script).unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Waits until `script` is truthy and not an empty list (a page still loading may make it
    /// throw meanwhile), and returns its value.
    fn wait_for(&mut self, script: &str, what: &str) -> Value {
        let start = Instant::now();
        loop {
            let value = self.evaluate(script);
            // Not yet: nothing, false, empty or zero (an empty list is
            // truthy in JavaScript, but a list still loading is empty).
            if let Ok(value) = &value
                && !(value.is_null()
                    || *value == false
                    || *value == ""
                    || *value == 0
                    || value.as_array().is_some_and(Vec::is_empty))
            {
                return value.clone();
            }
            if start.elapsed() > Duration::from_secs(15) {
                let page = self.evaluate("document.body.innerText");
                panic!("waited 15 s for {what} ({script}: {value:?}); the page says:\n{page:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
    }

    /// Clicks the middle of the element `selector` names, with the mouse.
    fn click(&mut self, selector: &str) {
        let script = format!(
            "(() => {{ const e = document.querySelector({selector:?}); if (!e) return null; \
             e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); \
             return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        );
        let at = self.wait_for(&script, &format!("{selector} to click"));
        let (x, y) = (at[0].as_f64().unwrap_or(0.0), at[1].as_f64().unwrap_or(0.0));
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Types text where the focus is, then presses Enter.
    fn type_and_enter(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
        self.press("Enter", 13);
    }

    /// Presses and releases a key (`Enter`, `ArrowRight`, ...).
    fn press(&mut self, key: &str, code: u32) {
        let text = if key == "Enter" { "\r" } else { "" };
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "text": text}),
            );
        }
    }

    /// Saves a PNG of the page to target/browser-test/NAME.png.
    fn screenshot(&mut self, name: &str) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or(""))
            .expect("a base64 PNG");
        let dir = root().join("target/browser-test");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        println!("screenshot: {}", path.display());
    }

    /// The page's query string, decoded into pairs.
    fn state(&mut self) -> Vec<(String, String)> {
        let pairs = self.eval("[...new URLSearchParams(location.search)]");
        pairs
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap_or("").into(),
                            p[1].as_str().unwrap_or("").into(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn summary(&mut self) -> String {
        self.eval("document.getElementById('summary').textContent")
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn search_facets_timeline_and_article_in_a_real_browser() {
    let Some(binary) = chromium() else { return };
    let env = corpus_env();
    let server = Server::start(&env);
    let mut browser = Browser::launch(&binary);
    browser.goto(&server.url);
    // An empty query lists every article, newest first: the seed is first.
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 297 articles')",
        "the listing of the corpus",
    );

    // Type a query and see the seed article.
    browser.click("#q");
    browser.type_and_enter("drone");
    browser.wait_for(
        "location.search === '?q=drone' && document.querySelectorAll('#results .hit').length === 1",
        "the drone search",
    );
    let hit = browser.eval("[...document.querySelectorAll('#results .hit')].map(h => [h.dataset.id, h.querySelector('h3').textContent, h.querySelector('.meta').textContent, h.querySelector('mark').textContent])");
    assert_eq!(hit[0][0], SEED);
    assert_eq!(
        hit[0][1],
        "US officials have heard Ukrainian officials blame one another for a drone strike on the Kremlin…"
    );
    assert_eq!(hit[0][2], "2023-05-25 · CNN");
    assert_eq!(hit[0][3], "drone");
    assert_eq!(browser.summary(), "1–1 of 1 article for “drone”");
    browser.screenshot("1-drone");

    // A wider search, then a facet: the list changes.
    browser.eval("document.getElementById('q').select()");
    browser.click("#q");
    browser.eval("document.getElementById('q').select()");
    browser.type_and_enter("officials");
    browser.wait_for("location.search === '?q=officials'", "the officials search");
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 45 articles')",
        "45 matches",
    );
    // The next page, and back.
    let first_page = browser.eval("[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id)");
    browser.click("#pages button[rel='next']");
    browser.wait_for(
        "document.getElementById('summary').textContent.startsWith('11–20 of 45')",
        "the second page",
    );
    assert_eq!(browser.state(), pairs(&[("q", "officials"), ("offset", "10")]));
    assert_eq!(browser.eval("document.getElementById('results').start"), 11);
    let second_page = browser.eval("[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id)");
    assert_eq!(second_page.as_array().map(Vec::len), Some(10));
    assert!(
        second_page
            .as_array()
            .unwrap()
            .iter()
            .all(|id| !first_page.as_array().unwrap().contains(id))
    );
    browser.eval("history.back()");
    browser.wait_for(
        "document.getElementById('summary').textContent.startsWith('1–10 of 45')",
        "the first page again",
    );
    let before = browser.eval("[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id)");
    browser.click("#facets button[data-field='source'][data-value='Reuters']");
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 44 articles')",
        "44 Reuters matches",
    );
    assert_eq!(
        browser.state(),
        pairs(&[("q", "officials"), ("source", "Reuters")])
    );
    let after = browser.eval("[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id)");
    assert_ne!(before, after, "the facet did not change the results");
    // The keyboard focus stays on the facet just used.
    assert_eq!(browser.eval("document.activeElement.dataset.value"), "Reuters");
    let sources = browser.eval("[...document.querySelectorAll('#results .meta')].every(m => m.textContent.split(' · ')[1] === 'Reuters')");
    assert_eq!(sources, true, "a result from another source is still listed");
    assert_eq!(
        browser.eval(
            "document.querySelector(\"#facets button[data-value='Reuters']\").getAttribute('aria-pressed')"
        ),
        "true"
    );
    assert_eq!(
        browser.eval("document.getElementById('active').textContent"),
        "source: Reuters ✕"
    );
    browser.screenshot("2-facet");

    // A second facet narrows further (all of them apply); its chip removes it.
    let person =
        browser.eval("document.querySelector(\"#facets button[data-field='person']\").dataset.value");
    let person = person.as_str().expect("a person facet").to_string();
    let count = browser
        .eval("Number(document.querySelector(\"#facets button[data-field='person'] .count\").textContent)");
    browser.click("#facets button[data-field='person']");
    let noun = if count == 1 { "article" } else { "articles" };
    browser.wait_for(
        &format!("document.getElementById('summary').textContent.includes('of {count} {noun}')"),
        "the results of both facets",
    );
    assert_eq!(
        browser.state(),
        pairs(&[("q", "officials"), ("source", "Reuters"), ("person", &person)])
    );
    browser.click("#active button:nth-child(2)");
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 44 articles')",
        "the person's filter removed",
    );
    assert_eq!(
        browser.state(),
        pairs(&[("q", "officials"), ("source", "Reuters")])
    );

    // Click the timeline's tallest bar: the dates narrow to it.
    let bar = browser.wait_for(
        "(() => { const bars = [...document.querySelectorAll('#timeline .bar')]; if (bars.length < 2) return null; \
         const counts = bars.map(b => Number(b.title.split(': ')[1])); const i = counts.indexOf(Math.max(...counts)); \
         return [i + 1, bars[i].dataset.start, bars[i].dataset.end, counts[i]]; })()",
        "the timeline",
    );
    let (start, end, count) = (
        bar[1].as_str().unwrap().to_string(),
        bar[2].as_str().unwrap().to_string(),
        bar[3].as_u64().unwrap(),
    );
    // The timeline is one tab stop; the arrow keys move along its bars.
    assert_eq!(
        browser.eval("[...document.querySelectorAll('#timeline .bar')].filter(b => b.tabIndex === 0).length"),
        1
    );
    browser.eval("document.querySelector('#timeline .bar').focus()");
    browser.press("ArrowRight", 39);
    assert_eq!(
        browser.eval("document.activeElement === document.querySelectorAll('#timeline .bar')[1] && document.activeElement.tabIndex === 0"),
        true
    );
    browser.click(&format!("#timeline .bar:nth-child({})", bar[0]));
    browser.wait_for(
        &format!("new URLSearchParams(location.search).get('from') === '{start}'"),
        "the bar's dates",
    );
    assert_eq!(
        browser.state(),
        pairs(&[
            ("q", "officials"),
            ("source", "Reuters"),
            ("from", &start),
            ("to", &end)
        ])
    );
    assert_eq!(
        browser.eval("[document.getElementById('from').value, document.getElementById('to').value]"),
        json!([start, end])
    );
    let noun = if count == 1 { "article" } else { "articles" };
    browser.wait_for(
        &format!("document.getElementById('summary').textContent.includes('of {count} {noun}')"),
        "the bar's count",
    );
    let dates = browser
        .eval("[...document.querySelectorAll('#results .meta')].map(m => m.textContent.split(' · ')[0])");
    for date in dates.as_array().unwrap() {
        let date = date.as_str().unwrap();
        assert!(
            start.as_str() <= date && date <= end.as_str(),
            "{date} is outside {start}..{end}"
        );
    }
    browser.screenshot("3-timeline");

    // The state is the URL: reloading shows the same search.
    let summary = browser.summary();
    browser.call("Page.reload", json!({}));
    browser.wait_for(
        &format!("document.getElementById('summary').textContent === {summary:?}"),
        "the same search after a reload",
    );

    // Back through the history: the facets, then the search before them.
    browser.eval("history.back()");
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 44 articles')",
        "the facet's results again",
    );
    browser.eval("history.go(-3)");
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 45 articles')",
        "the search before the facets",
    );

    // A hit's folded near-duplicates, from its "+1 similar" link.
    browser.goto(&format!("{}?q=bankamerica", server.url));
    browser.click("#results .hit a.similar");
    browser.wait_for(
        "new URLSearchParams(location.search).has('similar')",
        "the near-duplicates",
    );
    // (The query's own results were two as well: wait for the copies.)
    browser.wait_for(
        "[...document.querySelectorAll('#results .hit')].map(h => h.dataset.id).join(' ') === 'reuters-4 reuters-16'",
        "the article and its copy",
    );
    assert_eq!(browser.state(), pairs(&[("similar", "reuters-4")]));
    assert_eq!(
        browser.eval("document.getElementById('active').textContent"),
        "near-duplicates of: reuters-4 ✕"
    );

    // An article in full, from its link.
    browser.goto(&format!("{}?q=drone", server.url));
    browser.click("#results .hit h3 a");
    browser.wait_for(
        "location.pathname.startsWith('/article/') && document.querySelector('#article h2')",
        "the article view",
    );
    let view = browser.eval("[document.querySelector('#article h2').textContent, document.querySelector('#article').textContent.includes('Dmitry Peskov, spokesman for the Kremlin')]");
    assert_eq!(
        view[0],
        "US officials have heard Ukrainian officials blame one another for a drone strike on the Kremlin…"
    );
    assert_eq!(view[1], true);
    assert_eq!(browser.eval("document.activeElement.tagName"), "H2");
    // More like this, under it: other articles, each a link to its view.
    let like = browser.wait_for(
        "[...document.querySelectorAll('#like .hit')].map(h => h.dataset.id)",
        "more like this",
    );
    let like = like.as_array().expect("a list");
    assert!(!like.is_empty() && like.len() <= 5, "{like:?}");
    assert!(
        like.iter().all(|id| id != SEED),
        "the article is like itself: {like:?}"
    );
    browser.screenshot("4-article");
    // Its back link returns to the search that led there.
    browser.click("#article a[href='/']");
    browser.wait_for(
        "location.search === '?q=drone' && document.querySelectorAll('#results .hit').length === 1",
        "the search again",
    );

    // A phone's width: nothing wider than the screen.
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}),
    );
    browser.goto(&format!("{}?q=officials", server.url));
    browser.wait_for(
        "document.getElementById('summary').textContent.includes('of 45 articles')",
        "the search on a phone",
    );
    browser.eval("document.querySelector('details.help').open = true");
    assert_eq!(browser.eval("document.documentElement.scrollWidth"), 390);
    browser.screenshot("5-phone");
    // (A tap is a touch event, not the mouse: follow the link from script.)
    browser.eval("document.querySelector('#results .hit h3 a').click()");
    browser.wait_for("document.querySelector('#article h2')", "the article on a phone");
    assert_eq!(browser.eval("document.documentElement.scrollWidth"), 390);
}

#[test]
fn text_from_the_index_is_never_markup() {
    let Some(binary) = chromium() else { return };
    let env = crate::util::Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("evil.json"),
        r#"{"id": "x<img src=x onerror=window.pwned=1>", "title": "<script>window.pwned=2</script><b>bold</b>", "date": "2024-01-02", "source": "<i>Src</i>", "body": "Before <img src=x onerror=window.pwned=3> after, with the word zebracorn <b>twice</b> zebracorn.", "people": ["<svg onload=window.pwned=4>"], "url": "javascript:window.pwned=5"}"#,
    )
    .expect("write");
    env.index(&[dir.path().to_str().expect("utf-8 path")]);
    let server = Server::start(&env);
    let mut browser = Browser::launch(&binary);
    browser.goto(&format!("{}?q=zebracorn", server.url));
    browser.wait_for(
        "document.querySelectorAll('#results .hit').length === 1",
        "the result",
    );
    let shown = browser.eval("[document.querySelector('#results h3').textContent, document.querySelector('#results .passage').textContent, document.querySelectorAll('#results img, #results script, #results b, #facets svg, #facets i').length, window.pwned === undefined]");
    assert_eq!(shown[0], "<script>window.pwned=2</script><b>bold</b>");
    assert!(
        shown[1]
            .as_str()
            .unwrap()
            .contains("Before <img src=x onerror=window.pwned=3> after"),
        "{}",
        shown[1]
    );
    assert_eq!(shown[2], 0, "markup from the index became elements");
    browser.click("#results h3 a");
    browser.wait_for("document.querySelector('#article h2')", "the article view");
    assert_eq!(
        browser.eval("document.querySelectorAll('#article img, #article script, #article svg, #article b, #article i, #article a[href^=javascript]').length"),
        0
    );
    assert_eq!(
        browser.eval("document.querySelector('#article h2').textContent"),
        "<script>window.pwned=2</script><b>bold</b>"
    );
    assert_eq!(browser.eval("document.querySelectorAll('#article img, #article script, #article svg').length === 0 && window.pwned === undefined"), true);
}
