//! The GPU jobs of a host that drives the device itself (the page, through
//! WebGPU from its driver worker): Rust prepares the plans and checks and
//! summarises what the device found, so the host's glue only dispatches.

use serde::{Deserialize, Serialize};

use super::defaults;
use crate::bench::{MineBench, MineRow, Sample, Stats, benchmark_blocks, nth};
use crate::block::Encoding;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::gpu::plan::{SLOTS, Slots};
use crate::gpu::{GpuMode, GpuPlan, SHADER, Tuning};
use crate::hash::HashAlgorithm;
use crate::limits;
use crate::mine::{Puzzle, Strategy};

/// The puzzles of a GPU run: block `i` of [`benchmark_blocks`] for `i` in
/// `0..blocks` (block 0 is the blog's, or the sample block of
/// `transactions`, as the `mine` job's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuPlansJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Leading zero hex digits.
    #[serde(default = "defaults::bench_difficulty")]
    pub difficulty: u32,
    /// Sample transactions in each block.
    #[serde(default)]
    pub transactions: usize,
    /// Blocks.
    #[serde(default = "one")]
    pub blocks: usize,
    /// Which candidate of a window the device reports.
    #[serde(default = "lowest")]
    pub mode: GpuMode,
}

fn one() -> usize {
    1
}

fn lowest() -> GpuMode {
    GpuMode::Lowest
}

/// The shader, a plan per block, and the shapes to calibrate over.
#[derive(Debug, Clone, Serialize)]
pub struct GpuPlans {
    /// `miner.wgsl`.
    pub shader: &'static str,
    /// A plan per block (each with its own midstate).
    pub plans: Vec<GpuPlan>,
    /// Shapes a calibration times (workgroups up to 256: trim to the
    /// adapter's limit).
    pub candidates: Vec<Tuning>,
    /// Seconds a dispatch should take.
    pub window_seconds: f64,
    /// Bounds of a window.
    pub min_window: u32,
    /// Bounds of a window.
    pub max_window: u32,
    /// One past the largest nonce the template's format writes.
    pub nonce_end: u64,
    /// Where each window's fields go in a plan's `params`.
    pub slots: Slots,
}

impl GpuPlansJob {
    /// The plans of `blocks` blocks, each reporting its lowest candidate.
    fn of(
        encoding: Encoding,
        hasher: HashAlgorithm,
        difficulty: u32,
        transactions: usize,
        blocks: usize,
    ) -> Self {
        GpuPlansJob { encoding, hasher, difficulty, transactions, blocks, mode: GpuMode::Lowest }
    }

    /// The puzzles.
    ///
    /// # Errors
    ///
    /// Bad options, or a message too long for the GPU.
    pub fn puzzles(&self) -> Result<Vec<Puzzle>> {
        let difficulty = self.checked()?;
        benchmark_blocks(self.blocks, self.transactions)?
            .iter()
            .map(|block| Puzzle::new(block, self.encoding, self.hasher, difficulty))
            .collect()
    }

    /// The last block's puzzle alone (what a check of one candidate needs).
    ///
    /// # Errors
    ///
    /// As [`puzzles`](Self::puzzles).
    fn last_puzzle(&self) -> Result<Puzzle> {
        let difficulty = self.checked()?;
        let first = benchmark_blocks(1, self.transactions)?.remove(0);
        Puzzle::new(&nth(&first, self.blocks as u64 - 1), self.encoding, self.hasher, difficulty)
    }

    /// The difficulty, once the block count and transactions are checked.
    fn checked(&self) -> Result<Difficulty> {
        let difficulty = Difficulty::from_hex_digits(self.difficulty)?;
        limits::check_samples(1, self.blocks)?;
        limits::check_transactions(self.transactions, self.blocks)?;
        Ok(difficulty)
    }

