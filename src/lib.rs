//! # parmine
//!
//! Parallel proof-of-work mining and parallel Merkle hashing, written once and
//! run natively and in the browser (wasm32 with threads on Web Workers).
//!
//! * [`Block`] is the toy blockchain's block; [`Encoding`] turns it into bytes
//!   (the blog's JSON, or parmine's binary [`Header`](block::Header)).
//! * [`Puzzle`] is a block encoded once, with a [`HashAlgorithm`] and a
//!   [`Difficulty`]; a [`Miner`] solves it with one of six [`Strategy`]s on a
//!   chosen number of threads, with live progress and cancellation through a
//!   [`Control`].
//! * [`bench::measure`] times jobs over many blocks.
//!
//! ```
//! use parmine::{Block, Difficulty, Encoding, HashAlgorithm, Miner, Puzzle, Strategy};
//!
//! let puzzle = Puzzle::new(&Block::benchmark(), Encoding::Json, HashAlgorithm::Sha256,
//!                          Difficulty::from_hex_digits(3)?)?;
//! let mined = Miner::new(Strategy::FindFirst).threads(2).mine(&puzzle)?;
//! assert!(mined.hash_hex().starts_with("000"));
//! assert_eq!(Block::benchmark().with_proof(mined.proof).hash(), mined.hash_hex());
//! # Ok::<(), parmine::Error>(())
//! ```

#![warn(missing_docs)]

pub mod bench;
pub mod block;
mod device;
pub mod difficulty;
mod error;
pub mod gpu;
pub mod hash;
pub mod jobs;
pub mod limits;
pub mod merkle;
pub mod mine;
pub mod pool;
pub mod puzzles;
pub mod target;

pub use crate::block::{Block, Encoding, Transaction};
pub use crate::difficulty::Difficulty;
pub use crate::error::{Error, Result};
pub use crate::hash::{Digest, HashAlgorithm, Hasher, Kernel};
pub use crate::mine::{Control, Mined, Miner, Puzzle, Strategy};
pub use crate::target::Target;
