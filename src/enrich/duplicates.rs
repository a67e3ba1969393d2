//! Near-duplicate clusters, assigned as articles are indexed.
//!
//! Each article joins the cluster of the first near-duplicate it is found
//! to have (see [`super::signature`]) or starts its own. A cluster is named
//! by its first article's id, its *head*; members record it as
//! [`Article::duplicate_of`](crate::article::Article::duplicate_of), which
//! the index turns into a column that search groups by.
//!
//! What a new article is compared with lives in a [`Window`]: the
//! signatures of the articles read last, up to a fixed number of bytes
//! ([`WINDOW_BYTES`]), so memory stays flat however large the corpus.
//! Their band keys point into it, and a candidate that shares a band is
//! compared exactly, shingle by shingle. Syndicated copies and rewrites
//! come out within days of each other, and corpora are mostly read in the
//! order they were written, so a window of tens of thousands of articles
//! finds them; copies further apart in reading order stay apart. An
//! indexing run into an index that already holds articles first fills the
//! window with the index's newest articles (by date), so today's copies
//! join yesterday's clusters.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::signature::{BANDS, NEAR, Signature};
use crate::article::Article;

/// The signature of an article: its title and body, read as one text.
pub fn signature(article: &Article) -> Option<Signature> {
    Signature::of(&[article.title.as_deref().unwrap_or(""), &article.body])
}

/// The head of an article's cluster as the index holds it: the article it
/// duplicates, or itself.
pub fn head(article: &Article) -> Arc<str> {
    article.duplicate_of.as_deref().unwrap_or(&article.id).into()
}

/// How many bytes of signatures and band keys a window keeps: about
/// 40,000 news articles of a few hundred words.
pub const WINDOW_BYTES: usize = 32 << 20;

/// What the window keeps of one article.
#[derive(Debug)]
struct Entry {
    /// The head of its cluster (its own id if it heads one).
    head: Arc<str>,
    signature: Signature,
}

impl Entry {
    fn bytes(&self) -> usize {
        Window::cost(&self.head, &self.signature)
    }
}

/// The signatures of the articles seen last, searchable by band.
#[derive(Debug)]
pub struct Window {
    entries: VecDeque<Entry>,
    /// The sequence number of `entries[0]`.
    first: u64,
    /// Band key → the sequence number of the last entry that had it.
    bands: HashMap<u64, u64>,
    bytes: usize,
    capacity: usize,
}

impl Default for Window {
    fn default() -> Window {
        Window::with_capacity(WINDOW_BYTES)
    }
}

impl Window {
    /// An empty window that keeps about `bytes` of signatures.
    pub fn with_capacity(bytes: usize) -> Window {
        Window {
            entries: VecDeque::new(),
            first: 0,
            bands: HashMap::new(),
            bytes: 0,
            capacity: bytes,
        }
    }

    /// How many articles the window holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether it holds as much as it keeps: older articles are forgotten
    /// as new ones come.
    pub fn is_full(&self) -> bool {
        self.bytes >= self.capacity
    }

    /// The bytes an article takes in a window: its shingles, its bands in
    /// the map, the rest.
    pub fn cost(head: &str, signature: &Signature) -> usize {
        const PER_BAND: usize = 8 + 8 + 16;
        signature.shingles.len() * 4 + BANDS * PER_BAND + head.len() + 64
    }

    /// The bytes the window has room for before it forgets anything.
    pub fn room(&self) -> usize {
        self.capacity.saturating_sub(self.bytes)
    }

    /// Fills the window with articles already placed in clusters, given
    /// newest first (`head` as in [`Window::push`]), as long as they fit;
    /// returns how many it took.
    pub fn seed(&mut self, newest_first: impl IntoIterator<Item = (Arc<str>, Signature)>) -> usize {
        let mut room = self.room();
        let mut taken = Vec::new();
        for (head, signature) in newest_first {
            let cost = Window::cost(&head, &signature);
            if cost > room {
                break;
            }
            room -= cost;
            taken.push((head, signature));
        }
        let n = taken.len();
        for (head, signature) in taken.into_iter().rev() {
            self.push(head, signature);
        }
        n
    }

