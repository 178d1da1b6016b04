//! parmine's binary block header.

use super::{Block, NonceFormat, Template};
use crate::error::Result;
use crate::hash::{Digest, HashAlgorithm, digest_from_hex};

/// A fixed-size binary block header, nonce last.
///
/// Layout, 88 bytes:
///
/// | bytes  | field                                   |
/// |--------|-----------------------------------------|
/// | 0..8   | index, u64 little-endian                |
/// | 8..16  | timestamp, u64 little-endian            |
/// | 16..48 | previous block hash                     |
/// | 48..80 | Merkle root of the transactions         |
/// | 80..88 | nonce (the proof), u64 little-endian    |
///
/// The first 64 bytes are one SHA-256 / BLAKE3 block, hashed once per search
/// (the midstate); each candidate compresses one more block holding the last
/// 16 fixed bytes, the nonce and the padding.
///
/// # Examples
///
/// ```
/// use parmine::{Block, HashAlgorithm};
/// use parmine::block::Header;
///
/// let header = Header::from_block(&Block::benchmark(), HashAlgorithm::Sha256)?;
/// assert_eq!(header.index, 2);
/// assert_eq!(header.to_bytes(7)[80..], 7u64.to_le_bytes());
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Height of the block.
    pub index: u64,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
    /// The previous block's hash.
    pub previous: Digest,
    /// Root of the Merkle tree over the transactions' hashes.
    pub merkle_root: Digest,
}

impl Header {
    /// Encoded length in bytes.
    pub const LEN: usize = 88;
    /// Where the nonce starts.
    pub const NONCE_OFFSET: usize = 80;
    /// Where the Merkle root lies in the encoded header.
    pub const MERKLE_ROOT: std::ops::Range<usize> = 48..80;

    /// The header of `block`: its previous hash read as a 256-bit hex number,
    /// its transactions committed by a Merkle root under `algorithm`.
    pub fn from_block(block: &Block, algorithm: HashAlgorithm) -> Result<Header> {
        Ok(Header {
            index: block.index,
            timestamp: block.timestamp,
            previous: digest_from_hex(&block.previous_block_hash)?,
            merkle_root: crate::merkle::transactions_root(&block.transactions, algorithm),
        })
    }

    /// The header's bytes with `nonce` in place.
    pub fn to_bytes(&self, nonce: u64) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        out[0..8].copy_from_slice(&self.index.to_le_bytes());
        out[8..16].copy_from_slice(&self.timestamp.to_le_bytes());
        out[16..48].copy_from_slice(&self.previous);
        out[Self::MERKLE_ROOT].copy_from_slice(&self.merkle_root);
        out[80..88].copy_from_slice(&nonce.to_le_bytes());
        out
    }

    /// The header as a mining template.
    pub fn template(&self) -> Template {
        let bytes = self.to_bytes(0);
        Template::new(bytes[..Self::NONCE_OFFSET].to_vec(), NonceFormat::LittleEndian64, Vec::new())
    }
}
