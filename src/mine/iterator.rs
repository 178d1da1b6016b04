//! The blog's iterator version: `find` over the nonces, one thread.
//!
//! The blog maps every nonce to a cloned block and `find`s a valid one; here
//! the iterator walks batches and `find_map`s the first that holds a proof,
//! so the per-candidate work is the shared core's and the comparison with the
//! imperative loop is about the iterator, not about allocation.

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;

/// `find_map` the first batch that ends the search.
pub fn mine<H: Hasher>(run: &Run<'_, H>) -> Outcome {
    let mut worker = run.search.worker();
    (0..run.batches()).find_map(|batch| run.try_batch(&mut worker, batch)).unwrap_or(Err(Stop::Exhausted))
}
