//! A set of documents of one segment, as a bitset: the form the boolean
//! tree of a query is evaluated in.
//!
//! A segment of a million documents is 16,384 words; intersecting or
//! uniting two sets is a pass over them, which is why the search evaluates
//! `AND`, `OR` and `NOT` on bits rather than on hash sets of articles.

use tantivy::DocId;

/// Documents of one segment, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocBits {
    words: Vec<u64>,
}

impl DocBits {
    /// An empty set for a segment of `max_doc` documents.
    pub fn new(max_doc: u32) -> DocBits {
        DocBits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    /// How many ids the set can hold (its segment's size, rounded up to 64).
    pub fn capacity(&self) -> u32 {
        (self.words.len() * 64) as u32
    }

    /// Adds a document; ids past the segment's end are ignored.
    pub fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
    }

    /// Whether the set holds `doc`.
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    /// The greatest document of the set at or before `doc`.
    pub fn at_or_before(&self, doc: DocId) -> Option<DocId> {
        let mut i = (doc as usize / 64).min(self.words.len().checked_sub(1)?);
        let mut word = self.words[i];
        if i == doc as usize / 64 {
            // Keep bits 0..=doc%64.
            word &= u64::MAX >> (63 - doc % 64);
        }
        loop {
            if word != 0 {
                return Some((i * 64) as DocId + 63 - word.leading_zeros());
            }
            i = i.checked_sub(1)?;
            word = self.words[i];
        }
    }

    /// A directory for [`DocBits::rank`]: the documents before each word.
    pub fn rank_directory(&self) -> Vec<u32> {
        let mut total = 0;
        self.words
            .iter()
            .map(|w| {
                let before = total;
                total += w.count_ones();
                before
            })
            .collect()
    }

    /// How many documents of the set come before `doc`, when the set holds
    /// it; `directory` is this set's [`DocBits::rank_directory`].
    pub fn rank(&self, directory: &[u32], doc: DocId) -> Option<usize> {
        let i = doc as usize / 64;
        let word = *self.words.get(i)?;
        let bit = 1u64 << (doc % 64);
        (word & bit != 0)
            .then(|| *directory.get(i).unwrap_or(&0) as usize + (word & (bit - 1)).count_ones() as usize)
    }

    /// The smallest document of the set after `doc`.
    pub fn after(&self, doc: DocId) -> Option<DocId> {
        let next = doc.checked_add(1)?;
        let mut i = next as usize / 64;
        let mut word = *self.words.get(i)? & (u64::MAX << (next % 64));
        loop {
            if word != 0 {
                return Some((i * 64) as DocId + word.trailing_zeros());
            }
            i += 1;
            word = *self.words.get(i)?;
        }
    }

    /// Keeps only the documents `other` holds too.
    pub fn intersect(&mut self, other: &DocBits) {
        self.zip(other, |a, b| a & b);
    }

    /// Adds the documents of `other`.
    pub fn unite(&mut self, other: &DocBits) {
        self.zip(other, |a, b| a | b);
    }

    /// Removes the documents of `other`.
    pub fn subtract(&mut self, other: &DocBits) {
        self.zip(other, |a, b| a & !b);
    }

    fn zip(&mut self, other: &DocBits, op: impl Fn(u64, u64) -> u64) {
        for (i, a) in self.words.iter_mut().enumerate() {
            *a = op(*a, other.words.get(i).copied().unwrap_or(0));
        }
    }

    /// How many documents the set holds.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The documents in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let base = (i * 64) as DocId;
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    base + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(max: u32, docs: &[DocId]) -> DocBits {
        let mut b = DocBits::new(max);
        for &d in docs {
            b.insert(d);
        }
        b
    }

    #[test]
    fn set_operations_agree_with_their_definitions() {
        let a = set(200, &[0, 1, 63, 64, 130, 199]);
        let b = set(200, &[1, 64, 65, 199]);
        let ids = |b: &DocBits| b.iter().collect::<Vec<_>>();
        assert_eq!(ids(&a), vec![0, 1, 63, 64, 130, 199]);
        assert_eq!(a.len(), 6);
        let mut x = a.clone();
        x.intersect(&b);
        assert_eq!(ids(&x), vec![1, 64, 199]);
        let mut x = a.clone();
        x.unite(&b);
        assert_eq!(ids(&x), vec![0, 1, 63, 64, 65, 130, 199]);
        let mut x = a.clone();
        x.subtract(&b);
        assert_eq!(ids(&x), vec![0, 63, 130]);
        assert!(a.contains(130) && !a.contains(131) && !a.contains(5000));
    }

    #[test]
    fn the_nearest_document_at_or_before() {
        let b = set(300, &[0, 5, 64, 200]);
        let got: Vec<Option<DocId>> = [0, 4, 5, 63, 64, 65, 199, 200, 299, 5000]
            .iter()
            .map(|&d| b.at_or_before(d))
            .collect();
        let want = [0, 0, 5, 5, 64, 64, 64, 200, 200, 200].map(Some);
        assert_eq!(got, want);
        assert_eq!(set(300, &[10]).at_or_before(9), None);
        let after: Vec<Option<DocId>> = [0, 4, 5, 63, 64, 199, 200, 5000]
            .iter()
            .map(|&d| b.after(d))
            .collect();
        assert_eq!(
            after,
            vec![
                Some(5),
                Some(5),
                Some(64),
                Some(64),
                Some(200),
                Some(200),
                None,
                None
            ]
        );
        assert_eq!(DocBits::new(0).at_or_before(0), None);
    }

    #[test]
    fn ranks_count_the_documents_before() {
        let b = set(300, &[3, 64, 65, 200, 299]);
        let dir = b.rank_directory();
        let ranks: Vec<Option<usize>> = [3, 64, 65, 200, 299, 4, 1000]
            .iter()
            .map(|&d| b.rank(&dir, d))
            .collect();
        assert_eq!(
            ranks,
            vec![Some(0), Some(1), Some(2), Some(3), Some(4), None, None]
        );
    }

    #[test]
    fn out_of_range_ids_and_empty_segments() {
        let mut b = DocBits::new(0);
        b.insert(3);
        assert_eq!(b.len(), 0);
        assert_eq!(b.iter().count(), 0);
        let mut b = DocBits::new(64);
        b.insert(64);
        b.insert(63);
        assert_eq!(b.iter().collect::<Vec<_>>(), vec![63]);
    }
}
