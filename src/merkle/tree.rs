//! The tree itself, its builder and its snapshots.

use std::marker::PhantomData;
use std::sync::Arc;

use rayon::prelude::*;

use super::level::{Parallelism, fill_tail, hash_level, store_and_hash_leaves};
use super::proof::{Proof, ProofLevel};
use super::{MAX_ARITY, MIN_ARITY, depth_for};
use crate::error::{Error, Result};
use crate::hash::{Digest, Hasher};

/// An N-ary lean incremental Merkle tree over the hasher `H`.
///
/// Every level is kept (level 0 holds the leaves, the top level the root),
/// each in one contiguous vector behind an `Arc`: a [`Snapshot`] shares them
/// without a lock or a copy, and the tree copies a level only if it changes
/// it while a snapshot still holds it.
///
/// `N` must be 2 to 16; other values fail to compile:
///
/// ```compile_fail
/// let tree = parmine::merkle::LeanImt::<parmine::hash::Sha256, 1>::new();
/// ```
pub struct LeanImt<H: Hasher, const N: usize> {
    levels: Vec<Arc<Vec<Digest>>>,
    /// Buffers [`reserve`](Self::reserve) allocated for levels the tree does
    /// not have yet, by level number; a level takes its own when it appears.
    reserved: Vec<Vec<Digest>>,
    parallelism: Parallelism,
    hasher: PhantomData<H>,
}

/// Configures a [`LeanImt`]'s parallelism.
///
/// ```
/// use parmine::hash::Sha256;
/// use parmine::merkle::LeanImt;
///
/// let tree = LeanImt::<Sha256, 2>::builder().threshold(4096).task(128).build()?;
/// assert_eq!(tree.parallelism().threshold, 4096);
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Builder<H: Hasher, const N: usize> {
    parallelism: Parallelism,
    hasher: PhantomData<H>,
}

impl<H: Hasher, const N: usize> Builder<H, N> {
    /// Levels with at least this many parents to compute go parallel.
    pub fn threshold(mut self, parents: usize) -> Self {
        self.parallelism.threshold = parents;
        self
    }

    /// Parents per parallel task.
    pub fn task(mut self, parents: usize) -> Self {
        self.parallelism.task = parents;
        self
    }

    /// Both at once.
    pub fn parallelism(mut self, parallelism: Parallelism) -> Self {
        self.parallelism = parallelism;
        self
    }

    /// An empty tree.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a task of 0 parents.
    pub fn build(self) -> Result<LeanImt<H, N>> {
        if self.parallelism.task == 0 {
            return Err(Error::InvalidArgument("a parallel task needs at least 1 parent".into()));
        }
        Ok(LeanImt::with_parallelism(self.parallelism))
    }
}

impl<H: Hasher, const N: usize> Default for LeanImt<H, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H: Hasher, const N: usize> LeanImt<H, N> {
    const ARITY_IN_RANGE: () = assert!(N >= MIN_ARITY && N <= MAX_ARITY, "arity must be 2 to 16");

    /// An empty tree with the default [`Parallelism`].
    pub fn new() -> Self {
        Self::with_parallelism(Parallelism::default())
    }

    /// A builder for a tree with other parallelism settings.
    pub fn builder() -> Builder<H, N> {
        #[allow(clippy::let_unit_value)]
        let () = Self::ARITY_IN_RANGE;
        Builder { parallelism: Parallelism::default(), hasher: PhantomData }
    }

