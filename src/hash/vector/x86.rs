//! x86_64 backends of [`U32s`]: SSE4.1 (4 lanes), AVX2 (8 lanes) and
//! AVX-512 (16 lanes).
//!
//! # Safety invariant
//!
//! The methods below are safe functions around intrinsics that need SSE4.1
//! (with SSSE3), AVX2 or AVX-512F. They are sound because values of
//! [`Sse41`], [`Avx2`] and [`Avx512`] are only ever created by code that runs on a CPU with the
//! feature: the kernel entry points that use them are `unsafe fn`s compiled
//! with `#[target_feature]`, called only after `is_x86_feature_detected!`
//! (`hash/kernel.rs`), and the tests check the same before calling. Nothing
//! outside `hash` can name these types.

use core::arch::x86_64::*;

use super::U32s;

/// Four lanes in an SSE register (SSE2 arithmetic, SSSE3 byte shuffles).
#[derive(Clone, Copy)]
pub(crate) struct Sse41(__m128i);

/// Eight lanes in an AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx2(__m256i);

// SAFETY (every `unsafe` block in this impl): see the module's invariant; a
// `Sse41` exists only on a CPU with SSE4.1 and SSSE3. Loads and stores go
// through slices of at least four words (indexing checks the length first).
impl U32s for Sse41 {
    const LANES: usize = 4;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        Sse41(unsafe { _mm_set1_epi32(x as i32) })
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        let words = &words[..4];
        Sse41(unsafe { _mm_loadu_si128(words.as_ptr().cast()) })
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        let out = &mut out[..4];
        unsafe { _mm_storeu_si128(out.as_mut_ptr().cast(), self.0) }
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Sse41(unsafe { _mm_add_epi32(self.0, b.0) })
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        Sse41(unsafe { _mm_xor_si128(self.0, b.0) })
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        Sse41(unsafe { _mm_and_si128(self.0, b.0) })
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        Sse41(unsafe { _mm_or_si128(self.0, b.0) })
    }
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        Sse41(unsafe { _mm_srli_epi32::<N>(self.0) })
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        Sse41(unsafe { _mm_slli_epi32::<N>(self.0) })
    }
    #[inline(always)]
    fn rotr16(self) -> Self {
        let order = unsafe { _mm_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13) };
        Sse41(unsafe { _mm_shuffle_epi8(self.0, order) })
    }
    #[inline(always)]
    fn rotr8(self) -> Self {
        let order = unsafe { _mm_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12) };
        Sse41(unsafe { _mm_shuffle_epi8(self.0, order) })
    }
}

// SAFETY (every `unsafe` block in this impl): see the module's invariant; an
// `Avx2` exists only on a CPU with AVX2. Loads and stores go through slices
// of at least eight words.
impl U32s for Avx2 {
    const LANES: usize = 8;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        Avx2(unsafe { _mm256_set1_epi32(x as i32) })
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        let words = &words[..8];
        Avx2(unsafe { _mm256_loadu_si256(words.as_ptr().cast()) })
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        let out = &mut out[..8];
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), self.0) }
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Avx2(unsafe { _mm256_add_epi32(self.0, b.0) })
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        Avx2(unsafe { _mm256_xor_si256(self.0, b.0) })
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        Avx2(unsafe { _mm256_and_si256(self.0, b.0) })
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        Avx2(unsafe { _mm256_or_si256(self.0, b.0) })
    }
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        Avx2(unsafe { _mm256_srli_epi32::<N>(self.0) })
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        Avx2(unsafe { _mm256_slli_epi32::<N>(self.0) })
    }
    #[inline(always)]
    fn rotr16(self) -> Self {
        let order = unsafe {
            _mm256_setr_epi8(
                2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9,
                14, 15, 12, 13,
            )
        };
        Avx2(unsafe { _mm256_shuffle_epi8(self.0, order) })
    }
    #[inline(always)]
    fn rotr8(self) -> Self {
        let order = unsafe {
            _mm256_setr_epi8(
                1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8,
                13, 14, 15, 12,
            )
        };
        Avx2(unsafe { _mm256_shuffle_epi8(self.0, order) })
    }
}

/// Sixteen lanes in an AVX-512 register. Rotations are one `vprord`, and
/// the three-input functions (SHA-256's `Ch`, `Maj` and Σ's XORs) one
/// `vpternlogd` each: the instructions that make 16 lanes pay.
#[derive(Clone, Copy)]
pub(crate) struct Avx512(__m512i);

impl Avx512 {
    /// `vpternlogd` with truth table `IMM`: bit `(a << 2) | (b << 1) | c` of
    /// `IMM` is the result for input bits `a`, `b`, `c`.
    #[inline(always)]
    fn ternary<const IMM: i32>(a: Self, b: Self, c: Self) -> Self {
        // SAFETY: the module's invariant (an `Avx512` exists only on a CPU
        // with AVX-512F).
        Avx512(unsafe { _mm512_ternarylogic_epi32::<IMM>(a.0, b.0, c.0) })
    }
}

// SAFETY (every `unsafe` block in this impl): see the module's invariant; an
// `Avx512` exists only on a CPU with AVX-512F. Loads and stores go through
// slices of at least sixteen words.
impl U32s for Avx512 {
    const LANES: usize = 16;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        Avx512(unsafe { _mm512_set1_epi32(x as i32) })
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        let words = &words[..16];
        Avx512(unsafe { _mm512_loadu_si512(words.as_ptr().cast()) })
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        let out = &mut out[..16];
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), self.0) }
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Avx512(unsafe { _mm512_add_epi32(self.0, b.0) })
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        Avx512(unsafe { _mm512_xor_si512(self.0, b.0) })
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        Avx512(unsafe { _mm512_and_si512(self.0, b.0) })
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        Avx512(unsafe { _mm512_or_si512(self.0, b.0) })
    }
    // The immediate forms take a `u32` count, which a const `i32` parameter
    // cannot become on stable Rust; the count-in-register forms take any.
    // With a constant count LLVM emits the immediate instruction anyway.
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        Avx512(unsafe { _mm512_srl_epi32(self.0, _mm_cvtsi32_si128(N)) })
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        Avx512(unsafe { _mm512_sll_epi32(self.0, _mm_cvtsi32_si128(N)) })
    }
    #[inline(always)]
    fn rotr<const R: i32, const L: i32>(self) -> Self {
        Avx512(unsafe { _mm512_ror_epi32::<R>(self.0) })
    }
    // rotr16 and rotr8: the trait's defaults, which call `rotr` (one `vprord`).
    #[inline(always)]
    fn xor3(self, b: Self, c: Self) -> Self {
        Self::ternary::<0x96>(self, b, c)
    }
    #[inline(always)]
    fn choose(e: Self, f: Self, g: Self) -> Self {
        Self::ternary::<0xca>(e, f, g)
    }
    #[inline(always)]
    fn majority(a: Self, b: Self, c: Self) -> Self {
        Self::ternary::<0xe8>(a, b, c)
    }
}

/// Run `sse`, `avx2` and `avx512` (the same generic check at three widths)
/// where the CPU has the feature; in tests only. A check that is skipped
/// here still runs where the CPU has it: `tests/kernels.rs` requires every
/// kernel the CPU reports when CI asks it to.
#[cfg(test)]
pub(crate) fn check_backends(sse: fn(), avx2: fn(), avx512: fn()) {
    use crate::hash::kernel::Kernel;
    if Kernel::Sse41.is_available() {
        sse();
    }
    if Kernel::Avx2.is_available() {
        avx2();
    }
    if Kernel::Avx512.is_available() {
        avx512();
    }
}
