//! `parmine bench report`: every performance target as a ratio measured in
//! one run, with the machine it ran on; browser figures from a page export.
//!
//! Ratios, not absolute times: this kind of machine is shared and noisy, and
//! a ratio of two rates measured a few seconds apart on the same machine is
//! what says whether a path reaches its goal.

use super::stdout::outln;
use std::path::PathBuf;

use parmine::bench::{HashRates, MerkleRow, MineBench, MineRow, hash_rates};
use parmine::{Encoding, Error, HashAlgorithm, Result, Strategy};
use serde::Serialize;
use serde_json::Value;

use super::output::format_count;
use super::{bench_merkle, bench_mine};

/// Options of `parmine bench report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Difficulty of the scaling runs (leading zero hex digits).
    #[arg(long, default_value_t = 6)]
    difficulty: u32,
    /// Blocks of the scaling runs.
    #[arg(long, default_value_t = 6)]
    blocks: usize,
    /// Threads of the scaling and parallel Merkle runs [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Leaves of the Merkle comparison.
    #[arg(long, default_value_t = 1_000_000)]
    leaves: u64,
    /// A results file exported from the web page ("Export JSON"): adds the
    /// browser's ratios.
    #[arg(long)]
    browser: Option<PathBuf>,
    /// Compare the hashing kernels with pow-buster's `time` (see `parmine
    /// bench hash --pow-buster`); PATH defaults to $PARMINE_POW_BUSTER or
    /// `pow-buster` on the PATH.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "")]
    pow_buster: Option<PathBuf>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

/// One line of the report.
#[derive(Debug, Serialize)]
struct Line {
    target: String,
    measured: f64,
    goal: Option<f64>,
    /// `true`: at least the goal; `"upper"` goals are maxima.
    met: Option<bool>,
    how: String,
}

fn line(target: &str, measured: f64, goal: Option<f64>, how: &str) -> Line {
    Line { target: target.into(), measured, goal, met: goal.map(|g| measured >= g), how: how.into() }
}

#[derive(Debug, Serialize)]
struct Machine {
    cpu: String,
    threads: usize,
    features: Vec<&'static str>,
    os: &'static str,
    arch: &'static str,
    parmine: &'static str,
}

fn machine() -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    #[allow(unused_mut)]
    let mut features = Vec::new();
    #[cfg(target_arch = "x86_64")]
    for (name, present) in [
        ("sha-ni", std::arch::is_x86_feature_detected!("sha")),
        ("avx2", std::arch::is_x86_feature_detected!("avx2")),
        ("avx512f", std::arch::is_x86_feature_detected!("avx512f")),
    ] {
        if present {
            features.push(name);
        }
    }
    Machine {
        cpu,
        threads: parmine::pool::Pool::default_threads(),
        features,
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        parmine: env!("CARGO_PKG_VERSION"),
    }
}

/// Efficiency of each parallel strategy at `threads` against the sequential row.
fn efficiencies(rows: &[MineRow], threads: usize) -> Vec<(Strategy, f64)> {
    let Some(seq) = rows.iter().find(|r| r.strategy == Strategy::Sequential) else { return Vec::new() };
    rows.iter()
        .filter(|r| r.strategy.is_parallel() && r.threads == threads)
        .map(|r| (r.strategy, r.useful_attempts_per_sec / (seq.useful_attempts_per_sec * threads as f64)))
        .collect()
}

fn scaling_lines(lines: &mut Vec<Line>, rows: &[MineRow], threads: usize, host: &str, goal: f64) {
    let eff = efficiencies(rows, threads);
    for (strategy, e) in &eff {
        let goal =
            matches!(strategy, Strategy::FindAny | Strategy::Striped | Strategy::Chunked).then_some(goal);
        lines.push(line(
            &format!("{host}: {strategy} parallel efficiency on {threads} threads"),
            *e,
            goal,
            "useful attempts/s ÷ (threads × sequential's), header/SHA-256, same blocks",
        ));
    }
    let of = |s| eff.iter().find(|(st, _)| *st == s).map(|(_, e)| *e);
    if let (Some(ff), Some(fa)) = (of(Strategy::FindFirst), of(Strategy::FindAny)) {
        lines.push(line(
            &format!("{host}: find-first ÷ find-any on {threads} threads"),
            ff / fa,
            Some(0.9),
            "useful attempts/s",
        ));
    }
}

