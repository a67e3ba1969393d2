use serde_json::{Value, json};

use crate::util::{Env, data};

fn formats_env() -> (Env, Vec<String>) {
    let env = Env::new();
    // Readers are tested on their own: no entities from the text.
    let run = env.index(&["--no-entities", &data("formats")]);
    (env, vec![run.stdout, run.stderr])
}

fn show(env: &Env, id: &str) -> Value {
    env.ok(&["show", id, "--format", "json"]).json()
}

#[test]
fn every_fixture_is_read_without_problems() {
    let (env, out) = formats_env();
    assert!(out[0].starts_with("Indexed 18 articles"), "{out:?}");
    assert_eq!(out[1], "", "no problems expected");
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 18);
}

#[test]
fn csv_tsv_and_warc_records() {
    let (env, _) = formats_env();
    let csv = show(&env, "tests/data/formats/wire.csv#1");
    assert_eq!(csv["title"], "Drone, strike");
    assert_eq!(csv["date"], "2023-05-25");
    assert_eq!(csv["source"], "CNN");
    assert_eq!(csv["line"], 2);
    assert_eq!(
        csv["body"],
        "A drone hit the Kremlin, officials in Moscow said.\nSecond line."
    );
    assert_eq!(
        csv["entities"]["person"],
        json!(["Dmitry Peskov", "Volodymyr Zelenskyy"])
    );
    let tsv = show(&env, "tests/data/formats/wire.tsv#2");
    assert_eq!(
        (
            tsv["title"].as_str(),
            tsv["date"].as_str(),
            tsv["source"].as_str()
        ),
        (Some("Grain deal"), Some("2023-05-28"), Some("Guardian"))
    );
    // Two pages from the crawl; the warcinfo record and the image are not articles.
    let mut pages = env.ids(&["harbour OR port", "--source", "example.com"]);
    pages.sort();
    assert_eq!(pages.len(), 2, "{pages:?}");
    let page = show(&env, &pages[0]);
    assert_eq!(page["url"], "https://example.com/news/cranes");
    assert_eq!(page["title"], "Cranes repaired");
    assert_eq!(page["date"], "2023-05-26");
}

#[test]
fn json_single_object_with_aliases() {
    let (env, _) = formats_env();
    let a = show(&env, "json-single");
    assert_eq!(a["title"], "Kremlin drone inquiry widens");
    assert_eq!(a["date"], "2023-05-26");
    assert_eq!(a["timestamp"], "2023-05-26T05:15:00+00:00");
    assert_eq!(a["source"], "Moscow Times");
    assert_eq!(a["source_origin"], "given");
    assert_eq!(a["url"], "https://example.org/kremlin-drone");
    assert_eq!(a["authors"], json!(["Anna Ivanova", "Petr Sokolov"]));
    assert_eq!(
        a["entities"],
        json!({"person": ["Dmitry Peskov"], "org": ["Kremlin", "FSB"], "place": ["Moscow"]})
    );
    assert_eq!(a["tags"], json!(["drones", "security"]));
    assert!(
        a["path"]
            .as_str()
            .unwrap()
            .ends_with("tests/data/formats/single.json")
    );
    assert_eq!(
        a["body"],
        "Investigators widened the inquiry into the drone strike.\n\nOfficials in Moscow declined to comment."
    );
}

#[test]
fn json_lists_and_wrappers() {
    let (env, _) = formats_env();
    let a = show(&env, "json-list-1");
    assert_eq!(
        (a["source"].as_str(), a["date"].as_str()),
        (Some("Reuters"), Some("2023-05-20"))
    );
    // No id of its own: derived from the path and record number.
    let b = show(&env, "tests/data/formats/list.json#2");
    assert_eq!(b["title"], "Untitled wire item");
    assert_eq!(b["date"], "2023-05-20");
    assert_eq!(b["source"], "Bloomberg");
    let c = show(&env, "tests/data/formats/wrapped.json#1");
    assert_eq!(c["source"], "BBC");
    assert_eq!(c["authors"], json!(["Jane Doe"]));
    assert_eq!(c["date"], "2023-05-21");
    assert!(
        c["body"]
            .as_str()
            .unwrap()
            .starts_with("Rivers burst their banks across Yorkshire after")
    );
}

#[test]
fn json_lines_with_unix_times_and_line_numbers() {
    let (env, _) = formats_env();
    let a = show(&env, "jsonl-1");
    assert_eq!(a["date"], "2023-05-20");
    assert_eq!(a["line"], 1);
    assert_eq!(a["source"], "Reuters");
    assert_eq!(
        a["entities"],
        json!({"person": ["Amin Nasser"], "org": ["Saudi Aramco"], "place": ["Riyadh"]})
    );
    let b = show(&env, "jsonl-2");
    assert_eq!(b["date"], "2023-05-21");
    assert_eq!(b["url"], "https://example.org/gold");
    assert_eq!(b["source"], "Financial Times");
    // The blank line 3 is not a record; line 4 is the third record.
    let c = show(&env, "tests/data/formats/wire.jsonl#3");
    assert_eq!(c["line"], 4);
    assert_eq!(c["date"], "2023-05-22");
    assert_eq!(c["timestamp"], Value::Null);
    assert_eq!(c["source"], "nikkei");
}

