//! Mining: find a nonce that gives a block's hash enough leading zeros.
//!
//! Six [`Strategy`]s share one search core ([`search`]): the blog's five
//! (an imperative loop, an iterator, rayon `find_first`, rayon `find_any`,
//! striped threads) and parmine's own `chunked`. They all return the same
//! [`Mined`], honour the same thread count, nonce range and [`Control`], and
//! the deterministic ones return the lowest valid proof on every host and for
//! every thread count.
//!
//! # Examples
//!
//! ```
//! use parmine::{Block, Difficulty, Encoding, HashAlgorithm, Miner, Puzzle, Strategy};
//!
//! let puzzle = Puzzle::new(
//!     &Block::benchmark(),
//!     Encoding::Header,
//!     HashAlgorithm::Sha256,
//!     Difficulty::from_hex_digits(3)?,
//! )?;
//! let first = Miner::new(Strategy::Sequential).mine(&puzzle)?;
//! let chunked = Miner::new(Strategy::Chunked).threads(2).mine(&puzzle)?;
//! assert_eq!(first.proof, chunked.proof);
//! assert!(puzzle.verify(first.proof));
//! # Ok::<(), parmine::Error>(())
//! ```

mod chunked;
mod find_any;
mod find_first;
mod iterator;
pub mod search;
mod sequential;
mod striped;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::{Serialize, Serializer};

use self::search::{Run, Search, Stop};
use crate::block::{Block, Encoding, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{Digest, HashAlgorithm, Hasher, Kernel, to_hex};
use crate::pool::Pool;
use crate::target::Target;

/// How the nonce space is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    /// One thread, an imperative loop over the nonces.
    Sequential,
    /// One thread, `Iterator::find_map` over batches of nonces.
    Iterator,
    /// rayon `find_map_first` over ascending windows of batches: the lowest
    /// proof, like `Sequential`, on any number of threads.
    FindFirst,
    /// rayon `find_map_any` over the whole range: any proof, first come.
    FindAny,
    /// T threads; thread i tries i, i+T, i+2T, …; a shared stop flag and a
    /// channel to the caller, as in the blog.
    Striped,
    /// T threads claim batches from an atomic counter in ascending order; the
    /// lowest proof wins, so it is deterministic and needs no ordering work.
    Chunked,
    /// The GPU (`crate::gpu`): windows of nonces dispatched in order, the
    /// lowest proof of each window by atomic minimum. Not in [`ALL`](Self::ALL)
    /// (a machine may have no GPU): asked for by name.
    Gpu,
}

impl Strategy {
    /// Every strategy, in the blog's order and then ours.
    pub const ALL: [Strategy; 6] = [
        Strategy::Sequential,
        Strategy::Iterator,
        Strategy::FindFirst,
        Strategy::FindAny,
        Strategy::Striped,
        Strategy::Chunked,
    ];

    /// The name used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Sequential => "sequential",
            Strategy::Iterator => "iterator",
            Strategy::FindFirst => "find-first",
            Strategy::FindAny => "find-any",
            Strategy::Striped => "striped",
            Strategy::Chunked => "chunked",
            Strategy::Gpu => "gpu",
        }
    }

    /// What the strategy does, in one sentence (for the page).
    pub const fn description(self) -> &'static str {
        match self {
            Strategy::Sequential => "one thread, an imperative loop over the nonces (the blog's first)",
            Strategy::Iterator => "one thread, Iterator::find over the nonces (the blog's second)",
            Strategy::FindFirst => {
                "rayon find_first over ascending windows: the lowest proof, without the blog's wasted half"
            }
            Strategy::FindAny => "rayon find_any over the whole range: any proof, first come",
            Strategy::Striped => {
                "T threads; thread i tries i, i+T, …; a stop flag and a channel (the blog's last)"
            }
            Strategy::Chunked => "T threads claim batches in order from one counter; the lowest proof wins",
            Strategy::Gpu => {
                "the GPU: windows of nonces in order, each window's lowest proof by atomic minimum"
            }
        }
    }

    /// Whether the strategy uses more than one CPU thread (the GPU's work is
    /// parallel, but it takes no thread count).
    pub const fn is_parallel(self) -> bool {
        !matches!(self, Strategy::Sequential | Strategy::Iterator | Strategy::Gpu)
    }

    /// Whether it always returns the lowest valid proof in the range.
    pub const fn is_deterministic(self) -> bool {
        !matches!(self, Strategy::FindAny | Strategy::Striped)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.to_ascii_lowercase().replace('_', "-");
        Strategy::ALL.into_iter().chain([Strategy::Gpu]).find(|st| st.name() == wanted).ok_or_else(|| {
            Error::UnknownName {
                kind: "strategy",
                given: s.to_string(),
                expected: "sequential, iterator, find-first, find-any, striped, chunked, gpu",
            }
        })
    }
}

