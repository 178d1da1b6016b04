//! `parmine solve <kind>`: a real-world challenge, answered in its own form.

use super::stdout::outln;
use std::path::{Path, PathBuf};

use parmine::jobs::solve::Shape;
use parmine::jobs::{SolveJob, SolveReport};
use parmine::puzzles::altcha_v2::{AltchaV2Report, CounterMode, SolveOptions, is_v2_json};
use parmine::puzzles::{
    AltchaChallenge, AltchaV2Challenge, AnubisChallenge, BitcoinChallenge, CapChallenge, CerberusChallenge,
    Challenge, FriendlyChallenge, GoAwayChallenge, McaptchaChallenge,
};
use parmine::{Error, Kernel, Result, Strategy};

use super::output::{format_count, run_with_progress};

/// The kinds of challenge.
#[derive(Debug, clap::Subcommand)]
pub enum Kind {
    /// A Bitcoin block header (80 bytes, hex): double SHA-256 against the
    /// target its nBits encode; the nonce field is searched.
    Bitcoin {
        /// The header as 160 hex digits, as serialized on the chain.
        #[arg(long)]
        header: String,
        #[command(flatten)]
        search: Search,
    },
    /// Anubis: SHA-256 of the challenge then the decimal nonce, with
    /// `difficulty` leading zero hex digits.
    Anubis {
        /// The challenge string (its randomData).
        #[arg(long)]
        challenge: String,
        /// Leading zero hex digits.
        #[arg(long)]
        difficulty: u32,
        #[command(flatten)]
        search: Search,
    },
    /// ALTCHA: v1 (find the number whose SHA-256 with the salt is the
    /// challenge) or v2 (find the lowest counter whose derived key starts
    /// with keyPrefix: iterated SHA-2, PBKDF2, scrypt or Argon2id); prints
    /// the payload the widget submits.
    Altcha {
        /// The challenge JSON as altcha-lib's createChallenge returns it (v1,
        /// or v2's {parameters, signature}): a file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
        /// v2: how the counter follows the nonce in the password, as the
        /// server's counterMode option says (it is not in the challenge)
        /// [default: uint32].
        #[arg(long, value_name = "uint32|string")]
        counter_mode: Option<CounterMode>,
        #[command(flatten)]
        search: Search,
    },
    /// mCaptcha: SHA-256 of salt, phrase and nonce scoring above the
    /// difficulty factor's threshold.
    Mcaptcha {
        /// The site's salt.
        #[arg(long)]
        salt: String,
        /// The challenge phrase.
        #[arg(long)]
        phrase: String,
        /// The difficulty factor.
        #[arg(long)]
        difficulty_factor: u32,
        #[command(flatten)]
        search: Search,
    },
    /// Cap: `c` sub-puzzles, each a SHA-256 of salt and decimal solution
    /// starting with a target's hex digits; prints the token and solutions
    /// `redeemChallenge` takes.
    Cap {
        /// The JSON `createChallenge` returns ({challenge: {c, s, d}, token,
        /// expires}): a file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
        #[command(flatten)]
        search: Search,
    },
    /// go-away's js-pow-sha256: SHA-256 of the 32-byte challenge and 8 nonce
    /// bytes with `difficulty` leading zero bits; prints the __goaway_token.
    #[command(name = "go-away")]
    GoAway {
        /// The JSON make-challenge returns ({challenge, target, difficulty}):
        /// a file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
        #[command(flatten)]
        search: Search,
    },
    /// Friendly Captcha (v1, friendly-pow): n BLAKE2b-256 sub-puzzles;
    /// prints the solution string the widget submits.
    Friendly {
        /// The puzzle string (signature.base64puzzle), or the JSON of the
        /// puzzle endpoint with it as puzzle or data.puzzle: a file, or - for
        /// standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
        #[command(flatten)]
        search: Search,
    },
    /// Cerberus: BLAKE3 of the challenge's salt and 8 solution bytes; prints
    /// the form its /answer endpoint takes.
    Cerberus {
        /// The JSON of its page's x-challenge attribute ({challenge,
        /// difficulty, nonce, ts, signature}): a file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
        #[command(flatten)]
        search: Search,
    },
}

