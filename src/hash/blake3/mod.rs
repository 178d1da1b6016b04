//! BLAKE3 through the `blake3` crate, with a midstate for mining, a
//! multi-input kernel for Merkle parents, and parmine's mining kernels.
//!
//! A mined block is short: the header is 116 bytes, the blog's JSON of an
//! empty block about 140, both one BLAKE3 chunk (at most 1024 bytes). For such
//! a message the midstate is the chaining value after the prefix's whole
//! blocks, and a candidate costs one `compress_in_place` per block from the
//! one holding the nonce to the end: no hasher state is cloned and nothing is
//! allocated. Longer messages (a JSON block with many transactions) take the
//! streaming `blake3::Hasher`, cloned per candidate.
//!
//! Many candidates ([`Hasher::finish_lanes`]) of a one-chunk message go
//! through a [`Blake3Layout`] and parmine's kernel written once over vectors
//! (`rounds.rs`: scalar, SSE4.1, AVX2, wasm simd128); this file is the one
//! place that maps a [`Kernel`] to its code. The crate's own `hash_many`
//! cannot start from a midstate, which is why that kernel is ours.

mod functions;
mod layout;
mod rounds;

use std::ops::Range;
use std::sync::OnceLock;

use blake3::IncrementCounter;
use blake3::platform::{MAX_SIMD_DEGREE, Platform};

use self::functions::IV;
use self::rounds::group;
use super::span::with_start;
use super::{Digest, Guarded, HashAlgorithm, Hasher, Kernel, MAX_LANES, MAX_NONCE};

// BLAKE3's domain flags (the spec, §2.3); the crate keeps its own private.
/// BLAKE3's chaining value after the whole 64-byte blocks of `blocks`, as
/// the first blocks of a one-chunk message (a midstate, for a miner that
/// finishes the message elsewhere: the GPU's). Never the message's last block.
pub(crate) fn midstate(blocks: &[u8]) -> [u32; 8] {
    let mut cv = IV;
    for (i, block) in blocks.chunks_exact(64).enumerate() {
        let words =
            std::array::from_fn(|j| u32::from_le_bytes(block[4 * j..4 * j + 4].try_into().expect("4 bytes")));
        let flags = if i == 0 { u32::from(CHUNK_START) } else { 0 };
        cv = functions::compress_scalar(&cv, &words, 0, 64, flags);
    }
    cv
}

const CHUNK_START: u8 = 1 << 0;
const CHUNK_END: u8 = 1 << 1;
const ROOT: u8 = 1 << 3;
const BLOCK_LEN: usize = 64;
const CHUNK_LEN: usize = 1024;

/// parmine's BLAKE3 kernels, fastest first (docs/performance.md).
const PREFERENCE: [Kernel; 6] =
    [Kernel::Avx512, Kernel::Avx2, Kernel::Sse41, Kernel::Simd128, Kernel::Scalar, Kernel::Crate];

/// A BLAKE3 tail prepared for many candidates: a one-chunk message through
/// parmine's kernels, or anything through one [`Hasher::finish`] per lane.
#[derive(Debug, Clone)]
pub enum Blake3Layout {
    /// One chunk, parmine's kernel.
    Lanes(Box<layout::Layout>),
    /// The crate kernel, or a message of more than one chunk.
    Each {
        /// The midstate the tail follows.
        mid: Box<Blake3Midstate>,
        /// A copy of the tail to write candidates into.
        tail: Blake3Tail,
        /// The varying tail bytes.
        varying: Range<usize>,
    },
}

/// BLAKE3 state after a prefix.
#[derive(Debug, Clone)]
pub struct Blake3Midstate {
    /// Chaining value after `blocks` whole blocks of the prefix (one chunk).
    cv: [u32; 8],
    blocks: usize,
    /// The prefix bytes after those blocks.
    rest: Vec<u8>,
    prefix_len: usize,
    /// The whole prefix absorbed, for messages of more than one chunk.
    streaming: blake3::Hasher,
}

/// The bytes after a BLAKE3 midstate, padded to whole blocks.
#[derive(Debug, Clone)]
pub struct Blake3Tail {
    /// rest ‖ tail ‖ zeros (one chunk), or just the tail (streaming),
    /// between guards.
    bytes: Guarded<u8>,
    start: usize,
    len: usize,
    single_chunk: bool,
}

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

/// One-block messages through the crate's `hash_many` (the bound a BLAKE3
/// mining kernel is compared with: the crate's SIMD code without a midstate).
pub(crate) fn hash_many_one_block(messages: &[[u8; 64]], out: &mut [Digest]) {
    hash_many_whole::<64>(messages, out)
}

/// BLAKE3 in its default hashing mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Blake3;

