//! A token of many small puzzles (Cap's) solved both ways a parallel miner
//! can spread it: across the sub-puzzles (one thread a sub-puzzle) and within
//! each (every thread on one, then the next), at every thread count, over
//! the same generated challenges (`parmine bench solve cap`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::SolveJob;
use super::solve::Shape;
use crate::bench::{Sample, Stats, measure};
use crate::error::{Error, Result};
use crate::hash::to_hex;
use crate::limits::check_samples;
use crate::mine::{Control, Strategy};
use crate::pool::Pool;
use crate::puzzles::{CapChallenge, CapParams, Challenge};

/// What to measure (the page's `benchSolve` options; every field has
/// Cap's or the command line's default).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BenchSolveJob {
    /// Each token's puzzle parameters (Cap's defaults: 50 sub-puzzles, 32
    /// salt characters, 4 target digits).
    pub params: CapParams,
    /// Thread counts, in order [default: 1, 2, 4, … up to the pool's].
    pub threads: Vec<usize>,
    /// The strategy of the within shape (across runs the sequential loop
    /// on each sub-puzzle).
    pub strategy: Strategy,
    /// Runs over every challenge.
    pub runs: usize,
    /// Different tokens (challenges) each point solves.
    pub challenges: usize,
}

impl Default for BenchSolveJob {
    fn default() -> BenchSolveJob {
        BenchSolveJob::new(Vec::new())
    }
}

/// One point: a shape at a thread count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveRow {
    /// How the sub-puzzles were spread (one thread has only one way: within).
    pub shape: Shape,
    /// Threads.
    pub threads: usize,
    /// Sub-puzzles a token.
    pub puzzles: u32,
    /// The times of a whole token, and attempts/s.
    #[serde(flatten)]
    pub stats: Stats,
    /// The one-thread point's median over this one's, when there is one.
    pub speedup: Option<f64>,
}

impl BenchSolveJob {
    /// Cap's defaults, over `threads`.
    pub fn new(threads: Vec<usize>) -> BenchSolveJob {
        BenchSolveJob {
            params: CapParams { c: 50, s: 32, d: 4 },
            threads,
            strategy: Strategy::Chunked,
            runs: 3,
            challenges: 5,
        }
    }

    /// Challenge `i`: the parameters with a token of 50 hex digits derived
    /// from `i`, as `createChallenge` would send (the same tokens every run).
    pub fn challenge(&self, i: usize) -> CapChallenge {
        let digest = Sha256::digest(format!("parmine bench solve cap {i}"));
        let token = to_hex(&digest)[..50].to_string();
        CapChallenge { challenge: self.params, token, expires: None }
    }

    /// The thread counts: those given, each once, or the default sweep.
    fn thread_counts(&self) -> Vec<usize> {
        let mut counts = Vec::new();
        let given = if self.threads.is_empty() { Pool::default_sweep() } else { self.threads.clone() };
        for t in given {
            if !counts.contains(&t) {
                counts.push(t);
            }
        }
        counts
    }

    /// The points in order: each thread count with both shapes (one shape
    /// at one thread, where they are the same loop).
    pub fn points(&self) -> Vec<(Shape, usize)> {
        self.thread_counts()
            .into_iter()
            .flat_map(|t| if t == 1 { vec![(Shape::Within, 1)] } else { Shape::ALL.map(|s| (s, t)).to_vec() })
            .collect()
    }

    /// Every argument checked before anything is measured.
    pub fn validate(&self) -> Result<()> {
        for t in self.thread_counts() {
            Pool::check(t)?;
        }
        if !self.strategy.is_parallel() || self.strategy == Strategy::Gpu {
            return Err(Error::InvalidArgument(format!(
                "the within shape needs a parallel CPU strategy (find-first, find-any, striped or chunked), not {}",
                self.strategy
            )));
        }
        if self.runs == 0 || self.challenges == 0 {
            return Err(Error::InvalidArgument("--runs and --challenges must be at least 1".into()));
        }
        check_samples(self.runs, self.challenges)?;
        Challenge::Cap(self.challenge(0)).prepare().map(drop)
    }

