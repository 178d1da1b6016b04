//! The mining kernels, and the one place they are detected and chosen.
//!
//! A kernel hashes [`MAX_LANES`] candidates that share a midstate and differ
//! only in their nonce bytes. Every hasher offers the plain crate
//! ([`Kernel::Crate`]: `sha2` / `blake3`, one candidate per call, the
//! reference) and parmine's own kernel written once over [`U32s`]: scalar
//! everywhere, SSE4.1, AVX2 and AVX-512 on x86_64, `simd128` in wasm. SHA-256
//! also has an interleaved SHA-NI kernel. parmine's kernels skip the work that does not
//! depend on the nonce (the rounds before the nonce's first word, the schedule
//! words of fixed words, BLAKE3's round-0 functions of fixed words) and return
//! one digest word per candidate for a cheap first test.
//!
//! Which kernels exist is decided here at run time, once, so one binary runs
//! on every x86_64 CPU. The default for each hasher is the first available of
//! its preference order, which was measured (docs/performance.md).
//!
//! [`U32s`]: super::vector::U32s

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

pub use super::vector::MAX_LANES;

/// A way of hashing many candidates at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kernel {
    /// The hash crate itself (`sha2::compress256`, `blake3`'s
    /// `compress_in_place`), one candidate per call: the reference.
    Crate,
    /// parmine's kernel on plain `u32`: one lane, nonce-independent work skipped.
    Scalar,
    /// parmine's kernel, four lanes of SSE4.1 (x86_64).
    Sse41,
    /// parmine's kernel, eight lanes of AVX2 (x86_64).
    Avx2,
    /// SHA-256 only: the SHA-NI instructions on four interleaved candidates,
    /// hiding `sha256rnds2`'s latency (x86_64).
    ShaNi,
    /// parmine's kernel, four lanes of wasm `simd128`.
    Simd128,
    /// parmine's kernel, sixteen lanes of AVX-512 (x86_64, AVX-512F).
    Avx512,
}

impl Kernel {
    /// Every kernel parmine has, on any host.
    pub const ALL: [Kernel; 7] = [
        Kernel::Crate,
        Kernel::Scalar,
        Kernel::Sse41,
        Kernel::Avx2,
        Kernel::ShaNi,
        Kernel::Simd128,
        Kernel::Avx512,
    ];

    /// The name used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Kernel::Crate => "crate",
            Kernel::Scalar => "scalar",
            Kernel::Sse41 => "sse4.1",
            Kernel::Avx2 => "avx2",
            Kernel::ShaNi => "sha-ni",
            Kernel::Simd128 => "simd128",
            Kernel::Avx512 => "avx512",
        }
    }

    /// Candidates one vector (or interleaved group) holds.
    pub const fn lanes(self) -> usize {
        match self {
            Kernel::Crate | Kernel::Scalar => 1,
            Kernel::Sse41 | Kernel::ShaNi | Kernel::Simd128 => 4,
            Kernel::Avx2 => 8,
            Kernel::Avx512 => 16,
        }
    }

    /// Whether this machine and this build can run it.
    pub fn is_available(self) -> bool {
        match self {
            Kernel::Crate | Kernel::Scalar => true,
            Kernel::Sse41 => cpu::sse41(),
            Kernel::Avx512 => cpu::avx512(),
            Kernel::Avx2 => cpu::avx2(),
            Kernel::ShaNi => cpu::sha_ni(),
            Kernel::Simd128 => cfg!(all(target_arch = "wasm32", target_feature = "simd128")),
        }
    }

    /// The available kernels among `preference`, in its order.
    pub(crate) fn available(preference: &[Kernel]) -> Vec<Kernel> {
        preference.iter().copied().filter(|k| k.is_available()).collect()
    }
}

impl fmt::Display for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kernel {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.to_ascii_lowercase().replace('_', "-");
        let wanted = match wanted.as_str() {
            "sse41" => "sse4.1",
            "shani" | "sha" => "sha-ni",
            "avx-512" | "avx512f" => "avx512",
            other => other,
        };
        Kernel::ALL.into_iter().find(|k| k.name() == wanted).ok_or_else(|| Error::UnknownName {
            kind: "kernel",
            given: s.to_string(),
            expected: "crate, scalar, sse4.1, avx2, avx512, sha-ni, simd128",
        })
    }
}

