//! The jobs, exported: each parses a plain options object into the job's
//! typed options (unknown fields are errors, so a typo is not silently
//! ignored), runs it as the command line does, and returns its report as a
//! plain object. Each job resets the instance's control first; a cancel
//! during the job ends it with an error whose `kind` is `cancelled` (see
//! [`js_error`]).

use parmine::bench::MineRow;
use parmine::jobs::{
    self, BenchHashJob, BenchMerkleJob, BenchMineJob, BenchSolveJob, CalibrateJob, CostJob, MerkleJob,
    MineJob, SolveJob, VerifyJob,
};
use parmine::puzzles::FriendlyChallenge;
use parmine::puzzles::altcha_v2::{AltchaV2Challenge, CounterMode, SolveOptions};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::CONTROL;

/// A plain object from a report. 64-bit integers go over as `BigInt`s (a
/// JavaScript number loses nonces past 2^53); the driver worker turns the
/// ones that fit into numbers.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_large_number_types_as_bigints(true)
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()).into())
}

/// Options from a plain object. It goes through `serde_json::Value` because
/// serde-wasm-bindgen reads only the fields a struct declares, and a misspelt
/// option must be an error, not a silent default.
pub fn from_js<T: DeserializeOwned>(options: JsValue) -> Result<T, JsValue> {
    let bad = |e: &dyn std::fmt::Display| error_of_kind("invalid", &format!("bad options: {e}"));
    let value: serde_json::Value = serde_wasm_bindgen::from_value(options).map_err(|e| bad(&e))?;
    serde_json::from_value(value).map_err(|e| bad(&e))
}

/// parmine's error as a JavaScript `Error` with the same message and its
/// [`kind`](parmine::Error::kind) (`cancelled`, `exhausted`, `invalid`), so
/// that the page tells a cancel from a failure without reading the words.
pub(crate) fn js_error(err: parmine::Error) -> JsValue {
    error_of_kind(err.kind(), &err.to_string())
}

fn error_of_kind(kind: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property of a fresh, unfrozen object cannot fail.
    let _ = js_sys::Reflect::set(&error, &"kind".into(), &kind.into());
    error.into()
}

/// What the page offers, from Rust: strategies, hashers, encodings, kernels,
/// limits, defaults, hash-rate labels.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsValue> {
    to_js(&jobs::catalog())
}

/// Mine one block: [`MineJob`] options → [`jobs::MineReport`].
#[wasm_bindgen]
pub fn mine(options: JsValue) -> Result<JsValue, JsValue> {
    let job: MineJob = from_js(options)?;
    CONTROL.reset();
    to_js(&job.run(Some(CONTROL.clone())).map_err(js_error)?)
}

/// Solve a real-world challenge: [`SolveJob`] options (`{challenge: {kind,
/// …}, strategy, threads}`) → [`jobs::SolveReport`].
#[wasm_bindgen]
pub fn solve(options: JsValue) -> Result<JsValue, JsValue> {
    let job: SolveJob = from_js(options)?;
    CONTROL.reset();
    to_js(&job.run(Some(CONTROL.clone())).map_err(js_error)?)
}

/// Benchmark strategies: [`BenchMineJob`] options → rows as `parmine bench
/// mine --json`.
#[wasm_bindgen(js_name = benchMine)]
pub fn bench_mine(options: JsValue) -> Result<JsValue, JsValue> {
    let job: BenchMineJob = from_js(options)?;
    CONTROL.reset();
    to_js(&job.run(Some(CONTROL.clone()), |_, _| {}).map_err(js_error)?)
}

/// An ALTCHA v2 challenge (a key derivation a counter): `{challenge:
/// createChallenge's object, counterMode: 'uint32' | 'string', threads}` →
/// the report `parmine solve altcha --json` prints for it (the payload the
/// widget submits inside). The memory-hard derivations run on as many of
/// the pool's threads as fit the job's memory limit, well inside the 1 GiB
/// wasm memory.
#[wasm_bindgen(js_name = solveAltchaV2)]
pub fn solve_altcha_v2(options: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Options {
        challenge: serde_json::Value,
        #[serde(default)]
        counter_mode: Option<String>,
        #[serde(default)]
        threads: Option<usize>,
    }
    let o: Options = from_js(options)?;
    let challenge = AltchaV2Challenge::from_json(&o.challenge.to_string()).map_err(js_error)?;
    let counter_mode = match o.counter_mode {
        Some(mode) => mode.parse::<CounterMode>().map_err(js_error)?,
        None => CounterMode::default(),
    };
    let search = SolveOptions { threads: o.threads, counter_mode, ..SolveOptions::default() };
    CONTROL.reset();
    to_js(&challenge.solve(&search, &CONTROL).map_err(js_error)?)
}

