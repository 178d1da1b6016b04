//! Solve a real-world challenge: `parmine solve <kind>` and the page's
//! `solve` job.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::defaults;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel};
use crate::mine::{Control, Miner, Strategy};
use crate::pool::Pool;
use crate::puzzles::{Answer, Challenge, Prepared};

/// Options of a solving job: the challenge and how to search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolveJob {
    /// The challenge, with its `kind`.
    pub challenge: Challenge,
    /// Search strategy [default: chunked, the lowest nonce on all threads].
    #[serde(default = "defaults::strategy")]
    pub strategy: Strategy,
    /// Threads for the parallel strategies [default: all].
    #[serde(default)]
    pub threads: Option<usize>,
    /// Hashing kernel [default: the fastest here].
    #[serde(default)]
    pub kernel: Option<Kernel>,
    /// First nonce to try [default: the kind's first].
    #[serde(default)]
    pub start: Option<u64>,
    /// One past the last nonce to try [default: the end of the kind's nonce
    /// space, e.g. 2^32 for Bitcoin, maxnumber + 1 for ALTCHA].
    #[serde(default)]
    pub end: Option<u64>,
}

/// A solved challenge: the command line's `--json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// The challenge's kind.
    pub kind: &'static str,
    /// The nonce found (ALTCHA's number).
    pub nonce: u64,
    /// The hash as the kind shows it, and the kind's own answer fields.
    #[serde(flatten)]
    pub answer: Answer,
    /// Candidates hashed by all threads.
    pub attempts: u64,
    /// Candidates from the start of the range up to the nonce (deterministic
    /// strategies), or all of them.
    pub useful_attempts: u64,
    /// Wall-clock time of the search.
    pub elapsed_ms: f64,
    /// Candidates per second.
    pub attempts_per_sec: f64,
    /// Candidates a search needs on average at this target.
    pub expected_attempts: f64,
    /// The range searched.
    pub start: u64,
    /// One past its end.
    pub end: u64,
    /// The hash function.
    pub hasher: HashAlgorithm,
    /// Strategy, threads and kernel.
    pub strategy: Strategy,
    /// Threads it ran on.
    pub threads: usize,
    /// The kernel candidates went through.
    pub kernel: Kernel,
}

impl SolveJob {
    /// A job for `challenge` with every other option at its default.
    pub fn new(challenge: Challenge) -> SolveJob {
        SolveJob {
            challenge,
            strategy: defaults::strategy(),
            threads: None,
            kernel: None,
            start: None,
            end: None,
        }
    }

    /// Search for the challenge's answer, reporting progress to and taking
    /// cancellation from `control`.
    ///
    /// # Errors
    ///
    /// A malformed challenge or options ([`Error::is_usage`]), a cancel, or
    /// no answer in the range ([`Error::Exhausted`]).
    pub fn run(&self, control: Option<Arc<Control>>) -> Result<SolveReport> {
        let prepared = self.challenge.prepare()?;
        let threads = Pool::check(self.threads.unwrap_or_else(Pool::default_threads))?;
        let Range { start, end } = self.range(&prepared)?;
        let algorithm = prepared.puzzle.algorithm();
        let mut miner = Miner::new(self.strategy).threads(threads).range(start..end);
        if let Some(control) = control {
            miner = miner.control(control);
        }
        if let Some(kernel) = self.kernel {
            miner = miner.kernel(kernel);
        }
        let mined = miner.mine(&prepared.puzzle)?;
        Ok(SolveReport {
            kind: self.challenge.kind(),
            nonce: mined.proof,
            answer: self.challenge.answer(&mined),
            attempts: mined.attempts,
            useful_attempts: mined.useful_attempts,
            elapsed_ms: mined.elapsed.as_secs_f64() * 1e3,
            attempts_per_sec: mined.attempts_per_sec(),
            expected_attempts: prepared.puzzle.target().expected_attempts(end - start),
            start,
            end,
            hasher: algorithm,
            strategy: mined.strategy,
            threads: mined.threads,
            kernel: self.kernel.unwrap_or_else(|| algorithm.kernels()[0]),
        })
    }

    /// Candidates a search of this job needs on average (for a warning
    /// before a long search), or the challenge's or range's error.
    pub fn expected_attempts(&self) -> Result<f64> {
        let prepared = self.challenge.prepare()?;
        let range = self.range(&prepared)?;
        Ok(prepared.puzzle.target().expected_attempts(range.end - range.start))
    }

    /// The nonces to search: the given bounds, or the kind's, checked
    /// against the kind's nonce space.
    fn range(&self, prepared: &Prepared) -> Result<Range<u64>> {
        let space = &prepared.nonces;
        let start = self.start.unwrap_or(space.start);
        let end = self.end.unwrap_or(space.end);
        if start < space.start || end > space.end {
            return Err(Error::InvalidArgument(format!(
                "nonce range {start}..{end} is outside {}'s nonces {}..{}",
                self.challenge.kind(),
                space.start,
                space.end
            )));
        }
        if start >= end {
            return Err(Error::EmptyRange { start, end });
        }
        Ok(start..end)
    }
}
