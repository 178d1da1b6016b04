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

/// One `pow-buster time` run: each solver's rate.
#[derive(Debug, Clone, Default)]
struct Timing {
    single_block: Rate,
    go_away: Rate,
    cerberus: Rate,
}

/// One solver line: its rate in candidates per second, and the solver as
/// pow-buster names it (`avx512::GoAwaySolver`, `SolverRouter<…>`), which
/// says which of its kernels ran.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rate {
    per_sec: f64,
    solver: String,
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
///
/// The solver type depends on how pow-buster was compiled: a router
/// (`SolverRouter<…, message::GoAwayMessage, …>`) where it picks at run
/// time, or the kernel itself (`pow_buster::solver::avx512::GoAwaySolver`,
/// `avx2::CerberusSolver<message::CerberusMessage>`) where `target-cpu`
/// fixed it. A line is the kind's if its type names the kind's message
/// (`::GoAwayMessage`) or its solver (`::GoAwaySolver`).
fn parse(text: &str) -> Option<Timing> {
    let rate_of = |kind: &str| -> Option<Rate> {
        let (message, solver) = (format!("::{kind}Message"), format!("::{kind}Solver"));
        text.lines().find_map(|line| {
            let name = line.strip_prefix('[')?.split("]:").next()?;
            if !(name.contains(&message) || name.contains(&solver)) {
                return None;
            }
            let open = line.rfind('(')?;
            let rate: f64 = line[open + 1..].strip_suffix(" MH/s)")?.trim().parse().ok()?;
            Some(Rate { per_sec: rate * f64::from(1u32 << 20), solver: short_name(name) })
        })
    };
    Some(Timing {
        single_block: rate_of("SingleBlock")?,
        go_away: rate_of("GoAway")?,
        cerberus: rate_of("Cerberus")?,
    })
}

/// A solver type without its crate path: `avx512::GoAwaySolver` for
/// `pow_buster::solver::avx512::GoAwaySolver`, `SolverRouter` for a router.
fn short_name(name: &str) -> String {
    let outer = name.split('<').next().unwrap_or(name);
    let parts: Vec<&str> = outer.rsplit("::").take(2).collect();
    match parts.as_slice() {
        [last, module] if *module != "solver" => format!("{module}::{last}"),
        [last, ..] => (*last).to_string(),
        [] => name.to_string(),
    }
}

/// A compared path: its words, parmine's rate, the peer's solver, its rate.
type Path = (&'static str, fn(&HashRates) -> f64, &'static str, fn(&Timing) -> &Rate);

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
            |t| &t.go_away,
        ),
        (
            "SHA-256, decimal nonce after a 64-byte challenge (Anubis)",
            |r| r.anubis_sha256_scan,
            "SingleBlock",
            |t| &t.single_block,
        ),
        (
            "BLAKE3, binary nonce, one compression a candidate (parmine's header)",
            |r| r.blake3_scan,
            "Cerberus",
            |t| &t.cerberus,
        ),
    ];
    let mut last = ours.last().cloned().expect("at least one round");
    last.peer = paths
        .iter()
        .map(|(path, parmine, solver, peer)| PeerRatio {
            path: (*path).into(),
            parmine: median(ours.iter().map(parmine).collect()),
            peer: format!("pow-buster {VERSION} {solver} ({})", peer(theirs.last().expect("a round")).solver),
            peer_rate: median(theirs.iter().map(|t| peer(t).per_sec).collect()),
            ratio: median(ours.iter().zip(&theirs).map(|(o, t)| parmine(o) / peer(t).per_sec).collect()),
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
        assert_eq!(t.go_away.per_sec, 42.03 * 1048576.0);
        assert_eq!(t.go_away.solver, "SolverRouter");
        assert_eq!(t.single_block.per_sec, 15.33 * 1048576.0);
        assert_eq!(t.cerberus.per_sec, 69.23 * 1048576.0);
        assert_eq!(t.cerberus.solver, "avx2::CerberusSolver");
        assert!(parse("error: something else").is_none());
    }

    /// Built with `-C target-cpu=native` on an AVX-512 CPU, pow-buster names
    /// its kernels, not a router (0.2.0 on Zen 4 and Zen 5).
    #[test]
    fn reads_direct_solver_names() {
        let text = "[pow_buster::solver::avx512::SingleBlockSolver]: 0.010 seconds at difficulty 1000000 (97.40 MH/s)\n\
                    [pow_buster::solver::avx512::DoubleBlockSolver]: 0.02 seconds at difficulty 1000000 (50.00 MH/s)\n\
                    [pow_buster::solver::avx512::GoAwaySolver]: 0.009 seconds at difficulty 1000000 (108.10 MH/s)\n\
                    [pow_buster::solver::avx512::CerberusSolver]: 0.005 seconds at difficulty 11 (210.00 MH/s)\n";
        let t = parse(text).unwrap();
        assert_eq!(
            t.single_block,
            Rate { per_sec: 97.40 * 1048576.0, solver: "avx512::SingleBlockSolver".into() }
        );
        assert_eq!(t.go_away.per_sec, 108.10 * 1048576.0);
        assert_eq!(t.cerberus.solver, "avx512::CerberusSolver");
        // DoubleBlock is not SingleBlock.
        let only_double =
            "[pow_buster::solver::avx512::DoubleBlockSolver]: 0.02 seconds at difficulty 1 (50.00 MH/s)";
        assert!(parse(only_double).is_none());
    }
}