/// A page export read and checked before anything is measured: a file that
/// is not one fails at once, not after the native measurements.
fn read_export(path: &std::path::Path) -> Result<Value> {
    let not_export = |why: String| {
        Error::InvalidArgument(format!(
            "--browser {} is not a page export (\"Export JSON\" on the page): {why}",
            path.display()
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| not_export(format!("cannot read it: {e}")))?;
    let export: Value = serde_json::from_str(&text).map_err(|e| not_export(format!("not JSON ({e})")))?;
    if !export.is_object() {
        return Err(not_export("not a JSON object".into()));
    }
    if export.get("rates").is_none_or(Value::is_null) {
        return Err(not_export("it has no hash rates: measure them on the page first".into()));
    }
    serde_json::from_value::<HashRates>(export["rates"].clone())
        .map_err(|e| not_export(format!("its hash rates are not the page's ({e})")))?;
    Ok(export)
}

pub fn run(args: Args) -> Result<()> {
    let threads = args.threads.unwrap_or_else(parmine::pool::Pool::default_threads);
    // Every argument is checked before the first measurement.
    let bench = MineBench {
        encoding: Encoding::Header,
        hasher: HashAlgorithm::Sha256,
        strategies: vec![
            Strategy::Sequential,
            Strategy::FindFirst,
            Strategy::FindAny,
            Strategy::Striped,
            Strategy::Chunked,
        ],
        threads: vec![threads],
        difficulty: args.difficulty,
        runs: 1,
        rounds: 1,
        blocks: args.blocks,
        transactions: 0,
        kernel: None,
    };
    bench.validate()?;
    if args.leaves == 0 {
        return Err(Error::InvalidArgument("--leaves must be at least 1".into()));
    }
    let merkle_args = bench_merkle::Args {
        leaves: vec![args.leaves],
        arity: vec![2, 4, 16],
        hasher: vec![HashAlgorithm::Blake3],
        threads: Some(threads),
        runs: 5,
        threshold: parmine::jobs::defaults::threshold(),
        task: parmine::jobs::defaults::task(),
        no_rotortree: false,
        json: true,
        rotortree_sequential_child: false,
    };
    bench_merkle::validate(&merkle_args)?;
    let browser = args.browser.as_deref().map(read_export).transpose()?;
    let pow_buster = match &args.pow_buster {
        Some(path) => Some(super::peer::find((!path.as_os_str().is_empty()).then_some(path.as_path()))?),
        None => None,
    };
    let mut lines = Vec::new();

    eprintln!("measuring hash rates (about 3 s)…");
    let rates = match &pow_buster {
        Some(path) => super::peer::compare(path, 300.0, 3)?,
        None => hash_rates(300.0),
    };
    for (peer, goal) in rates.peer.iter().zip([Some(1.1), None, Some(1.0)]) {
        lines.push(line(
            &format!("native: {} ÷ {}", peer.path, peer.peer),
            peer.ratio,
            goal,
            "one thread; median of three rounds, each pow-buster `time` and parmine back to back",
        ));
    }
    lines.push(line(
        "native: header BLAKE3 mining rate ÷ blake3 crate hash_many (one-block inputs)",
        rates.blake3_scan / rates.blake3_hash_many,
        None,
        "what the crate's SIMD code does per message without a midstate",
    ));
    lines.push(line(
        "native: header SHA-256 mining rate ÷ bare compress256, one thread",
        rates.sha256_scan / rates.sha256_compress,
        Some(0.8),
        "scan loop over batches vs sha2::block_api::compress256 on one block",
    ));
    lines.push(line(
        "native: blog JSON ÷ header attempts/s, SHA-256",
        rates.json_sha256_scan / rates.sha256_scan,
        None,
        "the JSON's proof sits before ~100 bytes: 3 compressions per attempt vs 1",
    ));
    lines.push(line(
        "native: header BLAKE3 ÷ SHA-256 attempts/s",
        rates.blake3_scan / rates.sha256_scan,
        None,
        "one compression each",
    ));

    let points = bench.points().len();
    let expected = (points * args.blocks) as f64 * 16f64.powi(args.difficulty as i32);
    eprintln!(
        "measuring scaling: {points} strategies, difficulty {}, {} block(s), about {} attempts…",
        args.difficulty,
        args.blocks,
        format_count(expected)
    );
    let scaling = bench_mine::measure(&bench, points * args.blocks, args.json)?;
    let mine_rows = scaling.rows;
    scaling_lines(&mut lines, &mine_rows, threads, "native", 0.95);
    if let Some(stopped) = scaling.stopped {
        // Ctrl-C (or a search that failed): the report so far, then the
        // reason, and the Merkle comparison is not started.
        eprintln!("stopped early: the report holds what was measured before it");
        report(&args, &rates, &lines, &mine_rows, &[]);
        return Err(stopped);
    }

    eprintln!("measuring Merkle trees against rotortree ({} leaves)…", args.leaves);
    let merkle_rows = bench_merkle::measure(&merkle_args)?;
    for r in merkle_rows.iter().filter(|r| r.implementation == "parmine") {
        if let Some(ratio) = r.ratio_vs_rotortree {
            lines.push(line(
                &format!(
                    "native: Merkle {} N={} {} leaves, parmine ÷ rotortree, {}",
                    r.hasher, r.arity, r.leaves, r.mode
                ),
                ratio,
                Some(1.2),
                "rotortree's median insert_many time ÷ parmine's, same leaves, same run",
            ));
        }
    }

    if let Some(export) = &browser {
        browser_lines(&mut lines, export, &rates, &merkle_rows)?;
    }

    report(&args, &rates, &lines, &mine_rows, &merkle_rows);
    Ok(())
}

/// Print the report: one JSON object, or the table.
fn report(args: &Args, rates: &HashRates, lines: &[Line], mine_rows: &[MineRow], merkle_rows: &[MerkleRow]) {
    if args.json {
        let out = serde_json::json!({ "machine": machine(), "rates": rates, "lines": lines, "mining": mine_rows, "merkle": merkle_rows });
        outln!("{}", serde_json::to_string_pretty(&out).expect("report serializes"));
    } else {
        print(&machine(), rates, lines);
    }
}

/// The browser's ratios, from a page export.
fn browser_lines(
    lines: &mut Vec<Line>,
    export: &Value,
    native: &HashRates,
    merkle: &[MerkleRow],
) -> Result<()> {
    let bad = |what: &str| {
        Error::InvalidArgument(format!("the page export has no {what}: run it on the page first"))
    };
    let rates: HashRates = serde_json::from_value(export["rates"].clone()).map_err(|_| bad("hash rates"))?;
    let host = format!("browser ({})", rates.host);
    lines.push(line(
        &format!("{host}: header SHA-256 mining rate ÷ native's, per thread"),
        rates.sha256_scan / native.sha256_scan,
        Some(0.25),
        "browser scan loop (simd128 lanes) vs native scan loop (SHA-NI)",
    ));
    lines.push(line(
        &format!("{host}: header SHA-256 mining rate ÷ sha2 crate once per attempt"),
        rates.sha256_scan / rates.sha256_whole_message,
        Some(4.0),
        "both in the browser, same run",
    ));
    if rates.blake3_hash_many > 0.0 {
        lines.push(line(
            &format!("{host}: header BLAKE3 mining rate ÷ blake3 crate hash_many (one-block inputs)"),
            rates.blake3_scan / rates.blake3_hash_many,
            Some(0.9),
            "both in the browser, same run",
        ));
    }
    lines.push(line(
        &format!("{host}: header BLAKE3 mining rate ÷ native's, per thread"),
        rates.blake3_scan / native.blake3_scan,
        None,
        "",
    ));
    if rates.blake3_parents_n4 > 0.0 {
        lines.push(line(
            &format!("{host}: BLAKE3 Merkle parents (N=4), native ÷ browser, per thread"),
            native.blake3_parents_n4 / rates.blake3_parents_n4,
            None,
            "the hashing bound under the wasm tree's gap: SIMD width of hash_many on each host",
        ));
    }
    let rows: Vec<MineRow> = export["mining"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter(|r| r["source"] == "browser" && r["encoding"] == "header" && r["hasher"] == "sha256")
                .filter_map(|r| serde_json::from_value(r.clone()).ok())
                .collect()
        })
        .unwrap_or_default();
    if let Some(max) = rows.iter().map(|r| r.threads).max().filter(|&m| m > 1) {
        scaling_lines(lines, &rows, max, "browser", 0.9);
    }
    for b in export["merkle"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["source"] == "browser" && r["mode"] == "sequential")
    {
        let Ok(b) = serde_json::from_value::<MerkleRow>(b.clone()) else { continue };
        if let Some(n) = merkle.iter().find(|n| {
            n.implementation == "parmine"
                && n.mode == "sequential"
                && (n.hasher, n.arity, n.leaves) == (b.hasher, b.arity, b.leaves)
        }) {
            lines.push(Line {
                target: format!(
                    "browser: Merkle {} N={} {} leaves, native ÷ wasm per thread",
                    b.hasher, b.arity, b.leaves
                ),
                measured: n.leaves_per_sec / b.leaves_per_sec,
                goal: Some(3.0),
                met: Some(n.leaves_per_sec / b.leaves_per_sec <= 3.0),
                how: "sequential builds; at most the goal".into(),
            });
        }
    }
    Ok(())
}

fn print(machine: &Machine, rates: &HashRates, lines: &[Line]) {
    outln!(
        "parmine bench report: {} ({} threads; {}), {} {}, parmine {}",
        machine.cpu,
        machine.threads,
        if machine.features.is_empty() {
            "no SHA/AVX extensions".to_string()
        } else {
            machine.features.join(", ")
        },
        machine.os,
        machine.arch,
        machine.parmine
    );
    super::bench_hash::print(rates);
    outln!();
    let width = lines.iter().map(|l| l.target.chars().count()).max().unwrap_or(0);
    outln!("{:<width$} {:>9} {:>7} {:>5}", "target", "measured", "goal", "met");
    for l in lines {
        outln!(
            "{:<width$} {:>9.3} {:>7} {:>5}",
            l.target,
            l.measured,
            l.goal.map_or("-".into(), |g| format!("{g}")),
            l.met.map_or("-", |m| if m { "yes" } else { "NO" })
        );
    }
}
