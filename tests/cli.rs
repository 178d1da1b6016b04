//! The command line's contract: flags, JSON shapes, exit codes.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::{Command, Output};

use common::{independent_hash, leading_zero_bits};
use parmine::{Block, Encoding, HashAlgorithm};
use serde_json::Value;

fn parmine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parmine")).args(args).output().expect("parmine runs")
}

fn stdout_json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn mine_json_reports_a_verifiable_proof() {
    for (encoding, hasher) in [("json", "sha256"), ("header", "blake3")] {
        let out = parmine(&[
            "mine",
            "--encoding",
            encoding,
            "--hasher",
            hasher,
            "--difficulty",
            "4",
            "--threads",
            "2",
            "--json",
        ]);
        let v = stdout_json(&out);
        let proof = v["proof"].as_u64().expect("proof is a number");
        let hash = v["hash"].as_str().expect("hash is a string");
        assert!(v["attempts"].as_u64().unwrap() > 0);
        assert!(v["elapsed_ms"].as_f64().unwrap() >= 0.0);
        let (enc, alg) = (encoding.parse::<Encoding>().unwrap(), hasher.parse::<HashAlgorithm>().unwrap());
        let digest = independent_hash(&Block::benchmark(), enc, alg, 16, proof);
        assert_eq!(hash, common::hex(&digest));
        assert!(leading_zero_bits(&digest) >= 16);
    }
}

#[test]
fn mine_honours_timestamp_and_strategy() {
    let out =
        parmine(&["mine", "--strategy", "find-first", "--timestamp", "42", "--difficulty", "3", "--json"]);
    let v = stdout_json(&out);
    assert_eq!(v["strategy"], "find-first");
    assert_eq!(v["timestamp"], 42);
    let block = Block::new(42, vec![], &Block::genesis());
    let lowest = common::lowest_proof(&block, Encoding::Json, HashAlgorithm::Sha256, 12);
    assert_eq!(v["proof"].as_u64(), Some(lowest));
}

#[test]
fn mine_a_block_of_sample_transactions() {
    for (encoding, hasher) in [("header", "sha256"), ("header", "blake3"), ("json", "sha256")] {
        let v = stdout_json(&parmine(&[
            "mine",
            "--encoding",
            encoding,
            "--hasher",
            hasher,
            "--transactions",
            "1000",
            "--difficulty",
            "3",
            "--strategy",
            "sequential",
            "--json",
        ]));
        let (enc, alg) = (encoding.parse::<Encoding>().unwrap(), hasher.parse::<HashAlgorithm>().unwrap());
        let block = Block::sample(Block::BENCHMARK_TIMESTAMP, 1000).unwrap();
        assert_eq!(v["transactions"], 1000);
        let expected_root = match enc {
            Encoding::Header => Value::from(common::hex(&common::transactions_root(&block, alg))),
            Encoding::Json => Value::Null,
        };
        assert_eq!(v["merkle_root"], expected_root, "{encoding}/{hasher}");
        let proof = v["proof"].as_u64().unwrap();
        assert_eq!(proof, common::lowest_proof(&block, enc, alg, 12), "{encoding}/{hasher}");
        assert_eq!(v["hash"].as_str().unwrap(), common::hex(&independent_hash(&block, enc, alg, 12, proof)));
    }
}

