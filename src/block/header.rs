//! parmine's binary block header.

use super::{Block, NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{Digest, HashAlgorithm, digest_from_hex};

/// A fixed-size binary block header, nonce last.
///
/// Layout, 116 bytes (integers little-endian but for the nonce):
///
/// | bytes    | field                                                  |
/// |----------|--------------------------------------------------------|
/// | 0..4     | version, u32 (1)                                       |
/// | 4..12    | index, u64                                             |
/// | 12..20   | timestamp, u64                                         |
/// | 20..24   | difficulty the block claims, leading zero bits, u32    |
/// | 24..28   | number of transactions, u32                            |
/// | 28..60   | previous block hash                                    |
/// | 60..92   | Merkle root of the transactions                        |
/// | 92..108  | extra nonce (zero): room for a miner that runs out     |
/// | 108..116 | nonce (the proof), u64 **big-endian**                  |
///
/// The layout is chosen for the hash: 116 bytes is the longest message whose
/// padding still fits in two 64-byte blocks, so the nonce sits as late in the
/// second block as it can (bytes 44..52 of it, words 11 and 12). The first
/// block is hashed once per search (the midstate), and in the second the
/// eleven words before the nonce, and the high half of a big-endian nonce,
/// are the same for 2^32 candidates in a row: SHA-256's first 12 rounds and
/// a fifth of its message schedule, and 7 of BLAKE3's 8 round-0 functions,
/// are computed once instead of per candidate.
///
/// # Examples
///
/// ```
/// use parmine::block::Header;
/// use parmine::{Block, Difficulty, HashAlgorithm};
///
/// let header = Header::from_block(&Block::benchmark(), HashAlgorithm::Sha256, Difficulty::from_hex_digits(5)?)?;
/// assert_eq!(header.index, 2);
/// assert_eq!(header.to_bytes(7)[108..], 7u64.to_be_bytes());
/// assert_eq!(header.to_bytes(7)[20..24], 20u32.to_le_bytes());
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version, 1.
    pub version: u32,
    /// Height of the block.
    pub index: u64,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
    /// Leading zero bits the block's hash must have.
    pub bits: u32,
    /// Transactions the block carries.
    pub transactions: u32,
    /// The previous block's hash.
    pub previous: Digest,
    /// Root of the Merkle tree over the transactions' hashes.
    pub merkle_root: Digest,
    /// Free bytes for a miner that exhausts the nonce (zero here).
    pub extra_nonce: [u8; 16],
}

impl Header {
    /// Encoded length in bytes.
    pub const LEN: usize = 116;
    /// The current format version.
    pub const VERSION: u32 = 1;
    /// Where the nonce starts.
    pub const NONCE_OFFSET: usize = 108;
    /// Where the difficulty lies in the encoded header.
    pub const BITS: std::ops::Range<usize> = 20..24;
    /// Where the Merkle root lies in the encoded header.
    pub const MERKLE_ROOT: std::ops::Range<usize> = 60..92;

    /// The header of `block` mined at `difficulty`: its previous hash read as
    /// a 256-bit hex number, its transactions committed by a Merkle root
    /// under `algorithm`.
    ///
    /// # Errors
    ///
    /// A previous hash that is not hex; more than `u32::MAX` transactions.
    pub fn from_block(block: &Block, algorithm: HashAlgorithm, difficulty: Difficulty) -> Result<Header> {
        let transactions = u32::try_from(block.transactions.len())
            .map_err(|_| Error::InvalidBlock("a header holds at most 2^32 - 1 transactions".into()))?;
        Ok(Header {
            version: Self::VERSION,
            index: block.index,
            timestamp: block.timestamp,
            bits: difficulty.bits(),
            transactions,
            previous: digest_from_hex(&block.previous_block_hash)?,
            merkle_root: super::transactions_root(&block.transactions, algorithm),
            extra_nonce: [0; 16],
        })
    }

    /// The header's bytes with `nonce` in place.
    pub fn to_bytes(&self, nonce: u64) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        out[0..4].copy_from_slice(&self.version.to_le_bytes());
        out[4..12].copy_from_slice(&self.index.to_le_bytes());
        out[12..20].copy_from_slice(&self.timestamp.to_le_bytes());
        out[Self::BITS].copy_from_slice(&self.bits.to_le_bytes());
        out[24..28].copy_from_slice(&self.transactions.to_le_bytes());
        out[28..60].copy_from_slice(&self.previous);
        out[Self::MERKLE_ROOT].copy_from_slice(&self.merkle_root);
        out[92..Self::NONCE_OFFSET].copy_from_slice(&self.extra_nonce);
        out[Self::NONCE_OFFSET..].copy_from_slice(&nonce.to_be_bytes());
        out
    }

    /// The header as a mining template.
    pub fn template(&self) -> Template {
        let bytes = self.to_bytes(0);
        Template::new(bytes[..Self::NONCE_OFFSET].to_vec(), NonceFormat::BigEndian64, Vec::new())
    }
}
