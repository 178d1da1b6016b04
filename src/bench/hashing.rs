//! Raw hash rates of the mining paths, measured the same way on each host.
//!
//! These are the numbers behind the performance targets: the bare SHA-256
//! compression function, hashing a whole header with the `sha2` crate once
//! per candidate (what a naive miner does), one midstate `finish` per
//! candidate, and the worker's scan loop (multi-lane where the hasher has a
//! kernel for this target), for both encodings and both hashers.

use std::hint::black_box;

use serde::{Deserialize, Serialize};

use crate::block::{Block, Encoding, Header, NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::hash::{Blake3, HashAlgorithm, Hasher, Kernel, Sha256};
use crate::mine::search::{BATCH, Search};

/// The paths of [`HashRates`] in display order: (field, label). The command
/// line's table and the page's (through the catalog) both use these.
pub const RATE_PATHS: [(&str, &str); 12] = [
    ("sha256_compress", "SHA-256 compression, one block (sha2)"),
    ("sha256_whole_message", "header, sha2 crate per candidate"),
    ("sha256_midstate", "header, SHA-256 midstate (sha2)"),
    ("sha256_scan", "header, SHA-256 scan loop (mining)"),
    ("json_sha256_scan", "blog JSON, SHA-256 scan loop"),
    ("anubis_sha256_scan", "Anubis-shaped, SHA-256 scan loop"),
    ("blake3_whole_message", "header, blake3 crate per candidate"),
    ("blake3_scan", "header, BLAKE3 scan loop (mining)"),
    ("blake3_hash_many", "one-block messages, blake3 hash_many (bound)"),
    ("json_blake3_scan", "blog JSON, BLAKE3 scan loop"),
    ("blake3_parents_n4", "Merkle parents of 4, BLAKE3 batches"),
    ("sha256_lanes", "candidates per SHA-256 kernel vector"),
];

/// Operations per second of each mining path, on one thread.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HashRates {
    /// Where it ran: `native x86_64` (the architecture), or `wasm32 threaded` / `wasm32 single`, plus ` simd128`.
    pub host: String,
    /// Candidates per vector of the default SHA-256 kernel (1 for scalar ones).
    pub sha256_lanes: usize,
    /// The default SHA-256 mining kernel (`sha-ni`, `avx2`, `simd128`, …).
    #[serde(default)]
    pub sha256_kernel: String,
    /// The default BLAKE3 mining kernel.
    #[serde(default)]
    pub blake3_kernel: String,
    /// Bare SHA-256 compressions of one block (`sha2::compress256`).
    pub sha256_compress: f64,
    /// Header candidates hashed whole with the `sha2` crate (two compressions and its overhead).
    pub sha256_whole_message: f64,
    /// Header candidates through the midstate, one `sha2` `finish` each.
    pub sha256_midstate: f64,
    /// Header candidates through the worker's scan loop and the default kernel: the mining rate.
    pub sha256_scan: f64,
    /// Blog-JSON candidates through the scan loop, SHA-256.
    pub json_sha256_scan: f64,
    /// Anubis-shaped candidates (a 64-character challenge, then the decimal
    /// nonce: a whole block of prefix, the nonce alone in the last block)
    /// through the scan loop, SHA-256. Zero in older exports.
    #[serde(default)]
    pub anubis_sha256_scan: f64,
    /// Header candidates hashed whole with the `blake3` crate.
    pub blake3_whole_message: f64,
    /// Header candidates through the scan loop, BLAKE3.
    pub blake3_scan: f64,
    /// Blog-JSON candidates through the scan loop, BLAKE3.
    pub json_blake3_scan: f64,
    /// Merkle parents of four children (128 bytes) through BLAKE3's
    /// multi-input kernel, 16 per call as the tree hashes them: the bound on
    /// a 4-ary tree's build rate. Zero in exports that predate it.
    #[serde(default)]
    pub blake3_parents_n4: f64,
    /// One-block messages through the `blake3` crate's own `hash_many`
    /// (16 per call): what BLAKE3's SIMD code does without a midstate, the
    /// bound a BLAKE3 mining kernel is measured against. Zero in older exports.
    #[serde(default)]
    pub blake3_hash_many: f64,
    /// The header scan rate through every kernel this host has.
    #[serde(default)]
    pub kernels: Vec<KernelRate>,
    /// The same work measured by a peer solver in the same run (natively,
    /// `parmine bench hash --pow-buster`); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peer: Vec<PeerRatio>,
}

