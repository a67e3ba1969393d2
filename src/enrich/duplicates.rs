//! Near-duplicate clusters, assigned as articles are indexed.
//!
//! Each article joins the cluster of its nearest near-duplicate among the
//! articles read before it (see [`super::signature`]), provided it also
//! resembles that cluster's first article, or starts its own. A cluster is named
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

use std::collections::VecDeque;
use std::sync::Arc;

use super::signature::{BANDS, NEAR, Shingles, Signature};
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

/// How many bytes of shingles a window keeps: about 40,000 wire items of
/// 140 words, or 20,000 articles of 300.
pub const WINDOW_BYTES: usize = 24 << 20;

/// The band table has `1 << TABLE_BITS` slots of 8 bytes (16 MB).
const TABLE_BITS: u32 = 21;

/// What the window keeps of one article.
#[derive(Debug)]
struct Entry {
    /// The head of its cluster (its own id if it heads one).
    head: Arc<str>,
    /// The sequence number of the head's entry (its own for a head), or
    /// `u32::MAX` when the head was never in the window.
    head_seq: u32,
    shingles: Shingles,
}

/// The articles seen last, their shingles searchable by band.
///
/// Bands point to articles through a direct-mapped table: a band's slot
/// holds the band's high 32 bits and the sequence number of the last
/// article that had it, so placing an article costs one memory access per
/// band, to look its candidates up and put itself in at once. A band
/// that lands in a taken slot takes it over; an article keeps the rest of
/// its twenty, and near-duplicates share many. Slots that point before
/// the window's oldest article are stale and ignored, so forgetting an
/// article touches no slot.
#[derive(Debug)]
pub struct Window {
    entries: VecDeque<Entry>,
    /// The sequence number of `entries[0]`.
    first: u32,
    /// Band slots: the band's high 32 bits, then the article's sequence
    /// number plus one (0 for an empty slot).
    table: Vec<u64>,
    bytes: usize,
    capacity: usize,
}

impl Default for Window {
    fn default() -> Window {
        Window::new(WINDOW_BYTES, TABLE_BITS)
    }
}

