//! What each challenge kind costs a visitor (`parmine bench cost` and the
//! page's cost table): for every kind at its system's default difficulty,
//! the candidates a solve needs on average, the rate this host measures on
//! the kind's own search, and so the time a visitor waits.
//!
//! The rate is measured, not assumed: each kind runs the search its solver
//! runs (the mining strategies and kernels through [`SolveJob`], ALTCHA v2's
//! key derivations through its own `solve`, Friendly Captcha's BLAKE2b
//! through [`lowest`]) over a fixed number of candidates at a target no
//! candidate can meet, so every candidate is tried and the search ends
//! exhausted with its count. The default difficulty only sets the expected
//! attempts; what one candidate costs does not depend on the target.
//!
//! Bitcoin is not a row: its difficulty is the network's (about 10^23
//! hashes a block), paid by miners, not by a visitor's browser.

use std::ops::Range;
use std::sync::Arc;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::SolveJob;
use super::solve::Shape;
use crate::error::{Error, Result};
use crate::mine::Control;
use crate::pool::Pool;
use crate::puzzles::altcha_v2::{AltchaV2Challenge, SolveOptions};
use crate::puzzles::lowest::lowest;
use crate::puzzles::{
    AltchaChallenge, AnubisChallenge, CapChallenge, CapParams, CerberusChallenge, Challenge,
    FriendlyChallenge, GoAwayChallenge, McaptchaChallenge, altcha, cerberus, friendly, goaway,
};

/// Anubis's default rule: 4 leading zero hex digits.
pub const ANUBIS_DIFFICULTY: u32 = 4;
/// mCaptcha's default difficulty strategy's lowest level
/// (`avg_traffic_difficulty` in its `config/default.toml`).
pub const MCAPTCHA_FACTOR: u32 = 50_000;
/// `@cap.js/server` 4.x's `createChallenge` defaults.
pub const CAP_PARAMS: CapParams = CapParams { c: 50, s: 32, d: 4 };
/// Friendly Captcha v1's puzzle in its self-hosting guide (friendly-challenge
/// `docs/self_hosting.md`): 15 sub-puzzles at difficulty byte 150.
pub const FRIENDLY_PUZZLES: u8 = 15;
/// The difficulty byte of that puzzle.
pub const FRIENDLY_DIFFICULTY: u8 = 150;
/// altcha-lib 2.x's `keyPrefix` when none is given (random mode).
pub const ALTCHA_V2_KEY_PREFIX: &str = "00";

/// A row of the table: a kind as its system deploys it by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anubis, SHA-256.
    Anubis,
    /// ALTCHA v1, SHA-256 of salt ‖ number.
    Altcha,
    /// mCaptcha, SHA-256.
    Mcaptcha,
    /// Cap's token of 50 sub-puzzles.
    Cap,
    /// go-away's `js-pow-sha256`.
    GoAway,
    /// Cerberus, BLAKE3.
    Cerberus,
    /// ALTCHA v2 with altcha-lib's default algorithm.
    AltchaV2Pbkdf2,
    /// ALTCHA v2, scrypt (memory-hard).
    AltchaV2Scrypt,
    /// ALTCHA v2, Argon2id (memory-hard).
    AltchaV2Argon2id,
    /// Friendly Captcha v1, BLAKE2b-256.
    Friendly,
}

/// How a kind's candidates are searched.
enum Search {
    /// A [`Challenge`] through [`SolveJob`]: the mining strategies and
    /// kernels. `hard` is the same kind at a target no candidate meets.
    Mined { default: Box<Challenge>, hard: Box<Challenge> },
    /// An ALTCHA v2 challenge: one key derivation a candidate.
    Derived { algorithm: &'static str, cost: u64, memory_cost: Option<u64> },
    /// Friendly Captcha's BLAKE2b-256 sub-puzzles.
    Blake2b,
}

impl Kind {
    /// Every row, in the table's order: one hash a candidate, then the key
    /// derivations, cheapest first.
    pub const ALL: [Kind; 10] = [
        Kind::Anubis,
        Kind::Altcha,
        Kind::Mcaptcha,
        Kind::Cap,
        Kind::GoAway,
        Kind::Cerberus,
        Kind::Friendly,
        Kind::AltchaV2Pbkdf2,
        Kind::AltchaV2Scrypt,
        Kind::AltchaV2Argon2id,
    ];