    fn with_parallelism(parallelism: Parallelism) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::ARITY_IN_RANGE;
        LeanImt { levels: vec![Arc::new(Vec::new())], reserved: Vec::new(), parallelism, hasher: PhantomData }
    }

    /// The tree's parallelism settings.
    pub fn parallelism(&self) -> Parallelism {
        self.parallelism
    }

    /// Leaves in the tree.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// Hash layers above the leaves: ⌈log_N(size)⌉.
    pub fn depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// The root, or `None` for an empty tree.
    pub fn root(&self) -> Option<Digest> {
        self.levels.last().and_then(|top| top.first()).copied()
    }

    /// Leaf `index`, if there is one.
    pub fn leaf(&self, index: u64) -> Option<Digest> {
        usize::try_from(index).ok().and_then(|i| self.levels[0].get(i)).copied()
    }

    /// Make room for a tree of `size` leaves: one vector per level.
    fn grow_to(&mut self, size: u64) {
        let depth = depth_for(size, N);
        while self.levels.len() < depth + 1 {
            let reserved = self.reserved.get_mut(self.levels.len()).map(std::mem::take);
            self.levels.push(Arc::new(reserved.unwrap_or_default()));
        }
    }

    /// Make room for `additional` more leaves: every level's vector grows to
    /// its length after them, so the `insert_many` that adds them allocates
    /// nothing. As with `Vec::reserve`, the memory comes from the calling
    /// thread's allocator.
    ///
    /// That matters for a bulk load run on a thread pool: without it each
    /// level is allocated by whichever pool thread reaches it, and with glibc
    /// a pool thread may be served by a secondary arena whose heaps (64 MB at
    /// most) cannot hold a million-leaf tree's levels, so they are mapped
    /// fresh from the kernel and faulted in on every build (measured: 2.5x
    /// the page faults, and the parallel build slower than the sequential
    /// one, in some processes and not others).
    ///
    /// ```
    /// use parmine::hash::{Blake3, Hasher};
    /// use parmine::merkle::LeanImt;
    ///
    /// let leaves: Vec<_> = (0u64..10_000).map(|i| Blake3::hash(&i.to_le_bytes())).collect();
    /// let mut tree = LeanImt::<Blake3, 2>::new();
    /// tree.reserve(leaves.len());
    /// assert_eq!((tree.size(), tree.depth(), tree.root()), (0, 0, None)); // room, not leaves
    /// let root = tree.insert_many(&leaves)?;
    /// assert_eq!(tree.depth(), 14);
    /// assert_eq!(tree.recompute_root()?, root);
    /// # Ok::<(), parmine::Error>(())
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let size = self.levels[0].len() + additional;
        let depth = depth_for(size as u64, N);
        if self.reserved.len() < depth + 1 {
            self.reserved.resize_with(depth + 1, Vec::new);
        }
        let mut len = size;
        for number in 0..=depth {
            // An existing level grows in place; a future one gets its buffer now.
            let level = match self.levels.get_mut(number) {
                Some(level) => Arc::make_mut(level),
                None => &mut self.reserved[number],
            };
            level.reserve(len.saturating_sub(level.len()));
            len = len.div_ceil(N);
        }
    }

    /// Append one leaf and return the new root. Updates one node per level,
    /// on the path from the new leaf to the root.
    pub fn insert(&mut self, leaf: Digest) -> Digest {
        let mut index = self.levels[0].len();
        Arc::make_mut(&mut self.levels[0]).push(leaf);
        self.grow_to(index as u64 + 1);
        for level in 0..self.depth() {
            let (lower, upper) = self.levels.split_at_mut(level + 1);
            // The new node is the last of its level, so its group runs to the end.
            let group = &lower[level][index - index % N..];
            let node = if group.len() == 1 { group[0] } else { H::hash_nodes(group) };
            let parents = Arc::make_mut(&mut upper[0]);
            index /= N;
            if index < parents.len() {
                parents[index] = node;
            } else {
                parents.push(node);
            }
        }
        self.root().expect("the tree has a leaf")
    }

    /// Append `leaves` and return the new root. Each level recomputes only the
    /// parents the new leaves change, in parallel when there are at least
    /// [`Parallelism::threshold`] of them, writing straight into the level
    /// above (no allocation per parent; each level grows at most once).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyBatch`] when `leaves` is empty.
    pub fn insert_many(&mut self, leaves: &[Digest]) -> Result<Digest> {
        if leaves.is_empty() {
            return Err(Error::EmptyBatch);
        }
        let old_size = self.levels[0].len();
        let new_size = old_size + leaves.len();
        self.grow_to(new_size as u64);
        // Parents before `first` have only old children and keep their hash.
        let mut first = old_size / N;
        let parallelism = self.parallelism;
        let (lower, upper) = self.levels.split_at_mut(1);
        let stored = Arc::make_mut(&mut lower[0]);
        if let Some(parents) = upper.first_mut() {
            // Leaves and their parents in one pass.
            let carried: Vec<Digest> = stored[first * N..].to_vec();
            let count = new_size.div_ceil(N) - first;
            fill_tail(stored, old_size, leaves.len(), |stored| {
                fill_tail(Arc::make_mut(parents), first, count, |out| {
                    store_and_hash_leaves::<H>(leaves, &carried, stored, N, out, parallelism);
                });
            });
            first /= N;
        } else {
            // A tree of one leaf: nothing to hash.
            stored.extend_from_slice(leaves);
        }
        for level in 1..self.depth() {
            let (lower, upper) = self.levels.split_at_mut(level + 1);
            let children = lower[level].as_slice();
            let count = children.len().div_ceil(N) - first;
            fill_tail(Arc::make_mut(&mut upper[0]), first, count, |out| {
                hash_level::<H>(children, N, first, out, self.parallelism);
            });
            first /= N;
        }
        Ok(self.root().expect("the tree has leaves"))
    }

    /// The root recomputed from the leaves alone, level by level, in parallel
    /// the same way as [`insert_many`](Self::insert_many) (e.g. to check a
    /// tree that was loaded from elsewhere). Two buffers serve every level.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyTree`] when there are no leaves.
    pub fn recompute_root(&self) -> Result<Digest> {
        let leaves = self.levels[0].as_slice();
        match leaves.len() {
            0 => return Err(Error::EmptyTree),
            1 => return Ok(leaves[0]),
            _ => {}
        }
        let mut current = Vec::new();
        fill_tail(&mut current, 0, leaves.len().div_ceil(N), |out| {
            hash_level::<H>(leaves, N, 0, out, self.parallelism);
        });
        let mut next = Vec::new();
        while current.len() > 1 {
            fill_tail(&mut next, 0, current.len().div_ceil(N), |out| {
                hash_level::<H>(&current, N, 0, out, self.parallelism);
            });
            std::mem::swap(&mut current, &mut next);
        }
        Ok(current[0])
    }

    /// An immutable view of the tree as it is now, cheap to take and to
    /// share between threads.
    pub fn snapshot(&self) -> Snapshot<H, N> {
        Snapshot { levels: self.levels.clone(), hasher: PhantomData }
    }
}

