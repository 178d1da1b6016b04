//! BLAKE3 through the `blake3` crate, with a midstate for mining.
//!
//! `blake3::Hasher` compresses a block only once it knows more input follows,
//! so after absorbing the prefix it holds exactly the state a candidate
//! shares: every whole block before the nonce is compressed once. A candidate
//! clones that state (a few hundred bytes on the stack, no allocation),
//! appends its tail and finalizes.

use super::{Digest, HashAlgorithm, Hasher};

/// BLAKE3 in its default hashing mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Blake3;

impl Hasher for Blake3 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Blake3;
    type Midstate = blake3::Hasher;
    type Tail = Vec<u8>;

    fn hash(data: &[u8]) -> Digest {
        blake3::hash(data).into()
    }

    fn midstate(prefix: &[u8]) -> blake3::Hasher {
        let mut hasher = blake3::Hasher::new();
        hasher.update(prefix);
        hasher
    }

    fn tail(_mid: &blake3::Hasher, len: usize) -> Vec<u8> {
        vec![0; len]
    }

    fn tail_bytes(tail: &mut Vec<u8>) -> &mut [u8] {
        tail
    }

    #[inline]
    fn finish(mid: &blake3::Hasher, tail: &Vec<u8>) -> Digest {
        let mut hasher = mid.clone();
        hasher.update(tail);
        hasher.finalize().into()
    }
}