    /// The row's name in JSON (a `parmine solve` kind, with the algorithm
    /// for ALTCHA v2).
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Anubis => "anubis",
            Kind::Altcha => "altcha",
            Kind::Mcaptcha => "mcaptcha",
            Kind::Cap => "cap",
            Kind::GoAway => "go-away",
            Kind::Cerberus => "cerberus",
            Kind::AltchaV2Pbkdf2 => "altcha-v2-pbkdf2",
            Kind::AltchaV2Scrypt => "altcha-v2-scrypt",
            Kind::AltchaV2Argon2id => "altcha-v2-argon2id",
            Kind::Friendly => "friendly",
        }
    }

    /// The system and what a candidate is, in words.
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Anubis => "Anubis (SHA-256)",
            Kind::Altcha => "ALTCHA v1 (SHA-256)",
            Kind::Mcaptcha => "mCaptcha (SHA-256)",
            Kind::Cap => "Cap (SHA-256)",
            Kind::GoAway => "go-away js-pow-sha256",
            Kind::Cerberus => "Cerberus (BLAKE3)",
            Kind::AltchaV2Pbkdf2 => "ALTCHA v2 PBKDF2/SHA-256",
            Kind::AltchaV2Scrypt => "ALTCHA v2 scrypt",
            Kind::AltchaV2Argon2id => "ALTCHA v2 Argon2id",
            Kind::Friendly => "Friendly Captcha v1 (BLAKE2b-256)",
        }
    }

    /// The default difficulty, as the system states it.
    pub fn difficulty(self) -> String {
        match self {
            Kind::Anubis => format!("difficulty {ANUBIS_DIFFICULTY} (zero hex digits)"),
            Kind::Altcha => format!("maxnumber {}", altcha::DEFAULT_MAX_NUMBER),
            Kind::Mcaptcha => format!("difficulty factor {MCAPTCHA_FACTOR}"),
            Kind::Cap => format!("{} sub-puzzles of {} target digits", CAP_PARAMS.c, CAP_PARAMS.d),
            Kind::GoAway => format!("difficulty {} (zero bits)", goaway::DEFAULT_DIFFICULTY),
            Kind::Cerberus => format!(
                "difficulty {} ({} zero bits)",
                cerberus::DEFAULT_DIFFICULTY,
                CerberusChallenge::zero_bits(cerberus::DEFAULT_DIFFICULTY)
            ),
            Kind::AltchaV2Pbkdf2 => format!("cost 5000, keyPrefix {ALTCHA_V2_KEY_PREFIX}"),
            Kind::AltchaV2Scrypt => format!("N 16384, r 8 (16 MiB), keyPrefix {ALTCHA_V2_KEY_PREFIX}"),
            Kind::AltchaV2Argon2id => format!("t 3, m 64 MiB, keyPrefix {ALTCHA_V2_KEY_PREFIX}"),
            Kind::Friendly => format!("{FRIENDLY_PUZZLES} sub-puzzles at difficulty {FRIENDLY_DIFFICULTY}"),
        }
    }

    /// Candidates measured on each thread at `work` 1 (in two timings of
    /// half each): about a tenth of a second in a browser for the hashing
    /// kinds, a few derivations for the memory-hard ones (a derivation of
    /// Argon2id's 64 MiB is about a quarter of a second there).
    const fn per_thread(self) -> u64 {
        match self {
            Kind::Friendly => 1 << 17,
            Kind::AltchaV2Pbkdf2 => 32,
            Kind::AltchaV2Scrypt => 2,
            Kind::AltchaV2Argon2id => 2,
            _ => 1 << 19,
        }
    }

    fn search(self) -> Search {
        // A fixed token, challenge and salt: the cost of a candidate does
        // not depend on them, and a fixed one keeps runs comparable.
        const HEX: &str = "37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f2893";
        let mined = |default: Challenge, hard: Challenge| Search::Mined {
            default: Box::new(default),
            hard: Box::new(hard),
        };
        match self {
            Kind::Anubis => {
                let anubis =
                    |difficulty| Challenge::Anubis(AnubisChallenge { challenge: HEX.into(), difficulty });
                mined(anubis(ANUBIS_DIFFICULTY), anubis(32))
            }
            Kind::Altcha => {
                // altcha-lib v1's default 12-byte salt; the hard one's
                // challenge is no number's digest, and its numbers reach past
                // any measured range.
                let altcha = |challenge: &str, maxnumber| {
                    Challenge::Altcha(AltchaChallenge {
                        algorithm: "SHA-256".into(),
                        challenge: challenge.into(),
                        maxnumber,
                        salt: HEX[..24].into(),
                        signature: String::new(),
                    })
                };
                mined(altcha(HEX, altcha::DEFAULT_MAX_NUMBER), altcha(HEX, u64::from(u32::MAX)))
            }
            Kind::Mcaptcha => {
                let mcaptcha = |difficulty_factor| {
                    Challenge::Mcaptcha(McaptchaChallenge {
                        salt: HEX.into(),
                        phrase: HEX[..32].into(),
                        difficulty_factor,
                    })
                };
                mined(mcaptcha(MCAPTCHA_FACTOR), mcaptcha(u32::MAX))
            }
            Kind::Cap => {
                let cap = |challenge| {
                    Challenge::Cap(CapChallenge { challenge, token: HEX[..50].into(), expires: None })
                };
                // The hard token's sub-puzzle count is set when measuring.
                mined(cap(CAP_PARAMS), cap(CapParams { d: 64, ..CAP_PARAMS }))
            }
            Kind::GoAway => {
                let goaway = |difficulty| {
                    Challenge::GoAway(GoAwayChallenge { challenge: HEX.into(), target: None, difficulty })
                };
                mined(goaway(goaway::DEFAULT_DIFFICULTY), goaway(128))
            }
            Kind::Cerberus => {
                let cerberus = |difficulty| {
                    Challenge::Cerberus(CerberusChallenge {
                        challenge: HEX.into(),
                        difficulty,
                        nonce: 1,
                        ts: 1_760_000_000,
                        signature: HEX[..16].into(),
                        version: None,
                    })
                };
                mined(cerberus(cerberus::DEFAULT_DIFFICULTY), cerberus(cerberus::MAX_DIFFICULTY))
            }
            // altcha-lib 2.x's command line (`bin/cli.mjs`) defaults:
            // 5,000 for PBKDF2, N = 16384 and r = 8 for scrypt, t = 3 and
            // 64 MiB for Argon2id.
            Kind::AltchaV2Pbkdf2 => {
                Search::Derived { algorithm: "PBKDF2/SHA-256", cost: 5000, memory_cost: None }
            }
            Kind::AltchaV2Scrypt => {
                Search::Derived { algorithm: "SCRYPT", cost: 16384, memory_cost: Some(8) }
            }
            Kind::AltchaV2Argon2id => {
                Search::Derived { algorithm: "ARGON2ID", cost: 3, memory_cost: Some(65536) }
            }
            Kind::Friendly => Search::Blake2b,
        }
    }
}

