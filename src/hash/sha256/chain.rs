//! Chains of one-block SHA-256 compressions, one chain per lane: the
//! iterations of PBKDF2-HMAC-SHA-256 and of iterated SHA-256 (ALTCHA v2's
//! default and cheapest key derivations), for many passwords at once.
//!
//! Every iteration of either compresses a 32-byte message from a state that
//! is fixed for the password: iterated SHA-256 hashes the previous digest
//! from the IV; PBKDF2's `U_j = HMAC(P, U_{j-1})` is two such compressions,
//! the inner one from the password's ipad midstate and the outer one from
//! its opad midstate (each message 64 + 32 bytes long), and a key block is
//! the xor of every `U_j`. So the per-password setup (the two midstates and
//! `U_1` over the salt, a handful of compressions) goes through `sha2`, and
//! the thousands of iterations after it run here on the lane kernels'
//! [`U32s`], one password a lane: the vector backends of the mining kernels,
//! named by the same [`Kernel`]s and chosen in one `match` ([`run`]).
//!
//! SHA-NI has no lanes: [`Kernel::ShaNi`] runs two chains interleaved
//! (`shani.rs`, as the mining kernel does), and [`Kernel::Crate`] each chain
//! through `sha2::compress256`, one password after another.

use sha2::Digest as _;
use sha2::block_api::compress256;

use super::functions::IV;
use super::rounds::{compress, short_block};
use crate::hash::Kernel;
use crate::hash::vector::{MAX_LANES, U32s};

/// Eight state words of up to [`MAX_LANES`] chains, word-major:
/// `states[word][lane]`, so a vector loads one word of consecutive lanes.
type LaneStates = [[u32; MAX_LANES]; 8];

/// Message bits of an iterated-SHA-256 step (the 32-byte digest alone).
const SHA_BITS: u32 = 256;
/// Message bits of each HMAC compression (a 64-byte pad block, then 32 bytes).
const HMAC_BITS: u32 = 768;

/// What one iteration of a chain does to its lane's `u`.
#[expect(
    clippy::large_enum_variant,
    reason = "one value a group, on the stack: boxing would allocate per group"
)]
enum Step {
    /// Iterated SHA-256: `u ← SHA-256(u)`.
    Sha,
    /// PBKDF2: `u ← HMAC(P, u)` from the password's inner and outer
    /// midstates, then `t ^= u`.
    Hmac { inner: LaneStates, outer: LaneStates },
}

/// The chains of one group of passwords.
struct Chains {
    step: Step,
    /// Each lane's latest `u`.
    u: LaneStates,
    /// PBKDF2's running xor (unused for iterated SHA-256).
    t: LaneStates,
    /// Lanes in use, from 0.
    lanes: usize,
}

/// `steps` more iterations of every chain through the backend `V`.
#[inline(always)]
fn iterate<V: U32s>(chains: &mut Chains, steps: u32) {
    // `lanes` is at most 16, a multiple of every backend's width, so each
    // load and store stays inside the 16-lane rows; lanes past `lanes`
    // compute on zeros and are never read.
    for base in (0..chains.lanes).step_by(V::LANES) {
        let load = |s: &LaneStates| -> [V; 8] { std::array::from_fn(|w| V::load(&s[w][base..])) };
        let mut u = load(&chains.u);
        match &chains.step {
            Step::Sha => {
                let iv = IV.map(V::splat);
                for _ in 0..steps {
                    u = compress(iv, short_block(u, SHA_BITS));
                }
            }
            Step::Hmac { inner, outer } => {
                let (inner, outer) = (load(inner), load(outer));
                let mut t = load(&chains.t);
                for _ in 0..steps {
                    u = compress(inner, short_block(u, HMAC_BITS));
                    u = compress(outer, short_block(u, HMAC_BITS));
                    t = std::array::from_fn(|w| t[w].xor(u[w]));
                }
                for (w, word) in t.into_iter().enumerate() {
                    word.store(&mut chains.t[w][base..]);
                }
            }
        }
        for (w, word) in u.into_iter().enumerate() {
            word.store(&mut chains.u[w][base..]);
        }
    }
}

