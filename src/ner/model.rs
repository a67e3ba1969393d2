//! The model: a structured averaged perceptron over BIO tags with
//! first-order transitions, decoded by Viterbi.
//!
//! Training ([`train`]) runs the perceptron over CoNLL sentences; the
//! averaged weights are pruned, quantised to 16 bits and written in a small
//! binary format ([`Model::to_bytes`]) that newsdex embeds.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The tags, in model order. BIO: `B-` starts an entity, `I-` continues it.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
/// How many tags there are.
pub const NT: usize = TAGS.len();

const MAGIC: &[u8; 8] = b"NDXNER01";

/// The tag index of a BIO tag name.
pub fn tag_index(name: &str) -> Option<u8> {
    TAGS.iter().position(|t| *t == name).map(|i| i as u8)
}

/// True when tag `to` may follow tag `from` (`None`: sentence start):
/// `I-X` only after `B-X` or `I-X`.
pub fn allowed(from: Option<u8>, to: u8) -> bool {
    ALLOWED[from.map_or(NT, usize::from)][usize::from(to)]
}

/// [`allowed`] as a table, `[from][to]` with row `NT` for the sentence
/// start. In [`TAGS`], `B-X` is at an odd index and `I-X` right after it.
const ALLOWED: [[bool; NT]; NT + 1] = {
    let mut table = [[true; NT]; NT + 1];
    let mut to = 2;
    while to < NT {
        let mut from = 0;
        while from <= NT {
            table[from][to] = from == to - 1 || from == to;
            from += 1;
        }
        to += 2;
    }
    table
};

/// A hasher for keys that are already well-mixed hashes.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FeatureMap = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// Why a model file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a newsdex tagger model, or cut short.
    #[error("not a newsdex entity model (or truncated): {0}")]
    Format(&'static str),
    /// Trained with other feature templates.
    #[error("the model was trained with feature version {found}; this newsdex uses {expected}: retrain it")]
    Version {
        /// In the file.
        found: u32,
        /// Expected.
        expected: u32,
    },
}

/// Trained weights.
pub struct Model {
    /// Distinct for every model made in this process (see [`Model::id`]).
    id: u64,
    weights: WeightTable,
    /// What one unit of a quantised weight is worth.
    scale: f32,
    /// `trans[from][to]`, with row `NT` for the sentence start.
    trans: [[f32; NT]; NT + 1],
}

/// A sentence's emissions and Viterbi's buffers, reused from sentence to
/// sentence ([`Model::push_token`], [`Model::decode_tokens`]).
#[derive(Default)]
pub struct Decoding {
    emissions: Vec<[f32; NT]>,
    lattice: Lattice,
}

impl Decoding {
    /// The emissions of the tokens pushed since [`Decoding::clear`]: each
    /// tag's score before transitions.
    pub fn emissions(&self) -> &[[f32; NT]] {
        &self.emissions
    }

    /// Starts a new sentence.
    pub fn clear(&mut self) {
        self.emissions.clear();
    }

    /// Appends a token outside every entity (one without features): only
    /// `O` is possible.
    pub fn push_outside(&mut self) {
        let mut e = [f32::NEG_INFINITY; NT];
        e[0] = 0.0;
        self.emissions.push(e);
    }
}

/// Feature weights added up, tag by tag, in quantised units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums(pub [i32; NT]);

/// Viterbi's scores and back pointers, per token and tag.
#[derive(Default)]
struct Lattice {
    score: Vec<[f32; NT]>,
    back: Vec<[u8; NT]>,
}

/// One feature's weights for every tag, quantised to 16 bits.
type Row = [i16; NT];

/// Feature weights by feature hash: open addressing with linear probing,
/// each key beside its weights, so that looking a feature up touches one
/// cache line (a hash map and a separate weights array touched three, and
/// were a quarter of tagging). Kept at most half full.
struct WeightTable {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// The feature hash; [`EMPTY`] in a free slot.
    key: u64,
    weights: Row,
}

/// The key of a free slot. A feature whose hash is this value is stored
/// under [`EMPTY_STANDIN`] instead.
const EMPTY: u64 = 0;
const EMPTY_STANDIN: u64 = 0x9e37_79b9_7f4a_7c15;

