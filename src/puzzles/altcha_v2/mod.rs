//! ALTCHA v2 (altcha-lib 2.x's default challenges, solved by the ALTCHA
//! widget 3.x): a key-derivation proof-of-work.
//!
//! `createChallenge` returns `{parameters: {algorithm, cost, keyLength,
//! keyPrefix, nonce, salt, memoryCost?, parallelism?, expiresAt?, data?,
//! keySignature?}, signature}`. Each candidate counter becomes a password,
//! the nonce's bytes followed by the counter (a big-endian u32, or its
//! decimal digits in the `string` counter mode, which the server chooses and
//! does not write in the challenge), and the solver looks for a counter whose
//! derived key ([`derive`]) starts with `keyPrefix` ([`prefix`]). In
//! deterministic mode the server derived the key of a counter it picked and
//! made half of it the prefix, so the lowest matching counter ([`search`]) is
//! that one. The widget submits base64 of the JSON `{challenge, solution:
//! {counter, derivedKey, time}}`, which `verifySolution` checks by deriving
//! the key again (or against `keySignature`).

pub mod derive;
pub mod prefix;
pub mod search;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use self::derive::{Kdf, KdfSpec};
use self::prefix::KeyPrefix;
use self::search::Search;
use super::{bytes_from_hex, check_len};
use crate::error::{Error, Result};
use crate::hash::{Hasher as _, Kernel, Sha256};
use crate::limits::MAX_MEMORY;
use crate::mine::Control;
use crate::mine::search::check_kernel;
use crate::pool::Pool;

/// How a counter is written after the nonce in the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CounterMode {
    /// Four bytes, big-endian (altcha-lib's default).
    #[default]
    Uint32,
    /// Its decimal digits in ASCII.
    String,
}

impl CounterMode {
    /// The name altcha-lib's `counterMode` option takes.
    pub const fn name(self) -> &'static str {
        match self {
            CounterMode::Uint32 => "uint32",
            CounterMode::String => "string",
        }
    }

    /// The largest counter the mode encodes exactly (as altcha-lib checks:
    /// a u32, or a JavaScript safe integer).
    pub const fn max_counter(self) -> u64 {
        match self {
            CounterMode::Uint32 => u32::MAX as u64,
            CounterMode::String => (1 << 53) - 1,
        }
    }

    /// `password` := nonce ‖ counter.
    pub fn password(self, nonce: &[u8], counter: u64, password: &mut Vec<u8>) {
        password.clear();
        password.extend_from_slice(nonce);
        match self {
            CounterMode::Uint32 => password.extend_from_slice(&(counter as u32).to_be_bytes()),
            CounterMode::String => password.extend_from_slice(itoa::Buffer::new().format(counter).as_bytes()),
        }
    }
}

impl fmt::Display for CounterMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CounterMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "uint32" => Ok(CounterMode::Uint32),
            "string" => Ok(CounterMode::String),
            _ => {
                Err(Error::UnknownName { kind: "counter mode", given: s.into(), expected: "uint32, string" })
            }
        }
    }
}

impl Serialize for CounterMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The `parameters` fields the solver reads; the others travel back in the
/// payload untouched.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parameters {
    algorithm: String,
    cost: u64,
    #[serde(default = "default_key_length")]
    key_length: u64,
    key_prefix: String,
    nonce: String,
    salt: String,
    #[serde(default)]
    memory_cost: Option<u64>,
    #[serde(default)]
    parallelism: Option<u64>,
}

/// altcha-lib's default `keyLength`.
fn default_key_length() -> u64 {
    32
}

/// A v2 challenge as the server sent it.
#[derive(Debug, Clone)]
pub struct AltchaV2Challenge {
    /// The object itself, sent back unchanged in the payload (the server
    /// checks its signature over the parameters).
    original: serde_json::Value,
    parameters: Parameters,
}

