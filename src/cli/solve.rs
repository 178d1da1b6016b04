//! `parmine solve <kind>`: a real-world challenge, answered in its own form.

use super::stdout::outln;
use std::path::{Path, PathBuf};

use parmine::jobs::{SolveJob, SolveReport};
use parmine::puzzles::{AltchaChallenge, AnubisChallenge, BitcoinChallenge, Challenge, McaptchaChallenge};
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
        Kind::Altcha { challenge, search } => (Challenge::Altcha(read_altcha(&challenge)?), search),
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

fn read_altcha(path: &Path) -> Result<AltchaChallenge> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| Error::InvalidArgument(format!("cannot read {}: {e}", path.display())))?;
    AltchaChallenge::from_json(&text)
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
}
