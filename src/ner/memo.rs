//! The weights of a word's local features, summed once and remembered.
//!
//! More than half of a token's features ([`Parts::Local`]: the word, its
//! shape, prefixes and suffixes, its flags) depend only on the word as
//! written and on two facts about its place ([`Sentence::local_key`]).
//! News repeats its names and the words around them, so the tagger sums
//! those features' weights once per key and remembers the sum here, in a
//! small direct-mapped table per thread: a hit costs one lookup instead of
//! computing and looking up a dozen features. Sums are integers, so a
//! remembered sum is exactly the one it stands for.
//!
//! [`Parts::Local`]: super::features::Parts::Local
//! [`Sentence::local_key`]: super::features::Sentence::local_key

use super::model::Sums;

/// Slots in the table: a power of two. 8,192 slots of 48 bytes (384 KB)
/// stay in a core's 1 MB L2 cache beside the model's hot weights.
const SLOTS: usize = 8192;

/// Remembered sums by local key, for one model.
pub struct LocalSums {
    /// The [`super::model::Model::id`] the sums belong to.
    model: u64,
    slots: Box<[Slot]>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The local key; 0 in an empty slot (a key of 0 is never remembered).
    key: u64,
    sums: Sums,
}

impl Default for LocalSums {
    fn default() -> LocalSums {
        LocalSums {
            model: 0,
            slots: vec![Slot::default(); SLOTS].into_boxed_slice(),
        }
    }
}

impl LocalSums {
    /// The sums remembered for `key` under model `model`.
    #[inline]
    pub fn get(&mut self, model: u64, key: u64) -> Option<Sums> {
        if model != self.model {
            self.slots.fill(Slot::default());
            self.model = model;
        }
        let slot = &self.slots[key as usize & (SLOTS - 1)];
        (slot.key == key && key != 0).then_some(slot.sums)
    }

    /// Starts bringing `key`'s slot into the cache (see [`crate::prefetch`]).
    #[inline]
    pub fn prefetch(&self, key: u64) {
        crate::prefetch::prefetch(&self.slots[key as usize & (SLOTS - 1)]);
    }

    /// Remembers `sums` for `key` under the model of the last
    /// [`LocalSums::get`], in place of whatever shared its slot.
    #[inline]
    pub fn insert(&mut self, key: u64, sums: Sums) {
        self.slots[key as usize & (SLOTS - 1)] = Slot { key, sums };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_key_and_forgets_on_another_model() {
        let mut memo = LocalSums::default();
        let mut computed = 0;
        // As the tagger uses it: look up, and on a miss compute and insert.
        let mut get = |memo: &mut LocalSums, model: u64, key: u64, value: i32| {
            memo.get(model, key).unwrap_or_else(|| {
                computed += 1;
                let sums = Sums([value; super::super::model::NT]);
                memo.insert(key, sums);
                sums
            })
        };
        assert_eq!(get(&mut memo, 1, 42, 7).0[0], 7);
        assert_eq!(get(&mut memo, 1, 42, 9).0[0], 7, "remembered");
        // A key sharing the slot replaces it; the first is computed again.
        assert_eq!(get(&mut memo, 1, 42 + SLOTS as u64, 3).0[0], 3);
        assert_eq!(get(&mut memo, 1, 42, 8).0[0], 8);
        // Another model's sums are not this one's.
        assert_eq!(get(&mut memo, 2, 42, 5).0[0], 5);
        // Key 0 is never remembered.
        get(&mut memo, 2, 0, 1);
        assert_eq!(get(&mut memo, 2, 0, 2).0[0], 2);
        assert_eq!(computed, 6);
    }
}
