//! SHA-256 four messages at a time in wasm `simd128` lanes (wasm32 only).
//!
//! wasm has no SHA instructions, so one compression costs 64 rounds of
//! scalar 32-bit operations. A mining worker hashes many messages that share
//! a midstate and a length and differ only in their nonce bytes; putting four
//! of them in the four 32-bit lanes of `v128` vectors runs four compressions
//! per pass of the round function. Lane `l` of every vector belongs to
//! message `l`; nothing crosses lanes.
//!
//! The round function is FIPS 180-4 §6.2.2, written once for vectors. Tests
//! compare it with the `sha2` crate on random messages in the browser.
//!
//! Measured: 1.3–1.8x the scalar midstate path per candidate across runs,
//! not 4x (docs/performance.md).
//! wasm SIMD has no rotate, so each of a round's six rotations costs three
//! instructions, while the scalar path gets a native `rotr`; the kernel is
//! throughput-bound (interleaving two groups of four gave nothing).

use core::arch::wasm32::*;

/// Messages hashed side by side.
pub const LANES: usize = 4;

/// The round constants (FIPS 180-4 §4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

#[inline(always)]
fn rotr<const N: u32>(x: v128) -> v128 {
    v128_or(u32x4_shr(x, N), u32x4_shl(x, 32 - N))
}

#[inline(always)]
fn add(a: v128, b: v128) -> v128 {
    u32x4_add(a, b)
}

/// Word `j` of block `b` of each message, big-endian, one message per lane.
/// (Vector loads and a 4×4 transpose measured no faster: the rounds dominate.)
#[inline(always)]
fn word(blocks: &[&[[u8; 64]]; LANES], b: usize, j: usize) -> v128 {
    let w = |l: usize| {
        let bytes = &blocks[l][b][4 * j..4 * j + 4];
        u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    };
    u32x4(w(0), w(1), w(2), w(3))
}

/// One compression of a block in every lane.
#[inline(always)]
fn compress_block(state: &mut [v128; 8], w: &mut [v128; 16]) {
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for (i, k) in K.iter().enumerate() {
        let wi = if i < 16 {
            w[i]
        } else {
            // The message schedule, kept as a ring of the last 16 words.
            let w15 = w[(i + 1) & 15];
            let w2 = w[(i + 14) & 15];
            let s0 = v128_xor(v128_xor(rotr::<7>(w15), rotr::<18>(w15)), u32x4_shr(w15, 3));
            let s1 = v128_xor(v128_xor(rotr::<17>(w2), rotr::<19>(w2)), u32x4_shr(w2, 10));
            let next = add(add(w[i & 15], s0), add(w[(i + 9) & 15], s1));
            w[i & 15] = next;
            next
        };
        let s1 = v128_xor(v128_xor(rotr::<6>(e), rotr::<11>(e)), rotr::<25>(e));
        // ch(e, f, g): f where e is set, g elsewhere.
        let ch = v128_bitselect(f, g, e);
        let t1 = add(add(add(h, s1), add(ch, u32x4_splat(*k))), wi);
        let s0 = v128_xor(v128_xor(rotr::<2>(a), rotr::<13>(a)), rotr::<22>(a));
        // maj(a, b, c): a where a and b agree, c where they differ.
        let maj = v128_bitselect(c, a, v128_xor(a, b));
        let t2 = add(s0, maj);
        h = g;
        g = f;
        f = e;
        e = add(d, t1);
        d = c;
        c = b;
        b = a;
        a = add(t1, t2);
    }
    for (s, x) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = add(*s, x);
    }
}

/// Compress the padded `blocks` of four messages (all the same number of
/// blocks) from the common `start` state; returns each message's state.
pub fn compress(start: &[u32; 8], blocks: [&[[u8; 64]]; LANES]) -> [[u32; 8]; LANES] {
    let count = blocks[0].len();
    assert!(blocks.iter().all(|b| b.len() == count), "every lane has the same number of blocks");
    let mut state = start.map(|word| u32x4_splat(word));
    for b in 0..count {
        let mut w: [v128; 16] = core::array::from_fn(|j| word(&blocks, b, j));
        compress_block(&mut state, &mut w);
    }
    let lane = |l: usize| -> [u32; 8] {
        state.map(|v| match l {
            0 => u32x4_extract_lane::<0>(v),
            1 => u32x4_extract_lane::<1>(v),
            2 => u32x4_extract_lane::<2>(v),
            _ => u32x4_extract_lane::<3>(v),
        })
    };
    [lane(0), lane(1), lane(2), lane(3)]
}
