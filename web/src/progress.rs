//! Progress for the single-threaded build, through a JavaScript callback.
//!
//! Without shared memory the page cannot read the attempt counter while the
//! driver worker is busy, so the instance's [`Control`](parmine::Control)
//! gets an observer that calls back into the driver, at most every 100 ms;
//! the driver `postMessage`s the figure to the page, which receives it at
//! once because only the worker is busy.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::CONTROL;

/// Least time between two callbacks.
const EVERY_MS: f64 = 100.0;

thread_local! {
    static CALLBACK: RefCell<Option<(js_sys::Function, f64)>> = const { RefCell::new(None) };
}

/// Call `callback(attempts)` during jobs (at most every 100 ms), or stop
/// calling with `undefined`. The threaded build's progress is read from
/// shared memory instead.
#[wasm_bindgen(js_name = setProgressCallback)]
pub fn set_progress_callback(callback: Option<js_sys::Function>) {
    CALLBACK.with(|c| *c.borrow_mut() = callback.map(|f| (f, 0.0)));
    CONTROL.observe(tick);
}

/// The control's observer: report `attempts` if a callback is set on this
/// thread and it is time to.
fn tick(attempts: u64) {
    CALLBACK.with(|c| {
        if let Some((callback, last)) = c.borrow_mut().as_mut() {
            let now = js_sys::Date::now();
            if now - *last >= EVERY_MS {
                *last = now;
                // A throwing callback must not stop the miner.
                let _ = callback.call1(&JsValue::NULL, &JsValue::from_f64(attempts as f64));
            }
        }
    });
}
