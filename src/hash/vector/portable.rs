//! A portable backend of [`U32s`] at any width: `N` lanes in a plain array.
//!
//! Its operations go through the same lane-by-lane checks as the vector
//! backends, at 4, 8 and 16 lanes, on every machine.
//!
//! It is not a mining kernel. The lane kernels instantiated on `Lanes<16>`
//! (tried as a twin of AVX-512, to check the 16-lane logic on any CPU)
//! became one basic block of an estimated 40,000 scalar instructions (64
//! rounds, 16 lanes, some 40 operations each) per kernel,
//! and a profile of the compiler showed LLVM's machine scheduler spending
//! minutes on it in the dev profile; it was dropped for CI's time. The
//! 16-lane kernel is checked against the crates on the CPUs that run it
//! (`./build.sh test` requires it where `/proc/cpuinfo` reports AVX-512F).

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
