//! Cap (tiagozip/cap, `@cap.js/server` 4.x, its default "format 1"): one
//! token is `c` small puzzles. `createChallenge` returns
//! `{challenge: {c, s, d}, token, expires}`; for each i = 1..=c the salt is
//! `prng(token + i, s)` and the target `prng(token + i + "d", d)`, where
//! [`prng`] is Cap's FNV-1a-seeded xorshift32 hex stream. Solution i is a
//! number n such that the hex SHA-256 of salt ‖ decimal n *starts with* the
//! target (random hex digits, not zeros). The browser posts
//! `{token, solutions}`, and `redeemChallenge` recomputes every salt and
//! target from the token and checks every hash.

use serde::{Deserialize, Serialize};

use super::{Answer, Prepared, check_len};
use crate::block::{NonceFormat, Template};
use crate::error::{Error, Result};
use crate::hash::HashAlgorithm;
use crate::mine::{Mined, Puzzle};
use crate::target::Target;

/// Most sub-puzzles one Cap token may hold here (Cap's default is 50).
pub const MAX_PUZZLES: u32 = 10_000;
/// Most target digits: a SHA-256 has 64.
pub const MAX_DIGITS: u32 = 64;
/// One past the largest solution: a JavaScript number is exact up to 2^53,
/// and `redeemChallenge` takes solutions as numbers.
pub const NONCE_END: u64 = 1 << 53;

/// Cap's puzzle parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapParams {
    /// How many sub-puzzles (`challengeCount`, default 50).
    pub c: u32,
    /// Salt length in characters (`challengeSize`, default 32).
    pub s: u32,
    /// Target length in hex digits (`challengeDifficulty`, default 4).
    pub d: u32,
}

/// A Cap challenge as `createChallenge` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapChallenge {
    /// The puzzle parameters.
    pub challenge: CapParams,
    /// The challenge token (50 hex digits from `createChallenge`).
    pub token: String,
    /// When the server forgets the challenge (ms since the epoch); not used
    /// for solving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<u64>,
}

impl CapChallenge {
    /// A challenge from the JSON `createChallenge` returned.
    pub fn from_json(text: &str) -> Result<CapChallenge> {
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the Cap challenge is malformed: {e}")))
    }

    /// Sub-puzzle `i` (1-based, as Cap numbers them): its salt and target.
    pub fn sub_challenge(&self, i: u32) -> (String, String) {
        let seed = format!("{}{i}", self.token);
        (prng(&seed, self.challenge.s as usize), prng(&format!("{seed}d"), self.challenge.d as usize))
    }

    fn check(&self) -> Result<()> {
        let CapParams { c, s, d } = self.challenge;
        if self.token.is_empty() {
            return Err(Error::InvalidArgument("the Cap token is empty".into()));
        }
        check_len("the Cap token", &self.token)?;
        if c == 0 || c > MAX_PUZZLES {
            return Err(Error::InvalidArgument(format!(
                "the Cap challenge count c must be 1 to {MAX_PUZZLES}, not {c}"
            )));
        }
        if s == 0 || s as usize > crate::limits::MAX_CHALLENGE_BYTES {
            return Err(Error::InvalidArgument(format!(
                "the Cap salt size s must be 1 to {}, not {s}",
                crate::limits::MAX_CHALLENGE_BYTES
            )));
        }
        if d == 0 || d > MAX_DIGITS {
            return Err(Error::InvalidArgument(format!(
                "the Cap difficulty d must be 1 to {MAX_DIGITS} hex digits, not {d}"
            )));
        }
        Ok(())
    }

    pub(super) fn prepare(&self) -> Result<Vec<Prepared>> {
        self.check()?;
        Ok((1..=self.challenge.c)
            .map(|i| {
                let (salt, target) = self.sub_challenge(i);
                let target = Target::hex_prefix(&target).expect("prng writes 1 to 64 hex digits");
                let template = Template::new(salt.into_bytes(), NonceFormat::Decimal, Vec::new());
                Prepared {
                    puzzle: Puzzle::from_parts(template, HashAlgorithm::Sha256, target),
                    nonces: 0..NONCE_END,
                }
            })
            .collect())
    }

    pub(super) fn answer(&self, mined: &[Mined]) -> Answer {
        Answer {
            hash: mined.first().map(Mined::hash_hex).unwrap_or_default(),
            token: Some(self.token.clone()),
            solutions: Some(mined.iter().map(|m| m.proof).collect()),
            ..Answer::default()
        }
    }
}

/// Cap's `prng(seed, length)`: FNV-1a (32-bit) over the seed's UTF-16 code
/// units seeds a xorshift32 generator, whose outputs are written as 8
/// lowercase hex digits each until `length` digits are there.
pub fn prng(seed: &str, length: usize) -> String {
    let mut state = seed
        .encode_utf16()
        .fold(2_166_136_261u32, |hash, unit| (hash ^ u32::from(unit)).wrapping_mul(16_777_619));
    let mut out = String::with_capacity(length + 8);
    while out.len() < length {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out.push_str(&format!("{state:08x}"));
    }
    out.truncate(length);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(c: u32, s: u32, d: u32) -> CapChallenge {
        CapChallenge { challenge: CapParams { c, s, d }, token: "ab12".into(), expires: None }
    }

    #[test]
    fn sub_puzzles_are_numbered_from_one() {
        let cap = sample(3, 32, 4);
        let prepared = cap.prepare().unwrap();
        assert_eq!(prepared.len(), 3);
        assert_eq!(prepared[0].puzzle.template().prefix(), prng("ab121", 32).as_bytes());
        assert_eq!(prepared[2].puzzle.template().prefix(), prng("ab123", 32).as_bytes());
        assert_eq!(prepared[1].puzzle.target(), Target::hex_prefix(&prng("ab122d", 4)).unwrap());
    }

    #[test]
    fn prng_matches_caps_own() {
        // Cap's prng (node_modules/@cap.js/server/index.js, 4.0.5) run in node.
        assert_eq!(prng("ab121", 32), "b72d0f8bcd50f845995e1c4900353562");
        assert_eq!(prng("ab121d", 4), "1626");
        assert_eq!(
            prng("0123456789abcdef0123456789abcdef0123456789abcdef011", 32),
            "2b5c4ca2fbc3e5066b0fb0573da6c475"
        );
        // UTF-16 code units, a surrogate pair included.
        assert_eq!(prng("é€𝄞", 20), "6e2baf5363f994d37d18");
        assert_eq!(prng("", 9), "4622a6774");
    }

    #[test]
    fn prng_lengths_are_exact() {
        for length in [0, 1, 7, 8, 9, 32, 100] {
            assert_eq!(prng("seed", length).len(), length);
        }
        assert!(prng("seed", 100).starts_with(&prng("seed", 9)));
    }

    #[test]
    fn parameters_out_of_range_are_refused() {
        for (cap, what) in [
            (sample(0, 32, 4), "count c must be 1 to 10000, not 0"),
            (sample(10_001, 32, 4), "not 10001"),
            (sample(50, 0, 4), "salt size s must be 1 to"),
            (sample(50, 32, 0), "difficulty d must be 1 to 64 hex digits, not 0"),
            (sample(50, 32, 65), "not 65"),
            (CapChallenge { token: String::new(), ..sample(1, 1, 1) }, "the Cap token is empty"),
        ] {
            let err = cap.prepare().unwrap_err().to_string();
            assert!(err.contains(what), "{err}");
        }
        let missing = CapChallenge::from_json(r#"{"challenge":{"c":1,"s":1},"token":"x"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `d`"), "{missing}");
    }
}
