//! Bitcoin block headers: 80 bytes as serialized on the chain (version,
//! previous block hash, Merkle root, time, `nBits`, nonce; integers
//! little-endian), hashed with double SHA-256. A header is valid when its
//! digest, read as a little-endian 256-bit number, is at most the target
//! its `nBits` field encodes. The nonce is the last four bytes, so every
//! candidate shares the midstate of the first 64 and the rounds before the
//! nonce word of the second block.

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, bytes_from_hex};
use crate::block::{NonceFormat, Template};
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, to_hex};
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// Bytes in a serialized header.
pub const HEADER_LEN: usize = 80;
/// Where `nBits` sits in the header (u32 little-endian).
pub const BITS: std::ops::Range<usize> = 72..76;
/// Where the nonce sits in the header (u32 little-endian).
pub const NONCE: std::ops::Range<usize> = 76..80;

/// A block header to mine; its own nonce field is replaced by each candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BitcoinChallenge {
    /// The 80-byte header as hex (160 digits).
    pub header: String,
}

impl BitcoinChallenge {
    /// The header's bytes, checked for length.
    pub fn bytes(&self) -> Result<[u8; HEADER_LEN]> {
        let bytes = bytes_from_hex("the header", &self.header)?;
        bytes.as_slice().try_into().map_err(|_| {
            Error::InvalidArgument(format!(
                "a Bitcoin header is {HEADER_LEN} bytes ({} hex digits), not {}",
                2 * HEADER_LEN,
                bytes.len()
            ))
        })
    }

    pub(super) fn prepare(&self) -> Result<Prepared> {
        let bytes = self.bytes()?;
        let bits = u32::from_le_bytes(bytes[BITS].try_into().expect("4 bytes"));
        let target = target_from_bits(bits)?;
        let template = Template::new(bytes[..NONCE.start].to_vec(), NonceFormat::LittleEndian32, Vec::new());
        let puzzle = Puzzle::from_parts(template, HashAlgorithm::Sha256d, Target::AtMostLittleEndian(target));
        Ok(Prepared { puzzle, nonces: 0..NonceFormat::LittleEndian32.end() })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        let mut header = self.bytes().expect("prepared before mining");
        header[NONCE].copy_from_slice(&(mined.proof as u32).to_le_bytes());
        Answer { hash: display_hash(&mined.hash), header: Some(to_hex(&header)), ..Answer::default() }
    }
}

/// A digest in the order block explorers show it: the bytes reversed, so the
/// leading zeros of a valid block come first.
pub fn display_hash(digest: &[u8; 32]) -> String {
    let mut reversed = *digest;
    reversed.reverse();
    to_hex(&reversed)
}

/// The 256-bit target (little-endian bytes) that a compact `nBits` encodes:
/// `mantissa × 256^(exponent − 3)`, where the top byte is the exponent and the
/// low 23 bits the mantissa, as Bitcoin Core's `SetCompact` reads it. A
/// negative, zero or overflowing encoding is refused: no hash can meet it.
pub fn target_from_bits(bits: u32) -> Result<[u8; 32]> {
    let exponent = (bits >> 24) as usize;
    let mantissa = bits & 0x007f_ffff;
    let refuse =
        |why: &str| Err(Error::InvalidArgument(format!("nBits 0x{bits:08x} encodes no target: {why}")));
    if bits & 0x0080_0000 != 0 && mantissa != 0 {
        return refuse("it is negative");
    }
    let mut target = [0u8; 32];
    // The mantissa's three bytes, least significant first, land at byte
    // offsets exponent-3, exponent-2, exponent-1 of the little-endian number.
    for (i, byte) in mantissa.to_le_bytes()[..3].iter().enumerate() {
        let at = (exponent + i).checked_sub(3);
        match at {
            Some(at) if at < 32 => target[at] = *byte,
            Some(_) if *byte != 0 => return refuse("it overflows 256 bits"),
            _ => {} // below the number's lowest byte: shifted out
        }
    }
    if target == [0; 32] {
        return refuse("it is zero");
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_hex(bits: u32) -> String {
        let mut t = target_from_bits(bits).unwrap();
        t.reverse();
        to_hex(&t)
    }

    #[test]
    fn compact_targets_decode_as_bitcoin_core_does() {
        assert_eq!(target_hex(0x1d00ffff), format!("00000000ffff{}", "0".repeat(52)));
        assert_eq!(target_hex(0x1b04864c), format!("000000000004864c{}", "0".repeat(48)));
        assert_eq!(target_hex(0x17034219), format!("{}034219{}", "0".repeat(18), "0".repeat(40)));
        assert_eq!(target_hex(0x03123456), format!("{}123456", "0".repeat(58)));
        assert_eq!(target_hex(0x02123456), format!("{}1234", "0".repeat(60)));
        assert_eq!(target_hex(0x207fffff), format!("7fffff{}", "0".repeat(58)));
    }

    #[test]
    fn impossible_targets_are_refused() {
        for (bits, why) in [
            (0x1d000000, "it is zero"),
            (0x01003456, "it is zero"),
            (0x1d800001, "it is negative"),
            (0x22010000, "it overflows 256 bits"),
            (0xff123456, "it overflows 256 bits"),
        ] {
            let err = target_from_bits(bits).unwrap_err().to_string();
            assert_eq!(err, format!("nBits 0x{bits:08x} encodes no target: {why}"));
        }
    }

    #[test]
    fn headers_of_the_wrong_length_are_refused() {
        let c = BitcoinChallenge { header: "00".repeat(79) };
        assert_eq!(
            c.prepare().unwrap_err().to_string(),
            "a Bitcoin header is 80 bytes (160 hex digits), not 79"
        );
    }
}
