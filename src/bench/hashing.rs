//! Raw hash rates of the mining paths, measured the same way on each host.
//!
//! These are the numbers behind the performance targets: the bare SHA-256
//! compression function, hashing a whole header with the `sha2` crate once
//! per candidate (what a naive miner does), one midstate `finish` per
//! candidate, and the worker's scan loop (multi-lane where the hasher has a
//! kernel for this target), for both encodings and both hashers.

use std::hint::black_box;

use serde::{Deserialize, Serialize};

use crate::block::{Block, Encoding};
use crate::difficulty::Difficulty;
use crate::hash::{Blake3, HashAlgorithm, Hasher, Sha256};
use crate::mine::search::{BATCH, Search};

/// Operations per second of each mining path, on one thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HashRates {
    /// Where it ran: `native x86_64` (the architecture), or `wasm32 threaded` / `wasm32 single`, plus ` simd128`.
    pub host: String,
    /// SHA-256 candidates per multi-lane call on this host.
    pub sha256_lanes: usize,
    /// Bare SHA-256 compressions of one block.
    pub sha256_compress: f64,
    /// Header candidates hashed whole with the `sha2` crate (two compressions and its overhead).
    pub sha256_whole_message: f64,
    /// Header candidates through the midstate, one `finish` each.
    pub sha256_midstate: f64,
    /// Header candidates through the worker's scan loop (lanes where present): the mining rate.
    pub sha256_scan: f64,
    /// Blog-JSON candidates through the scan loop, SHA-256.
    pub json_sha256_scan: f64,
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
}

/// Repeat `op` (which does `per_call` operations) for about `millis` ms; ops/s.
///
/// A warm-up of a quarter of that time comes first and is not counted: V8
/// runs new wasm code in its baseline compiler and swaps in the optimised
/// code only for later calls, so the path measured first would otherwise be
/// measured partly unoptimised (the `sha2` crate per candidate read 2.39M/s
/// cold against 2.95M/s warm, which flattered every ratio against it).
fn rate(millis: f64, per_call: u64, mut op: impl FnMut(u64)) -> f64 {
    let mut calls = 0u64;
    let mut run_for = |ms: f64, calls: &mut u64| {
        let start = web_time::Instant::now();
        let first = *calls;
        loop {
            for _ in 0..16 {
                op(*calls);
                *calls += 1;
            }
            let seconds = start.elapsed().as_secs_f64();
            if seconds * 1e3 >= ms {
                return ((*calls - first) * per_call) as f64 / seconds;
            }
        }
    };
    run_for(millis / 4.0, &mut calls);
    run_for(millis, &mut calls)
}

fn scan_rate<H: Hasher>(encoding: Encoding, millis: f64) -> f64 {
    let template = encoding.template(&Block::benchmark(), H::ALGORITHM).expect("the benchmark block encodes");
    // No digest has 256 leading zero bits: every candidate is hashed.
    let search = Search::<H>::new(&template, Difficulty::from_bits(256).expect("256 bits is valid"));
    let mut worker = search.worker();
    rate(millis, BATCH, |call| {
        black_box(worker.scan(10_000_000 + call * BATCH, 1, BATCH));
    })
}

fn whole_message_rate(algorithm: HashAlgorithm, millis: f64) -> f64 {
    let mut message = Encoding::Header.encode(&Block::benchmark(), algorithm, 0).expect("the header encodes");
    rate(millis, 64, |call| {
        for i in 0..64 {
            message[80..88].copy_from_slice(&(call * 64 + i).to_le_bytes());
            black_box(algorithm.hash(black_box(&message)));
        }
    })
}

/// Parents of `arity` distinct children per second, 16 per call.
fn parents_rate<H: Hasher>(arity: usize, millis: f64) -> f64 {
    const PARENTS: usize = 16;
    let children: Vec<[u8; 32]> =
        (0..PARENTS * arity).map(|i| H::hash_nodes(&[[i as u8; 32], [0; 32]])).collect();
    let mut out = [[0u8; 32]; PARENTS];
    rate(millis, PARENTS as u64, |_| {
        H::hash_parents(black_box(&children), arity, &mut out);
        black_box(&out);
    })
}

/// Measure every path for about `millis` ms each, on the calling thread.
pub fn hash_rates(millis: f64) -> HashRates {
    let header = Encoding::Header.template(&Block::benchmark(), HashAlgorithm::Sha256).expect("encodes");
    let mid = Sha256::midstate(header.prefix());
    let mut tail = Sha256::tail(&mid, 8);
    let mut state = *mid.state();
    let block = tail.blocks()[0];
    let sha256_compress = rate(millis, 64, |_| {
        for _ in 0..64 {
            sha2::block_api::compress256(&mut state, std::slice::from_ref(black_box(&block)));
        }
        black_box(state);
    });
    let sha256_midstate = rate(millis, 64, |call| {
        for i in 0..64 {
            Sha256::tail_bytes(&mut tail).copy_from_slice(&(call * 64 + i).to_le_bytes());
            black_box(Sha256::finish(&mid, &tail));
        }
    });
    let host = if cfg!(target_arch = "wasm32") {
        let threads = if cfg!(target_feature = "atomics") { "threaded" } else { "single" };
        let simd = if cfg!(target_feature = "simd128") { " simd128" } else { "" };
        format!("wasm32 {threads}{simd}")
    } else {
        format!("native {}", std::env::consts::ARCH)
    };
    HashRates {
        host,
        sha256_lanes: Sha256::LANES,
        sha256_compress,
        sha256_whole_message: whole_message_rate(HashAlgorithm::Sha256, millis),
        sha256_midstate,
        sha256_scan: scan_rate::<Sha256>(Encoding::Header, millis),
        json_sha256_scan: scan_rate::<Sha256>(Encoding::Json, millis),
        blake3_whole_message: whole_message_rate(HashAlgorithm::Blake3, millis),
        blake3_scan: scan_rate::<Blake3>(Encoding::Header, millis),
        json_blake3_scan: scan_rate::<Blake3>(Encoding::Json, millis),
        blake3_parents_n4: parents_rate::<Blake3>(4, millis),
    }
}
