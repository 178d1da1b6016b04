//! Mining: every strategy against independent references.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::Arc;

use common::{blog_mine, independent_hash, leading_zero_bits, lowest_proof};
use parmine::bench::benchmark_blocks;
use parmine::{Block, Control, Difficulty, Encoding, Error, HashAlgorithm, Miner, Puzzle, Strategy};

const COMBOS: [(Encoding, HashAlgorithm); 4] = [
    (Encoding::Json, HashAlgorithm::Sha256),
    (Encoding::Json, HashAlgorithm::Blake3),
    (Encoding::Header, HashAlgorithm::Sha256),
    (Encoding::Header, HashAlgorithm::Blake3),
];

fn puzzle(block: &Block, encoding: Encoding, algorithm: HashAlgorithm, hex_digits: u32) -> Puzzle {
    Puzzle::new(block, encoding, algorithm, Difficulty::from_hex_digits(hex_digits).unwrap()).unwrap()
}

/// The blog's benchmark block at the blog's "000000": parmine's deterministic
/// strategies find exactly the proof the blog's own loop finds, on every
/// thread count.
#[test]
fn blog_benchmark_block_gives_the_blogs_proof() {
    let block = Block::benchmark();
    let expected = blog_mine(&block, "000000");
    assert_eq!(expected, 5_518_788, "the blog's loop itself");
    let puzzle = puzzle(&block, Encoding::Json, HashAlgorithm::Sha256, 6);
    for strategy in Strategy::ALL.into_iter().filter(|s| s.is_deterministic()) {
        for threads in 1..=4 {
            let mined = Miner::new(strategy).threads(threads).mine(&puzzle).unwrap();
            assert_eq!(mined.proof, expected, "{strategy} on {threads} threads");
            assert_eq!(mined.hash_hex(), block.with_proof(expected).hash());
            assert!(mined.attempts > expected, "{strategy} counted {} attempts", mined.attempts);
            assert_eq!(mined.useful_attempts, expected + 1);
            if !strategy.is_parallel() {
                break;
            }
        }
    }
}

/// Deterministic strategies agree with a brute-force reference on many blocks,
/// for both encodings and both hashers, on 1 to 4 threads; the others return
/// valid proofs no lower than the lowest.
#[test]
fn every_strategy_on_many_blocks_checks_out() {
    let bits = 12;
    for (encoding, algorithm) in COMBOS {
        for block in benchmark_blocks(12, 0).unwrap() {
            let lowest = lowest_proof(&block, encoding, algorithm, bits);
            let puzzle =
                Puzzle::new(&block, encoding, algorithm, Difficulty::from_bits(bits).unwrap()).unwrap();
            for strategy in Strategy::ALL {
                for threads in 1..=4 {
                    let mined = Miner::new(strategy).threads(threads).mine(&puzzle).unwrap();
                    let label =
                        format!("{encoding}/{algorithm} ts {} {strategy} x{threads}", block.timestamp);
                    // Re-hash from scratch, not through the template.
                    let digest = independent_hash(&block, encoding, algorithm, bits, mined.proof);
                    assert_eq!(mined.hash, digest, "{label}");
                    assert!(leading_zero_bits(&digest) >= bits, "{label}");
                    assert_eq!(mined.threads, if strategy.is_parallel() { threads } else { 1 }, "{label}");
                    if strategy.is_deterministic() {
                        assert_eq!(mined.proof, lowest, "{label}");
                    } else {
                        assert!(mined.proof >= lowest, "{label}");
                    }
                }
            }
        }
    }
}