/// A Friendly Captcha puzzle: `{puzzle: 'signature.base64', threads}` → the
/// report `parmine solve friendly --json` prints (the widget's solution
/// string inside).
#[wasm_bindgen(js_name = solveFriendly)]
pub fn solve_friendly(options: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Options {
        puzzle: String,
        #[serde(default)]
        threads: Option<usize>,
    }
    let o: Options = from_js(options)?;
    let challenge = FriendlyChallenge::from_text(&o.puzzle).map_err(js_error)?;
    CONTROL.reset();
    to_js(&challenge.solve(o.threads, &CONTROL).map_err(js_error)?)
}

/// Cap's shapes compared: [`BenchSolveJob`] options (`{params: {c, s, d},
/// threads, runs, challenges}`) → rows as `parmine bench solve cap --json`.
#[wasm_bindgen(js_name = benchSolve)]
pub fn bench_solve(options: JsValue) -> Result<JsValue, JsValue> {
    let job: BenchSolveJob = from_js(options)?;
    job.validate().map_err(js_error)?;
    CONTROL.reset();
    match job.run(&CONTROL, |_, _| {}) {
        (rows, None) => to_js(&rows),
        (_, Some(err)) => Err(js_error(err)),
    }
}

/// What each kind costs a visitor: [`CostJob`] options (`{threads: [the
/// pool's size], work}`) → rows as `parmine bench cost --json` (each kind
/// at its system's default difficulty, with the rate measured on this pool).
/// A browser's pool runs on all its threads, so the page asks each pool for
/// its own size (one thread on a one-thread pool).
#[wasm_bindgen(js_name = benchCost)]
pub fn bench_cost(options: JsValue) -> Result<JsValue, JsValue> {
    let job: CostJob = from_js(options)?;
    job.validate().map_err(js_error)?;
    CONTROL.reset();
    match job.run(&CONTROL, |_, _| {}) {
        (rows, None) => to_js(&rows),
        (_, Some(err)) => Err(js_error(err)),
    }
}

/// Size a sweep: [`CalibrateJob`] options (the sweep's encoding, hasher,
/// strategies, threads, transactions, seconds) → the one-thread rate and the
/// difficulty, blocks and rounds chosen. Its fit mines the sweep's blocks
/// once: progress and cancel as for mining.
#[wasm_bindgen]
pub fn calibrate(options: JsValue) -> Result<JsValue, JsValue> {
    let job: CalibrateJob = from_js(options)?;
    CONTROL.reset();
    to_js(&job.run(Some(CONTROL.clone())).map_err(js_error)?)
}

/// Speedup and efficiency of mining rows against their sequential rows
/// (`parmine::bench::with_speedups`), for rows put together from several
/// sweeps or rounds (each point's fastest round is kept): `[row]` → `[row]`.
#[wasm_bindgen(js_name = withSpeedups)]
pub fn with_speedups(rows: JsValue) -> Result<JsValue, JsValue> {
    let rows: Vec<MineRow> = from_js(rows)?;
    to_js(&jobs::with_speedups(rows))
}

/// Build a tree: [`MerkleJob`] options → [`jobs::MerkleReport`].
#[wasm_bindgen]
pub fn merkle(options: JsValue) -> Result<JsValue, JsValue> {
    let job: MerkleJob = from_js(options)?;
    to_js(&job.run().map_err(js_error)?)
}

/// Time a tree sequentially and in parallel: [`BenchMerkleJob`] options →
/// `{root, rows}`.
#[wasm_bindgen(js_name = benchMerkle)]
pub fn bench_merkle(options: JsValue) -> Result<JsValue, JsValue> {
    let job: BenchMerkleJob = from_js(options)?;
    to_js(&job.run().map_err(js_error)?)
}

/// One thread's hash rates: [`BenchHashJob`] options → rates per second.
#[wasm_bindgen(js_name = benchHash)]
pub fn bench_hash(options: JsValue) -> Result<JsValue, JsValue> {
    let job: BenchHashJob = from_js(options)?;
    to_js(&job.run().map_err(js_error)?)
}

/// Check a proof: [`VerifyJob`] options → `true` or `false`.
#[wasm_bindgen(js_name = verifyProof)]
pub fn verify_proof(options: JsValue) -> Result<bool, JsValue> {
    let job: VerifyJob = from_js(options)?;
    job.run().map_err(js_error)
}

/// A deliberate bug, for the fault tests and for trying the page's recovery
/// from the console: panics on the pool's last worker, as a bug in a job
/// would (on the calling thread in the single-threaded build, whose pool is
/// that thread). The job never returns; the page sees the panic flag, fails
/// the job with one line and starts a fresh driver for the next one.
#[wasm_bindgen(js_name = panicInPool)]
pub fn panic_in_pool() -> Result<JsValue, JsValue> {
    let threads = parmine::pool::Pool::max_threads().max(1);
    let pool = parmine::pool::Pool::new(threads).map_err(js_error)?;
    pool.broadcast(|worker| {
        if worker + 1 == threads {
            panic!("panicInPool: a deliberate panic on pool worker {worker}");
        }
    });
    Ok(JsValue::UNDEFINED)
}
