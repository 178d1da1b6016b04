//! The Lean IMT against a plain reference, against rotortree, and its proofs.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::naive_root;
use parmine::block::transactions_root;
use parmine::hash::{Blake3, Digest, Hasher, Sha256};
use parmine::merkle::rotortree_compat::{ROTOR_MAX_DEPTH, RotorBlake3, RotorSha256, RotorTree};
use parmine::merkle::{LeanImt, Parallelism, Proof, verify};
use parmine::{Block, Encoding, Error, HashAlgorithm, Transaction};
use proptest::prelude::*;

fn leaves<H: Hasher>(count: u64) -> Vec<Digest> {
    (0..count).map(|i| H::hash(&i.to_le_bytes())).collect()
}

/// insert one by one, insert_many in one batch, insert_many forced parallel,
/// and recompute_root all equal the reference, at every size up to `max`.
fn every_size_matches<H: Hasher, const N: usize>(max: u64) {
    let all = leaves::<H>(max);
    let mut one_by_one = LeanImt::<H, N>::new();
    for size in 0..=max as usize {
        let expected = naive_root(&all[..size], N, H::ALGORITHM);
        assert_eq!(one_by_one.root(), expected, "insert, size {size}, N {N}");
        if size > 0 {
            let mut batch = LeanImt::<H, N>::new();
            assert_eq!(batch.insert_many(&all[..size]).ok(), expected, "insert_many, size {size}, N {N}");
            assert_eq!(batch.recompute_root().ok(), expected, "recompute, size {size}, N {N}");
            let mut forced =
                LeanImt::<H, N>::builder().parallelism(Parallelism::ALWAYS).task(3).build().unwrap();
            assert_eq!(forced.insert_many(&all[..size]).ok(), expected, "parallel, size {size}, N {N}");
            assert_eq!(forced.recompute_root().ok(), expected, "parallel recompute, size {size}, N {N}");
            assert_eq!(batch.depth(), parmine::merkle::depth_for(size as u64, N));
        }
        if size < max as usize {
            one_by_one.insert(all[size]);
        }
    }
}

#[test]
fn roots_equal_the_reference_for_every_small_size() {
    every_size_matches::<Sha256, 2>(300);
    every_size_matches::<Sha256, 3>(300);
    every_size_matches::<Sha256, 4>(300);
    every_size_matches::<Sha256, 8>(300);
    every_size_matches::<Sha256, 16>(300);
    every_size_matches::<Blake3, 2>(300);
    every_size_matches::<Blake3, 3>(300);
    every_size_matches::<Blake3, 4>(300);
    every_size_matches::<Blake3, 8>(300);
    every_size_matches::<Blake3, 16>(300);
}

fn around_threshold<H: Hasher, const N: usize>() {
    let threshold = Parallelism::DEFAULT_THRESHOLD;
    for delta in [-64i64, -1, 0, 1, 64] {
        // Level 1 then has threshold + delta parents to compute.
        let parents = (threshold as i64 + delta) as u64;
        for size in [parents * N as u64 - (N as u64 - 1), parents * N as u64] {
            let all = leaves::<H>(size);
            let expected = naive_root(&all, N, H::ALGORITHM);
            for parallelism in
                [Parallelism::ALWAYS, Parallelism { threshold, task: 64 }, Parallelism::SEQUENTIAL]
            {
                let mut tree = LeanImt::<H, N>::builder().parallelism(parallelism).build().unwrap();
                assert_eq!(tree.insert_many(&all).ok(), expected, "size {size} N {N} {parallelism:?}");
                assert_eq!(tree.recompute_root().ok(), expected, "size {size} N {N} {parallelism:?}");
            }
        }
    }
}

#[test]
fn roots_around_the_parallel_threshold() {
    around_threshold::<Blake3, 2>();
    around_threshold::<Blake3, 3>();
    around_threshold::<Sha256, 4>();
    around_threshold::<Sha256, 16>();
}

