//! BLAKE3's compression function (the spec, §2.2), written once over
//! [`U32s`]: one candidate per lane, for every vector backend and `u32`.
//!
//! [`digest_word`] is the kernel. In the hot block it takes round 0's G
//! functions whose inputs are all fixed from the layout instead of computing
//! them (with a binary nonce in one word, seven of the eight), and in the
//! message's last block it computes, in the last round, only the two G
//! functions that produce the digest word asked for.
//!
//! Compiled per start `S` with `HINTS` (`hash/span.rs`), the kernel knows
//! which words can vary: every other message word is a broadcast constant
//! (an operand from memory, not one of the 32 vector registers the state and
//! sixteen message vectors would otherwise need) and round 0's fixed G
//! functions are known without a test.

use super::functions::{G, SCHEDULE, columns, diagonals, g, g_of_round, initial_state, lockstep, rounds};
use super::layout::{Layout, fixed_g};
use crate::hash::span::{in_span, span_words};
use crate::hash::vector::{U32s, rotr};

/// Word `out` (0..8, big-endian) of the digests of the `V::LANES`
/// candidates from lane `base` of the layout's composed words. With
/// `HINTS`, the layout must be [`hinted`](Layout::hinted) for start `S`.
#[inline(always)]
pub(super) fn digest_word<V: U32s, const S: usize, const HINTS: bool>(
    layout: &Layout,
    base: usize,
    out: usize,
) -> V {
    let hot = layout.hot_block;
    let last = layout.blocks.len() - 1;
    let mut cv = [V::splat(0); 8];
    for (c, &x) in cv.iter_mut().zip(&layout.chain) {
        *c = V::splat(x);
    }
    let mut v = [V::splat(0); 16];
    for b in hot..=last {
        let varying = layout.varying_words[b];
        let words = &layout.blocks[b];
        macro_rules! message {
            ($($j:literal)*) => {[$(
                if HINTS && (b != hot || !in_span(S, $j)) {
                    V::splat(words[$j])
                } else if varying >> $j & 1 != 0 {
                    V::load(&layout.vary[16 * b + $j - layout.first][base..])
                } else {
                    V::splat(words[$j])
                },
            )*]};
        }
        let m: [V; 16] = message!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
        let start = initial_state(&[0; 8], layout.counter, layout.lens[b], layout.flags[b]);
        for i in 0..16 {
            v[i] = if i < 8 { cv[i] } else { V::splat(start[i]) };
        }
        let v = &mut v;
        if b == hot {
            // Round 0: G functions of fixed inputs come from the layout.
            let fixed = if HINTS { const { fixed_g(span_words(S)) } } else { layout.fixed_g };
            macro_rules! first_round {
                ($($i:tt)*) => {$(
                    if fixed >> $i & 1 != 0 {
                        let from = if $i < 4 { &layout.after_columns } else { &layout.after_round0 };
                        for s in G[$i] {
                            v[s] = V::splat(from[s]);
                        }
                    } else {
                        g_of_round!(v, m, 0, $i);
                    }
                )*};
            }
            first_round!(0 1 2 3 4 5 6 7);
        } else {
            rounds!(v, m, 0);
        }
        rounds!(v, m, 1 2 3 4 5);
        columns!(v, m, 6);
        if b < last {
            diagonals!(v, m, 6);
            for i in 0..8 {
                cv[i] = v[i].xor(v[i + 8]);
            }
        } else if matches!(out, 0 | 2 | 5 | 7) {
            // The last round's diagonals: only the two that write state
            // words `out` and `out + 8` (G4 and G6 for these, G5 and G7 for
            // the others).
            lockstep!(v, m, 6, (0, 5, 10, 15, 8, 9), (2, 7, 8, 13, 12, 13));
        } else {
            lockstep!(v, m, 6, (1, 6, 11, 12, 10, 11), (3, 4, 9, 14, 14, 15));
        }
    }
    // Digest bytes are the little-endian words `v[i] ^ v[i + 8]`.
    v[out].xor(v[out + 8])
}

/// Every lane of a group through the backend `V`: `out[l]` for lanes
/// `0..16`, as big-endian digest words.
#[inline(always)]
pub(super) fn group<V: U32s, const S: usize, const HINTS: bool>(
    layout: &Layout,
    word: usize,
    out: &mut [u32; 16],
) {
    for base in (0..16).step_by(V::LANES) {
        digest_word::<V, S, HINTS>(layout, base, word).store(&mut out[base..]);
    }
    // The digest's words are little-endian; the caller reads them
    // big-endian. Swapped here, where the kernel's target features let the
    // compiler use one byte shuffle (outside, plain SSE2 took 5% of a scan).
    for word in out.iter_mut() {
        *word = word.swap_bytes();
    }
}