impl Serialize for Strategy {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Strategy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// Cancellation and live progress for a run, shared with other threads.
///
/// The miner adds to the attempt counter once per batch and looks at the stop
/// flag once per batch; another thread may read the one and set the other at
/// any time. The layout is fixed (`repr(C)`: the counter at offset 0, the flag
/// at 8) so that a web page can read and write them in shared wasm memory
/// with `Atomics`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use parmine::{Block, Control, Difficulty, Encoding, Error, HashAlgorithm, Miner, Puzzle, Strategy};
///
/// let control = Arc::new(Control::new());
/// let puzzle = Puzzle::new(&Block::benchmark(), Encoding::Header, HashAlgorithm::Sha256,
///                          Difficulty::from_hex_digits(30)?)?;
/// let stopper = Arc::clone(&control);
/// std::thread::spawn(move || { std::thread::sleep(std::time::Duration::from_millis(20)); stopper.cancel() });
/// let err = Miner::new(Strategy::Chunked).threads(2).control(control).mine(&puzzle).unwrap_err();
/// assert!(matches!(err, Error::Cancelled { .. }));
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Default)]
#[repr(C)]
pub struct Control {
    attempts: AtomicU64,
    cancelled: AtomicU32,
    /// Called with the running total after each batch, if a host set it.
    observer: OnceLock<fn(u64)>,
}

impl Control {
    /// A fresh control: not cancelled, no attempts.
    pub const fn new() -> Self {
        Control { attempts: AtomicU64::new(0), cancelled: AtomicU32::new(0), observer: OnceLock::new() }
    }

    /// Have `observer(total)` called with the attempt count after every batch
    /// (a host that cannot read the counter while a job runs: the browser's
    /// single-threaded build forwards it to the page). Set once; a second
    /// observer is ignored and `false` returned.
    pub fn observe(&self, observer: fn(u64)) -> bool {
        self.observer.set(observer).is_ok()
    }

    /// Ask every run using this control to stop at its next batch.
    pub fn cancel(&self) {
        self.cancelled.store(1, Ordering::Relaxed);
    }

    /// Whether [`cancel`](Self::cancel) was called since the last reset.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) != 0
    }

    /// Candidates hashed so far by runs using this control.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Clear the flag and the counter for a new run.
    pub fn reset(&self) {
        self.cancelled.store(0, Ordering::Relaxed);
        self.attempts.store(0, Ordering::Relaxed);
    }

    /// Add `attempts` to the count (every miner does, once per batch; so
    /// does a host's own miner, such as the page's WebGPU one).
    #[inline]
    pub fn record(&self, attempts: u64) {
        let total = self.attempts.fetch_add(attempts, Ordering::Relaxed) + attempts;
        if let Some(observer) = self.observer.get() {
            observer(total);
        }
    }
}

/// A block ready to mine: its encoded template, the hash and the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Puzzle {
    template: Template,
    algorithm: HashAlgorithm,
    target: Target,
}

impl Puzzle {
    /// Encode `block` once for mining at `difficulty` leading zero bits.
    pub fn new(
        block: &Block,
        encoding: Encoding,
        algorithm: HashAlgorithm,
        difficulty: Difficulty,
    ) -> Result<Puzzle> {
        Ok(Puzzle {
            template: encoding.template(block, algorithm, difficulty)?,
            algorithm,
            target: Target::LeadingZeros(difficulty),
        })
    }

    /// Any puzzle: `template`'s messages hashed with `algorithm` until one
    /// meets `target` (the real-world kinds in [`crate::puzzles`]).
    pub fn from_parts(template: Template, algorithm: HashAlgorithm, target: Target) -> Puzzle {
        Puzzle { template, algorithm, target }
    }

    /// The encoded block.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The hash function.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The target.
    pub fn target(&self) -> Target {
        self.target
    }

    /// The hash of the block with `nonce`, from the whole message (slow path).
    pub fn digest(&self, nonce: u64) -> Digest {
        self.algorithm.hash(&self.template.message(nonce))
    }

    /// Whether `nonce` is a valid proof.
    pub fn verify(&self, nonce: u64) -> bool {
        self.target.is_met_by(&self.digest(nonce))
    }
}

/// A successful mining run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mined {
    /// The proof (nonce) found.
    pub proof: u64,
    /// The block's hash with that proof.
    #[serde(serialize_with = "crate::hash::serde_hex::serialize")]
    pub hash: Digest,
    /// Candidates hashed by all threads, including those after the proof
    /// that parallel strategies try before they hear to stop.
    pub attempts: u64,
    /// The part of `attempts` that counts towards finding a proof. For the
    /// deterministic strategies, the nonces from the start of the range up to
    /// the proof (what the sequential loop hashes); the rest was hashed past
    /// the proof and thrown away. For `find-any` and `striped` every candidate
    /// is an equal lottery ticket, so all of them count.
    pub useful_attempts: u64,
    /// Wall-clock time of the run.
    #[serde(rename = "elapsed_ms", serialize_with = "serialize_ms")]
    pub elapsed: Duration,
    /// The strategy that ran.
    pub strategy: Strategy,
    /// Threads it ran on (1 for the single-threaded strategies).
    pub threads: usize,
}

