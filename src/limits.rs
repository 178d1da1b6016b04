//! The limits every job is checked against, in one place: the command line,
//! the wasm API and the page (through the catalog) enforce the same numbers.
//!
//! Counts that multiply user input (leaves × bytes per leaf, runs × blocks,
//! transactions × blocks) are computed with checked arithmetic, and a job's
//! memory is estimated before anything is allocated: a refusal says how much
//! the job would need and what the largest accepted value is.

use serde::Serialize;

use crate::block::Block;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::{merkle, pool};

/// The limits, as the catalog shows them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Threads of one run.
    pub max_threads: usize,
    /// Leading zero hex digits of a target.
    pub max_difficulty: u32,
    /// Sample transactions in a block.
    pub max_transactions: usize,
    /// Runs × blocks of one mining benchmark point.
    pub max_samples: usize,
    /// Leaves of a Merkle tree (at arity 2; see `max_memory`).
    pub max_leaves: u64,
    /// Children per parent of a Merkle tree.
    pub min_arity: usize,
    /// The same, at most.
    pub max_arity: usize,
    /// Bytes one job may allocate: wasm's whole memory is 1 GiB, and the
    /// same bound keeps a typo natively from taking the machine down.
    pub max_memory: u64,
    /// Milliseconds per measured hashing path.
    pub max_hash_ms: f64,
    /// Seconds a calibrated sweep may be asked to take.
    pub max_sweep_seconds: f64,
}

/// Bytes of a puzzle's text fields (a challenge, a salt, a phrase): they are
/// hashed as every candidate's prefix; real ones are tens of bytes.
pub const MAX_CHALLENGE_BYTES: usize = 64 << 10;

/// Bytes one job may allocate.
pub const MAX_MEMORY: u64 = 768 << 20;

/// Bytes a Merkle job holds per leaf at arity 2: the leaves, the tree's leaf
/// level, the levels above (as many again), and a second tree for a proof.
const MERKLE_BYTES_PER_LEAF: u64 = 32 * 5;

/// Bytes a sample transaction takes in memory and in a block's JSON.
const TRANSACTION_BYTES: u64 = 256;

/// The limits of this build.
pub const LIMITS: Limits = Limits {
    max_threads: pool::MAX_THREADS,
    max_difficulty: Difficulty::MAX_HEX_DIGITS,
    max_transactions: Block::MAX_SAMPLE_TRANSACTIONS,
    max_samples: 10_000,
    max_leaves: MAX_MEMORY / MERKLE_BYTES_PER_LEAF,
    min_arity: merkle::MIN_ARITY,
    max_arity: merkle::MAX_ARITY,
    max_memory: MAX_MEMORY,
    max_hash_ms: 10_000.0,
    max_sweep_seconds: 3600.0,
};

/// The highest difficulty a calibration chooses: 16^7 candidates a block is
/// seconds natively and tens of seconds in a browser.
pub const MAX_CALIBRATED_DIFFICULTY: u32 = 7;

/// The most blocks a calibration chooses (within `max_samples`).
pub const MAX_CALIBRATED_BLOCKS: usize = 100;

/// `bytes` as `1.2 GB`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b => format!("{:.0} MB", (b as f64 / (1u64 << 20) as f64).ceil()),
    }
}

/// Refuse a job whose estimated memory (`None`: past `u64`) is over
/// [`MAX_MEMORY`]; `what` says what was asked for, `fix` what would fit.
pub fn check_memory(
    what: impl FnOnce() -> String,
    bytes: Option<u64>,
    fix: impl FnOnce() -> String,
) -> Result<()> {
    match bytes {
        Some(b) if b <= MAX_MEMORY => Ok(()),
        _ => Err(Error::InvalidArgument(format!(
            "{} would need {}, more than the {} a job may use: {}",
            what(),
            bytes.map_or_else(|| "more memory than exists".to_string(), size),
            size(MAX_MEMORY),
            fix()
        ))),
    }
}

/// Check a Merkle job over `leaves` leaves of arity `arity`.
pub fn check_leaves(leaves: u64) -> Result<()> {
    check_memory(
        || format!("a tree of {leaves} lea{}", if leaves == 1 { "f" } else { "ves" }),
        leaves.checked_mul(MERKLE_BYTES_PER_LEAF),
        || format!("use at most {} leaves", LIMITS.max_leaves),
    )
}

/// Check `copies` blocks of `transactions` sample transactions each.
pub fn check_transactions(transactions: usize, copies: usize) -> Result<()> {
    Block::check_sample_size(transactions)?;
    check_memory(
        || format!("{copies} block(s) of {transactions} transactions"),
        (transactions as u64).checked_mul(TRANSACTION_BYTES).and_then(|b| b.checked_mul(copies as u64)),
        || "use fewer transactions or fewer blocks".into(),
    )
}

/// Check runs × blocks of a benchmark point.
pub fn check_samples(runs: usize, blocks: usize) -> Result<()> {
    if runs == 0 || blocks == 0 {
        return Err(Error::InvalidArgument("runs and blocks must be at least 1".into()));
    }
    match runs.checked_mul(blocks) {
        Some(n) if n <= LIMITS.max_samples => Ok(()),
        _ => Err(Error::InvalidArgument(format!(
            "{runs} runs × {blocks} blocks is too many: at most {} samples a point",
            LIMITS.max_samples
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_are_refused_with_the_estimate() {
        let err = check_leaves(4_000_000_000).unwrap_err().to_string();
        assert!(err.contains("a tree of 4000000000 leaves would need 596.0 GB"), "{err}");
        assert!(err.contains(&format!("use at most {} leaves", LIMITS.max_leaves)), "{err}");
        assert!(check_leaves(u64::MAX).unwrap_err().to_string().contains("more memory than exists"));
        assert!(check_leaves(LIMITS.max_leaves).is_ok());
        assert!(check_leaves(LIMITS.max_leaves + 1).is_err());
        assert!(check_samples(usize::MAX, 2).is_err());
        assert!(check_samples(usize::MAX / 4 + 1, 4).is_err());
        assert!(check_samples(100, 100).is_ok());
        assert!(check_samples(100_000, 100_000).is_err());
        assert!(check_transactions(1_000_000, 1).is_ok());
        assert!(check_transactions(1_000_000, 100).is_err());
    }
}
