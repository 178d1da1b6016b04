//! SHA-256 through the `sha2` crate, with a midstate for mining.
//!
//! The midstate is the compression state after every whole 64-byte block of
//! the prefix; the prefix's last partial block is kept as bytes and placed at
//! the front of each worker's tail buffer, which also carries the final
//! padding. A candidate then costs exactly the compressions of the blocks from
//! the one holding the nonce to the end, through `sha2`'s `compress256`, which
//! picks SHA-NI (or ARMv8 SHA2, or wasm simd128) at run time.

use sha2::Digest as _;
use sha2::block_api::compress256;

use super::{Digest, Guarded, HashAlgorithm, Hasher};

/// SHA-256 (FIPS 180-4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sha256;

/// The SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 state after a prefix's whole blocks.
#[derive(Debug, Clone)]
pub struct Sha256Midstate {
    state: [u32; 8],
    /// The prefix bytes after its last whole block (fewer than 64).
    rest: Vec<u8>,
    /// Length of the whole prefix in bytes.
    prefix_len: u64,
}

impl Sha256Midstate {
    /// The compression state after the prefix's whole blocks.
    pub fn state(&self) -> &[u32; 8] {
        &self.state
    }
}

/// The padded final blocks of a message, with room for a tail.
#[derive(Debug, Clone)]
pub struct Sha256Tail {
    /// The padded blocks, between guards.
    blocks: Guarded<[u8; 64]>,
    /// Where the tail starts in the flattened blocks (after the prefix rest).
    start: usize,
    len: usize,
}

impl Sha256Tail {
    /// The padded blocks that [`Sha256::finish`] compresses.
    pub fn blocks(&self) -> &[[u8; 64]] {
        self.blocks.get()
    }
}

impl Hasher for Sha256 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Sha256;
    type Midstate = Sha256Midstate;
    type Tail = Sha256Tail;

    fn hash(data: &[u8]) -> Digest {
        sha2::Sha256::digest(data).into()
    }

    fn midstate(prefix: &[u8]) -> Sha256Midstate {
        let (blocks, rest) = prefix.as_chunks::<64>();
        let mut state = IV;
        compress256(&mut state, blocks);
        Sha256Midstate { state, rest: rest.to_vec(), prefix_len: prefix.len() as u64 }
    }

    fn tail(mid: &Sha256Midstate, len: usize) -> Sha256Tail {
        let start = mid.rest.len();
        let message_bits = (mid.prefix_len + len as u64) * 8;
        // rest ‖ tail ‖ 0x80 ‖ zeros ‖ 64-bit big-endian bit length
        let padded = (start + len + 1 + 8).div_ceil(64) * 64;
        let mut tail = Sha256Tail { blocks: Guarded::new(padded / 64, [0; 64]), start, len };
        let flat = tail.blocks.get_mut().as_flattened_mut();
        flat[..start].copy_from_slice(&mid.rest);
        flat[start + len] = 0x80;
        flat[padded - 8..].copy_from_slice(&message_bits.to_be_bytes());
        tail
    }

    fn tail_bytes(tail: &mut Sha256Tail) -> &mut [u8] {
        let (start, len) = (tail.start, tail.len);
        &mut tail.blocks.get_mut().as_flattened_mut()[start..start + len]
    }

    #[inline]
    fn finish(mid: &Sha256Midstate, tail: &Sha256Tail) -> Digest {
        let mut state = mid.state;
        compress256(&mut state, tail.blocks());
        state_to_digest(&state)
    }

    // wasm has no SHA instructions; four candidates in the lanes of simd128
    // vectors cost little more than one.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    const LANES: usize = super::sha256_lanes::LANES;

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn finish_lanes(mid: &Sha256Midstate, tails: &[Sha256Tail], out: &mut [Digest]) {
        let tails: &[Sha256Tail; super::sha256_lanes::LANES] = tails.try_into().expect("one tail per lane");
        let states = super::sha256_lanes::compress(&mid.state, tails.each_ref().map(Sha256Tail::blocks));
        for (digest, state) in out.iter_mut().zip(&states) {
            *digest = state_to_digest(state);
        }
    }
}

/// The digest bytes of a final SHA-256 state (big-endian words).
#[inline]
pub(crate) fn state_to_digest(state: &[u32; 8]) -> Digest {
    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}