impl Mined {
    /// The useful attempts of a search that tries the nonces from `start` in
    /// order and found `proof`: every nonce up to it, what the sequential
    /// loop hashes (the deterministic strategies, the GPU's lowest-nonce
    /// windows).
    pub fn useful_in_order(start: u64, proof: u64) -> u64 {
        proof.saturating_sub(start) + 1
    }

    /// The hash as lowercase hex.
    pub fn hash_hex(&self) -> String {
        to_hex(&self.hash)
    }

    /// Candidates per second.
    pub fn attempts_per_sec(&self) -> f64 {
        self.attempts as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Useful candidates per second: the rate at which this strategy makes
    /// progress towards a proof, comparable across strategies and luck.
    pub fn useful_attempts_per_sec(&self) -> f64 {
        self.useful_attempts as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

pub(crate) fn serialize_ms<S: Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1e3)
}

/// Runs a [`Strategy`] with a thread count, a nonce range and a [`Control`].
#[derive(Debug, Clone)]
pub struct Miner {
    strategy: Strategy,
    threads: usize,
    range: Range<u64>,
    control: Option<Arc<Control>>,
    kernel: Option<Kernel>,
}

impl Miner {
    /// A miner for `strategy` on one thread over every nonce (`0..u64::MAX`).
    pub fn new(strategy: Strategy) -> Miner {
        Miner { strategy, threads: 1, range: 0..u64::MAX, control: None, kernel: None }
    }

    /// Run on `threads` threads (the single-threaded strategies ignore it).
    pub fn threads(mut self, threads: usize) -> Miner {
        self.threads = threads;
        self
    }

    /// Only try nonces in `range`.
    pub fn range(mut self, range: Range<u64>) -> Miner {
        self.range = range;
        self
    }

    /// Report progress to, and take cancellation from, `control`.
    pub fn control(mut self, control: Arc<Control>) -> Miner {
        self.control = Some(control);
        self
    }

    /// Hash candidates through `kernel` instead of the hasher's default
    /// (see [`Hasher::kernels`]).
    pub fn kernel(mut self, kernel: Kernel) -> Miner {
        self.kernel = Some(kernel);
        self
    }

    /// Mine `puzzle` with a CPU strategy ([`Miner::mine`], in
    /// `device.rs`, sends [`Strategy::Gpu`] to the GPU instead).
    pub(crate) fn mine_on_cpu(&self, puzzle: &Puzzle) -> Result<Mined> {
        crate::hash::with_hasher!(puzzle.algorithm, H => self.mine_with::<H>(&puzzle.template, puzzle.target))
    }

    /// The strategy this miner runs.
    pub(crate) fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// The nonces it tries.
    pub(crate) fn nonces(&self) -> Range<u64> {
        self.range.clone()
    }

    /// Its control, if the caller gave one.
    pub(crate) fn controlled_by(&self) -> Option<&Control> {
        self.control.as_deref()
    }

    /// Mine `template` with the hasher `H` until a digest meets `target`.
    pub fn mine_with<H: Hasher>(&self, template: &Template, target: Target) -> Result<Mined> {
        Pool::check(self.threads)?;
        if self.range.start >= self.range.end {
            return Err(Error::EmptyRange { start: self.range.start, end: self.range.end });
        }
        let own_control;
        let control = match &self.control {
            Some(control) => control.as_ref(),
            None => {
                own_control = Control::new();
                &own_control
            }
        };
        let threads = if self.strategy.is_parallel() { self.threads } else { 1 };
        let start = web_time::Instant::now();
        let search = match self.kernel {
            Some(kernel) => Search::<H>::with_kernel(template, target, kernel)?,
            None => Search::<H>::new(template, target),
        };
        let run = Run::new(search, self.range.clone(), control);
        let outcome = match self.strategy {
            Strategy::Sequential => sequential::mine(&run),
            Strategy::Iterator => iterator::mine(&run),
            Strategy::FindFirst => find_first::mine(&run, &Pool::new(threads)?),
            Strategy::FindAny => find_any::mine(&run, &Pool::new(threads)?),
            Strategy::Striped => striped::mine(&run, &Pool::new(threads)?),
            Strategy::Chunked => chunked::mine(&run, &Pool::new(threads)?),
            Strategy::Gpu => {
                return Err(Error::InvalidArgument(
                    "the GPU strategy mines whole puzzles: use Miner::mine".into(),
                ));
            }
        };
        let elapsed = start.elapsed();
        let attempts = run.attempts();
        match outcome {
            Ok(found) => Ok(Mined {
                proof: found.nonce,
                hash: found.digest,
                attempts,
                useful_attempts: if self.strategy.is_deterministic() {
                    Mined::useful_in_order(self.range.start, found.nonce)
                } else {
                    attempts
                },
                elapsed,
                strategy: self.strategy,
                threads,
            }),
            Err(Stop::Cancelled) => Err(Error::Cancelled { attempts }),
            Err(Stop::Exhausted) => Err(Error::Exhausted { range: self.range.clone(), attempts }),
        }
    }
}
