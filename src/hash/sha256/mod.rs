//! SHA-256: whole messages through the `sha2` crate, and the mining kernels.
//!
//! The midstate is the compression state after every whole 64-byte block of
//! the prefix; the prefix's last partial block is kept as bytes and placed at
//! the front of each worker's tail buffer, which also carries the final
//! padding. One candidate ([`Hasher::finish`]) costs the compressions of the
//! blocks from the one holding the nonce to the end, through `sha2`'s
//! `compress256` (SHA-NI, ARMv8 SHA2 or software, chosen by the crate).
//!
//! Many candidates ([`Hasher::finish_lanes`]) go through a [`Layout`] and the
//! kernel it was built for: parmine's own compression written once over
//! vectors (`rounds.rs`: scalar, SSE4.1, AVX2, wasm simd128) or interleaved
//! SHA-NI (`shani.rs`). This file is the one place that maps a [`Kernel`] to
//! its code.

mod chain;
mod double;
mod functions;
mod layout;
mod rounds;
#[cfg(target_arch = "x86_64")]
mod shani;

use std::ops::Range;
use std::sync::OnceLock;

use sha2::Digest as _;
use sha2::block_api::compress256;

pub use self::chain::check_chains_against_crates;
pub(crate) use self::chain::{iterated_sha256, pbkdf2_hmac_sha256};
pub use self::double::Sha256d;

/// SHA-256's state after the whole 64-byte blocks of `blocks` (a midstate,
/// for a miner that finishes the message elsewhere: the GPU's).
pub(crate) fn midstate(blocks: &[u8]) -> [u32; 8] {
    blocks.chunks_exact(64).fold(IV, |state, block| {
        let words =
            std::array::from_fn(|i| u32::from_be_bytes(block[4 * i..4 * i + 4].try_into().expect("4 bytes")));
        functions::compress_scalar(state, &words)
    })
}
use self::functions::IV;
use self::layout::Layout;
pub use self::layout::{Layout as Sha256Layout, MAX_NONCE};
use self::rounds::group;
use super::span::with_start;
use super::{Digest, Guarded, HashAlgorithm, Hasher, Kernel, MAX_LANES};

/// SHA-256 (FIPS 180-4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sha256;

/// parmine's SHA-256 kernels, fastest first (docs/performance.md): SHA-NI
/// interleaved beats eight AVX2 lanes by about 2x where both exist;
/// sixteen AVX-512 lanes beat both where the CPU has them (measured on
/// Zen 4).
const PREFERENCE: [Kernel; 7] = [
    Kernel::Avx512,
    Kernel::ShaNi,
    Kernel::Avx2,
    Kernel::Sse41,
    Kernel::Simd128,
    Kernel::Scalar,
    Kernel::Crate,
];

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
    type Layout = Sha256Layout;

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

    fn kernels() -> &'static [Kernel] {
        static AVAILABLE: OnceLock<Vec<Kernel>> = OnceLock::new();
        AVAILABLE.get_or_init(|| Kernel::available(&PREFERENCE))
    }

    fn layout(mid: &Sha256Midstate, tail: &Sha256Tail, varying: Range<usize>, kernel: Kernel) -> Layout {
        layout_with(mid, tail, varying, kernel, false)
    }

    #[inline]
    fn finish_lanes(
        layout: &mut Layout,
        nonces: &[[u8; MAX_NONCE]; MAX_LANES],
        word: usize,
        out: &mut [u32; MAX_LANES],
    ) {
        finish_lanes_with(layout, nonces, word, out)
    }
}

/// A layout of `tail`, for single or (`double`) double SHA-256.
pub(crate) fn layout_with(
    mid: &Sha256Midstate,
    tail: &Sha256Tail,
    varying: Range<usize>,
    kernel: Kernel,
    double: bool,
) -> Layout {
    assert!(PREFERENCE.contains(&kernel) && kernel.is_available(), "SHA-256 has no {kernel} kernel here");
    let shifted = varying.start + tail.start..varying.end + tail.start;
    Layout::new(mid.state, tail.blocks(), shifted, kernel, double)
}

/// The one place a SHA-256 [`Kernel`] becomes code.
#[inline]
pub(crate) fn finish_lanes_with(
    layout: &mut Layout,
    nonces: &[[u8; MAX_NONCE]; MAX_LANES],
    word: usize,
    out: &mut [u32; MAX_LANES],
) {
    if layout.kernel == Kernel::Crate {
        return crate_lanes(layout, nonces, word, out);
    }
    layout.compose(nonces);
    let layout = &*layout;
    match layout.kernel {
        Kernel::Scalar => {
            with_start!(layout.skip, layout.hinted, S, H => group::<u32, S, H>(layout, word, out))
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a layout is built only for an available kernel (`layout_with`).
        Kernel::Sse41 => unsafe { x86::sse41(layout, word, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Kernel::Avx2 => unsafe { x86::avx2(layout, word, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Kernel::ShaNi => unsafe { shani::group(layout, word, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Kernel::Avx512 => unsafe { x86::avx512(layout, word, out) },
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Kernel::Simd128 => {
            use super::vector::wasm::Simd128;
            with_start!(layout.skip, layout.hinted, S, H => group::<Simd128, S, H>(layout, word, out))
        }
        other => unreachable!("no {other} kernel in this build"),
    }
}

/// The reference: each candidate through `sha2::compress256`.
fn crate_lanes(
    layout: &mut Layout,
    nonces: &[[u8; MAX_NONCE]; MAX_LANES],
    word: usize,
    out: &mut [u32; MAX_LANES],
) {
    let start = layout.hot_block;
    let varying = layout.varying.clone();
    for (nonce, out) in nonces.iter().zip(out) {
        let flat = layout.bytes.as_flattened_mut();
        flat[varying.clone()].copy_from_slice(&nonce[..varying.len()]);
        let mut state = layout.chain;
        compress256(&mut state, &layout.bytes[start..]);
        if layout.double {
            let mut block = [0u8; 64];
            block[..32].copy_from_slice(&state_to_digest(&state));
            block[32] = 0x80;
            block[62] = 1; // 256 bits
            state = IV;
            compress256(&mut state, std::slice::from_ref(&block));
        }
        *out = state[word];
    }
}

/// The AVX-512, AVX2 and SSE4.1 entry points: the generic kernel compiled with the
/// features enabled, so that every vector operation inlines to one instruction.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::layout::Layout;
    use super::rounds::group;
    use crate::hash::span::with_start;
    use crate::hash::vector::x86::{Avx2, Avx512, Sse41};

    /// # Safety
    /// The CPU must have AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn avx512(layout: &Layout, word: usize, out: &mut [u32; 16]) {
        with_start!(layout.skip, layout.hinted, S, H => group::<Avx512, S, H>(layout, word, out))
    }

    /// # Safety
    /// The CPU must have SSE4.1 and SSSE3.
    #[target_feature(enable = "sse2,ssse3,sse4.1")]
    pub(super) unsafe fn sse41(layout: &Layout, word: usize, out: &mut [u32; 16]) {
        with_start!(layout.skip, layout.hinted, S, H => group::<Sse41, S, H>(layout, word, out))
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn avx2(layout: &Layout, word: usize, out: &mut [u32; 16]) {
        with_start!(layout.skip, layout.hinted, S, H => group::<Avx2, S, H>(layout, word, out))
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
