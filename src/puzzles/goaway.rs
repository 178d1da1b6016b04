//! go-away's `js-pow-sha256` challenge (git.gammaspectra.live/git/go-away):
//! `make-challenge` hands the browser `{challenge, target, difficulty}`, where
//! `challenge` is 32 bytes as 64 hex digits. The browser appends 8 nonce
//! bytes and hashes the 40 bytes with SHA-256 until the digest is below
//! `target` (the number whose first `difficulty` bits are zero and all others
//! one). It submits the 40 bytes as 80 hex digits (`__goaway_token`); the
//! server (`VerifyChallenge` in its runtime) checks that the first 32 are its
//! challenge and that the SHA-256 of all 40 has at least `difficulty` leading
//! zero bits.
//!
//! go-away's own solver counts the nonce bytes up as a little-endian number
//! from zero, so the nonce is written little-endian here too: the lowest
//! nonce parmine finds is the answer go-away's page would find.

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, bytes_from_hex};
use crate::block::{NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, to_hex};
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// Bytes of go-away's challenge.
pub const CHALLENGE_LEN: usize = 32;
/// go-away's default difficulty (leading zero bits).
pub const DEFAULT_DIFFICULTY: u32 = 20;

/// A `js-pow-sha256` challenge as `make-challenge` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoAwayChallenge {
    /// The 32-byte challenge as 64 hex digits.
    pub challenge: String,
    /// The digest bound go-away's page compares with (optional: it follows
    /// from `difficulty`, and is checked against it when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Leading zero bits the digest needs.
    pub difficulty: u32,
}

impl GoAwayChallenge {
    /// A challenge from the JSON `make-challenge` returned.
    pub fn from_json(text: &str) -> Result<GoAwayChallenge> {
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the go-away challenge is malformed: {e}")))
    }

    fn challenge_bytes(&self) -> Result<Vec<u8>> {
        let bytes = bytes_from_hex("the go-away challenge", &self.challenge)?;
        if bytes.len() != CHALLENGE_LEN {
            return Err(Error::InvalidArgument(format!(
                "the go-away challenge is {CHALLENGE_LEN} bytes ({} hex digits), not {}",
                2 * CHALLENGE_LEN,
                bytes.len()
            )));
        }
        Ok(bytes)
    }

    pub(super) fn prepare(&self) -> Result<Prepared> {
        let prefix = self.challenge_bytes()?;
        let difficulty = Difficulty::from_bits(self.difficulty)?;
        if let Some(target) = &self.target {
            let expected = target_for(self.difficulty);
            if !target.trim().eq_ignore_ascii_case(&expected) {
                return Err(Error::InvalidArgument(format!(
                    "the go-away target {target} is not the one difficulty {} gives ({expected})",
                    self.difficulty
                )));
            }
        }
        let template = Template::new(prefix, NonceFormat::LittleEndian64, Vec::new());
        let puzzle = Puzzle::from_parts(template, HashAlgorithm::Sha256, Target::LeadingZeros(difficulty));
        Ok(Prepared { puzzle, nonces: 0..u64::MAX })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        let mut message = self.challenge_bytes().expect("prepared before mining");
        message.extend_from_slice(&mined.proof.to_le_bytes());
        Answer { hash: mined.hash_hex(), token: Some(to_hex(&message)), ..Answer::default() }
    }
}

/// go-away's `target` for `difficulty` bits: 256 bits, the first
/// `difficulty` zero and the rest one, as hex.
fn target_for(difficulty: u32) -> String {
    let bits = difficulty.min(256) as usize;
    let text: String = (0..256).map(|i| if i < bits { '0' } else { '1' }).collect();
    text.as_bytes()
        .chunks(4)
        .map(|nibble| {
            let v = nibble.iter().fold(0u32, |acc, &b| acc * 2 + u32::from(b - b'0'));
            char::from_digit(v, 16).expect("a nibble")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_go_aways() {
        // embed/challenge/js-pow-sha256/test/make-challenge-out.json
        assert_eq!(target_for(20), format!("00000{}", "f".repeat(59)));
        assert_eq!(target_for(1), format!("7{}", "f".repeat(63)));
    }

    #[test]
    fn bad_challenges_are_refused_in_one_line() {
        let short = GoAwayChallenge { challenge: "ab".repeat(31), target: None, difficulty: 20 };
        assert_eq!(
            short.prepare().unwrap_err().to_string(),
            "the go-away challenge is 32 bytes (64 hex digits), not 31"
        );
        let zero = GoAwayChallenge { challenge: "ab".repeat(32), target: None, difficulty: 0 };
        assert!(zero.prepare().unwrap_err().to_string().contains("difficulty 0 is out of range"));
        let absurd = GoAwayChallenge { difficulty: 300, ..zero.clone() };
        assert!(absurd.prepare().unwrap_err().to_string().contains("difficulty 300 is out of range"));
        let wrong = GoAwayChallenge { target: Some("00".repeat(32)), difficulty: 20, ..zero };
        assert!(wrong.prepare().unwrap_err().to_string().contains("is not the one difficulty 20 gives"));
        let missing = GoAwayChallenge::from_json(r#"{"challenge":"ab"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `difficulty`"), "{missing}");
    }
}
