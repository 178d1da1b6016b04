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

/// The header's bytes laid out by hand from its documented format.
pub fn header_bytes(block: &Block, merkle_root: [u8; 32], nonce: u64) -> Vec<u8> {
    let mut previous = [0u8; 32];
    let prev_hex = format!("{:0>64}", block.previous_block_hash);
    for i in 0..32 {
        previous[i] = u8::from_str_radix(&prev_hex[2 * i..2 * i + 2], 16).unwrap();
    }
    let mut out = Vec::new();
    out.extend_from_slice(&block.index.to_le_bytes());
    out.extend_from_slice(&block.timestamp.to_le_bytes());
    out.extend_from_slice(&previous);
    out.extend_from_slice(&merkle_root);
    out.extend_from_slice(&nonce.to_le_bytes());
    out
}

/// The hash of `block` with `nonce`, computed without parmine's encoders.
pub fn independent_hash(block: &Block, encoding: Encoding, algorithm: HashAlgorithm, nonce: u64) -> [u8; 32] {
    let bytes = match encoding {
        Encoding::Json => serde_json::to_string(&block.with_proof(nonce)).unwrap().into_bytes(),
        Encoding::Header => {
            assert!(block.transactions.is_empty(), "test blocks carry no transactions");
            header_bytes(block, [0; 32], nonce)
        }
    };
    match algorithm {
        HashAlgorithm::Sha256 => sha2::Sha256::digest(&bytes).into(),
        HashAlgorithm::Blake3 => blake3::hash(&bytes).into(),
    }
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
    (0..).find(|&n| leading_zero_bits(&independent_hash(block, encoding, algorithm, n)) >= bits).unwrap()
}
