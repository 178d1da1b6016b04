//! The hash functions parmine mines and builds trees with, behind one trait.
//!
//! [`Hasher`] has two faces:
//!
//! * whole messages: [`Hasher::hash`] and, for Merkle parents,
//!   [`Hasher::hash_nodes`];
//! * the mining hot path: a message is a fixed prefix followed by a tail that
//!   holds the nonce. [`Hasher::midstate`] absorbs the prefix once, and every
//!   candidate only writes its nonce into a reusable [`Hasher::Tail`] and calls
//!   [`Hasher::finish`], which compresses what comes after the prefix. Nothing
//!   is allocated per candidate.
//!
//! # Examples
//!
//! ```
//! use parmine::hash::{Hasher, Sha256};
//!
//! let message = b"prefix bytes that never change|nonce";
//! let (prefix, tail) = message.split_at(31);
//! let mid = Sha256::midstate(prefix);
//! let mut buf = Sha256::tail(&mid, tail.len());
//! Sha256::tail_bytes(&mut buf).copy_from_slice(tail);
//! assert_eq!(Sha256::finish(&mid, &buf), Sha256::hash(message));
//! ```

pub(crate) mod blake3;
pub mod kernel;
pub(crate) mod sha256;
mod span;
mod vector;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

pub use self::blake3::Blake3;
pub(crate) use self::blake3::hash_many_one_block as blake3_hash_many;
pub use self::kernel::{Kernel, MAX_LANES};
#[doc(hidden)]
pub use self::sha256::check_chains_against_crates;
pub use self::sha256::{MAX_NONCE, Sha256, Sha256d};
pub(crate) use self::sha256::{iterated_sha256, pbkdf2_hmac_sha256};
use crate::error::{Error, Result};

/// A 32-byte digest, as both hashers produce.
pub type Digest = [u8; 32];

/// Unused bytes kept on each side of a tail buffer (see [`Guarded`]).
///
/// Every worker rewrites its tail's nonce bytes for every candidate. If
/// another thread's buffer shared a cache line with them, each write would
/// pull the line away from the other core (false sharing). Natively that
/// rarely happens (glibc gives each thread its own arena); in wasm one heap
/// serves every thread, and workers' tails landed on shared lines: two mining
/// threads ran at 0.66–0.86 of one thread's rate each, varying with where
/// the allocator put them. With a guard of a whole line on each side, no
/// other allocation can touch a line that holds a byte of the tail.
pub(crate) const GUARD: usize = 64;

/// A buffer of `T`s with at least [`GUARD`] unused bytes on each side, the
/// storage of every hasher's tail: only the middle is ever read or written.
#[derive(Debug, Clone)]
pub(crate) struct Guarded<T> {
    buffer: Vec<T>,
}

impl<T: Copy> Guarded<T> {
    /// Elements of `T` on each side: at least [`GUARD`] bytes.
    const PAD: usize = GUARD.div_ceil(size_of::<T>());

    /// `len` copies of `fill` between the guards.
    pub(crate) fn new(len: usize, fill: T) -> Self {
        Guarded { buffer: vec![fill; Self::PAD + len + Self::PAD] }
    }

    /// The elements between the guards.
    pub(crate) fn get(&self) -> &[T] {
        &self.buffer[Self::PAD..self.buffer.len() - Self::PAD]
    }

    /// The elements between the guards, to write.
    pub(crate) fn get_mut(&mut self) -> &mut [T] {
        let end = self.buffer.len() - Self::PAD;
        &mut self.buffer[Self::PAD..end]
    }
}

