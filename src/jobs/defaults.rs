//! The jobs' defaults, declared once: serde (`#[serde(default = "…")]`) and
//! clap (`default_value_t = …()`) both name these functions.

use crate::block::{Block, Encoding};
use crate::hash::HashAlgorithm;
use crate::merkle::Parallelism;
use crate::mine::Strategy;

/// The blog's JSON.
pub fn encoding() -> Encoding {
    Encoding::Json
}

/// SHA-256, as the blog.
pub fn hasher() -> HashAlgorithm {
    HashAlgorithm::Sha256
}

/// parmine's own strategy: the lowest proof with no window barrier.
pub fn strategy() -> Strategy {
    Strategy::Chunked
}

/// The blog's "000000".
pub fn mine_difficulty() -> u32 {
    6
}

/// The blog's benchmark block's timestamp.
pub fn timestamp() -> u64 {
    Block::BENCHMARK_TIMESTAMP
}

/// One past the last nonce: every nonce.
pub fn end() -> u64 {
    u64::MAX
}

/// A benchmark's difficulty: long enough to measure, short enough to sweep.
pub fn bench_difficulty() -> u32 {
    5
}

/// Seconds a calibrated sweep should take.
pub fn sweep_seconds() -> f64 {
    20.0
}

/// Seconds the shortest point of a calibrated sweep should last.
pub fn min_point_seconds() -> f64 {
    0.5
}

/// Milliseconds a calibration measures the one-thread rate for.
pub fn calibrate_ms() -> f64 {
    300.0
}

/// Rounds of a mining benchmark (a calibration chooses more).
pub fn rounds() -> usize {
    1
}

/// Rounds of a calibrated sweep: each point timed three times, interleaved,
/// and its fastest kept.
pub fn calibrated_rounds() -> usize {
    3
}

/// Runs per block of a mining benchmark.
pub fn runs() -> usize {
    3
}

/// Blocks of a mining benchmark.
pub fn blocks() -> usize {
    4
}

/// Binary trees.
pub fn arity() -> usize {
    2
}

/// Merkle trees hash with BLAKE3 (its multi-input SIMD kernel).
pub fn merkle_hasher() -> HashAlgorithm {
    HashAlgorithm::Blake3
}

/// Parents from which a level goes parallel.
pub fn threshold() -> usize {
    Parallelism::DEFAULT_THRESHOLD
}

/// Parents per parallel task.
pub fn task() -> usize {
    Parallelism::DEFAULT_TASK
}

/// Timed builds of each mode of a Merkle benchmark point.
pub fn merkle_runs() -> usize {
    3
}

/// Milliseconds per measured hashing path.
pub fn hash_ms() -> f64 {
    300.0
}
