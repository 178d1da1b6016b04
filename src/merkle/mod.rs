//! An n-ary lean incremental Merkle tree (Lean IMT) with parallel levels.
//!
//! The node rule is the canonical Lean IMT's, as `rotortree` implements it,
//! so both give the same root for the same leaves:
//!
//! * leaves are 32-byte digests, taken as given;
//! * on each level, consecutive children are grouped N at a time (the last
//!   group may be smaller); a group of k ≥ 2 children has the parent
//!   `H(child0 ‖ … ‖ child(k-1))`, with no tag and no length prefix; a group
//!   of one child is lifted to the next level unhashed;
//! * the depth is ⌈log_N(size)⌉, 0 for a tree of one leaf, and the root is
//!   the single node of the top level.
//!
//! [`LeanImt::insert_many`] and [`LeanImt::recompute_root`] compute each level's
//! parents in parallel with rayon when there are at least
//! [`Parallelism::threshold`] of them (default 1024), in tasks of
//! [`Parallelism::task`] parents (default 64); below that, sequentially. Full
//! groups are hashed several at a time through [`Hasher::hash_parents`](crate::hash::Hasher::hash_parents)
//! (BLAKE3's SIMD multi-input kernel for N ∈ {2, 4, 8, 16}).
//!
//! # Examples
//!
//! ```
//! use parmine::hash::{Blake3, Hasher};
//! use parmine::merkle::{LeanImt, verify};
//!
//! let leaves: Vec<_> = (0u64..1000).map(|i| Blake3::hash(&i.to_le_bytes())).collect();
//! let mut tree = LeanImt::<Blake3, 4>::new();
//! let root = tree.insert_many(&leaves)?;
//! assert_eq!((tree.size(), tree.depth()), (1000, 5));
//! assert_eq!(tree.recompute_root()?, root);
//!
//! let proof = tree.snapshot().proof(617)?;
//! assert!(verify::<Blake3>(&proof, &root));
//! # Ok::<(), parmine::Error>(())
//! ```

mod level;
mod proof;
// rotortree is a native-only dependency of `cli`.
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod rotortree_compat;
mod tree;

pub use self::level::Parallelism;
pub use self::proof::{Proof, ProofLevel, verify};
pub use self::tree::{Builder, LeanImt, Snapshot};
use crate::error::{Error, Result};

/// Smallest arity a tree may have.
pub const MIN_ARITY: usize = 2;
/// Largest arity a tree may have.
pub const MAX_ARITY: usize = 16;

/// Whether a tree may have `arity` children per parent.
pub fn check_arity(arity: usize) -> Result<()> {
    if (MIN_ARITY..=MAX_ARITY).contains(&arity) { Ok(()) } else { Err(arity_error(arity)) }
}

#[doc(hidden)]
pub fn arity_error(arity: usize) -> Error {
    Error::InvalidArgument(format!("arity {arity} is out of range: use {MIN_ARITY} to {MAX_ARITY}"))
}

/// Hash layers above the leaves of a tree of `size` leaves: ⌈log_N(size)⌉.
pub fn depth_for(size: u64, arity: usize) -> usize {
    let mut depth = 0;
    let mut span: u64 = 1;
    while span < size {
        span = span.saturating_mul(arity as u64);
        depth += 1;
    }
    depth
}

/// Run `$body` with the const `$N` bound to the runtime arity `$arity`
/// (2 to 16), or evaluate to an [`Error::InvalidArgument`].
#[macro_export]
#[doc(hidden)]
macro_rules! with_arity {
    ($arity:expr, $N:ident => $body:expr) => {
        match $arity {
            2 => {
                const $N: usize = 2;
                Ok($body)
            }
            3 => {
                const $N: usize = 3;
                Ok($body)
            }
            4 => {
                const $N: usize = 4;
                Ok($body)
            }
            5 => {
                const $N: usize = 5;
                Ok($body)
            }
            6 => {
                const $N: usize = 6;
                Ok($body)
            }
            7 => {
                const $N: usize = 7;
                Ok($body)
            }
            8 => {
                const $N: usize = 8;
                Ok($body)
            }
            9 => {
                const $N: usize = 9;
                Ok($body)
            }
            10 => {
                const $N: usize = 10;
                Ok($body)
            }
            11 => {
                const $N: usize = 11;
                Ok($body)
            }
            12 => {
                const $N: usize = 12;
                Ok($body)
            }
            13 => {
                const $N: usize = 13;
                Ok($body)
            }
            14 => {
                const $N: usize = 14;
                Ok($body)
            }
            15 => {
                const $N: usize = 15;
                Ok($body)
            }
            16 => {
                const $N: usize = 16;
                Ok($body)
            }
            other => Err($crate::merkle::arity_error(other)),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_ceil_log() {
        for (size, arity, depth) in [
            (0, 2, 0),
            (1, 2, 0),
            (2, 2, 1),
            (3, 2, 2),
            (4, 2, 2),
            (5, 2, 3),
            (16, 4, 2),
            (17, 4, 3),
            (257, 16, 3),
        ] {
            assert_eq!(depth_for(size, arity), depth, "size {size} arity {arity}");
        }
        assert_eq!(depth_for(u64::MAX, 16), 16);
    }

    #[test]
    fn arity_dispatch() {
        let got: Result<usize> = with_arity!(7usize, N => N * 2);
        assert_eq!(got, Ok(14));
        let bad: Result<usize> = with_arity!(17usize, N => N);
        assert_eq!(bad.unwrap_err().to_string(), "arity 17 is out of range: use 2 to 16");
    }
}
