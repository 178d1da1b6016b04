//! The known-answer fixtures that the browser tests compare with: lowest
//! proofs and Merkle roots, computed natively. This test recomputes every
//! entry natively (and checks the proofs by brute force), so the wasm build
//! agreeing with the file means it agrees with the native build.
//!
//! `PARMINE_BLESS=1 cargo test --test fixtures` rewrites the file.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use parmine::bench::{benchmark_blocks, build_tree, merkle_leaves};
use parmine::hash::to_hex;
use parmine::merkle::Parallelism;
use parmine::pool::Pool;
use parmine::{Block, Difficulty, Encoding, HashAlgorithm, Miner, Puzzle, Strategy};
use serde_json::{Value, json};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/expected.json");

fn compute() -> Value {
    let mut proofs = Vec::new();
    for encoding in Encoding::ALL {
        for hasher in HashAlgorithm::ALL {
            // Four of the blog's empty blocks, and one of 100 transactions
            // (easier: the JSON hashes its 10 kB per attempt).
            let blocks = benchmark_blocks(4, 0).unwrap().into_iter().map(|b| (b, 4));
            let with_transactions = (Block::sample(Block::BENCHMARK_TIMESTAMP, 100).unwrap(), 3);
            for (block, difficulty) in blocks.chain([with_transactions]) {
                let puzzle =
                    Puzzle::new(&block, encoding, hasher, Difficulty::from_hex_digits(difficulty).unwrap())
                        .unwrap();
                let mined = Miner::new(Strategy::Chunked).threads(2).mine(&puzzle).unwrap();
                let lowest = common::lowest_proof(&block, encoding, hasher, difficulty * 4);
                assert_eq!(mined.proof, lowest);
                proofs.push(json!({
                    "encoding": encoding, "hasher": hasher, "timestamp": block.timestamp,
                    "transactions": block.transactions.len(), "difficulty": difficulty, "proof": mined.proof, "hash": mined.hash_hex(),
                }));
            }
        }
    }
    let mut roots = Vec::new();
    for hasher in HashAlgorithm::ALL {
        for leaves in [1u64, 2, 1000, 100_000] {
            let all = merkle_leaves(hasher, leaves);
            for arity in [2usize, 3, 4, 16] {
                let build =
                    build_tree(&Pool::new(2).unwrap(), hasher, arity, &all, Parallelism::default()).unwrap();
                roots.push(json!({
                    "hasher": hasher, "arity": arity, "leaves": leaves,
                    "root": to_hex(&build.root), "depth": build.depth,
                }));
            }
        }
    }
    json!({ "proofs": proofs, "roots": roots })
}

#[test]
fn fixtures_are_what_the_native_build_computes() {
    let computed = compute();
    if std::env::var_os("PARMINE_BLESS").is_some() {
        std::fs::write(PATH, serde_json::to_string_pretty(&computed).unwrap() + "\n").unwrap();
    }
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    assert_eq!(stored, computed);
}
