//! Deletion neighbourhoods ("symmetric delete"): two names within edit distance `k`
//! become equal after at most `k` deletions from each, so indexing every listed name's
//! deletions and looking up the query's finds every listed name that may be that close
//! without measuring the distance to all of them. Deletions are hashed, not stored:
//! a polynomial rolling hash gives each deletion's hash in constant time, and a hash
//! collision only costs one more distance measurement.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Names this long or shorter get no distance check: too many real names are that close.
pub(super) const SHORT: usize = 4;
/// Names this long may be two edits away; shorter ones one edit.
pub(super) const LONG: usize = 10;
/// The largest budget [`budget`] gives.
pub(super) const MAX_BUDGET: usize = 2;

const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
/// Bitmap bits per indexed hash: about one false "maybe" in sixteen lookups.
const BITS_PER_HASH: usize = 16;

/// How many edits a name of `length` characters may be from a listed one and still be a
/// lookalike.
pub(super) fn budget(length: usize) -> usize {
    match length {
        0..=SHORT => 0,
        _ if length < LONG => 1,
        _ => MAX_BUDGET,
    }
}

/// The deletion neighbourhoods of a set of names, by hash.
#[derive(Default)]
pub(super) struct Neighbourhoods {
    slots: HashMap<u64, (u32, u32), BuildHasherDefault<Prehashed>>,
    ids: Vec<u32>,
    /// One bit per hash value modulo its length, set for the indexed hashes: most of a
    /// query's deletions are in no listed neighbourhood, and this small bitmap, unlike
    /// the map, stays in the cache.
    present: Vec<u64>,
}

impl Neighbourhoods {
    /// Indexes each name's deletions up to its [`budget`].
    pub fn build<'a>(names: impl Iterator<Item = (u32, &'a [u8])>) -> Self {
        let mut pairs = Vec::new();
        for (id, name) in names {
            deletions(name, budget(name.len()), |hash| pairs.push((hash, id)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let bits = (pairs.len() * BITS_PER_HASH).next_power_of_two().max(64);
        let mut index = Self {
            present: vec![0; bits / 64],
            ..Self::default()
        };
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let start = u32::try_from(index.ids.len()).unwrap_or(u32::MAX);
            let length = u32::try_from(group.len()).unwrap_or(u32::MAX);
            index.ids.extend(group.iter().map(|&(_, id)| id));
            index.slots.insert(group[0].0, (start, length));
            index.mark(group[0].0);
        }
        index
    }

    /// The ids of the indexed names that share a deletion with `name` (within its
    /// [`budget`]), sorted and without repeats; returns how many hashes it looked up.
    pub fn near(&self, name: &[u8], found: &mut Vec<u32>) -> usize {
        let mut lookups = 0;
        deletions(name, budget(name.len()), |hash| {
            lookups += 1;
            if !self.marked(hash) {
                return;
            }
            if let Some(&(start, length)) = self.slots.get(&hash) {
                let start = start as usize;
                found.extend_from_slice(&self.ids[start..start + length as usize]);
            }
        });
        found.sort_unstable();
        found.dedup();
        lookups
    }

    /// The bit for `hash`: its word and mask.
    fn bit(&self, hash: u64) -> (usize, u64) {
        let position = (hash >> 20) as usize & (self.present.len() * 64 - 1);
        (position / 64, 1 << (position % 64))
    }

    fn mark(&mut self, hash: u64) {
        let (word, mask) = self.bit(hash);
        self.present[word] |= mask;
    }

    fn marked(&self, hash: u64) -> bool {
        let (word, mask) = self.bit(hash);
        self.present.get(word).is_some_and(|bits| bits & mask != 0)
    }
}

/// Calls `emit` with the hash of `name` and of every string made by deleting up to
/// `depth` (at most 2) of its bytes.
fn deletions(name: &[u8], depth: usize, mut emit: impl FnMut(u64)) {
    if depth == 0 {
        return;
    }
    let n = name.len();
    let mut prefix = Vec::with_capacity(n + 1);
    let mut powers = Vec::with_capacity(n + 1);
    prefix.push(0u64);
    powers.push(1u64);
    for (i, &byte) in name.iter().enumerate() {
        prefix.push(
            prefix[i]
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(byte) + 1),
        );
        powers.push(powers[i].wrapping_mul(BASE));
    }
    // Hash of name[start..end], and of two hashed strings end to end.
    let part = |start: usize, end: usize| {
        prefix[end].wrapping_sub(prefix[start].wrapping_mul(powers[end - start]))
    };
    let join = |left: u64, right: u64, right_len: usize| {
        left.wrapping_mul(powers[right_len]).wrapping_add(right)
    };
    emit(finish(prefix[n], n));
    for (i, &before) in prefix[..n].iter().enumerate() {
        emit(finish(join(before, part(i + 1, n), n - i - 1), n - 1));
        if depth < 2 {
            continue;
        }
        for j in i + 1..n {
            let middle = join(before, part(i + 1, j), j - i - 1);
            emit(finish(join(middle, part(j + 1, n), n - j - 1), n - 2));
        }
    }
}

/// Mixes the length in and spreads the bits, so that the hash can be used as is.
fn finish(hash: u64, length: usize) -> u64 {
    let mixed = (hash ^ length as u64).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    mixed ^ (mixed >> 33)
}

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{Neighbourhoods, budget, deletions};

    fn hash_of(name: &[u8]) -> u64 {
        let mut first = None;
        deletions(name, 1, |hash| {
            first.get_or_insert(hash);
        });
        first.unwrap_or_default()
    }

    #[test]
    fn rolling_hashes_are_the_hashes_of_the_deleted_strings() {
        let name = b"electron-builder";
        let mut rolled = Vec::new();
        deletions(name, 2, |hash| rolled.push(hash));
        let mut spelled = vec![hash_of(name)];
        for i in 0..name.len() {
            let mut once = name.to_vec();
            once.remove(i);
            spelled.push(hash_of(&once));
            for j in i..once.len() {
                let mut twice = once.clone();
                twice.remove(j);
                spelled.push(hash_of(&twice));
            }
        }
        assert_eq!(rolled, spelled);
        let distinct: HashSet<u64> = rolled.iter().copied().collect();
        let strings = 1 + name.len() + name.len() * (name.len() - 1) / 2;
        assert_eq!(rolled.len(), strings);
        // Equal strings (deleting either `e` of "ee"-free names still repeats some)
        // hash alike; different ones do not collide here.
        assert!(distinct.len() > strings / 2);
    }

    #[test]
    fn finds_names_within_the_budget_and_skips_short_ones() {
        let listed: [&[u8]; 4] = [b"lodash", b"electron", b"cross-env-shell", b"ws"];
        let index = Neighbourhoods::build(
            listed
                .iter()
                .enumerate()
                .map(|(id, name)| (id as u32, *name)),
        );
        let near = |name: &[u8]| {
            let mut found = Vec::new();
            index.near(name, &mut found);
            found
        };
        assert_eq!(near(b"loadsh"), vec![0]);
        assert_eq!(near(b"lodash"), vec![0]);
        assert_eq!(near(b"electorn"), vec![1]);
        assert_eq!(near(b"cross-envv-shel"), vec![2]);
        assert_eq!(near(b"wss"), Vec::<u32>::new());
        assert_eq!(near(b"xyzzy-plugh"), Vec::<u32>::new());
        assert_eq!((budget(4), budget(5), budget(9), budget(10)), (0, 1, 1, 2));
    }
}
