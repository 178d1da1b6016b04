//! `parmine bench mine`: the blog's table for every strategy and thread count.

use super::stdout::outln;
use std::sync::{Arc, Mutex};

use parmine::bench::{MineBench, MineRow, Partial};
use parmine::jobs::{BenchMineJob, CalibrateJob};
use parmine::{Control, Difficulty, Result};

use super::device::{Device, bench_strategies};
use super::output::{bar, format_count, point_progress, watch};

/// Options of `parmine bench mine`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    job: BenchMineJob,
    /// Where to mine, comma separated: the CPU strategies, the GPU (the
    /// `gpu` strategy, after them; alone, with sequential as its baseline).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "cpu")]
    device: Vec<Device>,
    /// Choose the difficulty and blocks by a short calibration, so that every
    /// point lasts long enough to measure and the sweep about --seconds
    /// (overrides --difficulty, --runs and --blocks).
    #[arg(long)]
    calibrate: bool,
    /// Seconds a calibrated sweep should take.
    #[arg(long, default_value_t = parmine::jobs::defaults::sweep_seconds(), requires = "calibrate")]
    seconds: f64,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(mut args: Args) -> Result<()> {
    args.job.strategies.0 = bench_strategies(args.job.strategies.0, &args.device);
    let job = if args.calibrate {
        let report =
            CalibrateJob { seconds: args.seconds, ..CalibrateJob::for_bench(&args.job) }.run(None)?;
        let c = &report.calibration;
        eprintln!(
            "calibrated: {}/s on one thread -> difficulty {}, {} blocks x {} run(s) x {} rounds, about {:.0} s for {} points",
            format_count(c.rate_per_thread),
            c.difficulty,
            c.blocks,
            c.runs,
            c.rounds,
            c.expected_seconds,
            report.points
        );
        args.job.calibrated(c)
    } else {
        args.job
    };
    let bench = job.bench();
    bench.validate()?;
    let samples = bench.points().len() * bench.rounds * bench.runs * bench.blocks;
    let partial = measure(&bench, samples, args.json)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&partial.rows).expect("rows serialize"));
    } else {
        print_table(&bench, &partial.rows);
    }
    match partial.stopped {
        Some(err) => {
            eprintln!(
                "stopped early: the {} point(s) above are those measured before it",
                partial.rows.len()
            );
            Err(err)
        }
        None => Ok(()),
    }
}

/// Run the sweep with a progress bar of its `samples` (mined blocks),
/// warning when its expected time is long (each block expects 16^difficulty
/// attempts); Ctrl-C stops it with the points measured so far.
pub(super) fn measure(bench: &MineBench, samples: usize, hidden: bool) -> Result<Partial> {
    let expected = samples as f64 * 16f64.powi(bench.difficulty as i32);
    let control = Arc::new(Control::new());
    let progress = bar(samples as u64, hidden);
    let point = Mutex::new(String::new());
    let tick = point_progress(&progress, &point);
    let partial = watch(&control, &progress, Some(expected), tick, || {
        bench.run_keeping(Some(control.clone()), |strategy, threads| {
            if let Ok(mut p) = point.lock() {
                *p = format!("{strategy} x {threads}");
            }
            progress.inc(1);
        })
    });
    progress.finish_and_clear();
    partial
}

fn print_table(bench: &MineBench, rows: &[MineRow]) {
    let difficulty = Difficulty::from_hex_digits(bench.difficulty).expect("validated");
    outln!(
        "parmine bench mine: {} encoding, {}, difficulty {} ({}), {} runs x {} blocks of {} transactions",
        bench.encoding,
        bench.hasher,
        bench.difficulty,
        difficulty,
        bench.runs,
        bench.blocks,
        bench.transactions
    );
    outln!(
        "{:<11} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>11} {:>11} {:>8} {:>6} {:>7}",
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
        "eff.",
        "spread"
    );
    for r in rows {
        outln!(
            "{:<11} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.1} {:>11} {:>11} {:>8} {:>6} {:>7}",
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
            r.round_spread.map_or("-".into(), |s| format!("{:.0}%", s * 100.0)),
        );
    }
    outln!(
        "speedup: useful attempts/s over sequential's in this run (attempts past a deterministic proof are waste);\n\
         times vary with where each strategy's proof lies, so compare them only within a deterministic strategy"
    );
    if bench.rounds > 1 {
        outln!(
            "each row is its point's fastest of {} rounds; spread: how far the slowest fell below it \
             (the rounds hash the same blocks: a wide spread is the machine's noise)",
            bench.rounds
        );
    }
}
