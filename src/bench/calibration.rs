//! Calibrated sweeps: measure the one-thread rate briefly, choose the
//! difficulty, then mine the sweep's own blocks once to learn how much work
//! they hold, so that every point of a sweep lasts long enough to measure
//! and the whole sweep stays within a time budget.
//!
//! A sweep whose points last a few milliseconds measures thread start-up,
//! timer resolution and scheduler noise, not the strategies: the page's old
//! defaults (difficulty 4, 3 blocks) gave two-thread "efficiencies" anywhere
//! from 0.7 to 1.4. The difficulty is in hex digits (16x steps), so it sets
//! the order of magnitude and the block count does the fine tuning.
//!
//! Two things made planned sweeps come out shorter than planned, and are
//! why the blocks are fitted rather than counted from an expectation: a
//! block's proof lies anywhere (eight blocks at difficulty 5 held 5.2M
//! candidates where 8.4M were expected), and a fresh browser instance runs
//! its first second of wasm in a baseline tier (a 300 ms measure read 1.9M/s
//! where the warm loop does 3.3M/s). The fit mines the blocks themselves
//! with the sequential loop and keeps the best rate it sees, so it corrects
//! both; where that rate chooses a higher difficulty than the first read
//! did, the blocks are fitted again at it ([`calibrate_sweep`]).

use std::time::Duration;

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
    /// Rounds of the sweep: every point is timed once per round, the rounds
    /// one after another, and each point keeps its fastest round (see
    /// [`best_of_rounds`](super::best_of_rounds)).
    pub rounds: usize,
    /// Expected candidates to mine one block (16^difficulty).
    pub attempts_per_block: f64,
    /// Candidates the sequential loop hashes over the blocks, once: their
    /// proofs added up where the blocks were fitted, else the expectation.
    pub attempts_per_point: f64,
    /// Seconds of one round of the point with the most threads (the
    /// shortest).
    pub shortest_point_seconds: f64,
    /// Expected seconds of the whole sweep, proofs included.
    pub expected_seconds: f64,
}

/// How a sweep is to be sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Seconds the sweep should take.
    pub seconds: f64,
    /// Seconds one round of the shortest point should last at least, where
    /// the budget allows (it gives way when both cannot hold).
    pub min_point_seconds: f64,
    /// Rounds: how many times each point is timed.
    pub rounds: usize,
    /// The highest difficulty to choose.
    pub max_difficulty: u32,
    /// The most blocks to choose.
    pub max_blocks: usize,
}

impl Budget {
    /// The fewest blocks a calibrated sweep mines.
    pub const MIN_BLOCKS: usize = 2;

    /// The least share of a point's work the fitted blocks may hold when a
    /// last block would overshoot it by more (see [`fit_sweep`]): a point
    /// then lasts at least 80% of its share (of `min_point_seconds`, where
    /// that sets the share: 0.4 s, eight times the page's "too short" mark).
    /// At 90%, a two-core machine's default sweep at difficulty 5 kept
    /// seven blocks (3.18M candidates) below 3.53M/s and eight (5.19M)
    /// above it, and lasted either 28 s or 38 s; at 80% it keeps seven up
    /// to 3.97M/s.
    pub const NEAR_SHARE: f64 = 0.8;

    /// The fewest expected blocks a point's work must hold for a
    /// difficulty to be chosen. More blocks average out where each block's
    /// proof lies, but a higher difficulty with fewer blocks serves the
    /// measure better: each block costs a parallel point a start and an end
    /// (find-first's last window, a thread finishing its batch past the
    /// proof), a smaller share of a bigger block. Under 2, because a browser's
    /// first rate is read partly in its baseline tier: at 2, this machine's
    /// first reads of 1.8–2.3M/s chose difficulty 4 (16 batches a block) in
    /// some page loads, where its warm 3.4M/s chooses 5. Not under 1.5, or
    /// the fit's whole blocks could overshoot the budget by more than a third.
    pub const LEAST_EXPECTED_BLOCKS: f64 = 1.5;