impl WeightTable {
    fn with_capacity(n: usize) -> WeightTable {
        let slots = (2 * n).next_power_of_two().max(16);
        WeightTable {
            slots: vec![Slot::default(); slots],
            len: 0,
        }
    }

    fn key(feature: u64) -> u64 {
        if feature == EMPTY { EMPTY_STANDIN } else { feature }
    }

    /// Sets a feature's weights (the table never grows: sized by the caller).
    fn insert(&mut self, feature: u64, weights: Row) {
        let key = WeightTable::key(feature);
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let slot = &mut self.slots[i];
            if slot.key == EMPTY || slot.key == key {
                self.len += usize::from(slot.key == EMPTY);
                *slot = Slot { key, weights };
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Prefetches the slot where `feature`'s search starts.
    #[inline]
    fn prefetch(&self, feature: u64) {
        let key = WeightTable::key(feature);
        crate::prefetch::prefetch(&self.slots[key as usize & (self.slots.len() - 1)]);
    }

    #[inline]
    fn get(&self, feature: u64) -> Option<&Row> {
        let key = WeightTable::key(feature);
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return Some(&slot.weights);
            }
            if slot.key == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Every feature with its weights, in key order.
    fn sorted(&self) -> Vec<(u64, Row)> {
        let mut rows: Vec<(u64, Row)> = self
            .slots
            .iter()
            .filter(|s| s.key != EMPTY)
            .map(|s| (if s.key == EMPTY_STANDIN { EMPTY } else { s.key }, s.weights))
            .collect();
        rows.sort_unstable();
        rows
    }
}

/// A fresh [`Model::id`].
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Model {
    /// A number no other model of this process has: what sums computed
    /// from its weights are remembered under ([`super::memo`]).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// How many features have weights.
    pub fn len(&self) -> usize {
        self.weights.len
    }

    /// True when the model has no feature weights.
    pub fn is_empty(&self) -> bool {
        self.weights.len == 0
    }

    /// The best tag sequence for a sentence, given each token's features
    /// (`feats[ends[i-1]..ends[i]]` for token `i`). A token without
    /// features is outside every entity: its tag is `O`.
    pub fn decode(&self, feats: &[u64], ends: &[usize]) -> Vec<u8> {
        self.decode_with(feats, ends, &mut Decoding::default())
    }

    /// [`Model::decode`] with buffers reused from sentence to sentence.
    pub fn decode_with(&self, feats: &[u64], ends: &[usize], work: &mut Decoding) -> Vec<u8> {
        work.clear();
        let mut start = 0;
        for &end in ends {
            if start == end {
                work.push_outside();
            } else {
                let mut sums = Sums::default();
                self.add_weights(&feats[start..end], &mut sums);
                self.push_token(&sums, work);
            }
            start = end;
        }
        self.decode_tokens(work)
    }

    /// Adds the weights of `feats` to `sums`, tag by tag. Integer sums, so
    /// the order in which features are added changes nothing.
    #[inline]
    pub fn add_weights(&self, feats: &[u64], sums: &mut Sums) {
        for &f in feats {
            if let Some(w) = self.weights.get(f) {
                for (s, &w) in sums.0.iter_mut().zip(w) {
                    *s += i32::from(w);
                }
            }
        }
    }

    /// Starts bringing the weights of `feats` into the cache (see
    /// [`crate::prefetch`]), so that [`Model::add_weights`] on them later
    /// waits for several misses at once rather than one after another.
    pub fn prefetch(&self, feats: &[u64]) {
        for &f in feats {
            self.weights.prefetch(f);
        }
    }

    /// Appends to `work` a token whose features' weights add up to `sums`
    /// (see [`Model::decode_tokens`]).
    pub fn push_token(&self, sums: &Sums, work: &mut Decoding) {
        work.emissions.push(sums.0.map(|s| s as f32 * self.scale));
    }

    /// The best tag sequence for the tokens pushed to `work` since its
    /// [`Decoding::clear`].
    pub fn decode_tokens(&self, work: &mut Decoding) -> Vec<u8> {
        viterbi(&work.emissions, &self.trans, &mut work.lattice)
    }

    /// The model as bytes: header, transitions, sorted keys, then weights
    /// quantised to i16 with one scale.
    pub fn to_bytes(&self, feature_version: u32) -> Vec<u8> {
        let rows = self.weights.sorted();
        let mut out = Vec::with_capacity(24 + rows.len() * (8 + 2 * NT));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&feature_version.to_le_bytes());
        out.extend_from_slice(&(NT as u32).to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.trans {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        for (k, _) in &rows {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, weights) in &rows {
            for w in weights {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8], feature_version: u32) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::Format("bad magic"));
        }
        let version = r.u32()?;
        if version != feature_version {
            return Err(ModelError::Version {
                found: version,
                expected: feature_version,
            });
        }
        if r.u32()? as usize != NT {
            return Err(ModelError::Format("tag count"));
        }
        let n = r.u32()? as usize;
        let scale = f32::from_le_bytes(r.array()?);
        let mut trans = [[0f32; NT]; NT + 1];
        for row in trans.iter_mut() {
            for w in row.iter_mut() {
                *w = f32::from_le_bytes(r.array()?);
            }
        }
        let keys = r.take(n * 8)?;
        let raw = r.take(n * NT * 2)?;
        if r.at != bytes.len() {
            return Err(ModelError::Format("trailing bytes"));
        }
        let mut weights = WeightTable::with_capacity(n);
        for (key, row) in keys.chunks_exact(8).zip(raw.chunks_exact(2 * NT)) {
            let mut w = [0i16; NT];
            for (t, c) in w.iter_mut().zip(row.chunks_exact(2)) {
                *t = i16::from_le_bytes([c[0], c[1]]);
            }
            let key = u64::from_le_bytes(key.try_into().map_err(|_| ModelError::Format("key"))?);
            weights.insert(key, w);
        }
        Ok(Model {
            id: next_id(),
            weights,
            scale,
            trans,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Format("size"))?;
        let s = self
            .bytes
            .get(self.at..end)
            .ok_or(ModelError::Format("truncated"))?;
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}

/// The best path through per-token tag scores and transition scores,
/// respecting BIO constraints. A token whose scores are `-inf` for every tag
/// but `O` (see [`Model::decode`]) costs one column, not a full step.
fn viterbi(emissions: &[[f32; NT]], trans: &[[f32; NT]; NT + 1], lattice: &mut Lattice) -> Vec<u8> {
    let n = emissions.len();
    if emissions.iter().all(|e| e[1] == f32::NEG_INFINITY) {
        return vec![0; n];
    }
    let Lattice { score, back } = lattice;
    score.clear();
    score.resize(n, [f32::NEG_INFINITY; NT]);
    back.clear();
    back.resize(n, [0u8; NT]);
    for t in 0..NT {
        if allowed(None, t as u8) {
            score[0][t] = trans[NT][t] + emissions[0][t];
        }
    }
    // Transitions with the BIO constraints as -inf, so the loop below has no
    // branch on them.
    let mut masked = *trans;
    for (from, row) in masked.iter_mut().enumerate() {
        for (to, w) in row.iter_mut().enumerate() {
            if !ALLOWED[from][to] {
                *w = f32::NEG_INFINITY;
            }
        }
    }
    for i in 1..n {
        let prev = score[i - 1];
        let e = &emissions[i];
        if e[1] == f32::NEG_INFINITY {
            // Only O is possible here.
            let (arg, best) = if prev[1..].iter().all(|&s| s == f32::NEG_INFINITY) {
                (0, prev[0] + masked[0][0]) // O after O, as inside a run of such tokens
            } else {
                best_before(&prev, &masked, 0)
            };
            score[i][0] = best + e[0];
            back[i][0] = arg;
            continue;
        }
        let mut best = [f32::NEG_INFINITY; NT];
        let mut arg = [0u8; NT];
        for p in 0..NT {
            for t in 0..NT {
                let s = prev[p] + masked[p][t];
                if s > best[t] {
                    best[t] = s;
                    arg[t] = p as u8;
                }
            }
        }
        for t in 0..NT {
            score[i][t] = best[t] + e[t];
        }
        back[i] = arg;
    }
    let mut t = (0..NT)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0) as u8;
    let mut path = vec![0u8; n];
    for i in (0..n).rev() {
        path[i] = t;
        t = back[i][t as usize];
    }
    path
}

/// The best previous tag before tag `t`, with its score (the first of ties).
fn best_before(prev: &[f32; NT], trans: &[[f32; NT]; NT + 1], t: usize) -> (u8, f32) {
    let mut best = (0, f32::NEG_INFINITY);
    for p in 0..NT {
        let s = prev[p] + trans[p][t];
        if s > best.1 {
            best = (p as u8, s);
        }
    }
    best
}

/// One training sentence: its features and gold tags.
pub struct Example {
    /// Feature hashes of every token, in order.
    pub feats: Vec<u64>,
    /// Where each token's features end.
    pub ends: Vec<usize>,
    /// The gold tags.
    pub gold: Vec<u8>,
}

/// Trains an averaged perceptron for `epochs` passes over `examples`,
/// calling `after_epoch(epoch, model)` after each (to report dev scores).
/// Features whose averaged weights are all below `min_weight` in size are
/// left out of the model.
pub fn train(
    examples: &[Example],
    epochs: usize,
    min_weight: f32,
    mut after_epoch: impl FnMut(usize, &Model),
) -> Model {
    // Dense ids for every feature seen in training.
    let mut ids: FeatureMap = FeatureMap::default();
    let dense: Vec<Vec<u32>> = examples
        .iter()
        .map(|ex| {
            ex.feats
                .iter()
                .map(|f| {
                    let next = ids.len() as u32;
                    *ids.entry(*f).or_insert(next)
                })
                .collect()
        })
        .collect();
    let nf = ids.len();
    let mut w = vec![0f32; nf * NT];
    let mut acc = vec![0f32; nf * NT];
    let mut tw = [[0f32; NT]; NT + 1];
    let mut tacc = [[0f32; NT]; NT + 1];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut lattice = Lattice::default();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    for epoch in 1..=epochs {
        // A deterministic shuffle (xorshift), so training is reproducible.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let ex = &examples[k];
            let feats = &dense[k];
            let mut emissions = vec![[0f32; NT]; ex.ends.len()];
            let mut start = 0;
            for (i, &end) in ex.ends.iter().enumerate() {
                for &f in &feats[start..end] {
                    let row = &w[f as usize * NT..f as usize * NT + NT];
                    for t in 0..NT {
                        emissions[i][t] += row[t];
                    }
                }
                start = end;
            }
            let pred = viterbi(&emissions, &tw, &mut lattice);
            if pred != ex.gold {
                let mut start = 0;
                for (i, &end) in ex.ends.iter().enumerate() {
                    let (g, p) = (ex.gold[i] as usize, pred[i] as usize);
                    let prev_g = if i == 0 { NT } else { ex.gold[i - 1] as usize };
                    let prev_p = if i == 0 { NT } else { pred[i - 1] as usize };
                    if g != p {
                        for &f in &feats[start..end] {
                            let f = f as usize * NT;
                            w[f + g] += 1.0;
                            acc[f + g] += c;
                            w[f + p] -= 1.0;
                            acc[f + p] -= c;
                        }
                    }
                    if g != p || prev_g != prev_p {
                        tw[prev_g][g] += 1.0;
                        tacc[prev_g][g] += c;
                        tw[prev_p][p] -= 1.0;
                        tacc[prev_p][p] -= c;
                    }
                    start = end;
                }
            }
            c += 1.0;
        }
        let model = averaged(&ids, &w, &acc, &tw, &tacc, c, min_weight);
        after_epoch(epoch, &model);
    }
    averaged(&ids, &w, &acc, &tw, &tacc, c, min_weight)
}

/// The averaged weights, quantised, without features whose weights are
/// all smaller than `min_weight` (or round to zero).
fn averaged(
    ids: &FeatureMap,
    w: &[f32],
    acc: &[f32],
    tw: &[[f32; NT]; NT + 1],
    tacc: &[[f32; NT]; NT + 1],
    c: f32,
    min_weight: f32,
) -> Model {
    let mut rows: Vec<(u64, [f32; NT])> = Vec::new();
    for (&key, &id) in ids {
        let base = id as usize * NT;
        let avg: [f32; NT] = std::array::from_fn(|t| w[base + t] - acc[base + t] / c);
        if avg.iter().any(|v| v.abs() >= min_weight.max(1e-3)) {
            rows.push((key, avg));
        }
    }
    let max = rows
        .iter()
        .flat_map(|(_, row)| row.iter())
        .fold(0f32, |m, w| m.max(w.abs()))
        .max(1e-9);
    let scale = max / f32::from(i16::MAX);
    let mut weights = WeightTable::with_capacity(rows.len());
    for (key, row) in rows {
        weights.insert(key, row.map(|v| (v / scale).round() as i16));
    }
    let mut trans = [[0f32; NT]; NT + 1];
    for (i, row) in trans.iter_mut().enumerate() {
        for (t, v) in row.iter_mut().enumerate() {
            *v = tw[i][t] - tacc[i][t] / c;
        }
    }
    Model {
        id: next_id(),
        weights,
        scale,
        trans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowed_table_is_the_bio_rule() {
        for from in (0..NT).map(|f| Some(f as u8)).chain([None]) {
            for to in 0..NT as u8 {
                let name = TAGS[usize::from(to)];
                let rule = match name.strip_prefix("I-") {
                    None => true,
                    Some(kind) => from.is_some_and(|f| TAGS[usize::from(f)].get(2..) == Some(kind)),
                };
                assert_eq!(allowed(from, to), rule, "{from:?} -> {name}");
            }
        }
    }

    #[test]
    fn tokens_without_features_are_outside_entities() {
        // Feature 1 says B-PER, and B-PER wants I-PER after it, not O.
        let mut weights = WeightTable::with_capacity(1);
        let mut row = [0i16; NT];
        row[1] = 5;
        weights.insert(1, row);
        let mut trans = [[0f32; NT]; NT + 1];
        trans[1][2] = 10.0;
        trans[1][0] = -10.0;
        let model = Model {
            id: next_id(),
            weights,
            scale: 1.0,
            trans,
        };
        // A second token with a feature the model lacks continues the name...
        assert_eq!(model.decode(&[1, 9], &[1, 2]), vec![1, 2]);
        // ...a second token without features is O, so no name starts at all.
        assert_eq!(model.decode(&[1], &[1, 1]), vec![0, 0]);
    }

    #[test]
    fn bio_constraints() {
        let b_per = tag_index("B-PER").unwrap();
        let i_per = tag_index("I-PER").unwrap();
        let i_org = tag_index("I-ORG").unwrap();
        assert!(!allowed(None, i_per));
        assert!(allowed(Some(b_per), i_per));
        assert!(!allowed(Some(b_per), i_org));
        assert!(allowed(Some(i_org), b_per));
    }

    #[test]
    fn learns_a_toy_pattern_and_round_trips() {
        // Feature 1 marks names, feature 2 marks other words.
        let ex = |pattern: &[u8]| Example {
            feats: pattern.iter().map(|&t| if t == 0 { 2 } else { 1 }).collect(),
            ends: (1..=pattern.len()).collect(),
            gold: pattern.to_vec(),
        };
        let examples = vec![ex(&[0, 1, 2, 0]), ex(&[1, 2, 0, 0]), ex(&[0, 0, 1, 2])];
        let model = train(&examples, 5, 0.0, |_, _| {});
        assert_eq!(model.decode(&[2, 1, 1, 2], &[1, 2, 3, 4]), vec![0, 1, 2, 0]);
        let bytes = model.to_bytes(7);
        let back = Model::from_bytes(&bytes, 7).unwrap();
        assert_eq!(back.decode(&[2, 1, 1, 2], &[1, 2, 3, 4]), vec![0, 1, 2, 0]);
        assert!(matches!(
            Model::from_bytes(&bytes, 8),
            Err(ModelError::Version { .. })
        ));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1], 7).is_err());
    }
}