impl serde::Serialize for Kernel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Kernel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// CPU features, detected once by the standard library (it caches them).
mod cpu {
    #[cfg(target_arch = "x86_64")]
    pub fn sse41() -> bool {
        std::arch::is_x86_feature_detected!("sse4.1") && std::arch::is_x86_feature_detected!("ssse3")
    }
    #[cfg(target_arch = "x86_64")]
    pub fn avx2() -> bool {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(target_arch = "x86_64")]
    pub fn sha_ni() -> bool {
        std::arch::is_x86_feature_detected!("sha") && sse41()
    }
    #[cfg(target_arch = "x86_64")]
    pub fn avx512() -> bool {
        std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    pub fn avx512() -> bool {
        false
    }
    #[cfg(not(target_arch = "x86_64"))]
    pub fn sse41() -> bool {
        false
    }
    #[cfg(not(target_arch = "x86_64"))]
    pub fn avx2() -> bool {
        false
    }
    #[cfg(not(target_arch = "x86_64"))]
    pub fn sha_ni() -> bool {
        false
    }
}

/// Check `kernel` of hasher `H` against the hash crate on `cases` random
/// messages (prefix, a run of varying nonce bytes, suffix), every digest
/// word and every lane; the first mismatch as an error. The native tests and
/// the browser tests both run it, for every kernel the host has.
#[doc(hidden)]
pub fn check_against_crate<H: super::Hasher>(kernel: Kernel, seed: u64, cases: usize) -> Result<(), String> {
    use super::{MAX_LANES, MAX_NONCE};
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..cases {
        // Every prefix length across two blocks with an 8-byte nonce first,
        // then random shapes: 1 to 20 nonce bytes anywhere, long suffixes.
        let (prefix_len, nonce_len, suffix_len) = if case < 130 {
            (case, 8, if case % 2 == 0 { 0 } else { (next() % 80) as usize })
        } else {
            let suffix = if next() % 10 == 0 { next() % 1500 } else { next() % 100 };
            ((next() % 300) as usize, 1 + (next() % MAX_NONCE as u64) as usize, suffix as usize)
        };
        let prefix: Vec<u8> = (0..prefix_len).map(|_| next() as u8).collect();
        let suffix: Vec<u8> = (0..suffix_len).map(|_| next() as u8).collect();
        let mut nonce: Vec<u8> = (0..nonce_len).map(|_| next() as u8).collect();
        let fixed = (next() % nonce_len as u64) as usize;
        let mid = H::midstate(&prefix);
        let mut tail = H::tail(&mid, nonce_len + suffix_len);
        H::tail_bytes(&mut tail)[..nonce_len].copy_from_slice(&nonce);
        H::tail_bytes(&mut tail)[nonce_len..].copy_from_slice(&suffix);
        let mut layout = H::layout(&mid, &tail, fixed..nonce_len, kernel);
        // Two groups through one layout: a layout is reused.
        for _ in 0..2 {
            let mut lanes = [[0u8; MAX_NONCE]; MAX_LANES];
            for lane in &mut lanes {
                for byte in &mut lane[..nonce_len - fixed] {
                    *byte = next() as u8;
                }
            }
            let digests: Vec<super::Digest> = lanes
                .iter()
                .map(|lane| {
                    nonce[fixed..].copy_from_slice(&lane[..nonce_len - fixed]);
                    H::hash(&[&prefix[..], &nonce, &suffix].concat())
                })
                .collect();
            for word in 0..8 {
                let mut out = [0u32; MAX_LANES];
                H::finish_lanes(&mut layout, &lanes, word, &mut out);
                for (lane, digest) in digests.iter().enumerate() {
                    let expected =
                        u32::from_be_bytes(digest[4 * word..4 * word + 4].try_into().expect("4 bytes"));
                    if out[lane] != expected {
                        return Err(format!(
                            "{} {kernel}: prefix {prefix_len}, nonce {nonce_len} ({fixed} fixed), suffix {suffix_len}, \
                             word {word}, lane {lane}: {:08x} instead of {expected:08x}",
                            H::ALGORITHM,
                            out[lane]
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kernel in Kernel::ALL {
            assert_eq!(kernel.name().parse::<Kernel>().unwrap(), kernel);
        }
        assert_eq!("SHA_NI".parse::<Kernel>().unwrap(), Kernel::ShaNi);
        assert_eq!("AVX-512".parse::<Kernel>().unwrap(), Kernel::Avx512);
        assert!("avx1024".parse::<Kernel>().is_err());
    }

    #[test]
    fn portable_kernels_are_everywhere() {
        assert!(Kernel::Crate.is_available() && Kernel::Scalar.is_available());
        assert_eq!(Kernel::Simd128.is_available(), cfg!(target_feature = "simd128"));
    }
}
