//! `parmine bench hash`: the raw hash rates of the mining paths, one thread.

use super::stdout::outln;
use parmine::Result;
use parmine::bench::{HashRates, RATE_PATHS};
use parmine::jobs::BenchHashJob;

use super::output::format_count;

/// Options of `parmine bench hash`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    job: BenchHashJob,
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
    args.job.validate()?;
    let rates = match &args.pow_buster {
        Some(path) => {
            if args.rounds == 0 || args.rounds > 20 {
                return Err(parmine::Error::InvalidArgument("--rounds must be 1 to 20".into()));
            }
            let explicit = (!path.as_os_str().is_empty()).then_some(path.as_path());
            super::peer::compare(&super::peer::find(explicit)?, args.job.ms, args.rounds)?
        }
        None => args.job.run()?,
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&rates).expect("rates serialize"));
    } else {
        print(&rates);
    }
    Ok(())
}

/// The rates as a table.
pub fn print(r: &HashRates) {
    outln!(
        "hash rates on one thread ({}; kernels: SHA-256 {}, BLAKE3 {}), per second:",
        r.host,
        r.sha256_kernel,
        r.blake3_kernel
    );
    for (key, name) in RATE_PATHS.iter().filter(|(key, _)| *key != "sha256_lanes") {
        outln!("  {name:<46} {:>10}", format_count(r.get(key).unwrap_or(0.0)));
    }
    outln!("header scan loop through each kernel:");
    for k in &r.kernels {
        outln!("  {:<46} {:>10}", format!("{} {}", k.hasher, k.kernel), format_count(k.per_sec));
    }
    if !r.peer.is_empty() {
        outln!("against the peer, same run (median of rounds):");
        for p in &r.peer {
            outln!(
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
