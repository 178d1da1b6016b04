//! The browser's threads: rayon's global pool on Web Workers, started once by
//! the host (wasm-bindgen-rayon) and announced with [`set_global_threads`].

use std::sync::atomic::{AtomicUsize, Ordering};

use super::MAX_THREADS;
use crate::error::{Error, Result};

/// Web Workers in the global pool, 0 until the host announces them.
static GLOBAL_THREADS: AtomicUsize = AtomicUsize::new(0);

/// rayon's global pool.
#[derive(Clone)]
pub(super) struct Handle;

impl Handle {
    pub(super) fn new(threads: usize) -> Result<Handle> {
        let size = max_threads();
        if threads != size {
            return Err(Error::InvalidArgument(format!(
                "this worker's pool has {size} threads and parallel runs use all of them; \
                 for {threads}, start a worker with initPool({threads})"
            )));
        }
        Ok(Handle)
    }

    /// `rayon::scope` called from outside the pool runs its body on a pool
    /// thread, as install does: loops of parallel iterators then split from
    /// inside the pool, not from the driver worker.
    pub(super) fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        rayon::scope(|_| op())
    }

    pub(super) fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        rayon::broadcast(|ctx| op(ctx.index()))
    }

    /// Jobs on the pool's Web Workers (the only threads wasm has), spawned
    /// from the calling thread.
    pub(super) fn each_thread<T: Clone + Send, R>(
        &self,
        threads: usize,
        value: T,
        work: impl Fn(usize, T) + Sync,
        wait: impl FnOnce() -> R,
    ) -> R {
        rayon::in_place_scope(|scope| {
            for i in 0..threads {
                let (value, work) = (value.clone(), &work);
                scope.spawn(move |_| work(i, value));
            }
            drop(value);
            wait()
        })
    }
}

pub(super) fn max_threads() -> usize {
    GLOBAL_THREADS.load(Ordering::Relaxed)
}

pub(super) fn default_sweep() -> Vec<usize> {
    vec![max_threads()]
}

pub(super) fn default_threads() -> usize {
    max_threads()
}

/// Announce the global pool the host started with `threads` Web Workers
/// (once; before any run).
///
/// # Errors
///
/// A count outside 1..=[`MAX_THREADS`], or a pool already announced.
pub fn set_global_threads(threads: usize) -> Result<()> {
    if threads == 0 || threads > MAX_THREADS {
        return Err(Error::ThreadsOutOfRange { given: threads, max: MAX_THREADS });
    }
    GLOBAL_THREADS
        .compare_exchange(0, threads, Ordering::Relaxed, Ordering::Relaxed)
        .map(|_| ())
        .map_err(|_| Error::InvalidArgument("the thread pool is already started".into()))
}
