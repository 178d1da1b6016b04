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
use crate::error::{Error, Result};
use crate::hash::{Digest, Hasher, Kernel, MAX_LANES, MAX_NONCE};
use crate::target::Target;

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
fn candidates_per_batch(template: &Template) -> u64 {
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

/// Whether the hasher `H` has `kernel` on this machine, as an error that
/// lists the ones it has.
pub fn check_kernel<H: Hasher>(kernel: Kernel) -> Result<()> {
    if H::kernels().contains(&kernel) {
        return Ok(());
    }
    let names: Vec<&str> = H::kernels().iter().map(|k| k.name()).collect();
    Err(Error::InvalidArgument(format!(
        "{} has no {kernel} kernel on this machine: use one of {}",
        H::ALGORITHM,
        names.join(", ")
    )))
}

/// The read-only part of a search, shared by every worker.
pub struct Search<'a, H: Hasher> {
    template: &'a Template,
    midstate: H::Midstate,
    target: Target,
    kernel: Kernel,
}

impl<'a, H: Hasher> Search<'a, H> {
    /// Absorb `template`'s prefix once; candidates go through the hasher's
    /// default kernel.
    pub fn new(template: &'a Template, target: impl Into<Target>) -> Self {
        Search {
            template,
            midstate: H::midstate(template.prefix()),
            target: target.into(),
            kernel: H::kernels()[0],
        }
    }

    /// The same, through `kernel`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when the hasher has no such kernel on this
    /// machine (see [`Hasher::kernels`]).
    pub fn with_kernel(template: &'a Template, target: impl Into<Target>, kernel: Kernel) -> Result<Self> {
        check_kernel::<H>(kernel)?;
        Ok(Search { kernel, ..Self::new(template, target) })
    }

    /// The kernel candidates go through.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// A worker with its own buffers.
    pub fn worker(&self) -> Worker<'_, 'a, H> {
        Worker {
            search: self,
            tail: H::tail(&self.midstate, 0),
            tail_len: None,
            layout: None,
            nonces: [[0; MAX_NONCE]; MAX_LANES],
        }
    }
}

/// One thread's scratch space: a tail buffer for single candidates, and a
/// layout for groups of [`MAX_LANES`], both laid out for the current nonce
/// length (and, for binary nonces, their fixed leading bytes).
pub struct Worker<'s, 'a, H: Hasher> {
    search: &'s Search<'a, H>,
    tail: H::Tail,
    /// Nonce length the tail is laid out for.
    tail_len: Option<usize>,
    /// The layout and the (length, group) of nonces it serves.
    layout: Option<((usize, u64), H::Layout)>,
    /// Each lane's varying nonce bytes.
    nonces: [[u8; MAX_NONCE]; MAX_LANES],
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
    /// Lay the tail out for nonces of `len` bytes: nonce slot, then suffix.
    /// Binary nonces never change length; decimal ones only at powers of ten.
    #[cold]
    fn lay_out_tail(&mut self, len: usize) {
        let suffix = self.search.template.suffix();
        self.tail = H::tail(&self.search.midstate, len + suffix.len());
        H::tail_bytes(&mut self.tail)[len..].copy_from_slice(suffix);
        self.tail_len = Some(len);
    }

    /// Write `nonce` into the tail (laid out for its length).
    #[inline]
    fn write(&mut self, nonce: u64) {
        let format = self.search.template.nonce_format();
        let len = format.len(nonce);
        if self.tail_len != Some(len) {
            self.lay_out_tail(len);
        }
        format.write(nonce, &mut H::tail_bytes(&mut self.tail)[..len]);
    }

    /// The digest of the template with `nonce`.
    #[inline]
    pub fn digest(&mut self, nonce: u64) -> Digest {
        self.write(nonce);
        H::finish(&self.search.midstate, &self.tail)
    }

    /// Prepare a layout for the nonces of `nonce`'s length and group.
    #[cold]
    fn lay_out_group(&mut self, nonce: u64, key: (usize, u64)) {
        self.write(nonce);
        let fixed = self.search.template.nonce_format().fixed_bytes(key.0);
        let layout = H::layout(&self.search.midstate, &self.tail, fixed..key.0, self.search.kernel);
        self.layout = Some((key, layout));
    }

    /// Word `word` of the digests of [`MAX_LANES`] nonces `start, start +
    /// step, …`, when they all share one length and group.
    #[inline]
    fn digest_words(&mut self, start: u64, step: u64, word: usize, out: &mut [u32; MAX_LANES]) -> bool {
        let format = self.search.template.nonce_format();
        // The last lane's nonce; none past u64::MAX, and all of one layout.
        let Some(last) = step.checked_mul(MAX_LANES as u64 - 1).and_then(|span| start.checked_add(span))
        else {
            return false;
        };
        let key = (format.len(start), format.group(start));
        if (format.len(last), format.group(last)) != key {
            return false;
        }
        if self.layout.as_ref().is_none_or(|(k, _)| *k != key) {
            self.lay_out_group(start, key);
        }
        let varying = key.0 - format.fixed_bytes(key.0);
        for (lane, bytes) in self.nonces.iter_mut().enumerate() {
            format.write_varying(start + step * lane as u64, &mut bytes[..varying]);
        }
        let (_, layout) = self.layout.as_mut().expect("laid out above");
        H::finish_lanes(layout, &self.nonces, word, out);
        true
    }

