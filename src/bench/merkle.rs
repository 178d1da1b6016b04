//! Merkle tree workloads: the leaves, a timed build, a proof, a benchmark.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Sample, Stats};
use crate::error::{Error, Result};
use crate::hash::{Digest, HashAlgorithm, Hasher};
use crate::limits;
use crate::merkle::{LeanImt, Parallelism, Proof};
use crate::pool::Pool;

/// The benchmark's Merkle leaves: leaf `i` is the digest of `i` as 8
/// little-endian bytes, for `i` in `0..count` (computed in parallel).
pub fn merkle_leaves(algorithm: HashAlgorithm, count: u64) -> Vec<Digest> {
    use rayon::prelude::*;
    crate::hash::with_hasher!(algorithm, H => (0..count).into_par_iter().map(|i| H::hash(&i.to_le_bytes())).collect())
}

/// A tree built from leaves, timed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeBuild {
    /// The root.
    #[serde(with = "crate::hash::serde_hex")]
    pub root: Digest,
    /// Leaves.
    pub size: u64,
    /// Hash layers above the leaves.
    pub depth: usize,
    /// Time of `insert_many` into an empty tree.
    #[serde(rename = "elapsed_ms", serialize_with = "crate::mine::serialize_ms")]
    pub elapsed: Duration,
    /// Parents hashed (or lifted).
    pub parents: u64,
}

/// Build a tree of arity `arity` (2 to 16) over `leaves` with one
/// `insert_many` on `pool`, and time it.
///
/// The tree's memory is reserved on the calling thread first (inside the
/// timed part) and only hashed into on the pool: see [`LeanImt::reserve`].
///
/// # Errors
///
/// [`Error::InvalidArgument`] for a bad arity, [`Error::EmptyBatch`] for no leaves.
pub fn build_tree(
    pool: &Pool,
    algorithm: HashAlgorithm,
    arity: usize,
    leaves: &[Digest],
    parallelism: Parallelism,
) -> Result<TreeBuild> {
    crate::hash::with_hasher!(algorithm, H => crate::with_arity!(arity, N => build_tree_with::<H, N>(pool, leaves, parallelism))?)
}

fn build_tree_with<H: Hasher, const N: usize>(
    pool: &Pool,
    leaves: &[Digest],
    parallelism: Parallelism,
) -> Result<TreeBuild> {
    let start = web_time::Instant::now();
    let mut tree = LeanImt::<H, N>::builder().parallelism(parallelism).build()?;
    tree.reserve(leaves.len());
    let root = pool.install(|| tree.insert_many(leaves))?;
    let elapsed = start.elapsed();
    let parents = parents_in(tree.size(), N);
    Ok(TreeBuild { root, size: tree.size(), depth: tree.depth(), elapsed, parents })
}

/// Nodes above the leaves of a tree of `size` leaves.
pub fn parents_in(size: u64, arity: usize) -> u64 {
    let mut len = size;
    let mut parents = 0;
    while len > 1 {
        len = len.div_ceil(arity as u64);
        parents += len;
    }
    parents
}

/// An inclusion proof for leaf `index` of the tree over `leaves`, and whether
/// it verifies against the tree's root.
///
/// # Errors
///
/// As [`build_tree`], and [`Error::IndexOutOfRange`].
pub fn prove_leaf(
    algorithm: HashAlgorithm,
    arity: usize,
    leaves: &[Digest],
    index: u64,
) -> Result<(Proof, bool)> {
    crate::hash::with_hasher!(algorithm, H => crate::with_arity!(arity, N => {
        let mut tree = LeanImt::<H, N>::new();
        let root = tree.insert_many(leaves)?;
        let proof = tree.snapshot().proof(index)?;
        let verified = crate::merkle::verify::<H>(&proof, &root);
        (proof, verified)
    }))
}

/// A Merkle benchmark point: parmine's tree built sequentially and in
/// parallel over the same leaves.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MerkleBench {
    /// Hash function.
    pub hasher: HashAlgorithm,
    /// Children per parent.
    pub arity: usize,
    /// Leaves.
    pub leaves: u64,
    /// Timed builds of each mode.
    pub runs: usize,
    /// Threads of the parallel build.
    pub threads: usize,
    /// Parents per level from which a level goes parallel.
    pub threshold: usize,
    /// Parents per parallel task.
    pub task: usize,
}

