//! Helpers shared by the library-level tests.

use std::path::PathBuf;

/// A path under `../shared/corpora`, or `None` (saying so) when that data
/// is not beside the repository.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        println!("skipped: {} is absent", p.display());
        None
    }
}