/// Blocks that carry transactions: the JSON's suffix holds them all, the
/// header commits them through its Merkle root. Every strategy's proof is
/// re-hashed from scratch and the deterministic ones equal brute force.
#[test]
fn blocks_of_transactions_check_out() {
    let bits = 8;
    for (encoding, algorithm) in COMBOS {
        for count in [1, 2, 7, 100] {
            let block = Block::sample(Block::BENCHMARK_TIMESTAMP + count as u64, count).unwrap();
            let lowest = lowest_proof(&block, encoding, algorithm, bits);
            let puzzle =
                Puzzle::new(&block, encoding, algorithm, Difficulty::from_bits(bits).unwrap()).unwrap();
            for strategy in Strategy::ALL {
                for threads in [1, 3] {
                    let mined = Miner::new(strategy).threads(threads).mine(&puzzle).unwrap();
                    let label = format!("{encoding}/{algorithm} {count} txs {strategy} x{threads}");
                    let digest = independent_hash(&block, encoding, algorithm, bits, mined.proof);
                    assert_eq!(mined.hash, digest, "{label}");
                    assert!(leading_zero_bits(&digest) >= bits, "{label}");
                    if strategy.is_deterministic() {
                        assert_eq!(mined.proof, lowest, "{label}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_range_is_searched_exactly() {
    let block = Block::benchmark();
    let (encoding, algorithm) = (Encoding::Header, HashAlgorithm::Sha256);
    let bits = 14;
    let lowest = lowest_proof(&block, encoding, algorithm, bits);
    let second = (lowest + 1..)
        .find(|&n| leading_zero_bits(&independent_hash(&block, encoding, algorithm, bits, n)) >= bits)
        .unwrap();
    let puzzle = Puzzle::new(&block, encoding, algorithm, Difficulty::from_bits(bits).unwrap()).unwrap();
    for strategy in Strategy::ALL {
        for threads in [1, 2, 3] {
            let miner = Miner::new(strategy).threads(threads);
            let label = format!("{strategy} x{threads}");
            // Everything below the lowest proof: exhausted, every nonce tried once.
            match miner.clone().range(0..lowest).mine(&puzzle) {
                Err(Error::Exhausted { range, attempts }) => {
                    assert_eq!(range, 0..lowest, "{label}");
                    assert_eq!(attempts, lowest, "{label}");
                }
                other => panic!("{label}: expected exhaustion, got {other:?}"),
            }
            // A range ending right after a proof finds it.
            let mined = miner.clone().range(lowest / 2..lowest + 1).mine(&puzzle).unwrap();
            assert_eq!(mined.proof, lowest, "{label}");
            // A range starting past it finds the next one (or any later, if not deterministic).
            let mined = miner.clone().range(lowest + 1..u64::MAX).mine(&puzzle).unwrap();
            if strategy.is_deterministic() {
                assert_eq!(mined.proof, second, "{label}");
                assert_eq!(mined.useful_attempts, second - lowest, "{label}");
            } else {
                assert!(mined.proof > lowest && puzzle.verify(mined.proof), "{label}");
            }
            // A range of one proof.
            assert_eq!(miner.clone().range(second..second + 1).mine(&puzzle).unwrap().proof, second);
            // Ranges at the very top of the nonce space do not overflow.
            let top = miner.clone().range(u64::MAX - 5000..u64::MAX).mine(&puzzle);
            match top {
                Ok(m) => assert!(puzzle.verify(m.proof) && m.proof >= u64::MAX - 5000, "{label}"),
                Err(e) => assert!(matches!(e, Error::Exhausted { attempts: 5000, .. }), "{label}: {e}"),
            }
        }
    }
}

#[test]
fn cancel_from_another_thread_stops_every_strategy() {
    // 2^120 expected attempts: only a cancel ends this.
    let puzzle = puzzle(&Block::benchmark(), Encoding::Header, HashAlgorithm::Sha256, 30);
    for strategy in Strategy::ALL {
        for threads in [1, 2, 4] {
            let control = Arc::new(Control::new());
            let miner = Miner::new(strategy).threads(threads).control(control.clone());
            let result = std::thread::scope(|scope| {
                let job = scope.spawn(|| miner.mine(&puzzle));
                // Live progress is visible from this thread while the job runs.
                while control.attempts() < 100_000 && !job.is_finished() {
                    std::thread::yield_now();
                }
                control.cancel();
                job.join().unwrap()
            });
            match result {
                Err(Error::Cancelled { attempts }) => assert!(attempts >= 100_000, "{strategy} x{threads}"),
                other => panic!("{strategy} x{threads}: expected a cancel, got {other:?}"),
            }
            // A cancelled control stays cancelled until it is reset.
            assert!(matches!(miner.mine(&puzzle), Err(Error::Cancelled { .. })));
            control.reset();
            assert_eq!(control.attempts(), 0);
            let easy = self::puzzle(&Block::benchmark(), Encoding::Header, HashAlgorithm::Sha256, 2);
            assert!(miner.mine(&easy).is_ok(), "{strategy} x{threads} usable after a cancel");
        }
    }
}

#[test]
fn progress_counts_every_attempt() {
    let puzzle = puzzle(&Block::benchmark(), Encoding::Json, HashAlgorithm::Sha256, 4);
    for strategy in Strategy::ALL {
        let control = Arc::new(Control::new());
        let mined = Miner::new(strategy).threads(2).control(control.clone()).mine(&puzzle).unwrap();
        assert_eq!(control.attempts(), mined.attempts, "{strategy}");
        assert!(mined.attempts >= mined.useful_attempts, "{strategy}");
    }
}

#[test]
fn bad_input_gives_typed_errors() {
    assert!(matches!(Difficulty::from_hex_digits(0), Err(Error::DifficultyOutOfRange { given: 0, .. })));
    assert!(matches!(Difficulty::from_hex_digits(65), Err(Error::DifficultyOutOfRange { given: 65, .. })));
    let puzzle = puzzle(&Block::benchmark(), Encoding::Header, HashAlgorithm::Blake3, 2);
    for strategy in Strategy::ALL {
        assert!(matches!(
            Miner::new(strategy).threads(0).mine(&puzzle),
            Err(Error::ThreadsOutOfRange { given: 0, .. })
        ));
        assert!(matches!(
            Miner::new(strategy).threads(100_000).mine(&puzzle),
            Err(Error::ThreadsOutOfRange { given: 100_000, .. })
        ));
        assert_eq!(
            Miner::new(strategy).range(10..10).mine(&puzzle).unwrap_err(),
            Error::EmptyRange { start: 10, end: 10 }
        );
    }
    assert!(matches!("fastest".parse::<Strategy>(), Err(Error::UnknownName { kind: "strategy", .. })));
    assert!(matches!("xml".parse::<Encoding>(), Err(Error::UnknownName { kind: "encoding", .. })));
    assert!(matches!("md5".parse::<HashAlgorithm>(), Err(Error::UnknownName { kind: "hasher", .. })));
    let mut block = Block::benchmark();
    block.previous_block_hash = "not hex".into();
    assert!(matches!(
        Encoding::Header.template(&block, HashAlgorithm::Sha256, Difficulty::from_bits(8).unwrap()),
        Err(Error::InvalidBlock(_))
    ));
}

#[test]
fn templates_equal_the_reference_encodings() {
    let mut block = Block::benchmark();
    block.transactions = vec![
        parmine::Transaction {
            id: "a\"quoted\"\\id".into(), timestamp: 7, payload: "ünïcödé\n\t".into()
        },
        parmine::Transaction { id: "2".into(), timestamp: u64::MAX, payload: String::new() },
    ];
    for (encoding, algorithm) in COMBOS {
        let difficulty = Difficulty::from_bits(21).unwrap();
        let template = encoding.template(&block, algorithm, difficulty).unwrap();
        for nonce in [0, 9, 10, 12345, u64::MAX] {
            assert_eq!(
                template.message(nonce),
                encoding.encode(&block, algorithm, difficulty, nonce).unwrap()
            );
        }
        if encoding == Encoding::Header {
            let root = common::transactions_root(&block, algorithm);
            assert_eq!(template.message(77), common::header_bytes(&block, root, 21, 77));
        }
    }
    assert_eq!(
        Encoding::Json
            .template(&block, HashAlgorithm::Sha256, Difficulty::from_bits(8).unwrap())
            .unwrap()
            .message(42),
        serde_json::to_vec(&block.with_proof(42)).unwrap()
    );
}
