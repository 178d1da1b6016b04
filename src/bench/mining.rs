//! The mining benchmark: the blog's table, as rows.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Sample, Stats, benchmark_blocks, measure};
use crate::block::Encoding;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, Kernel};
use crate::limits;
use crate::mine::{Control, Miner, Puzzle, Strategy};
use crate::pool::Pool;

/// A mining benchmark: each strategy on each thread count (single-threaded
/// strategies once, on one thread), mining the same [`benchmark_blocks`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MineBench {
    /// Block encoding.
    pub encoding: Encoding,
    /// Hash function.
    pub hasher: HashAlgorithm,
    /// Strategies, in the order to run them.
    pub strategies: Vec<Strategy>,
    /// Thread counts to sweep for the parallel strategies.
    pub threads: Vec<usize>,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Runs per block.
    pub runs: usize,
    /// Different blocks.
    pub blocks: usize,
    /// Rounds: every point is timed once per round, the rounds one after
    /// another, and each point keeps its fastest round ([`best_of_rounds`]).
    #[serde(default = "one")]
    pub rounds: usize,
    /// Sample transactions in each block (0: the blog's empty blocks).
    #[serde(default)]
    pub transactions: usize,
    /// The kernel candidates go through (the hasher's default if none).
    #[serde(default)]
    pub kernel: Option<Kernel>,
}

fn one() -> usize {
    1
}

/// One line of the blog's table: a strategy on a thread count.
///
/// The same shape comes out of `parmine bench mine --json` and the web page,
/// so the page can chart native and browser figures side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MineRow {
    /// The strategy.
    pub strategy: Strategy,
    /// Block encoding.
    pub encoding: Encoding,
    /// Hash function.
    pub hasher: HashAlgorithm,
    /// Threads it ran on.
    pub threads: usize,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Runs per block.
    pub runs: usize,
    /// Blocks.
    pub blocks: usize,
    /// Rounds this row is the fastest of: a sweep in rounds times every
    /// point once per round and keeps each point's fastest ([`best_of_rounds`]).
    #[serde(default = "one")]
    pub rounds: usize,
    /// Sample transactions in each block.
    #[serde(default)]
    pub transactions: usize,
    /// Mean time per block, ms.
    pub mean_ms: f64,
    /// Median time per block, ms.
    pub median_ms: f64,
    /// Fastest block, ms.
    pub min_ms: f64,
    /// Slowest block, ms.
    pub max_ms: f64,
    /// Standard deviation, ms.
    pub stddev_ms: f64,
    /// Candidates hashed in all.
    pub attempts: u64,
    /// Candidates per second.
    pub attempts_per_sec: f64,
    /// Candidates per second per thread.
    pub attempts_per_sec_per_thread: f64,
    /// Useful candidates per second (see [`Mined::useful_attempts`]).
    pub useful_attempts_per_sec: f64,
    /// `useful_attempts_per_sec` over the sequential strategy's, same run.
    pub speedup: Option<f64>,
    /// `speedup / threads`.
    pub efficiency: Option<f64>,
    /// How far this point's slowest round fell below its fastest (the one
    /// kept), as a fraction of the fastest's useful attempts per second:
    /// 0.12 is 12% slower. Absent for a point timed once. The rounds hash
    /// the same blocks, so what they differ by is the machine: a busy
    /// neighbour or a collection slows some rounds and not others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_spread: Option<f64>,
    /// Where the row was measured (`browser`, `native`), when rows from
    /// several hosts are put together (the page's export); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Each point's fastest round: rows of the same point (source, strategy,
