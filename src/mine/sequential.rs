//! The blog's imperative loop: one thread, nonces in order.

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;

/// Try every nonce from the start of the range upwards.
pub fn mine<H: Hasher>(run: &Run<'_, H>) -> Outcome {
    let mut worker = run.search.worker();
    let mut nonce = run.range.start;
    while nonce < run.range.end {
        if run.cancelled() {
            return Err(Stop::Cancelled);
        }
        let count = (run.range.end - nonce).min(run.batch_len());
        let scan = worker.scan(nonce, 1, count);
        run.record(scan.attempts);
        if let Some(found) = scan.found {
            return Ok(found);
        }
        nonce += count;
    }
    Err(Stop::Exhausted)
}
