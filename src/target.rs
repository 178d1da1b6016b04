//! What a digest must satisfy, and the one-word test that rules most out.
//!
//! Puzzles state their goal in different ways: the blog (and Anubis) count
//! leading zeros of the hex digest, Bitcoin compares the digest read as a
//! little-endian number with a 256-bit target, ALTCHA asks for one exact
//! digest, mCaptcha for a score above a threshold, Cap for a hex digest that
//! starts with given digits. A [`Target`] holds any of them. Kernels return a single 32-bit word of each candidate's digest;
//! [`Target::prefilter`] says which word and which values can possibly meet
//! the target, so only the rare candidates that pass are hashed in full.

use crate::difficulty::{Difficulty, leading_zero_bits};
use crate::hash::Digest;

/// A condition on a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// At least this many leading zero bits, reading the digest big-endian.
    LeadingZeros(Difficulty),
    /// The digest read as a little-endian 256-bit number is at most this
    /// (little-endian bytes), as Bitcoin compares a block hash with the
    /// target its `nBits` encode.
    AtMostLittleEndian([u8; 32]),
    /// Exactly this digest (ALTCHA: the challenge is the answer's hash).
    Equals(Digest),
    /// The digest's first 16 bytes, read big-endian, are at least this
    /// (mCaptcha's score).
    ScoreAtLeast(u128),
    /// The hex digest starts with these `digits` hex digits (Cap: a random
    /// hex prefix, not zeros). The digits are packed as a digest's leading
    /// nibbles; the nibbles after them are zero.
    HexPrefix {
        /// The digits, as the leading nibbles of a digest.
        prefix: Digest,
        /// How many hex digits must match, 1 to 64.
        digits: u8,
    },
}

/// Which candidates can meet a target, judged from one digest word.
///
/// A candidate passes when `min <= x <= max`, where `x` is word [`word`]
/// (bytes `4 word..4 word + 4` read big-endian), byte-swapped first if
/// [`swap`] is set. No candidate that meets the target fails it.
///
/// [`word`]: Prefilter::word
/// [`swap`]: Prefilter::swap
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefilter {
    /// The digest word to test, 0 to 7.
    pub word: usize,
    /// Read the word's bytes the other way round first.
    pub swap: bool,
    /// Smallest passing value.
    pub min: u32,
    /// Largest passing value.
    pub max: u32,
}

impl Prefilter {
    /// Whether a candidate whose digest word is `word` may meet the target.
    #[inline(always)]
    pub fn passes(&self, word: u32) -> bool {
        let x = if self.swap { word.swap_bytes() } else { word };
        self.min <= x && x <= self.max
    }
}

impl Prefilter {
    /// Bit `l` set for each word `words[l]` that passes.
    #[inline(always)]
    pub fn mask(&self, words: &[u32; 16]) -> u32 {
        let mut mask = 0;
        if self.swap {
            for (lane, &w) in words.iter().enumerate() {
                let x = w.swap_bytes();
                mask |= u32::from(self.min <= x && x <= self.max) << lane;
            }
        } else {
            for (lane, &x) in words.iter().enumerate() {
                mask |= u32::from(self.min <= x && x <= self.max) << lane;
            }
        }
        mask
    }
}

impl Target {
    /// Whether `digest` meets the target.
    #[inline]
    pub fn is_met_by(&self, digest: &Digest) -> bool {
        match self {
            Target::LeadingZeros(difficulty) => difficulty.is_met_by(digest),
            Target::AtMostLittleEndian(target) => digest.iter().rev().cmp(target.iter().rev()).is_le(),
            Target::Equals(expected) => digest == expected,
            Target::ScoreAtLeast(threshold) => {
                u128::from_be_bytes(digest[..16].try_into().expect("16 bytes")) >= *threshold
            }
            Target::HexPrefix { prefix, digits } => {
                let whole = usize::from(*digits / 2);
                digest[..whole] == prefix[..whole]
                    && (digits % 2 == 0 || digest[whole] >> 4 == prefix[whole] >> 4)
            }
        }
    }

