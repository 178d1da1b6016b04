//! parmine's own strategy: claim batches in order, keep the lowest proof.
//!
//! Every thread claims the next batch from one atomic counter, so batches are
//! handed out in ascending order and each thread always has work until the
//! end, with no rayon splitting and no window barrier. A thread that finds a
//! proof lowers the shared "best batch" mark; threads stop claiming batches
//! above it but finish the ones below, which might hold a lower proof. The
//! result is the lowest proof in the range, as the sequential loop finds.
//!
//! Why it is exact: let b be the lowest batch holding a proof. The best mark
//! never drops below b, so b is always claimed, and whoever claims it finds
//! the lowest proof in it first.

use std::sync::atomic::{AtomicU64, Ordering};

use super::search::{Found, Outcome, Run, Stop};
use crate::hash::Hasher;
use crate::pool::Pool;

/// Every pool thread claims batches until none below the best remain.
pub fn mine<H: Hasher>(run: &Run<'_, H>, pool: &Pool) -> Outcome {
    let next = AtomicU64::new(0);
    let best = AtomicU64::new(u64::MAX);
    let results = pool.broadcast(|_| claim_batches(run, &next, &best));
    let mut lowest: Option<Found> = None;
    let mut cancelled = false;
    for result in results {
        match result {
            Ok(Some(found)) if lowest.is_none_or(|l| found.nonce < l.nonce) => lowest = Some(found),
            Ok(_) => {}
            Err(_) => cancelled = true,
        }
    }
    match (lowest, cancelled) {
        (Some(found), _) => Ok(found),
        (None, true) => Err(Stop::Cancelled),
        (None, false) => Err(Stop::Exhausted),
    }
}

/// One thread's loop: its proof, if it found one.
fn claim_batches<H: Hasher>(
    run: &Run<'_, H>,
    next: &AtomicU64,
    best: &AtomicU64,
) -> Result<Option<Found>, Stop> {
    let mut worker = run.search.worker();
    let batches = run.batches();
    loop {
        let batch = next.fetch_add(1, Ordering::Relaxed);
        if batch >= batches || batch > best.load(Ordering::Relaxed) {
            return Ok(None);
        }
        match run.try_batch(&mut worker, batch) {
            None => {}
            Some(Ok(found)) => {
                best.fetch_min(batch, Ordering::Relaxed);
                // Any batch this thread could claim now is above `batch`.
                return Ok(Some(found));
            }
            Some(Err(stop)) => return Err(stop),
        }
    }
}