/// One implementation and mode at one Merkle benchmark point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerkleRow {
    /// `parmine` (or `rotortree`, from the command line).
    pub implementation: String,
    /// `sequential` or `parallel`.
    pub mode: String,
    /// Hash function.
    pub hasher: HashAlgorithm,
    /// Children per parent.
    pub arity: usize,
    /// Leaves.
    pub leaves: u64,
    /// Threads.
    pub threads: usize,
    /// Timed builds.
    pub runs: usize,
    /// Median build time, ms.
    pub median_ms: f64,
    /// Fastest build, ms.
    pub min_ms: f64,
    /// Mean build time, ms.
    pub mean_ms: f64,
    /// Leaves over the median time.
    pub leaves_per_sec: f64,
    /// For parmine rows, the other implementation's median over this one's.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ratio_vs_rotortree: Option<f64>,
}

impl MerkleRow {
    /// Summarise timed builds.
    pub fn new(
        implementation: &str,
        mode: &str,
        point: (HashAlgorithm, usize, u64),
        threads: usize,
        times: &[Duration],
    ) -> MerkleRow {
        let (hasher, arity, leaves) = point;
        let samples: Vec<Sample> =
            times.iter().map(|&elapsed| Sample { elapsed, work: leaves, useful: leaves }).collect();
        let stats = Stats::from_samples(&samples).expect("at least one timed build");
        MerkleRow {
            implementation: implementation.into(),
            mode: mode.into(),
            hasher,
            arity,
            leaves,
            threads,
            runs: times.len(),
            median_ms: stats.median_ms,
            min_ms: stats.min_ms,
            mean_ms: stats.mean_ms,
            leaves_per_sec: leaves as f64 / (stats.median_ms / 1e3),
            ratio_vs_rotortree: None,
        }
    }
}

impl MerkleBench {
    /// Time `runs` sequential and `runs` parallel builds, interleaved after one
    /// untimed warm-up of each, and return the root and the two rows.
    ///
    /// # Errors
    ///
    /// A bad arity, thread count, task, no leaves or no runs.
    pub fn run(&self) -> Result<(Digest, [MerkleRow; 2])> {
        let (root, rows, _) = self.run_with(|_, _| Ok(None))?;
        Ok((root, rows))
    }

    /// [`run`](Self::run), with another build timed in each round too:
    /// `also(leaves, root)` builds a tree of its own over the same leaves
    /// (checking it against parmine's root) and returns its time. Every round
    /// visits every build once, so that what one leaves in the allocator
    /// weighs on all alike; the first round warms up and is not counted.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run), and `also`'s.
    pub fn run_with(
        &self,
        mut also: impl FnMut(&[Digest], Digest) -> Result<Option<Duration>>,
    ) -> Result<(Digest, [MerkleRow; 2], Vec<Duration>)> {
        if self.runs == 0 {
            return Err(Error::InvalidArgument("runs must be at least 1".into()));
        }
        if self.leaves == 0 {
            return Err(Error::EmptyBatch);
        }
        limits::check_leaves(self.leaves)?;
        crate::merkle::check_arity(self.arity)?;
        let (one, many) = (Pool::inline(), Pool::new(self.threads)?);
        let leaves = many.install(|| merkle_leaves(self.hasher, self.leaves));
        let parallel = Parallelism { threshold: self.threshold, task: self.task };
        let (mut seq, mut par, mut other) = (Vec::new(), Vec::new(), Vec::new());
        let mut root = [0; 32];
        for round in 0..=self.runs {
            let s = build_tree(&one, self.hasher, self.arity, &leaves, Parallelism::SEQUENTIAL)?;
            let p = build_tree(&many, self.hasher, self.arity, &leaves, parallel)?;
            if s.root != p.root {
                return Err(Error::InvalidArgument("sequential and parallel roots differ".into()));
            }
            root = s.root;
            let o = also(&leaves, root)?;
            if round > 0 {
                seq.push(s.elapsed);
                par.push(p.elapsed);
                other.extend(o);
            }
        }
        let point = (self.hasher, self.arity, self.leaves);
        Ok((
            root,
            [
                MerkleRow::new("parmine", "sequential", point, 1, &seq),
                MerkleRow::new("parmine", "parallel", point, many.threads(), &par),
            ],
            other,
        ))
    }
}