/// Whether `text` is a v2 challenge's JSON (an object with `parameters`),
/// rather than a v1 one.
pub fn is_v2_json(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("parameters").is_some())
}

/// How to search.
#[derive(Debug, Clone, Copy, Default)]
pub struct SolveOptions {
    /// Threads [default: all, fewer when the memory-hard kinds' memory per
    /// thread would pass the job limit].
    pub threads: Option<usize>,
    /// First counter [default: 0].
    pub start: Option<u64>,
    /// One past the last counter [default: the mode's largest + 1].
    pub end: Option<u64>,
    /// The counter mode the server uses.
    pub counter_mode: CounterMode,
    /// The SHA-256 kernel for iterated SHA-256 and PBKDF2/SHA-256 [default:
    /// the fastest here]; the other derivations take only `crate`.
    pub kernel: Option<Kernel>,
}

/// The widget's `solution`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Solution {
    /// The counter found.
    pub counter: u64,
    /// The derived key, lowercase hex.
    pub derived_key: String,
    /// Milliseconds, to a tenth, as the widget reports them.
    pub time: f64,
}

/// A solved v2 challenge: the command line's `--json` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AltchaV2Report {
    /// `altcha`.
    pub kind: &'static str,
    /// 2.
    pub version: u32,
    /// The derivation, as altcha-lib names it.
    pub algorithm: String,
    /// How the counter followed the nonce.
    pub counter_mode: CounterMode,
    /// The base64 payload the widget submits.
    pub payload: String,
    /// The solution inside it.
    pub solution: Solution,
    /// Keys derived by all threads.
    pub attempts: u64,
    /// Wall-clock time of the search.
    pub elapsed_ms: f64,
    /// Keys derived a second.
    pub attempts_per_sec: f64,
    /// The first counter searched.
    pub start: u64,
    /// One past the last.
    pub end: u64,
    /// Threads it ran on.
    pub threads: usize,
    /// The kernel the keys were derived on (`crate`: the derivation's crate).
    pub kernel: Kernel,
    /// Bytes one derivation holds (the memory-hard kinds' working memory).
    pub memory_per_thread: u64,
}

