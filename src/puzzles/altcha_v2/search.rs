//! One candidate of an ALTCHA v2 challenge (its counter's password and
//! derived key), and the lowest matching counter found with
//! [`lowest`](crate::puzzles::lowest), on every thread of a pool. In
//! deterministic mode the server's counter is then the one found.

use std::ops::Range;

use super::CounterMode;
use super::derive::Kdf;
use super::prefix::KeyPrefix;
use crate::error::Result;
use crate::hash::Kernel;
use crate::mine::Control;
use crate::pool::Pool;
use crate::puzzles::lowest::lowest;

/// A found counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The lowest counter in the range whose key matches.
    pub counter: u64,
    /// Its derived key.
    pub key: Vec<u8>,
    /// Keys derived by all threads.
    pub attempts: u64,
}

/// What to derive from: the challenge's bytes and derivation.
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    /// The derivation.
    pub kdf: &'a Kdf,
    /// The challenge's nonce, the start of every password.
    pub nonce: &'a [u8],
    /// The challenge's salt.
    pub salt: &'a [u8],
    /// How the counter follows the nonce.
    pub mode: CounterMode,
    /// What a key must start with.
    pub prefix: &'a KeyPrefix,
    /// Bytes of key to derive.
    pub key_len: usize,
    /// The SHA-256 kernel of the derivations that have lanes
    /// ([`Kdf::has_lanes`]); [`Kernel::Crate`] for the others.
    pub kernel: Kernel,
}

/// One thread's latest group of counters, derived side by side.
struct Group {
    /// The group's first counter.
    first: u64,
    /// Counters in it.
    len: usize,
    passwords: Vec<Vec<u8>>,
    keys: Vec<Vec<u8>>,
}

impl Search<'_> {
    /// The key of one counter (a `password` buffer reused between calls).
    pub fn key(&self, counter: u64, password: &mut Vec<u8>, key: &mut [u8]) -> Result<()> {
        self.mode.password(self.nonce, counter, password);
        self.kdf.derive(password, self.salt, key)
    }

    /// The lowest matching counter in `range` on the first `workers`
    /// threads of `pool`, recording attempts on and stopping for `control`.
    ///
    /// # Errors
    ///
    /// [`Error::Cancelled`](crate::Error::Cancelled) when `control` is
    /// cancelled, [`Error::Exhausted`](crate::Error::Exhausted) when no
    /// counter of the range matches.
    pub fn lowest(&self, range: Range<u64>, pool: &Pool, workers: usize, control: &Control) -> Result<Found> {
        // About a millisecond of work a batch: few claims for cheap keys, one
        // counter at a time for the memory-hard ones; whole groups of lanes.
        let lanes = self.kdf.lanes(self.kernel);
        let batch = (1u64 << 16).checked_div(self.kdf.work()).unwrap_or(1).clamp(1, 1 << 10);
        let batch = batch.next_multiple_of(lanes as u64);
        let scratch = || Group {
            first: 0,
            len: 0,
            passwords: vec![Vec::with_capacity(self.nonce.len() + 20); lanes],
            keys: vec![vec![0u8; self.key_len]; lanes],
        };
        let end = range.end;
        let found = lowest(range, batch, pool, workers, control, scratch, |group, counter| {
            // The lowest search asks for counters upward from each batch's
            // start, and batches are whole groups: one derivation a group.
            if !(group.first..group.first + group.len as u64).contains(&counter) {
                let len = lanes.min(usize::try_from(end - counter).unwrap_or(usize::MAX));
                for (offset, password) in (0..).zip(&mut group.passwords[..len]) {
                    self.mode.password(self.nonce, counter + offset, password);
                }
                self.kdf.derive_many(
                    self.kernel,
                    &group.passwords[..len],
                    self.salt,
                    &mut group.keys[..len],
                )?;
                (group.first, group.len) = (counter, len);
            }
            let key = &group.keys[(counter - group.first) as usize];
            Ok(self.prefix.matches(key).then(|| key.clone()))
        })?;
        Ok(Found { counter: found.counter, key: found.found, attempts: found.attempts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Hasher as _, Sha256};
    use crate::puzzles::altcha_v2::derive::KdfSpec;

    fn kdf() -> Kdf {
        Kdf::new(&KdfSpec {
            algorithm: "SHA-256",
            cost: 2,
            memory_cost: None,
            parallelism: None,
            key_length: 32,
        })
        .unwrap()
    }

    /// Every counter of `range` whose key starts with `prefix`, one by one.
    fn matches_one_by_one(search: &Search, range: Range<u64>) -> Vec<u64> {
        let (mut password, mut key) = (Vec::new(), vec![0; search.key_len]);
        range
            .filter(|&c| {
                search.key(c, &mut password, &mut key).unwrap();
                search.prefix.matches(&key)
            })
            .collect()
    }

    #[test]
    fn the_lowest_match_is_found_on_any_number_of_threads() {
        let kdf = kdf();
        // One hex digit: about one counter in 16 matches, so several threads
        // find matches at once and the search must still return the lowest.
        let prefix = KeyPrefix::parse("a", 32).unwrap();
        // Every SHA-256 kernel here (groups of 1 to 16 counters), and a range
        // that is no whole number of groups.
        let modes = [CounterMode::Uint32, CounterMode::String];
        for (mode, &kernel) in modes.into_iter().flat_map(|m| Sha256::kernels().iter().map(move |k| (m, k))) {
            let search = Search {
                kdf: &kdf,
                nonce: b"0123456789abcdef",
                salt: b"salt",
                mode,
                prefix: &prefix,
                key_len: 32,
                kernel,
            };
            let all = matches_one_by_one(&search, 0..397);
            assert!(all.len() > 5, "{all:?}");
            for threads in [1, 2, 3, 8] {
                let pool = Pool::new(threads).unwrap();
                for start in [0, all[0], all[0] + 1] {
                    let found = search.lowest(start..397, &pool, threads, &Control::new()).unwrap();
                    let expected = *all.iter().find(|&&c| c >= start).unwrap();
                    assert_eq!(found.counter, expected, "{mode:?} {kernel} {threads} threads from {start}");
                    let mut key = vec![0; 32];
                    search.key(found.counter, &mut Vec::new(), &mut key).unwrap();
                    assert_eq!(found.key, key);
                    assert!(found.attempts > expected - start);
                }
            }
            let tail = search.lowest(all[all.len() - 1]..397, &Pool::new(2).unwrap(), 2, &Control::new());
            assert_eq!(tail.unwrap().counter, all[all.len() - 1], "{kernel}: the range's last group");
        }
    }

    #[test]
    fn no_match_exhausts_and_a_cancel_stops() {
        let kdf = kdf();
        let prefix = KeyPrefix::parse("00000000", 32).unwrap();
        let search = Search {
            kdf: &kdf,
            nonce: b"n",
            salt: b"s",
            mode: CounterMode::Uint32,
            prefix: &prefix,
            key_len: 32,
            kernel: Kernel::Crate,
        };
        let pool = Pool::new(2).unwrap();
        let err = search.lowest(0..50, &pool, 2, &Control::new()).unwrap_err();
        assert!(matches!(err, crate::Error::Exhausted { attempts: 50, .. }), "{err}");
        let control = Control::new();
        control.cancel();
        assert!(matches!(search.lowest(0..50, &pool, 2, &control), Err(crate::Error::Cancelled { .. })));
    }
}
