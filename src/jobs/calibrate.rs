//! The calibration job: measure this host's one-thread rate for a sweep's
//! block, choose the difficulty, fit the blocks to the work they hold, and
//! size the sweep in rounds (`parmine bench mine --calibrate`, the page's
//! default Run).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::bench::{BenchMineJob, Strategies};
use super::defaults;
use crate::bench::{Budget, Calibration, benchmark_blocks, calibrate_sweep, nth, one_thread_rate};
use crate::block::Encoding;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel};
use crate::limits;
use crate::mine::{Control, Miner, Puzzle, Strategy};

/// Options of a calibration: the sweep to size and its time budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrateJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Strategies the sweep runs.
    #[serde(default)]
    pub strategies: Strategies,
    /// Thread counts the sweep runs the parallel strategies on.
    #[serde(default)]
    pub threads: Vec<usize>,
    /// Sample transactions in each block.
    #[serde(default)]
    pub transactions: usize,
    /// Hashing kernel [default: the fastest this host has].
    #[serde(default)]
    pub kernel: Option<Kernel>,
    /// Seconds the whole sweep should take.
    #[serde(default = "defaults::sweep_seconds")]
    pub seconds: f64,
    /// Milliseconds of the first measure of the rate (after a warm-up of at
    /// least as long); the fit of the blocks then corrects it.
    #[serde(default = "defaults::calibrate_ms")]
    pub ms: f64,
}

/// What a calibration found and chose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrateReport {
    /// The plan.
    #[serde(flatten)]
    pub calibration: Calibration,
    /// The sweep's (strategy, threads) points it was sized for.
    pub points: usize,
}

impl CalibrateJob {
    /// The calibration of a benchmark's sweep (its block, strategies and
    /// thread counts), with the default budget.
    pub fn for_bench(job: &BenchMineJob) -> CalibrateJob {
        CalibrateJob {
            encoding: job.encoding,
            hasher: job.hasher,
            strategies: job.strategies.clone(),
            threads: job.threads.clone(),
            transactions: job.transactions,
            kernel: job.kernel,
            seconds: defaults::sweep_seconds(),
            ms: defaults::calibrate_ms(),
        }
    }

    /// Measure, plan and fit: after a first measure of the rate, the
    /// sweep's blocks are mined once with the sequential loop (counted on
    /// `control`'s attempts, and stopped by its cancel), about one point's
    /// work; again at a higher difficulty where the rate they ran at chooses
    /// one ([`calibrate_sweep`]).
    ///
    /// # Errors
    ///
    /// Bad options: no strategies or threads, thread counts, transactions,
    /// a kernel or a budget out of range; or a cancel.
    pub fn run(&self, control: Option<Arc<Control>>) -> Result<CalibrateReport> {
        if !(self.seconds > 0.0 && self.seconds <= limits::LIMITS.max_sweep_seconds) {
            return Err(Error::InvalidArgument(format!(
                "the sweep's seconds must be above 0 and at most {}",
                limits::LIMITS.max_sweep_seconds
            )));
        }
        if !(self.ms > 0.0 && self.ms <= limits::LIMITS.max_hash_ms) {
            return Err(Error::InvalidArgument(format!(
                "the calibration's ms must be above 0 and at most {}",
                limits::LIMITS.max_hash_ms
            )));
        }
        let bench = BenchMineJob {
            encoding: self.encoding,
            hasher: self.hasher,
            strategies: self.strategies.clone(),
            threads: self.threads.clone(),
            transactions: self.transactions,
            kernel: self.kernel,
            ..BenchMineJob::default()
        }
        .bench();
        // The sweep's thread counts are checked against the host's limit, not
        // against the pool this runs on: a page calibrates on the pool of its
        // first point, which may be smaller than the sweep's largest.
        if bench.strategies.is_empty() || bench.threads.is_empty() {
            return Err(Error::InvalidArgument("choose at least one strategy and one thread count".into()));
        }
        for &threads in &bench.threads {
            if threads == 0 || threads > limits::LIMITS.max_threads {
                return Err(Error::ThreadsOutOfRange { given: threads, max: limits::LIMITS.max_threads });
            }
        }
        limits::check_transactions(self.transactions, 1)?;
        let points: Vec<usize> = bench.points().iter().map(|&(_, threads)| threads).collect();
        let rate = one_thread_rate(self.encoding, self.hasher, self.transactions, self.kernel, self.ms)?;
        let budget = Budget {
            seconds: self.seconds,
            min_point_seconds: defaults::min_point_seconds(),
            rounds: defaults::calibrated_rounds(),
            max_difficulty: limits::MAX_CALIBRATED_DIFFICULTY,
            max_blocks: limits::MAX_CALIBRATED_BLOCKS,
        };
        let proofs = bench.strategies.len();
        let mut miner = Miner::new(Strategy::Sequential);
        if let Some(kernel) = self.kernel {
            miner = miner.kernel(kernel);
        }
        if let Some(control) = control {
            miner = miner.control(control);
        }
        let first = benchmark_blocks(1, self.transactions)?.remove(0);
        let calibration = calibrate_sweep(rate, &points, proofs, budget, |difficulty, i| {
            let block = nth(&first, i as u64);
            let difficulty = Difficulty::from_hex_digits(difficulty)?;
            let mined = miner.mine(&Puzzle::new(&block, self.encoding, self.hasher, difficulty)?)?;
            Ok((mined.useful_attempts, mined.elapsed))
        })?;
        Ok(CalibrateReport { calibration, points: points.len() })
    }
}

impl BenchMineJob {
    /// These options with the difficulty, runs and blocks `calibration` chose.
    pub fn calibrated(&self, calibration: &Calibration) -> BenchMineJob {
        BenchMineJob {
            difficulty: calibration.difficulty,
            runs: calibration.runs,
            blocks: calibration.blocks,
            rounds: calibration.rounds,
            ..self.clone()
        }
    }
}
