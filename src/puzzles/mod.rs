//! Real-world puzzles: the proof-of-work that deployed systems ask for,
//! mined by parmine's strategies and kernels and answered in the form those
//! systems check.
//!
//! Each kind is a small module that turns its challenge into the general
//! puzzle every strategy mines ([`Puzzle`]: a byte template with a nonce
//! slot, a hash, a [`Target`](crate::target::Target)) and a nonce space, and
//! turns a found nonce back into the kind's answer:
//!
//! | kind | bytes hashed | hash | valid when |
//! |---|---|---|---|
//! | [`bitcoin`] | the 80-byte header, nonce u32 LE at 76 | double SHA-256 | digest read little-endian ≤ target of `nBits` |
//! | [`anubis`] | challenge ‖ decimal nonce | SHA-256 | hex digest starts with `difficulty` zeros |
//! | [`altcha`] | salt ‖ decimal number | SHA-256 | hex digest equals `challenge` |
//! | [`mcaptcha`] | salt ‖ u64 LE len(phrase) ‖ phrase ‖ decimal nonce | SHA-256 | first 16 bytes (BE) ≥ `u128::MAX - u128::MAX / factor` |
//! | [`cap`] | for each of `c` sub-puzzles: salt ‖ decimal nonce | SHA-256 | hex digest starts with the sub-puzzle's target digits |
//! | [`goaway`] | 32-byte challenge ‖ u64 LE nonce | SHA-256 | `difficulty` leading zero bits |
//! | [`cerberus`] | 64 hex salt ‖ u32 LE 0 ‖ u32 LE nonce | BLAKE3 | `d / 2` zero hex digits, then a digit below 8 when `d` is odd |
//!
//! Most kinds are one puzzle; Cap is many small ones ([`Challenge::prepare`]
//! returns them all), solved one after another or side by side.
//!
//! Two kinds are not one hash of a byte template and search on their own,
//! for the lowest passing counter on every thread ([`lowest`]), outside
//! [`Challenge`] (the command line only, for now):
//!
//! | kind | candidate | valid when |
//! |---|---|---|
//! | [`altcha_v2`] | a key derived from nonce ‖ counter and the salt (iterated SHA-2, PBKDF2, scrypt, Argon2id) | the key starts with `keyPrefix` |
//! | [`friendly`] | BLAKE2b-256 of the puzzle padded to 128 bytes, sub-puzzle index at 120, u32 LE counter at 124 | LE u32 of digest bytes 0..4 below the difficulty's threshold |

pub mod altcha;
pub mod altcha_v2;
pub mod anubis;
pub mod bitcoin;
pub mod cap;
pub mod cerberus;
pub mod friendly;
pub mod goaway;
pub mod lowest;
pub mod mcaptcha;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use self::altcha::AltchaChallenge;
pub use self::altcha_v2::AltchaV2Challenge;
pub use self::anubis::AnubisChallenge;
pub use self::bitcoin::BitcoinChallenge;
pub use self::cap::{CapChallenge, CapParams};
pub use self::cerberus::CerberusChallenge;
pub use self::friendly::FriendlyChallenge;
pub use self::goaway::GoAwayChallenge;
pub use self::mcaptcha::McaptchaChallenge;
use crate::error::{Error, Result};
use crate::mine::{Mined, Puzzle};

/// A challenge of one of the kinds parmine solves (`"kind"` names it in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Challenge {
    /// A Bitcoin block header.
    Bitcoin(BitcoinChallenge),
    /// Anubis's proof-of-work.
    Anubis(AnubisChallenge),
    /// ALTCHA's (v1) challenge.
    Altcha(AltchaChallenge),
    /// mCaptcha's proof-of-work.
    Mcaptcha(McaptchaChallenge),
    /// Cap's token of many small puzzles.
    Cap(CapChallenge),
    /// go-away's `js-pow-sha256`.
    #[serde(rename = "go-away")]
    GoAway(GoAwayChallenge),
    /// Cerberus's BLAKE3 proof-of-work.
    Cerberus(CerberusChallenge),
}

/// A challenge made ready to mine.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The general puzzle.
    pub puzzle: Puzzle,
    /// Every nonce the kind allows.
    pub nonces: Range<u64>,
}

/// What a kind adds to a found nonce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The hash as the kind shows it (hex; Bitcoin's in the byte order block
    /// explorers display).
    pub hash: String,
    /// ALTCHA: the base64 payload the widget submits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Bitcoin: the header with the nonce filled in, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// mCaptcha: the score the server recomputes, decimal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Cap: the challenge token, sent back with the solutions; go-away: the
    /// 80 hex digits of the hashed message (its `__goaway_token`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Cap: one solution a sub-puzzle, in order (with `token`, the body
    /// `redeemChallenge` takes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solutions: Option<Vec<u64>>,
    /// Cerberus: the form body posted to its `/answer` endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
}