/// An immutable view of a [`LeanImt`]: proofs are made from it on any thread,
/// without locks, while the tree goes on changing.
#[derive(Clone)]
pub struct Snapshot<H: Hasher, const N: usize> {
    levels: Vec<Arc<Vec<Digest>>>,
    hasher: PhantomData<H>,
}

impl<H: Hasher, const N: usize> Snapshot<H, N> {
    /// Leaves in the snapshot.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// The root, or `None` when empty.
    pub fn root(&self) -> Option<Digest> {
        self.levels.last().and_then(|top| top.first()).copied()
    }

    /// An inclusion proof for leaf `index`.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyTree`] for an empty snapshot, [`Error::IndexOutOfRange`]
    /// for an index past the last leaf.
    pub fn proof(&self, index: u64) -> Result<Proof> {
        let size = self.size();
        if size == 0 {
            return Err(Error::EmptyTree);
        }
        if index >= size {
            return Err(Error::IndexOutOfRange { index, size });
        }
        let mut i = index as usize;
        let mut levels = Vec::with_capacity(self.levels.len() - 1);
        for level in &self.levels[..self.levels.len() - 1] {
            let start = i - i % N;
            let group = &level[start..(start + N).min(level.len())];
            let position = i - start;
            let siblings = if group.len() == 1 {
                Vec::new()
            } else {
                group.iter().enumerate().filter(|&(k, _)| k != position).map(|(_, d)| *d).collect()
            };
            levels.push(ProofLevel { position, siblings });
            i /= N;
        }
        Ok(Proof { leaf: self.levels[0][index as usize], index, size, arity: N, levels })
    }

    /// Proofs for many leaves, made in parallel on the current rayon pool.
    ///
    /// # Errors
    ///
    /// As [`proof`](Self::proof), for the first bad index.
    pub fn proofs(&self, indices: &[u64]) -> Result<Vec<Proof>> {
        indices.par_iter().map(|&i| self.proof(i)).collect()
    }
}
