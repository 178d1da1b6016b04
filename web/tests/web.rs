//! The wasm build in a real browser (headless Chromium, through
//! wasm-bindgen-test-runner), in a dedicated worker as the page runs it.
//!
//! The threaded build starts a real pool of Web Workers and proves that more
//! than one of them did the work; the single-threaded build checks its own
//! limits and its progress callback. Both mine with every strategy, check the
//! hashes independently, and compare proofs and Merkle roots with the
//! fixtures the native build produced (`tests/fixtures.rs`).

#![cfg(target_arch = "wasm32")]

use parmine::bench::{build_tree, merkle_leaves};
use parmine::hash::to_hex;
use parmine::jobs::{MineJob, MineReport};
use parmine::merkle::Parallelism;
use parmine::{Block, Encoding, HashAlgorithm, Strategy};
use parmine_web::api;
use serde_json::Value;
use sha2::Digest as _;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const FIXTURES: &str = include_str!("../../tests/fixtures/expected.json");

/// Threads of the threaded build's pool: every parallel run uses all of them
/// (see `parmine::pool`).
#[cfg(target_feature = "atomics")]
const THREADS: usize = 2;
#[cfg(not(target_feature = "atomics"))]
const THREADS: usize = 1;

/// Start the pool once for all tests (they run one after another).
async fn ready() {
    #[cfg(target_feature = "atomics")]
    if parmine::pool::Pool::max_threads() == 0 {
        let promise = parmine_web::init_pool(THREADS).map_err(JsValue::from).unwrap();
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// A report as JSON: 64-bit integers arrive as `BigInt`s, read as numbers here
/// (the driver worker does the same for the page).
fn plain(value: JsValue) -> Value {
    let replacer = js_sys::Function::new_with_args(
        "key, value",
        "return typeof value === 'bigint' ? Number(value) : value",
    );
    let text = js_sys::JSON::stringify_with_replacer(&value, &replacer).unwrap();
    serde_json::from_str(&String::from(text)).unwrap()
}

fn error_message(result: Result<JsValue, JsValue>) -> String {
    let err: JsValue = result.expect_err("an error");
    err.dyn_into::<js_sys::Error>().expect("a JavaScript Error").message().into()
}

/// The `kind` a job's error carries beside its message.
fn error_kind(result: Result<JsValue, JsValue>) -> String {
    let err = result.expect_err("an error");
    js_sys::Reflect::get(&err, &"kind".into()).unwrap().as_string().unwrap_or_default()
}

fn mine_options(
    strategy: Strategy,
    encoding: Encoding,
    hasher: HashAlgorithm,
    threads: usize,
    timestamp: u64,
) -> MineJob {
    MineJob {
        encoding,
        hasher,
        strategy,
        difficulty: 4,
        threads: Some(threads),
        timestamp,
        message: true,
        ..MineJob::default()
    }
}

/// Run a mining job on the instance's control, as the `mine` export does.
fn mine_block(job: &MineJob) -> parmine::Result<MineReport> {
    job.run(None)
}

/// The hash of a mined block computed from its reported bytes with the
/// hash crates directly.
fn independent_hash(mined: &MineReport) -> String {
    let message = mined.message.as_deref().expect("the message was asked for");
    let bytes = match mined.encoding {
        Encoding::Json => message.as_bytes().to_vec(),
        Encoding::Header => (0..message.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&message[i..i + 2], 16).unwrap())
            .collect(),
    };
    match mined.hasher {
        HashAlgorithm::Sha256 => to_hex(&sha2::Sha256::digest(&bytes)),
        HashAlgorithm::Blake3 => blake3::hash(&bytes).to_hex().to_string(),
        HashAlgorithm::Sha256d => to_hex(&sha2::Sha256::digest(sha2::Sha256::digest(&bytes))),
    }
}

#[cfg(target_feature = "atomics")]
#[wasm_bindgen_test]
async fn the_pool_runs_work_on_several_web_workers() {
    use rayon::prelude::*;
    use std::collections::HashSet;
    ready().await;
    let pool = parmine::pool::Pool::new(THREADS).unwrap();
    assert_eq!(pool.install(rayon::current_num_threads), THREADS);
    // A fixed amount of work that cannot stop early, in many pieces.
    let seen: Vec<(usize, String)> = pool.install(|| {
        (0..64u64)
            .into_par_iter()
            .map(|i| {
                let mut digest = [i as u8; 32];
                for _ in 0..20_000 {
                    digest = sha2::Sha256::digest(digest).into();
                }
                std::hint::black_box(digest);
                (rayon::current_thread_index().unwrap(), format!("{:?}", std::thread::current().id()))
            })
            .collect()
    });
    let indices: HashSet<usize> = seen.iter().map(|s| s.0).collect();
    let threads: HashSet<&String> = seen.iter().map(|s| &s.1).collect();
    assert_eq!(indices.len(), THREADS, "rayon thread indices {indices:?}");
    assert_eq!(threads.len(), THREADS, "threads {threads:?}");
}

#[wasm_bindgen_test]
async fn every_strategy_mines_verifiable_blocks() {
    ready().await;
    for encoding in Encoding::ALL {
        for hasher in HashAlgorithm::ALL {
            for strategy in Strategy::ALL {
                for threads in [1, THREADS] {
                    let o = mine_options(strategy, encoding, hasher, threads, Block::BENCHMARK_TIMESTAMP);
                    if strategy.is_parallel() && threads != THREADS {
                        // Parallel runs use the whole pool.
                        assert!(mine_block(&o).is_err());
                        continue;
                    }
                    let mined = mine_block(&o).unwrap();
                    let label = format!("{encoding}/{hasher}/{strategy}/{threads}");
                    assert_eq!(mined.mined.hash_hex(), independent_hash(&mined), "{label}");
                    assert!(mined.mined.hash_hex().starts_with("0000"), "{label}");
                    assert_eq!(
                        mined.mined.threads,
                        if strategy.is_parallel() { threads } else { 1 },
                        "{label}"
                    );
                    assert!(mined.mined.elapsed.as_secs_f64() > 0.0 && mined.mined.attempts >= 1, "{label}");
                    if encoding == Encoding::Json {
                        let block: Block = serde_json::from_str(mined.message.as_deref().unwrap()).unwrap();
                        assert_eq!(block.proof, mined.mined.proof, "{label}");
                    }
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn deterministic_strategies_find_the_native_proofs() {
    ready().await;
    let fixtures: Value = serde_json::from_str(FIXTURES).unwrap();
    for f in fixtures["proofs"].as_array().unwrap() {
        let encoding: Encoding = f["encoding"].as_str().unwrap().parse().unwrap();
        let timestamp = f["timestamp"].as_u64().unwrap();
        for strategy in Strategy::ALL.into_iter().filter(|s| s.is_deterministic()) {
            let threads = if strategy.is_parallel() { THREADS } else { 1 };
            let hasher = f["hasher"].as_str().unwrap().parse().unwrap();
            let mut o = mine_options(strategy, encoding, hasher, threads, timestamp);
            o.difficulty = f["difficulty"].as_u64().unwrap() as u32;
            o.transactions = f["transactions"].as_u64().unwrap() as usize;
            let mined = mine_block(&o).unwrap();
            assert_eq!(mined.mined.proof, f["proof"].as_u64().unwrap(), "{f} {strategy} {threads}");
            assert_eq!(mined.mined.hash_hex(), f["hash"].as_str().unwrap());
        }
    }
}

#[wasm_bindgen_test]
async fn merkle_roots_equal_the_native_ones() {
    ready().await;
    let fixtures: Value = serde_json::from_str(FIXTURES).unwrap();
    let pool = parmine::pool::Pool::new(THREADS).unwrap();
    for f in fixtures["roots"].as_array().unwrap() {
        let hasher = f["hasher"].as_str().unwrap().parse().unwrap();
        let leaves = merkle_leaves(hasher, f["leaves"].as_u64().unwrap());
        let arity = f["arity"].as_u64().unwrap() as usize;
        for parallelism in [Parallelism::SEQUENTIAL, Parallelism::default(), Parallelism::ALWAYS] {
            let build = build_tree(&pool, hasher, arity, &leaves, parallelism).unwrap();
            assert_eq!(to_hex(&build.root), f["root"].as_str().unwrap(), "{f} {parallelism:?}");
            assert_eq!(build.depth as u64, f["depth"].as_u64().unwrap());
        }
    }
    // Through the exported API, with a proof that verifies, and one that does not.
    let result = api::merkle(options(&format!(
        r#"{{"leaves": 1000, "arity": 4, "hasher": "sha256", "threads": {THREADS}, "proof": 777}}"#
    )))
    .unwrap();
    let result: Value = plain(result);
    assert_eq!(result["verified"], true);
    let expected = fixtures["roots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["hasher"] == "sha256" && f["arity"] == 4 && f["leaves"] == 1000);
    assert_eq!(result["root"], expected.unwrap()["root"]);
    let mut proof = result["proof"].clone();
    let check = |proof: &Value| {
        let o = serde_json::json!({"hasher": "sha256", "proof": proof, "root": result["root"]});
        api::verify_proof(options(&o.to_string())).unwrap()
    };
    assert!(check(&proof));
    proof["leaf"] = Value::String("ff".repeat(32));
    assert!(!check(&proof));
}

#[wasm_bindgen_test]
async fn bad_input_is_a_javascript_error_with_the_native_message() {
    ready().await;
    let cases = [
        (r#"{"difficulty": 0}"#, "difficulty 0 is out of range: use 1 to 64 leading zero hex digits"),
        (r#"{"difficulty": 65}"#, "difficulty 65 is out of range: use 1 to 64 leading zero hex digits"),
        (r#"{"difficulty": 3, "threads": 0}"#, "thread count 0 is out of range"),
        (r#"{"difficulty": 3, "threads": 999}"#, "thread count 999 is out of range"),
        (r#"{"difficulty": 3, "strategy": "fastest"}"#, "unknown strategy 'fastest'"),
        (r#"{"difficulty": 3, "encoding": "xml"}"#, "unknown encoding 'xml'"),
        (r#"{"difficulty": 3, "hasher": "md5"}"#, "unknown hasher 'md5'"),
        (r#"{"difficulty": 3, "start": 9, "end": 9}"#, "nonce range 9..9 is empty"),
        (r#"{"difficulty": 8, "start": 0, "end": 50}"#, "no proof in nonce range 0..50"),
        (r#"{"difficulty": 3, "colour": "red"}"#, "unknown field `colour`"),
        (r#"{"difficulty": "three"}"#, "invalid type: string \"three\", expected u32"),
    ];
    for (json, message) in cases {
        let got = error_message(api::mine(options(json)));
        assert!(got.contains(message), "{json}: {got}");
    }
    let merkle_cases = [
        (r#"{"leaves": 0}"#, "cannot insert an empty batch of leaves"),
        (r#"{"leaves": 10, "arity": 1}"#, "arity 1 is out of range: use 2 to 16"),
        (r#"{"leaves": 10, "proof": 10}"#, "leaf index 10 is out of range for a tree of 10 leaves"),
        (r#"{"leaves": 10, "task": 0}"#, "a parallel task needs at least 1 parent"),
    ];
    for (json, message) in merkle_cases {
        let got = error_message(api::merkle(options(json)));
        assert!(got.contains(message), "{json}: {got}");
    }
    let got =
        error_message(api::bench_mine(options(r#"{"difficulty": 2, "strategies": ["sequential", "nope"]}"#)));
    assert!(got.contains("unknown strategy 'nope'"), "{got}");
    let got = error_message(api::bench_merkle(options(r#"{"leaves": 100, "runs": 0}"#)));
    assert!(got.contains("runs and blocks must be at least 1"), "{got}");
    let got = error_message(api::merkle(options(r#"{}"#)));
    assert!(got.contains("missing field `leaves`"), "{got}");
    // The page acts on the kind, not on the words.
    assert_eq!(error_kind(api::mine(options(r#"{"difficulty": 0}"#))), "invalid");
    assert_eq!(error_kind(api::mine(options(r#"{"colour": "red"}"#))), "invalid");
    assert_eq!(error_kind(api::mine(options(r#"{"difficulty": 8, "start": 0, "end": 50}"#))), "exhausted");
}

/// A memory-hard ALTCHA v2 derivation that fits the job's memory once but
/// not once a thread runs on one thread of the pool: a browser pool cannot
/// shrink, so the search leaves the other threads idle instead.
#[wasm_bindgen_test]
async fn a_memory_hard_challenge_runs_on_the_threads_that_fit() {
    use parmine::puzzles::altcha_v2::derive::{Kdf, KdfSpec};
    ready().await;
    // 400 MiB a derivation: one fits the 768 MB limit, two do not.
    let (cost, memory_cost) = (1u64, 400u64 << 10);
    let spec = KdfSpec {
        algorithm: "ARGON2ID",
        cost,
        memory_cost: Some(memory_cost),
        parallelism: None,
        key_length: 32,
    };
    let (nonce, salt) = ([7u8; 16], [9u8; 16]);
    let mut key = [0u8; 32];
    Kdf::new(&spec).unwrap().derive(&[&nonce[..], &0u32.to_be_bytes()].concat(), &salt, &mut key).unwrap();
    let challenge = serde_json::json!({"parameters": {
        "algorithm": "ARGON2ID", "cost": cost, "memoryCost": memory_cost, "keyLength": 32,
        "keyPrefix": to_hex(&key[..4]), "nonce": to_hex(&nonce), "salt": to_hex(&salt),
    }});
    let report: Value = plain(
        api::solve_altcha_v2(options(&serde_json::json!({ "challenge": challenge }).to_string())).unwrap(),
    );
    assert_eq!(report["solution"]["counter"], 0);
    assert_eq!(report["solution"]["derivedKey"], to_hex(&key));
    assert_eq!(report["threads"], 1);
}

#[wasm_bindgen_test]
async fn benchmarks_return_the_command_lines_rows() {
    ready().await;
    let json = serde_json::json!({"difficulty": 3, "encoding": "header", "threads": [THREADS], "runs": 1, "blocks": 2});
    let rows: Value = plain(api::bench_mine(options(&json.to_string())).unwrap());
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for row in rows {
        for key in
            ["strategy", "encoding", "hasher", "threads", "difficulty", "median_ms", "attempts_per_sec"]
        {
            assert!(!row[key].is_null(), "{key} missing in {row}");
        }
    }
    let json =
        serde_json::json!({"leaves": 5000, "arity": 4, "threads": THREADS, "runs": 1, "threshold": 16});
    let result: Value = plain(api::bench_merkle(options(&json.to_string())).unwrap());
    let modes: Vec<&str> =
        result["rows"].as_array().unwrap().iter().map(|r| r["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, ["sequential", "parallel"]);
    assert_eq!(result["rows"][1]["threads"], THREADS);
}

/// The threaded build: a pool worker plays the page, watching the shared
/// counter grow while the driver mines on its own thread, then setting the
/// shared stop flag.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen_test]
async fn cancel_from_another_worker_stops_the_job() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    ready().await;
    for strategy in [Strategy::Sequential, Strategy::Iterator] {
        let cancelled = Arc::new(AtomicBool::new(false));
        let done = cancelled.clone();
        rayon::spawn(move || {
            while parmine_web::attempts() < 50_000.0 {
                std::hint::spin_loop();
            }
            parmine_web::cancel();
            done.store(true, Ordering::Relaxed);
        });
        let mut o = mine_options(strategy, Encoding::Header, HashAlgorithm::Sha256, 1, 1);
        o.difficulty = 40;
        let err = o.run(Some(parmine_web::control())).unwrap_err();
        assert!(
            matches!(err, parmine::Error::Cancelled { attempts } if attempts >= 50_000),
            "{strategy}: {err}"
        );
        while !cancelled.load(Ordering::Relaxed) {
            std::hint::spin_loop();
        }
        o.difficulty = 2;
        parmine_web::reset_control();
        assert!(o.run(Some(parmine_web::control())).is_ok(), "{strategy} after a cancel");
    }
}

/// Every strategy, on the pool's Web Workers, stops on a cancelled control.
#[wasm_bindgen_test]
async fn every_strategy_honours_a_cancel() {
    use parmine::{Control, Difficulty, Miner, Puzzle};
    ready().await;
    let puzzle = Puzzle::new(
        &Block::benchmark(),
        Encoding::Header,
        HashAlgorithm::Sha256,
        Difficulty::from_hex_digits(40).unwrap(),
    )
    .unwrap();
    for strategy in Strategy::ALL {
        let control = std::sync::Arc::new(Control::new());
        control.cancel();
        let threads = if strategy.is_parallel() { THREADS } else { 1 };
        let err = Miner::new(strategy).threads(threads).control(control).mine(&puzzle).unwrap_err();
        assert!(matches!(err, parmine::Error::Cancelled { .. }), "{strategy}: {err}");
    }
}

/// The single-threaded build: progress arrives through the callback while the
/// job runs, and a cancel from the callback stops it.
#[cfg(not(target_feature = "atomics"))]
#[wasm_bindgen_test]
async fn progress_callback_reports_and_can_cancel() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let reports = Rc::new(RefCell::new(Vec::new()));
    let seen = reports.clone();
    let callback = Closure::<dyn FnMut(f64)>::new(move |attempts: f64| {
        seen.borrow_mut().push(attempts);
        if seen.borrow().len() == 3 {
            parmine_web::cancel();
        }
    });
    parmine_web::set_progress_callback(Some(callback.as_ref().unchecked_ref::<js_sys::Function>().clone()));
    let mut o = mine_options(Strategy::Sequential, Encoding::Header, HashAlgorithm::Sha256, 1, 1);
    o.difficulty = 40;
    parmine_web::reset_control();
    let err = o.run(Some(parmine_web::control())).unwrap_err();
    parmine_web::set_progress_callback(None);
    assert!(matches!(err, parmine::Error::Cancelled { .. }), "{err}");
    let reports = reports.borrow();
    assert_eq!(reports.len(), 3);
    assert!(reports.windows(2).all(|w| w[0] < w[1]), "{reports:?}");
}

#[cfg(not(target_feature = "atomics"))]
#[wasm_bindgen_test]
async fn the_single_threaded_build_has_one_thread() {
    let got = error_message(api::mine(options(r#"{"difficulty": 2, "threads": 2}"#)));
    assert_eq!(got, "thread count 2 is out of range: use 1 to 1");
    let info: Value = plain(parmine_web::build_info().unwrap());
    assert_eq!(info["threaded"], false);
}

/// Every mining kernel of this build (simd128 in the threaded build, the
/// scalar kernel and the crates in both) gives the digests the hash crates
/// give, on random inputs.
#[wasm_bindgen_test]
fn every_kernel_equals_the_hash_crates_on_random_inputs() {
    use parmine::hash::kernel::check_against_crate;
    use parmine::hash::{Blake3, Hasher, Kernel, Sha256};
    for &kernel in Sha256::kernels() {
        check_against_crate::<Sha256>(kernel, 11, 300).unwrap();
    }
    for &kernel in Blake3::kernels() {
        check_against_crate::<Blake3>(kernel, 12, 300).unwrap();
    }
    for &kernel in Sha256::kernels() {
        parmine::hash::check_chains_against_crates(kernel, 13, 60).unwrap();
    }
    let simd = cfg!(target_feature = "simd128");
    assert_eq!(Sha256::kernels()[0], if simd { Kernel::Simd128 } else { Kernel::Scalar });
    assert_eq!(Blake3::kernels().contains(&Kernel::Simd128), simd);
    assert_eq!(sha2::Sha256::digest(b"abc")[..], Sha256::hash(b"abc"));
    assert_eq!(blake3::hash(b"abc").as_bytes(), &Blake3::hash(b"abc"));
}

/// The page's vocabulary comes from Rust: the catalog lists what the jobs
/// take, and speedups of rows put together from several sweeps are Rust's.
#[wasm_bindgen_test]
fn the_catalog_and_the_speedups_come_from_rust() {
    let catalog = plain(api::catalog().unwrap());
    let names: Vec<&str> =
        catalog["strategies"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, Strategy::ALL.map(|s| s.name()));
    assert_eq!(catalog["strategies"][2]["parallel"], true);
    assert_eq!(catalog["strategies"][3]["deterministic"], false);
    assert_eq!(catalog["limits"]["max_threads"], parmine::pool::MAX_THREADS);
    assert_eq!(catalog["defaults"]["mine"]["difficulty"], 6);
    assert_eq!(catalog["default_threads"], THREADS);
    assert!(catalog["rate_paths"].as_array().unwrap().iter().any(|p| p["name"] == "blake3_hash_many"));
    let kernels = &catalog["kernels"][0]["kernels"];
    assert_eq!(kernels[0], if cfg!(target_feature = "simd128") { "simd128" } else { "scalar" });

    let row = |strategy: &str, threads: usize, useful: f64, source: &str| {
        serde_json::json!({
            "strategy": strategy, "encoding": "header", "hasher": "sha256", "threads": threads, "difficulty": 5,
            "runs": 1, "blocks": 1, "mean_ms": 1.0, "median_ms": 1.0, "min_ms": 1.0, "max_ms": 1.0, "stddev_ms": 0.0,
            "attempts": 10, "attempts_per_sec": useful, "attempts_per_sec_per_thread": useful / threads as f64,
            "useful_attempts_per_sec": useful, "speedup": null, "efficiency": null, "source": source,
        })
    };
    let rows = serde_json::json!([
        row("sequential", 1, 10.0, "browser"),
        row("chunked", 2, 18.0, "browser"),
        row("sequential", 1, 20.0, "native"),
        row("chunked", 2, 40.0, "native"),
    ]);
    let out = plain(api::with_speedups(options(&rows.to_string())).unwrap());
    assert_eq!(out[1]["speedup"], 1.8);
    assert_eq!(out[1]["efficiency"], 0.9);
    assert_eq!(out[3]["efficiency"], 1.0, "each source against its own sequential row");
    assert_eq!(out[1]["source"], "browser");
}

/// The Rust half of the page's GPU miner: the shader and plans it hands the
/// device, and the checks of what the device reports (a wrong nonce is
/// refused, not reported).
#[wasm_bindgen_test]
async fn gpu_plans_and_checks_for_the_webgpu_miner() {
    ready().await;
    let plans = plain(
        parmine_web::gpu::gpu_plans(options(
            r#"{"encoding":"json","hasher":"sha256","difficulty":4,"blocks":2}"#,
        ))
        .unwrap(),
    );
    assert!(plans["shader"].as_str().unwrap().contains("fn mine("));
    assert_eq!(plans["plans"].as_array().unwrap().len(), 2);
    assert!(!plans["candidates"].as_array().unwrap().is_empty());
    // The blog's block at four zeros, mined on the CPU: the device's answer must equal it.
    let mined = mine_block(&mine_options(
        Strategy::Sequential,
        Encoding::Json,
        HashAlgorithm::Sha256,
        1,
        Block::BENCHMARK_TIMESTAMP,
    ))
    .unwrap();
    let proof = mined.mined.proof;
    let check = |nonce: u64| {
        parmine_web::gpu::gpu_check(options(&format!(
            r#"{{"encoding":"json","hasher":"sha256","difficulty":4,"transactions":0,"block":0,"nonce":{nonce}}}"#
        )))
        .unwrap()
    };
    assert!(check(proof));
    assert!(!check(proof + 1));
    let report = plain(
        parmine_web::gpu::gpu_report(options(&format!(
            r#"{{"job":{{"difficulty":4,"strategy":"gpu","message":true}},"proof":{proof},"attempts":{},"ms":5}}"#,
            proof + 1
        )))
        .unwrap(),
    );
    assert_eq!(report["strategy"], "gpu");
    assert_eq!(report["hash"], to_hex(&mined.mined.hash));
    let refused = parmine_web::gpu::gpu_report(options(&format!(
        r#"{{"job":{{"difficulty":4}},"proof":{},"attempts":1,"ms":5}}"#,
        proof + 1
    )));
    assert!(error_message(refused).contains("is not a proof"));
    let row = plain(
        parmine_web::gpu::gpu_row(options(&format!(
            r#"{{"difficulty":4,"runs":1,"blocks":1,"samples":[{{"block":0,"proof":{proof},"attempts":{},"ms":10}}]}}"#,
            proof + 1
        )))
        .unwrap(),
    );
    assert_eq!(row["strategy"], "gpu");
    assert_eq!(row["attempts"].as_u64(), Some(proof + 1));
    let bad = parmine_web::gpu::gpu_row(options(
        r#"{"difficulty":4,"runs":1,"blocks":1,"samples":[{"block":3,"proof":1,"attempts":1,"ms":1}]}"#,
    ));
    assert!(error_message(bad).contains("blocks"));
}

/// Random option objects (wrong types, extremes, unknown fields) to every
/// export, as a page or a console could send them: each gives a result or a
/// JavaScript error, never a panic (which would abort this test's instance).
/// The values are such that a valid job is a small one: the exports cannot
/// be bounded after parsing, as the native test (`tests/faults.rs`) does.
#[wasm_bindgen_test]
async fn random_options_to_every_export_give_errors_or_results() {
    ready().await;
    let values = [
        "0",
        "1",
        "2",
        "3",
        "-1",
        "1.5",
        "65",
        "4000000000",
        "1e20",
        "18446744073709551615",
        "\"x\"",
        "\"\"",
        "\"sha256\"",
        "\"blake3\"",
        "\"header\"",
        "\"json\"",
        "\"chunked\"",
        "\"gpu\"",
        "null",
        "true",
        "[]",
        "[1,2,2]",
        "{}",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut object = |fields: &[&str]| -> JsValue {
        let mut parts = Vec::new();
        for field in fields {
            if next() % 2 == 0 {
                parts.push(format!("\"{field}\":{}", values[(next() % values.len() as u64) as usize]));
            }
        }
        if next() % 5 == 0 {
            parts.push("\"difficuly\":3".into());
        }
        options(&format!("{{{}}}", parts.join(",")))
    };
    type Export = fn(JsValue) -> Result<JsValue, JsValue>;
    let exports: [(&str, Export, &[&str]); 10] = [
        (
            "mine",
            api::mine,
            &["encoding", "hasher", "strategy", "difficulty", "threads", "transactions", "start", "end"],
        ),
        (
            "benchMine",
            api::bench_mine,
            &["encoding", "hasher", "strategies", "threads", "difficulty", "runs", "blocks"],
        ),
        ("merkle", api::merkle, &["leaves", "arity", "hasher", "threads", "threshold", "proof"]),
        ("benchMerkle", api::bench_merkle, &["leaves", "arity", "hasher", "runs", "threshold"]),
        ("benchHash", api::bench_hash, &["ms"]),
        (
            "calibrate",
            api::calibrate,
            &["encoding", "hasher", "strategies", "threads", "transactions", "ms", "seconds"],
        ),
        ("withSpeedups", api::with_speedups, &["strategy", "threads"]),
        ("solve", api::solve, &["strategy", "threads", "start", "end"]),
        (
            "gpuPlans",
            parmine_web::gpu::gpu_plans,
            &["encoding", "hasher", "difficulty", "transactions", "blocks", "mode"],
        ),
        (
            "gpuRow",
            parmine_web::gpu::gpu_row,
            &["encoding", "hasher", "difficulty", "runs", "blocks", "samples"],
        ),
    ];
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..12 {
        for (name, export, fields) in &exports {
            // `mine` and `solve` with no end would search for a long time at
            // a valid difficulty: an end keeps them small.
            let value = object(fields);
            if *name == "mine" || *name == "solve" {
                js_sys::Reflect::set(&value, &"end".into(), &JsValue::from(5000)).unwrap();
            }
            if *name == "benchMine" && !js_sys::Reflect::has(&value, &"difficulty".into()).unwrap() {
                js_sys::Reflect::set(&value, &"difficulty".into(), &JsValue::from(2)).unwrap();
            }
            if *name == "calibrate" || *name == "benchHash" {
                js_sys::Reflect::set(&value, &"ms".into(), &JsValue::from(2)).unwrap();
            }
            match export(value) {
                Ok(_) => ok += 1,
                Err(_) => refused += 1,
            }
        }
    }
    // Both outcomes happen: the generator is not all errors.
    assert!(ok > 0 && refused > 0, "{ok} results, {refused} errors");
}
