//! Vectors of 32-bit lanes: the one vocabulary the multi-candidate kernels
//! are written in.
//!
//! SHA-256 and BLAKE3 are both made of 32-bit additions, XORs, ANDs and
//! rotations. A kernel written once over [`U32s`] hashes one candidate per
//! lane: with `u32` itself (one lane, the portable scalar kernel), SSE4.1
//! (4), AVX2 (8), AVX-512 (16) and wasm `simd128` (4). Lane `l` of every
//! vector belongs to candidate `l`; nothing crosses lanes.
//!
//! [`portable::Lanes`] (tests only) is the same vocabulary on plain arrays,
//! at any width; the mining kernels are not instantiated on it (see its
//! module for why), so the 16-lane kernel is checked where the CPU has
//! AVX-512.
//!
//! Each backend is a handful of one-instruction methods; the round functions
//! live once in `sha256/rounds.rs` and `blake3/rounds.rs`, so a backend that
//! passes the tests of one lane width is the same algorithm at any other.
//!
//! The x86 types wrap intrinsics that need CPU features. They are private to
//! [`x86`], whose only users are kernel entry points compiled with
//! `#[target_feature]` and called only after run-time detection (see
//! `hash/kernel.rs`).

#[cfg(test)]
pub(crate) mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod wasm;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86;

/// Most lanes of any backend; callers size their lane buffers by it.
pub const MAX_LANES: usize = 16;

/// A vector of [`LANES`](U32s::LANES) 32-bit words with lane-wise operations.
///
/// Rotations take both shift counts (`R + L = 32`) because stable Rust cannot
/// compute `32 - R` from a const parameter; [`rotr!`] writes them.
pub(crate) trait U32s: Copy {
    /// Words in one vector.
    const LANES: usize;

    /// Every lane `x`.
    fn splat(x: u32) -> Self;
    /// Lane `l` from `words[l]`, for the first `LANES` words.
    fn load(words: &[u32]) -> Self;
    /// Lane `l` to `out[l]`, for the first `LANES` words.
    fn store(self, out: &mut [u32]);

    /// Wrapping addition.
    fn add(self, b: Self) -> Self;
    /// Bitwise XOR.
    fn xor(self, b: Self) -> Self;
    /// Bitwise AND.
    fn and(self, b: Self) -> Self;
    /// Bitwise OR.
    fn or(self, b: Self) -> Self;
    /// Logical shift right by `N`.
    fn shr<const N: i32>(self) -> Self;
    /// Shift left by `N`.
    fn shl<const N: i32>(self) -> Self;

    /// Rotate right by `R` (`L` must be `32 - R`).
    #[inline(always)]
    fn rotr<const R: i32, const L: i32>(self) -> Self {
        self.shr::<R>().or(self.shl::<L>())
    }
    /// Rotate right by 16 (BLAKE3; a byte shuffle where the backend has one).
    #[inline(always)]
    fn rotr16(self) -> Self {
        self.rotr::<16, 16>()
    }
    /// Rotate right by 8 (BLAKE3; a byte shuffle where the backend has one).
    #[inline(always)]
    fn rotr8(self) -> Self {
        self.rotr::<8, 24>()
    }
    /// `self ^ b ^ c` (one ternary-logic instruction where the backend has one).
    #[inline(always)]
    fn xor3(self, b: Self, c: Self) -> Self {
        self.xor(b).xor(c)
    }
    /// SHA-256's `Ch(e, f, g)`: `f` where `e` is set, `g` elsewhere.
    #[inline(always)]
    fn choose(e: Self, f: Self, g: Self) -> Self {
        g.xor(e.and(f.xor(g)))
    }
    /// SHA-256's `Maj(a, b, c)`: the bitwise majority.
    #[inline(always)]
    fn majority(a: Self, b: Self, c: Self) -> Self {
        a.and(b).or(c.and(a.or(b)))
    }
}

/// `v.rotr::<R, {32 - R}>()`.
macro_rules! rotr {
    ($v:expr, $r:literal) => {
        $v.rotr::<$r, { 32 - $r }>()
    };
}
pub(crate) use rotr;

/// One lane: the portable kernel, plain `u32` arithmetic.
impl U32s for u32 {
    const LANES: usize = 1;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        x
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        words[0]
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        out[0] = self;
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        self.wrapping_add(b)
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        self ^ b
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        self & b
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        self | b
    }
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        self >> N
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        self << N
    }
    #[inline(always)]
    fn rotr<const R: i32, const L: i32>(self) -> Self {
        self.rotate_right(R as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of a backend against `u32`, lane by lane.
    pub(crate) fn check_backend<V: U32s>() {
        let a: Vec<u32> = (0..V::LANES as u32).map(|i| 0x9e37_79b9u32.wrapping_mul(i + 1)).collect();
        let b: Vec<u32> = (0..V::LANES as u32).map(|i| 0x85eb_ca6bu32.rotate_left(i) ^ i).collect();
        let c: Vec<u32> = (0..V::LANES as u32).map(|i| 0xc2b2_ae35u32.wrapping_add(i * 77)).collect();
        let (va, vb, vc) = (V::load(&a), V::load(&b), V::load(&c));
        let lanes = |v: V| {
            let mut out = vec![0; V::LANES];
            v.store(&mut out);
            out
        };
        let each = |f: fn(u32, u32, u32) -> u32| -> Vec<u32> {
            (0..V::LANES).map(|l| f(a[l], b[l], c[l])).collect()
        };
        assert_eq!(lanes(V::splat(7)), vec![7; V::LANES]);
        assert_eq!(lanes(va.add(vb)), each(|a, b, _| a.wrapping_add(b)));
        assert_eq!(lanes(va.xor(vb)), each(|a, b, _| a ^ b));
        assert_eq!(lanes(va.and(vb)), each(|a, b, _| a & b));
        assert_eq!(lanes(va.or(vb)), each(|a, b, _| a | b));
        assert_eq!(lanes(va.xor3(vb, vc)), each(|a, b, c| a ^ b ^ c));
        assert_eq!(lanes(va.shr::<3>()), each(|a, _, _| a >> 3));
        assert_eq!(lanes(va.shl::<10>()), each(|a, _, _| a << 10));
        assert_eq!(lanes(rotr!(va, 7)), each(|a, _, _| a.rotate_right(7)));
        assert_eq!(lanes(rotr!(va, 25)), each(|a, _, _| a.rotate_right(25)));
        assert_eq!(lanes(va.rotr16()), each(|a, _, _| a.rotate_right(16)));
        assert_eq!(lanes(va.rotr8()), each(|a, _, _| a.rotate_right(8)));
        assert_eq!(lanes(V::choose(va, vb, vc)), each(|e, f, g| (e & f) ^ (!e & g)));
        assert_eq!(lanes(V::majority(va, vb, vc)), each(|a, b, c| (a & b) ^ (a & c) ^ (b & c)));
    }

    #[test]
    fn scalar_backend() {
        check_backend::<u32>();
    }

    #[test]
    fn portable_backends() {
        check_backend::<portable::Lanes<4>>();
        check_backend::<portable::Lanes<8>>();
        check_backend::<portable::Lanes<16>>();
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn x86_backends() {
        x86::check_backends(
            check_backend::<x86::Sse41>,
            check_backend::<x86::Avx2>,
            check_backend::<x86::Avx512>,
        );
    }
}
