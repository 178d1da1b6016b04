//! The blog's rayon `find_any`: any proof, whichever thread finds one first.
//!
//! rayon splits the range of batches between the pool's threads (the first
//! split gives the second thread the upper half of the whole nonce space), and
//! each thread scans its part in order with no coordination until one finds a
//! proof. The proof is valid but usually not the lowest.

use rayon::prelude::*;

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;
use crate::pool::Pool;

/// `find_map_any` over every batch of the range.
pub fn mine<H: Hasher>(run: &Run<'_, H>, pool: &Pool) -> Outcome {
    pool.install(|| {
        (0..run.batches())
            .into_par_iter()
            .map_init(|| run.search.worker(), |worker, batch| run.try_batch(worker, batch))
            .find_map_any(|outcome| outcome)
    })
    .unwrap_or(Err(Stop::Exhausted))
}
