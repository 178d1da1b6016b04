//! Cerberus (sjtug/cerberus, 0.4.6 and later: the binary form), the Caddy
//! module against scrapers. Its challenge page carries
//! `{challenge, difficulty, nonce, ts, signature}`; the browser hashes
//! `challenge|nonce|ts|signature|` with BLAKE3 into a salt of 64 hex
//! characters, then searches a 64-bit `solution` such that BLAKE3 of the salt
//! (as text) followed by 8 solution bytes has `difficulty / 2` leading zero
//! hex digits and, when `difficulty` is odd, a next digit below 8. The 8
//! bytes are the solution's high 32 bits then its low 32 bits, each
//! little-endian (the server's `blake3Prf` swaps the halves so that a
//! JavaScript number's counter lands in the low ones).
//!
//! The answer is a form posted to `/answer`: `response` (the hex digest),
//! `solution` (decimal), and the challenge's `nonce`, `ts` and `signature`
//! unchanged. parmine searches the low 32 bits with the high ones zero, as
//! the first worker of Cerberus's own solver does, so the lowest solution it
//! finds is the one that solver finds first.

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, check_len};
use crate::block::{NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, to_hex};
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// Cerberus's default difficulty.
pub const DEFAULT_DIFFICULTY: u32 = 4;
/// The hardest difficulty Cerberus's own solver accepts (32 zero bits in its
/// one-word check).
pub const MAX_DIFFICULTY: u32 = 16;
/// The first version whose solution is 8 binary bytes (earlier ones hash a
/// decimal solution, which parmine does not mine for Cerberus).
const BINARY_SINCE: (u64, u64, u64) = (0, 4, 6);

/// A Cerberus challenge, as its page's `x-challenge` attribute holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CerberusChallenge {
    /// The server's challenge string.
    pub challenge: String,
    /// Half the leading zero hex digits (rounded up; see the module docs).
    pub difficulty: u32,
    /// The server's nonce for this challenge (not the solution).
    pub nonce: u32,
    /// The challenge's time stamp (Unix seconds).
    pub ts: i64,
    /// The server's signature of challenge, nonce and time stamp.
    pub signature: String,
    /// Cerberus's version, when known (`0.4.6` or later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl CerberusChallenge {
    /// A challenge from its page's JSON.
    pub fn from_json(text: &str) -> Result<CerberusChallenge> {
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the Cerberus challenge is malformed: {e}")))
    }

    /// The 64 hex characters every candidate starts with.
    pub fn salt(&self) -> String {
        let merged = format!("{}|{}|{}|{}|", self.challenge, self.nonce, self.ts, self.signature);
        to_hex(&HashAlgorithm::Blake3.hash(merged.as_bytes()))
    }

    /// Leading zero bits Cerberus's rule amounts to: four a whole zero digit,
    /// one for the odd difficulty's digit below 8.
    pub fn zero_bits(difficulty: u32) -> u32 {
        4 * (difficulty / 2) + difficulty % 2
    }

    pub(super) fn prepare(&self) -> Result<Prepared> {
        check_len("the Cerberus challenge", &self.challenge)?;
        check_len("the Cerberus signature", &self.signature)?;
        if self.difficulty == 0 || self.difficulty > MAX_DIFFICULTY {
            return Err(Error::InvalidArgument(format!(
                "the Cerberus difficulty must be 1 to {MAX_DIFFICULTY} (its own solver's range), not {}",
                self.difficulty
            )));
        }
        if let Some(version) = &self.version
            && let Some(parsed) = parse_version(version)
            && parsed < BINARY_SINCE
        {
            return Err(Error::InvalidArgument(format!(
                "Cerberus {version} hashes a decimal solution: parmine solves the binary form of 0.4.6 and later"
            )));
        }
        let difficulty = Difficulty::from_bits(Self::zero_bits(self.difficulty))?;
        // The solution's high half (zero) is part of the prefix; the low half
        // is the nonce, little-endian.
        let mut prefix = self.salt().into_bytes();
        prefix.extend_from_slice(&0u32.to_le_bytes());
        let template = Template::new(prefix, NonceFormat::LittleEndian32, Vec::new());
        let puzzle = Puzzle::from_parts(template, HashAlgorithm::Blake3, Target::LeadingZeros(difficulty));
        Ok(Prepared { puzzle, nonces: 0..NonceFormat::LittleEndian32.end() })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        let response = mined.hash_hex();
        let form = [
            ("response", response.clone()),
            ("solution", mined.proof.to_string()),
            ("nonce", self.nonce.to_string()),
            ("ts", self.ts.to_string()),
            ("signature", self.signature.clone()),
        ]
        .iter()
        .map(|(name, value)| format!("{name}={}", form_encode(value)))
        .collect::<Vec<_>>()
        .join("&");
        Answer { hash: response, form: Some(form), ..Answer::default() }
    }
}

/// `major.minor.patch` (a leading `v` and any pre-release suffix ignored),
/// or `None` for text that is not a version (taken as recent, as
/// pow-buster's adapter takes it).
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let core = text.trim().trim_start_matches('v').split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// `application/x-www-form-urlencoded` escaping of one value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CerberusChallenge {
        CerberusChallenge {
            challenge: "c".into(),
            difficulty: 4,
            nonce: 7,
            ts: 1_700_000_000,
            signature: "a b&".into(),
            version: None,
        }
    }

    #[test]
    fn the_rule_is_half_digits_and_a_bit() {
        assert_eq!(CerberusChallenge::zero_bits(1), 1);
        assert_eq!(CerberusChallenge::zero_bits(4), 8);
        assert_eq!(CerberusChallenge::zero_bits(5), 9);
        assert_eq!(CerberusChallenge::zero_bits(16), 32);
    }

    #[test]
    fn the_message_is_the_salt_then_high_and_low_halves_little_endian() {
        let c = sample();
        let message = c.prepare().unwrap().puzzle.template().message(0x0102_0304);
        assert_eq!(&message[..64], c.salt().as_bytes());
        assert_eq!(&message[64..], &[0, 0, 0, 0, 4, 3, 2, 1]);
    }

    #[test]
    fn bad_challenges_and_old_versions_are_refused() {
        for difficulty in [0, 17, 1000] {
            let err = CerberusChallenge { difficulty, ..sample() }.prepare().unwrap_err().to_string();
            assert!(err.starts_with("the Cerberus difficulty must be 1 to 16"), "{err}");
        }
        let old = CerberusChallenge { version: Some("v0.4.5".into()), ..sample() };
        assert!(old.prepare().unwrap_err().to_string().contains("hashes a decimal solution"));
        for recent in ["0.4.6", "v0.4.8", "1.0.0-rc1", "dev"] {
            assert!(CerberusChallenge { version: Some(recent.into()), ..sample() }.prepare().is_ok());
        }
        let missing = CerberusChallenge::from_json(r#"{"challenge":"c","difficulty":4}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `nonce`"), "{missing}");
    }

    #[test]
    fn form_values_are_escaped() {
        assert_eq!(form_encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}
