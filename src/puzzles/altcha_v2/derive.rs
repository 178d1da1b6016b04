//! ALTCHA v2's key derivations: every `algorithm` altcha-lib 2.x offers,
//! through the RustCrypto crates, and SHA-256 and PBKDF2/SHA-256 (the
//! default) also on parmine's SHA-256 lane kernels, many passwords at once
//! ([`Kdf::derive_many`]).
//!
//! | algorithm | derived key |
//! |---|---|
//! | `SHA-256`/`-384`/`-512` | `H(salt ‖ password)`, then `H(previous digest)`, `cost` hashes in all, cut to `keyLength` |
//! | `PBKDF2/SHA-256`/`-384`/`-512` | PBKDF2-HMAC(password, salt, `cost` rounds, `keyLength` bytes) |
//! | `SCRYPT` | scrypt(password, salt, N = `cost`, r = `memoryCost`, p = `parallelism` or 1) |
//! | `ARGON2ID` | Argon2id v1.3(password, salt, t = `cost`, m = `memoryCost` KiB, p = `parallelism` or 1) |
//!
//! Everything a challenge can ask for is checked here, before any work: a
//! cost past what one candidate may take, or memory past the job limit, is a
//! one-line error, never an abort inside a crate.

use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::error::{Error, Result};
use crate::hash::{Kernel, MAX_LANES, iterated_sha256, pbkdf2_hmac_sha256};
use crate::limits::{self, MAX_MEMORY};

/// Most hashes (iterated SHA) or HMAC rounds (PBKDF2) one candidate may
/// take: 2^24 is seconds a candidate natively; a challenge asking for more
/// is a mistake or an attack on the solver, not a puzzle meant to be solved.
pub const MAX_ITERATIONS: u64 = 1 << 24;

/// Most Argon2id passes one candidate may take (each one over all its memory).
pub const MAX_PASSES: u64 = 1 << 12;

/// Most scrypt or Argon2id lanes (`parallelism`) a candidate may have.
pub const MAX_PARALLELISM: u64 = 64;

/// Longest derived key: real challenges use 32 bytes.
pub const MAX_KEY_LENGTH: u64 = 512;

/// The SHA-2 function of the iterated and PBKDF2 algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Sha {
    /// Digest bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            Sha::Sha256 => 32,
            Sha::Sha384 => 48,
            Sha::Sha512 => 64,
        }
    }
}

/// A key derivation, checked and ready to run on many passwords.
#[derive(Debug, Clone)]
pub enum Kdf {
    /// Iterated SHA-2.
    Sha {
        /// The hash.
        sha: Sha,
        /// Hashes in all (at least 1).
        iterations: u32,
    },
    /// PBKDF2-HMAC-SHA-2.
    Pbkdf2 {
        /// The HMAC's hash.
        sha: Sha,
        /// PBKDF2's iteration count.
        rounds: u32,
    },
    /// scrypt.
    Scrypt {
        /// N, r and p, checked by the crate.
        params: scrypt::Params,
    },
    /// Argon2id, version 0x13.
    Argon2id {
        /// m, t, p and the key length, checked by the crate.
        params: argon2::Params,
    },
}

/// What a challenge's `parameters` say about the derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfSpec<'a> {
    /// altcha-lib's algorithm name, e.g. `PBKDF2/SHA-256`.
    pub algorithm: &'a str,
    /// Iterations, rounds, scrypt's N or Argon2's passes.
    pub cost: u64,
    /// scrypt's r or Argon2's KiB.
    pub memory_cost: Option<u64>,
    /// scrypt's p or Argon2's lanes.
    pub parallelism: Option<u64>,
    /// Bytes of key asked for.
    pub key_length: u64,
}

impl Kdf {
    /// Every algorithm name altcha-lib 2.x offers.
    pub const ALGORITHMS: [&'static str; 8] = [
        "SHA-256",
        "SHA-384",
        "SHA-512",
        "PBKDF2/SHA-256",
        "PBKDF2/SHA-384",
        "PBKDF2/SHA-512",
        "SCRYPT",
        "ARGON2ID",
    ];

