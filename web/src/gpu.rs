//! The GPU miner's Rust half in the page: plans for the device, checks of
//! what it found, and reports in the CPU jobs' shapes. The device half is
//! `www/gpu.js`, in the driver worker (WebGPU objects stay on the thread
//! that made them, so they cannot go to the rayon pool).

use parmine::jobs::{GpuCheckJob, GpuPlansJob, GpuRowJob, MineJob};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::CONTROL;
use super::api::{from_js, js_error, to_js};

/// The shader, a plan per block and the shapes to calibrate:
/// [`GpuPlansJob`] options → `{shader, plans, candidates, …}`.
#[wasm_bindgen(js_name = gpuPlans)]
pub fn gpu_plans(options: JsValue) -> Result<JsValue, JsValue> {
    let job: GpuPlansJob = from_js(options)?;
    to_js(&job.run().map_err(js_error)?)
}

/// Whether a candidate the device reported is a proof of its block:
/// [`GpuCheckJob`] options → `true` or `false`.
#[wasm_bindgen(js_name = gpuCheck)]
pub fn gpu_check(options: JsValue) -> Result<bool, JsValue> {
    let job: GpuCheckJob = from_js(options)?;
    job.run().map_err(js_error)
}

/// A `mine` report for a proof the device found: `{job: MineJob options,
/// proof, attempts, ms}` → the `mine` job's report (the proof checked).
#[wasm_bindgen(js_name = gpuReport)]
pub fn gpu_report(options: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Found {
        job: MineJob,
        proof: u64,
        attempts: u64,
        ms: f64,
    }
    let found: Found = from_js(options)?;
    to_js(&found.job.report_found(found.proof, found.attempts, found.ms).map_err(js_error)?)
}

/// A benchmark row from the device's timed searches: [`GpuRowJob`] options
/// → one row as `parmine bench mine --json` gives.
#[wasm_bindgen(js_name = gpuRow)]
pub fn gpu_row(options: JsValue) -> Result<JsValue, JsValue> {
    let job: GpuRowJob = from_js(options)?;
    to_js(&job.run().map_err(js_error)?)
}

/// Add nonces the device covered to the job's progress count (the page
/// reads it as it reads the CPU miners').
#[wasm_bindgen(js_name = recordAttempts)]
pub fn record_attempts(attempts: f64) {
    CONTROL.record(attempts as u64);
}

/// Whether the page asked the job in flight to stop.
#[wasm_bindgen]
pub fn cancelled() -> bool {
    CONTROL.is_cancelled()
}