    /// Measure every point; `point(shape, threads)` is called before each.
    /// A cancel through `control` ends with the rows measured so far and the
    /// error.
    pub fn run(
        &self,
        control: &Arc<Control>,
        mut point: impl FnMut(Shape, usize),
    ) -> (Vec<SolveRow>, Option<Error>) {
        let mut rows: Vec<SolveRow> = Vec::new();
        for (shape, threads) in self.points() {
            point(shape, threads);
            let stats = measure(self.runs, self.challenges, |i| {
                let job = SolveJob {
                    strategy: self.strategy,
                    threads: Some(threads),
                    shape: Some(shape),
                    ..SolveJob::new(Challenge::Cap(self.challenge(i)))
                };
                let r = job.run(Some(Arc::clone(control)))?;
                Ok(Sample {
                    elapsed: std::time::Duration::from_secs_f64(r.elapsed_ms / 1e3),
                    work: r.attempts,
                    useful: r.useful_attempts,
                })
            });
            match stats {
                Ok(stats) => {
                    rows.push(SolveRow { shape, threads, puzzles: self.params.c, stats, speedup: None })
                }
                Err(err) => return (with_speedups(rows), Some(err)),
            }
        }
        (with_speedups(rows), None)
    }
}

/// Each row's speedup over the one-thread row's median.
fn with_speedups(mut rows: Vec<SolveRow>) -> Vec<SolveRow> {
    let base = rows.iter().find(|r| r.threads == 1).map(|r| r.stats.median_ms);
    for r in &mut rows {
        r.speedup = base.map(|b| b / r.stats.median_ms.max(1e-9));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_at_every_thread_count_but_one() {
        let bench = BenchSolveJob::new(vec![1, 2, 4]);
        assert_eq!(
            bench.points(),
            [
                (Shape::Within, 1),
                (Shape::Across, 2),
                (Shape::Within, 2),
                (Shape::Across, 4),
                (Shape::Within, 4)
            ]
        );
    }

    #[test]
    fn options_default_to_caps_and_repeated_thread_counts_are_one_point() {
        let job: BenchSolveJob = serde_json::from_str(r#"{"threads": [2, 1, 2]}"#).unwrap();
        assert_eq!(job.params, CapParams { c: 50, s: 32, d: 4 });
        assert_eq!(job.points(), [(Shape::Across, 2), (Shape::Within, 2), (Shape::Within, 1)]);
        assert!(serde_json::from_str::<BenchSolveJob>(r#"{"thread": [2]}"#).is_err());
    }

    #[test]
    fn tokens_are_caps_shape_and_differ() {
        let bench = BenchSolveJob::new(vec![1]);
        let (a, b) = (bench.challenge(0), bench.challenge(1));
        assert_eq!(a.token.len(), 50);
        assert!(a.token.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.token, b.token);
        assert_eq!(a, bench.challenge(0));
    }

    #[test]
    fn every_point_solves_the_same_tokens_and_bad_arguments_are_refused() {
        let bench = BenchSolveJob {
            params: CapParams { c: 6, s: 16, d: 2 },
            runs: 1,
            challenges: 2,
            ..BenchSolveJob::new(vec![1, 2])
        };
        bench.validate().unwrap();
        let (rows, err) = bench.run(&Arc::new(Control::new()), |_, _| {});
        assert!(err.is_none());
        assert_eq!(rows.len(), 3);
        // Deterministic: both shapes find each sub-puzzle's lowest solution,
        // so every point does at least the same useful work.
        assert!(rows.iter().all(|r| r.stats.samples == 2 && r.stats.work > 0));
        assert_eq!(rows[0].speedup, Some(1.0));
        assert!(BenchSolveJob { threads: vec![0], ..bench.clone() }.validate().is_err());
        assert!(BenchSolveJob { runs: 0, ..bench.clone() }.validate().is_err());
        assert!(BenchSolveJob { params: CapParams { c: 0, s: 16, d: 2 }, ..bench }.validate().is_err());
    }
}
