//! Every mining kernel on this machine against the plain `sha2` / `blake3`
//! crates: random prefixes, suffixes, nonce lengths and nonce bytes, every
//! digest word, every dispatch path forced in turn.
//!
//! `PARMINE_REQUIRE_KERNELS` (set by `./build.sh test` from the CPU flags in
//! `/proc/cpuinfo`, e.g. `sse4.1,avx2,avx512,sha-ni`) makes a missing kernel
//! a failure instead of a kernel left untested, and a kernel this build
//! detects but the list leaves out a failure too.

#![cfg(not(target_arch = "wasm32"))]

use parmine::hash::{Blake3, Hasher, Kernel, Sha256};
use parmine::{Block, Difficulty, Encoding, HashAlgorithm, Miner, Puzzle, Strategy};
use sha2::Digest as _;

fn plain<H: Hasher>(message: &[u8]) -> [u8; 32] {
    match H::ALGORITHM {
        HashAlgorithm::Sha256 => sha2::Sha256::digest(message).into(),
        HashAlgorithm::Blake3 => blake3::hash(message).into(),
        HashAlgorithm::Sha256d => sha2::Sha256::digest(sha2::Sha256::digest(message)).into(),
    }
}

/// Kernels that `PARMINE_REQUIRE_KERNELS` names must exist here.
fn check_required<H: Hasher>() {
    let Ok(list) = std::env::var("PARMINE_REQUIRE_KERNELS") else { return };
    for name in list.split(',').filter(|n| !n.is_empty()) {
        let kernel: Kernel = name.parse().unwrap();
        if kernel == Kernel::ShaNi && H::ALGORITHM != HashAlgorithm::Sha256 {
            continue;
        }
        assert!(H::kernels().contains(&kernel), "{} has no {kernel} kernel on this machine", H::ALGORITHM);
    }
}

/// The list `./build.sh test` derived from `/proc/cpuinfo` names every CPU
/// kernel parmine detects here (two independent readings of the CPU agree).
#[test]
fn the_required_list_names_every_kernel_this_cpu_has() {
    let Ok(list) = std::env::var("PARMINE_REQUIRE_KERNELS") else { return };
    let required: Vec<Kernel> =
        list.split(',').filter(|n| !n.is_empty()).map(|n| n.parse().unwrap()).collect();
    for &kernel in Sha256::kernels().iter().chain(Blake3::kernels()) {
        let cpu_specific = !matches!(kernel, Kernel::Crate | Kernel::Scalar | Kernel::Simd128);
        if cpu_specific {
            assert!(
                required.contains(&kernel),
                "{kernel} is detected but PARMINE_REQUIRE_KERNELS={list} leaves it out"
            );
        }
    }
}

fn every_kernel<H: Hasher>(seed: u64) {
    check_required::<H>();
    for &kernel in H::kernels() {
        // `H::hash` is the plain crate (`sha2::Sha256::digest`, `blake3::hash`);
        // check it is, so the comparison is with the crates themselves.
        let message = b"parmine kernels against the crates";
        assert_eq!(H::hash(message), plain::<H>(message));
        parmine::hash::kernel::check_against_crate::<H>(kernel, seed, 600).unwrap();
    }
}

#[test]
fn every_sha256_kernel_equals_sha2() {
    every_kernel::<Sha256>(1);
}

/// PBKDF2-HMAC-SHA-256 and iterated SHA-256 (ALTCHA v2) on every SHA-256
/// kernel, many passwords side by side, against the `pbkdf2` and `sha2` crates.
#[test]
fn every_sha256_kernel_derives_keys_as_pbkdf2_and_sha2_do() {
    check_required::<Sha256>();
    for &kernel in Sha256::kernels() {
        parmine::hash::check_chains_against_crates(kernel, 3, 200).unwrap();
    }
}

#[test]
fn every_blake3_kernel_equals_blake3() {
    every_kernel::<Blake3>(2);
}

#[test]
fn the_kernels_on_offer_are_this_machines() {
    for kernels in [Sha256::kernels(), Blake3::kernels()] {
        assert!(kernels.iter().all(|k| k.is_available()));
        assert!(kernels.contains(&Kernel::Crate) && kernels.contains(&Kernel::Scalar));
    }
    assert!(!Blake3::kernels().contains(&Kernel::ShaNi));
}

/// Mining through each kernel finds the same lowest proofs, for both
/// encodings (binary nonces with a fixed high word, decimal ones across a
/// change of length).
#[test]
fn every_kernel_mines_the_same_lowest_proofs() {
    for encoding in Encoding::ALL {
        for algorithm in HashAlgorithm::ALL {
            let kernels = match algorithm {
                HashAlgorithm::Sha256 => Sha256::kernels(),
                HashAlgorithm::Blake3 => Blake3::kernels(),
                HashAlgorithm::Sha256d => unreachable!("not in ALL"),
            };
            for timestamp in 0..3 {
                let block = Block::sample(Block::BENCHMARK_TIMESTAMP + timestamp, 0).unwrap();
                let puzzle =
                    Puzzle::new(&block, encoding, algorithm, Difficulty::from_bits(14).unwrap()).unwrap();
                let reference = Miner::new(Strategy::Sequential).kernel(Kernel::Crate).mine(&puzzle).unwrap();
                assert!(puzzle.verify(reference.proof));
                for &kernel in kernels {
                    for (strategy, threads) in [(Strategy::Sequential, 1), (Strategy::Chunked, 2)] {
                        let mined =
                            Miner::new(strategy).threads(threads).kernel(kernel).mine(&puzzle).unwrap();
                        assert_eq!(
                            mined.proof, reference.proof,
                            "{encoding}/{algorithm} {kernel} {strategy}"
                        );
                        assert_eq!(mined.hash, reference.hash);
                    }
                    // High nonces: the binary nonce's fixed high word is not zero,
                    // the decimal one crosses from 19 to 20 digits.
                    let start = 9_999_999_999_999_999_000u64;
                    let far = Miner::new(Strategy::Sequential)
                        .kernel(kernel)
                        .range(start..u64::MAX)
                        .mine(&puzzle)
                        .unwrap();
                    let far_reference = Miner::new(Strategy::Sequential)
                        .kernel(Kernel::Crate)
                        .range(start..u64::MAX)
                        .mine(&puzzle)
                        .unwrap();
                    assert_eq!(far.proof, far_reference.proof, "{encoding}/{algorithm} {kernel} far");
                }
            }
        }
    }
}

#[test]
fn unavailable_kernels_are_refused_with_a_reason() {
    let puzzle = Puzzle::new(
        &Block::benchmark(),
        Encoding::Header,
        HashAlgorithm::Blake3,
        Difficulty::from_hex_digits(2).unwrap(),
    )
    .unwrap();
    let err = Miner::new(Strategy::Sequential).kernel(Kernel::ShaNi).mine(&puzzle).unwrap_err();
    assert!(err.to_string().contains("blake3 has no sha-ni kernel"), "{err}");
    assert!(err.is_usage());
}