#[test]
fn markdown_front_matter_yaml_toml_and_heading() {
    let (env, _) = formats_env();
    let y = show(&env, "tests/data/formats/yaml-post.md");
    assert_eq!(y["title"], "Drone debris found near Moscow");
    assert_eq!(y["date"], "2023-05-27");
    assert_eq!(y["source"], "Meduza");
    assert_eq!(y["authors"], json!(["Ivan Petrov"]));
    assert_eq!(
        y["entities"],
        json!({"person": ["Sergei Sobyanin"], "org": ["Moscow City Hall"], "place": ["Moscow", "Russia"]})
    );
    let t = show(&env, "tests/data/formats/toml-post.md");
    assert_eq!(
        (t["title"].as_str(), t["date"].as_str()),
        (Some("Ceasefire talks stall"), Some("2023-05-28"))
    );
    assert_eq!(t["source"], "Al Jazeera");
    let h = show(&env, "tests/data/formats/heading-post.md");
    assert_eq!(h["title"], "Markets close higher");
    assert_eq!(
        h["body"],
        "Stocks closed higher on Monday, led by technology shares.\n"
    );
}

#[test]
fn text_title_lines_and_key_headers() {
    let (env, _) = formats_env();
    let b = show(&env, "tests/data/formats/bbc-style.txt");
    assert_eq!(b["title"], "Ad sales boost Time Warner profit");
    assert_eq!(b["date"], Value::Null);
    assert!(b["body"].as_str().unwrap().starts_with("Quarterly profits"));
    let k = show(&env, "tests/data/formats/keyed-header.txt");
    assert_eq!(k["title"], "Heatwave grips Spain");
    // 23:30 at UTC-2 is still the 29th where it was published.
    assert_eq!(k["date"], "2023-05-29");
    assert_eq!(k["timestamp"], "2023-05-30T01:30:00+00:00");
    assert_eq!(k["source"], "El País");
    assert_eq!(k["authors"], json!(["Marta López"]));
}

#[test]
fn fields_are_searchable_by_scope() {
    let (env, _) = formats_env();
    assert_eq!(
        env.ids(&["title:debris"]),
        vec!["tests/data/formats/yaml-post.md"]
    );
    assert_eq!(
        env.ids(&["person:peskov"]),
        vec!["json-single", "tests/data/formats/wire.csv#1"]
    );
    assert_eq!(env.ids(&["org:\"saudi aramco\""]), vec!["jsonl-1"]);
    assert_eq!(
        env.ids(&["--person", "sobyanin"]),
        vec!["tests/data/formats/yaml-post.md"]
    );
    assert_eq!(env.ids(&["--entity", "riyadh"]), vec!["jsonl-1"]);
    assert_eq!(
        env.ids(&["--place", "MOSCOW", "--sort", "oldest"]),
        vec!["json-single", "tests/data/formats/yaml-post.md"]
    );
    assert_eq!(
        env.ids(&["--source", "bbc news"]),
        vec!["tests/data/formats/wrapped.json#1"]
    );
    // "BBC News" is normalised to "BBC"; either name finds it, a part does not.
    assert_eq!(
        env.ids(&["--source", "BBC"]),
        vec!["tests/data/formats/wrapped.json#1"]
    );
    assert_eq!(env.ids(&["--source", "News"]), Vec::<String>::new());
    assert_eq!(env.ids(&["--source", "the moscow times"]), vec!["json-single"]);
}

