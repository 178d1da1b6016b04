//! The jobs: `mine`, `benchMine`, `merkle`, `benchMerkle`, `verifyProof`.
//!
//! Each export parses a plain options object (unknown fields are errors, so a
//! typo is not silently ignored), runs the same library code as the command
//! line, and returns a plain object. Each job resets the instance's control
//! first; a cancel during the job ends it with a "mining was cancelled"
//! error.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::CONTROL;
use crate::bench::{MerkleBench, MerkleRow, MineBench, MineRow, TreeBuild, build_tree, merkle_leaves};
use crate::block::{Block, Encoding, Header};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{Blake3, Digest, HashAlgorithm, Sha256, to_hex};
use crate::merkle::{Parallelism, Proof, verify};
use crate::mine::{Miner, Puzzle, Strategy};
use crate::pool::Pool;

/// Options of [`mine`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MineOptions {
    /// `json` (default) or `header`.
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// `sha256` (default) or `blake3`.
    #[serde(default = "default_hasher")]
    pub hasher: String,
    /// A strategy name (default `chunked`).
    #[serde(default = "default_strategy")]
    pub strategy: String,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Threads (default: the whole pool).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Timestamp of the block after genesis (default the blog's).
    #[serde(default = "default_timestamp")]
    pub timestamp: u64,
    /// Sample transactions in the block (default 0: the blog's empty block).
    #[serde(default)]
    pub transactions: usize,
    /// First nonce (default 0).
    #[serde(default)]
    pub start: u64,
    /// One past the last nonce (default 2^64 - 1).
    #[serde(default = "max_nonce")]
    pub end: u64,
}

fn default_encoding() -> String {
    "json".into()
}
fn default_hasher() -> String {
    "sha256".into()
}
fn default_strategy() -> String {
    "chunked".into()
}
fn one() -> usize {
    1
}
fn default_timestamp() -> u64 {
    Block::BENCHMARK_TIMESTAMP
}
fn max_nonce() -> u64 {
    u64::MAX
}

/// The result of [`mine`]: the command line's fields, and the mined block's
/// bytes so that anyone can check the hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinedBlock {
    /// The proof, as decimal text (a JavaScript number loses nonces ≥ 2^53).
    pub proof: String,
    /// The block's hash, hex.
    pub hash: String,
    /// Candidates hashed.
    pub attempts: f64,
    /// Candidates that counted towards the proof.
    pub useful_attempts: f64,
    /// Wall-clock time, ms (`performance.now()`).
    pub elapsed_ms: f64,
    /// Candidates per second.
    pub attempts_per_sec: f64,
    /// Strategy name.
    pub strategy: Strategy,
    /// Threads used.
    pub threads: usize,
    /// Encoding name.
    pub encoding: Encoding,
    /// Hasher name.
    pub hasher: HashAlgorithm,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Block index.
    pub index: u64,
    /// Block timestamp.
    pub timestamp: u64,
    /// Transactions in the block.
    pub transactions: usize,
    /// The transactions' Merkle root that the header commits, hex (`header`
    /// only; the blog's JSON carries the transactions themselves).
    pub merkle_root: Option<String>,
    /// The bytes that were hashed: the block's JSON text for `json`, the
    /// header as hex for `header`.
    pub message: String,
}

/// Mine one block (see [`MineOptions`]).
pub fn mine_block(options: &MineOptions) -> Result<MinedBlock> {
    let encoding: Encoding = options.encoding.parse()?;
    let hasher: HashAlgorithm = options.hasher.parse()?;
    let strategy: Strategy = options.strategy.parse()?;
    let difficulty = Difficulty::from_hex_digits(options.difficulty)?;
    let block = Block::sample(options.timestamp, options.transactions)?;
    let puzzle = Puzzle::new(&block, encoding, hasher, difficulty)?;
    CONTROL.reset();
    let mined = Miner::new(strategy)
        .threads(options.threads.unwrap_or_else(Pool::max_threads))
        .range(options.start..options.end)
        .control(CONTROL.clone())
        .mine(&puzzle)?;
    // Encoded afresh, not from the mining template, so that re-hashing the
    // shown bytes checks the template too.
    let bytes = encoding.encode(&block, hasher, difficulty, mined.proof)?;
    let (message, merkle_root) = match encoding {
        Encoding::Json => (String::from_utf8(bytes).expect("JSON is UTF-8"), None),
        Encoding::Header => (to_hex(&bytes), Some(to_hex(&bytes[Header::MERKLE_ROOT]))),
    };
    Ok(MinedBlock {
        proof: mined.proof.to_string(),
        hash: mined.hash_hex(),
        attempts: mined.attempts as f64,
        useful_attempts: mined.useful_attempts as f64,
        elapsed_ms: mined.elapsed.as_secs_f64() * 1e3,
        attempts_per_sec: mined.attempts_per_sec(),
        strategy,
        threads: mined.threads,
        encoding,
        hasher,
        difficulty: options.difficulty,
        index: block.index,
        timestamp: block.timestamp,
        transactions: block.transactions.len(),
        merkle_root,
        message,
    })
}

