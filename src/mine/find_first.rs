//! The blog's rayon `find_first`, without its waste: the lowest proof, in parallel.
//!
//! `(0..u64::MAX).into_par_iter().find_first(…)` splits the whole nonce space
//! in halves: the second thread starts at 2^63 and everything it hashes is
//! thrown away, because a proof below it is found first. That is why the blog
//! measured `find_first` at half the speed of one thread. Here the range is
//! searched in ascending windows of `threads × W` batches; rayon's
//! `find_map_first` splits each window between the threads, and the next
//! window starts only if this one holds no proof. The work past the proof is
//! at most what the threads right of it do in the last window.
//!
//! What a window costs, and so its size: every window ends in a barrier (the
//! first thread done waits for the last batch of the others), and in the
//! window that holds the proof the threads right of it work for nothing. The
//! first cost falls with bigger windows, the second grows with them; their
//! sum is least near W = √(expected batches to a proof ÷ threads), which a
//! model of the schedule puts within a few percent of the best for 16 to
//! 1,000 expected batches. A fixed W of 16 cost a third of the second
//! thread's work on blocks of 16 expected batches (difficulty 4, blog JSON).

use std::ops::RangeInclusive;

use rayon::prelude::*;

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;
use crate::pool::Pool;

/// Batches per thread in one window: at least two, so that a barrier is
/// shared by more than one batch; at most 64, past which a barrier costs
/// under 1% and a bigger window only adds to the last one's waste.
const WINDOW_BATCHES: RangeInclusive<u64> = 2..=64;

/// `find_map_first` over ascending windows of batches.
pub fn mine<H: Hasher>(run: &Run<'_, H>, pool: &Pool) -> Outcome {
    let threads = pool.threads();
    let window = threads as u64 * window_per_thread(run.expected_batches(), threads);
    let batches = run.batches();
    // The window loop runs inside the pool, so each window is split from a
    // pool thread: no round trip to the calling thread between windows
    // (which in the browser means waking Web Workers every few milliseconds).
    pool.install(|| {
        let mut first = 0;
        while first < batches {
            let len = (batches - first).min(window);
            // Indices into the window as usize: a u64 range is not an indexed
            // parallel iterator, and `with_max_len` needs one. One batch per
            // rayon job lets a thread done early take single batches from
            // the others, so the barrier waits for one batch, not a chunk.
            let outcome = (0..len as usize)
                .into_par_iter()
                .with_max_len(1)
                .map_init(|| run.search.worker(), |worker, i| run.try_batch(worker, first + i as u64))
                .find_map_first(|outcome| outcome);
            if let Some(outcome) = outcome {
                return outcome;
            }
            first += len;
        }
        Err(Stop::Exhausted)
    })
}

/// Batches per thread in one window, for a proof expected after
/// `expected_batches` (infinite for a target nothing meets).
fn window_per_thread(expected_batches: f64, threads: usize) -> u64 {
    let best = 1.5 * (expected_batches / threads.max(1) as f64).sqrt();
    // `as` saturates: infinity becomes u64::MAX, NaN 0; the clamp does the rest.
    (best.ceil() as u64).clamp(*WINDOW_BATCHES.start(), *WINDOW_BATCHES.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_grow_with_the_expected_work_and_shrink_with_the_threads() {
        // Difficulty 4 and 5 on the blog's JSON: 16 and 256 batches of 4096.
        assert_eq!(window_per_thread(16.0, 2), 5);
        assert_eq!(window_per_thread(256.0, 2), 17);
        assert!(window_per_thread(256.0, 8) < window_per_thread(256.0, 2));
        let sizes: Vec<u64> = (0..20).map(|i| window_per_thread(2f64.powi(i), 2)).collect();
        assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    }

    #[test]
    fn windows_stay_within_their_bounds() {
        for expected in [0.0, 1e-9, 0.5, f64::INFINITY, f64::NAN, 1e30] {
            for threads in [0, 1, 2, 256] {
                let w = window_per_thread(expected, threads);
                assert!(WINDOW_BATCHES.contains(&w), "{expected} {threads}: {w}");
            }
        }
        assert_eq!(window_per_thread(f64::INFINITY, 2), 64);
    }
}
