//! How hard a block is to mine: a number of leading zero bits in its hash.
//!
//! The blog states difficulty as a prefix of `0`s on the hex hash ("000000");
//! each hex digit is four bits, so `Difficulty::from_hex_digits(6)` is the
//! blog's target and accepts exactly the digests whose hex starts with six
//! zeros. The binary header is stated in bits directly.

use std::fmt;

use crate::error::{Error, Result};
use crate::hash::Digest;

/// A mining target: the digest must start with at least this many zero bits.
///
/// # Examples
///
/// ```
/// use parmine::Difficulty;
///
/// let d = Difficulty::from_hex_digits(2)?;
/// assert_eq!(d.bits(), 8);
/// let mut digest = [0xffu8; 32];
/// assert!(!d.is_met_by(&digest));
/// digest[0] = 0;
/// assert!(d.is_met_by(&digest));
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Difficulty {
    bits: u32,
}

impl Difficulty {
    /// Bits in a digest: the largest difficulty.
    pub const MAX_BITS: u32 = 256;
    /// Hex digits in a digest.
    pub const MAX_HEX_DIGITS: u32 = 64;

    /// A target of `digits` leading zero hex digits (the blog's prefix length).
    pub fn from_hex_digits(digits: u32) -> Result<Self> {
        if digits == 0 || digits > Self::MAX_HEX_DIGITS {
            return Err(Error::DifficultyOutOfRange {
                given: digits,
                max: Self::MAX_HEX_DIGITS,
                unit: "hex digits",
            });
        }
        Ok(Difficulty { bits: digits * 4 })
    }

    /// A target of `bits` leading zero bits.
    pub fn from_bits(bits: u32) -> Result<Self> {
        if bits == 0 || bits > Self::MAX_BITS {
            return Err(Error::DifficultyOutOfRange { given: bits, max: Self::MAX_BITS, unit: "bits" });
        }
        Ok(Difficulty { bits })
    }

    /// Leading zero bits required.
    pub const fn bits(self) -> u32 {
        self.bits
    }

    /// Leading zero hex digits required, when the target is a whole number of them.
    pub const fn hex_digits(self) -> Option<u32> {
        if self.bits.is_multiple_of(4) { Some(self.bits / 4) } else { None }
    }

    /// Whether `digest` starts with at least [`bits`](Self::bits) zero bits.
    #[inline]
    pub fn is_met_by(self, digest: &Digest) -> bool {
        leading_zero_bits(digest) >= self.bits
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hex_digits() {
            Some(d) => write!(f, "{d} hex digits"),
            None => write!(f, "{} bits", self.bits),
        }
    }
}

/// Number of leading zero bits of `digest`, read as a big-endian number.
#[inline]
pub fn leading_zero_bits(digest: &Digest) -> u32 {
    // The first word decides every realistic target; look further only when
    // it is all zeros.
    let (words, _) = digest.as_chunks::<8>();
    let mut zeros = 0;
    for word in words {
        let w = u64::from_be_bytes(*word);
        zeros += w.leading_zeros();
        if w != 0 {
            break;
        }
    }
    zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_match_a_string_prefix() {
        let d = Difficulty::from_hex_digits(3).unwrap();
        for first in [0x00u8, 0x0f, 0x10] {
            for second in [0x00u8, 0x0f, 0x10, 0xff] {
                let mut digest = [0xffu8; 32];
                digest[0] = first;
                digest[1] = second;
                let hex = crate::hash::to_hex(&digest);
                assert_eq!(d.is_met_by(&digest), hex.starts_with("000"), "{hex}");
            }
        }
    }

    #[test]
    fn counts_past_the_first_word() {
        let mut digest = [0u8; 32];
        assert_eq!(leading_zero_bits(&digest), 256);
        digest[9] = 0x40;
        assert_eq!(leading_zero_bits(&digest), 73);
    }

    #[test]
    fn out_of_range_is_an_error() {
        for bad in [0, 65] {
            let err = Difficulty::from_hex_digits(bad).unwrap_err();
            assert_eq!(err, Error::DifficultyOutOfRange { given: bad, max: 64, unit: "hex digits" });
        }
        assert!(Difficulty::from_bits(257).is_err());
        assert!(Difficulty::from_bits(0).is_err());
        assert_eq!(Difficulty::from_hex_digits(64).unwrap().bits(), 256);
        assert_eq!(
            Difficulty::from_hex_digits(0).unwrap_err().to_string(),
            "difficulty 0 is out of range: use 1 to 64 leading zero hex digits"
        );
    }
}