/// One path against the peer's solver for the same work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRatio {
    /// The work, in words.
    pub path: String,
    /// parmine's rate, per second (median over the rounds).
    pub parmine: f64,
    /// The peer and its solver, e.g. `pow-buster 0.2.0 GoAway`.
    pub peer: String,
    /// The peer's rate, per second (median over the rounds).
    pub peer_rate: f64,
    /// parmine ÷ peer: the median of each round's ratio of two rates
    /// measured back to back.
    pub ratio: f64,
}

/// One kernel's header mining rate on one thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelRate {
    /// `sha256` or `blake3`.
    pub hasher: HashAlgorithm,
    /// The kernel.
    pub kernel: Kernel,
    /// Header candidates per second through the scan loop.
    pub per_sec: f64,
}

/// One measured path: `op(call)` does `per_call` operations.
struct Path<'a> {
    per_call: u64,
    op: Box<dyn FnMut(u64) + 'a>,
    calls: u64,
    rates: Vec<f64>,
}

/// `HashRates::get` and `HashRates::rate_mut` over the measured (`f64`)
/// fields, from one list of their names.
macro_rules! measured_fields {
    ($($field:ident)*) => {
        impl HashRates {
            /// The rate of path `key` (a [`RATE_PATHS`] field), if it has one.
            pub fn get(&self, key: &str) -> Option<f64> {
                match key {
                    $(stringify!($field) => Some(self.$field),)*
                    "sha256_lanes" => Some(self.sha256_lanes as f64),
                    _ => None,
                }
            }

            /// The measured rate `key`, to be set.
            fn rate_mut(&mut self, key: &str) -> Option<&mut f64> {
                match key {
                    $(stringify!($field) => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}
measured_fields!(
    sha256_compress sha256_whole_message sha256_midstate sha256_scan json_sha256_scan anubis_sha256_scan
    blake3_whole_message blake3_scan blake3_hash_many json_blake3_scan blake3_parents_n4
);

impl<'a> Path<'a> {
    fn new(per_call: u64, op: impl FnMut(u64) + 'a) -> Self {
        Path { per_call, op: Box::new(op), calls: 0, rates: Vec::new() }
    }

    /// Run for about `ms` milliseconds; operations per second.
    fn run_for(&mut self, ms: f64) -> f64 {
        let start = web_time::Instant::now();
        let first = self.calls;
        loop {
            for _ in 0..16 {
                (self.op)(self.calls);
                self.calls += 1;
            }
            let seconds = start.elapsed().as_secs_f64();
            if seconds * 1e3 >= ms {
                return ((self.calls - first) * self.per_call) as f64 / seconds;
            }
        }
    }

    fn median(&self) -> f64 {
        let mut rates = self.rates.clone();
        rates.sort_by(f64::total_cmp);
        rates[rates.len() / 2]
    }
}

/// Rounds each path's time is cut into.
const ROUNDS: usize = 5;

/// Measure every path for about `millis` ms in all; the median of each
/// path's rates (operations per second).
///
/// A warm-up of a quarter of that time comes first and is not counted: V8
/// runs new wasm code in its baseline compiler and swaps in the optimised
/// code only for later calls, so the path measured first would otherwise be
/// measured partly unoptimised (the `sha2` crate per candidate read 2.39M/s
/// cold against 2.95M/s warm, which flattered every ratio against it). The
/// time is then cut into [`ROUNDS`] rounds that visit every path in turn, so
/// that a shared machine's drift (2x from one minute to the next on the VMs
/// this was written on) falls on all paths alike and the ratios hold.
fn measure_all(paths: &mut [Path<'_>], millis: f64) -> Vec<f64> {
    for path in paths.iter_mut() {
        path.run_for(millis / 4.0);
    }
    for _ in 0..ROUNDS {
        for path in paths.iter_mut() {
            let rate = path.run_for(millis / ROUNDS as f64);
            path.rates.push(rate);
        }
    }
    paths.iter().map(Path::median).collect()
}

/// A challenge of Anubis's older shape: 64 hex digits (a SHA-256), so the
/// decimal nonce starts a block of its own.
const ANUBIS_CHALLENGE: &[u8; 64] = b"7f2bd29a1e0b4c2d9e6f8a3b5c7d1e0f2a4b6c8d0e1f3a5b7c9d2e4f6a8b0c1d";

/// The benchmark block's template with a target no digest meets (every
/// candidate is hashed and tested, none ends the scan).
fn benchmark_template(encoding: Encoding, algorithm: HashAlgorithm) -> Template {
    encoding
        .template(&Block::benchmark(), algorithm, unreachable_difficulty())
        .expect("the benchmark block encodes")
}

fn unreachable_difficulty() -> Difficulty {
    Difficulty::from_bits(Difficulty::MAX_BITS).expect("256 bits is valid")
}

/// A search of `template` through `kernel` (the default if none) for a
/// target no digest meets.
fn search<H: Hasher>(template: &Template, kernel: Option<Kernel>) -> Search<'_, H> {
    let kernel = kernel.unwrap_or(H::kernels()[0]);
    Search::<H>::with_kernel(template, unreachable_difficulty(), kernel)
        .expect("the kernel is one of H::kernels()")
}

/// The scan loop of one worker of `search`, a batch per call.
fn scan_path<'a, H: Hasher>(search: &'a Search<'a, H>) -> Path<'a> {
    let mut worker = search.worker();
    Path::new(BATCH, move |call| {
        black_box(worker.scan(10_000_000 + call * BATCH, 1, BATCH));
    })
}

fn whole_message_path(algorithm: HashAlgorithm) -> Path<'static> {
    let mut message = Encoding::Header
        .encode(&Block::benchmark(), algorithm, unreachable_difficulty(), 0)
        .expect("the header encodes");
    Path::new(64, move |call| {
        for i in 0..64 {
            message[Header::NONCE_OFFSET..].copy_from_slice(&(call * 64 + i).to_be_bytes());
            black_box(algorithm.hash(black_box(&message)));
        }
    })
}

/// One-block messages through the `blake3` crate's `hash_many`, 16 per call.
fn hash_many_path() -> Path<'static> {
    const MESSAGES: usize = 16;
    let mut messages = [[0u8; 64]; MESSAGES];
    let mut out = [[0u8; 32]; MESSAGES];
    Path::new(MESSAGES as u64, move |call| {
        for (i, m) in messages.iter_mut().enumerate() {
            m[..8].copy_from_slice(&(call * MESSAGES as u64 + i as u64).to_le_bytes());
        }
        crate::hash::blake3_hash_many(black_box(&messages), &mut out);
        black_box(&out);
    })
}

/// Parents of `arity` distinct children, 16 per call.
fn parents_path<H: Hasher>(arity: usize) -> Path<'static> {
    const PARENTS: usize = 16;
    let children: Vec<[u8; 32]> =
        (0..PARENTS * arity).map(|i| H::hash_nodes(&[[i as u8; 32], [0; 32]])).collect();
    let mut out = [[0u8; 32]; PARENTS];
    Path::new(PARENTS as u64, move |_| {
        H::hash_parents(black_box(&children), arity, &mut out);
        black_box(&out);
    })
}

/// Measure every path for about `millis` ms each, on the calling thread,
/// interleaved (see [`measure_all`]).
pub fn hash_rates(millis: f64) -> HashRates {
    let header = benchmark_template(Encoding::Header, HashAlgorithm::Sha256);
    let header_blake3 = benchmark_template(Encoding::Header, HashAlgorithm::Blake3);
    let json = benchmark_template(Encoding::Json, HashAlgorithm::Sha256);
    let anubis = Template::new(ANUBIS_CHALLENGE.to_vec(), NonceFormat::Decimal, Vec::new());
    let mid = Sha256::midstate(header.prefix());
    let mut tail = Sha256::tail(&mid, 8);
    let mut state = *mid.state();
    let block = tail.blocks()[0];
    let measured = |kernels: &'static [Kernel]| kernels.iter().copied();
    let kernels: Vec<(HashAlgorithm, Kernel)> = measured(Sha256::kernels())
        .map(|k| (HashAlgorithm::Sha256, k))
        .chain(measured(Blake3::kernels()).map(|k| (HashAlgorithm::Blake3, k)))
        .collect();
    let json_sha256 = search::<Sha256>(&json, None);
    let json_blake3 = search::<Blake3>(&json, None);
    let anubis_sha256 = search::<Sha256>(&anubis, None);
    let sha256_kernels: Vec<_> =
        measured(Sha256::kernels()).map(|k| search::<Sha256>(&header, Some(k))).collect();
    let blake3_kernels: Vec<_> =
        measured(Blake3::kernels()).map(|k| search::<Blake3>(&header_blake3, Some(k))).collect();
    // The paths measured on their own, by their RATE_PATHS names; the header
    // scans are the kernels' rows, the default kernel's being `*_scan`.
    let mut named: Vec<(&str, Path<'_>)> = vec![
        (
            "sha256_compress",
            Path::new(64, move |_| {
                for _ in 0..64 {
                    sha2::block_api::compress256(&mut state, std::slice::from_ref(black_box(&block)));
                }
                black_box(state);
            }),
        ),
        ("sha256_whole_message", whole_message_path(HashAlgorithm::Sha256)),
        (
            "sha256_midstate",
            Path::new(64, |call| {
                for i in 0..64 {
                    Sha256::tail_bytes(&mut tail).copy_from_slice(&(call * 64 + i).to_be_bytes());
                    black_box(Sha256::finish(&mid, &tail));
                }
            }),
        ),
        ("json_sha256_scan", scan_path(&json_sha256)),
        ("blake3_whole_message", whole_message_path(HashAlgorithm::Blake3)),
        ("json_blake3_scan", scan_path(&json_blake3)),
        ("blake3_parents_n4", parents_path::<Blake3>(4)),
        ("blake3_hash_many", hash_many_path()),
        ("anubis_sha256_scan", scan_path(&anubis_sha256)),
    ];
    let fixed = named.len();
    named.extend(sha256_kernels.iter().map(|s| ("", scan_path(s))));
    named.extend(blake3_kernels.iter().map(|s| ("", scan_path(s))));
    let (names, mut paths): (Vec<&str>, Vec<Path<'_>>) = named.into_iter().unzip();
    let rates = measure_all(&mut paths, millis);
    let kernels: Vec<KernelRate> = kernels
        .iter()
        .zip(&rates[fixed..])
        .map(|(&(hasher, kernel), &per_sec)| KernelRate { hasher, kernel, per_sec })
        .collect();
    let default_rate = |hasher: HashAlgorithm, kernel: Kernel| {
        kernels.iter().find(|k| k.hasher == hasher && k.kernel == kernel).map_or(0.0, |k| k.per_sec)
    };
    let host = if cfg!(target_arch = "wasm32") {
        let threads = if cfg!(target_feature = "atomics") { "threaded" } else { "single" };
        let simd = if cfg!(target_feature = "simd128") { " simd128" } else { "" };
        format!("wasm32 {threads}{simd}")
    } else {
        format!("native {}", std::env::consts::ARCH)
    };
    let mut result = HashRates {
        host,
        sha256_lanes: Sha256::kernels()[0].lanes(),
        sha256_kernel: Sha256::kernels()[0].name().into(),
        blake3_kernel: Blake3::kernels()[0].name().into(),
        sha256_scan: default_rate(HashAlgorithm::Sha256, Sha256::kernels()[0]),
        blake3_scan: default_rate(HashAlgorithm::Blake3, Blake3::kernels()[0]),
        ..HashRates::default()
    };
    for (name, rate) in names[..fixed].iter().zip(rates) {
        *result.rate_mut(name).expect("a RATE_PATHS field") = rate;
    }
    result.kernels = kernels;
    result
}