    /// Try `count` nonces `start, start + step, …` in that order and stop at
    /// the first that meets the target.
    #[inline]
    pub fn scan(&mut self, start: u64, step: u64, count: u64) -> Scan {
        let target = self.search.target;
        let prefilter = target.prefilter();
        let lanes = MAX_LANES as u64;
        let mut words = [0u32; MAX_LANES];
        let mut nonce = start;
        let mut i = 0;
        while i < count {
            // Many candidates at once, in nonce order; only those whose word
            // passes the prefilter are hashed in full.
            if count - i >= lanes && self.digest_words(nonce, step, prefilter.word, &mut words) {
                // A mask of the lanes that pass, computed without branches
                // (the compiler vectorises it); then the rare passes in order.
                let mut passing = prefilter.mask(&words);
                while passing != 0 {
                    let lane = passing.trailing_zeros() as u64;
                    passing &= passing - 1;
                    let candidate = nonce + step * lane;
                    let digest = self.digest(candidate);
                    if target.is_met_by(&digest) {
                        return Scan {
                            found: Some(Found { nonce: candidate, digest }),
                            attempts: i + lane + 1,
                        };
                    }
                }
                i += lanes;
                nonce = nonce.wrapping_add(step * lanes);
                continue;
            }
            let digest = self.digest(nonce);
            if target.is_met_by(&digest) {
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
    /// Candidates per batch (see [`candidates_per_batch`]).
    batch: u64,
    control: &'a Control,
    attempts: AtomicU64,
}

impl<'a, H: Hasher> Run<'a, H> {
    /// A run over `range` (non-empty), reporting to `control`.
    pub fn new(search: Search<'a, H>, range: Range<u64>, control: &'a Control) -> Self {
        debug_assert!(range.start < range.end);
        let batch = candidates_per_batch(search.template);
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

    /// Batches a proof is expected to take in this range (infinite for a
    /// target nothing meets).
    pub fn expected_batches(&self) -> f64 {
        self.search.target.expected_attempts(self.range.end - self.range.start) / self.batch as f64
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
    use crate::difficulty::Difficulty;
    use crate::hash::{Blake3, HashAlgorithm, Sha256};

    fn d(digits: u32) -> Difficulty {
        Difficulty::from_hex_digits(digits).unwrap()
    }

    fn check_digests<H: Hasher>(encoding: Encoding) {
        let block = Block::benchmark();
        let template = encoding.template(&block, H::ALGORITHM, d(1)).unwrap();
        let search = Search::<H>::new(&template, Difficulty::from_bits(1).unwrap());
        let mut worker = search.worker();
        // Across decimal length changes, forwards and backwards.
        for nonce in [0, 1, 9, 10, 11, 99, 100, 5, 123456789, 9999999999, u64::MAX, 7] {
            let expected = H::hash(&encoding.encode(&block, H::ALGORITHM, d(1), nonce).unwrap());
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
        let header = Encoding::Header.template(&Block::sample(1, 10_000).unwrap(), alg, d(5)).unwrap();
        assert_eq!(
            candidates_per_batch(&header),
            BATCH,
            "a header candidate is one block whatever the block holds"
        );
        let empty = Encoding::Json.template(&Block::benchmark(), alg, d(5)).unwrap();
        assert_eq!(candidates_per_batch(&empty), BATCH, "the blog's own block");
        let mut last = BATCH;
        for transactions in [10, 100, 1000, 10_000, 100_000] {
            let json = Encoding::Json.template(&Block::sample(1, transactions).unwrap(), alg, d(5)).unwrap();
            let batch = candidates_per_batch(&json);
            let blocks = (json.suffix().len() as u64).div_ceil(64);
            assert!(batch >= 1 && (batch < last || batch == 1), "{transactions}: {batch}");
            // About BATCH_BLOCKS compressions per batch, never much more.
            assert!(batch == 1 || batch * blocks <= BATCH_BLOCKS, "{transactions}: {batch} x {blocks}");
            last = batch;
        }
    }

    #[test]
    fn scan_stops_at_the_first_hit_and_counts_it() {
        let difficulty = Difficulty::from_bits(4).unwrap();
        let template =
            Encoding::Header.template(&Block::benchmark(), HashAlgorithm::Sha256, difficulty).unwrap();
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
