//! The blog's imperative loop: one thread, nonces in order.

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;

/// Try every batch of nonces from the start of the range upwards.
pub fn mine<H: Hasher>(run: &Run<'_, H>) -> Outcome {
    let mut worker = run.search.worker();
    for batch in 0..run.batches() {
        if let Some(outcome) = run.try_batch(&mut worker, batch) {
            return outcome;
        }
    }
    Err(Stop::Exhausted)
}
