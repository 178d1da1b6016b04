//! mCaptcha's proof-of-work (`mcaptcha_pow_sha256`): SHA-256 of the salt,
//! the phrase as its serializer writes a string (length as u64
//! little-endian, then the bytes) and the nonce in decimal. The score is the
//! digest's first 16 bytes read big-endian; the proof is sufficient when the
//! score is at least `u128::MAX - u128::MAX / difficulty_factor`. The server
//! recomputes the score from salt, phrase and nonce (`is_valid_proof`) and
//! compares it with the threshold (`is_sufficient_difficulty`).

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, check_len};
use crate::block::{NonceFormat, Template};
use crate::error::{Error, Result};
use crate::hash::HashAlgorithm;
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// An mCaptcha challenge, as its widget receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McaptchaChallenge {
    /// The site's salt.
    pub salt: String,
    /// The challenge phrase (the server's string).
    pub phrase: String,
    /// About how many hashes a proof takes.
    pub difficulty_factor: u32,
}

impl McaptchaChallenge {
    /// The score a proof must reach.
    pub fn threshold(&self) -> u128 {
        u128::MAX - u128::MAX / u128::from(self.difficulty_factor.max(1))
    }

    pub(super) fn prepare(&self) -> Result<Prepared> {
        if self.difficulty_factor == 0 {
            return Err(Error::InvalidArgument("the mCaptcha difficulty factor must be 1 or more".into()));
        }
        check_len("the mCaptcha salt", &self.salt)?;
        check_len("the mCaptcha phrase", &self.phrase)?;
        let mut prefix = self.salt.as_bytes().to_vec();
        prefix.extend_from_slice(&(self.phrase.len() as u64).to_le_bytes());
        prefix.extend_from_slice(self.phrase.as_bytes());
        let template = Template::new(prefix, NonceFormat::Decimal, Vec::new());
        let puzzle =
            Puzzle::from_parts(template, HashAlgorithm::Sha256, Target::ScoreAtLeast(self.threshold()));
        // mCaptcha's own solver starts at 1; so do we, so that both find the
        // same (lowest) nonce.
        Ok(Prepared { puzzle, nonces: 1..u64::MAX })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        let score = u128::from_be_bytes(mined.hash[..16].try_into().expect("16 bytes"));
        Answer { hash: mined.hash_hex(), result: Some(score.to_string()), ..Answer::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrase_is_length_prefixed_as_mcaptcha_serializes_it() {
        let c = McaptchaChallenge { salt: "salt".into(), phrase: "abc".into(), difficulty_factor: 1000 };
        let prepared = c.prepare().unwrap();
        assert_eq!(prepared.puzzle.template().message(1), b"salt\x03\0\0\0\0\0\0\0abc1");
    }

    #[test]
    fn a_zero_factor_is_refused() {
        let c = McaptchaChallenge { salt: "s".into(), phrase: "p".into(), difficulty_factor: 0 };
        assert!(c.prepare().is_err());
    }
}
