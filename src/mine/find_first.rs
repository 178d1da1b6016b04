//! The blog's rayon `find_first`, without its waste: the lowest proof, in parallel.
//!
//! `(0..u64::MAX).into_par_iter().find_first(…)` splits the whole nonce space
//! in halves: the second thread starts at 2^63 and everything it hashes is
//! thrown away, because a proof below it is found first. That is why the blog
//! measured `find_first` at half the speed of one thread. Here the range is
//! searched in ascending windows of `threads × WINDOW_BATCHES` batches; rayon's
//! `find_map_first` splits each window between the threads, and the next
//! window starts only if this one holds no proof. The work past the proof is
//! at most the batches in flight when it is found.

use rayon::prelude::*;

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;
use crate::pool::Pool;

/// Batches per thread in one window: enough that the barrier at the end of a
/// window costs little, few enough that the window past a proof is small.
const WINDOW_BATCHES: u64 = 16;

/// `find_map_first` over ascending windows of batches.
pub fn mine<H: Hasher>(run: &Run<'_, H>, pool: &Pool) -> Outcome {
    let window = pool.threads() as u64 * WINDOW_BATCHES;
    let batches = run.batches();
    // The window loop runs inside the pool, so each window is split from a
    // pool thread: no round trip to the calling thread between windows
    // (which in the browser means waking Web Workers every few milliseconds).
    pool.install(|| {
        let mut first = 0;
        while first < batches {
            let end = first.saturating_add(window).min(batches);
            let outcome = (first..end)
                .into_par_iter()
                .map_init(|| run.search.worker(), |worker, batch| run.try_batch(worker, batch))
                .find_map_first(|outcome| outcome);
            if let Some(outcome) = outcome {
                return outcome;
            }
            first = end;
        }
        Err(Stop::Exhausted)
    })
}
