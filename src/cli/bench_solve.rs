//! `parmine bench solve cap`: a token of many small puzzles, spread across
//! its sub-puzzles and within each, at every thread count.

use super::stdout::outln;

use parmine::jobs::{BenchSolveJob, SolveRow};
use parmine::puzzles::CapParams;
use parmine::{Result, Strategy};

use super::output::{format_count, stopped_early, sweep_points};

/// The kinds of several sub-puzzles a token.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// Cap (`@cap.js/server`'s format 1).
    Cap,
}

/// Options of `parmine bench solve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind to measure.
    #[arg(value_enum)]
    kind: Kind,
    /// Sub-puzzles a token (Cap's `challengeCount`).
    #[arg(long, default_value_t = 50)]
    puzzles: u32,
    /// Target hex digits of each sub-puzzle (Cap's `challengeDifficulty`).
    #[arg(long, default_value_t = 4)]
    digits: u32,
    /// Salt characters of each sub-puzzle (Cap's `challengeSize`).
    #[arg(long, default_value_t = 32)]
    salt: u32,
    /// Thread counts, comma separated [default: 1, 2, 4, … up to the cores].
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// The strategy of the within shape: sequential, iterator, find-first,
    /// find-any, striped or chunked.
    #[arg(long, default_value = "chunked")]
    strategy: Strategy,
    /// Runs over every challenge.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Different tokens each point solves.
    #[arg(long, default_value_t = 5)]
    challenges: usize,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let Kind::Cap = args.kind;
    let job = BenchSolveJob {
        params: CapParams { c: args.puzzles, s: args.salt, d: args.digits },
        threads: args.threads,
        strategy: args.strategy,
        runs: args.runs,
        challenges: args.challenges,
    };
    job.validate()?;
    let points = job.points();
    let tokens = (points.len() * job.runs * job.challenges) as u64;
    // Each sub-puzzle expects 16^d attempts.
    let expected = tokens as f64 * f64::from(job.params.c) * 16f64.powi(job.params.d as i32);
    let (rows, stopped) = sweep_points(points.len(), args.json, Some(expected), |control, starting| {
        job.run(control, |shape, threads| starting(format!("{shape} x {threads}")))
    });
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&rows).expect("rows serialize"));
    } else {
        print_table(&job, &rows);
    }
    stopped_early(stopped, rows.len(), "point(s)")
}

fn print_table(job: &BenchSolveJob, rows: &[SolveRow]) {
    let CapParams { c, s, d } = job.params;
    outln!(
        "parmine bench solve cap: {c} sub-puzzles of {d} target digits, {s}-character salts; \
         {} runs x {} tokens; within: {}",
        job.runs,
        job.challenges,
        job.strategy
    );
    outln!(
        "{:<7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11} {:>8}",
        "shape",
        "threads",
        "mean ms",
        "median ms",
        "min ms",
        "max ms",
        "attempts/s",
        "speedup"
    );
    for r in rows {
        outln!(
            "{:<7} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>11} {:>8}",
            r.shape.name(),
            r.threads,
            r.stats.mean_ms,
            r.stats.median_ms,
            r.stats.min_ms,
            r.stats.max_ms,
            format_count(r.stats.work_per_sec),
            r.speedup.map_or("-".into(), |s| format!("{s:.2}x")),
        );
    }
    outln!(
        "a row's time is one whole token; speedup: the one-thread median over the row's. \
         across: one thread a sub-puzzle (the sequential loop); within: every thread on each in turn"
    );
}
