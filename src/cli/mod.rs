//! Argument parsing and the commands' dispatch.

mod bench_hash;
mod bench_merkle;
mod bench_mine;
mod bench_report;
mod device;
mod merkle;
mod mine;
mod output;
mod peer;
mod serve;
mod solve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use parmine::Error;

/// Parallel proof-of-work mining and Merkle hashing.
#[derive(Debug, Parser)]
#[command(name = "parmine", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Mine one block and print its proof and hash.
    Mine(mine::Args),
    /// Build a Merkle tree over generated leaves and print its root.
    Merkle(merkle::Args),
    /// Solve a real-world proof-of-work challenge (Bitcoin, Anubis, ALTCHA,
    /// mCaptcha, Cap, go-away, Cerberus) and print the answer its system
    /// checks.
    #[command(subcommand)]
    Solve(solve::Kind),
    /// Benchmark mining strategies (or other workloads).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Serve the web page on localhost with the headers it needs.
    Serve(serve::Args),
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Every strategy × thread count, timed over several blocks: the blog's table.
    Mine(bench_mine::Args),
    /// parmine's Merkle tree against rotortree's, sequential and parallel.
    Merkle(bench_merkle::Args),
    /// Raw hash rates of the mining paths on one thread.
    Hash(bench_hash::Args),
    /// Every performance target as a ratio measured in one run.
    Report(bench_report::Args),
}

/// Parse the arguments, run the command, map errors to exit codes: 2 for bad
/// input (as clap does for bad flags), 1 for a search that found nothing,
/// 130 for a search stopped by Ctrl-C (as a shell reports SIGINT).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Bench(_)) {
        parmine::bench::keep_freed_memory();
    }
    let result = match cli.command {
        Command::Mine(args) => mine::run(args),
        Command::Merkle(args) => merkle::run(args),
        Command::Solve(kind) => solve::run(kind),
        Command::Serve(args) => serve::run(args),
        Command::Bench(BenchCommand::Mine(args)) => bench_mine::run(args),
        Command::Bench(BenchCommand::Merkle(args)) => bench_merkle::run(args),
        Command::Bench(BenchCommand::Hash(args)) => bench_hash::run(args),
        Command::Bench(BenchCommand::Report(args)) => bench_report::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(match err {
                Error::Cancelled { .. } => 130,
                _ if err.is_usage() => 2,
                _ => 1,
            })
        }
    }
}
