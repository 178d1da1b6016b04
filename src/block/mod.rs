//! The blog's block, and the two ways parmine encodes it for mining.
//!
//! [`Block`] is the original blog's struct, field for field. It can be mined in
//! two [`Encoding`]s:
//!
//! * [`Encoding::Json`]: the blog's own format, compact `serde_json` in field
//!   order, the proof written as decimal digits in the middle of it;
//! * [`Encoding::Header`]: our fixed-size binary [`Header`] that commits the
//!   transactions through a Merkle root and puts the nonce last, so the bytes
//!   before it are hashed once.
//!
//! Either way the block becomes a [`Template`]: the bytes before the nonce,
//! the nonce's format, and the bytes after it.

mod encoding;
mod header;
mod template;

use serde::{Deserialize, Serialize};

pub use self::encoding::Encoding;
pub use self::header::Header;
pub use self::template::{NonceFormat, Template};
use crate::hash::{HashAlgorithm, to_hex};

/// One transaction of a block, as in the blog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// A unique id (the blog uses UUIDs).
    pub id: String,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
    /// Free text.
    pub payload: String,
}

impl Transaction {
    /// The transaction's own bytes: its compact JSON, as inside a block.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a transaction always serializes")
    }
}

/// A block of the blog's toy blockchain.
///
/// # Examples
///
/// ```
/// use parmine::Block;
///
/// let genesis = Block::genesis();
/// let block = Block::new(1524480511, vec![], &genesis);
/// assert_eq!(block.index, 2);
/// assert_eq!(block.previous_block_hash, genesis.hash());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Height of the block, 1 for genesis.
    pub index: u64,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
    /// The proof of work: the nonce that makes the hash meet the difficulty.
    pub proof: u64,
    /// The transactions the block carries.
    pub transactions: Vec<Transaction>,
    /// Lowercase hex SHA-256 of the previous block's JSON (`"0"` for genesis).
    pub previous_block_hash: String,
}

impl Block {
    /// The blog's timestamp for its benchmark block.
    pub const BENCHMARK_TIMESTAMP: u64 = 1524480511;

    /// The blog's genesis block.
    pub fn genesis() -> Block {
        Block {
            index: 1,
            timestamp: 0,
            proof: 1917336,
            transactions: vec![Transaction {
                id: "b3c973e2-db05-4eb5-9668-3e81c7389a6d".into(),
                timestamp: 0,
                payload: "I am Heribert Innoq".into(),
            }],
            previous_block_hash: "0".into(),
        }
    }

    /// The next block after `previous`, with proof 0 (not mined yet).
    pub fn new(timestamp: u64, transactions: Vec<Transaction>, previous: &Block) -> Block {
        Block {
            index: previous.index + 1,
            timestamp,
            proof: 0,
            transactions,
            previous_block_hash: previous.hash(),
        }
    }

    /// The blog's benchmark block: `Block::new(1524480511, vec![], &genesis)`.
    pub fn benchmark() -> Block {
        Block::new(Self::BENCHMARK_TIMESTAMP, Vec::new(), &Block::genesis())
    }

    /// The blog's serialization: compact JSON in field order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a block always serializes")
    }

    /// The blog's block hash: lowercase hex SHA-256 of [`to_json`](Self::to_json).
    pub fn hash(&self) -> String {
        to_hex(&HashAlgorithm::Sha256.hash(self.to_json().as_bytes()))
    }

    /// The same block with another proof.
    pub fn with_proof(&self, proof: u64) -> Block {
        Block { proof, ..self.clone() }
    }
}
