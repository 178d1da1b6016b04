//! Solve a real-world challenge: `parmine solve <kind>` and the page's
//! `solve` job.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::defaults;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel};
use crate::mine::search::BATCH;
use crate::mine::{Control, Mined, Miner, Strategy};
use crate::pool::Pool;
use crate::puzzles::{Answer, Challenge, Prepared};

/// How a challenge of several puzzles (Cap's) is spread over the threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Every thread on one puzzle with the chosen strategy, then the next.
    Within,
    /// One thread a puzzle with the sequential loop; idle threads steal the
    /// puzzles not started yet.
    Across,
}

impl Shape {
    /// Both shapes, in display order.
    pub const ALL: [Shape; 2] = [Shape::Across, Shape::Within];

    /// The name on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Shape::Within => "within",
            Shape::Across => "across",
        }
    }

    /// The shape a job takes when none is given, for `puzzles` sub-puzzles
    /// of `expected` attempts each on average.
    ///
    /// Within pays per sub-puzzle: its threads hash up to a batch
    /// ([`BATCH`]) each past every answer, a share of about `threads ×
    /// BATCH / expected` of the work, and are started and stopped each
    /// time. Across pays once, at the end: the last sub-puzzles run with
    /// threads idle beside them, about half a sub-puzzle's time on each of
    /// the threads, a share of about `threads / (2 × puzzles)`. So across
    /// while `expected < 2 × BATCH × puzzles` (the threads cancel out), and
    /// within with fewer sub-puzzles than threads. Measured with `bench
    /// solve cap` on 2 threads (docs/performance.md): across 2.1x against
    /// within 1.9x for Cap's 50 sub-puzzles of 4 digits, 2.5x against 1.0x
    /// for 200 of 3 digits; within 2.1x against 1.6x for 4 of 5 digits, and
    /// a tie where the rule's two sides meet (16 of 4 digits, 50 of 5).
    pub fn default_for(puzzles: usize, threads: usize, expected: f64) -> Shape {
        if puzzles >= threads && expected < 2.0 * BATCH as f64 * puzzles as f64 {
            Shape::Across
        } else {
            Shape::Within
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Shape {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "within" => Ok(Shape::Within),
            "across" => Ok(Shape::Across),
            _ => Err(Error::UnknownName { kind: "shape", given: s.to_string(), expected: "across, within" }),
        }
    }
}

impl Serialize for Shape {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

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
    /// For a challenge of several puzzles: across them or within each
    /// [default: across for many small puzzles, within for few large ones;
    /// see `Shape::default_for`].
    #[serde(default)]
    pub shape: Option<Shape>,
}

/// A solved challenge: the command line's `--json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// The challenge's kind.
    pub kind: &'static str,
    /// The nonce found (ALTCHA's number; Cap's first solution, all of
    /// them are in `solutions`).
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
    /// Puzzles solved (Cap's sub-puzzles; 1 for the other kinds).
    pub puzzles: usize,
    /// How the puzzles were spread over the threads.
    pub shape: Shape,
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
            shape: None,
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
        let ranges = prepared.iter().map(|p| self.range(p)).collect::<Result<Vec<_>>>()?;
        let algorithm = prepared[0].puzzle.algorithm();
        let control = control.unwrap_or_else(|| Arc::new(Control::new()));
        // Across needs parallel CPU threads to spread puzzles over; the GPU
        // and the one-thread strategies take the puzzles in turn.
        let can_spread = self.strategy.is_parallel() && self.strategy != Strategy::Gpu && threads > 1;
        let shape = match self.shape {
            Some(shape) if can_spread => shape,
            None if can_spread => {
                let each = expected(&prepared, &ranges) / prepared.len() as f64;
                Shape::default_for(prepared.len(), threads, each)
            }
            _ => Shape::Within,
        };
        let miner = |strategy: Strategy, threads: usize, range: &Range<u64>| {
            let miner =
                Miner::new(strategy).threads(threads).range(range.clone()).control(Arc::clone(&control));
            match self.kernel {
                Some(kernel) => miner.kernel(kernel),
                None => miner,
            }
        };
        let began = web_time::Instant::now();
        let mined: Vec<Mined> = match shape {
            Shape::Within => prepared
                .iter()
                .zip(&ranges)
                .map(|(p, range)| miner(self.strategy, threads, range).mine(&p.puzzle))
                .collect::<Result<_>>()?,
            Shape::Across => Pool::new(threads)?.install(|| {
                prepared
                    .par_iter()
                    .zip(&ranges)
                    .with_max_len(1)
                    .map(|(p, range)| miner(Strategy::Sequential, 1, range).mine(&p.puzzle))
                    .collect::<Result<_>>()
            })?,
        };
        let elapsed = began.elapsed();
        let attempts: u64 = mined.iter().map(|m| m.attempts).sum();
        let Range { start, end } = ranges[0].clone();
        Ok(SolveReport {
            kind: self.challenge.kind(),
            nonce: mined[0].proof,
            answer: self.challenge.answer(&mined),
            attempts,
            useful_attempts: mined.iter().map(|m| m.useful_attempts).sum(),
            elapsed_ms: elapsed.as_secs_f64() * 1e3,
            attempts_per_sec: attempts as f64 / elapsed.as_secs_f64().max(1e-9),
            expected_attempts: expected(&prepared, &ranges),
            start,
            end,
            hasher: algorithm,
            strategy: mined[0].strategy,
            threads: if shape == Shape::Across { threads } else { mined[0].threads },
            kernel: self.kernel.unwrap_or_else(|| algorithm.kernels()[0]),
            puzzles: mined.len(),
            shape,
        })
    }

    /// Candidates a search of this job needs on average (for a warning
    /// before a long search), or the challenge's or range's error.
    pub fn expected_attempts(&self) -> Result<f64> {
        let prepared = self.challenge.prepare()?;
        let ranges = prepared.iter().map(|p| self.range(p)).collect::<Result<Vec<_>>>()?;
        Ok(expected(&prepared, &ranges))
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

/// Candidates all the puzzles need on average, each over its range.
fn expected(prepared: &[Prepared], ranges: &[Range<u64>]) -> f64 {
    prepared.iter().zip(ranges).map(|(p, r)| p.puzzle.target().expected_attempts(r.end - r.start)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_small_puzzles_go_across_few_large_ones_within() {
        let d = |digits: i32| 16f64.powi(digits);
        // Cap's default token, and many tiny puzzles: across.
        assert_eq!(Shape::default_for(50, 2, d(4)), Shape::Across);
        assert_eq!(Shape::default_for(200, 16, d(3)), Shape::Across);
        // Few large puzzles: within, at any thread count.
        assert_eq!(Shape::default_for(4, 2, d(5)), Shape::Within);
        assert_eq!(Shape::default_for(16, 2, d(5)), Shape::Within);
        // Fewer puzzles than threads: within, however small.
        assert_eq!(Shape::default_for(3, 4, d(2)), Shape::Within);
    }
}
