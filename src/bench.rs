//! Measuring jobs the way the blog did, over more than one block.
//!
//! [`measure`] runs a job `runs` times on each of `blocks` different blocks
//! (the blog measured one block, and said itself that one block is a weak
//! benchmark: the time to mine it depends on where its lowest proof happens to
//! lie) and summarises the times as the blog did: mean, median, min, max and
//! standard deviation in milliseconds, plus candidates per second.

use std::time::Duration;

use serde::Serialize;

use crate::block::Block;
use crate::error::{Error, Result};
use crate::hash::{Digest, HashAlgorithm, Hasher};
use crate::merkle::{LeanImt, Parallelism, Proof};
use crate::mine::Mined;

/// One timed run of a job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// Hashes (candidates, or Merkle parents) the run computed.
    pub work: u64,
    /// The part of `work` that was needed (see [`Mined::useful_attempts`]).
    pub useful: u64,
}

impl From<&Mined> for Sample {
    fn from(m: &Mined) -> Sample {
        Sample { elapsed: m.elapsed, work: m.attempts, useful: m.useful_attempts }
    }
}

/// Summary of a set of samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Number of samples.
    pub samples: usize,
    /// Mean time, ms.
    pub mean_ms: f64,
    /// Median time, ms.
    pub median_ms: f64,
    /// Shortest time, ms.
    pub min_ms: f64,
    /// Longest time, ms.
    pub max_ms: f64,
    /// Population standard deviation of the times, ms.
    pub stddev_ms: f64,
    /// Sum of the work of every sample.
    pub work: u64,
    /// Total work over total time, per second.
    pub work_per_sec: f64,
    /// Total useful work over total time, per second.
    pub useful_per_sec: f64,
}

impl Stats {
    /// Summarise `samples`; `None` when there are none.
    ///
    /// ```
    /// use std::time::Duration;
    /// use parmine::bench::{Sample, Stats};
    ///
    /// let ms = |m| Sample { elapsed: Duration::from_millis(m), work: 1000, useful: 500 };
    /// let stats = Stats::from_samples(&[ms(10), ms(30), ms(20)]).unwrap();
    /// assert_eq!((stats.median_ms, stats.min_ms, stats.max_ms), (20.0, 10.0, 30.0));
    /// assert_eq!(stats.work_per_sec, 3000.0 / 0.060);
    /// assert_eq!(stats.useful_per_sec, 1500.0 / 0.060);
    /// ```
    pub fn from_samples(samples: &[Sample]) -> Option<Stats> {
        if samples.is_empty() {
            return None;
        }
        let mut ms: Vec<f64> = samples.iter().map(|s| s.elapsed.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        let total_ms: f64 = ms.iter().sum();
        let mean = total_ms / n as f64;
        let median = if n % 2 == 1 { ms[n / 2] } else { (ms[n / 2 - 1] + ms[n / 2]) / 2.0 };
        let variance = ms.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / n as f64;
        let work: u64 = samples.iter().map(|s| s.work).sum();
        let useful: u64 = samples.iter().map(|s| s.useful).sum();
        let seconds = (total_ms / 1e3).max(1e-12);
        Some(Stats {
            samples: n,
            mean_ms: mean,
            median_ms: median,
            min_ms: ms[0],
            max_ms: ms[n - 1],
            stddev_ms: variance.sqrt(),
            work,
            work_per_sec: work as f64 / seconds,
            useful_per_sec: useful as f64 / seconds,
        })
    }
}

/// The blocks a benchmark mines: block `i` is the blog's benchmark block with
/// its timestamp moved on by `i` seconds (block 0 is the blog's own).
pub fn benchmark_blocks(count: usize) -> Vec<Block> {
    let genesis = Block::genesis();
    (0..count as u64).map(|i| Block::new(Block::BENCHMARK_TIMESTAMP + i, Vec::new(), &genesis)).collect()
}

/// Run `job(block)` for every block in `0..blocks`, `runs` times over, and
/// summarise. Each round visits every block once, so slow drift of a shared
/// machine spreads over all blocks alike.
///
/// # Errors
///
/// The first error a job returns.
pub fn measure(runs: usize, blocks: usize, mut job: impl FnMut(usize) -> Result<Sample>) -> Result<Stats> {
    let mut samples = Vec::with_capacity(runs * blocks);
    for _ in 0..runs {
        for block in 0..blocks {
            samples.push(job(block)?);
        }
    }
    Stats::from_samples(&samples)
        .ok_or_else(|| Error::InvalidArgument("a measurement needs at least one run and one block".into()))
}

/// The benchmark's Merkle leaves: leaf `i` is the digest of `i` as 8
/// little-endian bytes, for `i` in `0..count` (computed in parallel).
pub fn merkle_leaves(algorithm: HashAlgorithm, count: u64) -> Vec<Digest> {
    use rayon::prelude::*;
    crate::with_hasher!(algorithm, H => (0..count).into_par_iter().map(|i| H::hash(&i.to_le_bytes())).collect())
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
/// `insert_many`, on the current rayon pool, and time it.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for a bad arity, [`Error::EmptyBatch`] for no leaves.
pub fn build_tree(
    algorithm: HashAlgorithm,
    arity: usize,
    leaves: &[Digest],
    parallelism: Parallelism,
) -> Result<TreeBuild> {
    crate::with_hasher!(algorithm, H => crate::with_arity!(arity, N => build_tree_with::<H, N>(leaves, parallelism))?)
}

fn build_tree_with<H: Hasher, const N: usize>(
    leaves: &[Digest],
    parallelism: Parallelism,
) -> Result<TreeBuild> {
    let start = web_time::Instant::now();
    let mut tree = LeanImt::<H, N>::builder().parallelism(parallelism).build()?;
    let root = tree.insert_many(leaves)?;
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
    crate::with_hasher!(algorithm, H => crate::with_arity!(arity, N => {
        let mut tree = LeanImt::<H, N>::new();
        let root = tree.insert_many(leaves)?;
        let proof = tree.snapshot().proof(index)?;
        let verified = crate::merkle::verify::<H>(&proof, &root);
        (proof, verified)
    }))
}
