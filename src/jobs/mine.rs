//! Mine one block: `parmine mine` and the page's `mine` job.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::defaults;
use crate::block::{Block, Encoding, Header};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel, to_hex};
use crate::limits;
use crate::mine::{Control, Mined, Miner, Puzzle, Strategy};
use crate::pool::Pool;

/// Options of a mining job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct MineJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::encoding()))]
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::hasher()))]
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Search strategy: sequential, iterator, find-first, find-any, striped or chunked.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::strategy()))]
    #[serde(default = "defaults::strategy")]
    pub strategy: Strategy,
    /// Leading zero hex digits the hash must have (the blog's "000000" is 6).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::mine_difficulty()))]
    #[serde(default = "defaults::mine_difficulty")]
    pub difficulty: u32,
    /// Threads for the parallel strategies [default: all cores; in a
    /// browser, the whole pool].
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub threads: Option<usize>,
    /// Hashing kernel [default: the fastest this machine has for the hasher]:
    /// crate, scalar, sse4.1, avx2, avx512, sha-ni (SHA-256), simd128 (wasm).
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub kernel: Option<Kernel>,
    /// Timestamp of the block mined after genesis [default: the blog's 1524480511].
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::timestamp()))]
    #[serde(default = "defaults::timestamp")]
    pub timestamp: u64,
    /// Sample transactions the block carries (0: the blog's empty block).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0))]
    #[serde(default)]
    pub transactions: usize,
    /// A block of one's own to mine instead of a sample (the blog's JSON;
    /// its proof is replaced). The command line reads it with `--block FILE`.
    #[cfg_attr(feature = "cli", arg(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Block>,
    /// First nonce to try.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0))]
    #[serde(default)]
    pub start: u64,
    /// One past the last nonce to try [default: 2^64 - 1].
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::end()))]
    #[serde(default = "defaults::end")]
    pub end: u64,
    /// Include the hashed bytes in the report (the JSON text, or the header
    /// as hex), so that anyone can check the hash.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub message: bool,
}

impl Default for MineJob {
    fn default() -> Self {
        MineJob {
            encoding: defaults::encoding(),
            hasher: defaults::hasher(),
            strategy: defaults::strategy(),
            difficulty: defaults::mine_difficulty(),
            threads: None,
            kernel: None,
            timestamp: defaults::timestamp(),
            transactions: 0,
            block: None,
            start: 0,
            end: defaults::end(),
            message: false,
        }
    }
}

/// What a mining job found: the command line's `--json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MineReport {
    /// The proof, its hash, the attempts, the time, strategy and threads.
    #[serde(flatten)]
    pub mined: Mined,
    /// Candidates per second.
    pub attempts_per_sec: f64,
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    pub hasher: HashAlgorithm,
    /// The kernel candidates went through.
    pub kernel: Kernel,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Block index.
    pub index: u64,
    /// Block timestamp.
    pub timestamp: u64,
    /// Transactions in the block.
    pub transactions: usize,
    /// The transactions' Merkle root that the header commits, hex (`header`
    /// only; the blog's JSON carries the transactions themselves).
    pub merkle_root: Option<String>,
    /// The bytes that were hashed, when asked for: the block's JSON text, or
    /// the header as hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl MineJob {
    /// The block this job mines.
    fn block(&self) -> Result<Block> {
        match &self.block {
            Some(block) => {
                limits::check_transactions(block.transactions.len(), 1)?;
                Ok(block.clone())
            }
            None => {
                limits::check_transactions(self.transactions, 1)?;
                Block::sample(self.timestamp, self.transactions)
            }
        }
    }

    /// Check the options without mining.
    pub fn validate(&self) -> Result<()> {
        Difficulty::from_hex_digits(self.difficulty)?;
        Pool::check(self.threads())?;
        if self.start >= self.end {
            return Err(Error::EmptyRange { start: self.start, end: self.end });
        }
        if self.block.is_none() {
            limits::check_transactions(self.transactions, 1)?;
        }
        Ok(())
    }

    /// Threads the job runs on.
    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(Pool::default_threads)
    }

    /// The puzzle this job mines.
    pub fn puzzle(&self) -> Result<(Block, Puzzle)> {
        let difficulty = Difficulty::from_hex_digits(self.difficulty)?;
        let block = self.block()?;
        let puzzle = Puzzle::new(&block, self.encoding, self.hasher, difficulty)?;
        Ok((block, puzzle))
    }

    /// Mine, reporting progress to and taking cancellation from `control`.
    ///
    /// # Errors
    ///
    /// Bad options, a cancel, or no proof in the range.
    pub fn run(&self, control: Option<Arc<Control>>) -> Result<MineReport> {
        self.validate()?;
        let (block, puzzle) = self.puzzle()?;
        let mut miner = Miner::new(self.strategy).threads(self.threads()).range(self.start..self.end);
        if let Some(control) = control {
            miner = miner.control(control);
        }
        if let Some(kernel) = self.kernel {
            miner = miner.kernel(kernel);
        }
        let mined = miner.mine(&puzzle)?;
        self.report(&block, &puzzle, mined)
    }

    /// The report of `mined`, a proof of this job's puzzle found elsewhere
    /// (the page's WebGPU miner): checked here before it is reported.
    ///
    /// # Errors
    ///
    /// Bad options, or a nonce that is not a proof.
    pub fn report_found(&self, proof: u64, attempts: u64, elapsed_ms: f64) -> Result<MineReport> {
        self.validate()?;
        let (block, puzzle) = self.puzzle()?;
        if !puzzle.verify(proof) {
            return Err(Error::InvalidArgument(format!("nonce {proof} is not a proof of this block")));
        }
        let mined = Mined {
            proof,
            hash: puzzle.digest(proof),
            attempts,
            useful_attempts: Mined::useful_in_order(self.start, proof),
            elapsed: std::time::Duration::from_secs_f64(elapsed_ms.max(0.0) / 1e3),
            strategy: self.strategy,
            threads: 1,
        };
        self.report(&block, &puzzle, mined)
    }

    fn report(&self, block: &Block, puzzle: &Puzzle, mined: Mined) -> Result<MineReport> {
        let kernel = self.kernel.unwrap_or_else(|| self.hasher.kernels()[0]);
        let merkle_root = match self.encoding {
            Encoding::Json => None,
            Encoding::Header => Some(to_hex(&puzzle.template().prefix()[Header::MERKLE_ROOT])),
        };
        let message = if self.message {
            // Encoded afresh, not from the mining template, so that re-hashing
            // the shown bytes checks the template too.
            let difficulty = Difficulty::from_hex_digits(self.difficulty)?;
            let bytes = self.encoding.encode(block, self.hasher, difficulty, mined.proof)?;
            Some(match self.encoding {
                Encoding::Json => String::from_utf8(bytes).expect("JSON is UTF-8"),
                Encoding::Header => to_hex(&bytes),
            })
        } else {
            None
        };
        Ok(MineReport {
            attempts_per_sec: mined.attempts_per_sec(),
            mined,
            encoding: self.encoding,
            hasher: self.hasher,
            kernel,
            difficulty: self.difficulty,
            index: block.index,
            timestamp: block.timestamp,
            transactions: block.transactions.len(),
            merkle_root,
            message,
        })
    }
}
