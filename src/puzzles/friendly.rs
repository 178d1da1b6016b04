//! Friendly Captcha v1 (the `friendly-challenge` widget and its
//! `friendly-pow` solver): `n` BLAKE2b-256 sub-puzzles.
//!
//! The widget receives `signature.base64(puzzle)`. The puzzle's bytes (a
//! 32-byte header, then up to 32 bytes of user data) say how many
//! sub-puzzles there are (byte 14) and how hard each is (byte 15: difficulty
//! `d`, threshold ⌊2^((255.999 − d)/8)⌋). Sub-puzzle `i` hashes 128 bytes: the
//! puzzle, zeros, `i` at byte 120 and a 4-byte little-endian counter at
//! 124..128 (byte 123 takes the counter past 2^32, as the widget's fallback
//! loop does), and is solved when the little-endian u32 of the digest's
//! first 4 bytes is below the threshold. The widget submits
//! `signature.base64(puzzle).base64(solutions).base64(diagnostics)`: each
//! solution is the last 8 of the 128 bytes, and the diagnostics are the
//! solver's type (1 JavaScript, 2 WebAssembly) and whole seconds taken, a
//! big-endian u16.
//!
//! Each sub-puzzle's answer is the lowest counter (the one the widget's own
//! upward loop finds), searched on every thread with [`lowest`].

use base64::Engine as _;
use blake2::{Blake2b256, Digest};
use serde::{Deserialize, Serialize};

use super::check_len;
use super::lowest::lowest;
use crate::error::{Error, Result};
use crate::mine::Control;
use crate::pool::Pool;

/// Bytes every sub-puzzle hashes.
pub const INPUT_BYTES: usize = 128;
/// Where the sub-puzzle's index goes.
const INDEX_OFFSET: usize = 120;
/// Where the counter's fifth byte goes, past 2^32 candidates.
const HIGH_OFFSET: usize = 123;
/// Where the little-endian u32 counter goes.
const COUNTER_OFFSET: usize = 124;
/// Puzzle byte giving the number of sub-puzzles.
const PUZZLES_OFFSET: usize = 14;
/// Puzzle byte giving the difficulty.
const DIFFICULTY_OFFSET: usize = 15;
/// The widget's solver type for WebAssembly, reported in the diagnostics.
const SOLVER_TYPE: u8 = 2;
/// Counters per sub-puzzle: 2^32 a value of byte 123.
const COUNTERS: u64 = 1 << 40;

/// A Friendly Captcha puzzle as the widget receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendlyChallenge {
    /// `signature.base64(puzzle bytes)`.
    pub puzzle: String,
}

/// A solved puzzle: the command line's `--json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FriendlyReport {
    /// `friendly`.
    pub kind: &'static str,
    /// The string the widget submits (its `frc-captcha-solution` field).
    pub solution: String,
    /// Each sub-puzzle's counter, in order.
    pub solutions: Vec<u64>,
    /// Sub-puzzles.
    pub puzzles: usize,
    /// The puzzle's difficulty byte.
    pub difficulty: u8,
    /// What a digest's first four bytes (little-endian) must be below.
    pub threshold: u32,
    /// Candidates hashed by all threads.
    pub attempts: u64,
    /// Candidates all sub-puzzles need on average.
    pub expected_attempts: f64,
    /// Wall-clock time of the search.
    pub elapsed_ms: f64,
    /// Candidates a second.
    pub attempts_per_sec: f64,
    /// Threads it ran on.
    pub threads: usize,
}

/// friendly-pow's threshold for a difficulty byte.
pub fn threshold(difficulty: u8) -> u32 {
    // Below 2^32 for every byte (2^31.999875 at 0), so the float converts
    // exactly as JavaScript's `>>> 0` does.
    2f64.powf((255.999 - f64::from(difficulty)) / 8.0) as u32
}

/// The 128 bytes of sub-puzzle `index` with `counter` in place.
pub fn input(puzzle: &[u8], index: u8, counter: u64, out: &mut [u8; INPUT_BYTES]) {
    out.fill(0);
    out[..puzzle.len()].copy_from_slice(puzzle);
    out[INDEX_OFFSET] = index;
    out[HIGH_OFFSET] = (counter >> 32) as u8;
    out[COUNTER_OFFSET..].copy_from_slice(&(counter as u32).to_le_bytes());
}

