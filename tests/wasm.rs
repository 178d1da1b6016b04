//! `wasm-pack test --headless --chrome` (or `--firefox`) typed at the
//! repository root: the browser crate's own suite (`web/tests/web.rs`), built
//! with this crate's default wasm32 flags, i.e. the single-threaded build. The
//! threaded build needs `web/.cargo/config.toml` (atomics, `-Z build-std`), so
//! it is tested from `web/`, as `./build.sh test` does.

#![cfg(target_arch = "wasm32")]

#[path = "../web/tests/web.rs"]
mod web;
