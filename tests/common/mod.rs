//! Helpers shared by the integration tests: independent references that do
//! not go through parmine's templates or midstates.

#![allow(dead_code)]

use parmine::{Block, Encoding, HashAlgorithm};
use sha2::Digest as _;

/// The blog's own mining loop, verbatim in spirit: clone the block with each
/// proof, serialize it to JSON, SHA-256 it to hex, check the prefix.
pub fn blog_mine(block: &Block, prefix: &str) -> u64 {
    let mut candidate = block.clone();
    loop {
        let json = serde_json::to_string(&candidate).unwrap();
        let hash = hex(&sha2::Sha256::digest(json.as_bytes()));
        if hash.starts_with(prefix) {
            return candidate.proof;
        }
        candidate.proof += 1;
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The header's bytes laid out by hand from its documented format, for a
/// block mined at `bits` leading zero bits.
pub fn header_bytes(block: &Block, merkle_root: [u8; 32], bits: u32, nonce: u64) -> Vec<u8> {
    let mut previous = [0u8; 32];
    let prev_hex = format!("{:0>64}", block.previous_block_hash);
    for i in 0..32 {
        previous[i] = u8::from_str_radix(&prev_hex[2 * i..2 * i + 2], 16).unwrap();
    }
    let mut out = Vec::new();
    out.extend_from_slice(&1u32.to_le_bytes()); // version
    out.extend_from_slice(&block.index.to_le_bytes());
    out.extend_from_slice(&block.timestamp.to_le_bytes());
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(&(block.transactions.len() as u32).to_le_bytes());
    out.extend_from_slice(&previous);
    out.extend_from_slice(&merkle_root);
    out.extend_from_slice(&[0; 16]); // extra nonce
    out.extend_from_slice(&nonce.to_be_bytes());
    assert_eq!(out.len(), 116);
    out
}

/// `algorithm`'s digest of `bytes`, straight from the hash crates.
pub fn plain_hash(algorithm: HashAlgorithm, bytes: &[u8]) -> [u8; 32] {
    match algorithm {
        HashAlgorithm::Sha256 => sha2::Sha256::digest(bytes).into(),
        HashAlgorithm::Blake3 => blake3::hash(bytes).into(),
        HashAlgorithm::Sha256d => sha2::Sha256::digest(sha2::Sha256::digest(bytes)).into(),
    }
}

/// The Lean IMT root, written plainly: group each level N at a time, hash
/// groups of two or more with the hash crates directly, lift singletons,
/// recurse until one node is left.
pub fn naive_root(level: &[[u8; 32]], n: usize, algorithm: HashAlgorithm) -> Option<[u8; 32]> {
    match level.len() {
        0 => None,
        1 => Some(level[0]),
        _ => {
            let next: Vec<[u8; 32]> = level
                .chunks(n)
                .map(|group| if group.len() == 1 { group[0] } else { plain_hash(algorithm, &group.concat()) })
                .collect();
            naive_root(&next, n, algorithm)
        }
    }
}

/// The header's Merkle root of `block`'s transactions, by the reference: a
/// binary tree over the hashes of their JSON, all zeros for none.
pub fn transactions_root(block: &Block, algorithm: HashAlgorithm) -> [u8; 32] {
    let leaves: Vec<[u8; 32]> = block
        .transactions
        .iter()
        .map(|t| plain_hash(algorithm, serde_json::to_string(t).unwrap().as_bytes()))
        .collect();
    naive_root(&leaves, 2, algorithm).unwrap_or([0; 32])
}

/// The hash of `block` mined at `bits` with `nonce`, computed without
/// parmine's encoders.
pub fn independent_hash(
    block: &Block,
    encoding: Encoding,
    algorithm: HashAlgorithm,
    bits: u32,
    nonce: u64,
) -> [u8; 32] {
    let bytes = match encoding {
        Encoding::Json => serde_json::to_string(&block.with_proof(nonce)).unwrap().into_bytes(),
        Encoding::Header => header_bytes(block, transactions_root(block, algorithm), bits, nonce),
    };
    plain_hash(algorithm, &bytes)
}

/// Leading zero bits of a digest, counted bit by bit.
pub fn leading_zero_bits(digest: &[u8; 32]) -> u32 {
    let mut zeros = 0;
    for byte in digest {
        for bit in (0..8).rev() {
            if byte >> bit & 1 == 1 {
                return zeros;
            }
            zeros += 1;
        }
    }
    zeros
}

/// The lowest nonce meeting `bits`, by brute force over the independent hash.
pub fn lowest_proof(block: &Block, encoding: Encoding, algorithm: HashAlgorithm, bits: u32) -> u64 {
    (0..)
        .find(|&n| leading_zero_bits(&independent_hash(block, encoding, algorithm, bits, n)) >= bits)
        .unwrap()
}
