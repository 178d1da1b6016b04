//! `parmine bench mine`: the blog's table for every strategy and thread count.

use parmine::bench::{MineBench, MineRow};
use parmine::{Difficulty, Encoding, HashAlgorithm, Result, Strategy};

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
    /// Sample transactions in each block (0: the blog's empty block). The
    /// header's cost per attempt does not depend on it; the blog JSON's grows
    /// with it, since every transaction comes after the proof.
    #[arg(long, default_value_t = 0)]
    transactions: usize,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    json: bool,
}

/// Parse `--strategies`.
fn parse_strategies(list: &str) -> Result<Vec<Strategy>> {
    if list.eq_ignore_ascii_case("all") {
        return Ok(Strategy::ALL.to_vec());
    }
    list.split(',').map(|s| s.trim().parse()).collect()
}

pub fn run(args: Args) -> Result<()> {
    let bench = MineBench {
        encoding: args.encoding,
        hasher: args.hasher,
        strategies: parse_strategies(&args.strategies)?,
        threads: if args.threads.is_empty() {
            (1..=super::available_threads()).collect()
        } else {
            args.threads
        },
        difficulty: args.difficulty,
        runs: args.runs,
        blocks: args.blocks,
        transactions: args.transactions,
    };
    bench.validate()?;
    let progress = bar((bench.points().len() * bench.runs * bench.blocks) as u64, args.json);
    let rows = bench.run(None, |strategy, threads| {
        progress.set_message(format!("{strategy} x {threads}"));
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows).expect("rows serialize"));
    } else {
        print_table(&bench, &rows);
    }
    Ok(())
}

fn print_table(bench: &MineBench, rows: &[MineRow]) {
    let difficulty = Difficulty::from_hex_digits(bench.difficulty).expect("validated");
    println!(
        "parmine bench mine: {} encoding, {}, difficulty {} ({}), {} runs x {} blocks of {} transactions",
        bench.encoding,
        bench.hasher,
        bench.difficulty,
        difficulty,
        bench.runs,
        bench.blocks,
        bench.transactions
    );
    println!(
        "{:<11} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>11} {:>11} {:>8} {:>6}",
        "strategy",
        "threads",
        "mean ms",
        "median ms",
        "min ms",
        "max ms",
        "stddev",
        "attempts/s",
        "per thread",
        "speedup",
        "eff."
    );
    for r in rows {
        println!(
            "{:<11} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.1} {:>11} {:>11} {:>8} {:>6}",
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
            r.efficiency.map_or("-".into(), |e| format!("{e:.2}")),
        );
    }
    println!(
        "speedup: useful attempts/s over sequential's in this run (attempts past a deterministic proof are waste);\n\
         times vary with where each strategy's proof lies, so compare them only within a deterministic strategy"
    );
}
