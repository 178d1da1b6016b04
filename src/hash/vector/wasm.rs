//! wasm32 `simd128` backend of [`U32s`]: four lanes in a `v128`.
//!
//! Compiled only into builds with `simd128` enabled at compile time (the
//! threaded build), which the page loads only where SIMD validates, so the
//! instructions are always there.

use core::arch::wasm32::*;

use super::U32s;

/// Four lanes in a wasm `v128`.
#[derive(Clone, Copy)]
pub(crate) struct Simd128(v128);

impl U32s for Simd128 {
    const LANES: usize = 4;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        Simd128(u32x4_splat(x))
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        let words = &words[..4];
        // SAFETY: `words` holds four readable words (checked by the slice);
        // `v128_load` allows any alignment.
        Simd128(unsafe { v128_load(words.as_ptr().cast()) })
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        let out = &mut out[..4];
        // SAFETY: `out` holds four writable words; any alignment.
        unsafe { v128_store(out.as_mut_ptr().cast(), self.0) }
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Simd128(u32x4_add(self.0, b.0))
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        Simd128(v128_xor(self.0, b.0))
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        Simd128(v128_and(self.0, b.0))
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        Simd128(v128_or(self.0, b.0))
    }
    #[inline(always)]
    fn shr<const N: i32>(self) -> Self {
        Simd128(u32x4_shr(self.0, N as u32))
    }
    #[inline(always)]
    fn shl<const N: i32>(self) -> Self {
        Simd128(u32x4_shl(self.0, N as u32))
    }
    #[inline(always)]
    fn rotr16(self) -> Self {
        Simd128(i8x16_shuffle::<2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13>(self.0, self.0))
    }
    #[inline(always)]
    fn rotr8(self) -> Self {
        Simd128(i8x16_shuffle::<1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12>(self.0, self.0))
    }
    #[inline(always)]
    fn choose(e: Self, f: Self, g: Self) -> Self {
        Simd128(v128_bitselect(f.0, g.0, e.0))
    }
    #[inline(always)]
    fn majority(a: Self, b: Self, c: Self) -> Self {
        // c where a and b differ, a (= b) where they agree.
        Simd128(v128_bitselect(c.0, a.0, v128_xor(a.0, b.0)))
    }
}