/// The little-endian u32 of the first four bytes of BLAKE2b-256(`input`).
pub fn score(input: &[u8; INPUT_BYTES]) -> u32 {
    let digest = Blake2b256::digest(input);
    u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]])
}

impl FriendlyChallenge {
    /// The puzzle from what a site's puzzle endpoint answers: the string
    /// itself, or JSON with it as `puzzle` or `data.puzzle`.
    pub fn from_text(text: &str) -> Result<FriendlyChallenge> {
        let text = text.trim();
        if !text.starts_with('{') {
            return Ok(FriendlyChallenge { puzzle: text.to_string() });
        }
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the Friendly Captcha puzzle is not JSON: {e}")))?;
        let puzzle = value.get("puzzle").or_else(|| value.get("data").and_then(|d| d.get("puzzle")));
        match puzzle.and_then(|p| p.as_str()) {
            Some(p) => Ok(FriendlyChallenge { puzzle: p.to_string() }),
            None => Err(Error::InvalidArgument(
                "the Friendly Captcha JSON has no puzzle string (puzzle or data.puzzle)".into(),
            )),
        }
    }

    /// The signature, the base64 text and the decoded bytes, checked.
    fn parts(&self) -> Result<(&str, &str, Vec<u8>)> {
        check_len("the Friendly Captcha puzzle", &self.puzzle)?;
        let mut parts = self.puzzle.trim().split('.');
        let (Some(signature), Some(text)) = (parts.next(), parts.next()) else {
            return Err(Error::InvalidArgument(
                "the Friendly Captcha puzzle must be signature.base64puzzle".into(),
            ));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| Error::InvalidArgument(format!("the Friendly Captcha puzzle is not base64: {e}")))?;
        if bytes.len() <= DIFFICULTY_OFFSET || bytes.len() > INDEX_OFFSET {
            return Err(Error::InvalidArgument(format!(
                "the Friendly Captcha puzzle is {} bytes: expected {} to {INDEX_OFFSET} (friendly-pow's are 32 to 64)",
                bytes.len(),
                DIFFICULTY_OFFSET + 1
            )));
        }
        if bytes[PUZZLES_OFFSET] == 0 {
            return Err(Error::InvalidArgument("the Friendly Captcha puzzle asks for 0 sub-puzzles".into()));
        }
        Ok((signature, text, bytes))
    }

    /// Candidates the puzzle needs on average, or its error.
    pub fn expected_attempts(&self) -> Result<f64> {
        let (_, _, bytes) = self.parts()?;
        let threshold = threshold(bytes[DIFFICULTY_OFFSET]).max(1);
        Ok(f64::from(bytes[PUZZLES_OFFSET]) * (1u64 << 32) as f64 / f64::from(threshold))
    }

