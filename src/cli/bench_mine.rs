//! `parmine bench mine`: the blog's table for every strategy and thread count.

use parmine::bench::{Sample, Stats, benchmark_blocks, measure};
use parmine::{Difficulty, Encoding, Error, HashAlgorithm, Miner, Puzzle, Result, Strategy};
use serde::Serialize;

use super::output::{bar, format_count};

/// Options of `parmine bench mine`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Block encoding.
    #[arg(long, default_value = "json")]
    encoding: Encoding,
    /// Hash function.
    #[arg(long, default_value = "sha256")]
    hasher: HashAlgorithm,
    /// Strategies to run, comma separated, or "all".
    #[arg(long, default_value = "all")]
    strategies: String,
    /// Thread counts to sweep, comma separated [default: 1 to all cores].
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// Leading zero hex digits.
    #[arg(long, default_value_t = 5)]
    difficulty: u32,
    /// Runs per block.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Different blocks to mine.
    #[arg(long, default_value_t = 4)]
    blocks: usize,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    json: bool,
}

/// One line of the table.
#[derive(Debug, Serialize)]
pub struct Row {
    strategy: Strategy,
    encoding: Encoding,
    hasher: HashAlgorithm,
    threads: usize,
    difficulty: u32,
    runs: usize,
    blocks: usize,
    mean_ms: f64,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    stddev_ms: f64,
    attempts: u64,
    attempts_per_sec: f64,
    attempts_per_sec_per_thread: f64,
    useful_attempts_per_sec: f64,
    /// Useful attempts per second over the sequential strategy's, same run.
    speedup: Option<f64>,
    /// `speedup / threads`.
    efficiency: Option<f64>,
}

/// Parse `--strategies`.
fn parse_strategies(list: &str) -> Result<Vec<Strategy>> {
    if list.eq_ignore_ascii_case("all") {
        return Ok(Strategy::ALL.to_vec());
    }
    list.split(',').map(|s| s.trim().parse()).collect()
}

pub fn run(args: Args) -> Result<()> {
    let difficulty = Difficulty::from_hex_digits(args.difficulty)?;
    let strategies = parse_strategies(&args.strategies)?;
    let threads = if args.threads.is_empty() {
        (1..=super::available_threads()).collect()
    } else {
        args.threads.clone()
    };
    for &t in &threads {
        parmine::pool::Pool::check(t)?;
    }
    if args.runs == 0 || args.blocks == 0 {
        return Err(Error::InvalidArgument("--runs and --blocks must be at least 1".into()));
    }
    let puzzles = benchmark_blocks(args.blocks)
        .iter()
        .map(|block| Puzzle::new(block, args.encoding, args.hasher, difficulty))
        .collect::<Result<Vec<_>>>()?;

    // Single-threaded strategies run once, at one thread.
    let points: Vec<(Strategy, usize)> = strategies
        .iter()
        .flat_map(|&s| {
            let counts = if s.is_parallel() { threads.clone() } else { vec![1] };
            counts.into_iter().map(move |t| (s, t))
        })
        .collect();
    let progress = bar((points.len() * args.runs * args.blocks) as u64, args.json);
    let mut rows = Vec::new();
    let mut sequential_rate = None;
    for (strategy, t) in points {
        progress.set_message(format!("{strategy} × {t}"));
        let miner = Miner::new(strategy).threads(t);
        let stats: Stats = measure(args.runs, args.blocks, |b| {
            let mined = miner.mine(&puzzles[b])?;
            progress.inc(1);
            Ok(Sample::from(&mined))
        })?;
        if strategy == Strategy::Sequential {
            sequential_rate = Some(stats.useful_per_sec);
        }
        rows.push(Row {
            strategy,
            encoding: args.encoding,
            hasher: args.hasher,
            threads: t,
            difficulty: args.difficulty,
            runs: args.runs,
            blocks: args.blocks,
            mean_ms: stats.mean_ms,
            median_ms: stats.median_ms,
            min_ms: stats.min_ms,
            max_ms: stats.max_ms,
            stddev_ms: stats.stddev_ms,
            attempts: stats.work,
            attempts_per_sec: stats.work_per_sec,
            attempts_per_sec_per_thread: stats.work_per_sec / t as f64,
            useful_attempts_per_sec: stats.useful_per_sec,
            speedup: None,
            efficiency: None,
        });
    }
    progress.finish_and_clear();
    for row in &mut rows {
        row.speedup = sequential_rate.map(|s| row.useful_attempts_per_sec / s);
        row.efficiency = row.speedup.map(|s| s / row.threads as f64);
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows).expect("rows serialize"));
        return Ok(());
    }
    println!(
        "parmine bench mine: {} encoding, {}, difficulty {} ({}), {} runs x {} blocks",
        args.encoding, args.hasher, args.difficulty, difficulty, args.runs, args.blocks
    );
    println!(
        "{:<11} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>11} {:>11} {:>8}",
        "strategy",
        "threads",
        "mean ms",
        "median ms",
        "min ms",
        "max ms",
        "stddev",
        "attempts/s",
        "per thread",
        "speedup"
    );
    for r in &rows {
        println!(
            "{:<11} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.1} {:>11} {:>11} {:>8}",
            r.strategy.name(),
            r.threads,
            r.mean_ms,
            r.median_ms,
            r.min_ms,
            r.max_ms,
            r.stddev_ms,
            format_count(r.attempts_per_sec),
            format_count(r.attempts_per_sec_per_thread),
            r.speedup.map_or("-".into(), |s| format!("{s:.2}x")),
        );
    }
    println!(
        "speedup: useful attempts/s over sequential's in this run (attempts past a deterministic proof are waste);\n\
         times vary with where each strategy's proof lies, so compare them only within a deterministic strategy"
    );
    Ok(())
}
