//! Native threads: rayon pools of an exact size, and scoped OS threads.

use std::sync::{Arc, Mutex};

use super::MAX_THREADS;
use crate::error::{Error, Result};

/// A rayon pool of our own.
#[derive(Clone)]
pub(super) struct Handle(Arc<rayon::ThreadPool>);

/// The most recently built pool, reused while runs keep the same size.
static LAST: Mutex<Option<(usize, Handle)>> = Mutex::new(None);

impl Handle {
    pub(super) fn new(threads: usize) -> Result<Handle> {
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, handle)) = last.as_ref().filter(|(n, _)| *n == threads) {
            return Ok(handle.clone());
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("parmine-{i}"))
            .build()
            .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))?;
        let handle = Handle(Arc::new(pool));
        *last = Some((threads, handle.clone()));
        Ok(handle)
    }

    pub(super) fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.0.install(op)
    }

    pub(super) fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        self.0.broadcast(|ctx| op(ctx.index()))
    }

    /// Scoped OS threads, one per worker (the blog's hand-rolled threads).
    pub(super) fn each_thread<T: Clone + Send, R>(
        &self,
        threads: usize,
        value: T,
        work: impl Fn(usize, T) + Sync,
        wait: impl FnOnce() -> R,
    ) -> R {
        std::thread::scope(|scope| {
            for i in 0..threads {
                let (value, work) = (value.clone(), &work);
                scope.spawn(move || work(i, value));
            }
            drop(value);
            wait()
        })
    }
}

pub(super) fn max_threads() -> usize {
    MAX_THREADS
}

pub(super) fn default_sweep() -> Vec<usize> {
    (1..=default_threads()).collect()
}

pub(super) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS)
}

/// Natively there is no global pool to announce: pools are made per size.
pub fn set_global_threads(_threads: usize) -> Result<()> {
    Err(Error::InvalidArgument("native runs make their own pools; there is no global pool to set".into()))
}
