//! Real-world puzzles, checked against published answers and the systems'
//! own code: Bitcoin mainnet headers (their real nonces and hashes), Anubis's
//! own test vector and rule, mCaptcha's `mcaptcha_pow_sha256` crate, go-away's
//! own test vector and its server's rule, Cerberus's server rule (restated
//! with the `blake3` crate), Cap's rule (restated with `sha2`). ALTCHA's
//! payloads and Cap's solutions are checked by altcha-lib and
//! `@cap.js/server` themselves in tests/e2e/puzzles.test.mjs.

#![cfg(not(target_arch = "wasm32"))]

use parmine::hash::{Blake3, Hasher, Sha256, Sha256d, to_hex};
use parmine::jobs::SolveJob;
use parmine::jobs::solve::Shape;
use parmine::puzzles::{
    AltchaChallenge, AnubisChallenge, BitcoinChallenge, CapChallenge, CapParams, CerberusChallenge,
    Challenge, GoAwayChallenge, McaptchaChallenge,
};
use parmine::{Error, Strategy};
use sha2::Digest as _;

/// (height, header hex with its real nonce, nonce, block hash as explorers show it).
const HEADERS: [(u32, &str, u32, &str); 8] = [
    (
        0,
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
        2083236893,
        "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
    ),
    (
        1,
        "010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299",
        2573394689,
        "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048",
    ),
    (
        170,
        "0100000055bd840a78798ad0da853f68974f3d183e2bd1db6a842c1feecf222a00000000ff104ccb05421ab93e63f8c3ce5c2c2e9dbb37de2764b3a3175c8166562cac7d51b96a49ffff001d283e9e70",
        1889418792,
        "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee",
    ),
    (
        100000,
        "0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710",
        274148111,
        "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506",
    ),
    (
        100001,
        "0100000006e533fd1ada86391f3f6c343204b0d278d4aaec1c0b20aa27ba0300000000006abbb3eb3d733a9fe18967fd7d4c117e4ccbbac5bec4d910d900b3ae0793e77f54241b4d4c86041b4089cc9b",
        2613872960,
        "00000000000080b66c911bd5ba14a74260057311eaeb1982802f7010f1a9f090",
    ),
    (
        125552,
        "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695",
        2504433986,
        "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d",
    ),
    (
        840000,
        "00e05f2aab948491071265ad552351d0ad625745668da54b0172010000000000000000004f89a5d73bd4d4887f25981fe81892ccafda10c27f52d6f3dd28183a7c411b03b7072366194203177d9863ea",
        3932395645,
        "0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5",
    ),
    (
        840001,
        "04002020a583da1c3ff29b687248ff737822f8ce4827033a282003000000000000000000bcc07f8618b7b063f833100724e2b40d6ee9dfa78087bfbe5d3441058a63de380e082366194203176d9026cc",
        3425079405,
        "00000000000000000001b48a75d5a3077913f3f441eb7e08c13c43f768db2463",
    ),
];

fn solve(
    challenge: Challenge,
    strategy: Strategy,
    threads: usize,
    range: Option<(u64, u64)>,
) -> parmine::Result<parmine::jobs::SolveReport> {
    let mut job = SolveJob::new(challenge);
    job.strategy = strategy;
    job.threads = Some(threads);
    if let Some((start, end)) = range {
        job.start = Some(start);
        job.end = Some(end);
    }
    job.run(None)
}

#[test]
fn bitcoin_headers_are_found_at_their_real_nonces_by_every_strategy_and_kernel() {
    for (height, header, nonce, hash) in HEADERS {
        let challenge = Challenge::Bitcoin(BitcoinChallenge { header: header.into() });
        // Every header's real nonce is below the window's end and (at these
        // targets) the only valid one in a few thousand: the deterministic
        // strategies must stop exactly there, the others may only find it.
        let window = (u64::from(nonce) - 3000, u64::from(nonce) + 1);
        for strategy in Strategy::ALL {
            let report = solve(challenge.clone(), strategy, 2, Some(window)).unwrap();
            assert_eq!(report.nonce, u64::from(nonce), "block {height} {strategy}");
            assert_eq!(report.answer.hash, hash, "block {height} {strategy}");
            assert_eq!(report.answer.header.as_deref(), Some(header), "block {height}");
        }
        for &kernel in Sha256d::kernels() {
            let mut job = SolveJob::new(challenge.clone());
            job.kernel = Some(kernel);
            job.threads = Some(1);
            job.strategy = Strategy::Sequential;
            (job.start, job.end) = (Some(window.0), Some(window.1));
            assert_eq!(job.run(None).unwrap().nonce, u64::from(nonce), "block {height} {kernel}");
        }
        // One nonce short of the real one, nothing is found: exit 1's error.
        let err = solve(challenge, Strategy::Chunked, 2, Some((window.0, window.1 - 1))).unwrap_err();
        assert!(matches!(err, Error::Exhausted { .. }), "block {height}: {err}");
    }
}

