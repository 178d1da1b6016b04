//! SHA-256 on x86's SHA extensions, candidates interleaved.
//!
//! `sha256rnds2` does two rounds with a latency of several cycles but can
//! start one every cycle or two, so a single message (what
//! `sha2::compress256` does) leaves the unit idle much of the time. Here
//! [`STREAMS`] candidates run side by side: every step issues the same
//! instruction on independent states, and the latency of one hides behind
//! the other.
//!
//! The state is kept in SHA-NI's two-register form, `ABEF` (A in the highest
//! lane) and `CDGH`. The hot block starts at quad `Q` (round `4Q`) from the
//! layout's precomputed working variables; message quads that hold no varying
//! word are one shared register, so their schedule work is done once, not four
//! times (the compiler merges the identical computations).
//!
//! # Safety
//!
//! Every function here needs the `sha`, `sse2`, `ssse3` and `sse4.1` target
//! features; [`group`] is the only entry point and its callers check them
//! (`Kernel::ShaNi.is_available()`).

use core::arch::x86_64::*;

use super::functions::{IV, K};
use super::layout::Layout;

/// Candidates in flight at once. Two, measured: with three or four, the
/// states, their message schedules and `sha256rnds2`'s fixed use of `xmm0`
/// for its third operand overflow the sixteen registers, and the spills cost
/// more than the hidden latency gains (on Zen 3: 2 streams 37–40M/s, 3 or 4
/// streams 27–30M/s, 1 stream 29M/s).
pub(super) const STREAMS: usize = 2;

/// Four consecutive words, word `i` in lane `i`.
#[inline(always)]
unsafe fn quad(words: &[u32]) -> __m128i {
    let words = &words[..4];
    // SAFETY: four readable words (checked by the slice above).
    unsafe { _mm_loadu_si128(words.as_ptr().cast()) }
}

/// Working variables `[a..h]` in `ABEF` / `CDGH` form.
#[inline(always)]
unsafe fn pack(s: &[u32; 8]) -> (__m128i, __m128i) {
    let [a, b, c, d, e, f, g, h] = s.map(|x| x as i32);
    unsafe { (_mm_set_epi32(a, b, e, f), _mm_set_epi32(c, d, g, h)) }
}

/// Schedule quad `W[q]` from `W[q-4]`, `W[q-3]`, `W[q-2]`, `W[q-1]`.
#[inline(always)]
unsafe fn next_quad(w4: __m128i, w3: __m128i, w2: __m128i, w1: __m128i) -> __m128i {
    unsafe {
        let t = _mm_sha256msg1_epu32(w4, w3);
        let t = _mm_add_epi32(t, _mm_alignr_epi8::<4>(w1, w2));
        _mm_sha256msg2_epu32(t, w1)
    }
}

/// Quads `FROM..16` of one block for every stream; `m` holds the block's
/// four message quads and is overwritten by the schedule.
#[inline(always)]
unsafe fn rounds<const S: usize, const FROM: usize>(
    abef: &mut [__m128i; S],
    cdgh: &mut [__m128i; S],
    m: &mut [[__m128i; S]; 4],
) {
    macro_rules! step {
        ($($q:literal)*) => {$(
            if $q >= 4 {
                for s in 0..S {
                    m[$q % 4][s] = unsafe {
                        next_quad(m[$q % 4][s], m[($q + 1) % 4][s], m[($q + 2) % 4][s], m[($q + 3) % 4][s])
                    };
                }
            }
            if $q >= FROM {
                let k = unsafe { quad(&K[4 * $q..]) };
                for s in 0..S {
                    unsafe {
                        let wk = _mm_add_epi32(m[$q % 4][s], k);
                        cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], wk);
                        abef[s] = _mm_sha256rnds2_epu32(abef[s], cdgh[s], _mm_shuffle_epi32::<0x0E>(wk));
                    }
                }
            }
        )*};
    }
    step!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
}

/// Message quad `q` of tail block `b` for the streams from lane `base`.
#[inline(always)]
unsafe fn message_quad<const S: usize>(layout: &Layout, b: usize, q: usize, base: usize) -> [__m128i; S] {
    let flat = b * 16 + 4 * q;
    let template = &layout.blocks[b][4 * q..4 * q + 4];
    if (flat..flat + 4).all(|f| layout.varying_slot(f).is_none()) {
        return [unsafe { quad(template) }; S];
    }
    // (Loops, not closures: a closure would not inherit the target features
    // and its intrinsics would stay calls.)
    let mut out = [unsafe { _mm_setzero_si128() }; S];
    for (s, out) in out.iter_mut().enumerate() {
        let mut words = [0u32; 4];
        for (i, word) in words.iter_mut().enumerate() {
            *word = match layout.varying_slot(flat + i) {
                Some(k) => layout.vary[k][base + s],
                None => template[i],
            };
        }
        *out = unsafe { quad(&words) };
    }
    out
}

