//! Thread pools of an exact size, on both hosts.
//!
//! A run with `threads = T` must use T threads, not whatever rayon's global
//! pool happens to hold, or a thread sweep measures nothing.
//!
//! * **native**: [`Pool::new`] hands out a rayon `ThreadPool` of exactly T OS
//!   threads, and keeps the last one built so repeated runs at the same size
//!   reuse it.
//! * **wasm with atomics**: browsers give wasm no way to start a thread but
//!   a Web Worker, and wasm-bindgen-rayon starts them once, as rayon's global
//!   pool (`initPool(n)`). rayon does not let one thread serve two pools, so
//!   smaller pools cannot be carved out of it: runs use the whole global pool,
//!   and T must equal n. A page that sweeps thread counts starts a fresh
//!   worker (a fresh wasm instance) with `initPool(T)` for each T.
//! * **wasm without atomics** (the single-threaded fallback build): there are
//!   no threads; T must be 1 and work runs inline on the calling thread.
//!
//! [`Pool::inline`] runs work on the calling thread on every host, for
//! sequential modes that use no parallel iterators.

use crate::error::{Error, Result};

/// Most threads accepted natively: far beyond any desktop, low enough that a
/// typo (`--threads 40000`) is an error rather than 40000 OS threads.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_THREADS: usize = 256;

/// A pool of exactly [`threads`](Pool::threads) threads.
#[derive(Clone)]
pub struct Pool {
    threads: usize,
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    /// The calling thread only.
    Inline,
    /// A pool of our own (native).
    #[cfg(not(target_arch = "wasm32"))]
    Own(std::sync::Arc<rayon::ThreadPool>),
    /// rayon's global pool on Web Workers.
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    Global,
}

/// The most recently built pool, reused while runs keep the same size.
#[cfg(not(target_arch = "wasm32"))]
static LAST: std::sync::Mutex<Option<Pool>> = std::sync::Mutex::new(None);

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

    /// Check a thread count against what this host can run.
    pub fn check(threads: usize) -> Result<usize> {
        let max = Self::max_threads();
        if max == 0 {
            return Err(Error::InvalidArgument(
                "parmine's thread pool is not started: call initPool(n) first \
                 (wasm-bindgen-rayon's initThreadPool alone does not tell parmine its size)"
                    .into(),
            ));
        }
        if threads == 0 || threads > max {
            return Err(Error::ThreadsOutOfRange { given: threads, max });
        }
        Ok(threads)
    }

    /// A pool of exactly `threads` threads.
    pub fn new(threads: usize) -> Result<Pool> {
        Self::check(threads)?;
        #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
        if threads != Self::max_threads() {
            let max = Self::max_threads();
            return Err(Error::InvalidArgument(format!(
                "this worker's pool has {max} threads and parallel runs use all of them; \
                 for {threads}, start a worker with initPool({threads})"
            )));
        }
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        return Ok(Pool::inline());
        #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
        return Ok(Pool { threads, kind: Kind::Global });

        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(pool) = last.as_ref().filter(|p| p.threads == threads) {
                return Ok(pool.clone());
            }
            let inner = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("parmine-{i}"))
                .build()
                .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))?;
            let pool = Pool { threads, kind: Kind::Own(std::sync::Arc::new(inner)) };
            *last = Some(pool.clone());
            Ok(pool)
        }
    }

    /// The calling thread, as a pool of one. Only for work that does not use
    /// parallel iterators (they would go to the global pool).
    pub fn inline() -> Pool {
        Pool { threads: 1, kind: Kind::Inline }
    }

    /// Threads in the pool.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Run `op` inside the pool, so rayon's parallel iterators use its threads.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        match &self.kind {
            Kind::Inline => op(),
            #[cfg(not(target_arch = "wasm32"))]
            Kind::Own(pool) => pool.install(op),
            // rayon::scope called from outside the pool runs its body on a
            // pool thread, as install does: loops of parallel iterators then
            // split from inside the pool, not from the driver worker.
            #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
            Kind::Global => rayon::scope(|_| op()),
        }
    }

    /// Run `op(i)` once on each thread `i` of the pool; results in thread order.
    pub fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        match &self.kind {
            Kind::Inline => vec![op(0)],
            #[cfg(not(target_arch = "wasm32"))]
            Kind::Own(pool) => pool.broadcast(|ctx| op(ctx.index())),
            #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
            Kind::Global => rayon::broadcast(|ctx| op(ctx.index())),
        }
    }

    /// A rayon scope run on the calling thread whose spawned jobs go to this
    /// pool (wasm: the striped strategy's workers).
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    pub fn in_place_scope<'scope, R>(&self, op: impl FnOnce(&rayon::Scope<'scope>) -> R) -> R {
        rayon::in_place_scope(op)
    }
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