    /// The target a hex digest meets when it starts with `hex` (1 to 64 hex
    /// digits, either case).
    pub fn hex_prefix(hex: &str) -> Option<Target> {
        if hex.is_empty() || hex.len() > 64 {
            return None;
        }
        let mut prefix = [0u8; 32];
        for (i, c) in hex.chars().enumerate() {
            let nibble = c.to_digit(16)? as u8;
            prefix[i / 2] |= if i % 2 == 0 { nibble << 4 } else { nibble };
        }
        Some(Target::HexPrefix { prefix, digits: hex.len() as u8 })
    }

    /// The one-word test kernels apply before a full check.
    pub fn prefilter(&self) -> Prefilter {
        match *self {
            Target::LeadingZeros(difficulty) => {
                let bits = difficulty.bits().min(32);
                Prefilter { word: 0, swap: false, min: 0, max: u32::MAX.checked_shr(bits).unwrap_or(0) }
            }
            Target::AtMostLittleEndian(target) => {
                // The number's most significant 32 bits are digest bytes 28..32.
                let top = u32::from_le_bytes(target[28..32].try_into().expect("4 bytes"));
                Prefilter { word: 7, swap: true, min: 0, max: top }
            }
            Target::Equals(expected) => {
                let word = u32::from_be_bytes(expected[..4].try_into().expect("4 bytes"));
                Prefilter { word: 0, swap: false, min: word, max: word }
            }
            Target::ScoreAtLeast(threshold) => {
                Prefilter { word: 0, swap: false, min: (threshold >> 96) as u32, max: u32::MAX }
            }
            Target::HexPrefix { prefix, digits } => {
                // The first eight digits are the first word: the word must
                // carry the given ones and may carry anything after them.
                let free = u32::MAX.checked_shr(4 * u32::from(digits.min(8))).unwrap_or(0);
                let min = u32::from_be_bytes(prefix[..4].try_into().expect("4 bytes")) & !free;
                Prefilter { word: 0, swap: false, min, max: min | free }
            }
        }
    }

    /// Leading zero bits every digest meeting the target has at least, if
    /// the target is stated that way.
    pub fn leading_zeros(&self) -> Option<u32> {
        match self {
            Target::LeadingZeros(d) => Some(d.bits()),
            _ => None,
        }
    }

    /// Candidates a search of `candidates` nonces needs on average: half of
    /// them for an exact digest (one preimage lies somewhere in the range),
    /// else one over the [`probability`](Target::probability).
    pub fn expected_attempts(&self, candidates: u64) -> f64 {
        match self {
            Target::Equals(_) => candidates as f64 / 2.0,
            target => 1.0 / target.probability(),
        }
    }

    /// The fraction of random digests that meet the target (for estimates).
    pub fn probability(&self) -> f64 {
        match self {
            Target::LeadingZeros(d) => 0.5f64.powi(d.bits() as i32),
            Target::AtMostLittleEndian(target) => {
                let value = target.iter().rev().fold(0.0f64, |acc, &b| acc * 256.0 + f64::from(b));
                ((value + 1.0) / 2f64.powi(256)).min(1.0)
            }
            Target::Equals(_) => 0.5f64.powi(256),
            Target::ScoreAtLeast(threshold) => 1.0 - *threshold as f64 / 2f64.powi(128),
            Target::HexPrefix { digits, .. } => 0.0625f64.powi(i32::from(*digits)),
        }
    }
}

impl From<Difficulty> for Target {
    fn from(difficulty: Difficulty) -> Target {
        Target::LeadingZeros(difficulty)
    }
}