    /// The derivation `spec` asks for, or a one-line error saying which
    /// parameter is out of range and what is accepted.
    pub fn new(spec: &KdfSpec) -> Result<Kdf> {
        let bad = |text: String| Err(Error::InvalidArgument(text));
        if spec.cost == 0 {
            return bad("the ALTCHA cost must be at least 1".into());
        }
        if spec.key_length == 0 || spec.key_length > MAX_KEY_LENGTH {
            return bad(format!(
                "the ALTCHA keyLength must be 1 to {MAX_KEY_LENGTH} bytes, not {}",
                spec.key_length
            ));
        }
        let iterations = || {
            if spec.cost > MAX_ITERATIONS {
                return Err(Error::InvalidArgument(format!(
                    "the ALTCHA cost {} is more than the {MAX_ITERATIONS} iterations parmine derives a candidate with",
                    spec.cost
                )));
            }
            Ok(spec.cost as u32)
        };
        let parallelism = || match spec.parallelism.unwrap_or(1) {
            p @ 1..=MAX_PARALLELISM => Ok(p as u32),
            p => Err(Error::InvalidArgument(format!(
                "the ALTCHA parallelism must be 1 to {MAX_PARALLELISM}, not {p}"
            ))),
        };
        let memory_cost = || {
            spec.memory_cost.filter(|&m| m >= 1).ok_or_else(|| {
                Error::InvalidArgument(format!("{} needs a memoryCost of at least 1", spec.algorithm))
            })
        };
        let sha = |name: &str| match name {
            "SHA-256" => Some(Sha::Sha256),
            "SHA-384" => Some(Sha::Sha384),
            "SHA-512" => Some(Sha::Sha512),
            _ => None,
        };
        let kdf = match spec.algorithm {
            name if sha(name).is_some() => {
                Kdf::Sha { sha: sha(name).unwrap_or(Sha::Sha256), iterations: iterations()? }
            }
            name if name.strip_prefix("PBKDF2/").and_then(sha).is_some() => Kdf::Pbkdf2 {
                sha: name.strip_prefix("PBKDF2/").and_then(sha).unwrap_or(Sha::Sha256),
                rounds: iterations()?,
            },
            "SCRYPT" => {
                let n = spec.cost;
                if n < 2 || !n.is_power_of_two() {
                    return bad(format!("the scrypt cost (N) must be a power of two of at least 2, not {n}"));
                }
                let r = memory_cost()?;
                let p = parallelism()?;
                // 128·r·N bytes of V, 128·r·p of B: refused here, with the
                // estimate, before the crate would try to allocate them.
                let bytes = 128u64.checked_mul(r).and_then(|b| b.checked_mul(n.checked_add(u64::from(p))?));
                limits::check_memory(
                    || format!("scrypt with N = {n}, r = {r}"),
                    bytes,
                    || "a challenge with a smaller N or r fits".into(),
                )?;
                let params = scrypt::Params::new(n.trailing_zeros() as u8, r as u32, p).map_err(|_| {
                    Error::InvalidArgument(format!("scrypt rejects N = {n}, r = {r}, p = {p}"))
                })?;
                Kdf::Scrypt { params }
            }
            "ARGON2ID" => {
                if spec.cost > MAX_PASSES {
                    return bad(format!(
                        "the Argon2id cost (passes) {} is more than the {MAX_PASSES} parmine derives a candidate with",
                        spec.cost
                    ));
                }
                let m = memory_cost()?;
                let p = parallelism()?;
                limits::check_memory(
                    || format!("Argon2id with memoryCost = {m} KiB"),
                    m.checked_mul(1024),
                    || format!("a memoryCost of at most {} KiB fits", MAX_MEMORY >> 10),
                )?;
                let params =
                    argon2::Params::new(m as u32, spec.cost as u32, p, Some(spec.key_length as usize))
                        .map_err(|e| {
                            Error::InvalidArgument(format!(
                                "Argon2id rejects m = {m} KiB, t = {}, p = {p}: {e}",
                                spec.cost
                            ))
                        })?;
                Kdf::Argon2id { params }
            }
            other => {
                return bad(format!(
                    "ALTCHA algorithm '{other}' is not supported: expected one of {}",
                    Kdf::ALGORITHMS.join(", ")
                ));
            }
        };
        Ok(kdf)
    }

