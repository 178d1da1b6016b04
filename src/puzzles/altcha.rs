//! ALTCHA (altcha-lib's classic, "v1" challenges): the server picks a
//! secret number up to `maxnumber` and sends `challenge = hex(SHA-256(salt ‖
//! decimal number))` with an HMAC `signature` of it. The solver finds the
//! number (the one nonce whose digest *equals* the challenge) and submits a
//! base64 JSON payload, which `verifySolution` checks by recomputing the
//! challenge and signature from it.
//!
//! altcha-lib's v2 challenges (`{parameters, signature}`, a key-derivation
//! counter) are a different puzzle, solved by [`super::altcha_v2`]; this
//! type refuses them with a clear error.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, check_len};
use crate::block::{NonceFormat, Template};
use crate::error::{Error, Result};
use crate::hash::{HashAlgorithm, digest_from_hex};
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// altcha-lib's default `maxnumber`.
pub const DEFAULT_MAX_NUMBER: u64 = 1_000_000;

/// A challenge as altcha-lib's `createChallenge` returns it. Fields the
/// widget does not use are ignored, as the widget ignores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AltchaChallenge {
    /// The hash function: only `SHA-256` is mined.
    pub algorithm: String,
    /// The hex SHA-256 of salt ‖ number.
    pub challenge: String,
    /// The largest number the server may have picked.
    #[serde(default = "default_max_number", alias = "maxNumber")]
    pub maxnumber: u64,
    /// The salt, hashed as text (it may carry `?expires=…&` parameters).
    pub salt: String,
    /// The server's HMAC of the challenge, passed back unchanged.
    pub signature: String,
}

fn default_max_number() -> u64 {
    DEFAULT_MAX_NUMBER
}

/// The payload the ALTCHA widget submits, in its field order.
#[derive(Serialize)]
struct Payload<'a> {
    algorithm: &'a str,
    challenge: &'a str,
    number: u64,
    salt: &'a str,
    signature: &'a str,
    took: u64,
}

impl AltchaChallenge {
    /// A challenge from the JSON a server sent (the object `createChallenge`
    /// returns), with errors that say what is wrong.
    pub fn from_json(text: &str) -> Result<AltchaChallenge> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the ALTCHA challenge is not JSON: {e}")))?;
        if value.get("parameters").is_some() {
            return Err(Error::InvalidArgument(
                "ALTCHA v2 challenges ({parameters, signature}) are not supported here: `parmine solve altcha` solves them, the page solves v1 challenges (altcha-lib/v1)"
                    .into(),
            ));
        }
        serde_json::from_value(value)
            .map_err(|e| Error::InvalidArgument(format!("the ALTCHA challenge is malformed: {e}")))
    }

    pub(super) fn prepare(&self) -> Result<Prepared> {
        if !self.algorithm.eq_ignore_ascii_case("SHA-256") {
            return Err(Error::InvalidArgument(format!(
                "ALTCHA algorithm '{}' is not supported: parmine mines SHA-256 challenges",
                self.algorithm
            )));
        }
        if self.challenge.len() != 64 {
            return Err(Error::InvalidArgument(format!(
                "the ALTCHA challenge must be 64 hex digits (a SHA-256), not {}",
                self.challenge.len()
            )));
        }
        let expected = digest_from_hex(&self.challenge).map_err(|_| {
            Error::InvalidArgument(format!("the ALTCHA challenge '{}' is not hex", self.challenge))
        })?;
        check_len("the ALTCHA salt", &self.salt)?;
        let end = self.maxnumber.checked_add(1).ok_or_else(|| {
            Error::InvalidArgument(format!("maxnumber {} is too large (at most 2^64 - 2)", self.maxnumber))
        })?;
        let template = Template::new(self.salt.as_bytes().to_vec(), NonceFormat::Decimal, Vec::new());
        let puzzle = Puzzle::from_parts(template, HashAlgorithm::Sha256, Target::Equals(expected));
        Ok(Prepared { puzzle, nonces: 0..end })
    }

    pub(super) fn answer(&self, mined: &Mined) -> Answer {
        let payload = Payload {
            algorithm: &self.algorithm,
            challenge: &self.challenge,
            number: mined.proof,
            salt: &self.salt,
            signature: &self.signature,
            took: mined.elapsed.as_millis() as u64,
        };
        let json = serde_json::to_string(&payload).expect("the payload serializes");
        Answer {
            hash: mined.hash_hex(),
            payload: Some(base64::engine::general_purpose::STANDARD.encode(json)),
            ..Answer::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_and_malformed_challenges_are_refused_in_one_line() {
        let v2 = AltchaChallenge::from_json(r#"{"parameters":{"algorithm":"SHA-256"},"signature":"ab"}"#);
        assert!(v2.unwrap_err().to_string().starts_with("ALTCHA v2 challenges"));
        let missing = AltchaChallenge::from_json(r#"{"algorithm":"SHA-256"}"#).unwrap_err().to_string();
        assert!(missing.starts_with("the ALTCHA challenge is malformed: missing field"), "{missing}");
        assert!(AltchaChallenge::from_json("not json").unwrap_err().to_string().contains("is not JSON"));
        let sha1 = AltchaChallenge::from_json(
            r#"{"algorithm":"SHA-1","challenge":"00","salt":"s","signature":"x"}"#,
        )
        .unwrap();
        assert!(sha1.prepare().unwrap_err().to_string().contains("'SHA-1' is not supported"));
    }
}