#[test]
fn bitcoin_hashes_are_double_sha256_shown_reversed() {
    let (_, header, _, hash) = HEADERS[0];
    let bytes: Vec<u8> =
        (0..160).step_by(2).map(|i| u8::from_str_radix(&header[i..i + 2], 16).unwrap()).collect();
    let mut digest: [u8; 32] = sha2::Sha256::digest(sha2::Sha256::digest(&bytes)).into();
    digest.reverse();
    assert_eq!(to_hex(&digest), hash);
}

/// Anubis's server check (lib/challenge/proofofwork/proofofwork.go,
/// `Validate`), restated: the response is sha256(challenge + nonce) in hex
/// and starts with `difficulty` zeros.
fn anubis_accepts(challenge: &str, nonce: u64, response: &str, difficulty: usize) -> bool {
    let calculated = to_hex(&sha2::Sha256::digest(format!("{challenge}{nonce}")));
    calculated == response && response.starts_with(&"0".repeat(difficulty))
}

#[test]
fn anubis_answers_are_the_lowest_nonces_its_server_accepts() {
    let challenge: String = (0u8..64).map(|b| format!("{b:02x}")).collect();
    // The lowest valid nonces, found independently (python hashlib).
    for (difficulty, nonce) in [(1, 30), (2, 136), (3, 967), (4, 161906), (5, 379685)] {
        let c = Challenge::Anubis(AnubisChallenge { challenge: challenge.clone(), difficulty });
        for strategy in [Strategy::Sequential, Strategy::FindFirst, Strategy::Chunked] {
            let report = solve(c.clone(), strategy, 2, None).unwrap();
            assert_eq!(report.nonce, nonce, "difficulty {difficulty} {strategy}");
            assert!(anubis_accepts(&challenge, report.nonce, &report.answer.hash, difficulty as usize));
        }
        for strategy in [Strategy::FindAny, Strategy::Striped] {
            let report = solve(c.clone(), strategy, 2, None).unwrap();
            assert!(anubis_accepts(&challenge, report.nonce, &report.answer.hash, difficulty as usize));
        }
    }
}

#[test]
fn mcaptcha_answers_pass_mcaptchas_own_verifier() {
    use mcaptcha_pow_sha256::{ConfigBuilder, PoW, PoWBuilder};
    for (salt, phrase, factor) in [
        (
            "79ziepia7vhjgviiwjhnend3ofjqocsi2winc4ptqhmkvcajihywxcizewvckg9h6gs4j83v9",
            "Ex nihilo nihil fit.",
            50_000,
        ),
        ("13b9bb30d3eef8ed0fd295b9e0df87", "05f9d799906c8f24a857035828a5b9", 50_000),
        ("salt", "abc", 1000),
        ("a much longer salt that spans more than one sha-256 block of input bytes", "phrase", 200_000),
    ] {
        let config = ConfigBuilder::default().salt(salt.into()).build().unwrap();
        let theirs: PoW<String> = config.prove_work(&phrase.to_string(), factor).unwrap();
        let c = Challenge::Mcaptcha(McaptchaChallenge {
            salt: salt.into(),
            phrase: phrase.into(),
            difficulty_factor: factor,
        });
        for strategy in Strategy::ALL {
            let report = solve(c.clone(), strategy, 2, None).unwrap();
            let ours: PoW<String> = PoWBuilder::default()
                .nonce(report.nonce)
                .result(report.answer.result.clone().unwrap())
                .build()
                .unwrap();
            assert!(config.is_valid_proof(&ours, &phrase.to_string()), "{salt} {strategy}");
            assert!(config.is_sufficient_difficulty(&ours, factor), "{salt} {strategy}");
            if strategy.is_deterministic() {
                assert_eq!(report.nonce, theirs.nonce, "{salt} {strategy}: mCaptcha's solver found another");
                assert_eq!(report.answer.result.as_deref(), Some(theirs.result.as_str()));
            }
        }
    }
}