#[inline(always)]
unsafe fn feed_forward<const S: usize>(
    abef: &mut [__m128i; S],
    cdgh: &mut [__m128i; S],
    (a0, c0): (__m128i, __m128i),
) {
    for s in 0..S {
        unsafe {
            abef[s] = _mm_add_epi32(abef[s], a0);
            cdgh[s] = _mm_add_epi32(cdgh[s], c0);
        }
    }
}

/// Word `word` of the digests of the four candidates from lane `base`.
#[inline(always)]
unsafe fn streams<const S: usize, const Q: usize>(layout: &Layout, base: usize, word: usize) -> [u32; S] {
    let b0 = layout.hot_block;
    let (a, c) = unsafe { pack(&layout.hot[4 * Q]) };
    let (mut abef, mut cdgh) = ([a; S], [c; S]);
    let mut m = [[unsafe { _mm_setzero_si128() }; S]; 4];
    for (q, quads) in m.iter_mut().enumerate() {
        *quads = unsafe { message_quad(layout, b0, q, base) };
    }
    unsafe {
        rounds::<S, Q>(&mut abef, &mut cdgh, &mut m);
        feed_forward(&mut abef, &mut cdgh, pack(&layout.chain));
    }
    for b in b0 + 1..layout.blocks.len() {
        let (prev_abef, prev_cdgh) = (abef, cdgh);
        for (q, quads) in m.iter_mut().enumerate() {
            *quads = unsafe { message_quad(layout, b, q, base) };
        }
        unsafe { rounds::<S, 0>(&mut abef, &mut cdgh, &mut m) };
        for s in 0..S {
            unsafe {
                abef[s] = _mm_add_epi32(abef[s], prev_abef[s]);
                cdgh[s] = _mm_add_epi32(cdgh[s], prev_cdgh[s]);
            }
        }
    }
    if layout.double {
        // SHA-256 of the digest: words a..h become the message, then padding.
        for s in 0..S {
            unsafe {
                let (x, y) = (_mm_shuffle_epi32::<0x1B>(abef[s]), _mm_shuffle_epi32::<0x1B>(cdgh[s]));
                m[0][s] = _mm_unpacklo_epi64(x, y);
                m[1][s] = _mm_unpackhi_epi64(x, y);
                m[2][s] = _mm_set_epi32(0, 0, 0, 0x8000_0000u32 as i32);
                m[3][s] = _mm_set_epi32(256, 0, 0, 0);
            }
        }
        let iv = unsafe { pack(&IV) };
        (abef, cdgh) = ([iv.0; S], [iv.1; S]);
        unsafe {
            rounds::<S, 0>(&mut abef, &mut cdgh, &mut m);
            feed_forward(&mut abef, &mut cdgh, iv);
        }
    }
    // ABEF holds (from lane 0) f, e, b, a; CDGH holds h, g, d, c.
    let (register, lane) = match word {
        0 => (&abef, 3),
        1 => (&abef, 2),
        2 => (&cdgh, 3),
        3 => (&cdgh, 2),
        4 => (&abef, 1),
        5 => (&abef, 0),
        6 => (&cdgh, 1),
        _ => (&cdgh, 0),
    };
    let mut out = [0u32; S];
    for (out, register) in out.iter_mut().zip(register) {
        let mut lanes = [0u32; 4];
        // SAFETY: `lanes` has room for one register.
        unsafe { _mm_storeu_si128(lanes.as_mut_ptr().cast(), *register) };
        *out = lanes[lane];
    }
    out
}

/// Word `word` of the digests of all sixteen composed lanes.
///
/// # Safety
///
/// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub(super) unsafe fn group(layout: &Layout, word: usize, out: &mut [u32; 16]) {
    macro_rules! with_quads {
        ($($q:literal)*) => {
            match layout.skip / 4 {
                $($q => {
                    for base in (0..16).step_by(STREAMS) {
                        // SAFETY: the features are enabled on this function.
                        let words = unsafe { streams::<STREAMS, $q>(layout, base, word) };
                        out[base..base + STREAMS].copy_from_slice(&words);
                    }
                })*
                _ => unreachable!("skip is below 16"),
            }
        };
    }
    with_quads!(0 1 2 3);
}

