//! Benchmark jobs: strategies × thread counts (`parmine bench mine`, the
//! page's sweeps), one Merkle point (the page's tree panel), the hashing
//! paths (`parmine bench hash`, the page's hash rates).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::defaults;
use crate::bench::{HashRates, MerkleBench, MerkleRow, MineBench, MineRow, hash_rates};
use crate::block::Encoding;
use crate::error::{Error, Result};
use crate::hash::{Digest, HashAlgorithm, Kernel};
use crate::limits;
use crate::mine::{Control, Strategy};
use crate::pool::Pool;

pub use crate::bench::with_speedups;

/// A list of strategies: `all`, or names separated by commas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Strategies(pub Vec<Strategy>);

impl Default for Strategies {
    fn default() -> Self {
        Strategies(Strategy::ALL.to_vec())
    }
}

impl FromStr for Strategies {
    type Err = Error;

    fn from_str(list: &str) -> Result<Self> {
        if list.eq_ignore_ascii_case("all") {
            return Ok(Strategies::default());
        }
        list.split(',').map(|s| s.trim().parse()).collect::<Result<_>>().map(Strategies)
    }
}

impl fmt::Display for Strategies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Strategies::default() {
            return f.write_str("all");
        }
        let names: Vec<&str> = self.0.iter().map(|s| s.name()).collect();
        f.write_str(&names.join(","))
    }
}

/// Options of a mining benchmark: each strategy on each thread count, over
/// several blocks and runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BenchMineJob {
    /// Block encoding: json (the blog's) or header (parmine's binary header).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::encoding()))]
    #[serde(default = "defaults::encoding")]
    pub encoding: Encoding,
    /// Hash function: sha256 or blake3.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::hasher()))]
    #[serde(default = "defaults::hasher")]
    pub hasher: HashAlgorithm,
    /// Strategies to run, comma separated, or "all".
    #[cfg_attr(feature = "cli", arg(long, default_value_t = Strategies::default()))]
    #[serde(default)]
    pub strategies: Strategies,
    /// Thread counts to sweep, comma separated [default: 1 to all cores; in
    /// a browser, the whole pool].
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ','))]
    #[serde(default)]
    pub threads: Vec<usize>,
    /// Leading zero hex digits.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::bench_difficulty()))]
    #[serde(default = "defaults::bench_difficulty")]
    pub difficulty: u32,
    /// Runs per block.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::runs()))]
    #[serde(default = "defaults::runs")]
    pub runs: usize,
    /// Different blocks to mine.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::blocks()))]
    #[serde(default = "defaults::blocks")]
    pub blocks: usize,
    /// Rounds: time every point this many times, the rounds one after
    /// another, and keep each point's fastest round (steadier on a shared
    /// machine).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 1))]
    #[serde(default = "defaults::rounds")]
    pub rounds: usize,
    /// Sample transactions in each block (0: the blog's empty block). The
    /// header's cost per attempt does not depend on it; the blog JSON's grows
    /// with it, since every transaction comes after the proof.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0))]
    #[serde(default)]
    pub transactions: usize,
    /// Hashing kernel [default: the fastest this machine has].
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub kernel: Option<Kernel>,
}

impl Default for BenchMineJob {
    fn default() -> Self {
        BenchMineJob {
            encoding: defaults::encoding(),
            hasher: defaults::hasher(),
            strategies: Strategies::default(),
            threads: Vec::new(),
            difficulty: defaults::bench_difficulty(),
            runs: defaults::runs(),
            blocks: defaults::blocks(),
            rounds: defaults::rounds(),
            transactions: 0,
            kernel: None,
        }
    }
}

impl BenchMineJob {
    /// The benchmark these options describe.
    pub fn bench(&self) -> MineBench {
        let requested = if self.threads.is_empty() { Pool::default_sweep() } else { self.threads.clone() };
        // `--threads 2,2` is one point, not the same row twice.
        let mut threads = Vec::new();
        for t in requested {
            if !threads.contains(&t) {
                threads.push(t);
            }
        }
        MineBench {
            encoding: self.encoding,
            hasher: self.hasher,
            strategies: self.strategies.0.clone(),
            threads,
            difficulty: self.difficulty,
            runs: self.runs,
            blocks: self.blocks,
            rounds: self.rounds,
            transactions: self.transactions,
            kernel: self.kernel,
        }
    }

    /// Run every point; `on_sample` after each mined block.
    ///
    /// # Errors
    ///
    /// Bad options, or a cancel.
    pub fn run(
        &self,
        control: Option<Arc<Control>>,
        on_sample: impl FnMut(Strategy, usize),
    ) -> Result<Vec<MineRow>> {
        self.bench().run(control, on_sample)
    }
}

/// Options of one Merkle benchmark point: parmine's tree over the same
/// leaves, sequentially and in parallel.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchMerkleJob {
    /// Leaves.
    pub leaves: u64,
    /// Children per parent.
    #[serde(default = "defaults::arity")]
    pub arity: usize,
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::merkle_hasher")]
    pub hasher: HashAlgorithm,
    /// Threads of the parallel build [default: all cores; the whole pool].
    #[serde(default)]
    pub threads: Option<usize>,
    /// Timed builds of each mode.
    #[serde(default = "defaults::merkle_runs")]
    pub runs: usize,
    /// Parents from which a level goes parallel.
    #[serde(default = "defaults::threshold")]
    pub threshold: usize,
    /// Parents per parallel task.
    #[serde(default = "defaults::task")]
    pub task: usize,
}

/// A Merkle benchmark point's result.
#[derive(Debug, Clone, Serialize)]
pub struct BenchMerkleReport {
    /// The root both builds agree on, hex.
    #[serde(with = "crate::hash::serde_hex")]
    pub root: Digest,
    /// The sequential and the parallel row, as `parmine bench merkle --json`.
    pub rows: Vec<MerkleRow>,
}

impl BenchMerkleJob {
    /// The benchmark point.
    pub fn bench(&self) -> MerkleBench {
        MerkleBench {
            hasher: self.hasher,
            arity: self.arity,
            leaves: self.leaves,
            runs: self.runs,
            threads: self.threads.unwrap_or_else(Pool::default_threads),
            threshold: self.threshold,
            task: self.task,
        }
    }

    /// Time the builds.
    ///
    /// # Errors
    ///
    /// Bad options.
    pub fn run(&self) -> Result<BenchMerkleReport> {
        limits::check_samples(self.runs, 1)?;
        let (root, rows) = self.bench().run()?;
        Ok(BenchMerkleReport { root, rows: rows.to_vec() })
    }
}

/// Options of the hashing benchmark.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BenchHashJob {
    /// Milliseconds per measured path.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::hash_ms()))]
    #[serde(default = "defaults::hash_ms")]
    pub ms: f64,
}

impl BenchHashJob {
    /// Check the options.
    pub fn validate(&self) -> Result<()> {
        if !(self.ms > 0.0 && self.ms <= limits::LIMITS.max_hash_ms) {
            return Err(Error::InvalidArgument(format!(
                "--ms must be above 0 and at most {} (milliseconds per path)",
                limits::LIMITS.max_hash_ms
            )));
        }
        Ok(())
    }

    /// Measure every path on the calling thread.
    ///
    /// # Errors
    ///
    /// Bad options.
    pub fn run(&self) -> Result<HashRates> {
        self.validate()?;
        Ok(hash_rates(self.ms))
    }
}
