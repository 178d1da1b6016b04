//! The blog's hand-rolled threads: T threads, thread i tries i, i+T, i+2T, …
//!
//! Each thread owns its stripe of the nonce space and needs no coordination
//! but a shared stop flag; the first proof found is sent over a channel to the
//! caller, which raises the flag and waits for the others to see it. The
//! threads come from the pool edge (`Pool::each_thread`): scoped OS threads
//! natively, jobs on the pool's Web Workers in the browser.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};

use super::search::{Outcome, Run, Stop};
use crate::hash::Hasher;
use crate::pool::Pool;

/// Start `pool.threads()` stripes and return the first proof any of them sends.
pub fn mine<H: Hasher>(run: &Run<'_, H>, pool: &Pool) -> Outcome {
    let threads = pool.threads() as u64;
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<Outcome>();
    // The first message wins; then tell everyone else to stop.
    let first = || {
        let outcome = receiver.recv().unwrap_or(Err(Stop::Exhausted));
        stop.store(true, Ordering::Relaxed);
        outcome
    };

    pool.each_thread(sender, |i, sender| stripe(run, i as u64, threads, &stop, sender), first)
}

/// Thread `index` of `stride`: scan its stripe in batches until a proof, the
/// stop flag, a cancel, or the end of the range.
fn stripe<H: Hasher>(run: &Run<'_, H>, index: u64, stride: u64, stop: &AtomicBool, sender: Sender<Outcome>) {
    let Some(mut nonce) = run.range.start.checked_add(index).filter(|n| *n < run.range.end) else {
        return;
    };
    let mut worker = run.search.worker();
    loop {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        if run.cancelled() {
            let _ = sender.send(Err(Stop::Cancelled));
            return;
        }
        // Nonces left in this stripe, from `nonce` to the end of the range.
        let left = (run.range.end - 1 - nonce) / stride + 1;
        let count = left.min(run.batch_len());
        let scan = worker.scan(nonce, stride, count);
        run.record(scan.attempts);
        if let Some(found) = scan.found {
            // The receiver may be gone if another stripe won; that is fine.
            let _ = sender.send(Ok(found));
            return;
        }
        if count == left {
            return;
        }
        nonce += count * stride;
    }
}
