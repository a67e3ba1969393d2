use crate::util::{Env, data};

fn dates_env() -> Env {
    let env = Env::new();
    env.index(&[&data("dates")]);
    env
}

fn ids_for(env: &Env, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["harbour", "--sort", "oldest"];
    args.extend_from_slice(filters);
    env.ids(&args)
}

#[test]
fn the_publishers_day_decides_not_utc() {
    let env = dates_env();
    // 23:59:59 at UTC-7 is June 1 in UTC, but was published on May 31.
    assert_eq!(ids_for(&env, &["--on", "2023-05-31"]), vec!["late-may-local"]);
    // 00:30 at UTC+2 is May 31 in UTC, but was published on June 1.
    assert_eq!(ids_for(&env, &["--on", "2023-06-01"]), vec!["early-june-local"]);
}

#[test]
fn inclusive_ends_of_days_months_and_years() {
    let env = dates_env();
    assert_eq!(ids_for(&env, &["--to", "2023-05"]), vec!["late-may-local"]);
    assert_eq!(ids_for(&env, &["--from", "2023-06"]).len(), 4);
    assert_eq!(
        ids_for(&env, &["--to", "2023"]),
        vec!["late-may-local", "early-june-local", "new-year-eve"]
    );
    assert_eq!(
        ids_for(&env, &["--from", "2023-12-31", "--to", "2024-01-01"]),
        vec!["new-year-eve", "new-year"]
    );
    assert_eq!(ids_for(&env, &["--on", "2024-02"]), vec!["leap-day"]);
    assert_eq!(
        ids_for(&env, &["--to", "2024-02-28", "--from", "2024"]),
        vec!["new-year"]
    );
}

#[test]
fn undated_articles_only_without_date_filters_and_last() {
    let env = dates_env();
    let all = ids_for(&env, &[]);
    assert_eq!(all.len(), 6);
    assert_eq!(all.last().map(String::as_str), Some("undated"));
    let newest = env.ids(&["harbour", "--sort", "newest"]);
    assert_eq!(newest.first().map(String::as_str), Some("leap-day"));
    assert_eq!(newest.last().map(String::as_str), Some("undated"));
    assert!(!ids_for(&env, &["--from", "1900"]).contains(&"undated".to_string()));
}

#[test]
fn bad_dates_in_filters_are_errors() {
    let env = dates_env();
    let run = env.run(&["search", "--to", "2023-13", "harbour"]).expect(2);
    assert!(
        run.stderr.contains("--to: '2023-13' has no month 13"),
        "{}",
        run.stderr
    );
    let run = env
        .run(&["search", "--from", "2024", "--to", "2023", "x"])
        .expect(2);
    assert!(run.stderr.contains("the date range is empty"), "{}", run.stderr);
}
