//! BLAKE3 through the `blake3` crate, with a midstate for mining and a
//! multi-input kernel for Merkle parents.
//!
//! `blake3::Hasher` compresses a block only once it knows more input follows,
//! so after absorbing the prefix it holds exactly the state a candidate
//! shares: every whole block before the nonce is compressed once. A candidate
//! clones that state (a few hundred bytes on the stack, no allocation),
//! appends its tail and finalizes.

use std::sync::OnceLock;

use blake3::IncrementCounter;
use blake3::platform::{MAX_SIMD_DEGREE, Platform};

use super::{Digest, HashAlgorithm, Hasher};

// BLAKE3's IV and domain flags (the spec, §2.1 and §2.3); the crate keeps
// its own copies private.
const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const CHUNK_START: u8 = 1 << 0;
const CHUNK_END: u8 = 1 << 1;
const ROOT: u8 = 1 << 3;

/// The SIMD level `blake3` picked for this CPU (or wasm simd128).
fn platform() -> Platform {
    static PLATFORM: OnceLock<Platform> = OnceLock::new();
    *PLATFORM.get_or_init(Platform::detect)
}

/// Hash equal-length messages of `LEN` bytes (whole blocks, one chunk) through
/// the `hash_many` kernel, which runs up to 16 of them in SIMD lanes. Each
/// message is hashed exactly as `blake3::hash` would: one chunk, first block
/// flagged CHUNK_START, last CHUNK_END | ROOT, counter 0.
///
/// `blake3::platform` is the crate's doc-hidden kernel interface; parmine pins
/// `blake3` exactly (as rotortree does) and tests this path against
/// `blake3::hash` for every arity, so an upgrade that changed it would fail.
fn hash_many_whole<const LEN: usize>(messages: &[[u8; LEN]], out: &mut [Digest]) {
    const { assert!(LEN.is_multiple_of(64) && LEN <= 1024) };
    let platform = platform();
    for (messages, out) in messages.chunks(MAX_SIMD_DEGREE).zip(out.chunks_mut(MAX_SIMD_DEGREE)) {
        let mut refs: [&[u8; LEN]; MAX_SIMD_DEGREE] = [&messages[0]; MAX_SIMD_DEGREE];
        for (r, m) in refs.iter_mut().zip(messages) {
            *r = m;
        }
        platform.hash_many(
            &refs[..messages.len()],
            &IV,
            0,
            IncrementCounter::No,
            0,
            CHUNK_START,
            CHUNK_END | ROOT,
            out.as_flattened_mut(),
        );
    }
}

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

    fn hash_parents(children: &[Digest], arity: usize, out: &mut [Digest]) {
        debug_assert_eq!(children.len(), out.len() * arity);
        let bytes = children.as_flattened();
        match arity {
            2 => hash_many_whole::<64>(bytes.as_chunks().0, out),
            4 => hash_many_whole::<128>(bytes.as_chunks().0, out),
            8 => hash_many_whole::<256>(bytes.as_chunks().0, out),
            16 => hash_many_whole::<512>(bytes.as_chunks().0, out),
            // Groups that are not whole blocks take the one-at-a-time path.
            _ => {
                for (group, parent) in children.chunks_exact(arity).zip(out) {
                    *parent = Self::hash_nodes(group);
                }
            }
        }
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