/// `steps` more iterations of every chain, one lane at a time through
/// `sha2::compress256`.
fn iterate_crate(chains: &mut Chains, steps: u32) {
    let block = |u: &[u32; 8], bits: u32| -> [[u8; 64]; 1] {
        let mut block = [0u8; 64];
        for (bytes, word) in block.chunks_exact_mut(4).zip(u) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        block[32] = 0x80;
        block[60..].copy_from_slice(&bits.to_be_bytes());
        [block]
    };
    for lane in 0..chains.lanes {
        let get = |s: &LaneStates| -> [u32; 8] { std::array::from_fn(|w| s[w][lane]) };
        let mut u = get(&chains.u);
        match &chains.step {
            Step::Sha => {
                for _ in 0..steps {
                    let mut state = IV;
                    compress256(&mut state, &block(&u, SHA_BITS));
                    u = state;
                }
            }
            Step::Hmac { inner, outer } => {
                let (inner, outer) = (get(inner), get(outer));
                let mut t = get(&chains.t);
                for _ in 0..steps {
                    let mut state = inner;
                    compress256(&mut state, &block(&u, HMAC_BITS));
                    u = outer;
                    compress256(&mut u, &block(&state, HMAC_BITS));
                    t = std::array::from_fn(|w| t[w] ^ u[w]);
                }
                set_lane(&mut chains.t, lane, t);
            }
        }
        set_lane(&mut chains.u, lane, u);
    }
}

/// `steps` more iterations of every chain, [`STREAMS`](super::shani::STREAMS)
/// at a time interleaved on the SHA extensions.
///
/// # Safety
///
/// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
#[cfg(target_arch = "x86_64")]
unsafe fn iterate_shani(chains: &mut Chains, steps: u32) {
    use super::shani::{STREAMS, chains as interleaved};
    for base in (0..chains.lanes).step_by(STREAMS) {
        // Lanes past `lanes` (up to 16, an even number) compute on zeros.
        let get = |s: &LaneStates| -> [[u32; 8]; STREAMS] {
            std::array::from_fn(|i| std::array::from_fn(|w| s[w][base + i]))
        };
        let (mut u, mut t) = (get(&chains.u), get(&chains.t));
        let midstates = match &chains.step {
            Step::Sha => None,
            Step::Hmac { inner, outer } => {
                let (inner, outer) = (get(inner), get(outer));
                Some(std::array::from_fn(|i| (inner[i], outer[i])))
            }
        };
        // SAFETY: the caller guarantees the features.
        unsafe { interleaved(&mut u, &mut t, midstates.as_ref(), steps) };
        for i in 0..STREAMS {
            set_lane(&mut chains.u, base + i, u[i]);
            set_lane(&mut chains.t, base + i, t[i]);
        }
    }
}

