//! `parmine mine`: one block, one strategy.

use super::stdout::outln;
use std::path::{Path, PathBuf};

use parmine::jobs::{MineJob, MineReport};
use parmine::{Block, Difficulty, Error, Result};

use super::device::Device;
use super::output::{format_count, run_with_progress};

/// Options of `parmine mine`: the job's, and where to read a block from.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    job: MineJob,
    /// Mine this block instead of a sample one: a JSON file in the blog's
    /// format (index, timestamp, proof, transactions, previous_block_hash;
    /// its proof is replaced), or - for standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["timestamp", "transactions"])]
    block: Option<PathBuf>,
    /// Where to mine: the CPU (with --strategy) or the GPU (the `gpu`
    /// strategy: the system's adapter through wgpu).
    #[arg(long, value_enum, default_value_t = Device::Cpu)]
    device: Device,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let mut job = args.job;
    if args.device == Device::Gpu {
        job.strategy = parmine::Strategy::Gpu;
    }
    if let Some(path) = &args.block {
        job.block = Some(read_block(path)?);
    }
    job.validate()?;
    // 16^difficulty candidates on average (leading zero hex digits).
    let expected = 16f64.powi(job.difficulty as i32);
    let report = run_with_progress(args.json, Some(expected), |control| job.run(Some(control)))?;
    if args.json {
        outln!("{}", serde_json::to_string(&report).expect("the report serializes"));
    } else {
        print(&report);
    }
    Ok(())
}

fn print(r: &MineReport) {
    let difficulty = Difficulty::from_hex_digits(r.difficulty).expect("validated");
    outln!(
        "block      index {} timestamp {}, {} transactions ({} encoding, {})",
        r.index,
        r.timestamp,
        r.transactions,
        r.encoding,
        r.hasher
    );
    if let Some(root) = &r.merkle_root {
        outln!("merkle     {root}");
    }
    if r.mined.strategy == parmine::Strategy::Gpu {
        let adapter = parmine::gpu::native::shared().map(|d| d.adapter().to_string()).unwrap_or_default();
        outln!("strategy   gpu on {adapter}, difficulty {difficulty}");
    } else {
        outln!(
            "strategy   {} on {} thread(s), difficulty {}, kernel {}",
            r.mined.strategy,
            r.mined.threads,
            difficulty,
            r.kernel
        );
    }
    outln!("proof      {}", r.mined.proof);
    outln!("hash       {}", r.mined.hash_hex());
    outln!(
        "attempts   {} in {:.1} ms ({}/s)",
        r.mined.attempts,
        r.mined.elapsed.as_secs_f64() * 1e3,
        format_count(r.attempts_per_sec)
    );
    if let Some(message) = &r.message {
        outln!("message    {message}");
    }
}

/// A block in the blog's JSON, from a file or standard input. Unknown fields
/// are errors that name the field (a typo would otherwise mine another block).
fn read_block(path: &Path) -> Result<Block> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| Error::InvalidBlock(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::InvalidBlock(format!("{} is not a block in the blog's JSON: {e}", path.display()))
    })
}