impl Challenge {
    /// Every kind's name, as the command line and JSON spell it.
    pub const KINDS: [&'static str; 7] =
        ["bitcoin", "anubis", "altcha", "mcaptcha", "cap", "go-away", "cerberus"];

    /// This challenge's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Challenge::Bitcoin(_) => "bitcoin",
            Challenge::Anubis(_) => "anubis",
            Challenge::Altcha(_) => "altcha",
            Challenge::Mcaptcha(_) => "mcaptcha",
            Challenge::Cap(_) => "cap",
            Challenge::GoAway(_) => "go-away",
            Challenge::Cerberus(_) => "cerberus",
        }
    }

    /// The puzzles to mine and the nonces to search: one for most kinds,
    /// every sub-puzzle in order for Cap.
    pub fn prepare(&self) -> Result<Vec<Prepared>> {
        match self {
            Challenge::Bitcoin(c) => c.prepare().map(|p| vec![p]),
            Challenge::Anubis(c) => c.prepare().map(|p| vec![p]),
            Challenge::Altcha(c) => c.prepare().map(|p| vec![p]),
            Challenge::Mcaptcha(c) => c.prepare().map(|p| vec![p]),
            Challenge::Cap(c) => c.prepare(),
            Challenge::GoAway(c) => c.prepare().map(|p| vec![p]),
            Challenge::Cerberus(c) => c.prepare().map(|p| vec![p]),
        }
    }

    /// The kind's answer for what was mined: one [`Mined`] a puzzle, in the
    /// order [`prepare`](Self::prepare) gave them.
    pub fn answer(&self, mined: &[Mined]) -> Answer {
        let Some(first) = mined.first() else { return Answer::default() };
        match self {
            Challenge::Bitcoin(c) => c.answer(first),
            Challenge::Anubis(c) => c.answer(first),
            Challenge::Altcha(c) => c.answer(first),
            Challenge::Mcaptcha(c) => c.answer(first),
            Challenge::Cap(c) => c.answer(mined),
            Challenge::GoAway(c) => c.answer(first),
            Challenge::Cerberus(c) => c.answer(first),
        }
    }
}

/// Bytes from hex text (either case; surrounding whitespace ignored).
pub(crate) fn bytes_from_hex(what: &str, text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return Err(Error::InvalidArgument(format!(
            "{what} has an odd number of hex digits ({})",
            text.len()
        )));
    }
    text.as_bytes()
        .chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| {
            let digit = |c: u8| (c as char).to_digit(16);
            match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => Ok((hi * 16 + lo) as u8),
                _ => Err(Error::InvalidArgument(format!(
                    "{what} is not hex: '{}' at position {}",
                    String::from_utf8_lossy(pair),
                    2 * i
                ))),
            }
        })
        .collect()
}

/// Refuse a text field longer than parmine mines (it is hashed as the prefix
/// of every candidate; a megabyte challenge is a mistake, not a puzzle).
pub(crate) fn check_len(what: &str, text: &str) -> Result<()> {
    if text.len() > crate::limits::MAX_CHALLENGE_BYTES {
        return Err(Error::InvalidArgument(format!(
            "{what} is {} bytes long: at most {} are accepted",
            text.len(),
            crate::limits::MAX_CHALLENGE_BYTES
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_checked() {
        assert_eq!(bytes_from_hex("x", " 00fFa0\n").unwrap(), vec![0, 0xff, 0xa0]);
        assert_eq!(
            bytes_from_hex("x", "abc").unwrap_err().to_string(),
            "x has an odd number of hex digits (3)"
        );
        assert_eq!(bytes_from_hex("x", "00zz").unwrap_err().to_string(), "x is not hex: 'zz' at position 2");
    }

    #[test]
    fn challenges_read_from_json_by_kind() {
        let c: Challenge =
            serde_json::from_str(r#"{"kind":"anubis","challenge":"hunter","difficulty":1}"#).unwrap();
        assert_eq!(c.kind(), "anubis");
        let err = serde_json::from_str::<Challenge>(r#"{"kind":"hashcash"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown variant `hashcash`"), "{err}");
        for kind in Challenge::KINDS {
            let err = serde_json::from_str::<Challenge>(&format!(r#"{{"kind":"{kind}"}}"#)).unwrap_err();
            assert!(err.to_string().contains("missing field"), "{kind}: {err}");
        }
    }
}