fn rotortree_agrees<const N: usize>(sizes: &[usize]) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(N as u64);
    for &size in sizes {
        let all: Vec<Digest> = (0..size).map(|_| rng.random()).collect();
        let mut ours = LeanImt::<Blake3, N>::new();
        let mut theirs = RotorTree::<RotorBlake3, N, ROTOR_MAX_DEPTH>::new(RotorBlake3);
        assert_eq!(
            ours.insert_many(&all).unwrap(),
            theirs.insert_many(&all).unwrap(),
            "blake3 N {N} size {size}"
        );
        let mut ours = LeanImt::<Sha256, N>::new();
        let mut theirs = RotorTree::<RotorSha256, N, ROTOR_MAX_DEPTH>::new(RotorSha256);
        assert_eq!(
            ours.insert_many(&all).unwrap(),
            theirs.insert_many(&all).unwrap(),
            "sha256 N {N} size {size}"
        );
    }
}

#[test]
fn roots_equal_rotortree() {
    let sizes = [1, 2, 3, 17, 1000, 4097, 65_537, 300_001, 1_000_000];
    rotortree_agrees::<2>(&sizes);
    rotortree_agrees::<4>(&sizes);
    rotortree_agrees::<16>(&sizes);
    rotortree_agrees::<3>(&sizes[..7]);
}

#[test]
fn incremental_batches_equal_one_batch() {
    let all = leaves::<Blake3>(5000);
    let expected = naive_root(&all, 4, HashAlgorithm::Blake3).unwrap();
    let mut tree = LeanImt::<Blake3, 4>::builder().threshold(16).task(8).build().unwrap();
    let mut at = 0;
    for batch in [1usize, 3, 1, 700, 2048, 5, 1, 2233] {
        tree.insert_many(&all[at..at + batch]).unwrap();
        at += batch;
        assert_eq!(tree.root(), naive_root(&all[..at], 4, HashAlgorithm::Blake3));
        tree.insert(all[at]);
        at += 1;
    }
    assert_eq!(at, 5000);
    assert_eq!(tree.root(), Some(expected));
    assert_eq!(tree.recompute_root().unwrap(), expected);
}

/// `reserve` changes capacity only: whatever is inserted afterwards, in
/// whatever pieces, and however much of the reservation is used, the tree
/// reports what a tree without it reports, and snapshots are untouched.
#[test]
fn reserve_changes_nothing_but_capacity() {
    let all = leaves::<Blake3>(3000);
    for (reserve, inserted) in [(3000usize, 3000usize), (3000, 10), (10, 3000), (1, 1), (2500, 2499)] {
        let mut plain = LeanImt::<Blake3, 4>::builder().task(8).threshold(16).build().unwrap();
        let mut reserved = LeanImt::<Blake3, 4>::builder().task(8).threshold(16).build().unwrap();
        reserved.reserve(reserve);
        assert_eq!((reserved.size(), reserved.depth(), reserved.root()), (0, 0, None));
        let mut at: usize = 0;
        for piece in [1, 7, 300, 1, 2000, usize::MAX] {
            let end = at.saturating_add(piece).min(inserted);
            if end == at {
                break;
            }
            if piece == 1 {
                plain.insert(all[at]);
                reserved.insert(all[at]);
            } else {
                plain.insert_many(&all[at..end]).unwrap();
                reserved.insert_many(&all[at..end]).unwrap();
            }
            at = end;
            assert_eq!((reserved.size(), reserved.depth()), (plain.size(), plain.depth()), "{reserve}/{at}");
            assert_eq!(reserved.root(), naive_root(&all[..at], 4, HashAlgorithm::Blake3), "{reserve}/{at}");
            let before = reserved.snapshot();
            reserved.reserve(500);
            assert_eq!(before.root(), reserved.root());
            assert_eq!(
                before.proof(at as u64 - 1).unwrap(),
                reserved.snapshot().proof(at as u64 - 1).unwrap()
            );
        }
    }
}

fn flip(d: &mut Digest, bit: usize) {
    d[bit / 8] ^= 1 << (bit % 8);
}

