//! SHA-256's compression function (FIPS 180-4 §6.2.2), written once over
//! [`U32s`]: one candidate per lane, for every vector backend and for plain
//! `u32`.
//!
//! [`digest_word`] is the kernel: from a [`Layout`] it starts the hot block at
//! round `SKIP` from precomputed working variables, takes fixed schedule words
//! from the layout, compresses any later tail blocks, and returns one word of
//! each lane's digest. The 64 rounds are written out by a macro so that every
//! index is a constant: the schedule lives in sixteen named vectors.
//!
//! Which schedule words are fixed is a constant too ([`fixed_words`]): the
//! kernel for `SKIP` assumes the nonce varies only in words `SKIP..SKIP +
//! SPAN` (`hash/span.rs`); a layout that does not fit runs without hints.

use super::functions::{IV, K, round, small_sigma0, small_sigma1};
use super::layout::{Layout, Schedule};
use crate::hash::span::{in_span, span_words};
use crate::hash::vector::U32s;

/// Bit `t` set when the hinted kernel for `skip` takes schedule word `W[t]`
/// from the layout: message words outside `skip..skip + SPAN`, and schedule
/// words all of whose sources are fixed.
pub(super) const fn fixed_words(skip: usize) -> u64 {
    let mut mask = !(span_words(skip) as u64);
    let mut t = 16;
    while t < 64 {
        let sources = 1 << (t - 2) | 1 << (t - 7) | 1 << (t - 15) | 1 << (t - 16);
        if mask & sources != sources {
            mask &= !(1 << t);
        }
        t += 1;
    }
    mask
}

/// Rounds `SKIP..64` of one block from working variables `s`, message words
/// `w` (overwritten by the schedule); where `HINTS`, the words
/// [`fixed_words`] names come from `fixed`. Returns the working variables (no
/// feed-forward).
#[inline(always)]
fn rounds<V: U32s, const SKIP: usize, const HINTS: bool>(
    mut s: [V; 8],
    w: &mut [V; 16],
    fixed: &Schedule,
) -> [V; 8] {
    let hinted = const { if HINTS { fixed_words(SKIP) } else { 0 } };
    macro_rules! step {
        ($($t:literal)*) => {$(
            if $t >= SKIP {
                let wk = if hinted >> $t & 1 != 0 {
                    if $t >= 16 {
                        w[$t % 16] = V::splat(fixed.w[$t]);
                    }
                    V::splat(fixed.wk[$t])
                } else {
                    if $t >= 16 {
                        w[$t % 16] = small_sigma1(w[($t + 14) % 16])
                            .add(w[($t + 9) % 16])
                            .add(small_sigma0(w[($t + 1) % 16]))
                            .add(w[$t % 16]);
                    }
                    w[$t % 16].add(V::splat(K[$t]))
                };
                round(&mut s, wk);
            }
        )*};
    }
    step!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
          32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63);
    s
}

/// Lane-wise `a + b` of two states (the feed-forward).
#[inline(always)]
fn add_states<V: U32s>(a: [V; 8], b: [V; 8]) -> [V; 8] {
    [
        a[0].add(b[0]),
        a[1].add(b[1]),
        a[2].add(b[2]),
        a[3].add(b[3]),
        a[4].add(b[4]),
        a[5].add(b[5]),
        a[6].add(b[6]),
        a[7].add(b[7]),
    ]
}

/// One whole compression of message words `w` from `state`, feed-forward
/// included (the key-derivation chains, `chain.rs`).
#[inline(always)]
pub(super) fn compress<V: U32s>(state: [V; 8], mut w: [V; 16]) -> [V; 8] {
    add_states(state, rounds::<V, 0, false>(state, &mut w, &Schedule::NONE))
}

/// The one block of a message whose last 32 bytes are `words` and whose
/// whole length is `bits`: the words, the padding bit, zeros, the length.
#[inline(always)]
pub(super) fn short_block<V: U32s>(words: [V; 8], bits: u32) -> [V; 16] {
    let mut w = [V::splat(0); 16];
    w[..8].copy_from_slice(&words);
    w[8] = V::splat(0x8000_0000);
    w[15] = V::splat(bits);
    w
}

/// Word `j` of tail block `b` for the lanes from `base`: the template's,
/// or the lanes' own where it varies.
#[inline(always)]
fn message_word<V: U32s>(layout: &Layout, b: usize, j: usize, base: usize) -> V {
    let flat = b * 16 + j;
    match layout.varying_slot(flat) {
        Some(k) => V::load(&layout.vary[k][base..]),
        None => V::splat(layout.word(flat)),
    }
}

/// Word `out` (0..8) of the digests of the `V::LANES` candidates from lane
/// `base` of the layout's composed words.
///
/// `SKIP` must be at most the layout's `skip`: the kernel starts from
/// `hot[SKIP]`. With `HINTS`, the layout must be [`hinted`](Layout::hinted)
/// (`hash/span.rs`) for `SKIP`.
#[inline(always)]
pub(super) fn digest_word<V: U32s, const SKIP: usize, const HINTS: bool>(
    layout: &Layout,
    base: usize,
    out: usize,
) -> V {
    let b0 = layout.hot_block;
    let mut w: [V; 16] = std::array::from_fn(|j| {
        if HINTS && !in_span(SKIP, j) {
            V::splat(layout.word(b0 * 16 + j))
        } else {
            message_word(layout, b0, j, base)
        }
    });
    let start = layout.hot[SKIP].map(V::splat);
    let chain = layout.chain.map(V::splat);
    let mut state = add_states(chain, rounds::<V, SKIP, HINTS>(start, &mut w, &layout.schedule));
    for b in b0 + 1..layout.blocks.len() {
        state = compress(state, std::array::from_fn(|j| message_word(layout, b, j, base)));
    }
    if layout.double {
        // SHA-256 of the 32-byte digest: one block, its padding fixed.
        state = compress(IV.map(V::splat), short_block(state, 256));
    }
    state[out]
}

/// Every lane of a group through the backend `V`: `out[l]` for lanes `0..16`.
#[inline(always)]
pub(super) fn group<V: U32s, const SKIP: usize, const HINTS: bool>(
    layout: &Layout,
    word: usize,
    out: &mut [u32; 16],
) {
    for base in (0..16).step_by(V::LANES) {
        digest_word::<V, SKIP, HINTS>(layout, base, word).store(&mut out[base..]);
    }
}
