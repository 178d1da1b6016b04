//! Measuring jobs the way the blog did, over more than one block.
//!
//! [`measure`] runs a job `runs` times on each of `blocks` different blocks
//! (the blog measured one block, and said itself that one block is a weak
//! benchmark: the time to mine it depends on where its lowest proof happens to
//! lie) and summarises the times as the blog did: mean, median, min, max and
//! standard deviation in milliseconds, plus candidates per second.

mod calibration;
mod hashing;
mod merkle;
mod mining;

use std::time::Duration;

use serde::Serialize;

pub use self::calibration::{Budget, Calibration, calibrate_sweep, fit_sweep, one_thread_rate, plan_sweep};
pub use self::hashing::{HashRates, KernelRate, PeerRatio, RATE_PATHS, hash_rates};
pub use self::merkle::{
    MerkleBench, MerkleRow, TreeBuild, build_tree, merkle_leaves, parents_in, prove_leaf,
};
pub use self::mining::{MineBench, MineRow, Partial, best_of_rounds, with_speedups};
use crate::block::Block;
use crate::error::{Error, Result};
use crate::mine::Mined;

/// Make the allocator keep freed memory, so that repeated large builds
/// measure hashing and not page faults.
///
/// Benchmarks build and drop trees of tens of megabytes again and again. By
/// default glibc maps every such block fresh from the kernel and unmaps it
/// when freed, so each build pays for faulting in and zeroing every page: the
/// benchmark then measures the kernel, and by how the previous run happened to
/// leave the heap, swings by 2x. Serving large blocks from the heap and
/// keeping freed memory makes runs comparable; both parmine and rotortree run
/// under the same setting. Natively on Linux with glibc; elsewhere nothing.
///
/// Call it first thing in a benchmark's `main`, before any thread starts.
///
/// # Examples
///
/// ```
/// parmine::bench::keep_freed_memory();
/// let leaves = parmine::bench::merkle_leaves(parmine::HashAlgorithm::Blake3, 1000);
/// assert_eq!(leaves.len(), 1000);
/// ```
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; no allocation is in flight.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}

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

/// The blocks a benchmark mines: block `i` is [`Block::sample`] with its
/// timestamp moved on by `i` seconds, each carrying the same `transactions`
/// sample transactions (with none, block 0 is the blog's own).
///
/// # Errors
///
/// More than [`Block::MAX_SAMPLE_TRANSACTIONS`].
///
/// # Examples
///
/// ```
/// use parmine::Block;
/// use parmine::bench::benchmark_blocks;
///
/// let blocks = benchmark_blocks(3, 10)?;
/// assert_eq!(blocks[1].timestamp, Block::BENCHMARK_TIMESTAMP + 1);
/// assert!(blocks.iter().all(|b| b.transactions.len() == 10));
/// assert_eq!(benchmark_blocks(1, 0)?[0], Block::benchmark());
/// # Ok::<(), parmine::Error>(())
/// ```
pub fn benchmark_blocks(count: usize, transactions: usize) -> Result<Vec<Block>> {
    let first = Block::sample(Block::BENCHMARK_TIMESTAMP, transactions)?;
    Ok((0..count as u64).map(|i| nth(&first, i)).collect())
}

/// Block `index` of [`benchmark_blocks`], from the first: they differ only
/// in their timestamps, one second apart.
pub(crate) fn nth(first: &Block, index: u64) -> Block {
    Block { timestamp: first.timestamp + index, ..first.clone() }
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
