//! Argument parsing and the commands' dispatch.

mod bench_cost;
mod bench_hash;
mod bench_merkle;
mod bench_mine;
mod bench_report;
mod bench_solve;
mod device;
mod merkle;
mod mine;
mod output;
mod peer;
mod serve;
mod solve;
mod stdout;

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
    /// A token of many small puzzles (Cap's), spread across its sub-puzzles
    /// and within each, at every thread count.
    Solve(bench_solve::Args),
    /// What each challenge kind costs a visitor at its system's default
    /// difficulty: expected attempts, this machine's rates, expected time.
    Cost(bench_cost::Args),
}

/// Parse the arguments, run the command, map errors to exit codes: 2 for bad
/// input (as clap does for bad flags), 1 for a search that found nothing,
/// 130 for a search stopped by Ctrl-C (as a shell reports SIGINT).
pub fn main() -> ExitCode {
    one_line_panics();
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
        Command::Bench(BenchCommand::Solve(args)) => bench_solve::run(args),
        Command::Bench(BenchCommand::Cost(args)) => bench_cost::run(args),
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

/// A panic prints one line, `error: internal error: … at file:line`, and no
/// backtrace unless `RUST_BACKTRACE` asks for one (then the default hook
/// runs too). A panic is parmine's bug, not the user's: the line says so.
/// A write to stdout that some code path still makes with `println!` panics
/// with "failed printing to stdout"; that ends as [`stdout::write_failed`]
/// does (quietly on a broken pipe), not as a bug.
fn one_line_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        if message.starts_with("failed printing to stdout") {
            if message.contains("Broken pipe") {
                std::process::exit(stdout::BROKEN_PIPE_EXIT);
            }
            eprintln!(
                "error: cannot write the output to stdout: {}",
                message.trim_start_matches("failed printing to stdout: ")
            );
            std::process::exit(1);
        }
        let wants_backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
        if wants_backtrace {
            default(info);
        } else {
            let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!(
                "error: internal error (a bug in parmine, please report it): {message}{at} (RUST_BACKTRACE=1 shows where)"
            );
        }
    }));
}