impl Hasher for Blake3 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::Blake3;
    type Midstate = Blake3Midstate;
    type Tail = Blake3Tail;
    type Layout = Blake3Layout;

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

    fn midstate(prefix: &[u8]) -> Blake3Midstate {
        let mut streaming = blake3::Hasher::new();
        streaming.update(prefix);
        // Whole blocks of a prefix that fits one chunk; a tail of at least one
        // byte follows, so none of them is the message's last block.
        let blocks = if prefix.len() < CHUNK_LEN { prefix.len() / BLOCK_LEN } else { 0 };
        let mut cv = IV;
        let platform = platform();
        for (i, block) in prefix.as_chunks::<BLOCK_LEN>().0[..blocks].iter().enumerate() {
            let flags = if i == 0 { CHUNK_START } else { 0 };
            platform.compress_in_place(&mut cv, block, BLOCK_LEN as u8, 0, flags);
        }
        Blake3Midstate {
            cv,
            blocks,
            rest: prefix[blocks * BLOCK_LEN..].to_vec(),
            prefix_len: prefix.len(),
            streaming,
        }
    }

    fn tail(mid: &Blake3Midstate, len: usize) -> Blake3Tail {
        let single_chunk = len > 0 && mid.prefix_len + len <= CHUNK_LEN && mid.prefix_len < CHUNK_LEN;
        if !single_chunk {
            return Blake3Tail { bytes: Guarded::new(len, 0), start: 0, len, single_chunk };
        }
        let start = mid.rest.len();
        let mut bytes = Guarded::new((start + len).div_ceil(BLOCK_LEN) * BLOCK_LEN, 0);
        bytes.get_mut()[..start].copy_from_slice(&mid.rest);
        Blake3Tail { bytes, start, len, single_chunk }
    }

    fn tail_bytes(tail: &mut Blake3Tail) -> &mut [u8] {
        &mut tail.bytes.get_mut()[tail.start..tail.start + tail.len]
    }

    #[inline]
    fn finish(mid: &Blake3Midstate, tail: &Blake3Tail) -> Digest {
        if !tail.single_chunk {
            let mut hasher = mid.streaming.clone();
            hasher.update(tail.bytes.get());
            return hasher.finalize().into();
        }
        let platform = platform();
        let mut cv = mid.cv;
        let used = tail.start + tail.len;
        let (blocks, _) = tail.bytes.get().as_chunks::<BLOCK_LEN>();
        let last = blocks.len() - 1;
        for (i, block) in blocks.iter().enumerate() {
            let mut flags = if mid.blocks + i == 0 { CHUNK_START } else { 0 };
            let mut block_len = BLOCK_LEN;
            if i == last {
                flags |= CHUNK_END | ROOT;
                block_len = used - last * BLOCK_LEN;
            }
            platform.compress_in_place(&mut cv, block, block_len as u8, 0, flags);
        }
        let mut out = [0u8; 32];
        for (bytes, word) in out.chunks_exact_mut(4).zip(cv) {
            bytes.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    fn kernels() -> &'static [Kernel] {
        static AVAILABLE: OnceLock<Vec<Kernel>> = OnceLock::new();
        AVAILABLE.get_or_init(|| Kernel::available(&PREFERENCE))
    }

    fn layout(
        mid: &Blake3Midstate,
        tail: &Blake3Tail,
        varying: Range<usize>,
        kernel: Kernel,
    ) -> Blake3Layout {
        assert!(PREFERENCE.contains(&kernel) && kernel.is_available(), "BLAKE3 has no {kernel} kernel here");
        if kernel == Kernel::Crate || !tail.single_chunk {
            return Blake3Layout::Each { mid: Box::new(mid.clone()), tail: tail.clone(), varying };
        }
        let shifted = varying.start + tail.start..varying.end + tail.start;
        Blake3Layout::Lanes(Box::new(layout::Layout::new(
            mid.cv,
            mid.blocks,
            tail.bytes.get(),
            tail.start + tail.len,
            shifted,
            kernel,
        )))
    }

    #[inline]
    fn finish_lanes(
        layout: &mut Blake3Layout,
        nonces: &[[u8; MAX_NONCE]; MAX_LANES],
        word: usize,
        out: &mut [u32; MAX_LANES],
    ) {
        let layout = match layout {
            Blake3Layout::Lanes(layout) => layout,
            Blake3Layout::Each { mid, tail, varying } => {
                for (nonce, out) in nonces.iter().zip(out) {
                    Self::tail_bytes(tail)[varying.clone()].copy_from_slice(&nonce[..varying.len()]);
                    let digest = Self::finish(mid, tail);
                    *out = u32::from_be_bytes(digest[4 * word..4 * word + 4].try_into().unwrap());
                }
                return;
            }
        };
        layout.compose(nonces);
        let layout = &**layout;
        match layout.kernel {
            Kernel::Scalar => {
                with_start!(layout.skip, layout.hinted, S, H => group::<u32, S, H>(layout, word, out))
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: a layout is built only for an available kernel (`layout` above).
            Kernel::Sse41 => unsafe { x86::sse41(layout, word, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            Kernel::Avx2 => unsafe { x86::avx2(layout, word, out) },
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