    /// Seconds of one-thread work per point and round: the budget spread
    /// over the rounds and points (a point on t threads takes 1/t of it),
    /// but at least enough for the shortest point to last
    /// `min_point_seconds`, up to twice the budget (a many-core machine's
    /// widest point then lasts less, rather than its one-thread points for
    /// minutes).
    fn unit_seconds(&self, points: &[usize]) -> f64 {
        let most_threads = points.iter().copied().max().unwrap_or(1).max(1) as f64;
        let share = self.seconds / (weight(points) * self.rounds.max(1) as f64);
        (self.min_point_seconds * most_threads).clamp(share, 2.0 * share)
    }
}

/// One-thread seconds per second of one-thread work over all points.
fn weight(points: &[usize]) -> f64 {
    points.iter().map(|&t| 1.0 / t.max(1) as f64).sum::<f64>().max(1e-9)
}

/// The plan for `attempts` candidates per one-thread point at `rate`.
fn plan(
    rate: f64,
    difficulty: u32,
    blocks: usize,
    attempts: f64,
    points: &[usize],
    proofs: usize,
    budget: Budget,
) -> Calibration {
    let most_threads = points.iter().copied().max().unwrap_or(1).max(1) as f64;
    let per_block = 16f64.powi(difficulty as i32);
    let rounds = budget.rounds.max(1);
    Calibration {
        rate_per_thread: rate,
        difficulty,
        runs: 1,
        blocks,
        rounds,
        attempts_per_block: per_block,
        attempts_per_point: attempts,
        shortest_point_seconds: attempts / rate / most_threads,
        expected_seconds: (attempts * weight(points) * rounds as f64 + proofs as f64 * per_block) / rate,
    }
}

/// Choose difficulty and blocks for a sweep of `points` (each point's thread
/// count: 1 for the single-threaded strategies) at `rate` candidates per
/// second per thread, with one extra block per strategy (its proof) counted
/// in `proofs`, from the expected work of a block (16^difficulty).
///
/// Parallel points are assumed to scale perfectly, so a point's expected time
/// is its candidates over `rate × threads`. [`fit_sweep`] then replaces the
/// expectation with the blocks' real proofs.
///
/// # Examples
///
/// ```
/// use parmine::bench::{Budget, plan_sweep};
///
/// let budget = Budget { seconds: 20.0, min_point_seconds: 0.5, rounds: 3, max_difficulty: 7, max_blocks: 100 };
/// // Two single-threaded strategies and four parallel ones on 1 and 2 threads.
/// let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
/// let slow = plan_sweep(1.0e6, &points, 6, budget);
/// let fast = plan_sweep(3.0e7, &points, 6, budget);
/// assert!(slow.shortest_point_seconds >= 0.5 && slow.expected_seconds <= 30.0);
/// assert!(fast.difficulty > slow.difficulty);
/// ```
pub fn plan_sweep(rate: f64, points: &[usize], proofs: usize, budget: Budget) -> Calibration {
    let rate = rate.max(1.0);
    let attempts = budget.unit_seconds(points) * rate;
    // The largest difficulty that still leaves enough blocks per point.
    let mut difficulty = 1;
    while difficulty < budget.max_difficulty
        && 16f64.powi(difficulty as i32 + 1) * Budget::LEAST_EXPECTED_BLOCKS <= attempts
    {
        difficulty += 1;
    }
    let per_block = 16f64.powi(difficulty as i32);
    // The nearest whole number of blocks, but not below what the shortest
    // point needs.
    let most_threads = points.iter().copied().max().unwrap_or(1).max(1) as f64;
    let needed = (budget.min_point_seconds * most_threads * rate).min(attempts);
    let blocks = ((attempts / per_block).round().max((needed / per_block).ceil()) as usize)
        .clamp(Budget::MIN_BLOCKS, budget.max_blocks.max(1));
    plan(rate, difficulty, blocks, blocks as f64 * per_block, points, proofs, budget)
}

