//! Random option objects fed to every job, as the page's JSON API and the
//! command line receive them: wrong types, extremes, unknown fields. Each must
//! give an error or a result, never a panic. Searches are bounded (a nonce
//! range, small difficulties and sample counts are forced after parsing) so
//! that a valid random job also ends quickly; the point is the parsing and
//! the checks in front of the work.

#![cfg(not(target_arch = "wasm32"))]

use std::panic::{AssertUnwindSafe, catch_unwind};

use parmine::jobs::{
    BenchHashJob, BenchMerkleJob, BenchMineJob, CalibrateJob, GpuCheckJob, GpuPlansJob, GpuRowJob, MerkleJob,
    MineJob, SolveJob, VerifyJob,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Values of every JSON type, with the extremes that used to break things.
fn values() -> Vec<Value> {
    vec![
        json!(0),
        json!(1),
        json!(2),
        json!(3),
        json!(16),
        json!(17),
        json!(65),
        json!(1000),
        json!(4_000_000_000u64),
        json!(4611686018427387904u64),
        json!(u64::MAX),
        json!(-1),
        json!(1.5),
        json!(1e308),
        json!("x"),
        json!(""),
        json!("sha256"),
        json!("blake3"),
        json!("header"),
        json!("chunked"),
        json!("find-any"),
        json!(null),
        json!(true),
        json!([]),
        json!([1, 2, 2]),
        json!({}),
    ]
}

/// A random object over `fields` (and a misspelt one now and then).
fn object(random: &mut Random, fields: &[&str]) -> Value {
    let values = values();
    let mut map = serde_json::Map::new();
    for field in fields {
        if random.next().is_multiple_of(2) {
            map.insert((*field).to_string(), random.pick(&values).clone());
        }
    }
    if random.next().is_multiple_of(5) {
        map.insert("difficuly".into(), json!(3));
    }
    Value::Object(map)
}

/// Parse `value` as `T`; if it parses, bound it with `tame` and run it with
/// `run`. Either way, no panic.
fn exercise<T: DeserializeOwned>(value: &Value, tame: impl Fn(&mut T), run: impl Fn(&T) -> bool) -> bool {
    let outcome = catch_unwind(AssertUnwindSafe(|| match serde_json::from_value::<T>(value.clone()) {
        Ok(mut job) => {
            tame(&mut job);
            run(&job)
        }
        Err(_) => false,
    }));
    assert!(outcome.is_ok(), "panicked on {value}");
    outcome.unwrap()
}

#[test]
fn random_options_give_errors_or_results_never_panics() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut ran = 0;
    for _ in 0..60 {
        let mine = object(
            &mut random,
            &[
                "encoding",
                "hasher",
                "strategy",
                "difficulty",
                "threads",
                "kernel",
                "timestamp",
                "transactions",
                "start",
                "end",
                "message",
            ],
        );
        ran += usize::from(exercise::<MineJob>(
            &mine,
            |job| {
                job.difficulty = job.difficulty.min(3);
                job.transactions = job.transactions.min(100);
                job.end = job.end.min(job.start.saturating_add(5000));
            },
            |job| job.run(None).is_ok(),
        ));

        let bench = object(
            &mut random,
            &[
                "encoding",
                "hasher",
                "strategies",
                "threads",
                "difficulty",
                "runs",
                "blocks",
                "transactions",
                "kernel",
            ],
        );
        ran += usize::from(exercise::<BenchMineJob>(
            &bench,
            |job| {
                job.difficulty = job.difficulty.min(2);
                job.transactions = job.transactions.min(10);
                job.runs = job.runs.min(2);
                job.blocks = job.blocks.min(2);
            },
            |job| job.run(None, |_, _| {}).is_ok(),
        ));

        let merkle =
            object(&mut random, &["leaves", "arity", "hasher", "threads", "threshold", "task", "proof"]);
        ran += usize::from(exercise::<MerkleJob>(&merkle, |_| {}, |job| job.run().is_ok()));

        let bench_merkle =
            object(&mut random, &["leaves", "arity", "hasher", "threads", "runs", "threshold", "task"]);
        ran += usize::from(exercise::<BenchMerkleJob>(
            &bench_merkle,
            |job| {
                job.leaves = job.leaves.min(5000);
                job.runs = job.runs.min(2);
            },
            |job| job.run().is_ok(),
        ));

        let calibrate = object(
            &mut random,
            &["encoding", "hasher", "strategies", "threads", "transactions", "kernel", "seconds", "ms"],
        );
        ran += usize::from(exercise::<CalibrateJob>(
            &calibrate,
            |job| {
                job.transactions = job.transactions.min(10);
                job.ms = job.ms.min(2.0);
                job.seconds = job.seconds.min(0.2);
            },
            |job| job.run(None).is_ok(),
        ));

        let plans =
            object(&mut random, &["encoding", "hasher", "difficulty", "transactions", "blocks", "mode"]);
        ran += usize::from(exercise::<GpuPlansJob>(
            &plans,
            |job| {
                job.blocks = job.blocks.min(3);
                job.transactions = job.transactions.min(10);
            },
            |job| job.run().is_ok(),
        ));
        let check =
            object(&mut random, &["encoding", "hasher", "difficulty", "transactions", "block", "nonce"]);
        ran += usize::from(exercise::<GpuCheckJob>(
            &check,
            |job| {
                job.block = job.block.min(3);
                job.transactions = job.transactions.min(10);
            },
            |job| job.run().is_ok(),
        ));
        let mut row =
            object(&mut random, &["encoding", "hasher", "difficulty", "transactions", "runs", "blocks"]);
        row["samples"] = json!([{ "block": random.pick(&[0, 1, 7]), "proof": random.pick(&[0u64, 42, u64::MAX]), "attempts": 1, "ms": random.pick(&[1.0, -1.0, 0.0]) }]);
        ran += usize::from(exercise::<GpuRowJob>(
            &row,
            |job| {
                job.blocks = job.blocks.min(3);
                job.transactions = job.transactions.min(10);
            },
            |job| job.run().is_ok(),
        ));

        let hash = object(&mut random, &["ms"]);
        ran += usize::from(exercise::<BenchHashJob>(
            &hash,
            |job| job.ms = job.ms.min(1.0),
            |job| job.run().is_ok(),
        ));

        let verify = object(&mut random, &["hasher", "proof", "root"]);
        ran += usize::from(exercise::<VerifyJob>(&verify, |_| {}, |job| job.run().is_ok()));

        let kinds = ["bitcoin", "anubis", "altcha", "mcaptcha"];
        let mut challenge = object(
            &mut random,
            &[
                "header",
                "challenge",
                "difficulty",
                "algorithm",
                "maxnumber",
                "salt",
                "signature",
                "phrase",
                "difficulty_factor",
            ],
        );
        challenge["kind"] = json!(random.pick(&kinds));
        let mut solve = object(&mut random, &["strategy", "threads", "kernel", "start", "end"]);
        solve["challenge"] = challenge;
        ran += usize::from(exercise::<SolveJob>(
            &solve,
            |job| {
                let start = job.start.unwrap_or(0);
                job.end = Some(job.end.unwrap_or(u64::MAX).min(start.saturating_add(5000)));
            },
            |job| job.run(None).is_ok(),
        ));
    }
    // Some random jobs are valid and ran to a result: the generator is not
    // only producing parse errors.
    assert!(ran > 10, "only {ran} random jobs were valid");
}