    /// Places the article `id` in a cluster: the head of its nearest
    /// near-duplicate in the window (the one with the most shingles in
    /// common), or `None` when it has none and heads its own. The article
    /// then joins the window.
    pub fn assign(&mut self, id: &str, signature: Signature) -> Option<Arc<str>> {
        let mut best: Option<(f64, &Entry)> = None;
        let mut seen: [u64; BANDS] = [u64::MAX; BANDS];
        for (i, band) in signature.bands.iter().enumerate() {
            let Some(&seq) = self.bands.get(band) else {
                continue;
            };
            if seen[..i].contains(&seq) {
                continue;
            }
            seen[i] = seq;
            let Some(entry) = self.entries.get((seq - self.first) as usize) else {
                continue;
            };
            let r = entry.signature.shingles.resemblance(&signature.shingles);
            if r >= NEAR && best.is_none_or(|(b, _)| r > b) {
                best = Some((r, entry));
            }
        }
        let head = best.map(|(_, e)| e.head.clone()).filter(|h| &**h != id);
        self.push(head.clone().unwrap_or_else(|| id.into()), signature);
        head
    }

    /// Adds an article already placed in a cluster (`head` its head, its
    /// own id if it heads one), forgetting the oldest if the window is full.
    pub fn push(&mut self, head: Arc<str>, signature: Signature) {
        let seq = self.first + self.entries.len() as u64;
        for band in signature.bands {
            self.bands.insert(band, seq);
        }
        let entry = Entry { head, signature };
        self.bytes += entry.bytes();
        self.entries.push_back(entry);
        while self.bytes > self.capacity && self.entries.len() > 1 {
            self.forget_oldest();
        }
    }

    fn forget_oldest(&mut self) {
        let Some(old) = self.entries.pop_front() else {
            return;
        };
        for band in &old.signature.bands {
            // Unless a newer entry has taken the band over.
            if self.bands.get(band) == Some(&self.first) {
                self.bands.remove(band);
            }
        }
        self.first += 1;
        self.bytes -= old.bytes();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "TOKYO, March 2 - Japan's February interim trade surplus jumped to 3.74 \
        billion dlrs from 2.67 billion a year earlier, the Finance Ministry said. Exports rose \
        to 9.5 billion dlrs while imports fell.";
    const OTHER: &str = "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia \
        cocoa zone, alleviating the drought since early January and improving prospects.";

    fn sig(text: &str) -> Signature {
        Signature::of(&[text]).unwrap()
    }

    #[test]
    fn copies_join_the_first_articles_cluster() {
        let mut w = Window::default();
        assert_eq!(w.assign("a", sig(STORY)), None, "the first heads its cluster");
        assert_eq!(w.assign("b", sig(OTHER)), None, "another story heads its own");
        let resend = format!("{STORY} The ministry gave no details.");
        assert_eq!(w.assign("c", sig(&resend)).as_deref(), Some("a"));
        // A copy of the copy joins the same cluster, named by its head.
        assert_eq!(w.assign("d", sig(&resend)).as_deref(), Some("a"));
        assert_eq!(
            w.assign("a", sig(STORY)),
            None,
            "an article is not its own duplicate"
        );
        assert_eq!(w.len(), 5);
    }

    #[test]
    fn a_seeded_window_keeps_the_newest_it_has_room_for() {
        let mut w = Window::default();
        let newest_first = [("c", "a", STORY), ("b", "b", OTHER), ("a", "a", STORY)];
        let n = w.seed(newest_first.map(|(_, head, text)| (Arc::from(head), sig(text))));
        assert_eq!(n, 3);
        assert_eq!(w.assign("d", sig(OTHER)).as_deref(), Some("b"));
        assert_eq!(w.assign("e", sig(STORY)).as_deref(), Some("a"));

        let room = Entry {
            head: "a".into(),
            signature: sig(STORY),
        }
        .bytes();
        let mut small = Window::with_capacity(room);
        let n = small.seed(newest_first.map(|(_, head, text)| (Arc::from(head), sig(text))));
        assert_eq!(n, 1, "only the newest fits");
        assert_eq!(small.assign("f", sig(STORY)).as_deref(), Some("a"));
    }

    #[test]
    fn a_full_window_forgets_its_oldest_articles() {
        let bytes = |text| {
            Entry {
                head: "a".into(),
                signature: sig(text),
            }
            .bytes()
        };
        let mut w = Window::with_capacity(bytes(STORY) + bytes(OTHER));
        assert_eq!(w.assign("a", sig(STORY)), None);
        assert_eq!(w.assign("b", sig(OTHER)), None);
        assert!(w.is_full());
        assert_eq!(w.assign("c", sig(OTHER)).as_deref(), Some("b"));
        assert_eq!(w.len(), 2, "a is forgotten");
        assert_eq!(
            w.assign("d", sig(STORY)),
            None,
            "a copy of a forgotten article heads anew"
        );
        assert_eq!(w.len(), 2, "b is forgotten");
        assert_eq!(w.assign("e", sig(OTHER)).as_deref(), Some("b"), "c remembers b");
        // Bands of forgotten entries point nowhere.
        assert!(w.bands.values().all(|&seq| seq >= w.first));
    }
}