/// Fit the blocks of a `rough` plan ([`plan_sweep`]'s) to the work they
/// really hold: `mine_block(i)` mines block `i` with the sequential loop and
/// gives its useful candidates (proof + 1) and time. Blocks are added, in
/// order, until their proofs add up to a point's share of the budget at the
/// best rate seen over stretches of at least 100 ms (a slow start, a
/// baseline tier or a busy neighbour only ever lowers a rate), and the
/// plan's rate becomes that rate. The last block is left out again where
/// the others come nearer the share and hold at least
/// [`Budget::NEAR_SHARE`] of it.
///
/// # Errors
///
/// The first error `mine_block` returns (a cancel).
pub fn fit_sweep(
    rough: &Calibration,
    points: &[usize],
    proofs: usize,
    budget: Budget,
    mut mine_block: impl FnMut(usize) -> Result<(u64, Duration)>,
) -> Result<Calibration> {
    let unit = budget.unit_seconds(points);
    let most = budget.max_blocks.max(Budget::MIN_BLOCKS);
    let mut rate = rough.rate_per_thread.max(1.0);
    let (mut blocks, mut attempts, mut last) = (0usize, 0u64, 0u64);
    let (mut stretch_attempts, mut stretch) = (0u64, Duration::ZERO);
    while blocks < most && (blocks < Budget::MIN_BLOCKS || (attempts as f64) < unit * rate) {
        let (useful, elapsed) = mine_block(blocks)?;
        blocks += 1;
        attempts += useful;
        last = useful;
        stretch_attempts += useful;
        stretch += elapsed;
        if stretch >= Duration::from_millis(100) {
            rate = rate.max(stretch_attempts as f64 / stretch.as_secs_f64());
            (stretch_attempts, stretch) = (0, Duration::ZERO);
        }
    }
    // The last block may hold several times a point's share (a proof lies
    // anywhere: eight blocks at difficulty 5 ended with one of 2.0M after
    // seven of 3.2M, for a share of 3.5M). Without it the point is nearer
    // its share, and short of it by little: then it is left out.
    let (target, without) = (unit * rate, attempts - last);
    if blocks > Budget::MIN_BLOCKS
        && without as f64 >= Budget::NEAR_SHARE * target
        && target - (without as f64) < attempts as f64 - target
    {
        (blocks, attempts) = (blocks - 1, without);
    }
    Ok(plan(rate, rough.difficulty, blocks, attempts as f64, points, proofs, budget))
}

