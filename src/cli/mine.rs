//! `parmine mine`: one block, one strategy.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use parmine::block::Header;
use parmine::hash::to_hex;
use parmine::{Block, Control, Difficulty, Encoding, Error, HashAlgorithm, Miner, Puzzle, Result, Strategy};

use super::output::{format_count, spinner};

/// Options of `parmine mine`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Block encoding: the blog's JSON or parmine's binary header.
    #[arg(long, default_value = "json")]
    encoding: Encoding,
    /// Hash function.
    #[arg(long, default_value = "sha256")]
    hasher: HashAlgorithm,
    /// Search strategy.
    #[arg(long, default_value = "chunked")]
    strategy: Strategy,
    /// Leading zero hex digits the hash must have (the blog's "000000" is 6).
    #[arg(long, default_value_t = 6)]
    difficulty: u32,
    /// Threads for the parallel strategies [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Hashing kernel [default: the fastest this machine has for the hasher]:
    /// crate, scalar, sse4.1, avx2, sha-ni (SHA-256), simd128 (wasm).
    #[arg(long)]
    kernel: Option<parmine::Kernel>,
    /// Timestamp of the block mined after genesis [default: the blog's 1524480511].
    #[arg(long, default_value_t = Block::BENCHMARK_TIMESTAMP)]
    timestamp: u64,
    /// Sample transactions the block carries (0: the blog's empty block).
    #[arg(long, default_value_t = 0)]
    transactions: usize,
    /// Mine this block instead of a sample one: a JSON file in the blog's
    /// format (index, timestamp, proof, transactions, previous_block_hash;
    /// its proof is replaced), or - for standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["timestamp", "transactions"])]
    block: Option<PathBuf>,
    /// First nonce to try.
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// One past the last nonce to try [default: 2^64 - 1].
    #[arg(long, default_value_t = u64::MAX)]
    end: u64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let difficulty = Difficulty::from_hex_digits(args.difficulty)?;
    let threads = args.threads.unwrap_or_else(super::available_threads);
    let block = match &args.block {
        Some(path) => read_block(path)?,
        None => Block::sample(args.timestamp, args.transactions)?,
    };
    let puzzle = Puzzle::new(&block, args.encoding, args.hasher, difficulty)?;
    let control = Arc::new(Control::new());
    let mut miner =
        Miner::new(args.strategy).threads(threads).range(args.start..args.end).control(control.clone());
    if let Some(kernel) = args.kernel {
        miner = miner.kernel(kernel);
    }

    let progress = spinner(args.json);
    let mined = std::thread::scope(|scope| {
        let job = scope.spawn(|| miner.mine(&puzzle));
        let started = web_time::Instant::now();
        while !job.is_finished() {
            let attempts = control.attempts();
            let rate = attempts as f64 / started.elapsed().as_secs_f64().max(1e-9);
            progress.set_message(format!(
                "{} attempts, {}/s",
                format_count(attempts as f64),
                format_count(rate)
            ));
            std::thread::sleep(Duration::from_millis(50));
        }
        job.join().expect("the mining thread does not panic")
    });
    progress.finish_and_clear();
    let mined = mined?;

    if args.json {
        let mut value = serde_json::to_value(&mined).expect("Mined serializes");
        let object = value.as_object_mut().expect("Mined is an object");
        object.insert("encoding".into(), args.encoding.name().into());
        object.insert("hasher".into(), args.hasher.name().into());
        object.insert("difficulty".into(), args.difficulty.into());
        object.insert("index".into(), block.index.into());
        object.insert("timestamp".into(), block.timestamp.into());
        object.insert("transactions".into(), block.transactions.len().into());
        object.insert("merkle_root".into(), merkle_root(&puzzle, args.encoding).into());
        object.insert("attempts_per_sec".into(), mined.attempts_per_sec().into());
        println!("{value}");
    } else {
        println!(
            "block      index {} timestamp {}, {} transactions ({} encoding, {})",
            block.index,
            block.timestamp,
            block.transactions.len(),
            args.encoding,
            args.hasher
        );
        if let Some(root) = merkle_root(&puzzle, args.encoding) {
            println!("merkle     {root}");
        }
        println!("strategy   {} on {} thread(s), difficulty {}", mined.strategy, mined.threads, difficulty);
        println!("proof      {}", mined.proof);
        println!("hash       {}", mined.hash_hex());
        println!(
            "attempts   {} in {:.1} ms ({}/s)",
            mined.attempts,
            mined.elapsed.as_secs_f64() * 1e3,
            format_count(mined.attempts_per_sec())
        );
    }
    Ok(())
}

/// A block in the blog's JSON, from a file or standard input.
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

/// The transactions' Merkle root that the header commits, hex, read from the
/// encoded header; none for the blog's JSON, which carries the transactions
/// themselves.
fn merkle_root(puzzle: &Puzzle, encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Json => None,
        Encoding::Header => Some(to_hex(&puzzle.template().prefix()[Header::MERKLE_ROOT])),
    }
}