/// Options of the cost table (the page's `benchCost`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostJob {
    /// Thread counts to measure each kind on [default: 1 and all].
    pub threads: Vec<usize>,
    /// How much to measure: a multiple of each kind's candidates a thread
    /// (at least one each) [default: 1, a few seconds in a browser].
    pub work: f64,
}

impl Default for CostJob {
    fn default() -> CostJob {
        CostJob { threads: Vec::new(), work: 1.0 }
    }
}

/// A kind measured on a number of threads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRow {
    /// The kind ([`Kind::name`]).
    pub kind: &'static str,
    /// The system and its hash, in words.
    pub label: &'static str,
    /// The system's default difficulty, in its own terms.
    pub difficulty: String,
    /// Candidates a solve at that difficulty needs on average.
    pub expected_attempts: f64,
    /// Threads the candidates were measured on (fewer than asked where a
    /// memory-hard derivation's memory a thread does not fit more).
    pub threads: usize,
    /// Candidates measured.
    pub attempts: u64,
    /// Their wall-clock time.
    pub elapsed_ms: f64,
    /// Candidates a second on `threads`.
    pub attempts_per_sec: f64,
    /// A solve's expected time at that rate.
    pub expected_ms: f64,
    /// Bytes one candidate holds (the memory-hard derivations'; 0 for one
    /// hash).
    pub memory_per_thread: u64,
}

impl CostJob {
    /// The thread counts: those given, each once, or 1 and all.
    pub fn thread_counts(&self) -> Vec<usize> {
        let given =
            if self.threads.is_empty() { vec![1, Pool::default_threads()] } else { self.threads.clone() };
        let mut counts = Vec::new();
        for t in given {
            if !counts.contains(&t) {
                counts.push(t);
            }
        }
        counts
    }

    /// Every argument checked before anything is measured.
    pub fn validate(&self) -> Result<()> {
        for t in self.thread_counts() {
            Pool::check(t)?;
        }
        if !(self.work > 0.0 && self.work <= 10.0) {
            return Err(Error::InvalidArgument(format!(
                "work must be above 0 and at most 10 (a multiple of each kind's measured candidates), not {}",
                self.work
            )));
        }
        Ok(())
    }