/// threads, block and work) measured in several rounds become the one with
/// the most useful attempts per second, counting the rounds it is the
/// fastest of and how far the slowest of them fell below it
/// ([`MineRow::round_spread`]). The other rows pass through, in their order.
///
/// A busy neighbour, a garbage collection or a timer only ever slows a
/// point down, so on a shared machine the fastest of a few rounds spread over
/// the sweep is the steadiest figure: one round alone moves the two-thread
/// efficiency by ±0.1 from one sweep to the next on a 2-vCPU VM.
///
/// # Examples
///
/// ```
/// use parmine::bench::{MineRow, best_of_rounds};
///
/// let row = |threads: usize, useful: f64| -> MineRow {
///     serde_json::from_value(serde_json::json!({
///         "strategy": "chunked", "encoding": "header", "hasher": "sha256", "threads": threads,
///         "difficulty": 5, "runs": 1, "blocks": 1, "mean_ms": 1.0, "median_ms": 1.0, "min_ms": 1.0,
///         "max_ms": 1.0, "stddev_ms": 0.0, "attempts": 1, "attempts_per_sec": useful,
///         "attempts_per_sec_per_thread": useful, "useful_attempts_per_sec": useful,
///         "speedup": null, "efficiency": null,
///     })).unwrap()
/// };
/// let rows = best_of_rounds(vec![row(1, 10.0), row(2, 15.0), row(1, 11.0), row(2, 19.0), row(2, 17.0)]);
/// assert_eq!(rows.len(), 2);
/// assert_eq!((rows[0].useful_attempts_per_sec, rows[0].rounds), (11.0, 2));
/// assert_eq!((rows[1].useful_attempts_per_sec, rows[1].rounds), (19.0, 3));
/// // The slowest round of two threads (15) was 21% under the fastest (19).
/// assert!((rows[1].round_spread.unwrap() - 4.0 / 19.0).abs() < 1e-12);
/// ```
pub fn best_of_rounds(rows: Vec<MineRow>) -> Vec<MineRow> {
    let point = |r: &MineRow| {
        (
            r.source.clone(),
            r.strategy,
            r.threads,
            r.encoding,
            r.hasher,
            r.transactions,
            r.difficulty,
            r.blocks,
            r.runs,
        )
    };
    // A row that is itself the fastest of some rounds stands for its slowest
    // one too, so merging merged rows gives what merging the rounds would.
    // A row of several rounds without a spread (a file from before it was
    // kept) leaves the merged spread unknown.
    let slowest_round = |r: &MineRow| match (r.rounds, r.round_spread) {
        (_, Some(spread)) => Some(r.useful_attempts_per_sec * (1.0 - spread)),
        (0 | 1, None) => Some(r.useful_attempts_per_sec),
        (_, None) => None,
    };
    let mut best: Vec<MineRow> = Vec::with_capacity(rows.len());
    for row in rows {
        match best.iter_mut().find(|b| point(b) == point(&row)) {
            Some(kept) => {
                let rounds = kept.rounds + row.rounds;
                let slowest = slowest_round(kept).zip(slowest_round(&row)).map(|(a, b)| a.min(b));
                if row.useful_attempts_per_sec > kept.useful_attempts_per_sec {
                    *kept = row;
                }
                kept.rounds = rounds;
                let fastest = kept.useful_attempts_per_sec;
                // Rates from a zero elapsed time are infinite: no spread to tell.
                kept.round_spread = slowest.and_then(|slowest| match fastest {
                    f if !f.is_finite() || !slowest.is_finite() => None,
                    f if f > 0.0 => Some(1.0 - slowest / f),
                    _ => Some(0.0),
                });
            }
            None => best.push(row),
        }
    }
    best
}

/// Speedup and efficiency of every row against the sequential row of the
/// same source, block and difficulty (rows measured in one sweep, or put
/// together from several): useful attempts per second over the sequential
/// loop's. A row with no such sequential row keeps what it had. Rounds of
/// one point are merged first ([`best_of_rounds`]).
///
/// # Examples
///
/// ```
/// use parmine::bench::{MineRow, with_speedups};
///
/// let row = |strategy: &str, threads: usize, useful: f64| -> MineRow {
///     serde_json::from_value(serde_json::json!({
///         "strategy": strategy, "encoding": "header", "hasher": "sha256", "threads": threads,
///         "difficulty": 5, "runs": 1, "blocks": 1, "mean_ms": 1.0, "median_ms": 1.0, "min_ms": 1.0,
///         "max_ms": 1.0, "stddev_ms": 0.0, "attempts": 1, "attempts_per_sec": useful,
///         "attempts_per_sec_per_thread": useful, "useful_attempts_per_sec": useful,
///         "speedup": null, "efficiency": null,
///     })).unwrap()
/// };
/// let rows = with_speedups(vec![row("sequential", 1, 10.0), row("chunked", 2, 19.0)]);
/// assert_eq!(rows[1].speedup, Some(1.9));
/// assert_eq!(rows[1].efficiency, Some(0.95));
/// ```
pub fn with_speedups(rows: Vec<MineRow>) -> Vec<MineRow> {
    let mut rows = best_of_rounds(rows);
    let same = |a: &MineRow, b: &MineRow| {
        (a.source.as_deref(), a.encoding, a.hasher, a.transactions, a.difficulty)
            == (b.source.as_deref(), b.encoding, b.hasher, b.transactions, b.difficulty)
    };
    let bases: Vec<Option<f64>> = rows
        .iter()
        .map(|row| {
            rows.iter()
                .find(|r| r.strategy == Strategy::Sequential && same(r, row))
                .map(|r| r.useful_attempts_per_sec)
        })
        .collect();
    for (row, base) in rows.iter_mut().zip(bases) {
        if let Some(base) = base {
            let speedup = row.useful_attempts_per_sec / base;
            row.speedup = Some(speedup);
            row.efficiency = Some(speedup / row.threads as f64);
        }
    }
    rows
}