#[test]
fn altcha_numbers_are_found_and_their_payload_carries_the_challenge() {
    let salt = "abcdef0123456789abcdef01?expires=4102444800&";
    for number in [0u64, 7, 4242, 99_999] {
        let challenge = to_hex(&sha2::Sha256::digest(format!("{salt}{number}")));
        let json = format!(
            r#"{{"algorithm":"SHA-256","challenge":"{challenge}","maxnumber":100000,"salt":"{salt}","signature":"sig"}}"#
        );
        let c = Challenge::Altcha(AltchaChallenge::from_json(&json).unwrap());
        for strategy in Strategy::ALL {
            let report = solve(c.clone(), strategy, 2, None).unwrap();
            assert_eq!(report.nonce, number, "{strategy}");
            assert_eq!(report.answer.hash, challenge);
            use base64::Engine as _;
            let payload =
                base64::engine::general_purpose::STANDARD.decode(report.answer.payload.unwrap()).unwrap();
            let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
            assert_eq!(payload["number"], number);
            assert_eq!(payload["salt"], salt);
            assert_eq!(payload["challenge"], challenge.as_str());
            assert_eq!(payload["signature"], "sig");
            assert!(payload["took"].is_u64());
        }
    }
    // A number past maxnumber is not searched.
    let challenge = to_hex(&sha2::Sha256::digest(format!("{salt}100001")));
    let json = format!(
        r#"{{"algorithm":"SHA-256","challenge":"{challenge}","maxnumber":100000,"salt":"{salt}","signature":"s"}}"#
    );
    let c = Challenge::Altcha(AltchaChallenge::from_json(&json).unwrap());
    assert!(matches!(solve(c, Strategy::Chunked, 2, None), Err(Error::Exhausted { .. })));
}

#[test]
fn ranges_outside_a_kinds_nonces_are_refused() {
    let (_, header, _, _) = HEADERS[0];
    let c = Challenge::Bitcoin(BitcoinChallenge { header: header.into() });
    let err = solve(c, Strategy::Chunked, 1, Some((0, 1 << 33))).unwrap_err();
    assert_eq!(err.to_string(), "nonce range 0..8589934592 is outside bitcoin's nonces 0..4294967296");
}

