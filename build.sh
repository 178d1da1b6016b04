#!/usr/bin/env bash
# parmine's one entry point: set up a fresh machine, build, serve, test.
#
#   ./build.sh            set up, then run the main job (see `serve`)
#   ./build.sh setup      install the pinned toolchain and tools
#   ./build.sh test       set up, then run every test (what CI runs)
#   ./build.sh bench      the command line's mining benchmark
#
# Everything it needs comes from the package registries (rustup, crates.io,
# Debian apt, npm); nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

setup_rust() {
    log "Rust toolchain (rust-toolchain.toml)"
    rustup toolchain install
    rustc --version
}

setup() {
    setup_rust
}

native_tests() {
    log "cargo fmt --check"
    cargo fmt --all -- --check
    log "cargo clippy"
    cargo clippy --all-targets --locked -- -D warnings
    log "cargo test (native)"
    cargo test --locked
}

bench() {
    cargo build --release --locked
    for encoding in json header; do
        ./target/release/parmine bench mine --encoding "$encoding" "$@"
    done
}

cmd=${1:-bench}
shift || true
case "$cmd" in
    setup) setup ;;
    test) setup; native_tests ;;
    bench) setup; bench "$@" ;;
    *) echo "usage: $0 [setup|test|bench]" >&2; exit 2 ;;
esac
