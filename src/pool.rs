//! Thread pools of an exact size, on both hosts.
//!
//! A run with `threads = T` must use T threads, not whatever rayon's global
//! pool happens to hold, or a thread sweep measures nothing. [`Pool::new`]
//! hands out a rayon pool of exactly T threads and keeps the last one built,
//! so repeated runs at the same size reuse it:
//!
//! * **native**: a rayon `ThreadPool` on OS threads;
//! * **wasm with atomics**: the global pool lives on Web Workers started by
//!   `initThreadPool(n)` (wasm-bindgen-rayon), and browsers give no other way
//!   to start threads from inside wasm. A pool of T ≤ n threads is therefore
//!   built *on* the global pool: each of its threads is a long-running job
//!   that occupies one global worker until the pool is dropped. Only one such
//!   pool is kept at a time, so pools never starve each other of workers;
//! * **wasm without atomics** (the single-threaded fallback build): there are
//!   no threads; T must be 1 and work runs inline on the calling thread.

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// Most threads accepted natively: far beyond any desktop, low enough that a
/// typo (`--threads 40000`) is an error rather than 40000 OS threads.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_THREADS: usize = 256;

/// A pool of exactly [`threads`](Pool::threads) threads.
#[derive(Clone)]
pub struct Pool {
    threads: usize,
    #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
    inner: Arc<rayon::ThreadPool>,
}

/// The most recently built pool, reused while runs keep the same size.
#[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
static LAST: Mutex<Option<Pool>> = Mutex::new(None);

impl Pool {
    /// The largest thread count this host accepts now.
    pub fn max_threads() -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        return MAX_THREADS;
        #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
        return crate::wasm::pool_size();
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        return 1;
    }

    /// Check a thread count against [`max_threads`](Self::max_threads).
    pub fn check(threads: usize) -> Result<usize> {
        let max = Self::max_threads();
        if threads == 0 || threads > max {
            return Err(Error::ThreadsOutOfRange { given: threads, max });
        }
        Ok(threads)
    }

    /// A pool of exactly `threads` threads.
    pub fn new(threads: usize) -> Result<Pool> {
        Self::check(threads)?;
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        return Ok(Pool { threads });

        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        {
            let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(pool) = last.as_ref().filter(|p| p.threads == threads) {
                return Ok(pool.clone());
            }
            // Drop the previous pool before building the next: in wasm its
            // threads must give their workers back first.
            *last = None;
            let pool = Pool { threads, inner: Arc::new(build(threads)?) };
            *last = Some(pool.clone());
            Ok(pool)
        }
    }

    /// Threads in the pool.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Run `op` inside the pool, so rayon's parallel iterators use its threads.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        return self.inner.install(op);
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        return op();
    }

    /// Run `op(i)` once on each thread `i` of the pool; results in thread order.
    pub fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        return self.inner.broadcast(|ctx| op(ctx.index()));
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        return vec![op(0)];
    }

    /// A rayon scope run on the calling thread whose spawned jobs go to this
    /// pool (wasm: the striped strategy's workers).
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    pub fn in_place_scope<'scope, R>(&self, op: impl FnOnce(&rayon::Scope<'scope>) -> R) -> R {
        self.inner.in_place_scope(op)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn build(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("parmine-{i}"))
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
fn build(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .spawn_handler(|thread| {
            // Each thread of this pool runs as one job on a global worker.
            rayon::spawn(move || thread.run());
            Ok(())
        })
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn pools_have_exactly_the_requested_threads() {
        for threads in [1, 3, 2, 2] {
            let pool = Pool::new(threads).unwrap();
            assert_eq!(pool.install(rayon::current_num_threads), threads);
            let mut seen = pool.broadcast(|i| i);
            seen.sort();
            assert_eq!(seen, (0..threads).collect::<Vec<_>>());
        }
    }

    #[test]
    fn bad_thread_counts_are_errors() {
        assert_eq!(Pool::new(0).err(), Some(Error::ThreadsOutOfRange { given: 0, max: MAX_THREADS }));
        assert!(Pool::new(MAX_THREADS + 1).is_err());
    }
}