/// Options of [`bench_mine`]: the command line's `bench mine` flags.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchMineOptions {
    /// `json` (default) or `header`.
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// `sha256` (default) or `blake3`.
    #[serde(default = "default_hasher")]
    pub hasher: String,
    /// Strategy names (default all).
    #[serde(default)]
    pub strategies: Vec<String>,
    /// Thread counts (default: the whole pool).
    #[serde(default)]
    pub threads: Vec<usize>,
    /// Leading zero hex digits.
    pub difficulty: u32,
    /// Runs per block (default 1).
    #[serde(default = "one")]
    pub runs: usize,
    /// Blocks (default 1).
    #[serde(default = "one")]
    pub blocks: usize,
    /// Sample transactions in each block (default 0).
    #[serde(default)]
    pub transactions: usize,
}

/// Benchmark strategies (see [`BenchMineOptions`]); rows as `parmine bench mine --json`.
pub fn bench_mine_rows(options: &BenchMineOptions) -> Result<Vec<MineRow>> {
    let strategies = if options.strategies.is_empty() {
        Strategy::ALL.to_vec()
    } else {
        options.strategies.iter().map(|s| s.parse()).collect::<Result<_>>()?
    };
    let bench = MineBench {
        encoding: options.encoding.parse()?,
        hasher: options.hasher.parse()?,
        strategies,
        threads: if options.threads.is_empty() { vec![Pool::max_threads()] } else { options.threads.clone() },
        difficulty: options.difficulty,
        runs: options.runs,
        blocks: options.blocks,
        transactions: options.transactions,
    };
    CONTROL.reset();
    bench.run(Some(CONTROL.clone()), |_, _| {})
}

/// Options of [`merkle`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerkleOptions {
    /// Leaves: leaf i is the hash of i as 8 little-endian bytes.
    pub leaves: u64,
    /// Children per parent (default 2).
    #[serde(default = "two")]
    pub arity: usize,
    /// `blake3` (default) or `sha256`.
    #[serde(default = "default_merkle_hasher")]
    pub hasher: String,
    /// Threads (default 1: a sequential build on the calling thread).
    #[serde(default = "one")]
    pub threads: usize,
    /// Parents from which a level goes parallel (default 1024).
    #[serde(default = "default_threshold")]
    pub threshold: usize,
    /// Parents per parallel task (default 64).
    #[serde(default = "default_task")]
    pub task: usize,
    /// Also prove this leaf.
    #[serde(default)]
    pub proof: Option<u64>,
}

fn two() -> usize {
    2
}
fn default_merkle_hasher() -> String {
    "blake3".into()
}
fn default_threshold() -> usize {
    Parallelism::DEFAULT_THRESHOLD
}
fn default_task() -> usize {
    Parallelism::DEFAULT_TASK
}

/// The result of [`merkle`].
#[derive(Debug, Clone, Serialize)]
pub struct MerkleResult {
    /// The tree: root, size, depth, time.
    #[serde(flatten)]
    pub build: TreeBuild,
    /// Hasher.
    pub hasher: HashAlgorithm,
    /// Arity.
    pub arity: usize,
    /// Threads.
    pub threads: usize,
    /// The proof asked for.
    pub proof: Option<Proof>,
    /// Whether it verifies against the root.
    pub verified: Option<bool>,
}

/// Build a tree (see [`MerkleOptions`]).
pub fn merkle_tree(options: &MerkleOptions) -> Result<MerkleResult> {
    let hasher: HashAlgorithm = options.hasher.parse()?;
    let mut parallelism = Parallelism { threshold: options.threshold, task: options.task };
    let pool = if options.threads == 1 {
        parallelism.threshold = usize::MAX;
        Pool::inline()
    } else {
        Pool::new(options.threads)?
    };
    let leaves = pool.install(|| merkle_leaves(hasher, options.leaves));
    let build = build_tree(&pool, hasher, options.arity, &leaves, parallelism)?;
    let proof = match options.proof {
        Some(index) => {
            Some(pool.install(|| crate::bench::prove_leaf(hasher, options.arity, &leaves, index))?)
        }
        None => None,
    };
    Ok(MerkleResult {
        build,
        hasher,
        arity: options.arity,
        threads: pool.threads(),
        verified: proof.as_ref().map(|(_, ok)| *ok),
        proof: proof.map(|(p, _)| p),
    })
}

/// Options of [`bench_merkle`]: one point, sequential and parallel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchMerkleOptions {
    /// Leaves.
    pub leaves: u64,
    /// Children per parent (default 2).
    #[serde(default = "two")]
    pub arity: usize,
    /// `blake3` (default) or `sha256`.
    #[serde(default = "default_merkle_hasher")]
    pub hasher: String,
    /// Threads of the parallel build (default: the whole pool).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Timed builds of each mode (default 3).
    #[serde(default = "three")]
    pub runs: usize,
    /// Parents from which a level goes parallel (default 1024).
    #[serde(default = "default_threshold")]
    pub threshold: usize,
    /// Parents per parallel task (default 64).
    #[serde(default = "default_task")]
    pub task: usize,
}