/// A 256-bit hash function usable for mining and for Merkle trees.
///
/// Implementations are zero-sized markers; all state lives in the associated
/// types, so a strategy can be generic over `H: Hasher` and monomorphised.
pub trait Hasher: Copy + Default + Send + Sync + 'static {
    /// Which algorithm this is, for names and runtime dispatch.
    const ALGORITHM: HashAlgorithm;

    /// The state after absorbing a fixed prefix; shared read-only by every
    /// worker of a search.
    type Midstate: Clone + Send + Sync;

    /// A worker's reusable buffer for the bytes after the prefix.
    type Tail: Send;

    /// Hash a whole message.
    fn hash(data: &[u8]) -> Digest;

    /// Hash the concatenation of Merkle children into their parent:
    /// `H(child0 ‖ … ‖ child(k-1))`, no tag and no length prefix.
    fn hash_nodes(children: &[Digest]) -> Digest {
        Self::hash(children.as_flattened())
    }

    /// Hash many parents of `arity` children each, from consecutive groups:
    /// `out[i] = hash_nodes(&children[i * arity..(i + 1) * arity])`.
    ///
    /// `children.len()` must be `out.len() * arity`. Hashers with a
    /// multi-input SIMD kernel override this to hash several parents at once.
    fn hash_parents(children: &[Digest], arity: usize, out: &mut [Digest]) {
        debug_assert_eq!(children.len(), out.len() * arity);
        for (group, parent) in children.chunks_exact(arity).zip(out) {
            *parent = Self::hash_nodes(group);
        }
    }

    /// Absorb `prefix`, the part of every candidate message that never changes.
    fn midstate(prefix: &[u8]) -> Self::Midstate;

    /// A buffer for tails of exactly `len` bytes following `mid`'s prefix.
    fn tail(mid: &Self::Midstate, len: usize) -> Self::Tail;

    /// The `len` tail bytes of `tail`, for the caller to fill in.
    fn tail_bytes(tail: &mut Self::Tail) -> &mut [u8];

    /// The digest of prefix ‖ tail.
    fn finish(mid: &Self::Midstate, tail: &Self::Tail) -> Digest;

    /// A tail prepared for many candidates that differ only in a run of
    /// nonce bytes: everything that does not depend on those bytes is
    /// computed once, when the layout is built.
    type Layout: Send;

    /// The kernels this hasher can use on this machine, the default first.
    fn kernels() -> &'static [Kernel];

    /// Prepare `tail` (laid out, with its suffix written) for candidates whose
    /// tail bytes `varying` (at most [`MAX_NONCE`], a range of
    /// [`tail_bytes`](Self::tail_bytes)) differ; its other bytes are kept as
    /// they are now. `kernel` must be one of [`kernels`](Self::kernels).
    fn layout(mid: &Self::Midstate, tail: &Self::Tail, varying: Range<usize>, kernel: Kernel)
    -> Self::Layout;

    /// Word `word` (0 to 7; bytes `4 word..4 word + 4` read big-endian) of
    /// the digests of [`MAX_LANES`] candidates: candidate `l` is the layout's
    /// tail with its varying bytes replaced by the first of `nonces[l]`.
    fn finish_lanes(
        layout: &mut Self::Layout,
        nonces: &[[u8; MAX_NONCE]; MAX_LANES],
        word: usize,
        out: &mut [u32; MAX_LANES],
    );
}

/// The hash algorithms parmine offers, for choosing one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlgorithm {
    /// SHA-256 (FIPS 180-4), through the `sha2` crate.
    Sha256,
    /// BLAKE3, through the `blake3` crate.
    Blake3,
    /// Double SHA-256, `SHA-256(SHA-256(m))`: Bitcoin's block hash. Offered
    /// for puzzles (and accepted anywhere), not listed in [`ALL`](Self::ALL).
    Sha256d,
}

impl HashAlgorithm {
    /// The algorithms blocks and trees are offered with, in display order
    /// (double SHA-256 is for puzzles that ask for it).
    pub const ALL: [HashAlgorithm; 2] = [HashAlgorithm::Sha256, HashAlgorithm::Blake3];

    /// The name used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Blake3 => "blake3",
            HashAlgorithm::Sha256d => "sha256d",
        }
    }

    /// The name a person reads.
    pub const fn label(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Blake3 => "BLAKE3",
            HashAlgorithm::Sha256d => "double SHA-256",
        }
    }

    /// The mining kernels this algorithm has on this machine, the default first.
    pub fn kernels(self) -> &'static [Kernel] {
        match self {
            HashAlgorithm::Sha256 => Sha256::kernels(),
            HashAlgorithm::Blake3 => Blake3::kernels(),
            HashAlgorithm::Sha256d => Sha256d::kernels(),
        }
    }

    /// Hash a whole message with this algorithm.
    pub fn hash(self, data: &[u8]) -> Digest {
        match self {
            HashAlgorithm::Sha256 => Sha256::hash(data),
            HashAlgorithm::Blake3 => Blake3::hash(data),
            HashAlgorithm::Sha256d => Sha256d::hash(data),
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashAlgorithm {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "sha256" => Ok(HashAlgorithm::Sha256),
            "blake3" => Ok(HashAlgorithm::Blake3),
            "sha256d" => Ok(HashAlgorithm::Sha256d),
            _ => Err(Error::UnknownName {
                kind: "hasher",
                given: s.to_string(),
                expected: "sha256, blake3, sha256d",
            }),
        }
    }
}