    /// Bytes of key a derivation gives for `key_length` asked: iterated SHA
    /// cuts its digest and cannot give more than the digest.
    pub fn key_len(&self, key_length: u64) -> usize {
        let asked = key_length as usize;
        match self {
            Kdf::Sha { sha, .. } => asked.min(sha.digest_len()),
            _ => asked,
        }
    }

    /// Bytes one derivation holds while it runs (the memory-hard kinds'
    /// working memory; a few hundred bytes for the others).
    pub fn memory(&self) -> u64 {
        match self {
            Kdf::Sha { .. } | Kdf::Pbkdf2 { .. } => 1 << 10,
            Kdf::Scrypt { params } => {
                128 * u64::from(params.r()) * ((1u64 << params.log_n()) + u64::from(params.p()))
            }
            Kdf::Argon2id { params } => params.block_count() as u64 * argon2::Block::SIZE as u64,
        }
    }

    /// Rough work of one derivation in compression-function calls, to size
    /// the batches of counters a thread takes at once.
    pub fn work(&self) -> u64 {
        match self {
            Kdf::Sha { iterations, .. } => u64::from(*iterations),
            Kdf::Pbkdf2 { rounds, .. } => 2 * u64::from(*rounds),
            Kdf::Scrypt { .. } | Kdf::Argon2id { .. } => self.memory() / 64,
        }
    }

    /// Whether the derivation runs on the SHA-256 lane kernels: iterated
    /// SHA-256 and PBKDF2/SHA-256, each iteration one or two compressions of
    /// a 32-byte message. The others go through their crates alone
    /// (SHA-384/512 would need 64-bit lanes; scrypt and Argon2id are bound
    /// by memory, not by compressions).
    pub fn has_lanes(&self) -> bool {
        matches!(self, Kdf::Sha { sha: Sha::Sha256, .. } | Kdf::Pbkdf2 { sha: Sha::Sha256, .. })
    }

    /// Passwords one [`derive_many`](Self::derive_many) call takes side by
    /// side on `kernel`: a vector's lanes (two interleaved chains for
    /// `sha-ni`) where the derivation has lanes, otherwise one.
    pub fn lanes(&self, kernel: Kernel) -> usize {
        match kernel {
            _ if !self.has_lanes() => 1,
            Kernel::Crate | Kernel::Scalar => 1,
            Kernel::ShaNi => 2,
            other => other.lanes(),
        }
    }

    /// Derive the key of each password into the key of the same index
    /// (each at most [`key_len`](Self::key_len) bytes): iterated SHA-256
    /// and PBKDF2/SHA-256 up to [`MAX_LANES`] at a time on `kernel` (which
    /// must be one of SHA-256's here), every other derivation, and every
    /// one on [`Kernel::Crate`], one after another through its crate.
    pub fn derive_many<P: AsRef<[u8]>>(
        &self,
        kernel: Kernel,
        passwords: &[P],
        salt: &[u8],
        keys: &mut [Vec<u8>],
    ) -> Result<()> {
        let groups = passwords.chunks(MAX_LANES).zip(keys.chunks_mut(MAX_LANES));
        match *self {
            Kdf::Sha { sha: Sha::Sha256, iterations } if kernel != Kernel::Crate => {
                groups.for_each(|(p, k)| iterated_sha256(kernel, p, salt, iterations, k))
            }
            Kdf::Pbkdf2 { sha: Sha::Sha256, rounds } if kernel != Kernel::Crate => {
                groups.for_each(|(p, k)| pbkdf2_hmac_sha256(kernel, p, salt, rounds, k))
            }
            _ => {
                for (password, key) in passwords.iter().zip(keys) {
                    self.derive(password.as_ref(), salt, key)?;
                }
            }
        }
        Ok(())
    }

