//! Anubis (TecharoHQ/anubis), the scraper firewall: SHA-256 of the challenge
//! string directly followed by the nonce in decimal; the answer is valid when
//! the hex digest starts with `difficulty` zeros. The server recomputes
//! `sha256(challenge + nonce)` and compares it with the submitted `response`,
//! which is the hex digest this module reports as `hash`.

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, check_len};
use crate::block::{NonceFormat, Template};
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::hash::HashAlgorithm;
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// An Anubis challenge: its random data and the rule's difficulty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnubisChallenge {
    /// The challenge string (`randomData`), hashed as text.
    pub challenge: String,
    /// Leading zero hex digits (Anubis's default rule asks for 4).
    pub difficulty: u32,
}

impl AnubisChallenge {
    pub(super) fn prepare(&self) -> Result<Prepared> {
        if self.challenge.is_empty() {
            return Err(Error::InvalidArgument("the Anubis challenge is empty".into()));
        }
        check_len("the Anubis challenge", &self.challenge)?;
        let difficulty = Difficulty::from_hex_digits(self.difficulty)?;
        let template = Template::new(self.challenge.as_bytes().to_vec(), NonceFormat::Decimal, Vec::new());
        let puzzle = Puzzle::from_parts(template, HashAlgorithm::Sha256, Target::LeadingZeros(difficulty));
        Ok(Prepared { puzzle, nonces: 0..u64::MAX })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        Answer { hash: mined.hash_hex(), ..Answer::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anubis_own_test_vector_hashes_challenge_then_nonce() {
        // lib/challenge/proofofwork/proofofwork_test.go: sha256("hunter" + "0").
        let c = AnubisChallenge { challenge: "hunter".into(), difficulty: 1 };
        let prepared = c.prepare().unwrap();
        assert_eq!(
            crate::hash::to_hex(&prepared.puzzle.digest(0)),
            "2652bdba8fb4d2ab39ef28d8534d7694c557a4ae146c1e9237bd8d950280500e"
        );
    }

    #[test]
    fn bad_challenges_are_refused() {
        let empty = AnubisChallenge { challenge: String::new(), difficulty: 4 };
        assert_eq!(empty.prepare().unwrap_err().to_string(), "the Anubis challenge is empty");
        let hard = AnubisChallenge { challenge: "x".into(), difficulty: 65 };
        assert!(hard.prepare().unwrap_err().to_string().contains("difficulty 65 is out of range"));
    }
}
