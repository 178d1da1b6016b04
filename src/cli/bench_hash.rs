//! `parmine bench hash`: the raw hash rates of the mining paths, one thread.

use parmine::Result;
use parmine::bench::{HashRates, hash_rates};

use super::output::format_count;

/// Options of `parmine bench hash`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Milliseconds per measured path.
    #[arg(long, default_value_t = 300.0)]
    ms: f64,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    if !(args.ms > 0.0 && args.ms <= 10_000.0) {
        return Err(parmine::Error::InvalidArgument("--ms must be above 0 and at most 10000".into()));
    }
    let rates = hash_rates(args.ms);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rates).expect("rates serialize"));
    } else {
        print(&rates);
    }
    Ok(())
}

/// The rates as a table.
pub fn print(r: &HashRates) {
    println!("hash rates on one thread ({}, {} SHA-256 lane(s)), per second:", r.host, r.sha256_lanes);
    for (name, value) in [
        ("SHA-256 compression, one block", r.sha256_compress),
        ("header, sha2 crate per candidate", r.sha256_whole_message),
        ("header, SHA-256 midstate", r.sha256_midstate),
        ("header, SHA-256 scan loop (mining)", r.sha256_scan),
        ("blog JSON, SHA-256 scan loop", r.json_sha256_scan),
        ("header, blake3 crate per candidate", r.blake3_whole_message),
        ("header, BLAKE3 scan loop", r.blake3_scan),
        ("blog JSON, BLAKE3 scan loop", r.json_blake3_scan),
        ("Merkle parents of 4, BLAKE3 batches", r.blake3_parents_n4),
    ] {
        println!("  {name:<38} {:>10}", format_count(value));
    }
}
