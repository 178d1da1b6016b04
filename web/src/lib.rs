//! parmine in the browser: the wasm32 export layer over parmine's jobs.
//!
//! Everything here must be called from a **dedicated Web Worker** that owns
//! the wasm instance (the page's "driver" worker), never from the page's main
//! thread: jobs block the calling thread until they finish, and rayon called
//! from a main thread busy-spins it. [`start`] refuses to run on a main
//! thread, so a mistaken page gets a clear error instead of a frozen tab.
//!
//! Two builds share this crate:
//!
//! * **threaded** (`+atomics`, shared memory): call [`init_pool`] once with
//!   the number of Web Workers to start (wasm-bindgen-rayon); parallel runs
//!   use all of them. Progress and cancel go through one [`Control`] in
//!   shared memory at [`control_address`]: the page reads the attempt counter
//!   and sets the stop flag with `Atomics` while the driver is busy.
//! * **single-threaded** fallback (no atomics, for pages that are not
//!   cross-origin isolated): one thread only; progress is reported through
//!   [`set_progress_callback`] (the driver forwards it with `postMessage`),
//!   and cancelling means terminating the worker.
//!
//! The jobs themselves are [`api`]'s thin exports: options in, report out,
//! the same as the command line's.

pub mod api;
pub mod gpu;
mod progress;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};

use parmine::Control;
use parmine::pool::{MAX_THREADS, Pool};
use wasm_bindgen::prelude::*;

pub use self::progress::set_progress_callback;

/// The one control of this instance: every job reports to it and stops on it.
pub(crate) static CONTROL: LazyLock<Arc<Control>> = LazyLock::new(|| Arc::new(Control::new()));

/// Set (to 1) by the panic hook when any thread of this instance panics.
///
/// In wasm a panic aborts: the thread that panicked traps. When that thread
/// is one of the pool's Web Workers, the job waiting for it never returns
/// and the driver looks busy forever. With the threaded build the page
/// watches this flag in shared memory (at [`panic_address`]) and replaces
/// the driver when it is set; a panic on the driver's own thread surfaces as
/// the job's `RuntimeError` instead.
static PANICKED: AtomicU32 = AtomicU32::new(0);

/// Runs when the module is instantiated: readable panics that also raise
/// [`PANICKED`], and a guard against running on a page's main thread.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsError> {
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(1, Ordering::SeqCst);
        console_error_panic_hook::hook(info);
    }));
    let global = js_sys::global();
    if js_sys::Reflect::has(&global, &"document".into()).unwrap_or(false) {
        return Err(JsError::new(
            "parmine must run in a dedicated Web Worker, not on the page's main thread (it blocks while it works)",
        ));
    }
    Ok(())
}

/// Start `threads` Web Workers for rayon (threaded build only); resolves when
/// they are ready. Call once, before any job.
///
/// This wraps wasm-bindgen-rayon's `initThreadPool`, which the module also
/// exports (wasm-bindgen exports it from the dependency, and one module
/// cannot export two functions of that name). Call this one: it checks the
/// count, refuses a second pool, and tells parmine's pool edge its size,
/// which runs are checked against. rayon offers no way to ask whether its
/// global pool exists without creating one, so a pool started through
/// `initThreadPool` directly is invisible to parmine, and jobs refuse to run
/// with an error that says so.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen(js_name = initPool)]
pub fn init_pool(threads: usize) -> Result<js_sys::Promise, JsError> {
    parmine::pool::set_global_threads(threads).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(wasm_bindgen_rayon::init_thread_pool(threads))
}

/// Address of the [`Control`] in wasm memory: an 8-byte attempt counter at
/// this address and a 4-byte stop flag 8 bytes after it. With the threaded
/// build the memory is a `SharedArrayBuffer`, and the page may read the
/// counter with `Atomics.load` and set the flag with `Atomics.store` while a
/// job runs in the driver worker.
#[wasm_bindgen(js_name = controlAddress)]
pub fn control_address() -> usize {
    Arc::as_ptr(&CONTROL) as usize
}

/// Address of a 4-byte flag in wasm memory that becomes 1 when any thread of
/// the instance has panicked (see [`PANICKED`]); read it with `Atomics.load`.
#[wasm_bindgen(js_name = panicAddress)]
pub fn panic_address() -> usize {
    PANICKED.as_ptr() as usize
}

/// The instance's control (for tests and embedders in Rust).
pub fn control() -> Arc<Control> {
    CONTROL.clone()
}

/// Ask the running job to stop (from the thread that owns the instance, or
/// any thread of a threaded build).
#[wasm_bindgen]
pub fn cancel() {
    CONTROL.cancel();
}

/// Clear the stop flag and the counter; the driver calls it before each job.
#[wasm_bindgen(js_name = resetControl)]
pub fn reset_control() {
    CONTROL.reset();
}

/// Candidates hashed since the last reset.
#[wasm_bindgen]
pub fn attempts() -> f64 {
    CONTROL.attempts() as f64
}

/// What this build can do, for the page's environment panel.
#[wasm_bindgen(js_name = buildInfo)]
pub fn build_info() -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    struct Info {
        version: &'static str,
        threaded: bool,
        simd: bool,
        pool_threads: usize,
        max_threads: usize,
    }
    api::to_js(&Info {
        version: env!("CARGO_PKG_VERSION"),
        threaded: cfg!(target_feature = "atomics"),
        simd: cfg!(target_feature = "simd128"),
        pool_threads: Pool::max_threads(),
        max_threads: MAX_THREADS,
    })
}