/// The message block of a 32-byte message held as a state in `ABEF` /
/// `CDGH` form, padded for a message `bits` long in all.
#[inline(always)]
unsafe fn digest_block(abef: __m128i, cdgh: __m128i, bits: i32) -> [__m128i; 4] {
    unsafe {
        // Lane-reversed: a, b, e, f and c, d, g, h; then a..d and e..h.
        let (x, y) = (_mm_shuffle_epi32::<0x1B>(abef), _mm_shuffle_epi32::<0x1B>(cdgh));
        [
            _mm_unpacklo_epi64(x, y),
            _mm_unpackhi_epi64(x, y),
            _mm_set_epi32(0, 0, 0, 0x8000_0000u32 as i32),
            _mm_set_epi32(bits, 0, 0, 0),
        ]
    }
}

/// Compress, in every stream, the 32-byte message held in `abef`/`cdgh`
/// (padded for `bits` in all) from that stream's `from` state, feed-forward
/// included; the result replaces `abef`/`cdgh`.
#[inline(always)]
unsafe fn compress_digests<const S: usize>(
    abef: &mut [__m128i; S],
    cdgh: &mut [__m128i; S],
    from: &[(__m128i, __m128i); S],
    bits: i32,
) {
    let mut m = [[unsafe { _mm_setzero_si128() }; S]; 4];
    for s in 0..S {
        let block = unsafe { digest_block(abef[s], cdgh[s], bits) };
        for q in 0..4 {
            m[q][s] = block[q];
        }
        (abef[s], cdgh[s]) = from[s];
    }
    unsafe { rounds::<S, 0>(abef, cdgh, &mut m) };
    for s in 0..S {
        unsafe {
            abef[s] = _mm_add_epi32(abef[s], from[s].0);
            cdgh[s] = _mm_add_epi32(cdgh[s], from[s].1);
        }
    }
}

/// The words `[a..h]` of a state in `ABEF` / `CDGH` form.
#[inline(always)]
unsafe fn unpack(abef: __m128i, cdgh: __m128i) -> [u32; 8] {
    let (mut x, mut y) = ([0u32; 4], [0u32; 4]);
    // SAFETY: each array has room for one register.
    unsafe {
        _mm_storeu_si128(x.as_mut_ptr().cast(), abef);
        _mm_storeu_si128(y.as_mut_ptr().cast(), cdgh);
    }
    // ABEF holds (from lane 0) f, e, b, a; CDGH holds h, g, d, c.
    [x[3], x[2], y[3], y[2], x[1], x[0], y[1], y[0]]
}

/// [`STREAMS`] key-derivation chains side by side (`chain.rs`): `steps`
/// times, each `u` becomes SHA-256(u) (`hmac` none) or HMAC(P, u) from the
/// stream's inner and outer midstates, xored into its `t`.
///
/// # Safety
///
/// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub(super) unsafe fn chains(
    u: &mut [[u32; 8]; STREAMS],
    t: &mut [[u32; 8]; STREAMS],
    hmac: Option<&[([u32; 8], [u32; 8]); STREAMS]>,
    steps: u32,
) {
    let packed = |states: &[[u32; 8]; STREAMS]| states.map(|s| unsafe { pack(&s) });
    let start = packed(u);
    let (mut abef, mut cdgh) = (start.map(|p| p.0), start.map(|p| p.1));
    match hmac {
        None => {
            let iv = [unsafe { pack(&IV) }; STREAMS];
            for _ in 0..steps {
                unsafe { compress_digests(&mut abef, &mut cdgh, &iv, 256) };
            }
        }
        Some(midstates) => {
            let inner = packed(&midstates.map(|m| m.0));
            let outer = packed(&midstates.map(|m| m.1));
            let t_start = packed(t);
            let (mut t_abef, mut t_cdgh) = (t_start.map(|p| p.0), t_start.map(|p| p.1));
            for _ in 0..steps {
                unsafe {
                    compress_digests(&mut abef, &mut cdgh, &inner, 768);
                    compress_digests(&mut abef, &mut cdgh, &outer, 768);
                }
                for s in 0..STREAMS {
                    t_abef[s] = _mm_xor_si128(t_abef[s], abef[s]);
                    t_cdgh[s] = _mm_xor_si128(t_cdgh[s], cdgh[s]);
                }
            }
            for s in 0..STREAMS {
                t[s] = unsafe { unpack(t_abef[s], t_cdgh[s]) };
            }
        }
    }
    for s in 0..STREAMS {
        u[s] = unsafe { unpack(abef[s], cdgh[s]) };
    }
}
