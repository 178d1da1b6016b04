//! No threads (wasm without atomics): one thread, the calling one.

use crate::error::{Error, Result};

/// Nothing to hold: work runs on the calling thread.
#[derive(Clone)]
pub(super) struct Handle;

impl Handle {
    pub(super) fn new(_threads: usize) -> Result<Handle> {
        Ok(Handle)
    }

    pub(super) fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        op()
    }

    pub(super) fn broadcast<R: Send>(&self, op: impl Fn(usize) -> R + Sync) -> Vec<R> {
        vec![op(0)]
    }

    pub(super) fn each_thread<T: Clone + Send, R>(
        &self,
        _threads: usize,
        value: T,
        work: impl Fn(usize, T) + Sync,
        wait: impl FnOnce() -> R,
    ) -> R {
        work(0, value);
        wait()
    }
}

pub(super) fn max_threads() -> usize {
    1
}

pub(super) fn default_sweep() -> Vec<usize> {
    vec![1]
}

pub(super) fn default_threads() -> usize {
    1
}

/// A build without threads has no pool to announce.
pub fn set_global_threads(_threads: usize) -> Result<()> {
    Err(Error::InvalidArgument("this build has no threads".into()))
}