#[test]
fn mine_a_block_from_a_file() {
    let block = Block {
        index: 17,
        timestamp: 99,
        proof: 123,
        transactions: vec![parmine::Transaction::sample(1), parmine::Transaction::sample(2)],
        previous_block_hash: "00ab".into(),
    };
    let path = std::env::temp_dir().join(format!("parmine-block-{}.json", std::process::id()));
    std::fs::write(&path, block.to_json()).unwrap();
    let path_arg = path.to_str().unwrap();
    for encoding in [Encoding::Json, Encoding::Header] {
        let v = stdout_json(&parmine(&[
            "mine",
            "--block",
            path_arg,
            "--encoding",
            encoding.name(),
            "--difficulty",
            "3",
            "--json",
        ]));
        assert_eq!((v["index"].as_u64(), v["transactions"].as_u64()), (Some(17), Some(2)));
        let proof = v["proof"].as_u64().unwrap();
        assert_eq!(proof, common::lowest_proof(&block, encoding, HashAlgorithm::Sha256, 12), "{encoding}");
        let digest = independent_hash(&block, encoding, HashAlgorithm::Sha256, 12, proof);
        assert_eq!(v["hash"].as_str().unwrap(), common::hex(&digest));
    }
    // The blog's own check: its block hash of the mined block.
    let v = stdout_json(&parmine(&["mine", "--block", path_arg, "--difficulty", "2", "--json"]));
    assert_eq!(v["hash"].as_str().unwrap(), block.with_proof(v["proof"].as_u64().unwrap()).hash());

    let conflict = parmine(&["mine", "--block", path_arg, "--timestamp", "5"]);
    assert_eq!(conflict.status.code(), Some(2));
    std::fs::write(&path, r#"{"index": 1}"#).unwrap();
    let bad = parmine(&["mine", "--block", path_arg]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a block in the blog's JSON"));
    std::fs::remove_file(&path).unwrap();
    let missing = parmine(&["mine", "--block", path_arg]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["mine", "--difficulty", "0"], "difficulty 0 is out of range"),
        (&["mine", "--difficulty", "65"], "difficulty 65 is out of range"),
        (&["mine", "--threads", "0", "--difficulty", "1"], "thread count 0 is out of range"),
        (&["mine", "--threads", "99999", "--difficulty", "1"], "thread count 99999 is out of range"),
        (&["mine", "--strategy", "fastest"], "unknown strategy 'fastest'"),
        (&["mine", "--encoding", "xml"], "unknown encoding 'xml'"),
        (&["mine", "--hasher", "md5"], "unknown hasher 'md5'"),
        (&["mine", "--start", "5", "--end", "5"], "nonce range 5..5 is empty"),
        (&["bench", "mine", "--strategies", "sequential,bogus"], "unknown strategy 'bogus'"),
        (&["bench", "mine", "--threads", "0"], "thread count 0 is out of range"),
        (&["bench", "mine", "--runs", "0"], "runs and blocks must be at least 1"),
        (&["mine", "--transactions", "1000001"], "1000001 transactions is too many"),
        (&["bench", "mine", "--transactions", "1000001"], "1000001 transactions is too many"),
        // Numbers that used to abort, overflow or run forever (issue 14).
        (&["merkle", "--leaves", "4000000000"], "a tree of 4000000000 leaves would need 596.0 GB"),
        (&["bench", "merkle", "--leaves", "4000000000"], "a tree of 4000000000 leaves would need"),
        (&["bench", "mine", "--runs", "100000", "--blocks", "100000"], "runs"),
        (&["bench", "mine", "--runs", "18446744073709551615", "--blocks", "2"], "runs"),
        (&["bench", "mine", "--runs", "4611686018427387904", "--blocks", "4"], "runs"),
    ];
    for (args, message) in cases {
        let out = parmine(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_exhausted_range_exits_1() {
    let out = parmine(&["mine", "--difficulty", "8", "--start", "0", "--end", "100"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no proof in nonce range 0..100"));
}

#[test]
fn bench_mine_json_covers_every_strategy_and_thread_count() {
    let out = parmine(&[
        "bench",
        "mine",
        "--encoding",
        "header",
        "--difficulty",
        "3",
        "--runs",
        "1",
        "--blocks",
        "2",
        "--threads",
        "1,2",
        "--json",
    ]);
    let rows = stdout_json(&out);
    let rows = rows.as_array().expect("an array");
    let mut seen = Vec::new();
    for row in rows {
        for key in
            ["strategy", "encoding", "hasher", "threads", "difficulty", "median_ms", "attempts_per_sec"]
        {
            assert!(!row[key].is_null(), "{key} missing in {row}");
        }
        assert_eq!(row["encoding"], "header");
        assert_eq!(row["difficulty"], 3);
        seen.push((row["strategy"].as_str().unwrap().to_string(), row["threads"].as_u64().unwrap()));
    }
    let mut expected = vec![("sequential".to_string(), 1), ("iterator".to_string(), 1)];
    for s in ["find-first", "find-any", "striped", "chunked"] {
        expected.push((s.to_string(), 1));
        expected.push((s.to_string(), 2));
    }
    assert_eq!(seen, expected);
}

#[test]
fn bench_mine_calibrate_sizes_the_sweep() {
    let out = parmine(&[
        "bench",
        "mine",
        "--encoding",
        "header",
        "--strategies",
        "sequential,chunked",
        "--threads",
        "1",
        "--calibrate",
        "--seconds",
        "1",
        "--json",
    ]);
    let rows = stdout_json(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let chosen = stderr.lines().find(|l| l.starts_with("calibrated: ")).expect("a calibration line");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 2);
    // The rows use what the calibration chose, and it said so.
    let difficulty = rows[0]["difficulty"].as_u64().unwrap();
    let blocks = rows[0]["blocks"].as_u64().unwrap();
    assert!(chosen.contains(&format!("difficulty {difficulty}, {blocks} blocks")), "{chosen}");
    assert!(blocks >= 2, "{chosen}");
    // Every point timed in three rounds, one row each: its fastest.
    assert!(chosen.contains("x 3 rounds"), "{chosen}");
    assert!(rows.iter().all(|r| r["rounds"] == 3), "{rows:?}");
    // And how far its slowest round fell below that fastest one.
    assert!(rows.iter().all(|r| (0.0..1.0).contains(&r["round_spread"].as_f64().unwrap())), "{rows:?}");
}

#[test]
fn mine_and_bench_on_the_gpu() {
    // The blog's block at four zeros: the GPU's lowest proof is sequential's.
    let cpu = stdout_json(&parmine(&["mine", "--difficulty", "4", "--strategy", "sequential", "--json"]));
    let gpu = stdout_json(&parmine(&["mine", "--difficulty", "4", "--device", "gpu", "--json"]));
    assert_eq!(gpu["strategy"], "gpu");
    assert_eq!(gpu["proof"], cpu["proof"]);
    assert_eq!(gpu["hash"], cpu["hash"]);
    let text = parmine(&["mine", "--difficulty", "3", "--device", "gpu"]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("strategy   gpu on "));

    let rows = stdout_json(&parmine(&[
        "bench",
        "mine",
        "--encoding",
        "header",
        "--difficulty",
        "3",
        "--runs",
        "1",
        "--blocks",
        "2",
        "--threads",
        "1",
        "--device",
        "gpu",
        "--json",
    ]));
    let strategies: Vec<&str> =
        rows.as_array().unwrap().iter().map(|r| r["strategy"].as_str().unwrap()).collect();
    assert_eq!(strategies, ["sequential", "gpu"], "the GPU alone comes with its baseline");
    assert!(rows[1]["speedup"].as_f64().unwrap() > 0.0);
    let rows = stdout_json(&parmine(&[
        "bench",
        "mine",
        "--encoding",
        "header",
        "--difficulty",
        "2",
        "--runs",
        "1",
        "--blocks",
        "1",
        "--threads",
        "1",
        "--strategies",
        "chunked",
        "--device",
        "cpu,gpu",
        "--json",
    ]));
    let strategies: Vec<&str> =
        rows.as_array().unwrap().iter().map(|r| r["strategy"].as_str().unwrap()).collect();
    assert_eq!(strategies, ["chunked", "gpu"]);
}

#[test]
fn no_gpu_adapter_is_one_line_and_exit_2() {
    // A Vulkan loader pointed at no driver: no adapter at all.
    let out = Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(["mine", "--difficulty", "2", "--device", "gpu"])
        .env("VK_ICD_FILENAMES", "/nonexistent/icd.json")
        .env("VK_DRIVER_FILES", "/nonexistent/icd.json")
        // Mesa's drivers complain on stderr without it; this test reads stderr.
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("no GPU adapter"), "{stderr}");
}

#[test]
fn bench_mine_prints_the_table() {
    let out =
        parmine(&["bench", "mine", "--difficulty", "2", "--runs", "1", "--blocks", "1", "--threads", "2"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for s in
        ["sequential", "iterator", "find-first", "find-any", "striped", "chunked", "median ms", "speedup"]
    {
        assert!(text.contains(s), "{s} missing in\n{text}");
    }
}

#[test]
fn merkle_json_root_equals_the_library() {
    let out = parmine(&[
        "merkle", "--leaves", "1000", "--arity", "4", "--hasher", "sha256", "--proof", "777", "--json",
    ]);
    let v = stdout_json(&out);
    let leaves = parmine::bench::merkle_leaves(HashAlgorithm::Sha256, 1000);
    let pool = parmine::pool::Pool::new(2).unwrap();
    let build =
        parmine::bench::build_tree(&pool, HashAlgorithm::Sha256, 4, &leaves, Default::default()).unwrap();
    assert_eq!(v["root"], common::hex(&build.root));
    assert_eq!((v["size"].as_u64(), v["depth"].as_u64()), (Some(1000), Some(5)));
    assert!(v["elapsed_ms"].as_f64().is_some());
    assert_eq!(v["verified"], true);
    let proof: parmine::merkle::Proof = serde_json::from_value(v["proof"].clone()).unwrap();
    assert!(parmine::merkle::verify::<parmine::hash::Sha256>(&proof, &build.root));
}

#[test]
fn merkle_bad_input_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["merkle", "--leaves", "0"], "cannot insert an empty batch"),
        (&["merkle", "--leaves", "10", "--arity", "1"], "arity 1 is out of range"),
        (&["merkle", "--leaves", "10", "--arity", "17"], "arity 17 is out of range"),
        (
            &["merkle", "--leaves", "10", "--proof", "10"],
            "leaf index 10 is out of range for a tree of 10 leaves",
        ),
        (&["merkle", "--leaves", "10", "--threads", "0"], "thread count 0 is out of range"),
        (&["bench", "merkle", "--arity", "40"], "arity 40 is out of range"),
    ];
    for (args, message) in cases {
        let out = parmine(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn bench_merkle_compares_with_rotortree() {
    let out = parmine(&[
        "bench", "merkle", "--leaves", "5000", "--arity", "2,16", "--hasher", "blake3", "--runs", "1",
        "--json",
    ]);
    let rows = stdout_json(&out);
    let rows = rows.as_array().unwrap();
    for arity in [2, 16] {
        for (imp, mode) in [
            ("parmine", "sequential"),
            ("parmine", "parallel"),
            ("rotortree", "sequential"),
            ("rotortree", "parallel"),
        ] {
            let row = rows
                .iter()
                .find(|r| r["implementation"] == imp && r["mode"] == mode && r["arity"] == arity)
                .unwrap_or_else(|| panic!("{imp} {mode} N={arity} missing"));
            assert!(row["leaves_per_sec"].as_f64().unwrap() > 0.0);
            if imp == "parmine" {
                assert!(row["ratio_vs_rotortree"].as_f64().unwrap() > 0.0);
            }
        }
    }
}

const RATE_FIELDS: [&str; 9] = [
    "sha256_compress",
    "sha256_whole_message",
    "sha256_midstate",
    "sha256_scan",
    "json_sha256_scan",
    "blake3_whole_message",
    "blake3_scan",
    "json_blake3_scan",
    "blake3_parents_n4",
];

#[test]
fn bench_hash_json_measures_every_path() {
    let rates = stdout_json(&parmine(&["bench", "hash", "--ms", "20", "--json"]));
    for key in RATE_FIELDS {
        assert!(rates[key].as_f64().is_some_and(|r| r > 0.0), "{key}: {rates}");
    }
    assert!(rates["host"].as_str().unwrap().starts_with("native"), "{rates}");
    assert!(rates["sha256_lanes"].as_u64().is_some_and(|l| l >= 1));
    let out = parmine(&["bench", "hash", "--ms", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ms must be above 0"));
}

/// `bench cost` with the least work there is (one candidate a thread): every
/// kind at both thread counts, rates that can be divided by, a table naming
/// every kind, and one-line errors for bad arguments.
#[test]
fn bench_cost_json_has_every_kind_and_the_table_prints() {
    let rows = stdout_json(&parmine(&["bench", "cost", "--threads", "1,2", "--work", "0.000001", "--json"]));
    let rows = rows.as_array().expect("an array of rows");
    let kinds: Vec<&str> = parmine::jobs::cost::Kind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(rows.len(), 2 * kinds.len());
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["kind"], kinds[i % kinds.len()], "{r}");
        assert_eq!(r["threads"], if i < kinds.len() { 1 } else { 2 }, "{r}");
        for field in ["expected_attempts", "attempts_per_sec", "expected_ms", "elapsed_ms"] {
            assert!(r[field].as_f64().is_some_and(|x| x.is_finite() && x > 0.0), "{field}: {r}");
        }
        assert!(r["difficulty"].as_str().is_some_and(|d| !d.is_empty()), "{r}");
    }
    let out = parmine(&["bench", "cost", "--threads", "1", "--work", "0.000001"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8_lossy(&out.stdout);
    for label in [
        "Anubis",
        "Cap",
        "go-away",
        "Cerberus",
        "mCaptcha",
        "Friendly Captcha",
        "Argon2id",
        "scrypt",
        "rate x1",
    ] {
        assert!(table.contains(label), "{label}: {table}");
    }
    for (args, message) in [
        (&["bench", "cost", "--work", "0"][..], "error: work must be above 0 and at most 10"),
        (&["bench", "cost", "--work", "NaN"][..], "error: work must be above 0 and at most 10"),
        (&["bench", "cost", "--threads", "0"][..], "error: "),
    ] {
        let out = parmine(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message) && stderr.lines().count() == 1, "{args:?}: {stderr}");
    }
}

/// `bench report` with a page export: the export here is made of native
/// figures relabelled as the browser's, which exercises the reading of every
/// section of the file (the page's own exports are checked by the e2e tests).
#[test]
fn bench_report_json_has_every_target_and_reads_a_page_export() {
    let rates = stdout_json(&parmine(&["bench", "hash", "--ms", "20", "--json"]));
    let mut mining = stdout_json(&parmine(&[
        "bench",
        "mine",
        "--encoding",
        "header",
        "--strategies",
        "sequential,find-first,find-any,striped,chunked",
        "--threads",
        "1,2",
        "--difficulty",
        "3",
        "--runs",
        "1",
        "--blocks",
        "2",
        "--json",
    ]));
    let mut merkle = stdout_json(&parmine(&[
        "bench",
        "merkle",
        "--leaves",
        "4000",
        "--arity",
        "4",
        "--hasher",
        "blake3",
        "--runs",
        "1",
        "--no-rotortree",
        "--json",
    ]));
    for row in mining.as_array_mut().unwrap().iter_mut().chain(merkle.as_array_mut().unwrap()) {
        row["source"] = "browser".into();
    }
    let export = serde_json::json!({ "rates": rates, "mining": mining, "merkle": merkle });
    let path = std::env::temp_dir().join(format!("parmine-export-{}.json", std::process::id()));
    std::fs::write(&path, export.to_string()).unwrap();

    let report = stdout_json(&parmine(&[
        "bench",
        "report",
        "--difficulty",
        "3",
        "--blocks",
        "2",
        "--threads",
        "2",
        "--leaves",
        "4000",
        "--browser",
        path.to_str().unwrap(),
        "--json",
    ]));
    std::fs::remove_file(&path).ok();
    for key in RATE_FIELDS {
        assert!(report["rates"][key].as_f64().is_some_and(|r| r > 0.0), "{key}");
    }
    assert!(report["machine"]["threads"].as_u64().is_some_and(|t| t >= 1));
    let lines = report["lines"].as_array().unwrap();
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l["target"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no line for '{needle}' in {lines:?}"))
    };
    for needle in [
        "native: header SHA-256 mining rate ÷ bare compress256",
        "native: find-any parallel efficiency on 2 threads",
        "native: striped parallel efficiency on 2 threads",
        "native: chunked parallel efficiency on 2 threads",
        "native: find-first ÷ find-any on 2 threads",
        "native: Merkle blake3 N=2 4000 leaves, parmine ÷ rotortree, sequential",
        "native: Merkle blake3 N=16 4000 leaves, parmine ÷ rotortree, parallel",
        "header SHA-256 mining rate ÷ native's, per thread",
        "header SHA-256 mining rate ÷ sha2 crate once per attempt",
        "browser: find-any parallel efficiency on 2 threads",
        "browser: Merkle blake3 N=4 4000 leaves, native ÷ wasm per thread",
        "BLAKE3 Merkle parents (N=4), native ÷ browser, per thread",
    ] {
        let l = find(needle);
        let measured = l["measured"].as_f64().unwrap();
        assert!(measured.is_finite() && measured > 0.0, "{l}");
        if let (Some(goal), Some(met)) = (l["goal"].as_f64(), l["met"].as_bool()) {
            let upper = needle.contains("native ÷ wasm");
            assert_eq!(met, if upper { measured <= goal } else { measured >= goal }, "{l}");
        }
    }

    let out = parmine(&["bench", "report", "--browser", "/nonexistent/export.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a page export"));
}

const GENESIS: &str = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

#[test]
fn solve_bitcoin_json_shows_the_block_hash_in_explorer_order() {
    let out = parmine(&[
        "solve",
        "bitcoin",
        "--header",
        GENESIS,
        "--start",
        "2083230000",
        "--threads",
        "2",
        "--json",
    ]);
    let v = stdout_json(&out);
    assert_eq!(v["kind"], "bitcoin");
    assert_eq!(v["nonce"].as_u64(), Some(2083236893));
    assert_eq!(v["hash"], "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    assert_eq!(v["header"], GENESIS);
    assert!(v["attempts"].as_u64().unwrap() > 0);
    assert!(v["elapsed_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn solve_anubis_and_mcaptcha_json() {
    let v =
        stdout_json(&parmine(&["solve", "anubis", "--challenge", "hunter", "--difficulty", "3", "--json"]));
    let nonce = v["nonce"].as_u64().unwrap();
    let hash = v["hash"].as_str().unwrap();
    assert!(hash.starts_with("000"));
    assert_eq!(
        hash,
        parmine::hash::to_hex(&parmine::HashAlgorithm::Sha256.hash(format!("hunter{nonce}").as_bytes()))
    );
    let v = stdout_json(&parmine(&[
        "solve",
        "mcaptcha",
        "--salt",
        "salt",
        "--phrase",
        "abc",
        "--difficulty-factor",
        "1000",
        "--json",
    ]));
    assert_eq!(v["nonce"].as_u64(), Some(386), "mCaptcha's own solver finds 386");
    assert_eq!(v["result"], "340023817799230264482737643669373455253");
}

#[test]
fn solve_altcha_reads_the_challenge_from_stdin_and_prints_a_payload() {
    use std::io::Write as _;
    let salt = "0011aabb";
    let challenge =
        parmine::hash::to_hex(&parmine::HashAlgorithm::Sha256.hash(format!("{salt}321").as_bytes()));
    let json = format!(
        r#"{{"algorithm":"SHA-256","challenge":"{challenge}","maxnumber":1000,"salt":"{salt}","signature":"x"}}"#
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(["solve", "altcha", "--challenge", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(json.as_bytes()).unwrap();
    let v = stdout_json(&child.wait_with_output().unwrap());
    assert_eq!(v["nonce"].as_u64(), Some(321));
    assert!(v["payload"].as_str().unwrap().len() > 40);
}

#[test]
fn solve_bad_input_exits_2_and_no_answer_exits_1() {
    let dir = std::env::temp_dir().join(format!("parmine-cli-altcha-{}", std::process::id()));
    std::fs::write(&dir, "{\"algorithm\": \"SHA-256\"").unwrap();
    let malformed = dir.to_str().unwrap();
    let zero_bits = format!("{}00000000{}", &GENESIS[..144], &GENESIS[152..]);
    let bad_hex = format!("zz{}", &GENESIS[2..]);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["solve", "bitcoin", "--header", "0011"],
            "a Bitcoin header is 80 bytes (160 hex digits), not 2",
        ),
        (vec!["solve", "bitcoin", "--header", &bad_hex], "the header is not hex: 'zz' at position 0"),
        (vec!["solve", "bitcoin", "--header", &zero_bits], "nBits 0x00000000 encodes no target: it is zero"),
        (vec!["solve", "bitcoin", "--header", GENESIS, "--end", "5000000000"], "is outside bitcoin's nonces"),
        (vec!["solve", "altcha", "--challenge", malformed], "the ALTCHA challenge is not JSON"),
        (vec!["solve", "anubis", "--challenge", "x", "--difficulty", "0"], "difficulty 0 is out of range"),
        (
            vec!["solve", "mcaptcha", "--salt", "s", "--phrase", "p", "--difficulty-factor", "0"],
            "must be 1 or more",
        ),
        (vec!["solve", "hashcash"], "unrecognized subcommand 'hashcash'"),
    ];
    for (args, message) in &cases {
        let out = parmine(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().filter(|l| l.starts_with("error")).count(), 1, "{args:?}: {stderr}");
    }
    std::fs::remove_file(&dir).unwrap();
    let none = parmine(&["solve", "bitcoin", "--header", GENESIS, "--start", "0", "--end", "1000"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no proof in nonce range 0..1000"));
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_long_search_warns_of_its_expected_time_and_ctrl_c_exits_130() {
    // A blog-JSON block of 100,000 transactions re-hashes 9 MB per attempt:
    // difficulty 8 would take years. The warning comes after two seconds of
    // measuring; SIGINT (what Ctrl-C sends) then stops the search.
    let child = Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(["mine", "--transactions", "100000", "--difficulty", "8", "--threads", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    // Wait for the warning line, then interrupt.
    let mut child = child;
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    assert!(first.starts_with("warning: about 4.29G attempts are expected"), "{first}");
    // SAFETY: `pid` is our own child, still running (it has not printed its result).
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.starts_with("error: mining was cancelled after "), "{rest}");
}

/// Random command lines (wrong types, extremes, repeated flags) to every
/// command: exit 0, 1 or 2, an `error:` line first on 2, never a panic, an
/// abort or a hang. Each base command line is small (an `--end`, a low
/// difficulty, few leaves) and a repeated flag is an error, so a valid
/// random one stays small too.
#[test]
fn random_command_lines_exit_0_1_or_2_never_a_panic() {
    use std::time::{Duration, Instant};

    let values = [
        "0",
        "1",
        "2",
        "3",
        "-1",
        "1.5",
        "65",
        "4000000000",
        "18446744073709551616",
        "x",
        "",
        "sha256",
        "blake3",
        "header",
        "json",
        "chunked",
        "gpu",
        "all",
        "1,2",
        "2,2",
        "0,1",
    ];
    let commands: [(&[&str], &[&str]); 8] = [
        (
            &["mine", "--difficulty", "2", "--end", "20000"],
            &[
                "--difficulty",
                "--encoding",
                "--hasher",
                "--strategy",
                "--threads",
                "--transactions",
                "--start",
                "--end",
                "--kernel",
            ],
        ),
        (
            &["bench", "mine", "--difficulty", "2", "--runs", "1", "--blocks", "1", "--threads", "1"],
            &[
                "--difficulty",
                "--runs",
                "--blocks",
                "--threads",
                "--strategies",
                "--encoding",
                "--hasher",
                "--transactions",
            ],
        ),
        (&["merkle", "--leaves", "100"], &["--leaves", "--arity", "--hasher", "--threads", "--proof"]),
        (
            &["bench", "merkle", "--leaves", "100", "--runs", "1"],
            &["--leaves", "--arity", "--hasher", "--runs"],
        ),
        (&["bench", "hash", "--ms", "1"], &["--ms"]),
        (
            &["solve", "anubis", "--challenge", "abc", "--difficulty", "2", "--end", "20000"],
            &["--challenge", "--difficulty", "--strategy", "--threads", "--start", "--end"],
        ),
        (
            &[
                "solve",
                "mcaptcha",
                "--salt",
                "s",
                "--phrase",
                "p",
                "--difficulty-factor",
                "10",
                "--end",
                "20000",
            ],
            &["--salt", "--phrase", "--difficulty-factor", "--strategy", "--threads", "--end"],
        ),
        (
            &["solve", "bitcoin", "--header", GENESIS, "--start", "2083230000", "--end", "2083240000"],
            &["--header", "--start", "--end", "--strategy", "--threads"],
        ),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut codes = [0usize; 3];
    for round in 0..6 {
        for (base, flags) in &commands {
            let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            for _ in 0..1 + next() % 3 {
                args.push(flags[(next() % flags.len() as u64) as usize].to_string());
                args.push(values[(next() % values.len() as u64) as usize].to_string());
            }
            let mut child = Command::new(env!("CARGO_BIN_EXE_parmine"))
                .args(&args)
                .env("XDG_RUNTIME_DIR", std::env::temp_dir())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            // A guard against a hang, not a performance bound: every line here is small.
            let started = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if started.elapsed() > Duration::from_secs(120) {
                    child.kill().unwrap();
                    panic!("round {round}: parmine {} hung", args.join(" "));
                }
                std::thread::sleep(Duration::from_millis(10));
            };
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            let line = args.join(" ");
            assert!(
                !stderr.contains("panicked") && !stderr.contains("backtrace"),
                "parmine {line}: {stderr}"
            );
            let code =
                status.code().unwrap_or_else(|| panic!("parmine {line} was killed by a signal: {stderr}"));
            assert!(code <= 2, "parmine {line}: exit {code}: {stderr}");
            if code == 2 {
                let first = stderr.lines().find(|l| !l.trim().is_empty() && !l.contains("XDG_RUNTIME_DIR"));
                assert!(first.is_some_and(|l| l.starts_with("error")), "parmine {line}: {stderr}");
            }
            codes[code as usize] += 1;
        }
    }
    // Both results and refusals happen: the generator is not all errors.
    assert!(codes[0] > 0 && codes[2] > 0, "{codes:?}");
}

/// A child whose stdout is a pipe already closed at the reading end, as in
/// `parmine … | head -0`: its first write fails with EPIPE, deterministically.
fn with_closed_stdout(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("parmine runs")
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let commands: [&[&str]; 7] = [
        &["mine", "--difficulty", "2"],
        &["mine", "--difficulty", "2", "--json"],
        &["merkle", "--leaves", "64"],
        &["solve", "anubis", "--challenge", "abc", "--difficulty", "1"],
        &["bench", "hash", "--ms", "5"],
        &["bench", "mine", "--difficulty", "1", "--runs", "1", "--blocks", "1", "--threads", "1"],
        &[
            "bench",
            "merkle",
            "--leaves",
            "64",
            "--arity",
            "2",
            "--hasher",
            "blake3",
            "--runs",
            "1",
            "--no-rotortree",
        ],
    ];
    for args in commands {
        let out = with_closed_stdout(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // As ripgrep: the reader stopped reading, which is no error.
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_one_line_and_exit_1() {
    for args in [&["mine", "--difficulty", "2"][..], &["merkle", "--leaves", "64", "--json"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_parmine")).args(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the output to stdout: No space left on device"),
            "{stderr}"
        );
    }
}

#[test]
fn bench_report_checks_every_argument_before_measuring() {
    let dir = std::env::temp_dir().join(format!("parmine-report-args-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "hello").unwrap();
    let no_rates = dir.join("no-rates.json");
    std::fs::write(&no_rates, r#"{"mining": []}"#).unwrap();
    let missing = dir.join("missing.json");
    let cases: [(Vec<&str>, &str); 7] = [
        (vec!["--difficulty", "0"], "difficulty"),
        (vec!["--difficulty", "65"], "difficulty"),
        (vec!["--threads", "0"], "thread"),
        (vec!["--blocks", "0"], "blocks"),
        (vec!["--leaves", "0"], "leaves"),
        (vec!["--browser", not_json.to_str().unwrap()], "not a page export"),
        (vec!["--browser", no_rates.to_str().unwrap()], "no hash rates"),
    ];
    let missing_case = (vec!["--browser", missing.to_str().unwrap()], "cannot read it");
    for (args, says) in cases.into_iter().chain([missing_case]) {
        let out = parmine(&[&["bench", "report"], &args[..]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        // Refused before the first measurement, which announces itself.
        assert!(!stderr.contains("measuring"), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(says), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ctrl_c_stops_bench_mine_with_what_it_measured() {
    // Difficulty 9 on one thread is hours of work: the estimate warns after
    // two seconds of measuring, and SIGINT then stops the sweep.
    let mut child = Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(["bench", "mine", "--strategies", "sequential,chunked", "--threads", "1", "--difficulty", "9"])
        .args(["--runs", "1", "--blocks", "1", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    assert!(first.starts_with("warning: about 137.44G attempts are expected"), "{first}");
    // SAFETY: `child.id()` is our own child, still running (it has not printed its rows).
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert_eq!(out.status.code(), Some(130), "{rest}");
    // What it measured (no point had finished): still the JSON array.
    let rows: Value = serde_json::from_slice(&out.stdout).expect("the rows so far, as JSON");
    assert_eq!(rows, serde_json::json!([]));
    assert!(rest.starts_with("stopped early: the 0 point(s)"), "{rest}");
    assert!(rest.contains("error: mining was cancelled after "), "{rest}");
}

/// One request to `addr`, answered with its status code (the first line's).
fn http_status(addr: &str, path: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response);
    text.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"))
}

#[test]
fn serve_answers_paths_no_file_can_have_with_404_or_414() {
    let dir = std::env::temp_dir().join(format!("parmine-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_parmine"))
        .args(["serve", "--port", "0", "--dir", dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the address")
        .to_owned();
    let long = "a".repeat(256);
    let cases = [
        ("/index.html".to_owned(), 200),
        (format!("/{}", "a".repeat(255)), 404),
        (format!("/{long}"), 404),
        (format!("/{long}/index.html"), 404),
        (format!("/{}", "%61".repeat(300)), 404),
        ("/a".repeat(2000), 414),
    ];
    for (path, want) in &cases {
        assert_eq!(http_status(&addr, path), *want, "{}…", &path[..path.len().min(40)]);
    }
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    // No server error, so no error line.
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    std::fs::remove_dir_all(&dir).unwrap();
}