    /// Derive `out.len()` bytes of key (at most [`key_len`](Self::key_len))
    /// from `password` and `salt`.
    pub fn derive(&self, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<()> {
        match *self {
            Kdf::Sha { sha: Sha::Sha256, iterations } => iterated::<Sha256>(password, salt, iterations, out),
            Kdf::Sha { sha: Sha::Sha384, iterations } => iterated::<Sha384>(password, salt, iterations, out),
            Kdf::Sha { sha: Sha::Sha512, iterations } => iterated::<Sha512>(password, salt, iterations, out),
            Kdf::Pbkdf2 { sha: Sha::Sha256, rounds } => {
                pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, out)
            }
            Kdf::Pbkdf2 { sha: Sha::Sha384, rounds } => {
                pbkdf2::pbkdf2_hmac::<Sha384>(password, salt, rounds, out)
            }
            Kdf::Pbkdf2 { sha: Sha::Sha512, rounds } => {
                pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, rounds, out)
            }
            Kdf::Scrypt { ref params } => scrypt::scrypt(password, salt, params, out)
                .map_err(|_| Error::InvalidArgument(format!("scrypt cannot derive {} bytes", out.len())))?,
            Kdf::Argon2id { ref params } => {
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params.clone())
                    .hash_password_into(password, salt, out)
                    .map_err(|e| Error::InvalidArgument(format!("Argon2id cannot derive the key: {e}")))?
            }
        }
        Ok(())
    }
}