fn proofs_verify_and_tampering_fails<H: Hasher, const N: usize>(size: u64) {
    let mut tree = LeanImt::<H, N>::new();
    let root = tree.insert_many(&leaves::<H>(size)).unwrap();
    let snapshot = tree.snapshot();
    let indices: Vec<u64> = (0..size).collect();
    let proofs = snapshot.proofs(&indices).unwrap();
    for (i, proof) in proofs.iter().enumerate() {
        assert_eq!(proof.index, i as u64);
        assert!(verify::<H>(proof, &root), "size {size} N {N} leaf {i}");
        let mut bad_root = root;
        flip(&mut bad_root, i % 256);
        assert!(!verify::<H>(proof, &bad_root));
        let mut bad = proof.clone();
        flip(&mut bad.leaf, (i * 7) % 256);
        assert!(!verify::<H>(&bad, &root));
        for (l, level) in proof.levels.iter().enumerate() {
            for s in 0..level.siblings.len() {
                let mut bad = proof.clone();
                flip(&mut bad.levels[l].siblings[s], (i + l + s) % 256);
                assert!(!verify::<H>(&bad, &root), "sibling {s} of level {l} flipped");
            }
        }
        // Claiming another index, or another shape, fails too.
        let mut bad = proof.clone();
        bad.index = (bad.index + 1) % size;
        assert!(size == 1 || !verify::<H>(&bad, &root));
        if let Some(level) = proof.levels.iter().position(|l| !l.is_lifted()) {
            let mut bad = proof.clone();
            bad.levels[level].siblings.pop();
            assert!(!verify::<H>(&bad, &root));
        }
    }
}

#[test]
fn every_proof_verifies_and_every_flipped_bit_fails() {
    for size in [1, 2, 3, 5, 16, 17, 33, 100] {
        proofs_verify_and_tampering_fails::<Sha256, 2>(size);
        proofs_verify_and_tampering_fails::<Blake3, 3>(size);
        proofs_verify_and_tampering_fails::<Blake3, 4>(size);
        proofs_verify_and_tampering_fails::<Sha256, 16>(size);
    }
    proofs_verify_and_tampering_fails::<Blake3, 2>(3000);
}

#[test]
fn proofs_mark_lifted_levels() {
    // N = 2, 5 leaves: leaf 4 is alone in its group on levels 0 and 1.
    let mut tree = LeanImt::<Sha256, 2>::new();
    let root = tree.insert_many(&leaves::<Sha256>(5)).unwrap();
    let proof = tree.snapshot().proof(4).unwrap();
    let lifted: Vec<bool> = proof.levels.iter().map(|l| l.is_lifted()).collect();
    assert_eq!(lifted, [true, true, false]);
    assert!(verify::<Sha256>(&proof, &root));
    let json = serde_json::to_string(&proof).unwrap();
    let back: Proof = serde_json::from_str(&json).unwrap();
    assert_eq!(back, proof);
}

#[test]
fn snapshots_do_not_change_with_the_tree() {
    let all = leaves::<Blake3>(2000);
    let mut tree = LeanImt::<Blake3, 8>::new();
    let old_root = tree.insert_many(&all[..1000]).unwrap();
    let snapshot = tree.snapshot();
    let new_root = tree.insert_many(&all[1000..]).unwrap();
    assert_ne!(old_root, new_root);
    assert_eq!(snapshot.root(), Some(old_root));
    assert_eq!(snapshot.size(), 1000);
    let proof = std::thread::spawn(move || snapshot.proof(999).unwrap()).join().unwrap();
    assert!(verify::<Blake3>(&proof, &old_root));
    assert!(!verify::<Blake3>(&proof, &new_root));
    assert!(verify::<Blake3>(&tree.snapshot().proof(999).unwrap(), &new_root));
}

#[test]
fn errors() {
    let mut tree = LeanImt::<Sha256, 2>::new();
    assert_eq!(tree.insert_many(&[]), Err(Error::EmptyBatch));
    assert_eq!(tree.root(), None);
    assert_eq!(tree.recompute_root(), Err(Error::EmptyTree));
    assert_eq!(tree.snapshot().proof(0).unwrap_err(), Error::EmptyTree);
    tree.insert_many(&leaves::<Sha256>(10)).unwrap();
    assert_eq!(tree.snapshot().proof(10).unwrap_err(), Error::IndexOutOfRange { index: 10, size: 10 });
    assert_eq!(
        tree.snapshot().proofs(&[1, 2, 99]).unwrap_err(),
        Error::IndexOutOfRange { index: 99, size: 10 }
    );
    assert!(LeanImt::<Sha256, 2>::builder().task(0).build().is_err());
}

