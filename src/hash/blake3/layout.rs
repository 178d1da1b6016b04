//! A BLAKE3 tail prepared for many candidates.
//!
//! The tail is the rest of one chunk after the midstate's whole blocks,
//! padded to whole blocks. Words are BLAKE3's little-endian message words; a
//! word *varies* if it holds a nonce byte that differs between candidates.
//! Blocks before the first varying word are compressed here once; in the
//! block that holds it (the *hot* block), round 0's G functions whose inputs
//! are all fixed are computed here too, and the kernel takes their outputs.

use std::ops::Range;

use super::functions::{G, compress_scalar, initial_state, round0_scalar};
use crate::hash::kernel::{Kernel, MAX_LANES};
use crate::hash::sha256::MAX_NONCE;
use crate::hash::span;

/// Most varying words: a 20-digit decimal nonce spans at most six.
const MAX_VARYING: usize = 6;

/// A BLAKE3 tail ready for [`super::Blake3::finish_lanes`].
#[derive(Debug, Clone)]
pub struct Layout {
    pub(super) kernel: Kernel,
    /// The tail blocks as words, varying bytes zero.
    pub(super) blocks: Vec<[u32; 16]>,
    /// Each block's flags and length.
    pub(super) flags: Vec<u32>,
    pub(super) lens: Vec<u32>,
    /// The chunk counter (0: parmine's tails are in the first chunk).
    pub(super) counter: u64,
    /// The chaining value before the hot block.
    pub(super) chain: [u32; 8],
    pub(super) hot_block: usize,
    /// The first varying word's index in the hot block.
    pub(super) skip: usize,
    /// The varying words fit the span of a hinted kernel (`hash/span.rs`).
    pub(super) hinted: bool,
    /// Bit `i` set when round 0's G function `i` of the hot block has only
    /// fixed inputs; its outputs are then in `after_columns` (i < 4) or
    /// `after_round0` (i ≥ 4).
    pub(super) fixed_g: u8,
    pub(super) after_columns: [u32; 16],
    pub(super) after_round0: [u32; 16],
    /// Per block, bit `j` set when word `j` varies.
    pub(super) varying_words: Vec<u16>,
    /// Flat word index (`block * 16 + word`) of the first varying word.
    pub(super) first: usize,
    pub(super) count: usize,
    /// Where varying byte `i` goes: (word slot, left shift).
    places: Vec<(u8, u8)>,
    /// The varying bytes are whole words: each lane's words are read
    /// straight from its bytes.
    aligned: bool,
    /// Per group: `vary[k][lane]` is varying word `first + k` of a lane.
    pub(super) vary: [[u32; MAX_LANES]; MAX_VARYING],
}

impl Layout {
    /// Prepare the single-chunk tail `bytes` (whole blocks; `used` of them
    /// are message) after `prefix_blocks` blocks whose chaining value is
    /// `cv`, for candidates whose bytes `varying` differ.
    pub(super) fn new(
        cv: [u32; 8],
        prefix_blocks: usize,
        bytes: &[u8],
        used: usize,
        varying: Range<usize>,
        kernel: Kernel,
    ) -> Layout {
        use super::{CHUNK_END, CHUNK_START, ROOT};
        assert!(!varying.is_empty() && varying.len() <= MAX_NONCE && varying.end <= used);
        assert!(bytes.len().is_multiple_of(64) && used <= bytes.len() && used > bytes.len() - 64);
        let count_blocks = bytes.len() / 64;
        let mut blocks: Vec<[u32; 16]> = bytes
            .chunks_exact(64)
            .map(|block| {
                std::array::from_fn(|j| u32::from_le_bytes(block[4 * j..4 * j + 4].try_into().unwrap()))
            })
            .collect();
        let mut flags = vec![0u32; count_blocks];
        let mut lens = vec![64u32; count_blocks];
        if prefix_blocks == 0 {
            flags[0] |= u32::from(CHUNK_START);
        }
        flags[count_blocks - 1] |= u32::from(CHUNK_END | ROOT);
        lens[count_blocks - 1] = (used - (count_blocks - 1) * 64) as u32;

        let first = varying.start / 4;
        let count = (varying.end - 1) / 4 + 1 - first;
        assert!(count <= MAX_VARYING);
        let mut places = Vec::with_capacity(varying.len());
        for byte in varying.clone() {
            let shift = 8 * (byte % 4) as u8;
            blocks[byte / 64][byte % 64 / 4] &= !(0xff << shift);
            places.push(((byte / 4 - first) as u8, shift));
        }

        let counter = 0;
        let hot_block = first / 16;
        let mut chain = cv;
        for b in 0..hot_block {
            chain = compress_scalar(&chain, &blocks[b], counter, lens[b], flags[b]);
        }
        let mut varying_words = vec![0u16; count_blocks];
        for flat in first..first + count {
            varying_words[flat / 16] |= 1 << (flat % 16);
        }
        let fixed_g = fixed_g(varying_words[hot_block]);
        let mut v = initial_state(&chain, counter, lens[hot_block], flags[hot_block]);
        let after_columns = round0_scalar(&mut v, &blocks[hot_block]);
        debug_assert!(G.len() == 8);

        Layout {
            kernel,
            varying_words,
            blocks,
            flags,
            lens,
            counter,
            chain,
            hot_block,
            skip: first % 16,
            hinted: span::fits(first % 16, count),
            fixed_g,
            after_columns,
            after_round0: v,
            first,
            count,
            aligned: varying.start.is_multiple_of(4) && varying.len().is_multiple_of(4),
            places,
            vary: [[0; MAX_LANES]; MAX_VARYING],
        }
    }

    /// Fill [`vary`](Self::vary) from each lane's varying nonce bytes.
    #[inline]
    pub(super) fn compose(&mut self, nonces: &[[u8; MAX_NONCE]; MAX_LANES]) {
        if self.aligned {
            for (k, words) in self.vary[..self.count].iter_mut().enumerate() {
                for (word, nonce) in words.iter_mut().zip(nonces) {
                    *word = u32::from_le_bytes(nonce[4 * k..4 * k + 4].try_into().expect("4 bytes"));
                }
            }
            return;
        }
        for k in 0..self.count {
            let template = self.word(self.first + k);
            self.vary[k] = [template; MAX_LANES];
        }
        for (lane, nonce) in nonces.iter().enumerate() {
            for (&(slot, shift), &byte) in self.places.iter().zip(nonce) {
                self.vary[slot as usize][lane] |= u32::from(byte) << shift;
            }
        }
    }

    /// Word `flat` (`block * 16 + word`) of the template.
    #[inline(always)]
    pub(super) fn word(&self, flat: usize) -> u32 {
        self.blocks[flat / 16][flat % 16]
    }
}

/// Bit `i` set when round 0's G function `i` of a block sees no word of
/// `varying` (bit `j` for message word `j`): a column's message words are
/// `2i` and `2i + 1`; a diagonal also needs all four columns fixed, since it
/// takes one output of each. A layout asks with its own varying words, a
/// hinted kernel with its span's (`rounds.rs`).
pub(super) const fn fixed_g(varying: u16) -> u8 {
    let mut mask = 0u8;
    let mut i = 0;
    while i < 8 {
        let words = 0b11 << (2 * i);
        if varying & words == 0 && (i < 4 || mask & 0x0f == 0x0f) {
            mask |= 1 << i;
        }
        i += 1;
    }
    mask
}
