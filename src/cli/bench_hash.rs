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
    /// Measure pow-buster's `time` (crates.io 0.2.0, built with
    /// `-C target-cpu=native`) back to back with parmine, and print each
    /// path's ratio. PATH defaults to $PARMINE_POW_BUSTER or `pow-buster` on
    /// the PATH.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "")]
    pow_buster: Option<std::path::PathBuf>,
    /// Rounds of the comparison with pow-buster.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    if !(args.ms > 0.0 && args.ms <= 10_000.0) {
        return Err(parmine::Error::InvalidArgument("--ms must be above 0 and at most 10000".into()));
    }
    let rates = match &args.pow_buster {
        Some(path) => {
            if args.rounds == 0 || args.rounds > 20 {
                return Err(parmine::Error::InvalidArgument("--rounds must be 1 to 20".into()));
            }
            let explicit = (!path.as_os_str().is_empty()).then_some(path.as_path());
            super::peer::compare(&super::peer::find(explicit)?, args.ms, args.rounds)?
        }
        None => hash_rates(args.ms),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rates).expect("rates serialize"));
    } else {
        print(&rates);
    }
    Ok(())
}

/// The rates as a table.
pub fn print(r: &HashRates) {
    println!(
        "hash rates on one thread ({}; kernels: SHA-256 {}, BLAKE3 {}), per second:",
        r.host, r.sha256_kernel, r.blake3_kernel
    );
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
        ("one-block messages, blake3 hash_many", r.blake3_hash_many),
        ("Anubis-shaped, SHA-256 scan loop", r.anubis_sha256_scan),
    ] {
        println!("  {name:<38} {:>10}", format_count(value));
    }
    println!("header scan loop through each kernel:");
    for k in &r.kernels {
        println!("  {:<38} {:>10}", format!("{} {}", k.hasher, k.kernel), format_count(k.per_sec));
    }
    if !r.peer.is_empty() {
        println!("against the peer, same run (median of rounds):");
        for p in &r.peer {
            println!(
                "  {}\n    parmine {:>9}   {} {:>9}   ratio {:.2}",
                p.path,
                format_count(p.parmine),
                p.peer,
                format_count(p.peer_rate),
                p.ratio
            );
        }
    }
}