/// How to search, for every kind.
#[derive(Debug, clap::Args)]
pub struct Search {
    /// Search strategy: sequential, iterator, find-first, find-any, striped or chunked.
    #[arg(long, default_value_t = Strategy::Chunked)]
    strategy: Strategy,
    /// Threads for the parallel strategies [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Hashing kernel [default: the fastest this machine has].
    #[arg(long)]
    kernel: Option<Kernel>,
    /// First nonce to try [default: the kind's first].
    #[arg(long)]
    start: Option<u64>,
    /// One past the last nonce to try [default: the end of the kind's nonces].
    #[arg(long)]
    end: Option<u64>,
    /// For Cap's sub-puzzles: one thread a puzzle (across) or all threads on
    /// each in turn (within) [default: across for many small puzzles,
    /// within for few large ones].
    #[arg(long)]
    shape: Option<Shape>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(kind: Kind) -> Result<()> {
    let (challenge, search) = match kind {
        Kind::Bitcoin { header, search } => (Challenge::Bitcoin(BitcoinChallenge { header }), search),
        Kind::Anubis { challenge, difficulty, search } => {
            (Challenge::Anubis(AnubisChallenge { challenge, difficulty }), search)
        }
        Kind::Altcha { challenge, counter_mode, search } => {
            let text = read(&challenge)?;
            if is_v2_json(&text) {
                return solve_altcha_v2(&text, counter_mode.unwrap_or_default(), &search);
            }
            if counter_mode.is_some() {
                return Err(Error::InvalidArgument(
                    "--counter-mode applies to ALTCHA v2 challenges only; this one is v1".into(),
                ));
            }
            (Challenge::Altcha(AltchaChallenge::from_json(&text)?), search)
        }
        Kind::Cap { challenge, search } => {
            (Challenge::Cap(CapChallenge::from_json(&read(&challenge)?)?), search)
        }
        Kind::GoAway { challenge, search } => {
            (Challenge::GoAway(GoAwayChallenge::from_json(&read(&challenge)?)?), search)
        }
        Kind::Friendly { challenge, search } => {
            return solve_friendly(&FriendlyChallenge::from_text(&read(&challenge)?)?, &search);
        }
        Kind::Cerberus { challenge, search } => {
            (Challenge::Cerberus(CerberusChallenge::from_json(&read(&challenge)?)?), search)
        }
        Kind::Mcaptcha { salt, phrase, difficulty_factor, search } => {
            (Challenge::Mcaptcha(McaptchaChallenge { salt, phrase, difficulty_factor }), search)
        }
    };
    let job = SolveJob {
        challenge,
        strategy: search.strategy,
        threads: search.threads,
        kernel: search.kernel,
        start: search.start,
        end: search.end,
        shape: search.shape,
    };
    // A bad challenge has no estimate; `run` reports its error.
    let expected = job.expected_attempts().ok();
    let report = run_with_progress(search.json, expected, |control| job.run(Some(control)))?;
    if search.json {
        outln!("{}", serde_json::to_string(&report).expect("the report serializes"));
    } else {
        print(&report);
    }
    Ok(())
}

/// An ALTCHA v2 challenge: its own search (a key derivation a counter, not
/// one of the hash kernels), on the same threads, progress and Ctrl-C.
fn solve_altcha_v2(text: &str, counter_mode: CounterMode, search: &Search) -> Result<()> {
    let challenge = AltchaV2Challenge::from_json(text)?;
    if search.shape.is_some() || search.strategy != Strategy::Chunked {
        return Err(Error::InvalidArgument(
            "ALTCHA v2 is searched for the lowest counter of its key derivation: --strategy and --shape do not apply".into(),
        ));
    }
    let options = SolveOptions {
        threads: search.threads,
        start: search.start,
        end: search.end,
        counter_mode,
        kernel: search.kernel,
    };
    let report = run_with_progress(search.json, None, |control| challenge.solve(&options, &control))?;
    if search.json {
        outln!("{}", serde_json::to_string(&report).expect("the report serializes"));
    } else {
        print_altcha_v2(&report);
    }
    Ok(())
}

/// A Friendly Captcha puzzle: its sub-puzzles in turn, each on all threads.
fn solve_friendly(challenge: &FriendlyChallenge, search: &Search) -> Result<()> {
    if search.kernel.is_some() || search.shape.is_some() || search.strategy != Strategy::Chunked {
        return Err(Error::InvalidArgument(
            "Friendly Captcha's sub-puzzles are searched for their lowest counters with the blake2 crate: --strategy, --kernel and --shape do not apply".into(),
        ));
    }
    if search.start.is_some() || search.end.is_some() {
        return Err(Error::InvalidArgument(
            "--start and --end do not apply to Friendly Captcha's sub-puzzles".into(),
        ));
    }
    let expected = challenge.expected_attempts().ok();
    let report =
        run_with_progress(search.json, expected, |control| challenge.solve(search.threads, &control))?;
    if search.json {
        outln!("{}", serde_json::to_string(&report).expect("the report serializes"));
    } else {
        outln!(
            "kind       friendly ({} sub-puzzles, difficulty {}, BLAKE2b-256)",
            report.puzzles,
            report.difficulty
        );
        let list: Vec<String> = report.solutions.iter().map(u64::to_string).collect();
        outln!("solutions  [{}]", list.join(","));
        outln!("solution   {}", report.solution);
        outln!(
            "attempts   {} in {:.1} ms ({}/s; about {} expected) on {} thread(s)",
            report.attempts,
            report.elapsed_ms,
            format_count(report.attempts_per_sec),
            format_count(report.expected_attempts),
            report.threads
        );
    }
    Ok(())
}

fn print_altcha_v2(r: &AltchaV2Report) {
    outln!("kind       altcha v2 ({}, counter mode {})", r.algorithm, r.counter_mode);
    outln!("counter    {}", r.solution.counter);
    outln!("key        {}", r.solution.derived_key);
    outln!("payload    {}", r.payload);
    outln!(
        "attempts   {} keys in {:.1} ms ({}/s)",
        r.attempts,
        r.elapsed_ms,
        format_count(r.attempts_per_sec)
    );
    outln!(
        "search     lowest counter on {} thread(s), kernel {}, {} KiB a derivation, counters {}..{}",
        r.threads,
        r.kernel,
        r.memory_per_thread.div_ceil(1024),
        r.start,
        r.end
    );
}

/// A challenge's JSON from a file, or from standard input for `-`.
fn read(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| Error::InvalidArgument(format!("cannot read {}: {e}", path.display())))
}