fn transactions(count: usize) -> Vec<Transaction> {
    (0..count)
        .map(|i| Transaction { id: format!("tx-{i}"), timestamp: i as u64, payload: format!("pay {i}") })
        .collect()
}

#[test]
fn the_header_commits_the_transactions_root() {
    for algorithm in HashAlgorithm::ALL {
        for count in [0, 1, 2, 7, 100_000] {
            let txs = transactions(count);
            let tx_leaves: Vec<Digest> = txs.iter().map(|t| algorithm.hash(t.to_json().as_bytes())).collect();
            let expected = naive_root(&tx_leaves, 2, algorithm).unwrap_or([0; 32]);
            assert_eq!(transactions_root(&txs, algorithm), expected, "{algorithm} {count}");
            let mut block = Block::new(1, txs, &Block::genesis());
            let difficulty = parmine::Difficulty::from_bits(8).unwrap();
            let template = Encoding::Header.template(&block, algorithm, difficulty).unwrap();
            assert_eq!(&template.message(0)[parmine::block::Header::MERKLE_ROOT], &expected);
            // Changing one transaction changes the header.
            if count > 0 {
                block.transactions[count / 2].payload.push('!');
                let changed = Encoding::Header.template(&block, algorithm, difficulty).unwrap();
                assert_ne!(changed.message(0), template.message(0));
            }
        }
    }
}

/// Insert `all` in batches cut at `cuts` into a tree with `task`-parent
/// tasks, check that recomputing agrees, and return its root.
fn split_root<const N: usize>(
    all: &[Digest],
    cuts: &[usize],
    task: usize,
    threshold: usize,
) -> Option<Digest> {
    let mut tree = LeanImt::<Blake3, N>::builder().threshold(threshold).task(task).build().unwrap();
    let mut at = 0;
    for &cut in cuts.iter().chain([&all.len()]) {
        if cut > at {
            tree.insert_many(&all[at..cut]).unwrap();
            at = cut;
        }
    }
    assert_eq!(tree.recompute_root().ok(), tree.root());
    tree.root()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arities 2 and 4 with tasks of 16 to 256 parents, batches appended to
    /// trees of any size (so a batch's first parent on a level may group old
    /// children with new ones), sequential or parallel from any threshold.
    #[test]
    fn batches_with_any_task_size_give_the_reference_root(
        size in 1usize..6000,
        cuts in proptest::collection::vec(0usize..6000, 0..5),
        task in prop_oneof![Just(16usize), Just(32), Just(64), Just(128), Just(256)],
        threshold in prop_oneof![Just(0usize), Just(1), 0usize..3000],
    ) {
        let all = leaves::<Blake3>(size as u64);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % size).collect();
        cuts.sort();
        prop_assert_eq!(split_root::<2>(&all, &cuts, task, threshold), naive_root(&all, 2, HashAlgorithm::Blake3));
        prop_assert_eq!(split_root::<4>(&all, &cuts, task, threshold), naive_root(&all, 4, HashAlgorithm::Blake3));
    }

    #[test]
    fn batches_in_any_split_give_the_reference_root(
        size in 1usize..3000,
        cuts in proptest::collection::vec(0usize..3000, 0..6),
        threshold in 0usize..64,
        task in 1usize..20,
    ) {
        let all = leaves::<Blake3>(size as u64);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % size).filter(|&c| c > 0).collect();
        cuts.sort();
        cuts.dedup();
        let mut tree = LeanImt::<Blake3, 3>::builder().threshold(threshold).task(task).build().unwrap();
        let mut at = 0;
        for cut in cuts.into_iter().chain([size]) {
            tree.insert_many(&all[at..cut]).unwrap();
            at = cut;
        }
        let expected = naive_root(&all, 3, HashAlgorithm::Blake3);
        prop_assert_eq!(tree.root(), expected);
        let index = (size / 2) as u64;
        prop_assert!(verify::<Blake3>(&tree.snapshot().proof(index).unwrap(), &expected.unwrap()));
    }
}
