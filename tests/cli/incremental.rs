use crate::util::Env;

#[test]
fn new_changed_unchanged_and_removed_files() {
    let env = Env::new();
    let dir = env.index_dir().with_file_name("news");
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.to_str().unwrap();
    let wire = dir.join("wire.jsonl");
    std::fs::write(&wire, "{\"id\": \"w1\", \"text\": \"Harbour cranes one.\"}\n{\"id\": \"w2\", \"text\": \"Harbour cranes two.\"}\n").unwrap();
    std::fs::write(dir.join("note.txt"), "date 2023-05-25 Harbour note.").unwrap();

    let first = env.index(&["--no-entities", d]);
    assert!(first.stdout.starts_with("Indexed 3 articles"), "{}", first.stdout);

    // Nothing changed: nothing is read, and it says so.
    let again = env.index(&["--no-entities", d]);
    assert!(
        again
            .stdout
            .starts_with("Nothing to do: all 2 files are indexed as they are"),
        "{}",
        again.stdout
    );

    // A changed file: its old articles go (w2), its new ones come.
    std::fs::write(
        &wire,
        "{\"id\": \"w1\", \"text\": \"Harbour cranes one, edited.\"}\n",
    )
    .unwrap();
    let changed = env.index(&["--no-entities", d]);
    assert!(
        changed
            .stdout
            .starts_with("Files: 0 new, 1 changed, 0 removed, 1 unchanged."),
        "{}",
        changed.stdout
    );
    let mut ids = env.ids(&["harbour"]);
    ids.sort();
    let note = format!("{}/note.txt", crate::util::key(&dir));
    assert_eq!(ids, vec![note.clone(), "w1".to_string()]);
    let w1 = env.ok(&["show", "w1", "--format", "json"]).json();
    assert_eq!(w1["body"], "Harbour cranes one, edited.");

    // A removed file: its articles go.
    std::fs::remove_file(&wire).unwrap();
    let removed = env.index(&["--no-entities", d]);
    assert!(
        removed
            .stdout
            .starts_with("Files: 0 new, 0 changed, 1 removed, 1 unchanged."),
        "{}",
        removed.stdout
    );
    assert_eq!(env.ids(&["harbour"]), vec![note]);

    // Indexing another folder leaves this one's articles alone.
    let other = env.index_dir().with_file_name("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("x.txt"), "Harbour elsewhere.").unwrap();
    env.index(&["--no-entities", other.to_str().unwrap()]);
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 2);

    // --rebuild reads everything again, and only what it is given.
    let rebuilt = env.index(&["--no-entities", "--rebuild", d]);
    assert!(rebuilt.stdout.contains("Indexed 1 article"), "{}", rebuilt.stdout);
    assert_eq!(env.ok(&["stats", "--format", "json"]).json()["articles"], 1);
}