impl AltchaV2Challenge {
    /// A challenge from the JSON `createChallenge` returns, with errors that
    /// say what is wrong.
    pub fn from_json(text: &str) -> Result<AltchaV2Challenge> {
        let original: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("the ALTCHA challenge is not JSON: {e}")))?;
        let parameters = original
            .get("parameters")
            .ok_or_else(|| Error::InvalidArgument("the ALTCHA v2 challenge has no parameters".into()))?;
        let parameters = Parameters::deserialize(parameters)
            .map_err(|e| Error::InvalidArgument(format!("the ALTCHA v2 parameters are malformed: {e}")))?;
        Ok(AltchaV2Challenge { original, parameters })
    }

    /// The derivation the challenge asks for, checked.
    pub fn kdf(&self) -> Result<Kdf> {
        let p = &self.parameters;
        Kdf::new(&KdfSpec {
            algorithm: &p.algorithm,
            cost: p.cost,
            memory_cost: p.memory_cost,
            parallelism: p.parallelism,
            key_length: p.key_length,
        })
    }

    /// Threads to use out of `asked`: as many as fit the job's memory limit
    /// with one derivation's memory each.
    pub fn plan_threads(kdf: &Kdf, asked: usize) -> usize {
        let fit = (MAX_MEMORY / kdf.memory().max(1)).max(1);
        asked.min(usize::try_from(fit).unwrap_or(usize::MAX))
    }

    /// The kernel to derive with: `asked`, or SHA-256's fastest here, for
    /// the derivations with lanes; only the crate for the others.
    fn kernel(&self, kdf: &Kdf, asked: Option<Kernel>) -> Result<Kernel> {
        match asked {
            Some(kernel) if kdf.has_lanes() => check_kernel::<Sha256>(kernel).map(|()| kernel),
            None if kdf.has_lanes() => Ok(Sha256::kernels()[0]),
            None | Some(Kernel::Crate) => Ok(Kernel::Crate),
            Some(kernel) => Err(Error::InvalidArgument(format!(
                "{} derives through its crate only: the {kernel} kernel is for SHA-256 and PBKDF2/SHA-256",
                self.parameters.algorithm
            ))),
        }
    }

    /// Find the lowest counter whose key matches, on a pool of threads.
    ///
    /// # Errors
    ///
    /// A malformed challenge or options ([`Error::is_usage`]), a cancel, or
    /// no counter matching in the range ([`Error::Exhausted`]).
    pub fn solve(&self, options: &SolveOptions, control: &Control) -> Result<AltchaV2Report> {
        let p = &self.parameters;
        let kdf = self.kdf()?;
        let key_len = kdf.key_len(p.key_length);
        let prefix = KeyPrefix::parse(&p.key_prefix, key_len)?;
        check_len("the ALTCHA nonce", &p.nonce)?;
        check_len("the ALTCHA salt", &p.salt)?;
        let nonce = bytes_from_hex("the ALTCHA nonce", &p.nonce)?;
        let salt = bytes_from_hex("the ALTCHA salt", &p.salt)?;
        let mode = options.counter_mode;
        let range = counters(options, mode)?;
        // The pool has every thread asked for (a browser's pool cannot
        // shrink); the search runs on as many as fit the memory.
        let pool = Pool::new(Pool::check(options.threads.unwrap_or_else(Pool::default_threads))?)?;
        let threads = Self::plan_threads(&kdf, pool.threads());
        let kernel = self.kernel(&kdf, options.kernel)?;
        let search = Search { kdf: &kdf, nonce: &nonce, salt: &salt, mode, prefix: &prefix, key_len, kernel };
        let began = web_time::Instant::now();
        let found = search.lowest(range.clone(), &pool, threads, control)?;
        let elapsed = began.elapsed().as_secs_f64();
        let solution = Solution {
            counter: found.counter,
            derived_key: found.key.iter().map(|b| format!("{b:02x}")).collect(),
            time: (elapsed * 1e4).floor() / 10.0,
        };
        let payload = serde_json::json!({ "challenge": self.original, "solution": solution });
        Ok(AltchaV2Report {
            kind: "altcha",
            version: 2,
            algorithm: p.algorithm.clone(),
            counter_mode: mode,
            payload: base64::engine::general_purpose::STANDARD.encode(payload.to_string()),
            solution,
            attempts: found.attempts,
            elapsed_ms: elapsed * 1e3,
            attempts_per_sec: found.attempts as f64 / elapsed.max(1e-9),
            start: range.start,
            end: range.end,
            threads,
            kernel,
            memory_per_thread: kdf.memory(),
        })
    }
}

