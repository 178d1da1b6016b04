//! SHA-256's constants and functions (FIPS 180-4 §4.1.2, §4.2.2, §5.3.3,
//! §6.2.2), written once over [`U32s`]: the lane kernel (`rounds.rs`) and
//! the layout's precomputation (`layout.rs`) both build on them.

use crate::hash::vector::{U32s, rotr};

/// The round constants (FIPS 180-4 §4.2.2).
pub(crate) const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value (FIPS 180-4 §5.3.3).
pub(crate) const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

#[inline(always)]
pub(super) fn small_sigma0<V: U32s>(x: V) -> V {
    rotr!(x, 7).xor3(rotr!(x, 18), x.shr::<3>())
}

#[inline(always)]
pub(super) fn small_sigma1<V: U32s>(x: V) -> V {
    rotr!(x, 17).xor3(rotr!(x, 19), x.shr::<10>())
}

/// One round on working variables `s` with `wk = W[t] + K[t]`.
#[inline(always)]
pub(super) fn round<V: U32s>(s: &mut [V; 8], wk: V) {
    let [a, b, c, d, e, f, g, h] = *s;
    let s1 = rotr!(e, 6).xor3(rotr!(e, 11), rotr!(e, 25));
    let t1 = h.add(s1).add(V::choose(e, f, g)).add(wk);
    let s0 = rotr!(a, 2).xor3(rotr!(a, 13), rotr!(a, 22));
    let t2 = s0.add(V::majority(a, b, c));
    *s = [t1.add(t2), a, b, c, d.add(t1), e, f, g];
}

/// One scalar round (precomputation).
pub(super) fn round_scalar(mut s: [u32; 8], wk: u32) -> [u32; 8] {
    round(&mut s, wk);
    s
}

/// `W[t]` from the words before it (scalar, precomputation).
pub(super) fn schedule_word(w: &[u32; 64], t: usize) -> u32 {
    small_sigma1(w[t - 2])
        .wrapping_add(w[t - 7])
        .wrapping_add(small_sigma0(w[t - 15]))
        .wrapping_add(w[t - 16])
}

/// One whole compression, in plain scalar code (precomputation only).
pub(super) fn compress_scalar(state: [u32; 8], block: &[u32; 16]) -> [u32; 8] {
    let mut w = [0u32; 64];
    w[..16].copy_from_slice(block);
    for t in 16..64 {
        w[t] = schedule_word(&w, t);
    }
    let mut s = state;
    for t in 0..64 {
        s = round_scalar(s, w[t].wrapping_add(K[t]));
    }
    std::array::from_fn(|i| state[i].wrapping_add(s[i]))
}