/// What [`MineBench::run_keeping`] measured: every finished point's row,
/// and why it stopped early, if it did.
#[derive(Debug)]
pub struct Partial {
    /// The rows of the points that finished (every point's, unless stopped).
    pub rows: Vec<MineRow>,
    /// The error that ended the run before its last point (a cancel), if any.
    pub stopped: Option<Error>,
}

impl MineBench {
    /// Check every setting; the errors are the ones a single run would give.
    pub fn validate(&self) -> Result<()> {
        Difficulty::from_hex_digits(self.difficulty)?;
        for &t in &self.threads {
            Pool::check(t)?;
        }
        if self.rounds == 0 {
            return Err(Error::InvalidArgument("rounds must be at least 1".into()));
        }
        limits::check_samples(self.runs.saturating_mul(self.rounds), self.blocks)?;
        limits::check_transactions(self.transactions, self.blocks.saturating_add(1))?;
        if self.strategies.is_empty() || self.threads.is_empty() {
            return Err(Error::InvalidArgument("choose at least one strategy and one thread count".into()));
        }
        if let Some(kernel) = self.kernel {
            crate::hash::with_hasher!(self.hasher, H => crate::mine::search::check_kernel::<H>(kernel))?;
        }
        Ok(())
    }

    /// The (strategy, threads) points in the order they run: each strategy
    /// once per distinct thread count (the single-threaded ones once).
    pub fn points(&self) -> Vec<(Strategy, usize)> {
        let mut points: Vec<(Strategy, usize)> = Vec::new();
        for &s in &self.strategies {
            let counts = if s.is_parallel() { self.threads.clone() } else { vec![1] };
            for t in counts {
                if !points.contains(&(s, t)) {
                    points.push((s, t));
                }
            }
        }
        points
    }

    /// Run every point; `on_sample` is called after each mined block (for
    /// progress bars), and `control` can cancel the whole benchmark.
    ///
    /// # Errors
    ///
    /// Bad settings (see [`validate`](Self::validate)), or a cancel.
    pub fn run(
        &self,
        control: Option<Arc<Control>>,
        on_sample: impl FnMut(Strategy, usize),
    ) -> Result<Vec<MineRow>> {
        let partial = self.run_keeping(control, on_sample)?;
        match partial.stopped {
            Some(err) => Err(err),
            None => Ok(partial.rows),
        }
    }

    /// As [`run`](Self::run), but a run stopped part way (a cancel, or a
    /// point that found no proof) keeps the rows of the points it finished:
    /// an interrupted sweep of many minutes still shows what it measured.
    ///
    /// # Errors
    ///
    /// Bad settings (see [`validate`](Self::validate)), before anything runs.
    pub fn run_keeping(
        &self,
        control: Option<Arc<Control>>,
        mut on_sample: impl FnMut(Strategy, usize),
    ) -> Result<Partial> {
        self.validate()?;
        let difficulty = Difficulty::from_hex_digits(self.difficulty)?;
        let puzzles = benchmark_blocks(self.blocks, self.transactions)?
            .iter()
            .map(|block| Puzzle::new(block, self.encoding, self.hasher, difficulty))
            .collect::<Result<Vec<_>>>()?;
        let mut rows: Vec<MineRow> = Vec::new();
        let points = self.points();
        for (strategy, threads) in (0..self.rounds.max(1)).flat_map(|_| points.iter().copied()) {
            let mut miner = Miner::new(strategy).threads(threads);
            if let Some(control) = &control {
                miner = miner.control(control.clone());
            }
            if let Some(kernel) = self.kernel {
                miner = miner.kernel(kernel);
            }
            let measured = measure(self.runs, self.blocks, |b| {
                let mined = miner.mine(&puzzles[b])?;
                on_sample(strategy, threads);
                Ok(Sample::from(&mined))
            });
            match measured {
                Ok(stats) => rows.push(self.row(strategy, threads, &stats)),
                Err(err) => return Ok(Partial { rows: with_speedups(rows), stopped: Some(err) }),
            }
        }
        Ok(Partial { rows: with_speedups(rows), stopped: None })
    }