impl Window {
    /// An empty window that keeps about `bytes` of shingles, with a band
    /// table of `1 << table_bits` slots.
    pub fn new(bytes: usize, table_bits: u32) -> Window {
        Window {
            entries: VecDeque::new(),
            first: 0,
            table: vec![0; 1 << table_bits],
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

    /// The bytes an article takes in a window.
    pub fn cost(head: &str, signature: &Signature) -> usize {
        bytes(head, &signature.shingles)
    }

    /// The bytes the window has room for before it forgets anything.
    pub fn room(&self) -> usize {
        self.capacity.saturating_sub(self.bytes)
    }

    /// Fills the window with articles already placed in clusters, given
    /// newest first as (id, head, signature), `head` being the id itself for the
    /// first article of a cluster, as
    /// long as they fit; returns how many it took.
    pub fn seed(&mut self, newest_first: impl IntoIterator<Item = (Arc<str>, Arc<str>, Signature)>) -> usize {
        let mut room = self.room();
        let mut taken = Vec::new();
        for (id, head, signature) in newest_first {
            let cost = Window::cost(&head, &signature);
            if cost > room {
                break;
            }
            room -= cost;
            taken.push((id, head, signature));
        }
        let n = taken.len();
        // Oldest first, so that heads are in before their copies.
        let mut heads: std::collections::HashMap<Arc<str>, u32> = Default::default();
        for (id, head, signature) in taken.into_iter().rev() {
            let seq = self.next_seq();
            self.enter(&signature.bands);
            let head_seq = if id == head {
                heads.insert(id, seq);
                seq
            } else {
                heads.get(&head).copied().unwrap_or(u32::MAX)
            };
            self.add(head, head_seq, signature.shingles);
        }
        n
    }

    /// Places the article `id` in a cluster: the head of its nearest
    /// near-duplicate in the window (the highest resemblance, among those
    /// that also resemble their cluster's head while it is in the window),
    /// or `None` when it has none and heads its own. The article
    /// then joins the window.
    pub fn assign(&mut self, id: &str, signature: Signature) -> Option<Arc<str>> {
        let seq = self.next_seq();
        let candidates = self.enter(&signature.bands);
        let near = |e: &Entry| e.shingles.resemblance(&signature.shingles);
        let mut best: Option<(f64, &Entry)> = None;
        for (i, &at) in candidates.iter().enumerate() {
            if at == u32::MAX || candidates[..i].contains(&at) {
                continue;
            }
            let Some(entry) = self.entry(at) else {
                continue;
            };
            let r = near(entry);
            if r < NEAR || best.is_some_and(|(b, _)| r <= b) {
                continue;
            }
            // A copy's cluster is joined only by what resembles its head
            // too, so that a chain of daily reports, each like the day
            // before, does not become one cluster.
            if entry.head_seq != at
                && let Some(head) = self.entry(entry.head_seq)
                && near(head) < NEAR
            {
                continue;
            }
            best = Some((r, entry));
        }
        let (head, head_seq) = match best {
            Some((_, e)) if &*e.head != id => (Some(e.head.clone()), e.head_seq),
            _ => (None, seq),
        };
        self.add(
            head.clone().unwrap_or_else(|| id.into()),
            head_seq,
            signature.shingles,
        );
        head
    }

    /// The sequence number the next article gets.
    fn next_seq(&self) -> u32 {
        self.first.wrapping_add(self.entries.len() as u32)
    }

    /// The entry with a sequence number, if it is still in the window.
    fn entry(&self, seq: u32) -> Option<&Entry> {
        self.entries.get(seq.wrapping_sub(self.first) as usize)
    }

    /// Points the bands' slots to the next article, returning the sequence
    /// numbers they held that are still in the window (`u32::MAX` where
    /// none is).
    fn enter(&mut self, bands: &[u64; BANDS]) -> [u32; BANDS] {
        let seq = self.next_seq();
        let mask = self.table.len() - 1;
        let held = self.entries.len() as u32;
        std::array::from_fn(|i| {
            let band = bands[i];
            let tag = band >> 32;
            let slot = &mut self.table[(band as usize) & mask];
            let old = *slot;
            *slot = tag << 32 | u64::from(seq.wrapping_add(1));
            let found = (old as u32).wrapping_sub(1);
            // Empty, another band, or an article forgotten since.
            if old == 0 || old >> 32 != tag || found.wrapping_sub(self.first) >= held {
                u32::MAX
            } else {
                found
            }
        })
    }

    fn add(&mut self, head: Arc<str>, head_seq: u32, shingles: Shingles) {
        self.bytes += bytes(&head, &shingles);
        self.entries.push_back(Entry {
            head,
            head_seq,
            shingles,
        });
        while self.bytes > self.capacity && self.entries.len() > 1 {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= bytes(&old.head, &old.shingles);
                self.first = self.first.wrapping_add(1);
            }
        }
    }
}

/// What an entry costs: its shingles, its head's id, the rest.
fn bytes(head: &str, shingles: &Shingles) -> usize {
    shingles.len() * 4 + head.len() + 64
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
    fn a_copy_joins_a_cluster_only_if_it_resembles_its_head() {
        // Each text shares 30 of its 40 words with the one before: like
        // its neighbour (resemblance 0.58), unlike the one before that (0.31).
        let words: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let text = |from: usize| words[from..from + 40].join(" ");
        let mut w = Window::default();
        assert_eq!(w.assign("a", sig(&text(0))), None);
        assert_eq!(w.assign("b", sig(&text(10))).as_deref(), Some("a"));
        assert_eq!(w.assign("c", sig(&text(20))), None, "like b, not like a");
        assert_eq!(w.assign("d", sig(&text(20))).as_deref(), Some("c"));
    }

    #[test]
    fn a_seeded_window_keeps_the_newest_it_has_room_for() {
        let mut w = Window::default();
        let newest_first = [("c", "a", STORY), ("b", "b", OTHER), ("a", "a", STORY)];
        let seeds = || newest_first.map(|(id, head, text)| (Arc::from(id), Arc::from(head), sig(text)));
        let n = w.seed(seeds());
        assert_eq!(n, 3);
        assert_eq!(w.assign("d", sig(OTHER)).as_deref(), Some("b"));
        assert_eq!(w.assign("e", sig(STORY)).as_deref(), Some("a"));

        let mut small = Window::new(Window::cost("a", &sig(STORY)), 10);
        let n = small.seed(seeds());
        assert_eq!(n, 1, "only the newest fits");
        assert_eq!(small.assign("f", sig(STORY)).as_deref(), Some("a"));
    }

    #[test]
    fn a_full_window_forgets_its_oldest_articles() {
        let bytes = |text| Window::cost("a", &sig(text));
        let mut w = Window::new(bytes(STORY) + bytes(OTHER), 10);
        assert_eq!(w.assign("a", sig(STORY)), None);
        assert_eq!(w.assign("b", sig(OTHER)), None);
        assert_eq!(w.room(), 0, "full");
        assert_eq!(w.assign("c", sig(OTHER)).as_deref(), Some("b"));
        assert_eq!(w.len(), 2, "a is forgotten");
        assert_eq!(
            w.assign("d", sig(STORY)),
            None,
            "a copy of a forgotten article heads anew"
        );
        assert_eq!(w.len(), 2, "b is forgotten");
        assert_eq!(w.assign("e", sig(OTHER)).as_deref(), Some("b"), "c remembers b");
    }
}
