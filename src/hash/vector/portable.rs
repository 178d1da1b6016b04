//! A portable backend of [`U32s`] at any width: `N` lanes in a plain array.
//!
//! It is the reference the vector backends' operations are checked against
//! at their own widths (4, 8 and 16 lanes), on every machine.
//!
//! It is not a mining kernel: the lane kernels instantiated on it (tried as
//! a 16-lane "twin" of AVX-512 to check the 16-lane logic on any CPU) made
//! LLVM spend over ten minutes compiling the library in the dev profile,
//! inlined (40,000 scalar instructions in one basic block: the machine
//! scheduler) or not (thousands of 64-byte temporaries: mem2reg). The
//! 16-lane kernel is checked against the crates on the CPUs that run it. The lane kernels are
//! written once over [`U32s`], so running them on `Lanes<16>` checks the
//! 16-lane kernel's logic (its lane indexing, its group loop) on a machine
//! without AVX-512, and `Lanes<4>`/`Lanes<8>` do the same for the SSE4.1,
//! simd128 and AVX2 widths.

use super::U32s;

/// `N` lanes, one `u32` each.
#[derive(Clone, Copy)]
pub(crate) struct Lanes<const N: usize>([u32; N]);

impl<const N: usize> Lanes<N> {
    #[inline(always)]
    fn map(self, f: impl Fn(u32) -> u32) -> Self {
        Lanes(self.0.map(f))
    }

    #[inline(always)]
    fn zip(self, b: Self, f: impl Fn(u32, u32) -> u32) -> Self {
        Lanes(std::array::from_fn(|l| f(self.0[l], b.0[l])))
    }
}

impl<const N: usize> U32s for Lanes<N> {
    const LANES: usize = N;

    #[inline(always)]
    fn splat(x: u32) -> Self {
        Lanes([x; N])
    }
    #[inline(always)]
    fn load(words: &[u32]) -> Self {
        Lanes(words[..N].try_into().expect("N words"))
    }
    #[inline(always)]
    fn store(self, out: &mut [u32]) {
        out[..N].copy_from_slice(&self.0);
    }
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        self.zip(b, u32::wrapping_add)
    }
    #[inline(always)]
    fn xor(self, b: Self) -> Self {
        self.zip(b, |x, y| x ^ y)
    }
    #[inline(always)]
    fn and(self, b: Self) -> Self {
        self.zip(b, |x, y| x & y)
    }
    #[inline(always)]
    fn or(self, b: Self) -> Self {
        self.zip(b, |x, y| x | y)
    }
    #[inline(always)]
    fn shr<const S: i32>(self) -> Self {
        self.map(|x| x >> S)
    }
    #[inline(always)]
    fn shl<const S: i32>(self) -> Self {
        self.map(|x| x << S)
    }
    #[inline(always)]
    fn rotr<const R: i32, const L: i32>(self) -> Self {
        self.map(|x| x.rotate_right(R as u32))
    }
}
