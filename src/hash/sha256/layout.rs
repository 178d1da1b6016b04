//! A SHA-256 tail prepared for many candidates: everything that does not
//! depend on the nonce, computed once.
//!
//! The tail is the padded blocks after the midstate; candidates differ only in
//! a run of nonce bytes. Words are SHA-256's big-endian 32-bit words; a word
//! is *varying* if it holds a nonce byte that differs between candidates.
//!
//! * Blocks before the first varying word are compressed here, once.
//! * In the block that holds it (the *hot* block), the rounds before that word
//!   use only fixed words: the working variables after each of them are kept
//!   (`hot[r]`), and a kernel starts at round `r`.
//! * A schedule word `W[t]` (t ≥ 16) whose four sources are all fixed is fixed
//!   too; those are computed here, with `K[t]` added. Which ones a kernel
//!   takes from here is decided when it is compiled (`rounds.rs`,
//!   `fixed_words`), for layouts whose nonce fits its span ([`Layout::hinted`]).
//! * Per group of candidates, only the varying words are assembled
//!   ([`Layout::compose`]), as one array per word with a slot per lane, which
//!   a vector kernel loads in one instruction.

use std::ops::Range;

use super::functions::{K, compress_scalar, round_scalar, schedule_word};
use crate::hash::kernel::{Kernel, MAX_LANES};
use crate::hash::span;

/// Most varying words: a 20-digit decimal nonce spans at most six.
pub(super) const MAX_VARYING: usize = 6;

/// Nonce bytes of one candidate, as the worker hands them over.
pub const MAX_NONCE: usize = 20;

/// The hot block's schedule computed from the template (varying bytes zero):
/// right wherever `W[t]` depends on no varying word, which is the only place
/// a kernel reads it.
#[derive(Debug, Clone)]
pub(super) struct Schedule {
    /// `W[t]`.
    pub w: [u32; 64],
    /// `W[t] + K[t]`.
    pub wk: [u32; 64],
}

impl Schedule {
    /// For a kernel that reads no hints.
    pub const NONE: Schedule = Schedule { w: [0; 64], wk: [0; 64] };
}

/// A SHA-256 tail ready for [`super::Sha256::finish_lanes`].
#[derive(Debug, Clone)]
pub struct Layout {
    pub(super) kernel: Kernel,
    /// The tail blocks as words, varying bytes zero.
    pub(super) blocks: Vec<[u32; 16]>,
    /// The state before the hot block (the midstate, plus any fixed tail
    /// blocks before the hot one).
    pub(super) chain: [u32; 8],
    /// Index of the hot block in `blocks`.
    pub(super) hot_block: usize,
    /// Rounds of the hot block that need no varying word.
    pub(super) skip: usize,
    /// The hot block's varying words fit the span of a hinted kernel
    /// (`hash/span.rs`), which takes its fixed schedule words as constants.
    pub(super) hinted: bool,
    /// `hot[r]`: the working variables after `r` rounds of the hot block, for
    /// `r` in `0..=skip`.
    pub(super) hot: [[u32; 8]; 16],
    /// The hot block's fixed schedule words.
    pub(super) schedule: Schedule,
    /// Flat word index (`block * 16 + word`) of the first varying word.
    pub(super) first: usize,
    /// Varying words, from `first` on.
    pub(super) count: usize,
    /// Where varying byte `i` goes: (word slot, left shift).
    places: Vec<(u8, u8)>,
    /// The varying bytes are whole words: each lane's words are read
    /// straight from its bytes.
    aligned: bool,
    /// Per group: `vary[k][lane]` is varying word `first + k` of a lane.
    pub(super) vary: [[u32; MAX_LANES]; MAX_VARYING],
    /// Second SHA-256 over the digest (Bitcoin's double SHA-256).
    pub(super) double: bool,
    /// The tail as bytes, and the varying byte range, for the crate kernel.
    pub(super) bytes: Vec<[u8; 64]>,
    pub(super) varying: Range<usize>,
}

impl Layout {
    /// Prepare `blocks` (the padded tail after a midstate of state `state`),
    /// whose bytes `varying` differ between candidates.
    pub(super) fn new(
        state: [u32; 8],
        blocks: &[[u8; 64]],
        varying: Range<usize>,
        kernel: Kernel,
        double: bool,
    ) -> Layout {
        assert!(!varying.is_empty() && varying.len() <= MAX_NONCE, "1 to {MAX_NONCE} varying bytes");
        assert!(varying.end <= blocks.len() * 64);
        let mut words: Vec<[u32; 16]> = blocks
            .iter()
            .map(|block| {
                std::array::from_fn(|j| u32::from_be_bytes(block[4 * j..4 * j + 4].try_into().unwrap()))
            })
            .collect();
        let first = varying.start / 4;
        let count = (varying.end - 1) / 4 + 1 - first;
        assert!(count <= MAX_VARYING);
        let mut places = Vec::with_capacity(varying.len());
        for byte in varying.clone() {
            let shift = 8 * (3 - byte % 4) as u8;
            words[byte / 64][byte % 64 / 4] &= !(0xff << shift);
            places.push(((byte / 4 - first) as u8, shift));
        }

        // Whole blocks before the hot one are the same for every candidate.
        let hot_block = first / 16;
        let mut chain = state;
        for block in &words[..hot_block] {
            chain = compress_scalar(chain, block);
        }
        let skip = first % 16;
        let block = &words[hot_block];
        let mut hot = [[0; 8]; 16];
        hot[0] = chain;
        for r in 0..skip {
            hot[r + 1] = round_scalar(hot[r], block[r].wrapping_add(K[r]));
        }

        let hinted = span::fits(skip, count);
        let mut schedule = Schedule { w: [0; 64], wk: [0; 64] };
        for t in 0..64 {
            schedule.w[t] = if t < 16 { block[t] } else { schedule_word(&schedule.w, t) };
            schedule.wk[t] = schedule.w[t].wrapping_add(K[t]);
        }

        Layout {
            kernel,
            blocks: words,
            chain,
            hot_block,
            skip,
            hinted,
            hot,
            schedule,
            first,
            count,
            aligned: varying.start.is_multiple_of(4) && varying.len().is_multiple_of(4),
            places,
            vary: [[0; MAX_LANES]; MAX_VARYING],
            double,
            bytes: blocks.to_vec(),
            varying,
        }
    }

    /// Fill [`vary`](Self::vary) from each lane's varying nonce bytes.
    #[inline]
    pub(super) fn compose(&mut self, nonces: &[[u8; MAX_NONCE]; MAX_LANES]) {
        if self.aligned {
            for (k, words) in self.vary[..self.count].iter_mut().enumerate() {
                for (word, nonce) in words.iter_mut().zip(nonces) {
                    *word = u32::from_be_bytes(nonce[4 * k..4 * k + 4].try_into().expect("4 bytes"));
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

    /// The varying slot of word `flat`, if it is one.
    #[inline(always)]
    pub(super) fn varying_slot(&self, flat: usize) -> Option<usize> {
        flat.checked_sub(self.first).filter(|&k| k < self.count)
    }
}