#[test]
fn real_pages_and_feeds_from_their_own_formats() {
    let env = Env::new();
    let run = env.index(&["--no-entities", &data("html"), &data("feeds")]);
    assert!(run.stdout.starts_with("Indexed 31 articles"), "{}", run.stdout);
    let guardian = "https://www.theguardian.com/film/2011/nov/18/kristen-wiig-bridesmaids";
    let g = show(&env, guardian);
    assert_eq!(
        g["title"],
        "Kristen Wiig: 'My next movie – it's going to be a Porky's prequel'"
    );
    assert_eq!(g["date"], "2011-11-18");
    assert_eq!(g["source"], "Guardian");
    assert_eq!(g["authors"], json!(["Emma Brockes"]));
    assert_eq!(g["language"], "en");
    assert!(
        g["body"]
            .as_str()
            .unwrap()
            .starts_with("Kristen Wiig has had the kind of summer")
    );
    // Microdata bylines.
    let nyt = show(&env, "tests/data/html/test_author_schema.html");
    assert_eq!(
        nyt["authors"],
        json!(["KEVIN SACK", "SHERI FINK", "PAM BELLUCK", "ADAM NOSSITER"])
    );
    // Feeds: the channel is the source, HTML entities decoded, items dated.
    let bbc = show(&env, "urn:bbc:podcast:m000sjxt");
    assert_eq!(
        (bbc["title"].as_str(), bbc["date"].as_str()),
        (Some("Marcus Aurelius"), Some("2021-02-25"))
    );
    assert_eq!(bbc["source"], "In Our Time");
    assert_eq!(env.ids(&["--source", "Blog – InfluxData"]).len(), 3);
    assert_eq!(
        env.ids(&["--source", "newest submissions : homelab", "--limit", "100"])
            .len(),
        25
    );
}

#[test]
fn csv_gzip_and_warc() {
    use std::io::Write;
    let env = Env::new();
    let dir = env.index_dir().with_file_name("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("wire.csv"),
        "headline,text,published,publisher\n\"Cranes, repaired\",The harbour cranes were repaired.,2023-05-25,Port News\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("wire.tsv"),
        "title\tbody\tdate\nTabbed\tThe harbour reopened.\t2023-05-26\n",
    )
    .unwrap();
    let gz = |name: &str, bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        std::fs::write(dir.join(name), e.finish().unwrap()).unwrap();
    };
    gz(
        "feed.jsonl.gz",
        b"{\"id\": \"gz-1\", \"text\": \"The harbour was dredged.\", \"date\": \"2023-05-27\"}\n",
    );
    let page = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><head><title>Harbour dredged</title>\
                <meta property=\"og:site_name\" content=\"Port Daily\"></head><body><article>\
                <p>The harbour was dredged this week so that larger ships can dock, the port authority said on Monday.</p>\
                <p>Work will continue through the summer, with a second phase planned for the autumn.</p></article></body></html>";
    let record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://portdaily.example/news/dredged\r\n\
         WARC-Date: 2023-05-28T09:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n{page}\r\n\r\n",
        page.len()
    );
    gz("crawl.warc.gz", record.as_bytes());
    std::fs::write(
        dir.join("truncated.jsonl.gz"),
        &[0x1f, 0x8b, 0x08, 0x00, 0x00][..],
    )
    .unwrap();

    let run = env
        .run(&["index", "--no-progress", "--no-entities", dir.to_str().unwrap()])
        .expect(0);
    assert!(
        run.stdout.starts_with("Indexed 4 articles"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("truncated.jsonl.gz: unexpected end of data (a truncated gzip file?)"),
        "{}",
        run.stderr
    );
    let mut ids = env.ids(&["harbour", "--sort", "oldest"]);
    ids.retain(|i| !i.is_empty());
    assert_eq!(ids.len(), 4, "{ids:?}");
    let warc = show(&env, "https://portdaily.example/news/dredged");
    assert_eq!(warc["title"], "Harbour dredged");
    assert_eq!(warc["source"], "Port Daily");
    assert_eq!(warc["date"], "2023-05-28");
    let csv = env.search(&["cranes"]);
    assert_eq!(csv["hits"][0]["source"], "Port News");
    assert_eq!(csv["hits"][0]["line"], 2);
}

#[test]
fn field_maps_from_the_command_line_and_newsdex_toml() {
    let env = Env::new();
    let dir = env.index_dir().with_file_name("mapped");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("odd.jsonl");
    std::fs::write(
        &file,
        "{\"hed\": \"Mapped title\", \"copy\": \"The harbour story.\", \"pubtime\": \"2023-05-25\"}\n",
    )
    .unwrap();
    env.index(&[
        "--no-entities",
        "--map",
        "title=hed,body=copy,date=pubtime",
        file.to_str().unwrap(),
    ]);
    let v = env.search(&["harbour"]);
    assert_eq!(v["hits"][0]["title"], "Mapped title");
    assert_eq!(v["hits"][0]["date"], "2023-05-25");
    let config = dir.join("newsdex.toml");
    std::fs::write(
        &config,
        "[map]\ntitle = \"hed\"\nbody = [\"copy\"]\n\n[aliases]\n\"Harbour Board\" = [\"HB\"]\n",
    )
    .unwrap();
    let env2 = Env::new();
    env2.index(&[
        "--no-entities",
        "--config",
        config.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(env2.search(&["harbour"])["hits"][0]["title"], "Mapped title");
    let run = env2
        .run(&["index", "--map", "titel=hed", file.to_str().unwrap()])
        .expect(2);
    assert!(
        run.stderr.contains("--map: unknown field \"titel\""),
        "{}",
        run.stderr
    );
}