/// go-away's server check (`VerifyChallenge` in
/// embed/challenge/js-pow-sha256/runtime/runtime.go), restated: the token is
/// hex of challenge ‖ 8 bytes, the first 32 are the challenge, and its
/// SHA-256 has at least `difficulty` leading zero bits.
fn go_away_accepts(challenge: &str, token: &str, difficulty: u32) -> bool {
    let bytes: Vec<u8> =
        (0..token.len()).step_by(2).map(|i| u8::from_str_radix(&token[i..i + 2], 16).unwrap()).collect();
    if bytes.len() != 40 || to_hex(&bytes[..32]) != challenge {
        return false;
    }
    let hash = sha2::Sha256::digest(&bytes);
    let mut zeros = 0;
    for &byte in hash.iter() {
        zeros += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    zeros >= difficulty
}

#[test]
fn go_away_finds_its_own_test_vector_and_its_server_accepts_every_answer() {
    // embed/challenge/js-pow-sha256/test/make-challenge-out.json and
    // verify-challenge.json: go-away's page counts the 8 bytes up as a
    // little-endian number and stopped at 0x11cd68, the lowest (python hashlib).
    let json = r#"{"challenge": "37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f2893", "target": "00000fffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "difficulty": 20}"#;
    let c = GoAwayChallenge::from_json(json).unwrap();
    let token = "37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f289368cd110000000000";
    for strategy in [Strategy::Chunked, Strategy::FindFirst] {
        let report = solve(Challenge::GoAway(c.clone()), strategy, 2, None).unwrap();
        assert_eq!(report.nonce, 0x11cd68, "{strategy}");
        assert_eq!(report.answer.token.as_deref(), Some(token));
        assert_eq!(report.answer.hash, "000005b687a4e6ca8f8d0658f9d4b3dbd489019a521f58e63c8338c8c4f2967d");
    }
    assert!(go_away_accepts(&c.challenge, token, 20));
    // verify-challenge-fail.json: the next nonce.
    assert!(!go_away_accepts(&c.challenge, &format!("{}1", &token[..79]), 20));
    // Other difficulties, every strategy and kernel: the server accepts.
    for difficulty in [1, 8, 13] {
        let c = Challenge::GoAway(GoAwayChallenge { target: None, difficulty, ..c.clone() });
        let lowest = solve(c.clone(), Strategy::Sequential, 1, None).unwrap();
        for strategy in Strategy::ALL {
            let report = solve(c.clone(), strategy, 2, None).unwrap();
            let token = report.answer.token.unwrap();
            assert!(go_away_accepts(
                "37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f2893",
                &token,
                difficulty
            ));
            if strategy.is_deterministic() {
                assert_eq!(report.nonce, lowest.nonce, "{difficulty} {strategy}");
            }
        }
        for &kernel in Sha256::kernels() {
            let mut job = SolveJob::new(c.clone());
            (job.kernel, job.threads) = (Some(kernel), Some(2));
            assert_eq!(job.run(None).unwrap().nonce, lowest.nonce, "{difficulty} {kernel}");
        }
    }
}

/// Cerberus's server check (`answerHandle` in directives/endpoint.go with
/// `blake3sum`, `blake3Prf` and `checkAnswer` from directives/common.go),
/// restated with the `blake3` crate.
fn cerberus_accepts(c: &CerberusChallenge, solution: u64, response: &str) -> bool {
    let salt =
        blake3::hash(format!("{}|{}|{}|{}|", c.challenge, c.nonce, c.ts, c.signature).as_bytes()).to_hex();
    let mut hasher = blake3::Hasher::new();
    hasher.update(salt.as_bytes());
    hasher.update(&solution.rotate_left(32).to_le_bytes());
    let answer = hasher.finalize().to_hex();
    let difficulty = c.difficulty as usize;
    let digits_ok = response.starts_with(&"0".repeat(difficulty / 2))
        && (difficulty.is_multiple_of(2) || response.as_bytes()[difficulty / 2] < b'8');
    digits_ok && answer.as_str() == response
}

#[test]
fn cerberus_answers_are_the_lowest_solutions_its_server_accepts() {
    let json = r#"{"challenge":"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0","difficulty":4,"nonce":3735928559,"ts":1760000000,"signature":"5ee1c0de","version":"v0.4.8"}"#;
    let base = CerberusChallenge::from_json(json).unwrap();
    for difficulty in [1, 4, 5, 8] {
        let c = CerberusChallenge { difficulty, ..base.clone() };
        // The lowest solution Cerberus's first worker finds (high half 0),
        // searched here with the blake3 crate alone.
        let lowest = (0u64..).find(|&s| {
            let salt =
                blake3::hash(format!("{}|{}|{}|{}|", c.challenge, c.nonce, c.ts, c.signature).as_bytes());
            let mut hasher = blake3::Hasher::new();
            hasher.update(salt.to_hex().as_bytes());
            hasher.update(&s.rotate_left(32).to_le_bytes());
            let hex = hasher.finalize().to_hex();
            hex.starts_with(&"0".repeat(difficulty as usize / 2))
                && (difficulty.is_multiple_of(2) || hex.as_bytes()[difficulty as usize / 2] < b'8')
        });
        for strategy in Strategy::ALL {
            let report = solve(Challenge::Cerberus(c.clone()), strategy, 2, None).unwrap();
            assert!(cerberus_accepts(&c, report.nonce, &report.answer.hash), "{difficulty} {strategy}");
            if strategy.is_deterministic() {
                assert_eq!(Some(report.nonce), lowest, "{difficulty} {strategy}");
            }
            let form = report.answer.form.unwrap();
            assert_eq!(
                form,
                format!(
                    "response={}&solution={}&nonce=3735928559&ts=1760000000&signature=5ee1c0de",
                    report.answer.hash, report.nonce
                )
            );
        }
        for &kernel in Blake3::kernels() {
            let mut job = SolveJob::new(Challenge::Cerberus(c.clone()));
            (job.kernel, job.threads) = (Some(kernel), Some(2));
            assert_eq!(Some(job.run(None).unwrap().nonce), lowest, "{difficulty} {kernel}");
        }
    }
}

/// Cap's check (`redeemChallenge` in @cap.js/server), restated with `sha2`
/// for the salts and targets parmine derives (its prng is checked against
/// Cap's own in src/puzzles/cap.rs, and whole answers by `@cap.js/server`
/// in tests/e2e/puzzles.test.mjs).
fn cap_accepts(c: &CapChallenge, solutions: &[u64]) -> bool {
    solutions.len() == c.challenge.c as usize
        && solutions.iter().zip(1..).all(|(n, i)| {
            let (salt, target) = c.sub_challenge(i);
            to_hex(&sha2::Sha256::digest(format!("{salt}{n}"))).starts_with(&target)
        })
}

#[test]
fn cap_solutions_are_the_lowest_in_both_shapes_and_every_strategy() {
    let c = CapChallenge {
        challenge: CapParams { c: 12, s: 32, d: 3 },
        token: "4f6b1d0e9a8c7b6a5f4e3d2c1b0a99887766554433221100ab".into(),
        expires: Some(1_900_000_000_000),
    };
    let mut lowest = None;
    for shape in Shape::ALL {
        for strategy in Strategy::ALL {
            let mut job = SolveJob::new(Challenge::Cap(c.clone()));
            (job.strategy, job.threads, job.shape) = (strategy, Some(3), Some(shape));
            let report = job.run(None).unwrap();
            let solutions = report.answer.solutions.clone().unwrap();
            assert!(cap_accepts(&c, &solutions), "{shape} {strategy}");
            assert_eq!(report.answer.token.as_deref(), Some(c.token.as_str()));
            assert_eq!(report.puzzles, 12);
            assert_eq!(report.nonce, solutions[0]);
            if strategy.is_deterministic() {
                assert!(
                    report.attempts >= solutions.iter().map(|n| n + 1).sum::<u64>(),
                    "{shape} {strategy}"
                );
                assert_eq!(*lowest.get_or_insert(solutions.clone()), solutions, "{shape} {strategy}");
            }
            // Across needs parallel CPU threads; the rest go within.
            let spread = strategy.is_parallel() && strategy != Strategy::Gpu;
            assert_eq!(report.shape, if spread { shape } else { Shape::Within }, "{shape} {strategy}");
        }
    }
    // The lowest, by a plain loop over sha2.
    let expected: Vec<u64> = (1..=12)
        .map(|i| {
            let (salt, target) = c.sub_challenge(i);
            (0u64..)
                .find(|n| to_hex(&sha2::Sha256::digest(format!("{salt}{n}"))).starts_with(&target))
                .unwrap()
        })
        .collect();
    assert_eq!(lowest, Some(expected));
    // A tampered solution is refused by the restated rule.
    let mut wrong = lowest.unwrap();
    wrong[5] += 1;
    assert!(!cap_accepts(&c, &wrong) || sha2_prefix_collides(&c, 6, wrong[5]));
}

/// Whether `n` happens to solve sub-puzzle `i` too (then tampering proves nothing).
fn sha2_prefix_collides(c: &CapChallenge, i: u32, n: u64) -> bool {
    let (salt, target) = c.sub_challenge(i);
    to_hex(&sha2::Sha256::digest(format!("{salt}{n}"))).starts_with(&target)
}

#[test]
fn a_cancel_stops_a_cap_solve_in_both_shapes() {
    use std::sync::Arc;
    // 16^12 expected attempts a sub-puzzle: only a cancel ends this.
    let c = CapChallenge { challenge: CapParams { c: 50, s: 32, d: 12 }, token: "abc".into(), expires: None };
    for shape in Shape::ALL {
        let control = Arc::new(parmine::Control::new());
        let mut job = SolveJob::new(Challenge::Cap(c.clone()));
        (job.threads, job.shape) = (Some(2), Some(shape));
        let result = std::thread::scope(|scope| {
            let running = scope.spawn(|| job.run(Some(Arc::clone(&control))));
            while control.attempts() < 100_000 && !running.is_finished() {
                std::thread::yield_now();
            }
            control.cancel();
            running.join().unwrap()
        });
        match result {
            Err(Error::Cancelled { .. }) => assert!(control.attempts() >= 100_000, "{shape}"),
            other => panic!("{shape}: expected a cancel, got {other:?}"),
        }
    }
}

#[test]
fn bad_new_kind_challenges_are_one_line_usage_errors() {
    let cases = [
        Challenge::GoAway(GoAwayChallenge { challenge: "zz".repeat(32), target: None, difficulty: 4 }),
        Challenge::Cerberus(CerberusChallenge {
            challenge: "c".into(),
            difficulty: 0,
            nonce: 1,
            ts: 1,
            signature: "s".into(),
            version: None,
        }),
        Challenge::Cap(CapChallenge {
            challenge: CapParams { c: 50, s: 32, d: 99 },
            token: "t".into(),
            expires: None,
        }),
    ];
    for c in cases {
        let err = SolveJob::new(c).run(None).unwrap_err();
        assert!(err.is_usage(), "{err}");
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}
