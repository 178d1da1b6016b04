//! The one error type of the crate.
//!
//! Every fallible public function returns [`Result`]. Messages are written for
//! the person at the keyboard: the command line prints them as they are, and
//! the wasm layer throws them as JavaScript `Error`s with the same text.

use std::ops::Range;

/// A parmine error: bad input, or a search that ended without a proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The difficulty was zero or asked for more zero bits than a digest has.
    #[error("difficulty {given} is out of range: use 1 to {max} leading zero {unit}")]
    DifficultyOutOfRange {
        /// The value that was given.
        given: u32,
        /// The largest value accepted in that unit.
        max: u32,
        /// `"hex digits"` or `"bits"`.
        unit: &'static str,
    },

    /// Zero threads, or more than the host can sensibly run.
    #[error("thread count {given} is out of range: use 1 to {max}")]
    ThreadsOutOfRange {
        /// The value that was given.
        given: usize,
        /// The largest value accepted here.
        max: usize,
    },

    /// A name (strategy, encoding, hasher, ...) that parmine does not know.
    #[error("unknown {kind} '{given}': expected one of {expected}")]
    UnknownName {
        /// What kind of name it was, e.g. `"strategy"`.
        kind: &'static str,
        /// The name that was given.
        given: String,
        /// The accepted names, comma separated.
        expected: &'static str,
    },

    /// A nonce range with nothing in it.
    #[error("nonce range {start}..{end} is empty")]
    EmptyRange {
        /// First nonce of the range.
        start: u64,
        /// One past the last nonce of the range.
        end: u64,
    },

    /// A block that cannot be encoded, e.g. a previous hash that is not hex.
    #[error("invalid block: {0}")]
    InvalidBlock(String),

    /// Another thread asked the search to stop.
    #[error("mining was cancelled after {attempts} attempt{}", plural(*attempts))]
    Cancelled {
        /// Candidates hashed before the search stopped.
        attempts: u64,
    },

    /// Every nonce of the range was tried and none met the difficulty.
    #[error("no proof in nonce range {}..{} ({attempts} attempt{})", range.start, range.end, plural(*attempts))]
    Exhausted {
        /// The range that was searched.
        range: Range<u64>,
        /// Candidates hashed.
        attempts: u64,
    },

    /// A Merkle tree operation on a tree with no leaves.
    #[error("the tree is empty")]
    EmptyTree,

    /// `insert_many` was given no leaves.
    #[error("cannot insert an empty batch of leaves")]
    EmptyBatch,

    /// A leaf index past the end of the tree.
    #[error("leaf index {index} is out of range for a tree of {size} {}", if *size == 1 { "leaf" } else { "leaves" })]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// Leaves in the tree.
        size: u64,
    },

    /// Any other value outside what parmine accepts (with the reason).
    #[error("{0}")]
    InvalidArgument(String),
}

/// `Result` with parmine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True for errors caused by the caller's input (as opposed to a search that
    /// was cancelled or found nothing). The command line exits with 2 for these.
    pub fn is_usage(&self) -> bool {
        !matches!(self, Error::Cancelled { .. } | Error::Exhausted { .. })
    }

    /// The error's kind in one word, for hosts that act on it rather than
    /// show it (the page tells a cancel from a failure by this, never by
    /// the message's words): `cancelled`, `exhausted` (nothing in the
    /// range), or `invalid` (the caller's input, see [`Error::is_usage`]).
    ///
    /// ```
    /// use parmine::Error;
    ///
    /// assert_eq!(Error::Cancelled { attempts: 7 }.kind(), "cancelled");
    /// assert_eq!(Error::Exhausted { range: 0..9, attempts: 9 }.kind(), "exhausted");
    /// assert_eq!(Error::EmptyTree.kind(), "invalid");
    /// let one = Error::IndexOutOfRange { index: 1, size: 1 };
    /// assert_eq!(one.to_string(), "leaf index 1 is out of range for a tree of 1 leaf");
    /// ```
    pub const fn kind(&self) -> &'static str {
        match self {
            Error::Cancelled { .. } => "cancelled",
            Error::Exhausted { .. } => "exhausted",
            _ => "invalid",
        }
    }
}

/// The plural ending of a count's noun: "1 attempt", "2 attempts".
pub(crate) fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}