    /// The plans.
    ///
    /// # Errors
    ///
    /// As [`puzzles`](Self::puzzles).
    pub fn run(&self) -> Result<GpuPlans> {
        let puzzles = self.puzzles()?;
        Ok(GpuPlans {
            shader: SHADER,
            plans: puzzles.iter().map(|p| GpuPlan::new(p, self.mode)).collect::<Result<_>>()?,
            candidates: Tuning::candidates(256),
            window_seconds: Tuning::WINDOW_SECONDS,
            min_window: Tuning::MIN_WINDOW,
            max_window: Tuning::MAX_WINDOW,
            nonce_end: puzzles[0].template().nonce_format().end(),
            slots: SLOTS,
        })
    }
}

/// Whether a candidate the device reported meets the whole target of its
/// block (the device tests one digest word).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuCheckJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Leading zero hex digits.
    #[serde(default = "defaults::bench_difficulty")]
    pub difficulty: u32,
    /// Sample transactions in each block.
    #[serde(default)]
    pub transactions: usize,
    /// The block's index in the plans.
    pub block: usize,
    /// The candidate.
    pub nonce: u64,
}

impl GpuCheckJob {
    /// Whether the nonce is a proof of its block.
    ///
    /// # Errors
    ///
    /// Bad options.
    pub fn run(&self) -> Result<bool> {
        let blocks = self.block.saturating_add(1);
        let plans = GpuPlansJob::of(self.encoding, self.hasher, self.difficulty, self.transactions, blocks);
        Ok(plans.last_puzzle()?.verify(self.nonce))
    }
}

/// One timed GPU search: a block's proof, the nonces dispatched, the time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuSample {
    /// Index of the block.
    pub block: usize,
    /// The proof found.
    pub proof: u64,
    /// Nonces the dispatched windows covered.
    pub attempts: u64,
    /// Milliseconds of the search.
    pub ms: f64,
}

/// The benchmark row of a GPU run, as `parmine bench mine --json` rows: the
/// samples' proofs are checked, then summarised by the same code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuRowJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Leading zero hex digits.
    #[serde(default = "defaults::bench_difficulty")]
    pub difficulty: u32,
    /// Sample transactions in each block.
    #[serde(default)]
    pub transactions: usize,
    /// Runs per block.
    pub runs: usize,
    /// Blocks.
    pub blocks: usize,
    /// Every search, in order.
    pub samples: Vec<GpuSample>,
}

impl GpuRowJob {
    /// The row (speedup and efficiency left for `with_speedups`).
    ///
    /// # Errors
    ///
    /// Bad options, a sample whose proof is not one, or no samples.
    pub fn run(&self) -> Result<MineRow> {
        let plans =
            GpuPlansJob::of(self.encoding, self.hasher, self.difficulty, self.transactions, self.blocks);
        let puzzles = plans.puzzles()?;
        let mut samples = Vec::with_capacity(self.samples.len());
        for s in &self.samples {
            let puzzle = puzzles.get(s.block).ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "sample of block {}, but there are {} blocks",
                    s.block, self.blocks
                ))
            })?;
            if !puzzle.verify(s.proof) || !s.ms.is_finite() || s.ms < 0.0 {
                return Err(Error::InvalidArgument(format!(
                    "block {}: nonce {} is not a proof",
                    s.block, s.proof
                )));
            }
            samples.push(Sample {
                elapsed: std::time::Duration::from_secs_f64(s.ms / 1e3),
                work: s.attempts,
                useful: s.proof + 1,
            });
        }
        let stats = Stats::from_samples(&samples)
            .ok_or_else(|| Error::InvalidArgument("a GPU row needs at least one sample".into()))?;
        let bench = MineBench {
            encoding: self.encoding,
            hasher: self.hasher,
            strategies: vec![Strategy::Gpu],
            threads: vec![1],
            difficulty: self.difficulty,
            runs: self.runs,
            blocks: self.blocks,
            rounds: 1,
            transactions: self.transactions,
            kernel: None,
        };
        Ok(bench.row(Strategy::Gpu, 1, &stats))
    }
}
