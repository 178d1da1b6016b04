//! Known-answer vectors: the hashers through the trait, the blog's genesis
//! block, and the midstate path against one-shot hashing on many splits.

#![cfg(not(target_arch = "wasm32"))]

use parmine::hash::{Blake3, Hasher, Sha256, to_hex};
use parmine::{Block, HashAlgorithm};
use proptest::prelude::*;

/// (input, SHA-256) from FIPS 180-4's examples.
const SHA256_VECTORS: &[(&[u8], &str)] = &[
    (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
        b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ),
];

/// (input length, BLAKE3) from BLAKE3's test_vectors.json: input byte i is i % 251.
const BLAKE3_VECTORS: &[(usize, &str)] = &[
    (0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"),
    (1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"),
    (1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"),
    (1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"),
    (1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444"),
    (2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a"),
    (2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"),
    (8192, "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a63"),
];

fn blake3_input(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Hash `message` through the mining path: prefix absorbed once, tail written.
fn via_midstate<H: Hasher>(message: &[u8], split: usize) -> [u8; 32] {
    let (prefix, tail) = message.split_at(split);
    let mid = H::midstate(prefix);
    let mut buf = H::tail(&mid, tail.len());
    H::tail_bytes(&mut buf).copy_from_slice(tail);
    H::finish(&mid, &buf)
}

#[test]
fn sha256_known_answers() {
    for (input, expected) in SHA256_VECTORS {
        assert_eq!(to_hex(&Sha256::hash(input)), *expected);
        assert_eq!(to_hex(&HashAlgorithm::Sha256.hash(input)), *expected);
        for split in 0..=input.len() {
            assert_eq!(to_hex(&via_midstate::<Sha256>(input, split)), *expected, "split {split}");
        }
    }
    let million_a = vec![b'a'; 1_000_000];
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    assert_eq!(to_hex(&Sha256::hash(&million_a)), expected);
    assert_eq!(to_hex(&via_midstate::<Sha256>(&million_a, 999_937)), expected);
}

#[test]
fn blake3_known_answers() {
    assert_eq!(
        to_hex(&Blake3::hash(b"abc")),
        "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
    );
    for &(len, expected) in BLAKE3_VECTORS {
        let input = blake3_input(len);
        assert_eq!(to_hex(&Blake3::hash(&input)), expected, "len {len}");
        assert_eq!(to_hex(&HashAlgorithm::Blake3.hash(&input)), expected, "len {len}");
        for split in [0, len / 3, len / 2, len.saturating_sub(1), len] {
            assert_eq!(to_hex(&via_midstate::<Blake3>(&input, split)), expected, "len {len} split {split}");
        }
    }
}

#[test]
fn sha256_tail_is_reusable_across_candidates() {
    // The mining loop rewrites the same tail buffer; stale bytes must not leak.
    let message = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefXYZ-nonce".to_vec();
    let mid = Sha256::midstate(&message[..67]);
    let mut buf = Sha256::tail(&mid, message.len() - 67);
    for n in 0..50u8 {
        let mut candidate = message.clone();
        candidate[70] = n;
        Sha256::tail_bytes(&mut buf).copy_from_slice(&candidate[67..]);
        assert_eq!(Sha256::finish(&mid, &buf), Sha256::hash(&candidate));
    }
}

#[test]
fn genesis_json_and_hash() {
    let genesis = Block::genesis();
    assert_eq!(
        genesis.to_json(),
        r#"{"index":1,"timestamp":0,"proof":1917336,"transactions":[{"id":"b3c973e2-db05-4eb5-9668-3e81c7389a6d","timestamp":0,"payload":"I am Heribert Innoq"}],"previous_block_hash":"0"}"#
    );
    // sha256sum of the string above.
    assert_eq!(genesis.hash(), "dd8301c4241e7cfc8b24ddf6cee8f7b6913e024d0bdcf080023378b97938d499");
    let next = Block::benchmark();
    assert_eq!((next.index, next.timestamp, next.proof), (2, 1524480511, 0));
    assert_eq!(next.previous_block_hash, genesis.hash());
    assert!(next.transactions.is_empty());
}

/// Sample transactions are part of the contract (the page, the command line
/// and the fixtures all build blocks from them): recompute them from their
/// documented recipe.
#[test]
fn sample_transactions_follow_their_recipe() {
    use parmine::Transaction;
    use sha2::Digest as _;
    for i in [0u64, 1, 41, 999_999] {
        let mut seed = b"parmine sample transaction".to_vec();
        seed.extend_from_slice(&i.to_le_bytes());
        let digest = sha2::Sha256::digest(&seed);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let tx = Transaction::sample(i);
        let id = tx.id.replace('-', "");
        assert_eq!(tx.id.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        // Every digit but the version and variant nibbles comes from the hash.
        for (k, (got, want)) in id.chars().zip(hex.chars()).enumerate() {
            match k {
                12 => assert_eq!(got, '4', "version nibble"),
                16 => assert!("89ab".contains(got), "variant nibble {got}"),
                _ => assert_eq!(got, want, "id digit {k} of sample {i}"),
            }
        }
        assert_eq!(tx.timestamp, Block::BENCHMARK_TIMESTAMP + i);
        assert_eq!(tx.payload, format!("sample payment #{i}"));
    }
    assert_eq!(
        Transaction::sample(0).to_json(),
        r#"{"id":"a8659119-59cf-46f7-814f-3f9ba86fc3b9","timestamp":1524480511,"payload":"sample payment #0"}"#
    );
    assert_eq!(Block::sample(Block::BENCHMARK_TIMESTAMP, 0).unwrap(), Block::benchmark());
}

proptest! {
    #[test]
    // Lengths across BLAKE3's one-chunk limit (1024) and many block boundaries.
    fn midstate_equals_one_shot(message in proptest::collection::vec(any::<u8>(), 0..1300), cut in 0usize..1300) {
        let split = cut.min(message.len());
        prop_assert_eq!(via_midstate::<Sha256>(&message, split), Sha256::hash(&message));
        prop_assert_eq!(via_midstate::<Blake3>(&message, split), Blake3::hash(&message));
    }
}

#[test]
fn midstate_equals_one_shot_at_every_boundary() {
    // Every prefix length and tail length near the block and chunk edges.
    let message: Vec<u8> = (0..1100u32).map(|i| (i * 7 + 3) as u8).collect();
    for total in [1usize, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 1088] {
        for split in [0, 1, 8, 55, 56, 63, 64, 65, 120, 960, 1016, 1023, 1024] {
            if split > total {
                continue;
            }
            let m = &message[..total];
            assert_eq!(via_midstate::<Blake3>(m, split), Blake3::hash(m), "blake3 {total}/{split}");
            assert_eq!(via_midstate::<Sha256>(m, split), Sha256::hash(m), "sha256 {total}/{split}");
        }
    }
}
