//! Calibrated sweeps: measure the one-thread rate briefly, then choose the
//! difficulty and the number of blocks so that every point of a sweep lasts
//! long enough to measure and the whole sweep stays within a time budget.
//!
//! A sweep whose points last a few milliseconds measures thread start-up,
//! timer resolution and scheduler noise, not the strategies: the page's old
//! defaults (difficulty 4, 3 blocks) gave two-thread "efficiencies" anywhere
//! from 0.7 to 1.4. The difficulty is in hex digits (16x steps), so it sets
//! the order of magnitude and the block count does the fine tuning.

use serde::{Deserialize, Serialize};
use web_time::Instant;

use crate::block::Encoding;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel};
use crate::mine::{Miner, Puzzle, Strategy};

use super::benchmark_blocks;

/// What a calibration chose, and from what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Candidates per second of the sequential loop on one thread.
    pub rate_per_thread: f64,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Runs per block.
    pub runs: usize,
    /// Different blocks.
    pub blocks: usize,
    /// Expected candidates to mine one block (16^difficulty).
    pub attempts_per_block: f64,
    /// Expected seconds of the point with the most threads (the shortest).
    pub shortest_point_seconds: f64,
    /// Expected seconds of the whole sweep, proofs included.
    pub expected_seconds: f64,
}

/// How a sweep is to be sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Seconds the sweep should take.
    pub seconds: f64,
    /// Seconds the shortest point should last at least, where the budget
    /// allows (it gives way when both cannot hold).
    pub min_point_seconds: f64,
    /// The highest difficulty to choose.
    pub max_difficulty: u32,
    /// The most blocks to choose.
    pub max_blocks: usize,
}

impl Budget {
    /// The fewest blocks a calibrated sweep mines. More blocks average out
    /// where each block's proof lies, but a higher difficulty with fewer
    /// blocks serves the measure better: a deterministic parallel strategy
    /// wastes the candidates past the proof in its last window, a smaller
    /// share of a bigger block.
    pub const MIN_BLOCKS: usize = 2;
}

/// Choose difficulty and blocks for a sweep of `points` (each point's thread
/// count: 1 for the single-threaded strategies) at `rate` candidates per
/// second per thread, with one extra block per strategy (its proof) counted
/// in `proofs`.
///
/// Parallel points are assumed to scale perfectly, so a point's expected time
/// is its candidates over `rate × threads`.
///
/// # Examples
///
/// ```
/// use parmine::bench::{Budget, plan_sweep};
///
/// let budget = Budget { seconds: 20.0, min_point_seconds: 0.5, max_difficulty: 7, max_blocks: 100 };
/// // Two single-threaded strategies and four parallel ones on 1 and 2 threads.
/// let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
/// let slow = plan_sweep(1.0e6, &points, 6, budget);
/// let fast = plan_sweep(3.0e7, &points, 6, budget);
/// assert!(slow.shortest_point_seconds >= 0.5 && slow.expected_seconds <= 30.0);
/// assert!(fast.difficulty > slow.difficulty);
/// ```
pub fn plan_sweep(rate: f64, points: &[usize], proofs: usize, budget: Budget) -> Calibration {
    let rate = rate.max(1.0);
    // Seconds of one-thread work per point: the budget spread over the
    // points (a point on t threads takes 1/t of it), but at least enough for
    // the shortest point to last `min_point_seconds`.
    let weight: f64 = points.iter().map(|&t| 1.0 / t.max(1) as f64).sum::<f64>().max(1e-9);
    let most_threads = points.iter().copied().max().unwrap_or(1).max(1) as f64;
    let unit = (budget.seconds / weight).max(budget.min_point_seconds * most_threads);
    // The largest difficulty that still leaves several blocks per point.
    let attempts = unit * rate;
    let mut difficulty = 1;
    while difficulty < budget.max_difficulty
        && 16f64.powi(difficulty as i32 + 1) * Budget::MIN_BLOCKS as f64 <= attempts
    {
        difficulty += 1;
    }
    let per_block = 16f64.powi(difficulty as i32);
    let blocks =
        ((attempts / per_block).round() as usize).clamp(Budget::MIN_BLOCKS, budget.max_blocks.max(1));
    let block_seconds = per_block / rate;
    Calibration {
        rate_per_thread: rate,
        difficulty,
        runs: 1,
        blocks,
        attempts_per_block: per_block,
        shortest_point_seconds: blocks as f64 * block_seconds / most_threads,
        expected_seconds: (blocks as f64 * weight + proofs as f64) * block_seconds,
    }
}

