//! Replays inputs kept from fuzzing (`tests/data/fuzz/TARGET/*`: each
//! crash the fuzzers found, once fixed, and inputs worth keeping) and the
//! bad-input corpus through every fuzz target. Any panic fails the test.
//! The fuzzers themselves run with `scripts/fuzz.sh` (see README).

use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

#[test]
fn kept_fuzz_inputs_run_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut replayed = 0;
    for (target, _) in newsdex::fuzz::TARGETS {
        for file in files_under(&root.join(target)) {
            let bytes = std::fs::read(&file).unwrap();
            eprintln!("{target} {}", file.display());
            newsdex::fuzz::run(target, &bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept inputs under {}", root.display());
}

#[test]
fn every_target_survives_the_bad_input_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad");
    let files = files_under(&root);
    assert!(files.len() >= 10);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for (target, _) in newsdex::fuzz::TARGETS {
            newsdex::fuzz::run(target, &bytes);
        }
    }
}
