//! The peer our hashing kernels are measured against: pow-buster's `time`
//! command (crates.io `pow-buster` 0.2.0, built as its README says, with
//! `-C target-cpu=native`; `./build.sh report` installs it under
//! `target/peers/`).
//!
//! pow-buster chooses its kernels when it is compiled, so it is run as its
//! own binary rather than linked in: linked into parmine (one binary for every
//! x86_64 CPU) it would fall back to its portable code and the comparison
//! would flatter parmine.

use std::path::{Path as FilePath, PathBuf};
use std::process::Command;

use parmine::bench::{HashRates, PeerRatio, hash_rates};
use parmine::{Error, Result};

/// The version the comparison is written for (its `time` output format).
pub const VERSION: &str = "0.2.0";

/// One `pow-buster time` run: each solver's rate, candidates per second.
#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    single_block: f64,
    go_away: f64,
    cerberus: f64,
}

/// The binary: `explicit`, else `$PARMINE_POW_BUSTER`, else `pow-buster` on
/// the `PATH`.
pub fn find(explicit: Option<&FilePath>) -> Result<PathBuf> {
    let candidate = match explicit {
        Some(path) => path.to_path_buf(),
        None => match std::env::var_os("PARMINE_POW_BUSTER") {
            Some(path) => PathBuf::from(path),
            None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join("pow-buster"))
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    Error::InvalidArgument(
                        "pow-buster is not installed: `./build.sh report` installs it, or pass --pow-buster PATH"
                            .into(),
                    )
                })?,
        },
    };
    if !candidate.is_file() {
        return Err(Error::InvalidArgument(format!("no pow-buster binary at {}", candidate.display())));
    }
    Ok(candidate)
}

/// Run `pow-buster time` once and read its five summary lines.
fn time(binary: &FilePath) -> Result<Timing> {
    let output = Command::new(binary)
        .args(["time", "-d", "1000000"])
        .output()
        .map_err(|e| Error::InvalidArgument(format!("cannot run {}: {e}", binary.display())))?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse(&text).ok_or_else(|| {
        Error::InvalidArgument(format!(
            "{} time printed no rates this version of parmine can read (written for pow-buster {VERSION}): {}",
            binary.display(),
            text.lines().next().unwrap_or("nothing")
        ))
    })
}

/// The rates in `pow-buster time`'s output: lines `[<solver type>]: <s>
/// seconds at difficulty <d> (<rate> MH/s)`, where MH is 2^20 hashes.
fn parse(text: &str) -> Option<Timing> {
    let rate_of = |marker: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.contains(marker))?;
        let open = line.rfind('(')?;
        let rate: f64 = line[open + 1..].strip_suffix(" MH/s)")?.trim().parse().ok()?;
        Some(rate * f64::from(1u32 << 20))
    };
    Some(Timing {
        single_block: rate_of("SingleBlockMessage")?,
        go_away: rate_of("GoAwayMessage")?,
        cerberus: rate_of("CerberusMessage").or_else(|| rate_of("Cerberus"))?,
    })
}

/// A compared path: its words, parmine's rate, the peer's solver, its rate.
type Path = (&'static str, fn(&HashRates) -> f64, &'static str, fn(&Timing) -> f64);

/// parmine's hash rates with the peer's for the same work: `rounds` rounds of
/// one `pow-buster time` and one `hash_rates(millis)` back to back; each
/// path's ratio is the median of the rounds' ratios. Returns parmine's rates
/// of the last round, with [`HashRates::peer`] filled in.
pub fn compare(binary: &FilePath, millis: f64, rounds: usize) -> Result<HashRates> {
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for round in 0..rounds {
        eprintln!("round {}/{rounds}: pow-buster time, then parmine…", round + 1);
        theirs.push(time(binary)?);
        ours.push(hash_rates(millis));
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let paths: [Path; 3] = [
        (
            "SHA-256, binary nonce, one compression a candidate (parmine's header)",
            |r| r.sha256_scan,
            "GoAway",
            |t| t.go_away,
        ),
        (
            "SHA-256, decimal nonce after a 64-byte challenge (Anubis)",
            |r| r.anubis_sha256_scan,
            "SingleBlock",
            |t| t.single_block,
        ),
        (
            "BLAKE3, binary nonce, one compression a candidate (parmine's header)",
            |r| r.blake3_scan,
            "Cerberus",
            |t| t.cerberus,
        ),
    ];
    let mut last = ours.last().cloned().expect("at least one round");
    last.peer = paths
        .iter()
        .map(|(path, parmine, solver, peer)| PeerRatio {
            path: (*path).into(),
            parmine: median(ours.iter().map(parmine).collect()),
            peer: format!("pow-buster {VERSION} {solver}"),
            peer_rate: median(theirs.iter().map(peer).collect()),
            ratio: median(ours.iter().zip(&theirs).map(|(o, t)| parmine(o) / peer(t)).collect()),
        })
        .collect();
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pow_busters_summary_lines() {
        let text = "[SolverRouter<a, message::SingleBlockMessage, b>]: 0.045 seconds at difficulty 1000000 (15.33 MH/s)\n\
                    [SolverRouter<a, message::DoubleBlockMessage, b>]: 0.04 seconds at difficulty 1000000 (23.86 MH/s)\n\
                    [SolverRouter<a, message::GoAwayMessage, b>]: 0.017 seconds at difficulty 1000000 (42.03 MH/s)\n\
                    [avx2::CerberusSolver<message::CerberusMessage>]: 0.046 seconds at difficulty 11 (69.23 MH/s)\n";
        let t = parse(text).unwrap();
        assert_eq!(t.go_away, 42.03 * 1048576.0);
        assert_eq!(t.single_block, 15.33 * 1048576.0);
        assert_eq!(t.cerberus, 69.23 * 1048576.0);
        assert!(parse("error: something else").is_none());
    }
}