/// Candidates per second of the sequential loop on one thread, for blocks
/// of `transactions` in `encoding` with `hasher` (and `kernel`): nonces from
/// 0 up are hashed against a target nothing meets, for at least `ms`
/// milliseconds after a warm-up (at least `ms`, until the rate holds steady).
///
/// # Errors
///
/// Bad settings (transactions past the limit, a kernel this machine lacks).
pub fn one_thread_rate(
    encoding: Encoding,
    hasher: HashAlgorithm,
    transactions: usize,
    kernel: Option<Kernel>,
    ms: f64,
) -> Result<f64> {
    let block = benchmark_blocks(1, transactions)?.remove(0);
    let unreachable = Difficulty::from_hex_digits(Difficulty::MAX_HEX_DIGITS)?;
    let puzzle = Puzzle::new(&block, encoding, hasher, unreachable)?;
    let mine = |range: std::ops::Range<u64>| -> Result<(u64, f64)> {
        let mut miner = Miner::new(Strategy::Sequential).range(range);
        if let Some(kernel) = kernel {
            miner = miner.kernel(kernel);
        }
        let start = Instant::now();
        match miner.mine(&puzzle) {
            Err(Error::Exhausted { attempts, .. }) => Ok((attempts, start.elapsed().as_secs_f64())),
            Err(other) => Err(other),
            Ok(mined) => Ok((mined.attempts, start.elapsed().as_secs_f64())),
        }
    };
    // Warm-up: at least `ms`, then until two chunks in a row run within 5%
    // of each other, at most three times `ms`. A browser runs new wasm code
    // in a baseline tier and swaps in optimized code some hundreds of
    // milliseconds later; timing before that would make the sequential
    // baseline of the sweep (the same code, timed first) look slow and every
    // efficiency look better than it is.
    let (mut next, mut chunk) = (0u64, 1024u64);
    let (mut warm, mut last_rate) = (0.0, 0.0);
    while warm < 3.0 * ms / 1e3 {
        let (attempts, seconds) = mine(next..next + chunk)?;
        next += chunk;
        warm += seconds;
        if seconds < ms / 1e4 {
            chunk *= 2;
            continue;
        }
        let rate = attempts as f64 / seconds.max(1e-9);
        if warm >= ms / 1e3 && (rate - last_rate).abs() <= 0.05 * rate {
            break;
        }
        last_rate = rate;
    }
    let (mut attempts, mut seconds) = (0u64, 0.0);
    while seconds < ms / 1e3 {
        let (a, s) = mine(next..next + chunk)?;
        next += chunk;
        attempts += a;
        seconds += s;
    }
    Ok(attempts as f64 / seconds.max(1e-9))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Budget =
        Budget { seconds: 20.0, min_point_seconds: 0.5, max_difficulty: 7, max_blocks: 100 };

    #[test]
    fn every_point_long_enough_and_the_sweep_within_budget_on_two_cores() {
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        for rate in [3e5, 1e6, 2e6, 5e6, 1.3e7, 4e7] {
            let plan = plan_sweep(rate, &points, 6, BUDGET);
            assert!(plan.shortest_point_seconds >= 0.5, "{rate}: {plan:?}");
            assert!(plan.expected_seconds <= 30.0, "{rate}: {plan:?}");
            assert!(plan.blocks >= Budget::MIN_BLOCKS, "{rate}: {plan:?}");
        }
    }

    #[test]
    fn a_faster_rate_gets_more_work_per_point() {
        let points = [1, 1, 2, 2];
        let mut last = 0.0;
        for rate in [1e6, 3e6, 1e7, 3e7] {
            let plan = plan_sweep(rate, &points, 2, BUDGET);
            let work = plan.attempts_per_block * plan.blocks as f64;
            assert!(work > last, "{rate}: {plan:?}");
            last = work;
        }
    }

    #[test]
    fn a_very_slow_rate_still_gives_a_plan_at_the_lowest_difficulty() {
        let plan = plan_sweep(10.0, &[1, 2], 1, BUDGET);
        assert_eq!(plan.difficulty, 1);
        assert!((Budget::MIN_BLOCKS..=100).contains(&plan.blocks), "{plan:?}");
    }

    #[test]
    fn the_measured_rate_is_positive() {
        let rate = one_thread_rate(Encoding::Header, HashAlgorithm::Sha256, 0, None, 20.0).unwrap();
        assert!(rate > 0.0 && rate.is_finite());
    }
}
