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
mod transactions_root;

use serde::{Deserialize, Serialize};

pub use self::encoding::Encoding;
pub use self::header::Header;
pub use self::template::{NonceFormat, Template};
pub use self::transactions_root::{TRANSACTIONS_ARITY, transaction_leaf, transactions_root};
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, to_hex};

/// One transaction of a block, as in the blog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

    /// Made-up transaction number `i`, the same on every host: a UUID-shaped
    /// id derived from `i`, a timestamp, and a short payload. Benchmarks and
    /// the page fill blocks with these.
    ///
    /// # Examples
    ///
    /// ```
    /// use parmine::Transaction;
    ///
    /// let tx = Transaction::sample(7);
    /// assert_eq!(tx, Transaction::sample(7));
    /// assert_ne!(tx.id, Transaction::sample(8).id);
    /// assert_eq!(tx.id.len(), 36); // 8-4-4-4-12 hex digits
    /// assert_eq!(tx.payload, "sample payment #7");
    /// ```
    pub fn sample(i: u64) -> Transaction {
        let mut seed = *b"parmine sample transaction\0\0\0\0\0\0\0\0";
        seed[26..].copy_from_slice(&i.to_le_bytes());
        let mut bytes = HashAlgorithm::Sha256.hash(&seed);
        // A random (version 4, RFC 4122 variant) UUID's shape.
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = to_hex(&bytes[..16]);
        Transaction {
            id: format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]),
            timestamp: Block::BENCHMARK_TIMESTAMP + i,
            payload: format!("sample payment #{i}"),
        }
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
#[serde(deny_unknown_fields)]
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

    /// Most transactions [`Block::sample`] puts in a block: a million
    /// transactions are about 100 MB of JSON.
    pub const MAX_SAMPLE_TRANSACTIONS: usize = 1_000_000;

    /// The blog's benchmark block: `Block::new(1524480511, vec![], &genesis)`.
    pub fn benchmark() -> Block {
        Block::new(Self::BENCHMARK_TIMESTAMP, Vec::new(), &Block::genesis())
    }

    /// The block after genesis at `timestamp`, carrying `transactions`
    /// [sample transactions](Transaction::sample): with 0, the blog's own
    /// block for that timestamp. What `parmine mine`, the benchmarks and the
    /// page mine.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than
    /// [`MAX_SAMPLE_TRANSACTIONS`](Self::MAX_SAMPLE_TRANSACTIONS).
    ///
    /// # Examples
    ///
    /// ```
    /// use parmine::Block;
    ///
    /// assert_eq!(Block::sample(Block::BENCHMARK_TIMESTAMP, 0)?, Block::benchmark());
    /// let block = Block::sample(1524480600, 1000)?;
    /// assert_eq!((block.index, block.transactions.len()), (2, 1000));
    /// assert!(Block::sample(0, 2_000_000).is_err());
    /// # Ok::<(), parmine::Error>(())
    /// ```
    pub fn sample(timestamp: u64, transactions: usize) -> Result<Block> {
        Self::check_sample_size(transactions)?;
        let transactions = (0..transactions as u64).map(Transaction::sample).collect();
        Ok(Block::new(timestamp, transactions, &Block::genesis()))
    }

    /// Whether [`Block::sample`] accepts `transactions`, without building it.
    pub(crate) fn check_sample_size(transactions: usize) -> Result<()> {
        if transactions > Self::MAX_SAMPLE_TRANSACTIONS {
            return Err(Error::InvalidArgument(format!(
                "{transactions} transactions is too many: use 0 to {}",
                Self::MAX_SAMPLE_TRANSACTIONS
            )));
        }
        Ok(())
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
