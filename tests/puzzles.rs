//! Real-world puzzles, checked against published answers and the systems'
//! own code: Bitcoin mainnet headers (their real nonces and hashes), Anubis's
//! own test vector and rule, mCaptcha's `mcaptcha_pow_sha256` crate. ALTCHA's
//! payloads are checked by altcha-lib itself in tests/e2e/puzzles.test.mjs.

#![cfg(not(target_arch = "wasm32"))]

use parmine::hash::{Hasher, Sha256d, to_hex};
use parmine::jobs::SolveJob;
use parmine::puzzles::{AltchaChallenge, AnubisChallenge, BitcoinChallenge, Challenge, McaptchaChallenge};
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