/// Plan a sweep from a first `rate` and fit its blocks ([`plan_sweep`],
/// [`fit_sweep`]); `mine_block(difficulty, i)` mines block `i` at that
/// difficulty with the sequential loop. Where the fit's rate chooses a higher
/// difficulty than the first rate did (a first read in a browser's baseline
/// tier), the blocks are fitted again at that difficulty: a difficulty only
/// rises, so this ends.
///
/// # Errors
///
/// The first error `mine_block` returns (a cancel).
pub fn calibrate_sweep(
    rate: f64,
    points: &[usize],
    proofs: usize,
    budget: Budget,
    mut mine_block: impl FnMut(u32, usize) -> Result<(u64, Duration)>,
) -> Result<Calibration> {
    let mut plan = plan_sweep(rate, points, proofs, budget);
    loop {
        let difficulty = plan.difficulty;
        let fitted = fit_sweep(&plan, points, proofs, budget, |i| mine_block(difficulty, i))?;
        let warm = plan_sweep(fitted.rate_per_thread, points, proofs, budget);
        if warm.difficulty <= difficulty {
            return Ok(fitted);
        }
        plan = warm;
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
        Budget { seconds: 20.0, min_point_seconds: 0.5, rounds: 3, max_difficulty: 7, max_blocks: 100 };

    #[test]
    fn every_point_long_enough_and_the_sweep_within_budget_on_two_cores() {
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        for rate in [3e5, 1e6, 2e6, 5e6, 1.3e7, 4e7] {
            let plan = plan_sweep(rate, &points, 6, BUDGET);
            assert!(plan.shortest_point_seconds >= 0.5, "{rate}: {plan:?}");
            // About 30 s: a difficulty step is 16x, so the whole blocks can
            // overshoot the budget by up to half a block each (3 at 40M/s).
            let most = if rate <= 1.3e7 { 30.0 } else { 34.0 };
            assert!(plan.expected_seconds <= most, "{rate}: {plan:?}");
            assert_eq!(plan.rounds, 3);
            assert!(plan.blocks >= Budget::MIN_BLOCKS, "{rate}: {plan:?}");
        }
    }

    #[test]
    fn a_point_of_one_and_a_half_blocks_takes_the_higher_difficulty() {
        // The page's points: a second of one-thread work each.
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        let per_block = 16f64.powi(5);
        for rate in [1.6e6, 1.9e6, 2.3e6, 3.4e6] {
            assert_eq!(plan_sweep(rate, &points, 6, BUDGET).difficulty, 5, "{rate}");
        }
        let below = 0.99 * Budget::LEAST_EXPECTED_BLOCKS * per_block;
        assert_eq!(plan_sweep(below, &points, 6, BUDGET).difficulty, 4);
    }

    #[test]
    fn a_faster_rate_gets_more_work_per_point() {
        let points = [1, 1, 2, 2];
        let mut last = 0.0;
        for rate in [1e6, 3e6, 1e7, 3e7] {
            let plan = plan_sweep(rate, &points, 2, BUDGET);
            let work = plan.attempts_per_point;
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

    /// A fake miner: block `i` holds `proofs[i % len]` candidates, hashed at
    /// `rate(i)` per second.
    fn blocks_of(
        proofs: &[u64],
        rate: impl Fn(usize) -> f64,
    ) -> impl FnMut(usize) -> Result<(u64, Duration)> {
        let proofs = proofs.to_vec();
        move |i| {
            let useful = proofs[i % proofs.len()];
            Ok((useful, Duration::from_secs_f64(useful as f64 / rate(i))))
        }
    }

    #[test]
    fn fitted_blocks_hold_a_points_work_whatever_their_proofs() {
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        let rough = plan_sweep(3e6, &points, 6, BUDGET);
        // Proofs far below the expectation (16^5 = 1,048,576): more blocks.
        let low =
            fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&[200_000, 50_000, 400_000], |_| 3e6)).unwrap();
        assert!(low.blocks > rough.blocks, "{low:?} vs {rough:?}");
        assert!(low.shortest_point_seconds >= Budget::NEAR_SHARE * 0.5 - 1e-9, "{low:?}");
        assert!(low.shortest_point_seconds < 0.6, "{low:?}");
        // Proofs far above it: fewer blocks, but never under the minimum.
        let high = fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&[4_000_000], |_| 3e6)).unwrap();
        assert_eq!(high.blocks, Budget::MIN_BLOCKS);
        assert_eq!(high.attempts_per_point, 8e6);
    }

    #[test]
    fn a_last_block_far_past_the_share_is_left_out_when_the_others_come_near_it() {
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        let rough = plan_sweep(3.5e6, &points, 6, BUDGET);
        // A share of 3.5M: five blocks hold 3.25M, a sixth would bring 5.25M.
        let five = [650_000; 5];
        let far =
            fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&[&five[..], &[2_000_000]].concat(), |_| 3.5e6));
        let far = far.unwrap();
        assert_eq!((far.blocks, far.attempts_per_point), (5, 3.25e6), "{far:?}");
        // A sixth that brings 3.65M is nearer the share: it stays.
        let near =
            fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&[&five[..], &[400_000]].concat(), |_| 3.5e6));
        assert_eq!(near.unwrap().blocks, 6);
        // Four that hold 2.6M are too far below it (under 80%): the fifth stays.
        let four = [650_000, 650_000, 650_000, 650_000, 2_000_000];
        assert_eq!(fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&four, |_| 3.5e6)).unwrap().blocks, 5);
        // Blocks like the default sweep's at difficulty 5, at 3.8M/s: seven
        // hold 3.18M (84% of the share), an eighth brings 5.19M. Seven, and
        // the sweep stays near its budget.
        let chain = [454_000; 7];
        let eighth = [2_012_000];
        let rough = plan_sweep(3.8e6, &points, 6, BUDGET);
        let fitted =
            fit_sweep(&rough, &points, 6, BUDGET, blocks_of(&[&chain[..], &eighth].concat(), |_| 3.8e6));
        assert_eq!(fitted.unwrap().blocks, 7);
    }

    #[test]
    fn a_fit_keeps_the_best_rate_it_sees_and_sizes_the_points_for_it() {
        let points = [1, 2];
        // The rough rate was measured in a baseline tier at half speed; the
        // blocks run at full speed after the first few.
        let rough = plan_sweep(1.5e6, &points, 1, BUDGET);
        let fitted = fit_sweep(
            &rough,
            &points,
            1,
            BUDGET,
            blocks_of(&[1_000_000], |i| if i < 3 { 1.5e6 } else { 3e6 }),
        )
        .unwrap();
        assert!((fitted.rate_per_thread - 3e6).abs() < 1e3, "{fitted:?}");
        assert!(fitted.shortest_point_seconds >= 0.5 - 1e-9, "{fitted:?}");
        assert!(fitted.attempts_per_point >= 2.0 * rough.attempts_per_point * 0.9, "{fitted:?} vs {rough:?}");
    }

    #[test]
    fn a_first_rate_read_slow_is_fitted_again_at_the_warm_rates_difficulty() {
        let points = [1, 1, 1, 2, 1, 2, 1, 2, 1, 2];
        let mut mined = Vec::new();
        // Read at 1.2M/s (difficulty 4), mined at 3.4M/s: difficulty 5, whose
        // blocks are the ones fitted.
        let fitted = calibrate_sweep(1.2e6, &points, 6, BUDGET, |difficulty, i| {
            mined.push(difficulty);
            let useful = 16u64.pow(difficulty);
            Ok((useful, Duration::from_secs_f64(useful as f64 / 3.4e6 * (1.0 + i as f64 / 100.0))))
        })
        .unwrap();
        assert_eq!(fitted.difficulty, 5, "{fitted:?}");
        assert_eq!(mined.first(), Some(&4));
        assert_eq!(mined.last(), Some(&5));
        let fives = mined.iter().filter(|&&d| d == 5).count();
        assert!(fitted.blocks == fives || fitted.blocks + 1 == fives, "{fitted:?}: {mined:?}");
        assert!(fitted.shortest_point_seconds >= Budget::NEAR_SHARE * 0.5 - 1e-9, "{fitted:?}");
        // A rate read right is fitted once.
        let mut fits = 0;
        let once = calibrate_sweep(3.4e6, &points, 6, BUDGET, |difficulty, _| {
            fits += usize::from(difficulty != 5);
            Ok((16u64.pow(difficulty), Duration::from_secs_f64(16f64.powi(difficulty as i32) / 3.4e6)))
        })
        .unwrap();
        assert_eq!((once.difficulty, fits), (5, 0));
    }

    #[test]
    fn a_fit_stops_at_the_most_blocks_and_passes_errors_on() {
        let points = [1, 2];
        let rough = plan_sweep(3e6, &points, 1, BUDGET);
        let capped = fit_sweep(&rough, &points, 1, BUDGET, blocks_of(&[1], |_| 3e6)).unwrap();
        assert_eq!(capped.blocks, BUDGET.max_blocks);
        let cancelled = fit_sweep(&rough, &points, 1, BUDGET, |_| Err(Error::Cancelled { attempts: 0 }));
        assert_eq!(cancelled.err(), Some(Error::Cancelled { attempts: 0 }));
    }
}
