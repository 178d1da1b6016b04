//! Double SHA-256, `SHA-256(SHA-256(m))`: Bitcoin's block hash.
//!
//! It shares everything with [`Sha256`] (midstate, tail, kernels); only the
//! last step differs: the first digest is hashed once more, one block that
//! every kernel appends to its own compressions (`Layout::double`).

use std::ops::Range;

use sha2::Digest as _;

use super::{Sha256, Sha256Midstate, Sha256Tail, finish_lanes_with, layout_with};
use crate::hash::{Digest, HashAlgorithm, Hasher, Kernel, MAX_LANES, MAX_NONCE};

/// Double SHA-256 (Bitcoin's block and Merkle hash).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sha256d;

impl Hasher for Sha256d {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha256d;
    type Midstate = Sha256Midstate;
    type Tail = Sha256Tail;
    type Layout = super::Sha256Layout;

    fn hash(data: &[u8]) -> Digest {
        sha2::Sha256::digest(sha2::Sha256::digest(data)).into()
    }

    fn midstate(prefix: &[u8]) -> Sha256Midstate {
        Sha256::midstate(prefix)
    }

    fn tail(mid: &Sha256Midstate, len: usize) -> Sha256Tail {
        Sha256::tail(mid, len)
    }

    fn tail_bytes(tail: &mut Sha256Tail) -> &mut [u8] {
        Sha256::tail_bytes(tail)
    }

    #[inline]
    fn finish(mid: &Sha256Midstate, tail: &Sha256Tail) -> Digest {
        Sha256::hash(&Sha256::finish(mid, tail))
    }

    fn kernels() -> &'static [Kernel] {
        Sha256::kernels()
    }

    fn layout(
        mid: &Sha256Midstate,
        tail: &Sha256Tail,
        varying: Range<usize>,
        kernel: Kernel,
    ) -> Self::Layout {
        layout_with(mid, tail, varying, kernel, true)
    }

    #[inline]
    fn finish_lanes(
        layout: &mut Self::Layout,
        nonces: &[[u8; MAX_NONCE]; MAX_LANES],
        word: usize,
        out: &mut [u32; MAX_LANES],
    ) {
        finish_lanes_with(layout, nonces, word, out)
    }
}