    /// The row of one point from its stats (speedup and efficiency left for
    /// [`with_speedups`]).
    pub(crate) fn row(&self, strategy: Strategy, threads: usize, stats: &Stats) -> MineRow {
        MineRow {
            strategy,
            encoding: self.encoding,
            hasher: self.hasher,
            threads,
            difficulty: self.difficulty,
            runs: self.runs,
            blocks: self.blocks,
            rounds: 1,
            transactions: self.transactions,
            mean_ms: stats.mean_ms,
            median_ms: stats.median_ms,
            min_ms: stats.min_ms,
            max_ms: stats.max_ms,
            stddev_ms: stats.stddev_ms,
            attempts: stats.work,
            attempts_per_sec: stats.work_per_sec,
            attempts_per_sec_per_thread: stats.work_per_sec / threads as f64,
            useful_attempts_per_sec: stats.useful_per_sec,
            speedup: None,
            efficiency: None,
            round_spread: None,
            source: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(threads: usize, useful: f64) -> MineRow {
        serde_json::from_value(serde_json::json!({
            "strategy": "chunked", "encoding": "header", "hasher": "sha256", "threads": threads,
            "difficulty": 5, "runs": 1, "blocks": 1, "mean_ms": 1.0, "median_ms": 1.0, "min_ms": 1.0,
            "max_ms": 1.0, "stddev_ms": 0.0, "attempts": 1, "attempts_per_sec": useful,
            "attempts_per_sec_per_thread": useful, "useful_attempts_per_sec": useful,
            "speedup": null, "efficiency": null,
        }))
        .unwrap()
    }

    #[test]
    fn the_round_spread_is_how_far_the_slowest_round_fell_below_the_fastest() {
        let rates = [16.0, 20.0, 12.0, 18.0];
        let all = best_of_rounds(rates.iter().map(|&r| row(2, r)).collect());
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].useful_attempts_per_sec, all[0].rounds), (20.0, 4));
        assert!((all[0].round_spread.unwrap() - 0.4).abs() < 1e-12, "{:?}", all[0].round_spread);
        // Merging rows already merged (two sweeps put together) gives the same.
        let halves: Vec<MineRow> = rates
            .chunks(2)
            .flat_map(|pair| best_of_rounds(pair.iter().map(|&r| row(2, r)).collect()))
            .collect();
        let merged = best_of_rounds(halves);
        assert_eq!(merged[0].rounds, 4);
        assert!((merged[0].round_spread.unwrap() - 0.4).abs() < 1e-12, "{:?}", merged[0].round_spread);
        // A point timed once has none; rounds that measured nothing are not NaN.
        assert_eq!(best_of_rounds(vec![row(1, 5.0)])[0].round_spread, None);
        assert_eq!(best_of_rounds(vec![row(1, 0.0), row(1, 0.0)])[0].round_spread, Some(0.0));
        let endless = MineRow { useful_attempts_per_sec: f64::INFINITY, ..row(1, 1.0) };
        assert_eq!(best_of_rounds(vec![endless, row(1, 1.0)])[0].round_spread, None);
        // A row of three rounds from a file that did not keep their spread:
        // merged with another round, the spread is unknown, not zero.
        let old = MineRow { rounds: 3, ..row(2, 20.0) };
        let merged = best_of_rounds(vec![old, row(2, 19.0)]);
        assert_eq!((merged[0].rounds, merged[0].round_spread), (4, None));
    }

    #[test]
    fn a_row_without_a_round_spread_reads_and_writes_as_before() {
        let json = serde_json::to_value(row(1, 5.0)).unwrap();
        assert!(json.get("round_spread").is_none(), "{json}");
        let merged = serde_json::to_value(&best_of_rounds(vec![row(1, 5.0), row(1, 4.0)])[0]).unwrap();
        assert!((merged["round_spread"].as_f64().unwrap() - 0.2).abs() < 1e-12, "{merged}");
    }
}