/// The counters to search: the given bounds or the mode's whole range.
fn counters(options: &SolveOptions, mode: CounterMode) -> Result<Range<u64>> {
    let limit = mode.max_counter() + 1;
    let start = options.start.unwrap_or(0);
    let end = options.end.unwrap_or(limit);
    if end > limit {
        return Err(Error::InvalidArgument(format!(
            "counter range {start}..{end} is past the {mode} counter mode's 0..{limit}"
        )));
    }
    if start >= end {
        return Err(Error::EmptyRange { start, end });
    }
    Ok(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = r#"{"parameters":{"algorithm":"PBKDF2/SHA-256","cost":10,"keyLength":32,
        "keyPrefix":"0","nonce":"000102030405060708090a0b0c0d0e0f","salt":"0f0e0d0c0b0a09080706050403020100",
        "data":{"z":1,"a":[2]},"expiresAt":1900000000},"signature":"abc"}"#;

    #[test]
    fn passwords_are_the_nonce_then_the_counter() {
        let mut password = Vec::new();
        CounterMode::Uint32.password(b"nn", 0x0102_0304, &mut password);
        assert_eq!(password, b"nn\x01\x02\x03\x04");
        CounterMode::String.password(b"nn", 9071, &mut password);
        assert_eq!(password, b"nn9071");
        assert_eq!("string".parse::<CounterMode>().unwrap(), CounterMode::String);
        assert!("u32".parse::<CounterMode>().is_err());
    }

    #[test]
    fn a_solution_is_the_lowest_match_and_the_payload_carries_the_challenge_unchanged() {
        let challenge = AltchaV2Challenge::from_json(CHALLENGE).unwrap();
        let options = SolveOptions { threads: Some(2), ..SolveOptions::default() };
        let report = challenge.solve(&options, &Control::new()).unwrap();
        // Independently: PBKDF2 from the plain crate, counter by counter.
        let nonce: Vec<u8> = (0..16).collect();
        let salt: Vec<u8> = (0..16).rev().collect();
        let lowest = (0u32..)
            .find(|c| {
                let password = [&nonce[..], &c.to_be_bytes()].concat();
                pbkdf2::pbkdf2_hmac_array::<sha2::Sha256, 32>(&password, &salt, 10)[0] >> 4 == 0
            })
            .unwrap();
        assert_eq!(report.solution.counter, u64::from(lowest));
        let payload: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD.decode(&report.payload).unwrap(),
        )
        .unwrap();
        let original: serde_json::Value = serde_json::from_str(CHALLENGE).unwrap();
        assert_eq!(payload["challenge"], original);
        assert_eq!(payload["solution"]["counter"], u64::from(lowest));
        assert_eq!(payload["solution"]["derivedKey"], report.solution.derived_key);
        assert!(report.solution.derived_key.starts_with('0'));
    }

    #[test]
    fn bad_challenges_and_ranges_are_one_line_errors() {
        let err = |text: &str, options: SolveOptions| {
            AltchaV2Challenge::from_json(text)
                .and_then(|c| c.solve(&options, &Control::new()))
                .unwrap_err()
                .to_string()
        };
        let with = |field: &str, value: &str| CHALLENGE.replace(field, value);
        assert!(err("{", SolveOptions::default()).contains("not JSON"));
        assert!(err(r#"{"parameters":{}}"#, SolveOptions::default()).contains("missing field"));
        assert!(err(&with(r#""cost":10"#, r#""cost":-1"#), SolveOptions::default()).contains("malformed"));
        assert!(err(&with(r#""cost":10"#, r#""cost":1e300"#), SolveOptions::default()).contains("malformed"));
        assert!(err(&with("0f0e0d", "0f0e0x"), SolveOptions::default()).contains("salt is not hex"));
        let far = SolveOptions { end: Some(1 << 33), ..SolveOptions::default() };
        assert!(err(CHALLENGE, far).contains("past the uint32 counter mode's 0..4294967296"));
        let short_salt = with(r#""algorithm":"PBKDF2/SHA-256""#, r#""algorithm":"ARGON2ID","memoryCost":8"#)
            .replace("0f0e0d0c0b0a09080706050403020100", "00");
        assert!(err(&short_salt, SolveOptions::default()).contains("Argon2id cannot derive the key"));
    }

    #[test]
    fn memory_hard_kinds_get_as_many_threads_as_fit() {
        let spec = |m| KdfSpec {
            algorithm: "ARGON2ID",
            cost: 1,
            memory_cost: Some(m),
            parallelism: None,
            key_length: 32,
        };
        let big = Kdf::new(&spec(256 << 10)).unwrap(); // 256 MiB a derivation
        assert_eq!(AltchaV2Challenge::plan_threads(&big, 16), (MAX_MEMORY / (256 << 20)) as usize);
        assert_eq!(AltchaV2Challenge::plan_threads(&Kdf::new(&spec(64)).unwrap(), 16), 16);
    }
}