    /// Candidates `kind` measures on each thread, in each of its two
    /// timings.
    fn per_thread(&self, kind: Kind) -> u64 {
        ((kind.per_thread() as f64 * self.work / 2.0).round() as u64).max(1)
    }

    /// Measure every kind at every thread count; `row(kind, threads)` is
    /// called before each. A cancel through `control` ends with the rows
    /// measured so far and the error.
    pub fn run(
        &self,
        control: &Arc<Control>,
        mut row: impl FnMut(Kind, usize),
    ) -> (Vec<CostRow>, Option<Error>) {
        let mut rows = Vec::new();
        for threads in self.thread_counts() {
            for kind in Kind::ALL {
                row(kind, threads);
                match self.measure(kind, threads, control) {
                    Ok(r) => rows.push(r),
                    Err(err) => return (rows, Some(err)),
                }
            }
        }
        (rows, None)
    }

    /// One row: `kind`'s expected attempts, and its rate on `threads`.
    ///
    /// The candidates are timed in two halves and the faster half kept: the
    /// first run of a kind's code in a fresh browser worker runs before the
    /// engine has optimized it, and would understate the rate.
    pub fn measure(&self, kind: Kind, threads: usize, control: &Arc<Control>) -> Result<CostRow> {
        let first = self.measure_once(kind, threads, control)?;
        let second = self.measure_once(kind, threads, control)?;
        Ok(if second.attempts_per_sec > first.attempts_per_sec { second } else { first })
    }

    /// One timing of `kind` on `threads`.
    fn measure_once(&self, kind: Kind, threads: usize, control: &Arc<Control>) -> Result<CostRow> {
        let per_thread = self.per_thread(kind);
        // Candidates are counted as every search records them on the
        // control: Cap's across shape ends with the first sub-puzzle's
        // error, whose count is that sub-puzzle's alone.
        let before = control.attempts();
        let (expected_attempts, threads, memory_per_thread, began, attempts) = match kind.search() {
            Search::Mined { default, hard } => {
                let expected = SolveJob::new(*default).expected_attempts()?;
                // Cap's token goes across its sub-puzzles on several threads
                // (the shape its default token gets): one hard sub-puzzle a
                // thread then, each over the thread's share.
                let shape =
                    Shape::default_for(CAP_PARAMS.c as usize, threads, 16f64.powi(CAP_PARAMS.d as i32));
                let across = matches!(*hard, Challenge::Cap(_)) && threads > 1 && shape == Shape::Across;
                // Within: one sub-puzzle, all the threads' candidates in it.
                // (A count past u32 is refused by Cap's own check of `c`.)
                let (c, each) = if across {
                    (u32::try_from(threads).unwrap_or(u32::MAX), per_thread)
                } else {
                    (1, per_thread * threads as u64)
                };
                let challenge = match *hard {
                    Challenge::Cap(cap) => {
                        Challenge::Cap(CapChallenge { challenge: CapParams { c, ..cap.challenge }, ..cap })
                    }
                    hard => hard,
                };
                let first = challenge.prepare()?[0].nonces.start;
                let job = SolveJob {
                    threads: Some(threads),
                    start: Some(first),
                    end: Some(first + each),
                    shape: Some(if across { Shape::Across } else { Shape::Within }),
                    ..SolveJob::new(challenge)
                };
                let began = web_time::Instant::now();
                let attempts = exhausted(job.run(Some(Arc::clone(control))).map(|r| r.attempts))?;
                (expected, threads, 0, began, attempts)
            }
            Search::Derived { algorithm, cost, memory_cost } => {
                let challenge = |key_prefix: &str| {
                    let parameters = serde_json::json!({
                        "algorithm": algorithm, "cost": cost, "keyLength": 32, "keyPrefix": key_prefix,
                        "nonce": "000102030405060708090a0b0c0d0e0f", "salt": "0f0e0d0c0b0a09080706050403020100",
                        "memoryCost": memory_cost,
                    });
                    AltchaV2Challenge::from_json(&serde_json::json!({ "parameters": parameters }).to_string())
                };
                // A prefix as long as the key: no counter's key has it.
                let hard = challenge(&"f".repeat(64))?;
                let kdf = hard.kdf()?;
                // The pool has every thread asked for (a browser's cannot
                // shrink); the search runs on as many as fit the memory.
                let asked = threads;
                let threads = AltchaV2Challenge::plan_threads(&kdf, asked);
                let options = SolveOptions {
                    threads: Some(asked),
                    start: Some(0),
                    end: Some(per_thread * threads as u64),
                    ..SolveOptions::default()
                };
                let began = web_time::Instant::now();
                let attempts = exhausted(hard.solve(&options, control).map(|r| r.attempts))?;
                // The default challenge is checked too (it must be one the
                // solver takes); random mode: one key in 16^digits matches.
                challenge(ALTCHA_V2_KEY_PREFIX)?.kdf()?;
                (16f64.powi(ALTCHA_V2_KEY_PREFIX.len() as i32), threads, kdf.memory(), began, attempts)
            }
            Search::Blake2b => {
                let puzzle = friendly_puzzle(FRIENDLY_PUZZLES, FRIENDLY_DIFFICULTY);
                let expected = FriendlyChallenge { puzzle: format!("sig.{}", base64_of(&puzzle)) }
                    .expected_attempts()?;
                // Difficulty 255's threshold is 1: one digest in 2^32 passes.
                let limit = friendly::threshold(u8::MAX);
                let pool = Pool::new(Pool::check(threads)?)?;
                let range: Range<u64> = 0..per_thread * threads as u64;
                let began = web_time::Instant::now();
                // The widget's search as `FriendlyChallenge::solve` runs it:
                // 256 counters a batch, on every thread.
                let found = lowest(
                    range,
                    256,
                    &pool,
                    pool.threads(),
                    control,
                    || [0u8; friendly::INPUT_BYTES],
                    |input, counter| {
                        friendly::input(&puzzle, 0, counter, input);
                        Ok((friendly::score(input) < limit).then_some(()))
                    },
                );
                (expected, threads, 0, began, exhausted(found.map(|f| f.attempts))?)
            }
        };
        let elapsed = began.elapsed().as_secs_f64().max(1e-9);
        let attempts = attempts.max(control.attempts() - before);
        let attempts_per_sec = attempts as f64 / elapsed;
        Ok(CostRow {
            kind: kind.name(),
            label: kind.label(),
            difficulty: kind.difficulty(),
            expected_attempts,
            threads,
            attempts,
            elapsed_ms: elapsed * 1e3,
            attempts_per_sec,
            expected_ms: expected_attempts / attempts_per_sec.max(f64::MIN_POSITIVE) * 1e3,
            memory_per_thread,
        })
    }
}

