//! The lowest counter of a range that passes a test, searched on every
//! thread of a pool: for the kinds whose candidates are not one hash of a
//! byte template (ALTCHA v2's key derivations, Friendly Captcha's BLAKE2b),
//! so they do not go through parmine's mining kernels.
//!
//! Threads claim batches of counters in increasing order from one shared
//! cursor and scan each batch upward. The first match a thread sees lowers a
//! shared best; a thread stops claiming once the cursor is past the best, and
//! stops scanning a batch at the best. Every counter below the final best was
//! in a batch claimed while the best was higher and so was scanned: the
//! answer is the lowest match, whatever the threads and their timing (the
//! same guarantee as parmine's `chunked` strategy).

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::{Error, Result};
use crate::mine::Control;
use crate::pool::Pool;

/// The lowest passing counter, what the test returned for it, and the
/// candidates all threads tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowest<T> {
    /// The lowest counter that passed.
    pub counter: u64,
    /// What the test returned for it.
    pub found: T,
    /// Candidates tried by all threads.
    pub attempts: u64,
}

/// The lowest counter in `range` for which `test(scratch, counter)` returns
/// `Some`, tried `batch` counters at a time on the first `workers` threads of
/// `pool` (all of them when `workers` is as many or more), each thread with
/// a `scratch` of its own from `scratch()`. Fewer workers than threads is
/// how a memory-hard search fits its memory on a browser pool, whose size is
/// fixed when its worker starts. Attempts are recorded
/// on `control` after each batch, and a cancel stops every thread at its
/// next batch.
///
/// `range.end` must be at most 2^63, so the shared cursor cannot wrap.
///
/// # Errors
///
/// The first error `test` returns, [`Error::Cancelled`] when `control` is
/// cancelled, [`Error::Exhausted`] when no counter of the range passes.
pub fn lowest<S, T: Send>(
    range: Range<u64>,
    batch: u64,
    pool: &Pool,
    workers: usize,
    control: &Control,
    scratch: impl Fn() -> S + Sync,
    test: impl Fn(&mut S, u64) -> Result<Option<T>> + Sync,
) -> Result<Lowest<T>> {
    debug_assert!(range.end <= 1 << 63);
    let batch = batch.max(1);
    let cursor = AtomicU64::new(range.start);
    let best = AtomicU64::new(u64::MAX);
    let found: Mutex<Option<(u64, T)>> = Mutex::new(None);
    let attempts = AtomicU64::new(0);
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    pool.broadcast(|index| {
        if index >= workers.max(1) {
            return;
        }
        let mut scratch = scratch();
        loop {
            if control.is_cancelled() || failed.load(Ordering::Relaxed) {
                return;
            }
            let start = cursor.fetch_add(batch, Ordering::Relaxed);
            if start >= range.end || start > best.load(Ordering::Relaxed) {
                return;
            }
            let mut done = 0;
            for counter in start..(start + batch).min(range.end) {
                if counter > best.load(Ordering::Relaxed) {
                    break;
                }
                done += 1;
                match test(&mut scratch, counter) {
                    Ok(None) => {}
                    Ok(Some(value)) => {
                        if best.fetch_min(counter, Ordering::Relaxed) > counter {
                            let mut slot = found.lock().expect("not poisoned");
                            if slot.as_ref().is_none_or(|(c, _)| *c > counter) {
                                *slot = Some((counter, value));
                            }
                        }
                        break;
                    }
                    Err(e) => {
                        *failure.lock().expect("not poisoned") = Some(e);
                        failed.store(true, Ordering::Relaxed);
                        return;
                    }
                }
            }
            attempts.fetch_add(done, Ordering::Relaxed);
            control.record(done);
        }
    });
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let attempts = attempts.into_inner();
    if control.is_cancelled() {
        return Err(Error::Cancelled { attempts });
    }
    match found.into_inner().expect("not poisoned") {
        Some((counter, found)) => Ok(Lowest { counter, found, attempts }),
        None => Err(Error::Exhausted { range, attempts }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn only_the_first_workers_threads_search() {
        let pool = Pool::new(8).unwrap();
        for workers in [1, 3, 8, 20] {
            let seen = Mutex::new(HashSet::new());
            let found = lowest(
                0..5000,
                8,
                &pool,
                workers,
                &Control::new(),
                || (),
                |_, c| {
                    seen.lock().unwrap().insert(std::thread::current().id());
                    Ok((c == 4321).then_some(()))
                },
            )
            .unwrap();
            assert_eq!(found.counter, 4321);
            let seen = seen.into_inner().unwrap().len();
            assert!(seen >= 1 && seen <= workers.min(8), "{workers} workers, {seen} threads searched");
        }
    }

    /// A pseudo-random test: about one counter in 16 passes.
    fn passes(counter: u64) -> bool {
        counter.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17).is_multiple_of(16)
    }

    #[test]
    fn the_lowest_pass_is_found_on_any_number_of_threads_and_batches() {
        let all: Vec<u64> = (0..2000).filter(|&c| passes(c)).collect();
        assert!(all.len() > 50);
        for threads in [1, 2, 3, 8] {
            let pool = Pool::new(threads).unwrap();
            for batch in [1, 7, 64] {
                for start in [0, all[0], all[0] + 1, all[10]] {
                    let got = lowest(
                        start..2000,
                        batch,
                        &pool,
                        threads,
                        &Control::new(),
                        || (),
                        |_, c| Ok(passes(c).then_some(c * 2)),
                    )
                    .unwrap();
                    let expected = *all.iter().find(|&&c| c >= start).unwrap();
                    assert_eq!(
                        (got.counter, got.found),
                        (expected, expected * 2),
                        "{threads} {batch} {start}"
                    );
                    assert!(got.attempts > expected - start);
                }
            }
        }
    }

    #[test]
    fn none_exhausts_a_cancel_stops_and_an_error_comes_back() {
        let pool = Pool::new(2).unwrap();
        let never = |_: &mut (), _| Ok(None::<()>);
        let err = lowest(0..50, 4, &pool, 2, &Control::new(), || (), never).unwrap_err();
        assert!(matches!(err, Error::Exhausted { attempts: 50, .. }), "{err}");
        let control = Control::new();
        control.cancel();
        assert!(matches!(lowest(0..50, 4, &pool, 2, &control, || (), never), Err(Error::Cancelled { .. })));
        let fails =
            |_: &mut (), c| if c == 3 { Err(Error::InvalidArgument("three".into())) } else { Ok(None::<()>) };
        assert_eq!(
            lowest(0..50, 1, &pool, 2, &Control::new(), || (), fails).unwrap_err().to_string(),
            "three"
        );
    }
}
