//! x86_64 backends of [`U32s`]: SSE4.1 (4 lanes) and AVX2 (8 lanes).
//!
//! # Safety invariant
//!
//! The methods below are safe functions around intrinsics that need SSE4.1
//! (with SSSE3) or AVX2. They are sound because values of [`Sse41`] and
//! [`Avx2`] are only ever created by code that runs on a CPU with the
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

/// Run `sse` and `avx2` (the same generic check at two widths) where the CPU
/// has the feature; in tests only.
#[cfg(test)]
pub(crate) fn check_backends(sse: fn(), avx2: fn()) {
    if crate::hash::kernel::Kernel::Sse41.is_available() {
        sse();
    }
    if crate::hash::kernel::Kernel::Avx2.is_available() {
        avx2();
    }
}