/// Leading zero bits of `digest` (re-exported for targets' users).
pub fn zeros(digest: &Digest) -> u32 {
    leading_zero_bits(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Digests built around every prefilter's edges.
    fn digests() -> Vec<Digest> {
        let mut out = Vec::new();
        for seed in 0..400u32 {
            let mut d = [0u8; 32];
            for (i, b) in d.iter_mut().enumerate() {
                *b = (seed.wrapping_mul(2654435761).rotate_left(i as u32) >> 3) as u8;
            }
            // Zero runs of every length at the front and at the back.
            let front = (seed % 40) as usize;
            d[..front.min(32)].fill(0);
            if seed % 3 == 0 {
                d[32 - (seed as usize % 33)..].fill(0);
            }
            out.push(d);
        }
        out
    }

    #[test]
    fn expected_attempts_are_half_the_range_for_an_exact_digest_else_one_over_the_odds() {
        let zeros = Target::LeadingZeros(Difficulty::from_hex_digits(5).unwrap());
        assert_eq!(zeros.expected_attempts(10), 16f64.powi(5));
        assert_eq!(Target::Equals([7; 32]).expected_attempts(1_000_000), 500_000.0);
        assert!(Target::ScoreAtLeast(u128::MAX).expected_attempts(1) > 1e30);
    }

    #[test]
    fn prefilters_never_reject_a_digest_that_meets_the_target() {
        let mut targets = vec![];
        for bits in [1, 4, 8, 17, 31, 32, 33, 40, 64] {
            targets.push(Target::LeadingZeros(Difficulty::from_bits(bits).unwrap()));
        }
        for top in [0u8, 1, 0x10, 0xff] {
            let mut t = [0xffu8; 32];
            t[31] = 0;
            t[30] = top;
            targets.push(Target::AtMostLittleEndian(t));
        }
        for score in [0u128, 1 << 100, u128::MAX - (u128::MAX >> 4), u128::MAX] {
            targets.push(Target::ScoreAtLeast(score));
        }
        let samples = digests();
        targets.extend(samples.iter().take(5).map(|d| Target::Equals(*d)));
        for digits in [1, 2, 3, 7, 8, 9, 16, 64] {
            for d in samples.iter().step_by(97) {
                let hex = crate::hash::to_hex(d);
                targets.push(Target::hex_prefix(&hex[..digits]).unwrap());
            }
        }
        for target in targets {
            let pre = target.prefilter();
            for d in &samples {
                let word = u32::from_be_bytes(d[4 * pre.word..4 * pre.word + 4].try_into().unwrap());
                if target.is_met_by(d) {
                    assert!(pre.passes(word), "{target:?} rejects {d:?}");
                }
            }
        }
    }

    #[test]
    fn leading_zero_prefilters_are_exact_up_to_32_bits() {
        for bits in 1..=32 {
            let target = Target::LeadingZeros(Difficulty::from_bits(bits).unwrap());
            let pre = target.prefilter();
            for d in digests() {
                let word = u32::from_be_bytes(d[..4].try_into().unwrap());
                assert_eq!(pre.passes(word), target.is_met_by(&d), "{bits} bits");
            }
        }
    }

    #[test]
    fn hex_prefixes_compare_digits_as_text_does() {
        let samples = digests();
        for digits in [1usize, 2, 3, 4, 5, 8, 9, 13, 64] {
            for (i, d) in samples.iter().enumerate().step_by(7) {
                // A prefix taken from another sample: it matches some, not all.
                let hex = crate::hash::to_hex(&samples[(i * 31 + 5) % samples.len()]);
                let target = Target::hex_prefix(&hex[..digits]).unwrap();
                let text = crate::hash::to_hex(d);
                assert_eq!(target.is_met_by(d), text.starts_with(&hex[..digits]), "{digits} {text}");
                if digits <= 8 {
                    let word = u32::from_be_bytes(d[..4].try_into().unwrap());
                    assert_eq!(target.prefilter().passes(word), text.starts_with(&hex[..digits]));
                }
            }
        }
        assert_eq!(Target::hex_prefix("A0").unwrap(), Target::hex_prefix("a0").unwrap());
        assert!(Target::hex_prefix("").is_none());
        assert!(Target::hex_prefix("0g").is_none());
        assert!(Target::hex_prefix(&"0".repeat(65)).is_none());
        assert_eq!(Target::hex_prefix("abcd").unwrap().expected_attempts(1), 65536.0);
    }

    #[test]
    fn little_endian_comparison_reads_the_last_byte_first() {
        let mut target = [0u8; 32];
        target[31] = 1; // 2^248
        let mut digest = [0xffu8; 32];
        digest[31] = 0;
        assert!(Target::AtMostLittleEndian(target).is_met_by(&digest));
        digest[31] = 1;
        assert!(!Target::AtMostLittleEndian(target).is_met_by(&digest));
        digest = [0; 32];
        digest[31] = 1;
        assert!(Target::AtMostLittleEndian(target).is_met_by(&digest), "equal is enough");
    }
}