/// The one place a chain's [`Kernel`] becomes code.
fn run(kernel: Kernel, chains: &mut Chains, steps: u32) {
    assert!(kernel.is_available(), "SHA-256 has no {kernel} kernel here");
    match kernel {
        Kernel::Crate => iterate_crate(chains, steps),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the kernel is available (asserted above): the CPU has SHA-NI and SSE4.1.
        Kernel::ShaNi => unsafe { iterate_shani(chains, steps) },
        Kernel::Scalar => iterate::<u32>(chains, steps),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the kernel is available (asserted above): the CPU has the feature.
        Kernel::Sse41 => unsafe { x86::sse41(chains, steps) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Kernel::Avx2 => unsafe { x86::avx2(chains, steps) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Kernel::Avx512 => unsafe { x86::avx512(chains, steps) },
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Kernel::Simd128 => iterate::<crate::hash::vector::wasm::Simd128>(chains, steps),
        other => unreachable!("no {other} kernel in this build"),
    }
}

/// The x86 entry points: the generic chain compiled with each feature on, so
/// that every vector operation inlines to one instruction.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Chains, iterate};
    use crate::hash::vector::x86::{Avx2, Avx512, Sse41};

    /// # Safety
    /// The CPU must have AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn avx512(chains: &mut Chains, steps: u32) {
        iterate::<Avx512>(chains, steps)
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn avx2(chains: &mut Chains, steps: u32) {
        iterate::<Avx2>(chains, steps)
    }

    /// # Safety
    /// The CPU must have SSE4.1 and SSSE3.
    #[target_feature(enable = "sse2,ssse3,sse4.1")]
    pub(super) unsafe fn sse41(chains: &mut Chains, steps: u32) {
        iterate::<Sse41>(chains, steps)
    }
}

fn set_lane(states: &mut LaneStates, lane: usize, state: [u32; 8]) {
    for (row, word) in states.iter_mut().zip(state) {
        row[lane] = word;
    }
}

fn words(digest: &[u8]) -> [u32; 8] {
    std::array::from_fn(|i| u32::from_be_bytes(digest[4 * i..4 * i + 4].try_into().expect("4 bytes")))
}

/// Lane `lane` of `states` as digest bytes, the first `out.len()` of them.
fn write_lane(states: &LaneStates, lane: usize, out: &mut [u8]) {
    for (bytes, row) in out.chunks_mut(4).zip(states) {
        bytes.copy_from_slice(&row[lane].to_be_bytes()[..bytes.len()]);
    }
}

/// A group's shape (the kernel is checked where it runs, in [`run`]).
fn check_group(passwords: usize, keys: usize) {
    assert!(passwords <= MAX_LANES, "at most {MAX_LANES} passwords a group, not {passwords}");
    assert_eq!(passwords, keys, "one key for each password");
}

/// PBKDF2-HMAC-SHA-256 (RFC 8018) of each password with `salt` and `rounds`
/// iterations (at least 1), filling each `keys[i]` whatever its length; at
/// most [`MAX_LANES`] passwords, run side by side on `kernel`.
pub(crate) fn pbkdf2_hmac_sha256<P: AsRef<[u8]>, K: AsMut<[u8]>>(
    kernel: Kernel,
    passwords: &[P],
    salt: &[u8],
    rounds: u32,
    keys: &mut [K],
) {
    check_group(passwords.len(), keys.len());
    assert!(rounds >= 1, "PBKDF2 needs at least one round");
    let lanes = passwords.len();
    // HMAC's key is the password, or its digest when longer than a block;
    // zero-padded to a block and xored with the two pads.
    let pads: Vec<([u8; 64], [u8; 64])> = passwords
        .iter()
        .map(|password| {
            let password = password.as_ref();
            let mut key = [0u8; 64];
            if password.len() > 64 {
                key[..32].copy_from_slice(&sha2::Sha256::digest(password));
            } else {
                key[..password.len()].copy_from_slice(password);
            }
            (key.map(|b| b ^ 0x36), key.map(|b| b ^ 0x5c))
        })
        .collect();
    let midstate = |block: &[u8; 64]| {
        let mut state = IV;
        compress256(&mut state, std::slice::from_ref(block));
        state
    };
    let (mut inner, mut outer) = ([[0; MAX_LANES]; 8], [[0; MAX_LANES]; 8]);
    for (lane, (ipad, opad)) in pads.iter().enumerate() {
        set_lane(&mut inner, lane, midstate(ipad));
        set_lane(&mut outer, lane, midstate(opad));
    }
    let mut chains =
        Chains { step: Step::Hmac { inner, outer }, u: [[0; MAX_LANES]; 8], t: [[0; MAX_LANES]; 8], lanes };
    let longest = keys.iter_mut().map(|k| k.as_mut().len()).max().unwrap_or(0);
    for block in 0..longest.div_ceil(32) {
        // U_1 = HMAC(P, salt ‖ INT(block + 1)).
        for (lane, (ipad, opad)) in pads.iter().enumerate() {
            let index = (block as u32 + 1).to_be_bytes();
            let inner =
                sha2::Sha256::new().chain_update(ipad).chain_update(salt).chain_update(index).finalize();
            let u1 = words(&sha2::Sha256::new().chain_update(opad).chain_update(inner).finalize());
            set_lane(&mut chains.u, lane, u1);
            set_lane(&mut chains.t, lane, u1);
        }
        run(kernel, &mut chains, rounds - 1);
        for (lane, key) in keys.iter_mut().enumerate() {
            let key = key.as_mut();
            let at = (32 * block).min(key.len());
            let end = (at + 32).min(key.len());
            write_lane(&chains.t, lane, &mut key[at..end]);
        }
    }
}

/// ALTCHA's iterated SHA-256 of each password: the first hash over `salt ‖
/// password`, then `iterations - 1` more, each over the previous digest;
/// each `keys[i]` (at most 32 bytes) gets the start of the last digest. At
/// most [`MAX_LANES`] passwords, run side by side on `kernel`.
pub(crate) fn iterated_sha256<P: AsRef<[u8]>, K: AsMut<[u8]>>(
    kernel: Kernel,
    passwords: &[P],
    salt: &[u8],
    iterations: u32,
    keys: &mut [K],
) {
    check_group(passwords.len(), keys.len());
    assert!(iterations >= 1, "iterated SHA-256 needs at least one hash");
    let mut chains =
        Chains { step: Step::Sha, u: [[0; MAX_LANES]; 8], t: [[0; MAX_LANES]; 8], lanes: passwords.len() };
    for (lane, password) in passwords.iter().enumerate() {
        let first = sha2::Sha256::new().chain_update(salt).chain_update(password).finalize();
        set_lane(&mut chains.u, lane, words(&first));
    }
    run(kernel, &mut chains, iterations - 1);
    for (lane, key) in keys.iter_mut().enumerate() {
        write_lane(&chains.u, lane, key.as_mut());
    }
}

/// Check the chains on `kernel` against the `pbkdf2` and `sha2` crates on
/// `cases` random groups (1 to 16 passwords of 0 to 100 bytes, salts of 0 to
/// 100 bytes, 1 to 40 iterations, keys of 1 to 80 bytes); the first mismatch
/// as an error. The native and the browser tests both run it, for every
/// SHA-256 kernel the host has.
#[doc(hidden)]
pub fn check_chains_against_crates(kernel: Kernel, seed: u64, cases: usize) -> Result<(), String> {
    let mut state = seed | 1;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut bytes = |len: Option<u64>| -> Vec<u8> {
        let len = len.unwrap_or_else(|| next(101));
        (0..len).map(|_| next(256) as u8).collect()
    };
    for case in 0..cases {
        let lanes = 1 + bytes(Some(1))[0] as usize % MAX_LANES;
        // Every length around the HMAC block (64) shows up within a few cases.
        let passwords: Vec<Vec<u8>> =
            (0..lanes).map(|i| bytes((case % 3 == 0).then_some(60 + i as u64 % 8))).collect();
        let salt = bytes(None);
        let [r, k] = bytes(Some(2))[..] else { unreachable!("two bytes") };
        let (rounds, key_len) = (1 + u32::from(r) % 40, 1 + usize::from(k) % 80);
        let mut keys = vec![vec![0u8; key_len]; lanes];
        pbkdf2_hmac_sha256(kernel, &passwords, &salt, rounds, &mut keys);
        let mut short = vec![vec![0u8; key_len.min(32)]; lanes];
        iterated_sha256(kernel, &passwords, &salt, rounds, &mut short);
        for (lane, password) in passwords.iter().enumerate() {
            let mut expected = vec![0u8; key_len];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, &salt, rounds, &mut expected);
            if keys[lane] != expected {
                return Err(format!(
                    "PBKDF2-HMAC-SHA-256 {kernel}: case {case}, lane {lane} of {lanes}, password {} bytes, salt {} bytes, \
                     {rounds} rounds, key {key_len} bytes",
                    password.len(),
                    salt.len()
                ));
            }
            let mut digest = sha2::Sha256::new().chain_update(&salt).chain_update(password).finalize();
            for _ in 1..rounds {
                digest = sha2::Sha256::digest(digest);
            }
            if short[lane] != digest[..short[lane].len()] {
                return Err(format!(
                    "iterated SHA-256 {kernel}: case {case}, lane {lane} of {lanes}, password {} bytes, {rounds} hashes",
                    password.len()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7914s_pbkdf2_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA-256("passwd", "salt", 1, 64),
        // here beside a second password in the next lane.
        let mut keys = [[0u8; 64]; 2];
        pbkdf2_hmac_sha256(Kernel::Scalar, &[&b"passwd"[..], b"other"], b"salt", 1, &mut keys);
        let hex: String = keys[0][..16].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "55ac046e56e3089fec1691c22544b605");
    }
}