fn print(r: &SolveReport) {
    outln!("kind       {} ({})", r.kind, r.hasher.label());
    outln!("nonce      {}", r.nonce);
    outln!("hash       {}", r.answer.hash);
    if let Some(header) = &r.answer.header {
        outln!("header     {header}");
    }
    if let Some(result) = &r.answer.result {
        outln!("result     {result}");
    }
    if let Some(payload) = &r.answer.payload {
        outln!("payload    {payload}");
    }
    if let Some(token) = &r.answer.token {
        outln!("token      {token}");
    }
    if let Some(solutions) = &r.answer.solutions {
        let list: Vec<String> = solutions.iter().map(u64::to_string).collect();
        outln!("solutions  [{}]", list.join(","));
    }
    if let Some(form) = &r.answer.form {
        outln!("form       {form}");
    }
    outln!(
        "attempts   {} in {:.1} ms ({}/s; about {} expected)",
        r.attempts,
        r.elapsed_ms,
        format_count(r.attempts_per_sec),
        format_count(r.expected_attempts)
    );
    outln!(
        "strategy   {} on {} thread(s), kernel {}, nonces {}..{}",
        r.strategy,
        r.threads,
        r.kernel,
        r.start,
        r.end
    );
    if r.puzzles > 1 {
        outln!("puzzles    {}, {} them", r.puzzles, r.shape);
    }
}