    /// Solve every sub-puzzle in turn, each on all `threads`.
    ///
    /// # Errors
    ///
    /// A malformed puzzle ([`Error::is_usage`]), a cancel, or a sub-puzzle
    /// without an answer in 2^40 counters ([`Error::Exhausted`]).
    pub fn solve(&self, threads: Option<usize>, control: &Control) -> Result<FriendlyReport> {
        let (signature, text, bytes) = self.parts()?;
        let (n, difficulty) = (bytes[PUZZLES_OFFSET], bytes[DIFFICULTY_OFFSET]);
        let limit = threshold(difficulty);
        let pool = Pool::new(Pool::check(threads.unwrap_or_else(Pool::default_threads))?)?;
        let began = web_time::Instant::now();
        let mut solutions = Vec::with_capacity(usize::from(n));
        let mut solution_bytes = Vec::with_capacity(8 * usize::from(n));
        let mut attempts = 0;
        for index in 0..n {
            let found = lowest(
                0..COUNTERS,
                256,
                &pool,
                pool.threads(),
                control,
                || [0u8; INPUT_BYTES],
                |input_bytes, counter| {
                    input(&bytes, index, counter, input_bytes);
                    Ok((score(input_bytes) < limit).then_some(()))
                },
            )?;
            let mut solved = [0u8; INPUT_BYTES];
            input(&bytes, index, found.counter, &mut solved);
            solution_bytes.extend_from_slice(&solved[INDEX_OFFSET..]);
            solutions.push(found.counter);
            attempts += found.attempts;
        }
        let elapsed = began.elapsed().as_secs_f64();
        let seconds = (elapsed as u64).min(u64::from(u16::MAX)) as u16;
        let diagnostics = [SOLVER_TYPE, (seconds >> 8) as u8, seconds as u8];
        let b64 = base64::engine::general_purpose::STANDARD;
        Ok(FriendlyReport {
            kind: "friendly",
            solution: format!(
                "{signature}.{text}.{}.{}",
                b64.encode(&solution_bytes),
                b64.encode(diagnostics)
            ),
            solutions,
            puzzles: usize::from(n),
            difficulty,
            threshold: limit,
            attempts,
            expected_attempts: self.expected_attempts()?,
            elapsed_ms: elapsed * 1e3,
            attempts_per_sec: attempts as f64 / elapsed.max(1e-9),
            threads: pool.threads(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn puzzle(n: u8, difficulty: u8, len: usize) -> FriendlyChallenge {
        let mut bytes: Vec<u8> = (0..len as u8).map(|i| i.wrapping_mul(37)).collect();
        bytes[PUZZLES_OFFSET] = n;
        bytes[DIFFICULTY_OFFSET] = difficulty;
        FriendlyChallenge {
            puzzle: format!("sig.{}", base64::engine::general_purpose::STANDARD.encode(bytes)),
        }
    }

    #[test]
    fn thresholds_are_friendly_pows() {
        // Math.pow(2, (255.999 - d) / 8) >>> 0, from node.
        assert_eq!(threshold(0), 4294595181);
        assert_eq!(threshold(255), 1);
        assert_eq!(threshold(150), 9741);
        assert_eq!(threshold(200), 127);
    }

    #[test]
    fn every_sub_puzzle_gets_its_lowest_counter_and_the_widgets_string() {
        let challenge = puzzle(5, 130, 40);
        let report = challenge.solve(Some(3), &Control::new()).unwrap();
        let (_, text, bytes) = challenge.parts().unwrap();
        let parts: Vec<&str> = report.solution.split('.').collect();
        assert_eq!(parts[..2], ["sig", text]);
        let b64 = base64::engine::general_purpose::STANDARD;
        let solved = b64.decode(parts[2]).unwrap();
        assert_eq!(solved.len(), 5 * 8);
        assert_eq!(b64.decode(parts[3]).unwrap()[0], SOLVER_TYPE);
        for (index, &counter) in report.solutions.iter().enumerate() {
            // Independently: the blake2 crate over the bytes laid out by hand.
            let hash = |c: u32| {
                let mut block = [0u8; 128];
                block[..40].copy_from_slice(&bytes);
                block[120] = index as u8;
                block[124..].copy_from_slice(&c.to_le_bytes());
                let d = Blake2b256::digest(block);
                (u32::from_le_bytes(d[..4].try_into().unwrap()), block)
            };
            let lowest = (0u32..).find(|&c| hash(c).0 < report.threshold).unwrap();
            assert_eq!(counter, u64::from(lowest));
            assert_eq!(solved[index * 8..index * 8 + 8], hash(lowest).1[120..]);
        }
    }

    #[test]
    fn puzzles_read_as_text_or_json() {
        for text in ["s.QUJD\n", r#"{"puzzle":"s.QUJD"}"#, r#"{"success":true,"data":{"puzzle":"s.QUJD"}}"#] {
            assert_eq!(FriendlyChallenge::from_text(text).unwrap().puzzle, "s.QUJD", "{text}");
        }
        assert!(
            FriendlyChallenge::from_text(r#"{"data":{}}"#).unwrap_err().to_string().contains("no puzzle")
        );
    }

    #[test]
    fn bad_puzzles_are_one_line_errors() {
        let err = |p: &str| {
            FriendlyChallenge { puzzle: p.into() }.solve(Some(1), &Control::new()).unwrap_err().to_string()
        };
        assert!(err("nodot").contains("signature.base64puzzle"));
        assert!(err("s.!!!").contains("not base64"));
        assert!(err("s.AAAA").contains("is 3 bytes"));
        assert!(
            puzzle(0, 1, 32)
                .solve(Some(1), &Control::new())
                .unwrap_err()
                .to_string()
                .contains("0 sub-puzzles")
        );
        assert!(
            puzzle(1, 1, 121).solve(Some(1), &Control::new()).unwrap_err().to_string().contains("121 bytes")
        );
    }
}
