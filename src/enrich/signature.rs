//! Near-duplicates: shingles, their resemblance, and MinHash bands to find
//! candidates without comparing every pair.
//!
//! Syndicated copies and lightly edited rewrites of one story share most of
//! their three-word runs (shingles); different stories, even on one subject
//! or under one recurring headline, share few. Two texts are
//! near-duplicates when the Jaccard resemblance of their shingle sets is at
//! least [`NEAR`]. To find such pairs in an archive, each text gets
//! [`BANDS`] band keys from a MinHash of its shingles (Broder): texts whose
//! resemblance is `j` share at least one band with probability about
//! `1 - (1 - j^ROWS)^BANDS` (0.997 at 0.63, 0.42 at 0.3), and candidates
//! are then checked exactly. Shingling and the bands take one pass over the
//! words and one over the shingles.
//!
//! The threshold was chosen on `tests/data/duplicates` (Reuters resends and
//! rewrites against different stories under one headline, or on one topic
//! and day); `tests/duplicates.rs` measures precision and recall there.
//! [`super::duplicates`] uses signatures to place articles in clusters as
//! they are indexed.

use xxhash_rust::xxh3::xxh3_64;

/// The least resemblance of near-duplicates.
pub const NEAR: f64 = 0.5;
/// Words per shingle.
const SHINGLE: usize = 3;
/// MinHash values per band.
pub const ROWS: usize = 3;
/// Bands, each a key that near-duplicates likely share.
pub const BANDS: usize = 20;

/// The distinct shingles of a text, hashed to 32 bits, sorted: enough to
/// compute resemblance exactly (a false match between two articles' ~100
/// shingles has odds of about one in a million), at 4 bytes a shingle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shingles(Box<[u32]>);

impl Shingles {
    /// The shingles of a text (title and body, say): runs of three words,
    /// lowercased, punctuation ignored. `None` when the text has too few
    /// words to tell one story from another.
    pub fn of(text: &str) -> Option<Shingles> {
        Some(Signature::of(&[text])?.shingles)
    }

    /// The Jaccard resemblance of two shingle sets: shared over all.
    pub fn resemblance(&self, other: &Shingles) -> f64 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let all = a.len() + b.len() - shared;
        if all == 0 { 0.0 } else { shared as f64 / all as f64 }
    }

    /// Whether two texts are near-duplicates.
    pub fn near(&self, other: &Shingles) -> bool {
        self.resemblance(other) >= NEAR
    }

    /// How many distinct shingles there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never, for shingles of a text).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What near-duplicate detection keeps of a text: its shingles, to compare
/// it exactly, and its band keys, to find what to compare it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The distinct shingles.
    pub shingles: Shingles,
    /// The band keys: near-duplicates likely share one.
    pub bands: [u64; BANDS],
}

impl Signature {
    /// The signature of a text given in parts (a title, then a body), read
    /// as one run of words. `None` when it has too few words.
    pub fn of(parts: &[&str]) -> Option<Signature> {
        let hashes = shingle_hashes(parts)?;
        let bands = band_keys(&hashes);
        // Truncating after the bands are cut keeps the bands' full hashes.
        let mut set: Vec<u32> = hashes.iter().map(|&h| h as u32).collect();
        set.sort_unstable();
        set.dedup();
        Some(Signature {
            shingles: Shingles(set.into_boxed_slice()),
            bands,
        })
    }
}

/// The hash of every shingle of a text, in order, repeats included.
fn shingle_hashes(parts: &[&str]) -> Option<Vec<u64>> {
    let mut shingles: Vec<u64> = Vec::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() / 6);
    let mut lower = String::new();
    // The hashes of the last three words, the latest last.
    let mut last = [0u64; SHINGLE];
    let mut words = 0;
    for w in parts.iter().flat_map(|p| crate::words::words(p)) {
        let h = match crate::words::packed_lowercase(w) {
            Some(packed) => mix(mix(packed as u64) ^ (packed >> 64) as u64),
            None => {
                lower.clear();
                lower.extend(w.chars().flat_map(char::to_lowercase));
                xxh3_64(lower.as_bytes())
            }
        };
        last.rotate_left(1);
        last[SHINGLE - 1] = h;
        words += 1;
        if words >= SHINGLE {
            shingles.push(mix(last.iter().fold(0, |s, &h| s.rotate_left(23) ^ h)));
        }
    }
    (words >= 2 * SHINGLE).then_some(shingles)
}

/// One-permutation MinHash (Li, Owen and Zhang) of shingle hashes, in
/// bands: each hash picks one of `ROWS * BANDS` bins by its high bits and
/// competes for the least value there, so one pass gives every MinHash
/// value. An empty bin takes the value of the next full one to its right,
/// marked with the distance (rotation, Shrivastava and Li).
fn band_keys(shingles: &[u64]) -> [u64; BANDS] {
    const BINS: usize = ROWS * BANDS;
    let mut mins = [u64::MAX; BINS];
    for &h in shingles {
        let bin = (((h >> 32) * BINS as u64) >> 32) as usize;
        let value = h & 0xffff_ffff;
        if value < mins[bin] {
            mins[bin] = value;
        }
    }
    if mins.iter().any(|&m| m != u64::MAX) {
        let full = mins;
        for (i, min) in mins.iter_mut().enumerate() {
            let mut step = 0;
            while full[(i + step) % BINS] == u64::MAX {
                step += 1;
            }
            if step > 0 {
                *min = full[(i + step) % BINS] | (step as u64) << 32;
            }
        }
    }
    std::array::from_fn(|band| {
        let rows = &mins[band * ROWS..(band + 1) * ROWS];
        rows.iter()
            .fold(band as u64, |key, &m| mix(key.rotate_left(17) ^ m))
    })
}

/// A bijective mixer of 64 bits (murmur3's finaliser).
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia \
        cocoa zone, alleviating the drought since early January and improving prospects for the \
        coming temporao, although normal humidity levels have not been restored, Comissaria Smith \
        said in its weekly review. The dry period means the temporao will be late this year.";

    #[test]
    fn copies_and_light_edits_are_near_and_other_stories_far() {
        let a = Shingles::of(STORY).unwrap();
        assert_eq!(
            Shingles::of(&STORY.to_uppercase()).as_ref(),
            Some(&a),
            "case does not count"
        );
        assert_eq!(a.resemblance(&a), 1.0);
        let edited = Shingles::of(&STORY.replace("weekly review", "weekly crop review")).unwrap();
        assert!(a.near(&edited), "{}", a.resemblance(&edited));
        let other = Shingles::of(
            "TOKYO, March 2 - Japan's February interim trade surplus jumped to 3.74 billion dlrs \
             from 2.67 billion a year earlier, the Finance Ministry said.",
        )
        .unwrap();
        assert!(!a.near(&other));
        assert_eq!(Shingles::of("Too short to say"), None);
    }

    #[test]
    fn copies_share_every_band_and_unrelated_texts_none() {
        let a = Signature::of(&[STORY]).unwrap();
        assert_eq!(Signature::of(&[&STORY.to_lowercase()]).unwrap().bands, a.bands);
        let (title, body) = STORY.split_at(STORY.find(" Showers").unwrap());
        assert_eq!(
            Signature::of(&[title, body]),
            Some(a.clone()),
            "parts are read as one text"
        );
        let other = Signature::of(&[
            "TOKYO, March 2 - Japan's February interim trade surplus jumped to 3.74 billion dlrs \
             from 2.67 billion a year earlier, the Finance Ministry said.",
        ])
        .unwrap();
        let (x, y) = (a.bands, other.bands);
        assert!(x.iter().all(|b| !y.contains(b)));
    }
}
