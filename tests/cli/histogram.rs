use serde_json::Value;

use crate::util::{Env, data};

/// The SGML sample: four stories on 26 February 1987, one on 3 April, one
/// on 2 June.
fn sample() -> Env {
    let env = Env::new();
    env.index(&["--no-entities", &data("reuters")]);
    env
}

#[test]
fn a_monthly_histogram_has_every_calendar_month_in_text_and_csv() {
    let env = sample();
    let text = env.ok(&["histogram", "--width", "4"]).stdout;
    assert_eq!(
        text,
        "1987-02  4  ████\n1987-03  0\n1987-04  1  █\n1987-05  0\n1987-06  1  █\n"
    );
    let csv = env.ok(&["histogram", "--format", "csv"]).stdout;
    assert_eq!(
        csv,
        "bucket,start,end,count\n\
         1987-02,1987-02-01,1987-02-28,4\n\
         1987-03,1987-03-01,1987-03-31,0\n\
         1987-04,1987-04-01,1987-04-30,1\n\
         1987-05,1987-05-01,1987-05-31,0\n\
         1987-06,1987-06-01,1987-06-30,1\n"
    );
}

#[test]
fn weeks_days_years_queries_and_date_ranges() {
    let env = sample();
    let weeks = env.ok(&["histogram", "--by", "week", "--format", "json"]).json();
    assert_eq!(
        (
            weeks["by"].as_str(),
            weeks["total"].as_u64(),
            weeks["undated"].as_u64()
        ),
        (Some("week"), Some(6), Some(0))
    );
    let buckets = weeks["buckets"].as_array().unwrap();
    // ISO weeks 9 (23 February to 1 March) to 23 (1 to 7 June).
    assert_eq!(buckets.len(), 15);
    assert_eq!(
        buckets[0],
        serde_json::json!({"label": "1987-W09", "start": "1987-02-23", "end": "1987-03-01", "count": 4})
    );
    assert_eq!(buckets[5]["label"], "1987-W14");
    assert_eq!(buckets[5]["count"], 1);
    assert_eq!(buckets[14]["label"], "1987-W23");
    let counts: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(counts, 6);

    // A query, by year; and a date range wider than the matches.
    assert_eq!(
        env.ok(&["histogram", "--by", "year", "--width", "2", "cocoa"])
            .stdout,
        "1987  1  ██\n"
    );
    let range = env
        .ok(&[
            "histogram",
            "--from",
            "1987-01",
            "--to",
            "1987-03",
            "--format",
            "csv",
        ])
        .stdout;
    assert_eq!(
        range,
        "bucket,start,end,count\n\
         1987-01,1987-01-01,1987-01-31,0\n\
         1987-02,1987-02-01,1987-02-28,4\n\
         1987-03,1987-03-01,1987-03-31,0\n"
    );
    let days = env
        .ok(&["histogram", "--by", "day", "--on", "1987-02", "--format", "jsonl"])
        .stdout;
    assert_eq!(days.lines().count(), 28);
    assert!(
        days.lines()
            .nth(25)
            .unwrap()
            .contains(r#""label":"1987-02-26","start":"1987-02-26","end":"1987-02-26","count":4"#),
        "{days}"
    );

    // Nothing matches: exit status 1 and a word to say so.
    assert_eq!(
        env.run(&["histogram", "zzzzz"]).expect(1).stdout,
        "No articles match.\n"
    );
    // Too many buckets is an error that says what to do.
    let run = env.run(&["histogram", "--by", "day", "--from", "1800"]).expect(2);
    assert!(
        run.stderr
            .contains("count by a longer period or narrow the dates"),
        "{}",
        run.stderr
    );
}

#[test]
fn since_and_until_count_back_from_today_or_the_newest_article() {
    let env = sample();
    let ids = |args: &[&str]| env.ids(args);
    // The newest article is of 2 June 1987: 3m back is 2 March.
    assert_eq!(
        ids(&["--since", "3m", "--relative-to", "newest", "--sort", "oldest"]),
        ["reuters-12793", "reuters-17980"]
    );
    assert_eq!(ids(&["--until", "3m", "--relative-to", "newest"]).len(), 4);
    assert_eq!(
        ids(&["--since", "1w", "--relative-to", "newest"]),
        ["reuters-17980"]
    );
    // Plain dates work too, and narrow --from/--to.
    assert_eq!(ids(&["--since", "1987-04", "--to", "1987-04"]), ["reuters-12793"]);
    // From today, 1987 is long ago.
    assert_eq!(env.run(&["search", "--since", "1y"]).expect(1).status, 1);
    assert_eq!(ids(&["--until", "1y"]).len(), 6);
    // Bad values name their flag.
    let run = env.run(&["search", "--since", "7x"]).expect(2);
    assert!(
        run.stderr
            .contains("--since: '7x' is neither a time ago (7d, 3w, 6m, 1y) nor a date"),
        "{}",
        run.stderr
    );
    let run = env.run(&["search", "--until", "3q"]).expect(2);
    assert!(run.stderr.contains("--until"), "{}", run.stderr);
}

#[test]
fn search_timeline_in_text_and_json() {
    let env = sample();
    let text = env
        .ok(&["search", "--timeline", "--limit", "0", "--color", "never"])
        .stdout;
    assert!(
        text.ends_with("Timeline by week, 1987-W09 to 1987-W23 (most: 4 in 1987-W09):\n█····▂········▂\n"),
        "{text}"
    );
    let v: Value = env.search(&["--timeline", "--limit", "1"]);
    assert_eq!(v["timeline"]["by"], "week");
    assert_eq!(v["timeline"]["buckets"].as_array().unwrap().len(), 15);
    // Within one month, a bar per day.
    let v: Value = env.search(&["--timeline", "--on", "1987-02"]);
    assert_eq!(v["timeline"]["by"], "day");
    assert_eq!(v["timeline"]["buckets"].as_array().unwrap().len(), 28);
    // Filters reaching centuries past the matches do not draw empty years.
    let wide: Value = env.search(&["--timeline", "--from", "0001", "--to", "9999", "--limit", "1"]);
    let all: Value = env.search(&["--timeline", "--limit", "1"]);
    assert_eq!(wide["timeline"], all["timeline"]);
    // Without --timeline, no timeline; and none where it cannot go.
    assert!(env.search(&[]).get("timeline").is_none());
    let run = env.run(&["search", "--timeline", "--format", "csv"]).expect(2);
    assert!(run.stderr.contains("use newsdex histogram"), "{}", run.stderr);
}

#[test]
fn search_and_facets_as_csv() {
    let env = sample();
    let out = env.ok(&["search", "--format", "csv", "cocoa"]).stdout;
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "rank", "id", "date", "source", "title", "score", "similar", "file", "passage"
        ]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][1], "reuters-1");
    assert_eq!(&records[0][2], "1987-02-26");
    assert_eq!(&records[0][3], "Reuters");
    assert_eq!(&records[0][4], "BAHIA COCOA REVIEW");
    assert_eq!(&records[0][6], "0");
    assert!(
        records[0][8].starts_with("There are doubts as to how much of this cocoa"),
        "{:?}",
        &records[0][8]
    );
    let facets = env.ok(&["facets", "--field", "month", "--format", "csv"]).stdout;
    assert_eq!(
        facets,
        "field,value,count\nmonth,1987-02,4\nmonth,1987-04,1\nmonth,1987-06,1\n"
    );
}
