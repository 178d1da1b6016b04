//! The search core every strategy shares.
//!
//! A [`Search`] is built once per mining run: the block's [`Template`], the
//! hasher's midstate over the template's prefix, and the target. Each thread
//! makes its own [`Worker`] (one tail buffer, allocated once) and asks it to
//! [`scan`](Worker::scan) a batch of nonces. Strategies differ only in which
//! batches they hand to which thread; none of them touches a block, a string
//! or the allocator per candidate.
//!
//! [`Run`] adds what a strategy needs around the core: the nonce range cut
//! into batches, the caller's [`Control`] (stop flag and live counter) and
//! the run's own attempt count. Shared counters are touched once per batch,
//! with relaxed atomics: they are statistics and a request to stop, not
//! synchronisation of data.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Control;
use crate::block::Template;
use crate::difficulty::Difficulty;
use crate::hash::{Digest, Hasher};

/// Most candidates per batch: between two looks at the stop flag and two
/// updates of the progress counters. Natively a batch of header candidates
/// takes about 0.2 ms, in wasm a few ms, so a cancel lands well within 100 ms.
pub const BATCH: u64 = 4096;

/// The work a batch aims at, in 64-byte blocks compressed. A candidate of the
/// blog's JSON re-hashes every transaction after the proof (a block of 10,000
/// transactions is 900 kB: 14,000 compressions per candidate), so batches of
/// [`BATCH`] candidates would take seconds and a cancel would wait for them.
/// Batches shrink instead to about this much hashing: under 1 ms natively,
/// a few ms in wasm. Headers and the blog's empty block stay at [`BATCH`].
const BATCH_BLOCKS: u64 = 16 * 1024;

/// Candidates per batch for `template`: [`BATCH`], or fewer where each
/// candidate hashes many blocks (at least 1).
pub fn batch_len(template: &Template) -> u64 {
    // Bytes hashed per candidate after the midstate: the prefix's partial
    // block, the longest nonce, the suffix, and SHA-256's padding.
    let longest_nonce = template.nonce_format().len(u64::MAX);
    let tail = template.prefix().len() % 64 + longest_nonce + template.suffix().len() + 9;
    let blocks = tail.div_ceil(64) as u64;
    (BATCH_BLOCKS / blocks).clamp(1, BATCH)
}

/// A nonce whose hash meets the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The nonce (the block's proof).
    pub nonce: u64,
    /// The hash of the block with that nonce.
    pub digest: Digest,
}

/// What stopped a search that found nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The caller's [`Control`] was cancelled.
    Cancelled,
    /// Every nonce in the range was tried.
    Exhausted,
}

/// How a strategy's search ended.
pub type Outcome = Result<Found, Stop>;

/// The read-only part of a search, shared by every worker.
pub struct Search<'a, H: Hasher> {
    template: &'a Template,
    midstate: H::Midstate,
    difficulty: Difficulty,
}

impl<'a, H: Hasher> Search<'a, H> {
    /// Absorb `template`'s prefix once.
    pub fn new(template: &'a Template, difficulty: Difficulty) -> Self {
        Search { template, midstate: H::midstate(template.prefix()), difficulty }
    }

    /// A worker with its own tail buffers.
    pub fn worker(&self) -> Worker<'_, 'a, H> {
        let tails = (0..H::LANES).map(|_| H::tail(&self.midstate, 0)).collect();
        let mut worker = Worker { search: self, tails, nonce_len: usize::MAX };
        worker.lay_out(1);
        worker
    }
}

/// One thread's scratch space: a tail buffer per lane of the hasher's
/// multi-lane kernel (one for most), laid out for the current nonce length.
pub struct Worker<'s, 'a, H: Hasher> {
    search: &'s Search<'a, H>,
    tails: Vec<H::Tail>,
    /// Length of the nonce the tails are laid out for.
    nonce_len: usize,
}

/// The result of scanning a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// The first nonce of the batch that met the target.
    pub found: Option<Found>,
    /// Candidates hashed, up to and including the found one.
    pub attempts: u64,
}