fn three() -> usize {
    3
}

/// The result of [`bench_merkle`].
#[derive(Debug, Clone, Serialize)]
pub struct BenchMerkleResult {
    /// The root both builds agree on, hex.
    #[serde(with = "crate::hash::serde_hex")]
    pub root: Digest,
    /// The sequential and the parallel row, as `parmine bench merkle --json`.
    pub rows: Vec<MerkleRow>,
}

/// Time a tree both ways (see [`BenchMerkleOptions`]).
pub fn bench_merkle_point(options: &BenchMerkleOptions) -> Result<BenchMerkleResult> {
    let bench = MerkleBench {
        hasher: options.hasher.parse()?,
        arity: options.arity,
        leaves: options.leaves,
        runs: options.runs,
        threads: options.threads.unwrap_or_else(Pool::max_threads),
        threshold: options.threshold,
        task: options.task,
    };
    let (root, rows) = bench.run()?;
    Ok(BenchMerkleResult { root, rows: rows.to_vec() })
}

/// Options of [`bench_hash`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchHashOptions {
    /// Milliseconds per measured path (default 300).
    #[serde(default = "default_hash_ms")]
    pub ms: f64,
}

fn default_hash_ms() -> f64 {
    300.0
}

/// Options of [`verify_proof`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyOptions {
    /// `blake3` (default) or `sha256`.
    #[serde(default = "default_merkle_hasher")]
    pub hasher: String,
    /// A proof as [`merkle`] returns it.
    pub proof: Proof,
    /// The root, hex.
    pub root: String,
}

/// Whether a proof verifies against a root.
pub fn verify_proof_with(options: &VerifyOptions) -> Result<bool> {
    let root = crate::hash::digest_from_hex(&options.root)?;
    Ok(match options.hasher.parse()? {
        HashAlgorithm::Sha256 => verify::<Sha256>(&options.proof, &root),
        HashAlgorithm::Blake3 => verify::<Blake3>(&options.proof, &root),
    })
}

/// A plain object from a result.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}

/// Options from a plain object. It goes through `serde_json::Value` because
/// serde-wasm-bindgen reads only the fields a struct declares, and a misspelt
/// option must be an error, not a silent default.
fn from_js<T: DeserializeOwned>(options: JsValue) -> Result<T, JsError> {
    let bad = |e: &dyn std::fmt::Display| JsError::new(&format!("bad options: {e}"));
    let value: serde_json::Value = serde_wasm_bindgen::from_value(options).map_err(|e| bad(&e))?;
    serde_json::from_value(value).map_err(|e| bad(&e))
}

fn js_error(err: Error) -> JsError {
    JsError::new(&err.to_string())
}

/// Mine one block: `{difficulty, encoding?, hasher?, strategy?, threads?,
/// timestamp?, transactions?, start?, end?}` → `{proof, hash, attempts, elapsed_ms, …, message}`.
#[wasm_bindgen]
pub fn mine(options: JsValue) -> Result<JsValue, JsError> {
    to_js(&mine_block(&from_js(options)?).map_err(js_error)?)
}

/// Benchmark: `{difficulty, encoding?, hasher?, strategies?, threads?, runs?,
/// blocks?, transactions?}` → rows as `parmine bench mine --json`.
#[wasm_bindgen(js_name = benchMine)]
pub fn bench_mine(options: JsValue) -> Result<JsValue, JsError> {
    to_js(&bench_mine_rows(&from_js(options)?).map_err(js_error)?)
}

/// Build a tree: `{leaves, arity?, hasher?, threads?, threshold?, task?,
/// proof?}` → `{root, size, depth, elapsed_ms, proof?, verified?}`.
#[wasm_bindgen]
pub fn merkle(options: JsValue) -> Result<JsValue, JsError> {
    to_js(&merkle_tree(&from_js(options)?).map_err(js_error)?)
}

/// Time a tree sequentially and in parallel: `{leaves, arity?, hasher?,
/// threads?, runs?, threshold?, task?}` → `{root, rows}`.
#[wasm_bindgen(js_name = benchMerkle)]
pub fn bench_merkle(options: JsValue) -> Result<JsValue, JsError> {
    to_js(&bench_merkle_point(&from_js(options)?).map_err(js_error)?)
}

/// Raw hash rates of the mining paths on the driver thread: `{ms?}` →
/// `{sha256_compress, sha256_whole_message, sha256_scan, …}` per second.
#[wasm_bindgen(js_name = benchHash)]
pub fn bench_hash(options: JsValue) -> Result<JsValue, JsError> {
    let options: BenchHashOptions = from_js(options)?;
    if !(options.ms > 0.0 && options.ms <= 10_000.0) {
        return Err(JsError::new("ms must be above 0 and at most 10000"));
    }
    to_js(&crate::bench::hash_rates(options.ms))
}

/// Check a proof: `{proof, root, hasher?}` → `true` or `false`.
#[wasm_bindgen(js_name = verifyProof)]
pub fn verify_proof(options: JsValue) -> Result<bool, JsError> {
    verify_proof_with(&from_js(options)?).map_err(js_error)
}
