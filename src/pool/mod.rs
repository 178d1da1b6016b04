//! Thread pools of an exact size, on every host: the one edge of the crate
//! where threads are made.
//!
//! A run with `threads = T` must use T threads, not whatever rayon's global
//! pool happens to hold, or a thread sweep measures nothing. One backend is
//! chosen here, as `sha2` chooses a compression function:
//!
//! * [`native`]: rayon `ThreadPool`s of exactly T OS threads (the last one
//!   built is kept for the next run of the same size), and scoped OS threads
//!   for workers that must each own a thread;
//! * [`browser`] (wasm with atomics): browsers give wasm no threads but Web
//!   Workers, which the host starts once as rayon's global pool and announces
//!   with [`set_global_threads`]. rayon does not let one thread serve two
//!   pools, so smaller pools cannot be carved out of it: runs use the whole
//!   global pool, and T must equal its size (a page that sweeps thread counts
//!   keeps a worker per T);
//! * [`inline`] (wasm without atomics): no threads at all; T must be 1 and
//!   work runs on the calling thread.
//!
//! [`Pool::inline`] runs work on the calling thread on every host, for
//! sequential modes that use no parallel iterators.

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
#[path = "browser.rs"]
mod backend;
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[path = "inline.rs"]
mod backend;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native.rs"]
mod backend;

use crate::error::{Error, Result};

pub use self::backend::set_global_threads;

/// Most threads parmine accepts on any host: far beyond any desktop, low
/// enough that a typo (`--threads 40000`) is an error rather than 40000
/// threads.
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
    /// The host's pool of this size.
    Host(backend::Handle),
}

impl Pool {
    /// The largest thread count this host accepts now (0 in a browser whose
    /// pool is not started yet).
    pub fn max_threads() -> usize {
        backend::max_threads()
    }

    /// The thread count runs use when none is given: the machine's cores
    /// natively, the pool's size in a browser.
    pub fn default_threads() -> usize {
        backend::default_threads()
    }

    /// The thread counts a sweep covers when none are given: 1 to the
    /// machine's cores natively, the pool's size in a browser (whose runs
    /// use the whole pool).
    pub fn default_sweep() -> Vec<usize> {
        backend::default_sweep()
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
        Ok(Pool { threads, kind: Kind::Host(backend::Handle::new(threads)?) })
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
            Kind::Host(handle) => handle.install(op),
        }
    }

    /// Run `op(i)` once on each thread `i` of the pool; results in thread order.
    pub fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        match &self.kind {
            Kind::Inline => vec![op(0)],
            Kind::Host(handle) => handle.broadcast(op),
        }
    }

    /// Run `work(i, value.clone())` for every thread `i` of the pool, each on
    /// a thread of its own for as long as it likes, while the calling thread
    /// runs `wait`; return `wait`'s result once every worker has returned.
    /// `value` itself is dropped before `wait` starts (a channel's sender:
    /// the receiver then sees when every worker is done).
    pub fn each_thread<T: Clone + Send, R>(
        &self,
        value: T,
        work: impl Fn(usize, T) + Sync,
        wait: impl FnOnce() -> R,
    ) -> R {
        match &self.kind {
            Kind::Host(handle) if self.threads > 1 => handle.each_thread(self.threads, value, work, wait),
            _ => {
                work(0, value);
                wait()
            }
        }
    }
}

#[cfg(test)]
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
    fn each_thread_runs_every_worker_and_drops_the_value_first() {
        let pool = Pool::new(3).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let got = pool.each_thread(
            sender,
            |i, sender| sender.send(i).unwrap(),
            || {
                // Every sender is gone once the workers are: the iterator ends.
                let mut all: Vec<usize> = receiver.iter().collect();
                all.sort();
                all
            },
        );
        assert_eq!(got, [0, 1, 2]);
    }

    #[test]
    fn bad_thread_counts_are_errors() {
        assert_eq!(Pool::new(0).err(), Some(Error::ThreadsOutOfRange { given: 0, max: MAX_THREADS }));
        assert!(Pool::new(MAX_THREADS + 1).is_err());
    }
}