impl<H: Hasher> Worker<'_, '_, H> {
    /// Lay the tails out for nonces of `len` bytes: nonce slot, then suffix.
    /// Binary nonces never change length; decimal ones only at powers of ten.
    #[cold]
    fn lay_out(&mut self, len: usize) {
        let suffix = self.search.template.suffix();
        for tail in &mut self.tails {
            *tail = H::tail(&self.search.midstate, len + suffix.len());
            H::tail_bytes(tail)[len..].copy_from_slice(suffix);
        }
        self.nonce_len = len;
    }

    /// Write `nonce` into lane `lane`'s tail (laid out for its length).
    #[inline]
    fn write(&mut self, lane: usize, nonce: u64) {
        let format = self.search.template.nonce_format();
        let len = format.len(nonce);
        if len != self.nonce_len {
            self.lay_out(len);
        }
        format.write(nonce, &mut H::tail_bytes(&mut self.tails[lane])[..len]);
    }

    /// The digest of the template with `nonce`.
    #[inline]
    pub fn digest(&mut self, nonce: u64) -> Digest {
        self.write(0, nonce);
        H::finish(&self.search.midstate, &self.tails[0])
    }

    /// The digests of `H::LANES` nonces `start, start + step, …` through the
    /// hasher's multi-lane kernel, when they all encode to the same length.
    #[inline]
    fn digest_lanes(&mut self, start: u64, step: u64, out: &mut [Digest]) -> bool {
        let format = self.search.template.nonce_format();
        // The last lane's nonce; none past u64::MAX, and all of one length.
        let last = step.checked_mul(H::LANES as u64 - 1).and_then(|span| start.checked_add(span));
        if last.is_none_or(|last| format.len(last) != format.len(start)) {
            return false;
        }
        for lane in 0..H::LANES {
            self.write(lane, start + step * lane as u64);
        }
        H::finish_lanes(&self.search.midstate, &self.tails, out);
        true
    }

    /// Try `count` nonces `start, start + step, …` in that order and stop at
    /// the first that meets the target.
    #[inline]
    pub fn scan(&mut self, start: u64, step: u64, count: u64) -> Scan {
        let difficulty = self.search.difficulty;
        let lanes = H::LANES as u64;
        const { assert!(H::LANES >= 1 && H::LANES <= 16, "a hasher has 1 to 16 lanes") };
        let mut digests = [[0u8; 32]; 16];
        let mut nonce = start;
        let mut i = 0;
        while i < count {
            // Several candidates at once where the hasher can, in nonce order.
            if lanes > 1 && count - i >= lanes && self.digest_lanes(nonce, step, &mut digests[..H::LANES]) {
                for (lane, digest) in digests[..H::LANES].iter().enumerate() {
                    if difficulty.is_met_by(digest) {
                        let nonce = nonce + step * lane as u64;
                        return Scan {
                            found: Some(Found { nonce, digest: *digest }),
                            attempts: i + lane as u64 + 1,
                        };
                    }
                }
                i += lanes;
                nonce = nonce.wrapping_add(step * lanes);
                continue;
            }
            let digest = self.digest(nonce);
            if difficulty.is_met_by(&digest) {
                return Scan { found: Some(Found { nonce, digest }), attempts: i + 1 };
            }
            i += 1;
            nonce = nonce.wrapping_add(step);
        }
        Scan { found: None, attempts: count }
    }
}

/// A search over a nonce range, with the caller's control and a count of work.
pub struct Run<'a, H: Hasher> {
    /// The shared search core.
    pub search: Search<'a, H>,
    /// The nonces to try, never empty.
    pub range: Range<u64>,
    /// Candidates per batch (see [`batch_len`]).
    batch: u64,
    control: &'a Control,
    attempts: AtomicU64,
}

impl<'a, H: Hasher> Run<'a, H> {
    /// A run over `range` (non-empty), reporting to `control`.
    pub fn new(search: Search<'a, H>, range: Range<u64>, control: &'a Control) -> Self {
        debug_assert!(range.start < range.end);
        let batch = batch_len(search.template);
        Run { search, range, batch, control, attempts: AtomicU64::new(0) }
    }

    /// Candidates per batch: between two looks at the stop flag.
    pub fn batch_len(&self) -> u64 {
        self.batch
    }

