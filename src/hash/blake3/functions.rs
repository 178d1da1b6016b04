//! BLAKE3's constants, G function and round macros (the spec, §2.2),
//! written once over [`U32s`], and the scalar compressions the layout's
//! precomputation uses; the lane kernel (`rounds.rs`) builds on the same.

use crate::hash::vector::{U32s, rotr};

/// The IV (BLAKE3 shares SHA-256's).
pub(crate) const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// The message word each round's G functions take, in order (the spec's
/// permutation applied round after round).
pub(super) const SCHEDULE: [[usize; 16]; 7] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8],
    [3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1],
    [10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6],
    [12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4],
    [9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7],
    [11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13],
];

/// The state words each G function works on: four columns, then four diagonals.
pub(super) const G: [[usize; 4]; 8] = [
    [0, 4, 8, 12],
    [1, 5, 9, 13],
    [2, 6, 10, 14],
    [3, 7, 11, 15],
    [0, 5, 10, 15],
    [1, 6, 11, 12],
    [2, 7, 8, 13],
    [3, 4, 9, 14],
];

/// The G function on state words `A`, `B`, `C`, `D` with message words `x`,
/// `y` (const indices, so the state stays in registers).
#[inline(always)]
pub(super) fn g<V: U32s, const A: usize, const B: usize, const C: usize, const D: usize>(
    v: &mut [V; 16],
    x: V,
    y: V,
) {
    v[A] = v[A].add(v[B]).add(x);
    v[D] = v[D].xor(v[A]).rotr16();
    v[C] = v[C].add(v[D]);
    v[B] = rotr!(v[B].xor(v[C]), 12);
    v[A] = v[A].add(v[B]).add(y);
    v[D] = v[D].xor(v[A]).rotr8();
    v[C] = v[C].add(v[D]);
    v[B] = rotr!(v[B].xor(v[C]), 7);
}

/// G function `$i` (0..8, a literal) of round `$r` (a literal).
macro_rules! g_of_round {
    ($v:expr, $m:expr, $r:literal, 0) => {
        g::<V, 0, 4, 8, 12>($v, $m[SCHEDULE[$r][0]], $m[SCHEDULE[$r][1]])
    };
    ($v:expr, $m:expr, $r:literal, 1) => {
        g::<V, 1, 5, 9, 13>($v, $m[SCHEDULE[$r][2]], $m[SCHEDULE[$r][3]])
    };
    ($v:expr, $m:expr, $r:literal, 2) => {
        g::<V, 2, 6, 10, 14>($v, $m[SCHEDULE[$r][4]], $m[SCHEDULE[$r][5]])
    };
    ($v:expr, $m:expr, $r:literal, 3) => {
        g::<V, 3, 7, 11, 15>($v, $m[SCHEDULE[$r][6]], $m[SCHEDULE[$r][7]])
    };
    ($v:expr, $m:expr, $r:literal, 4) => {
        g::<V, 0, 5, 10, 15>($v, $m[SCHEDULE[$r][8]], $m[SCHEDULE[$r][9]])
    };
    ($v:expr, $m:expr, $r:literal, 5) => {
        g::<V, 1, 6, 11, 12>($v, $m[SCHEDULE[$r][10]], $m[SCHEDULE[$r][11]])
    };
    ($v:expr, $m:expr, $r:literal, 6) => {
        g::<V, 2, 7, 8, 13>($v, $m[SCHEDULE[$r][12]], $m[SCHEDULE[$r][13]])
    };
    ($v:expr, $m:expr, $r:literal, 7) => {
        g::<V, 3, 4, 9, 14>($v, $m[SCHEDULE[$r][14]], $m[SCHEDULE[$r][15]])
    };
}

/// G functions on several quadruples of state words at once, in lockstep:
/// each line does one step of every G before the next step, so the
/// independent G functions fill the pipeline (as the `blake3` crate's own
/// SIMD code is written). `$x` and `$y` are message word indices of round
/// `$r`'s schedule.
macro_rules! lockstep {
    ($v:expr, $m:expr, $r:literal, $(($a:literal, $b:literal, $c:literal, $d:literal, $x:literal, $y:literal)),*) => {{
        let v = &mut *$v;
        $( v[$a] = v[$a].add(v[$b]).add($m[SCHEDULE[$r][$x]]); )*
        $( v[$d] = v[$d].xor(v[$a]).rotr16(); )*
        $( v[$c] = v[$c].add(v[$d]); )*
        $( v[$b] = rotr!(v[$b].xor(v[$c]), 12); )*
        $( v[$a] = v[$a].add(v[$b]).add($m[SCHEDULE[$r][$y]]); )*
        $( v[$d] = v[$d].xor(v[$a]).rotr8(); )*
        $( v[$c] = v[$c].add(v[$d]); )*
        $( v[$b] = rotr!(v[$b].xor(v[$c]), 7); )*
    }};
}

/// The column step of round `$r` (a literal).
macro_rules! columns {
    ($v:expr, $m:expr, $r:literal) => {
        lockstep!($v, $m, $r, (0, 4, 8, 12, 0, 1), (1, 5, 9, 13, 2, 3));
        lockstep!($v, $m, $r, (2, 6, 10, 14, 4, 5), (3, 7, 11, 15, 6, 7))
    };
}

/// The diagonal step of round `$r` (a literal).
macro_rules! diagonals {
    ($v:expr, $m:expr, $r:literal) => {
        lockstep!($v, $m, $r, (0, 5, 10, 15, 8, 9), (1, 6, 11, 12, 10, 11));
        lockstep!($v, $m, $r, (2, 7, 8, 13, 12, 13), (3, 4, 9, 14, 14, 15))
    };
}

/// Rounds `$r…` in full (literals).
macro_rules! rounds {
    ($v:expr, $m:expr, $($r:literal)*) => {$(
        columns!($v, $m, $r);
        diagonals!($v, $m, $r);
    )*};
}

/// The state a compression starts from.
#[inline(always)]
pub(super) fn initial_state(cv: &[u32; 8], counter: u64, block_len: u32, flags: u32) -> [u32; 16] {
    [
        cv[0],
        cv[1],
        cv[2],
        cv[3],
        cv[4],
        cv[5],
        cv[6],
        cv[7],
        IV[0],
        IV[1],
        IV[2],
        IV[3],
        counter as u32,
        (counter >> 32) as u32,
        block_len,
        flags,
    ]
}

/// Round 0 in scalar code, keeping the state after its column step
/// (precomputation of the hot block).
pub(super) fn round0_scalar(v: &mut [u32; 16], m: &[u32; 16]) -> [u32; 16] {
    type V = u32;
    g_of_round!(v, m, 0, 0);
    g_of_round!(v, m, 0, 1);
    g_of_round!(v, m, 0, 2);
    g_of_round!(v, m, 0, 3);
    let columns = *v;
    g_of_round!(v, m, 0, 4);
    g_of_round!(v, m, 0, 5);
    g_of_round!(v, m, 0, 6);
    g_of_round!(v, m, 0, 7);
    columns
}

/// A whole compression in scalar code; the new chaining value.
pub(super) fn compress_scalar(
    cv: &[u32; 8],
    m: &[u32; 16],
    counter: u64,
    block_len: u32,
    flags: u32,
) -> [u32; 8] {
    let mut v = initial_state(cv, counter, block_len, flags);
    rounds!(&mut v, m, 0 1 2 3 4 5 6);
    std::array::from_fn(|i| v[i] ^ v[i + 8])
}

pub(super) use {columns, diagonals, g_of_round, lockstep, rounds};
