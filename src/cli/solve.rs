//! `parmine solve <kind>`: a real-world challenge, answered in its own form.

use super::stdout::outln;
use std::path::{Path, PathBuf};

use parmine::jobs::solve::Shape;
use parmine::jobs::{SolveJob, SolveReport};
use parmine::puzzles::{
    AltchaChallenge, AnubisChallenge, BitcoinChallenge, CapChallenge, CerberusChallenge, Challenge,
    GoAwayChallenge, McaptchaChallenge,
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
    /// ALTCHA (v1): find the number whose SHA-256 with the salt is the
    /// challenge; prints the payload the widget submits.
    Altcha {
        /// The challenge JSON as altcha-lib's createChallenge returns it: a
        /// file, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        challenge: PathBuf,
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
    /// each in turn (within) [default: across when there are at least as
    /// many puzzles as threads].
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
        Kind::Altcha { challenge, search } => {
            (Challenge::Altcha(AltchaChallenge::from_json(&read(&challenge)?)?), search)
        }
        Kind::Cap { challenge, search } => {
            (Challenge::Cap(CapChallenge::from_json(&read(&challenge)?)?), search)
        }
        Kind::GoAway { challenge, search } => {
            (Challenge::GoAway(GoAwayChallenge::from_json(&read(&challenge)?)?), search)
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