/// altcha-lib's iterated SHA: the first hash over salt ‖ password, each next
/// one over the whole previous digest, the last one cut to `out`.
fn iterated<D: Digest>(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let mut digest = D::new().chain_update(salt).chain_update(password).finalize();
    for _ in 1..iterations {
        digest = D::digest(&digest);
    }
    out.copy_from_slice(&digest[..out.len()]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(algorithm: &str, cost: u64, memory_cost: Option<u64>) -> KdfSpec<'_> {
        KdfSpec { algorithm, cost, memory_cost, parallelism: None, key_length: 32 }
    }

    fn derive(kdf: &Kdf, password: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
        let mut out = vec![0; len];
        kdf.derive(password, salt, &mut out).unwrap();
        out
    }

    #[test]
    fn iterated_sha_chains_whole_digests() {
        let kdf = Kdf::new(&spec("SHA-512", 3, None)).unwrap();
        let first = Sha512::digest(b"saltpassword");
        let third = Sha512::digest(Sha512::digest(first));
        assert_eq!(derive(&kdf, b"password", b"salt", 32), third[..32]);
        let once = Kdf::new(&spec("SHA-256", 1, None)).unwrap();
        assert_eq!(derive(&once, b"pw", b"s", 32), Sha256::digest(b"spw")[..]);
        assert_eq!(
            Kdf::new(&KdfSpec { key_length: 64, ..spec("SHA-256", 1, None) }).unwrap().key_len(64),
            32
        );
    }

    #[test]
    fn pbkdf2_matches_rfc_7914s_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA-256("passwd", "salt", 1, 64).
        let kdf = Kdf::new(&KdfSpec { key_length: 64, ..spec("PBKDF2/SHA-256", 1, None) }).unwrap();
        let key = derive(&kdf, b"passwd", b"salt", 64);
        assert_eq!(hex(&key[..16]), "55ac046e56e3089fec1691c22544b605");
    }

    #[test]
    fn scrypt_matches_rfc_7914s_vector() {
        // RFC 7914 section 12: scrypt("password", "NaCl", N = 1024, r = 8, p = 16, 64).
        let kdf =
            Kdf::new(&KdfSpec { parallelism: Some(16), key_length: 64, ..spec("SCRYPT", 1024, Some(8)) })
                .unwrap();
        assert_eq!(kdf.memory(), 128 * 8 * (1024 + 16));
        let key = derive(&kdf, b"password", b"NaCl", 64);
        assert_eq!(hex(&key[..16]), "fdbabe1c9d3472007856e7190d01e9fe");
    }

    #[test]
    fn argon2id_matches_rfc_9106s_shape() {
        // The RustCrypto crate's own Argon2id through the same parameters.
        let kdf = Kdf::new(&spec("ARGON2ID", 2, Some(64))).unwrap();
        let mut expected = [0u8; 32];
        argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(64, 2, 1, Some(32)).unwrap(),
        )
        .hash_password_into(b"password", b"saltsalt", &mut expected)
        .unwrap();
        assert_eq!(derive(&kdf, b"password", b"saltsalt", 32), expected);
        assert_eq!(kdf.memory(), 64 * 1024);
    }

    #[test]
    fn many_passwords_on_every_kernel_equal_one_at_a_time() {
        let passwords: Vec<Vec<u8>> =
            (0u32..37).map(|c| [&b"nonce"[..], &c.to_be_bytes()].concat()).collect();
        for algorithm in ["SHA-256", "PBKDF2/SHA-256", "PBKDF2/SHA-512"] {
            let kdf = Kdf::new(&spec(algorithm, 7, None)).unwrap();
            let one_by_one: Vec<Vec<u8>> = passwords.iter().map(|p| derive(&kdf, p, b"salt", 32)).collect();
            for kernel in Kernel::ALL.into_iter().filter(|k| k.is_available()) {
                let mut keys = vec![vec![0; 32]; passwords.len()];
                kdf.derive_many(kernel, &passwords, b"salt", &mut keys).unwrap();
                assert_eq!(keys, one_by_one, "{algorithm} on {kernel}");
                assert!(kdf.lanes(kernel) <= MAX_LANES);
            }
            assert_eq!(kdf.has_lanes(), algorithm != "PBKDF2/SHA-512");
        }
    }

    #[test]
    fn bad_and_absurd_parameters_are_one_line_errors() {
        let err = |s: KdfSpec| Kdf::new(&s).unwrap_err().to_string();
        assert!(err(spec("MD5", 1, None)).starts_with("ALTCHA algorithm 'MD5' is not supported"));
        assert!(err(spec("PBKDF2/SHA-1", 1, None)).contains("not supported"));
        assert!(err(spec("SHA-256", 1 << 40, None)).contains("more than the 16777216 iterations"));
        assert!(err(spec("PBKDF2/SHA-512", 0, None)).contains("at least 1"));
        assert!(err(spec("SCRYPT", 1000, Some(8))).contains("power of two"));
        assert!(err(spec("SCRYPT", 1024, None)).contains("memoryCost"));
        let scrypt = err(spec("SCRYPT", 1 << 40, Some(8)));
        assert!(scrypt.contains("scrypt with N = 1099511627776, r = 8 would need 1048576.0 GB"), "{scrypt}");
        assert!(err(spec("SCRYPT", 1 << 62, Some(1 << 40))).contains("more memory than exists"));
        let argon = err(spec("ARGON2ID", 1, Some(1 << 40)));
        assert!(argon.contains("Argon2id with memoryCost = 1099511627776 KiB would need"), "{argon}");
        assert!(err(spec("ARGON2ID", 1, Some(4))).contains("Argon2id rejects"));
        assert!(err(spec("ARGON2ID", 1 << 20, Some(64))).contains("passes"));
        assert!(
            err(KdfSpec { parallelism: Some(1000), ..spec("SCRYPT", 2, Some(1)) }).contains("parallelism")
        );
        assert!(err(KdfSpec { key_length: 1 << 30, ..spec("SHA-256", 1, None) }).contains("keyLength"));
        for e in [err(spec("SCRYPT", 1 << 40, Some(8))), err(spec("SHA-256", 1 << 40, None))] {
            assert!(!e.contains('\n'), "{e}");
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