/// The candidates a measuring search tried: all of its range when, as
/// meant, nothing in it passed; those up to the answer if something did.
fn exhausted(result: Result<u64>) -> Result<u64> {
    match result {
        Ok(attempts) | Err(Error::Exhausted { attempts, .. }) => Ok(attempts),
        Err(err) => Err(err),
    }
}

/// A Friendly Captcha puzzle's 32 bytes with `n` sub-puzzles at `difficulty`.
fn friendly_puzzle(n: u8, difficulty: u8) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(73).wrapping_add(11)).collect();
    bytes[12] = 1; // the puzzle version
    bytes[14] = n;
    bytes[15] = difficulty;
    bytes
}

fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job measuring one candidate a thread (the least work there is).
    fn tiny(threads: Vec<usize>) -> CostJob {
        CostJob { threads, work: 1e-9 }
    }

    #[test]
    fn every_kind_gets_a_row_at_every_thread_count_with_a_positive_rate() {
        let job = tiny(vec![1, 2]);
        job.validate().unwrap();
        let mut seen = Vec::new();
        let (rows, err) = job.run(&Arc::new(Control::new()), |kind, threads| seen.push((kind, threads)));
        assert!(err.is_none(), "{err:?}");
        assert_eq!(rows.len(), 2 * Kind::ALL.len());
        assert_eq!(seen.len(), rows.len());
        for (r, (kind, threads)) in rows.iter().zip(&seen) {
            assert_eq!(r.kind, kind.name());
            // Every thread measured its one candidate (Argon2id's 64 MiB
            // fits 2 threads in the job's memory).
            assert_eq!(r.threads, *threads, "{}", r.kind);
            if r.kind == "cap" {
                // Across: a sub-puzzle not started when another's range ran
                // out may be skipped.
                assert!((1..=*threads as u64).contains(&r.attempts), "{r:?}");
            } else {
                assert_eq!(r.attempts, *threads as u64, "{}", r.kind);
            }
            assert!(r.attempts_per_sec.is_finite() && r.attempts_per_sec > 0.0, "{r:?}");
            assert!(r.expected_ms.is_finite() && r.expected_ms > 0.0, "{r:?}");
            assert!(
                (r.expected_ms / 1e3 * r.attempts_per_sec - r.expected_attempts).abs()
                    < 1e-6 * r.expected_attempts
            );
        }
        let names: Vec<&str> = rows[..Kind::ALL.len()].iter().map(|r| r.kind).collect();
        assert_eq!(names, Kind::ALL.map(Kind::name));
    }

    #[test]
    fn expected_attempts_follow_each_kinds_rule_at_its_default() {
        let job = tiny(vec![1]);
        let control = Arc::new(Control::new());
        let expected = |kind| job.measure(kind, 1, &control).unwrap().expected_attempts;
        let close = |got: f64, want: f64| (got - want).abs() <= 1e-9 * want;
        // 4 zero hex digits; 20 zero bits; Cerberus's 4: 2 zero hex digits.
        assert_eq!(expected(Kind::Anubis), 65536.0);
        assert_eq!(expected(Kind::GoAway), 1_048_576.0);
        assert_eq!(expected(Kind::Cerberus), 256.0);
        // 50 sub-puzzles, each a 4-digit hex prefix.
        assert_eq!(expected(Kind::Cap), 50.0 * 65536.0);
        // One number of 0..=1,000,000 hashes to the challenge: half of them.
        assert_eq!(expected(Kind::Altcha), 1_000_001.0 / 2.0);
        // A score past u128::MAX - u128::MAX / F: one digest in F.
        assert!(close(expected(Kind::Mcaptcha), 50_000.0), "{}", expected(Kind::Mcaptcha));
        // friendly-pow: 2^((255.999 - 150) / 8) truncated is 9741; 15 of them.
        assert!(close(expected(Kind::Friendly), 15.0 * 2f64.powi(32) / 9741.0));
        // keyPrefix "00": one key in 256.
        for kind in [Kind::AltchaV2Pbkdf2, Kind::AltchaV2Scrypt, Kind::AltchaV2Argon2id] {
            assert_eq!(expected(kind), 256.0);
        }
    }

    #[test]
    fn memory_hard_rows_say_their_memory_and_the_measured_count_scales_with_work() {
        let control = Arc::new(Control::new());
        let row = |kind, work| CostJob { threads: vec![1], work }.measure(kind, 1, &control).unwrap();
        assert_eq!(row(Kind::AltchaV2Scrypt, 1e-9).memory_per_thread, 128 * 8 * (16384 + 1));
        assert_eq!(row(Kind::AltchaV2Argon2id, 1e-9).memory_per_thread, 64 << 20);
        assert_eq!(row(Kind::Anubis, 1e-9).memory_per_thread, 0);
        // Each of the two timings measures half.
        assert_eq!(row(Kind::Anubis, 0.01).attempts, ((1u64 << 19) as f64 * 0.01 / 2.0).round() as u64);
        assert_eq!(row(Kind::AltchaV2Pbkdf2, 0.25).attempts, 4);
    }

    #[test]
    fn a_cancel_stops_the_table_with_the_rows_before_it() {
        let control = Arc::new(Control::new());
        let job = tiny(vec![1]);
        let (rows, err) = job.run(&control, |kind, _| {
            if kind == Kind::Mcaptcha {
                control.cancel();
            }
        });
        assert!(matches!(err, Some(Error::Cancelled { .. })), "{err:?}");
        assert_eq!(rows.iter().map(|r| r.kind).collect::<Vec<_>>(), ["anubis", "altcha"]);
    }

    #[test]
    fn bad_options_are_refused_before_anything_runs() {
        for work in [0.0, -1.0, f64::NAN, f64::INFINITY, 11.0] {
            let err = CostJob { threads: vec![1], work }.validate().unwrap_err().to_string();
            assert!(err.contains("work must be above 0 and at most 10"), "{err}");
        }
        assert!(tiny(vec![0]).validate().is_err());
        assert!(tiny(vec![usize::MAX]).validate().is_err());
        assert_eq!(tiny(vec![2, 1, 2]).thread_counts(), [2, 1]);
        let job: CostJob = serde_json::from_str(r#"{"threads": [1]}"#).unwrap();
        assert_eq!(job, CostJob { threads: vec![1], work: 1.0 });
        assert!(serde_json::from_str::<CostJob>(r#"{"thread": [1]}"#).is_err());
    }
}