    /// Candidates hashed so far by this run.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Count `n` more candidates, for this run and for the live counter.
    #[inline]
    pub fn record(&self, n: u64) {
        self.attempts.fetch_add(n, Ordering::Relaxed);
        self.control.record(n);
    }

    /// Whether the caller asked to stop.
    #[inline]
    pub fn cancelled(&self) -> bool {
        self.control.is_cancelled()
    }

    /// Number of batches the range is cut into.
    pub fn batches(&self) -> u64 {
        (self.range.end - self.range.start).div_ceil(self.batch)
    }

    /// The nonces of batch `index`.
    pub fn batch(&self, index: u64) -> Range<u64> {
        let start = self.range.start + index * self.batch;
        start..start.saturating_add(self.batch).min(self.range.end)
    }

    /// Scan batch `index` with `worker`: `None` to go on, `Some` when the
    /// search is over (a proof, or a cancel seen before starting the batch).
    #[inline]
    pub fn try_batch(&self, worker: &mut Worker<'_, 'a, H>, index: u64) -> Option<Outcome> {
        if self.cancelled() {
            return Some(Err(Stop::Cancelled));
        }
        let nonces = self.batch(index);
        let scan = worker.scan(nonces.start, 1, nonces.end - nonces.start);
        self.record(scan.attempts);
        scan.found.map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{Block, Encoding};
    use crate::hash::{Blake3, HashAlgorithm, Sha256};

    fn check_digests<H: Hasher>(encoding: Encoding) {
        let block = Block::benchmark();
        let template = encoding.template(&block, H::ALGORITHM).unwrap();
        let search = Search::<H>::new(&template, Difficulty::from_bits(1).unwrap());
        let mut worker = search.worker();
        // Across decimal length changes, forwards and backwards.
        for nonce in [0, 1, 9, 10, 11, 99, 100, 5, 123456789, 9999999999, u64::MAX, 7] {
            let expected = H::hash(&encoding.encode(&block, H::ALGORITHM, nonce).unwrap());
            assert_eq!(worker.digest(nonce), expected, "{encoding} nonce {nonce}");
        }
    }

    #[test]
    fn worker_digests_equal_whole_message_hashes() {
        for encoding in Encoding::ALL {
            check_digests::<Sha256>(encoding);
            check_digests::<Blake3>(encoding);
        }
    }

    #[test]
    fn batches_shrink_with_the_work_per_candidate() {
        let alg = HashAlgorithm::Sha256;
        let header = Encoding::Header.template(&Block::sample(1, 10_000).unwrap(), alg).unwrap();
        assert_eq!(batch_len(&header), BATCH, "a header candidate is one block whatever the block holds");
        let empty = Encoding::Json.template(&Block::benchmark(), alg).unwrap();
        assert_eq!(batch_len(&empty), BATCH, "the blog's own block");
        let mut last = BATCH;
        for transactions in [10, 100, 1000, 10_000, 100_000] {
            let json = Encoding::Json.template(&Block::sample(1, transactions).unwrap(), alg).unwrap();
            let batch = batch_len(&json);
            let blocks = (json.suffix().len() as u64).div_ceil(64);
            assert!(batch >= 1 && (batch < last || batch == 1), "{transactions}: {batch}");
            // About BATCH_BLOCKS compressions per batch, never much more.
            assert!(batch == 1 || batch * blocks <= BATCH_BLOCKS, "{transactions}: {batch} x {blocks}");
            last = batch;
        }
    }

    #[test]
    fn scan_stops_at_the_first_hit_and_counts_it() {
        let template = Encoding::Header.template(&Block::benchmark(), HashAlgorithm::Sha256).unwrap();
        let difficulty = Difficulty::from_bits(4).unwrap();
        let search = Search::<Sha256>::new(&template, difficulty);
        let mut worker = search.worker();
        let scan = worker.scan(0, 1, 10_000);
        let found = scan.found.expect("a 4-bit target is met within 10k tries");
        assert_eq!(scan.attempts, found.nonce + 1);
        for nonce in 0..found.nonce {
            assert!(!difficulty.is_met_by(&Sha256::hash(&template.message(nonce))));
        }
    }
}