/// Read by name, with the command line's message
/// (`unknown hasher 'md5': expected one of …`).
impl<'de> serde::Deserialize<'de> for HashAlgorithm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// Run `$body` with the type alias `$H` bound to the [`Hasher`] that `$alg`
/// names: the one place a runtime choice becomes a monomorphised call.
macro_rules! with_hasher {
    ($alg:expr, $H:ident => $body:expr) => {
        match $alg {
            $crate::hash::HashAlgorithm::Sha256 => {
                type $H = $crate::hash::Sha256;
                $body
            }
            $crate::hash::HashAlgorithm::Blake3 => {
                type $H = $crate::hash::Blake3;
                $body
            }
            $crate::hash::HashAlgorithm::Sha256d => {
                type $H = $crate::hash::Sha256d;
                $body
            }
        }
    };
}
pub(crate) use with_hasher;

/// Serde for digests as lowercase hex strings (JSON, JavaScript).
pub mod serde_hex {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{Digest, digest_from_hex, to_hex};

    /// Serialize a digest as hex.
    pub fn serialize<S: Serializer>(digest: &Digest, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(digest))
    }

    /// Deserialize a digest from 64 hex digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Digest, D::Error> {
        let text = String::deserialize(d)?;
        if text.len() != 64 {
            return Err(serde::de::Error::custom("a digest is 64 hex digits"));
        }
        digest_from_hex(&text).map_err(serde::de::Error::custom)
    }

    /// The same for a list of digests.
    pub mod vec {
        use serde::ser::SerializeSeq;
        use serde::{Deserialize, Deserializer, Serializer};

        use super::super::{Digest, digest_from_hex, to_hex};

        /// Serialize digests as a list of hex strings.
        pub fn serialize<S: Serializer>(digests: &[Digest], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(digests.len()))?;
            for d in digests {
                seq.serialize_element(&to_hex(d))?;
            }
            seq.end()
        }

        /// Deserialize digests from a list of 64-digit hex strings.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Digest>, D::Error> {
            Vec::<String>::deserialize(d)?
                .iter()
                .map(|t| {
                    if t.len() != 64 {
                        return Err(serde::de::Error::custom("a digest is 64 hex digits"));
                    }
                    digest_from_hex(t).map_err(serde::de::Error::custom)
                })
                .collect()
        }
    }
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Parse a digest from hex: at most 64 hex digits, read as a big-endian
/// 256-bit number (so `"0"` is the all-zero digest, as in the blog's genesis).
pub fn digest_from_hex(hex: &str) -> Result<Digest> {
    let bad = || Error::InvalidBlock(format!("'{hex}' is not a hash of at most 64 hex digits"));
    if hex.is_empty() || hex.len() > 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, c) in hex.bytes().rev().enumerate() {
        let v = (c as char).to_digit(16).ok_or_else(bad)? as u8;
        out[31 - i / 2] |= if i % 2 == 0 { v } else { v << 4 };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let d: Digest = std::array::from_fn(|i| (i * 37) as u8);
        assert_eq!(digest_from_hex(&to_hex(&d)).unwrap(), d);
    }

    #[test]
    fn short_hex_is_a_left_padded_number() {
        let mut expected = [0u8; 32];
        assert_eq!(digest_from_hex("0").unwrap(), expected);
        expected[31] = 0xab;
        expected[30] = 0x0c;
        assert_eq!(digest_from_hex("cab").unwrap(), expected);
    }

    #[test]
    fn bad_hex_is_an_error() {
        for bad in ["", "xyz", &"0".repeat(65)] {
            assert!(matches!(digest_from_hex(bad), Err(Error::InvalidBlock(_))), "{bad}");
        }
    }

    #[test]
    fn names_round_trip() {
        for alg in HashAlgorithm::ALL {
            assert_eq!(alg.name().parse::<HashAlgorithm>().unwrap(), alg);
        }
        assert_eq!("SHA-256".parse::<HashAlgorithm>().unwrap(), HashAlgorithm::Sha256);
        let err = "md5".parse::<HashAlgorithm>().unwrap_err();
        assert_eq!(err.to_string(), "unknown hasher 'md5': expected one of sha256, blake3, sha256d");
    }
}
