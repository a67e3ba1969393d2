//! Near-duplicates: shingles, their resemblance, and MinHash bands to find
//! candidates without comparing every pair.
//!
//! Syndicated copies and lightly edited rewrites of one story share most of
//! their three-word runs (shingles); different stories, even on one subject
//! or under one recurring headline, share few. Two texts are
//! near-duplicates when the Jaccard resemblance of their shingle sets is at
//! least [`NEAR`]. To find such pairs in an archive, each text gets
//! [`BANDS`] band keys from a MinHash of its shingles (Broder): texts whose
//! resemblance is `j` share at least one band with probability
//! `1 - (1 - j^ROWS)^BANDS` (0.997 at 0.63, 0.42 at 0.3), and candidates
//! are then checked exactly.
//!
//! The threshold was chosen on `tests/data/duplicates` (Reuters resends and
//! rewrites against different stories under one headline, or on one topic
//! and day); `tests/duplicates.rs` measures precision and recall there.

use xxhash_rust::xxh3::xxh3_64;

/// The least resemblance of near-duplicates.
pub const NEAR: f64 = 0.5;
/// Words per shingle.
const SHINGLE: usize = 3;
/// MinHash values per band.
pub const ROWS: usize = 3;
/// Bands, each a key that near-duplicates likely share.
pub const BANDS: usize = 20;

/// The distinct shingles of a text, hashed, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shingles(Vec<u64>);

impl Shingles {
    /// The shingles of a text (title and body, say): runs of three words,
    /// lowercased, punctuation ignored. `None` when the text has too few
    /// words to tell one story from another.
    pub fn of(text: &str) -> Option<Shingles> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.len() < 2 * SHINGLE {
            return None;
        }
        let mut joined = String::new();
        let mut hashes: Vec<u64> = words
            .windows(SHINGLE)
            .map(|shingle| {
                joined.clear();
                for w in shingle {
                    joined.push_str(w);
                    joined.push(' ');
                }
                xxh3_64(joined.as_bytes())
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        Some(Shingles(hashes))
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

    /// The band keys: near-duplicates likely share one.
    pub fn bands(&self) -> [u64; BANDS] {
        // MinHash: the least value of each of ROWS * BANDS hash functions
        // over the shingles, the functions derived from one hash by
        // multiplying with odd constants and mixing.
        let mut mins = [u64::MAX; ROWS * BANDS];
        for &h in &self.0 {
            for (i, min) in mins.iter_mut().enumerate() {
                let v = mix(h ^ SEEDS[i]);
                if v < *min {
                    *min = v;
                }
            }
        }
        std::array::from_fn(|band| {
            let rows = &mins[band * ROWS..(band + 1) * ROWS];
            rows.iter()
                .fold(band as u64, |key, &m| mix(key.rotate_left(17) ^ m))
        })
    }
}

/// A bijective mixer of 64 bits (murmur3's finaliser).
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// One seed per MinHash function.
const SEEDS: [u64; ROWS * BANDS] = {
    let mut seeds = [0u64; ROWS * BANDS];
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut i = 0;
    while i < seeds.len() {
        // splitmix64
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

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
        let a = Shingles::of(STORY).unwrap();
        assert_eq!(a.bands(), Shingles::of(STORY).unwrap().bands());
        let other = Shingles::of(
            "TOKYO, March 2 - Japan's February interim trade surplus jumped to 3.74 billion dlrs \
             from 2.67 billion a year earlier, the Finance Ministry said.",
        )
        .unwrap();
        let (x, y) = (a.bands(), other.bands());
        assert!(x.iter().all(|b| !y.contains(b)));
    }
}
